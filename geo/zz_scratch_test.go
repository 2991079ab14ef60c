package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestScratchDense(t *testing.T) {
	for _, name := range []string{"2021/cancer-alliances", "2023/icb", "2018/ccg", "2023/sub-icb", "2018/stp-44-feb2017"} {
		l := realLayer(t, name)
		orig, _ := NewIndex(l.areas)
		coast := coastIndex(t, l.areas)
		for _, tol := range []float64{0, 50, 100, 250, 500, 1000, 2500} {
			simp := SimplifyLayer(l.areas, tol, 5)
			six, err := NewIndex(simp)
			if err != nil {
				t.Fatal(err)
			}
			b := orig.Bound()
			step := 0.004
			over, gap, n := 0, 0, 0
			var ex []orb.Point
			for y := b.Min[1]; y < b.Max[1]; y += step {
				for x := b.Min[0]; x < b.Max[0]; x += step / math.Cos(y*math.Pi/180) {
					p := orb.Point{x, y}
					n++
					c := six.containing(p)
					if len(c) > 1 {
						over++
						if len(ex) < 3 {
							ex = append(ex, p)
						}
					}
					if len(c) == 0 && orig.Locate(p) >= 0 && len(coast.Near(p, tol+100)) == 0 {
						gap++
						if len(ex) < 3 {
							ex = append(ex, p)
						}
					}
				}
			}
			t.Logf("%s %v: %d points, %d in two areas, %d in none away from the coast %v", name, tol, n, over, gap, ex)
		}
	}
}
