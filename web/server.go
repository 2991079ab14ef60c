package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/nhs-geo/alliance/directory"
)

// Source gives the dataset snapshot to answer from; *directory.Directory is one.
type Source interface {
	Current() *directory.Snapshot
}

var _ Source = (*directory.Directory)(nil)

// Config is what a deployment may set.
type Config struct {
	Logger *slog.Logger
	// MaxBulk is the most postcodes one bulk request may hold.
	MaxBulk int
	// MaxBodyBytes limits request bodies.
	MaxBodyBytes int64
	// RateLimit is requests per second per client address; 0 turns the limit off.
	RateLimit float64
	RateBurst int
	// CORSOrigins may call the API from a browser ("*" for any).
	CORSOrigins []string
	// RequestTimeout bounds the time a handler may take.
	RequestTimeout time.Duration
	// TilesURL is an optional background tile layer for the map ({z}/{x}/{y} template);
	// TilesAttribution is shown with it. Off by default: the map draws its own outlines.
	TilesURL, TilesAttribution string
	// NHSBranding shows the NHS logo and drops the "not an official NHS service" notice: only
	// for a service run by (or for) an NHS organisation. Off by default.
	NHSBranding bool
	// Operator names who runs the service, on every page (default DefaultOperator).
	Operator string
	// FeedbackURL is where people may send feedback; the pages link to it when it is set.
	FeedbackURL string
}

// Server is the HTTP face of the directory.
type Server struct {
	src    Source
	cfg    Config
	log    *slog.Logger
	router chi.Router
	m      *metrics

	allowOnce sync.Once // allowFlat: the routes flattened, for the Allow header of a 405
	allowFlat *chi.Mux

	snapHeaders atomic.Pointer[snapshotHeaders] // of the snapshot served last
}

// snapshotHeaders are the header values naming one snapshot, made once per snapshot rather
// than per request. Header slices are shared, so they are only ever replaced, never changed.
type snapshotHeaders struct {
	snap          *directory.Snapshot
	dataset, etag []string
}

var cacheForAnHour = []string{"public, max-age=3600"}

func (s *Server) headersFor(snap *directory.Snapshot) *snapshotHeaders {
	if h := s.snapHeaders.Load(); h != nil && h.snap == snap {
		return h
	}
	h := &snapshotHeaders{snap: snap, dataset: []string{snap.Checksum}, etag: []string{`W/"` + snap.Checksum + `"`}}
	s.snapHeaders.Store(h)
	return h
}

// New builds the server and its routes.
func New(src Source, cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBulk == 0 {
		cfg.MaxBulk = 1000
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 256 << 10
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	s := &Server{src: src, cfg: cfg, log: cfg.Logger, m: newMetrics()}
	s.router = s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(decodedRoutePath) // first: everything after it routes on the decoded path
	r.Use(middleware.RequestID, s.requestIDHeader, securityHeaders, s.recoverer, s.accessLog, s.m.instrument)
	r.Use(requestLimits)
	r.Use(middleware.Timeout(s.cfg.RequestTimeout))
	r.Use(headNoBody, negotiateEncoding, middleware.Compress(5, "application/json", "application/geo+json", "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain"))
	r.Use(middleware.GetHead) // HEAD wherever GET is
	r.NotFound(notFoundRoute)
	r.MethodNotAllowed(s.methodNotAllowed)

	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", s.handleReady)
	r.Method(http.MethodGet, "/metrics", s.m.handler())

	r.Route("/api/v1", func(r chi.Router) {
		r.Use(s.cors, s.rateLimit, validQuery, s.acceptJSON, s.withSnapshot)
		r.Get("/lookup", s.handleLookup)
		r.Route("/postcodes", func(r chi.Router) {
			r.With(s.limitBody).Post("/", s.handleBulkPostcodes)
			r.Get("/{postcode}", s.handlePostcode)
		})
		r.Get("/outcodes/{outcode}", s.handlePartial("outcode"))
		r.Get("/sectors/{sector}", s.handlePartial("sector"))
		s.directoryAPIRoutes(r)
	})
	s.apiDocRoutes(r)
	s.pageRoutes(r)
	return r
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	snap := s.src.Current()
	if snap == nil {
		fail(w, http.StatusServiceUnavailable, "not_ready", "no dataset loaded")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "dataset": snap.Checksum, "imported_at": snap.ImportedAt, "postcodes": snap.Postcodes().Len()})
}

type ctxKey int

const snapshotKey ctxKey = iota

// withSnapshot pins one dataset snapshot to the request, names it in X-Dataset and answers
// conditional GETs: the ETag is the dataset checksum, so a reload invalidates every cached answer.
// The request is answered as usual first: only an answer that would be a 200 becomes a 304, so a
// malformed request or an unknown area gets its 4xx whatever If-None-Match says.
func (s *Server) withSnapshot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap := s.src.Current()
		if snap == nil {
			fail(w, http.StatusServiceUnavailable, "not_ready", "no dataset loaded")
			return
		}
		h, sh := w.Header(), s.headersFor(snap)
		h["X-Dataset"] = sh.dataset // canonical keys, set without copying
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h["Etag"] = sh.etag
			h["Cache-Control"] = cacheForAnHour
			h.Add("Vary", "Accept-Encoding")
			if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, sh.etag[0]) {
				w = &notModifiedWriter{ResponseWriter: w}
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), snapshotKey, snap)))
	})
}

// notModifiedWriter turns a 200 into a 304 without a body; any other status (an error found
// while answering) goes out as written.
type notModifiedWriter struct {
	http.ResponseWriter
	wroteHeader, drop bool
}

func (n *notModifiedWriter) WriteHeader(code int) {
	if n.wroteHeader {
		return
	}
	n.wroteHeader = true
	if code == http.StatusOK {
		h := n.Header()
		h.Del("Content-Length")
		h.Del("Content-Type")
		n.drop = true
		code = http.StatusNotModified
	}
	n.ResponseWriter.WriteHeader(code)
}

func (n *notModifiedWriter) Write(b []byte) (int, error) {
	if !n.wroteHeader {
		n.WriteHeader(http.StatusOK)
	}
	if n.drop {
		return len(b), nil
	}
	return n.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (n *notModifiedWriter) Unwrap() http.ResponseWriter { return n.ResponseWriter }

func snapshotFrom(r *http.Request) *directory.Snapshot {
	return r.Context().Value(snapshotKey).(*directory.Snapshot)
}
