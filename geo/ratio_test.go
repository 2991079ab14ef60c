package geo

import (
	"testing"
	"time"

	"github.com/paulmach/orb/planar"
)

// TestIndexFasterThanNaive guards against a performance regression without timing anything
// absolutely: in the same run, the index must answer uniform points over England at least
// 1,000 times faster than orb's planar.MultiPolygonContains over every ICB (measured about
// 7,000× on a quiet 2-core machine; see docs/benchmarks.md). It also checks both agree.
func TestIndexFasterThanNaive(t *testing.T) {
	if testing.Short() {
		t.Skip("timing ratio; skipped with -short")
	}
	l := realLayer(t, "2023/icb")
	pts := readPoints(t, "points_uniform_100k.csv.gz")
	ix, err := NewIndex(l.areas)
	if err != nil {
		t.Fatal(err)
	}
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
	if ratio < 1000 {
		t.Errorf("the index is only %.0f× faster than the naive test; it was about 7,000×", ratio)
	}
}
