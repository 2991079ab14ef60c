package web

// Benchmarks of the HTTP handlers on the real data, in-process through httptest (no network):
// what a request costs the server before the kernel and the client add theirs. `make bench`
// runs them (bench/run.sh) with ALLIANCE_BENCH_DB pointing at a database it imported already;
// without it they import ../shared/data (or $ALLIANCE_DATA) once, and skip when it is absent.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/data"
	"github.com/nhs-geo/alliance/directory"
	"github.com/nhs-geo/alliance/internal/testenv"
	"github.com/paulmach/orb"
)

// benchData is the real dataset and the queries the benchmarks send.
type benchData struct {
	snap      *directory.Snapshot
	postcodes []string // live English postcodes with a grid reference, spread over the country
	points    [][2]string
}

var benchReal testenv.Once[*benchData]

type benchSource struct{ s *directory.Snapshot }

func (b benchSource) Current() *directory.Snapshot { return b.s }

// benchRealData opens the real dataset once per test binary: $ALLIANCE_BENCH_DB when set,
// else an import of the data folder into a temporary folder.
func benchRealData(b *testing.B) *benchData {
	b.Helper()
	dir := testenv.SharedData(b)
	return benchReal.Get(b, func(tmp string) (*benchData, error) {
		db := os.Getenv("ALLIANCE_BENCH_DB")
		if db == "" {
			db = filepath.Join(tmp, "alliance.db")
			if _, err := directory.Import(context.Background(), directory.ImportOptions{DataDir: dir, DBPath: db}); err != nil {
				return nil, err
			}
		}
		d := &benchData{}
		var err error
		opts := directory.DefaultOptions
		opts.DeepEdges = true
		if d.snap, err = directory.Open(context.Background(), db, opts); err != nil {
			return nil, err
		}
		d.snap.WaitDeepEdges() // the steady state a server reaches a second after it starts
		// Every 97th live English postcode with a grid reference, from Code-Point Open itself.
		n := 0
		err = data.ReadCodePointDir(filepath.Join(dir, "postcodes", "codepoint-open-2025-10"), func(c data.CodePoint) error {
			if c.Country == "E92000001" && c.HasLocation {
				if n%97 == 0 {
					d.postcodes = append(d.postcodes, c.Postcode)
				}
				n++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		d.points, err = benchPoints(filepath.Join(testenv.BenchDir(), "points_uniform_100k.csv.gz"))
		return d, err
	})
}

// benchPoints reads lat, lon pairs (as text, as a client would send them) from a shared point set.
func benchPoints(path string) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		return nil, err
	}
	var pts [][2]string
	for _, r := range rows[1:] {
		pts = append(pts, [2]string{r[2], r[1]})
	}
	return pts, nil
}

func benchServer(b *testing.B) *Server {
	return New(benchSource{benchRealData(b).snap}, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

func benchGET(b *testing.B, h http.Handler, paths []string) {
	b.Helper()
	reqs := make([]*http.Request, len(paths))
	for i, p := range paths {
		reqs[i] = httptest.NewRequest(http.MethodGet, p, nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, reqs[i%len(reqs)])
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", reqs[i%len(reqs)].URL, w.Code, w.Body)
		}
	}
}

// BenchmarkHandlerHealthz is the floor: the middleware chain and a tiny JSON body.
func BenchmarkHandlerHealthz(b *testing.B) {
	benchGET(b, benchServer(b), []string{"/healthz"})
}

// BenchmarkHandlerLookup answers GET /api/v1/lookup for uniform points over England, default
// edition: five layers with boundary distances, and the JSON.
func BenchmarkHandlerLookup(b *testing.B) {
	s := benchServer(b)
	var paths []string
	for _, p := range benchRealData(b).points[:10000] {
		paths = append(paths, "/api/v1/lookup?lat="+p[0]+"&lon="+p[1])
	}
	benchGET(b, s, paths)
}

// BenchmarkHandlerLookupWithoutSearch is BenchmarkHandlerLookup with the answers found
// beforehand: the same requests through the same middleware, parameter checks and JSON, served
// from a route added to the API for the benchmark. Its difference from BenchmarkHandlerLookup
// is what the search of every layer costs inside a request.
func BenchmarkHandlerLookupWithoutSearch(b *testing.B) {
	s := benchServer(b)
	snap := benchRealData(b).snap
	answers := map[orb.Point]*directory.Answer{}
	var paths []string
	for _, p := range benchRealData(b).points[:10000] {
		path := "/api/v1/lookup?lat=" + p[0] + "&lon=" + p[1]
		lq, err := parseLookup(httptest.NewRequest(http.MethodGet, path, nil))
		if err != nil {
			b.Fatal(err)
		}
		if answers[lq.at], err = snap.LookupPoint(lq.at, lq.edition); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, "/api/v1/found-lookup"+strings.TrimPrefix(path, "/api/v1/lookup"))
	}
	api := apiRouter(b, s)
	api.Get("/found-lookup", func(w http.ResponseWriter, r *http.Request) {
		lq, err := parseLookup(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, answers[lq.at])
	})
	benchGET(b, s, paths)
}

// apiRouter is the router of /api/v1, with its middleware, for routes only a test adds.
func apiRouter(tb testing.TB, s *Server) *chi.Mux {
	for _, rt := range s.router.Routes() {
		if rt.Pattern == "/api/v1/*" {
			return rt.SubRoutes.(*chi.Mux)
		}
	}
	tb.Fatal("no /api/v1 router")
	return nil
}

// BenchmarkHandlerLookupHospitals is BenchmarkHandlerLookup with the three nearest hospitals
// of the alliance's member trusts (?include=hospitals).
func BenchmarkHandlerLookupHospitals(b *testing.B) {
	s := benchServer(b)
	var paths []string
	for _, p := range benchRealData(b).points[:10000] {
		paths = append(paths, "/api/v1/lookup?lat="+p[0]+"&lon="+p[1]+"&include=hospitals")
	}
	benchGET(b, s, paths)
}

// BenchmarkHandlerSearch answers GET /api/v1/search for a mix of names, codes and postcodes.
func BenchmarkHandlerSearch(b *testing.B) {
	s := benchServer(b)
	var paths []string
	for _, q := range []string{"sheffield", "sheffield teaching", "addenbrooke", "christie", "RGT", "RH8", "N80", "S1 2HE", "S18",
		"derbyshire dales", "st thomas", "royal", "north", "leeds", "E56000025", "abbey", "kings", "west", "hosp", "guy's"} {
		paths = append(paths, "/api/v1/search?limit=8&q="+url.QueryEscape(q))
	}
	benchGET(b, s, paths)
}

// BenchmarkHandlerPostcode answers GET /api/v1/postcodes/{pc} for real postcodes.
func BenchmarkHandlerPostcode(b *testing.B) {
	s := benchServer(b)
	var paths []string
	for _, pc := range benchRealData(b).postcodes[:10000] {
		paths = append(paths, "/api/v1/postcodes/"+url.PathEscape(strings.ReplaceAll(pc, " ", "")))
	}
	benchGET(b, s, paths)
}

// BenchmarkBulkPostcodes posts 1,000 real postcodes to POST /api/v1/postcodes, the most one
// request may hold, and reports postcodes per second.
func BenchmarkBulkPostcodes(b *testing.B) {
	s := benchServer(b)
	const n = 1000
	var bodies [][]byte
	postcodes := benchRealData(b).postcodes
	for i := 0; i+n <= len(postcodes) && len(bodies) < 8; i += n {
		body, err := json.Marshal(map[string][]string{"postcodes": postcodes[i : i+n]})
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/postcodes", bytes.NewReader(bodies[i%len(bodies)]))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "postcodes/s")
}
