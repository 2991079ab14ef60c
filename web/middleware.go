package web

import (
	"fmt"
	"log/slog"
	"math"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"golang.org/x/time/rate"
)

// requestIDHeader returns the request ID to the client, to quote in a bug report.
func (s *Server) requestIDHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-ID", middleware.GetReqID(r.Context()))
		next.ServeHTTP(w, r)
	})
}

// securityHeaders are sent with every response; HTML pages add their Content-Security-Policy.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 with a JSON body; the process keeps serving.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", slog.Any("panic", v), slog.String("path", r.URL.Path),
					slog.String("request_id", middleware.GetReqID(r.Context())))
				fail(w, http.StatusInternalServerError, "internal_error", "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// accessLog writes one structured line per request.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", ww.Status()),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
			slog.String("request_id", middleware.GetReqID(r.Context())))
	})
}

// cors lets browsers on the configured origins call the API.
func (s *Server) cors(next http.Handler) http.Handler {
	if len(s.cfg.CORSOrigins) == 0 {
		return next
	}
	return cors.Handler(cors.Options{
		AllowedOrigins: s.cfg.CORSOrigins,
		AllowedMethods: []string{"GET", "POST", "OPTIONS"},
		AllowedHeaders: []string{"Accept", "Content-Type", "If-None-Match"},
		ExposedHeaders: []string{"ETag", "X-Dataset", "X-Request-ID", "Retry-After"},
		MaxAge:         3600,
	})(next)
}

// acceptJSON refuses requests that accept no JSON (406).
func (s *Server) acceptJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if acc := r.Header.Get("Accept"); acc != "" && !acceptsJSON(acc) {
			fail(w, http.StatusNotAcceptable, "not_acceptable", "this resource is served as application/json; the request's Accept header allows only "+clipHeader(acc))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func acceptsJSON(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, ok := params["q"]; ok && (q == "0" || q == "0.0" || q == "0.00" || q == "0.000") {
			continue
		}
		switch mt {
		case "*/*", "application/*", "application/json", "application/geo+json", "application/problem+json":
			return true
		}
	}
	return false
}

func clipHeader(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// limitBody refuses bodies over the limit (413) and bodies that are not JSON (415).
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBodyBytes {
			fail(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("request body is %d bytes; the limit is %d", r.ContentLength, s.cfg.MaxBodyBytes))
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || mt != "application/json" {
				fail(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json")
				return
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// rateLimit applies a token bucket per client address when configured (429 with Retry-After).
func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.cfg.RateLimit <= 0 {
		return next
	}
	burst := s.cfg.RateBurst
	if burst <= 0 {
		burst = int(math.Max(1, math.Ceil(s.cfg.RateLimit)))
	}
	var mu sync.Mutex
	type client struct {
		lim  *rate.Limiter
		seen time.Time
	}
	clients := map[string]*client{}
	lastSweep := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		now := time.Now()
		mu.Lock()
		if now.Sub(lastSweep) > time.Minute { // forget idle clients so the map stays small
			for k, c := range clients {
				if now.Sub(c.seen) > 5*time.Minute {
					delete(clients, k)
				}
			}
			lastSweep = now
		}
		c := clients[host]
		if c == nil {
			c = &client{lim: rate.NewLimiter(rate.Limit(s.cfg.RateLimit), burst)}
			clients[host] = c
		}
		c.seen = now
		res := c.lim.ReserveN(now, 1)
		delay := res.DelayFrom(now)
		if delay > 0 {
			res.CancelAt(now)
		}
		mu.Unlock()
		if delay > 0 {
			w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(delay.Seconds()))))
			fail(w, http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("more than %g requests per second from this address; retry after %s", s.cfg.RateLimit, delay.Round(time.Millisecond)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// etagMatches reports whether an If-None-Match header names etag (weak comparison).
func etagMatches(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
