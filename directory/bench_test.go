package directory

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
	"github.com/paulmach/orb"
)

var benchDB struct {
	once sync.Once
	snap *Snapshot
	err  error
}

// benchSnapshot is the real dataset: the database $ALLIANCE_BENCH_DB names when set (bench/run.sh
// imports one for all its benchmarks), else realSnapshot's own import of the shared data.
func benchSnapshot(b *testing.B) *Snapshot {
	b.Helper()
	path := os.Getenv("ALLIANCE_BENCH_DB")
	if path == "" {
		return realSnapshot(b)
	}
	benchDB.once.Do(func() {
		opts := DefaultOptions
		opts.DeepEdges = true
		if benchDB.snap, benchDB.err = Open(context.Background(), path, opts); benchDB.err == nil {
			benchDB.snap.WaitDeepEdges() // a server's steady state
		}
	})
	if benchDB.err != nil {
		b.Fatalf("ALLIANCE_BENCH_DB: %v", benchDB.err)
	}
	return benchDB.snap
}

// BenchmarkLookupPostcode answers real postcodes through the whole postcode path: parse,
// find, then every layer of the default edition with boundary distances.
func BenchmarkLookupPostcode(b *testing.B) {
	s := benchSnapshot(b)
	var pcs []string
	for i := 0; i < len(s.postcodes.rows); i += 997 {
		if s.postcodes.rows[i].located {
			pcs = append(pcs, s.postcodes.rows[i].key.String())
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.LookupPostcode(pcs[i%len(pcs)], ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupPoint answers points in the default edition, as GET /api/v1/lookup does: the
// shared uniform points over England when present, else five cities.
func BenchmarkLookupPoint(b *testing.B) {
	s := benchSnapshot(b)
	pts := benchPoints(b)
	for i := 0; b.Loop(); i++ {
		if _, err := s.LookupPoint(pts[i%len(pts)], ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchEngland runs Batch over every live English postcode, CSV in and out.
func BenchmarkBatchEngland(b *testing.B) {
	s := benchSnapshot(b)
	var in bytes.Buffer
	in.WriteString("postcode\n")
	rows := 0
	for _, r := range s.postcodes.rows {
		if s.postcodes.strings[r.country] == englandCode {
			in.WriteString(r.key.String())
			in.WriteByte('\n')
			rows++
		}
	}
	b.ResetTimer()
	for b.Loop() {
		w := bufio.NewWriterSize(io.Discard, 1<<20)
		rep, err := s.Batch(context.Background(), bytes.NewReader(in.Bytes()), w, BatchOptions{})
		if err != nil || rep.Rows != rows {
			b.Fatalf("%v: %d rows of %d", err, rep.Rows, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// benchPoints reads the first 10,000 of the shared uniform points (points_uniform_100k.csv.gz in
// testenv.BenchDir), or five cities when it is absent.
func benchPoints(b *testing.B) []orb.Point {
	f, err := os.Open(filepath.Join(testenv.BenchDir(), "points_uniform_100k.csv.gz"))
	if err != nil {
		return []orb.Point{{-1.47, 53.38}, {-0.12, 51.5}, {-1.9, 52.48}, {-4.14, 50.37}, {-1.61, 54.97}}
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	r := csv.NewReader(gz)
	if _, err := r.Read(); err != nil {
		b.Fatal(err)
	}
	var pts []orb.Point
	for len(pts) < 10000 {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		lon, err1 := strconv.ParseFloat(rec[1], 64)
		lat, err2 := strconv.ParseFloat(rec[2], 64)
		if err1 != nil || err2 != nil {
			b.Fatalf("bad point %v", rec)
		}
		pts = append(pts, orb.Point{lon, lat})
	}
	return pts
}
