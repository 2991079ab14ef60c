package geo

import (
	"testing"
	"time"

	"github.com/paulmach/orb/planar"
)

// TestIndexFasterThanNaive guards against a performance regression without timing anything
// absolutely: in the same run, the index must answer points at least minRatio times faster
// than orb's planar.MultiPolygonContains over every ICB, and agree with it. Measured on a
// quiet 2-core machine (docs/benchmarks.md): about 16,000× for uniform points over England
// and 2,800× for points within 100 m of a boundary; the floors leave room for a busy one.
func TestIndexFasterThanNaive(t *testing.T) {
	if testing.Short() {
		t.Skip("timing ratio; skipped with -short")
	}
	l := realLayer(t, "2023/icb")
	ix, err := NewIndex(l.areas)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		file     string
		minRatio float64
	}{
		{"points_uniform_100k.csv.gz", 1000},
		{"points_boundary_20k.csv.gz", 300},
	} {
		t.Run(tt.file, func(t *testing.T) {
			pts := readPoints(t, tt.file)
			naive := func(n int) time.Duration {
				start := time.Now()
				for _, p := range pts[:n] {
					found := -1
					for i, a := range l.areas {
						if planar.MultiPolygonContains(a, p) {
							found = i
							break
						}
					}
					if got := ix.Locate(p); got != found {
						t.Fatalf("point %v: index %d, naive %d", p, got, found)
					}
				}
				return time.Since(start)
			}
			const naiveN = 1000
			best := time.Duration(1 << 62)
			for range 5 {
				start := time.Now()
				s := 0
				for _, p := range pts {
					s += ix.Locate(p)
				}
				sinkInt = s
				best = min(best, time.Since(start))
			}
			perIndex := float64(best) / float64(len(pts))
			perNaive := float64(naive(naiveN)) / naiveN
			ratio := perNaive / perIndex
			t.Logf("index %.1f ns/point, naive %.1f µs/point: %.0f×", perIndex, perNaive/1e3, ratio)
			if ratio < tt.minRatio {
				t.Errorf("the index is only %.0f× faster than the naive test; the floor is %.0f×", ratio, tt.minRatio)
			}
		})
	}
}
