package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/nhs-geo/alliance/directory"
	"github.com/nhs-geo/alliance/web"
)

func runServe(ctx context.Context, args []string, env envLookup, stderr io.Writer) error {
	fs := newFlagSet("serve", "Serves the JSON API, the directory pages and the map page from the database.\nSIGHUP reloads the database without dropping requests; SIGTERM shuts down gracefully.", env, stderr)
	addr := fs.String("addr", "ALLIANCE_ADDR", ":8080", "address to listen on")
	db := fs.dbFlag()
	nearest := fs.Float("nearest", "ALLIANCE_NEAREST_M", directory.DefaultOptions.MaxNearestM, "metres: how far the nearest-area fallback reaches for points outside every polygon")
	near := fs.Float("near-boundary", "ALLIANCE_NEAR_BOUNDARY_M", directory.DefaultOptions.NearBoundaryM, "metres: report other areas this close to a point")
	maxBulk := fs.Int("max-bulk", "ALLIANCE_MAX_BULK", 1000, "most postcodes in one bulk request")
	rateLimit := fs.Float("rate-limit", "ALLIANCE_RATE_LIMIT", 0, "requests per second per client address; 0 = no limit")
	rateBurst := fs.Int("rate-burst", "ALLIANCE_RATE_BURST", 0, "burst allowed above the rate limit (default: one second's worth)")
	cors := fs.String("cors", "ALLIANCE_CORS", "*", "comma-separated origins allowed to call the API from a browser; empty = none")
	logFormat := fs.String("log", "ALLIANCE_LOG", "text", "log format: text or json")
	tiles := fs.String("tiles-url", "ALLIANCE_TILES_URL", "", "background map tiles, e.g. https://tile.example.org/{z}/{x}/{y}.png (default: none; the map draws its own outlines)")
	tilesAttribution := fs.String("tiles-attribution", "ALLIANCE_TILES_ATTRIBUTION", "", "attribution shown with the tiles")
	nhsBranding := fs.Bool("nhs-branding", "ALLIANCE_NHS_BRANDING", false, "show the NHS logo: only when an NHS organisation runs the service (otherwise every page says it is not an official NHS service)")
	operator := fs.String("operator", "ALLIANCE_OPERATOR", web.DefaultOperator, "who runs the service, named on every page")
	feedback := fs.String("feedback-url", "ALLIANCE_FEEDBACK_URL", "", "where people may send feedback, linked from every page (empty: no link)")
	timeout := fs.Duration("request-timeout", "ALLIANCE_REQUEST_TIMEOUT", 30*time.Second, "longest time a request may take")
	debugAddr := fs.String("debug-addr", "ALLIANCE_DEBUG_ADDR", "", "address of a second listener serving Go's profiler at /debug/pprof/, e.g. 127.0.0.1:6060; keep it private (default: off)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *nearest < 0 || *near < 0 {
		return usageError{"--nearest and --near-boundary must not be negative"}
	}
	if *feedback != "" {
		if u, err := url.Parse(*feedback); err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "mailto") {
			return usageError{fmt.Sprintf("--feedback-url %q: give an http(s) or mailto: URL", *feedback)}
		}
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(stderr, nil)
	} else if *logFormat != "text" {
		return usageError{fmt.Sprintf("--log %q: use text or json", *logFormat)}
	}
	log := slog.New(handler)

	start := time.Now()
	dir, err := directory.New(ctx, *db, directory.Options{MaxNearestM: *nearest, NearBoundaryM: *near, DeepEdges: true})
	if err != nil {
		return err
	}
	snap := dir.Current()
	log.Info("dataset loaded", "db", *db, "dataset", snap.Checksum, "postcodes", snap.Postcodes().Len(), "took", time.Since(start).Round(time.Millisecond))

	var origins []string
	for _, o := range strings.Split(*cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	srv := &http.Server{
		Addr: *addr,
		Handler: web.New(dir, web.Config{Logger: log, MaxBulk: *maxBulk, RateLimit: *rateLimit, RateBurst: *rateBurst,
			CORSOrigins: origins, RequestTimeout: *timeout, TilesURL: *tiles, TilesAttribution: *tilesAttribution,
			NHSBranding: *nhsBranding, Operator: *operator, FeedbackURL: *feedback}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      *timeout + 5*time.Second,
		IdleTimeout:       120 * time.Second,
		// Well above web's own limits (web.MaxURLBytes, web.MaxHeaderBytes), which answer an
		// oversized request with a JSON 414 or 431: below them Go would answer first, in plain text.
		MaxHeaderBytes: 8 * (web.MaxURLBytes + web.MaxHeaderBytes),
		ErrorLog:       slog.NewLogLogger(handler, slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *debugAddr != "" { // before "listening": once that is logged, the whole server is up
		dbg, err := serveDebug(*debugAddr, handler)
		if err != nil {
			ln.Close()
			return err
		}
		log.Info("profiler listening", "addr", dbg.Addr().String())
		defer dbg.Close()
	}
	log.Info("listening", "addr", ln.Addr().String())

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for range hup {
			t := time.Now()
			if err := dir.Reload(context.Background()); err != nil {
				log.Error("reload failed; still serving the previous dataset", "err", err)
				continue
			}
			log.Info("dataset reloaded", "dataset", dir.Current().Checksum, "took", time.Since(t).Round(time.Millisecond))
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveDebug serves web.DebugHandler on its own listener until the listener is closed.
func serveDebug(addr string, logTo slog.Handler) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--debug-addr: %w", err)
	}
	// No write timeout: a CPU profile streams for as many seconds as it is asked for.
	srv := &http.Server{Handler: web.DebugHandler(), ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(logTo, slog.LevelWarn)}
	go srv.Serve(ln)
	return ln, nil
}
