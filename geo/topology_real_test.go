package geo

import (
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// TestRealBordersShareVertices checks what Neighbours and SimplifyLayer rely on: in every
// real layer, neighbours share their common borders vertex for vertex (bit-identical
// coordinates), so an edge that only one area uses is on the layer's outline (the coast or
// the border with Scotland and Wales), never beside another area.
func TestRealBordersShareVertices(t *testing.T) {
	for _, l := range realLayers(t) {
		t.Run(l.name, func(t *testing.T) {
			ix, err := NewIndex(l.areas)
			if err != nil {
				t.Fatal(err)
			}
			owner := map[edgeKey][]int{}
			for i, mp := range l.areas {
				for _, poly := range mp {
					for _, ring := range poly {
						for j := 0; j+1 < len(ring); j++ {
							if ring[j] != ring[j+1] {
								k := keyOf(ring[j], ring[j+1])
								owner[k] = append(owner[k], i)
							}
						}
					}
				}
			}
			var sharedM, outlineM, besideM float64
			beside := 0
			for k, areas := range owner {
				a, b := orb.Point{k[0], k[1]}, orb.Point{k[2], k[3]}
				m := orbgeo.Distance(a, b)
				if len(areas) > 1 {
					sharedM += m
					continue
				}
				outlineM += m
				mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
				for _, h := range ix.Near(mid, 1) {
					if h.Area != areas[0] {
						besideM += m
						beside++
						if beside <= 3 {
							t.Errorf("edge %v–%v of area %d is within 1 m of area %d but not shared", a, b, areas[0], h.Area)
						}
						break
					}
				}
			}
			t.Logf("%d edges: shared borders %.0f km, outline %.0f km, unshared beside a neighbour %.3f km (%d edges)",
				len(owner), sharedM/1000, outlineM/1000, besideM/1000, beside)
		})
	}
}
