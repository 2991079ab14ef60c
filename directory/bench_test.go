package directory

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/paulmach/orb"
)

// BenchmarkLookupPostcode answers real postcodes through the whole postcode path: parse,
// find, then every layer of the default edition with boundary distances.
func BenchmarkLookupPostcode(b *testing.B) {
	s := realSnapshot(b)
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

// BenchmarkLookupPoint answers a point in the default edition, as GET /api/v1/lookup does.
func BenchmarkLookupPoint(b *testing.B) {
	s := realSnapshot(b)
	pts := []orb.Point{{-1.47, 53.38}, {-0.12, 51.5}, {-1.9, 52.48}, {-4.14, 50.37}, {-1.61, 54.97}}
	for i := 0; b.Loop(); i++ {
		if _, err := s.LookupPoint(pts[i%len(pts)], ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchEngland runs Batch over every live English postcode, CSV in and out.
func BenchmarkBatchEngland(b *testing.B) {
	s := realSnapshot(b)
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
