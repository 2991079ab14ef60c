// Command floor is the least an HTTP answer can cost on this machine: a bare net/http
// server with no middleware and no work, for bench/run.sh to load with wrk beside the
// service. /small answers 16 bytes, as /healthz does; /large answers 811 bytes with the
// service's API headers, as a lookup does.
//
//	go run ./bench/floor -addr 127.0.0.1:8081
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "loopback address to listen on")
	flag.Parse()
	small := []byte(`{"status":"ok"}` + "\n")
	large := []byte(`{"padding":"` + strings.Repeat("x", 796) + `"}` + "\n")
	http.HandleFunc("/small", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(small)
	})
	http.HandleFunc("/large", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		for _, k := range []string{"Cache-Control", "Etag", "Vary", "X-Dataset", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "X-Request-Id"} {
			h.Set(k, "W/\"1cee9de768c06310\"")
		}
		w.Write(large)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
