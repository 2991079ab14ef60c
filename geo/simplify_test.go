package geo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// containing lists the areas of a layer containing p, by brute force.
func containing(areas []orb.MultiPolygon, p orb.Point) []int {
	var out []int
	for i, mp := range areas {
		if planar.MultiPolygonContains(mp, p) {
			out = append(out, i)
		}
	}
	return out
}

// checkPartition samples points over the layer: none may lie in two simplified areas, and a
// point deeper than margin metres inside an original area must lie in the same simplified
// area. Around shared borders it samples the midpoints of shared edges, where a border
// simplified differently on each side would leave a sliver of gap or overlap.
func checkPartition(t *testing.T, orig, simp []orb.MultiPolygon, margin float64, samples int) {
	t.Helper()
	ix, err := NewIndex(orig)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	b := ix.Bound()
	var pts []orb.Point
	for range samples {
		pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	topo := newTopology(orig)
	var shared []orb.Point
	for k, n := range topo.uses {
		if n == 2 {
			// Just off the midpoint (about 3 cm), so that brute force does not count a
			// point on a kept edge as in both neighbours.
			shared = append(shared, orb.Point{(k[0]+k[2])/2 + 3.1e-7, (k[1]+k[3])/2 + 1.7e-7})
		}
	}
	rng.Shuffle(len(shared), func(i, j int) { shared[i], shared[j] = shared[j], shared[i] })
	coast := coastIndex(t, orig)
	checked := 0
	for _, p := range shared {
		if checked == samples/4 {
			break
		}
		if len(coast.Near(p, 3*margin)) > 0 {
			continue // near the coast a point may fall out of every simplified area
		}
		checked++
		if o := containing(simp, p); len(o) != 1 {
			t.Errorf("point %v on a shared border lies in %d simplified areas %v", p, len(o), o)
		}
	}
	for _, p := range pts {
		o := containing(simp, p)
		if len(o) > 1 {
			t.Errorf("point %v lies in simplified areas %v", p, o)
		}
		m := ix.Lookup(p, 0)
		if m.Inside && m.BoundaryDistanceM > margin && (len(o) != 1 || o[0] != m.Area) {
			t.Errorf("point %v, %.0f m inside area %d, lies in simplified %v", p, m.BoundaryDistanceM, m.Area, o)
		}
	}
}

// coastIndex indexes the layer's unshared edges (its outline) as thin areas, so that Near
// tells how far a point is from the outline.
func coastIndex(t *testing.T, areas []orb.MultiPolygon) *Index {
	t.Helper()
	topo := newTopology(areas)
	var mp orb.MultiPolygon
	for k, n := range topo.uses {
		if n == 1 {
			a, b := orb.Point{k[0], k[1]}, orb.Point{k[2], k[3]}
			mp = append(mp, orb.Polygon{{a, b, a, a}})
		}
	}
	ix, err := NewIndex([]orb.MultiPolygon{mp})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestSimplifyLayerSharedBorder(t *testing.T) {
	// Two squares whose shared border zigzags by up to 0.001° (about 70 m east-west at 52°N).
	border := orb.LineString{{0, 0}}
	for i := 1; i < 100; i++ {
		border = append(border, orb.Point{0.001 * float64(i%2), float64(i) / 100})
	}
	border = append(border, orb.Point{0, 1})
	west := orb.Ring{{-1, 0}}
	west = append(west, border...)
	west = append(west, orb.Point{-1, 1}, orb.Point{-1, 0})
	east := orb.Ring{{1, 0}, {1, 1}}
	back := slices.Clone(border)
	slices.Reverse(back)
	east = append(east, back...)
	east = append(east, orb.Point{1, 0})
	areas := []orb.MultiPolygon{{{west}}, {{east}}}
	for _, tol := range []float64{10, 100, 1000, 5000} {
		t.Run(fmt.Sprint(tol), func(t *testing.T) {
			simp := SimplifyLayer(areas, tol, -1)
			if tol >= 1000 && len(simp[0][0][0]) > 6 {
				t.Errorf("at %v m the zigzag should go: %d points", tol, len(simp[0][0][0]))
			}
			checkPartition(t, areas, simp, 2*tol, 4000)
		})
	}
}

func TestSimplifyLayerKeepsEveryArea(t *testing.T) {
	tiny := orb.MultiPolygon{{{{0, 0}, {1e-5, 0}, {1e-5, 1e-5}, {0, 1e-5}, {0, 0}}}}
	big := orb.MultiPolygon{
		{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}},
		{{{3, 0}, {3.00001, 0}, {3.00001, 0.00001}, {3, 0}}}, // an islet, dropped
	}
	simp := SimplifyLayer([]orb.MultiPolygon{tiny, big}, 1000, 6)
	if len(simp[0]) != 1 || len(simp[0][0][0]) != 5 {
		t.Errorf("tiny area: %v, want it kept whole", simp[0])
	}
	if len(simp[1]) != 1 {
		t.Errorf("big area: %d polygons, want the islet dropped", len(simp[1]))
	}
}

// TestSimplifyRealLayers checks every simplification level the API serves on real layers.
func TestSimplifyRealLayers(t *testing.T) {
	for _, name := range []string{"2021/cancer-alliances", "2023/icb", "2023/nhs-regions"} {
		l := realLayer(t, name)
		// The levels directory.SimplifyLevels serves (0 only rounds to 5 decimals).
		for _, tol := range []float64{0, 50, 100, 250, 500, 1000, 2500} {
			t.Run(fmt.Sprintf("%s/%v", name, tol), func(t *testing.T) {
				simp := SimplifyLayer(l.areas, tol, 5)
				before, after := 0, 0
				for i := range l.areas {
					before += vertices(l.areas[i])
					after += vertices(simp[i])
				}
				t.Logf("%d → %d vertices", before, after)
				if tol > 0 && after >= before {
					t.Errorf("no simplification: %d → %d", before, after)
				}
				checkPartition(t, l.areas, simp, 2*tol+2, 2000)
			})
		}
	}
}

func vertices(mp orb.MultiPolygon) int {
	n := 0
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}
