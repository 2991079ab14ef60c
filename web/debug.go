package web

import (
	"net/http"
	"net/http/pprof"
)

// DebugHandler serves Go's runtime profiles (net/http/pprof) under /debug/pprof/, for a
// listener of its own that only operators reach: never mount it on the public router, as a
// profile reveals internals and a long one costs the server CPU.
func DebugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index) // the index and every named profile (heap, goroutine…)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
