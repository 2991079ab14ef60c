package web

import (
	"fmt"
	"log/slog"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"golang.org/x/time/rate"
)

// decodedRoutePath makes chi route on the decoded path. Go keeps the path as sent in
// URL.RawPath when it is not the canonical escaping (%45 for "E"), and chi then routes on
// RawPath, so path parameters would reach the handlers still escaped. Each segment is decoded
// once; a segment holding an escaped "/" stays as sent, so that it cannot become two segments.
func decodedRoutePath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawPath != "" {
			if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath == "" {
				rctx.RoutePath = routePath(r.URL)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// routePath is the path the routes are matched against (see decodedRoutePath).
func routePath(u *url.URL) string {
	if u.RawPath == "" {
		return u.Path
	}
	segs := strings.Split(u.RawPath, "/")
	for i, seg := range segs {
		if dec, err := url.PathUnescape(seg); err == nil && !strings.Contains(dec, "/") {
			segs[i] = dec
		}
	}
	return strings.Join(segs, "/")
}

// The limits of a request's size, answered in JSON: 414 uri_too_long and 431
// headers_too_large. The http.Server's own MaxHeaderBytes must lie well above their sum, or Go
// answers first with a plain-text 431.
const (
	// MaxURLBytes limits the request target: path and query string, as sent.
	MaxURLBytes = 8 << 10
	// MaxHeaderBytes limits the header fields: names, values and Host, as on the wire.
	MaxHeaderBytes = 16 << 10
)

// requestLimits refuses a URL over MaxURLBytes (414) and header fields over MaxHeaderBytes (431).
func requestLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.RequestURI
		if target == "" {
			target = r.URL.RequestURI()
		}
		if len(target) > MaxURLBytes {
			fail(w, http.StatusRequestURITooLong, "uri_too_long", fmt.Sprintf("the URL is %d bytes; the limit is %d", len(target), MaxURLBytes))
			return
		}
		if n := headerBytes(r); n > MaxHeaderBytes {
			fail(w, http.StatusRequestHeaderFieldsTooLarge, "headers_too_large", fmt.Sprintf("the header fields are %d bytes; the limit is %d", n, MaxHeaderBytes))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headerBytes is the size of the request's header fields as sent: "Name: value\r\n" each.
func headerBytes(r *http.Request) int {
	n := 0
	if r.Host != "" {
		n += len("Host: \r\n") + len(r.Host)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// headNoBody drops a HEAD response's body before the compressor's output reaches the
// connection: otherwise the server would send the length of an empty gzip stream (23 bytes) as
// the Content-Length of a HEAD whose GET is compressed. Handlers still write as for a GET, so
// HEAD gets GET's status and headers.
func headNoBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w = bodylessWriter{w}
		}
		next.ServeHTTP(w, r)
	})
}

type bodylessWriter struct{ http.ResponseWriter }

func (b bodylessWriter) Write(p []byte) (int, error) { return len(p), nil }

func (b bodylessWriter) Flush() {
	if f, ok := b.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (b bodylessWriter) Unwrap() http.ResponseWriter { return b.ResponseWriter }

// compressions are the content codings the compressor can send, preferred first.
var compressions = []string{"gzip", "deflate"}

// negotiateEncoding leaves the compressor an Accept-Encoding header naming only the coding to
// send, or none: chi's compressor finds a coding's name anywhere in the header and ignores
// q-values, so "gzip;q=0" would get gzip.
func negotiateEncoding(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if vs := r.Header.Values("Accept-Encoding"); len(vs) > 0 {
			if enc := chooseEncoding(strings.Join(vs, ",")); enc != "" {
				r.Header.Set("Accept-Encoding", enc)
			} else {
				r.Header.Del("Accept-Encoding")
			}
		}
		next.ServeHTTP(w, r)
	})
}

// chooseEncoding picks the coding of compressions to send under an Accept-Encoding header
// (RFC 9110, 12.5.3): the acceptable one with the highest q-value, the server's preference
// breaking ties; "" for none (identity). A coding is acceptable when listed, or covered by
// "*", with a q-value above 0; a malformed q-value counts as 0.
func chooseEncoding(header string) string {
	weights := map[string]float64{}
	for _, elem := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(elem, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if name == "x-gzip" { // RFC 9110, 8.4.1.3
			name = "gzip"
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				q = parseQValue(strings.TrimSpace(v))
			}
		}
		if w, seen := weights[name]; !seen || q < w {
			weights[name] = q // a coding listed twice counts at its lowest
		}
	}
	best, bestQ := "", 0.0
	for _, c := range compressions {
		q, listed := weights[c]
		if !listed {
			q = weights["*"] // 0 when "*" is absent too
		}
		if q > bestQ {
			best, bestQ = c, q
		}
	}
	return best
}

// parseQValue reads a qvalue (0 to 1, at most three decimals); anything else is 0.
func parseQValue(s string) float64 {
	if len(s) == 0 || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0
	}
	q, err := strconv.ParseFloat(s, 64)
	if err != nil || q < 0 || q > 1 {
		return 0
	}
	return q
}

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

// limitBody refuses bodies over the limit (413) and bodies not sent as JSON (415), a body
// without a Content-Type included.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBodyBytes {
			fail(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("request body is %d bytes; the limit is %d", r.ContentLength, s.cfg.MaxBodyBytes))
			return
		}
		ct := r.Header.Get("Content-Type")
		if strings.TrimSpace(ct) == "" {
			fail(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "the request has no Content-Type: send the body as application/json")
			return
		}
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			fail(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json, not "+clipHeader(ct))
			return
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
