package geo

import (
	"cmp"
	"fmt"
	"math"
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

// partitionCheck holds what the checks of one original layer need, computed once for all
// simplification levels.
type partitionCheck struct {
	orig   []orb.MultiPolygon
	ix     *Index
	coast  *Index      // the layer's outline (unshared edges)
	shared []orb.Point // just off the midpoints of shared edges, shuffled
	chains []chain
}

func newPartitionCheck(t *testing.T, orig []orb.MultiPolygon) *partitionCheck {
	t.Helper()
	ix, err := NewIndex(orig)
	if err != nil {
		t.Fatal(err)
	}
	c := &partitionCheck{orig: orig, ix: ix, coast: coastIndex(t, orig), chains: sharedChains(orig)}
	topo := newTopology(orig)
	for k, n := range topo.uses {
		if n == 2 {
			// Just off the midpoint (about 3 cm), so that brute force does not count a
			// point on a kept edge as in both neighbours.
			c.shared = append(c.shared, orb.Point{(k[0]+k[2])/2 + 3.1e-7, (k[1]+k[3])/2 + 1.7e-7})
		}
	}
	slices.SortFunc(c.shared, func(a, b orb.Point) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	rand.New(rand.NewPCG(3, 5)).Shuffle(len(c.shared), func(i, j int) { c.shared[i], c.shared[j] = c.shared[j], c.shared[i] })
	return c
}

// check runs every check of a simplified layer:
//   - every border two areas shared before simplification is one identical sequence of
//     points in both after it (checkSharedBorders);
//   - points just off shared edges, away from the coast, lie in exactly one simplified
//     area (planar.MultiPolygonContains, brute force);
//   - random points lie in at most one simplified area, and a point deeper than margin
//     metres inside an original area lies in the same simplified area;
//   - on a lattice of about 0.004° (about 300–450 m), no point lies in two simplified
//     areas and none inside the original layer, farther than margin from its outline,
//     lies in none: no gaps, no overlaps, including between areas that do not share a
//     border (two banks of a river).
func (c *partitionCheck) check(t *testing.T, simp []orb.MultiPolygon, margin float64, samples int, digits int, step float64) {
	t.Helper()
	if len(simp) != len(c.orig) {
		t.Fatalf("%d areas simplified from %d", len(simp), len(c.orig))
	}
	checkSharedBorders(t, c.chains, simp, digits)
	checked := 0
	for _, p := range c.shared {
		if checked == samples/4 {
			break
		}
		if len(c.coast.Near(p, 3*margin)) > 0 {
			continue // near the coast a point may fall out of every simplified area
		}
		checked++
		if o := containing(simp, p); len(o) != 1 {
			t.Errorf("point %v on a shared border lies in %d simplified areas %v", p, len(o), o)
		}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	b := c.ix.Bound()
	for range samples {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		o := containing(simp, p)
		if len(o) > 1 {
			t.Errorf("point %v lies in simplified areas %v", p, o)
		}
		m := c.ix.Lookup(p, 0)
		if m.Inside && m.BoundaryDistanceM > margin && (len(o) != 1 || o[0] != m.Area) {
			t.Errorf("point %v, %.0f m inside area %d, lies in simplified %v", p, m.BoundaryDistanceM, m.Area, o)
		}
	}
	if step > 0 {
		checkTiling(t, c, simp, margin, step)
	}
}

// checkTiling tests a lattice of points (step degrees of latitude apart, the same on the
// ground east-west) with an index of the simplified layer.
func checkTiling(t *testing.T, c *partitionCheck, simp []orb.MultiPolygon, margin, step float64) {
	t.Helper()
	six, err := NewIndex(simp)
	if err != nil {
		t.Fatal(err)
	}
	b := c.ix.Bound()
	n, overlaps, gaps := 0, 0, 0
	for y := b.Min[1] + step/2; y < b.Max[1]; y += step {
		for x := b.Min[0]; x < b.Max[0]; x += step / math.Cos(y*math.Pi/180) {
			p := orb.Point{x, y}
			n++
			in := six.containing(p)
			if len(in) > 1 {
				if overlaps++; overlaps <= 5 {
					t.Errorf("point %v lies in simplified areas %v", p, in)
				}
			}
			if len(in) == 0 && c.ix.Locate(p) >= 0 && len(c.coast.Near(p, margin)) == 0 {
				if gaps++; gaps <= 5 {
					t.Errorf("point %v, inside area %d and over %.0f m from the coast, lies in no simplified area", p, c.ix.Locate(p), margin)
				}
			}
		}
	}
	if overlaps+gaps > 0 {
		t.Errorf("lattice of %d points: %d in two areas, %d in none", n, overlaps, gaps)
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
	if len(mp) == 0 { // no outline (a test layer without coast): far away
		mp = orb.MultiPolygon{{{{179, 89}, {179.5, 89}, {179, 89.5}}}}
	}
	ix, err := NewIndex([]orb.MultiPolygon{mp})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// chain is a border that areas i and j (i < j) share: a maximal run of edges that exactly
// these two use, between vertices where other edges meet, as points in i's ring
// direction; closed when it is a whole ring.
type chain struct {
	i, j   int
	pts    []orb.Point
	closed bool
}

// sharedChains finds every border shared by exactly two areas, independently of the
// arcs SimplifyLayer cuts.
func sharedChains(areas []orb.MultiPolygon) []chain {
	owners := map[edgeKey][]int{}
	degree := newTopology(areas).degree
	for i, mp := range areas {
		for _, poly := range mp {
			for _, ring := range poly {
				pts := dedupe(ring)
				for k := range pts {
					key := keyOf(pts[k], pts[(k+1)%len(pts)])
					if !slices.Contains(owners[key], i) {
						owners[key] = append(owners[key], i)
					}
				}
			}
		}
	}
	var out []chain
	for i, mp := range areas {
		for _, poly := range mp {
			for _, ring := range poly {
				pts := dedupe(ring)
				n := len(pts)
				if n < 3 {
					continue
				}
				partner := func(k int) int {
					o := owners[keyOf(pts[k%n], pts[(k+1)%n])]
					if len(o) != 2 {
						return -1
					}
					return o[0] + o[1] - i
				}
				// A border ends where the partner changes or other edges meet (a junction).
				cut := func(k int) bool { return partner((k+n-1)%n) != partner(k) || degree[pts[k%n]] > 2 }
				start := -1
				for k := range n {
					if cut(k) {
						start = k
						break
					}
				}
				if start < 0 { // the whole ring is one border (an enclave), or none
					if j := partner(0); j > i {
						s := smallest(pts)
						c := chain{i: i, j: j, closed: true}
						for k := 0; k <= n; k++ {
							c.pts = append(c.pts, pts[(s+k)%n])
						}
						out = append(out, c)
					}
					continue
				}
				for k := start; k < start+n; {
					j := partner(k)
					e := k + 1
					for e < start+n && !cut(e) {
						e++
					}
					if j > i {
						c := chain{i: i, j: j}
						for v := k; v <= e; v++ {
							c.pts = append(c.pts, pts[v%n])
						}
						out = append(out, c)
					}
					k = e
				}
			}
		}
	}
	return out
}

// walks lists the point sequences of mp's rings that run from `from` to the first `to`
// after it (the whole ring when from == to).
func walks(mp orb.MultiPolygon, from, to orb.Point) [][]orb.Point {
	var out [][]orb.Point
	for _, poly := range mp {
		for _, ring := range poly {
			pts := dedupe(ring)
			n := len(pts)
			for k, p := range pts {
				if p != from {
					continue
				}
				w := []orb.Point{p}
				for m := 1; m <= n; m++ {
					q := pts[(k+m)%n]
					w = append(w, q)
					if q == to {
						out = append(out, w)
						break
					}
				}
			}
		}
	}
	return out
}

// checkSharedBorders checks that every shared border is, after simplification, one
// identical sequence of points in both areas (in opposite directions).
func checkSharedBorders(t *testing.T, chains []chain, simp []orb.MultiPolygon, digits int) {
	t.Helper()
	bad := 0
	for _, c := range chains {
		from, to := roundPoint(c.pts[0], digits), roundPoint(c.pts[len(c.pts)-1], digits)
		if c.closed { // start the ring at any of its points that simplification kept
			for _, p := range c.pts {
				if p = roundPoint(p, digits); len(walks(simp[c.i], p, p)) > 0 {
					from, to = p, p
					break
				}
			}
		}
		wi, wj := walks(simp[c.i], from, to), walks(simp[c.j], to, from)
		if len(wi) == 0 && len(wj) == 0 {
			continue // both lost the end points to rounding: nothing to compare
		}
		ok := false
		for _, a := range wi {
			for _, b := range wj {
				b = slices.Clone(b)
				slices.Reverse(b)
				if slices.Equal(a, b) {
					ok = true
				}
			}
		}
		if !ok {
			if bad++; bad <= 5 {
				t.Errorf("the border of areas %d and %d from %v to %v (%d points) differs after simplification: %d and %d candidate walks",
					c.i, c.j, c.pts[0], c.pts[len(c.pts)-1], len(c.pts), len(wi), len(wj))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d shared borders differ", bad, len(chains))
	}
}

// zigzag is a border from (x, 0) to (x, 1) that zigzags east by up to amp degrees.
func zigzag(x, amp float64) orb.LineString {
	border := orb.LineString{{x, 0}}
	for i := 1; i < 100; i++ {
		border = append(border, orb.Point{x + amp*float64(i%2), float64(i) / 100})
	}
	return append(border, orb.Point{x, 1})
}

func reversedLine(ls orb.LineString) orb.LineString {
	out := slices.Clone(ls)
	slices.Reverse(out)
	return out
}

func TestSimplifyLayerSharedBorder(t *testing.T) {
	// Two squares whose shared border zigzags by up to 0.001° (about 70 m east-west at 52°N).
	border := zigzag(0, 0.001)
	west := orb.Ring{{-1, 0}}
	west = append(west, border...)
	west = append(west, orb.Point{-1, 1}, orb.Point{-1, 0})
	east := orb.Ring{{1, 0}, {1, 1}}
	east = append(east, reversedLine(border)...)
	east = append(east, orb.Point{1, 0})
	areas := []orb.MultiPolygon{{{west}}, {{east}}}
	c := newPartitionCheck(t, areas)
	if len(c.chains) != 1 || len(c.chains[0].pts) != 101 {
		t.Fatalf("found %d shared borders, want the zigzag", len(c.chains))
	}
	for _, tol := range []float64{0, 10, 100, 1000, 5000} {
		t.Run(fmt.Sprint(tol), func(t *testing.T) {
			simp := SimplifyLayer(areas, tol, -1)
			if n := len(simp[0][0][0]); tol >= 1000 && n > 6 {
				t.Errorf("at %v m the zigzag should go: %d points", tol, n)
			} else if tol == 0 && n != len(west) {
				t.Errorf("at 0 m: %d points, want all %d", n, len(west))
			}
			c.check(t, simp, 2*tol, 4000, -1, 0.002)
		})
	}
}

func TestSimplifyLayerRiverBanks(t *testing.T) {
	// Two areas on either bank of a zigzagging river 0.0004° wide (about 30 m at 0°N): at
	// 1000 m each bank alone would straighten across the other.
	bank := zigzag(0, 0.01)
	west := orb.Ring{{-1, 0}}
	west = append(west, bank...)
	west = append(west, orb.Point{-1, 1}, orb.Point{-1, 0})
	east := orb.Ring{{1, 0}, {1, 1}}
	east = append(east, reversedLine(bank)...)
	for i := range east[2:] {
		east[2+i][0] += 0.0004
	}
	east = append(east, orb.Point{1, 0})
	areas := []orb.MultiPolygon{{{west}}, {{east}}}
	c := newPartitionCheck(t, areas)
	for _, tol := range []float64{100, 1000, 5000} {
		t.Run(fmt.Sprint(tol), func(t *testing.T) {
			simp := SimplifyLayer(areas, tol, -1)
			c.check(t, simp, 2*tol, 2000, -1, 0.002)
			// The banks must not touch: every vertex of one lies outside the other.
			for _, p := range simp[1][0][0] {
				if planar.MultiPolygonContains(simp[0], p) {
					t.Fatalf("east bank point %v lies in the west area", p)
				}
			}
		})
	}
}

func TestSimplifyLayerIslandOffCoast(t *testing.T) {
	// A bay 0.03° deep (3.3 km, less than the tolerance), its mouth 0.02° wide, with an
	// island (its own area) in it: the shortcut across the mouth would swallow the island
	// without crossing it, and must not.
	coast := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0.51, 1}, {0.51, 0.97}, {0.5, 0.969}, {0.49, 0.97}, {0.49, 1}, {0, 1}, {0, 0}}
	island := orb.Ring{{0.497, 0.975}, {0.503, 0.975}, {0.503, 0.985}, {0.497, 0.985}, {0.497, 0.975}}
	areas := []orb.MultiPolygon{{{coast}}, {{island}}}
	simp := SimplifyLayer(areas, 5000, -1)
	for _, p := range island {
		if planar.MultiPolygonContains(simp[0], p) {
			t.Fatalf("the island's point %v lies in the simplified mainland %v", p, simp[0])
		}
	}
	if len(simp[1]) != 1 || len(simp[1][0][0]) < 4 {
		t.Errorf("the island (its area's only ring) was lost: %v", simp[1])
	}
}

func TestSimplifyLayerEnclave(t *testing.T) {
	// geo/testdata/donut-enclave.geojson: a donut with an island, an enclave filling its
	// hole, an east neighbour; at 500 km the hole and the enclave must stay identical.
	areas := fixture(t, "donut-enclave")
	c := newPartitionCheck(t, areas)
	if len(c.chains) != 2 {
		t.Fatalf("%d shared borders, want 2 (the hole, the east edge)", len(c.chains))
	}
	for _, tol := range []float64{0, 1000, 100000} {
		simp := SimplifyLayer(areas, tol, 6)
		checkSharedBorders(t, c.chains, simp, 6)
		if len(simp[0]) != 2 || len(simp[0][0]) != 2 {
			t.Errorf("%v m: the donut lost its island or its hole: %v", tol, simp[0])
		}
		if got := planar.Area(simp[1]); math.Abs(got-16) > 1e-9 {
			t.Errorf("%v m: the enclave's area is %v, want 16", tol, got)
		}
	}
	// At 500 km the 4° (445 km) enclave would collapse to a line: it and the hole become
	// the same triangle or more, never fewer than four points.
	simp := SimplifyLayer(areas, 500000, 6)
	checkSharedBorders(t, c.chains, simp, 6)
	if len(simp[0][0]) != 2 || len(simp[0][0][1]) < 4 || len(simp[1][0][0]) < 4 {
		t.Errorf("500 km: hole %v, enclave %v", simp[0][0][1:], simp[1])
	}
}

func TestSimplifyLayerKeepsEveryArea(t *testing.T) {
	tiny := orb.MultiPolygon{{{{0, 0}, {1e-5, 0}, {1e-5, 1e-5}, {0, 1e-5}, {0, 0}}}}
	big := orb.MultiPolygon{
		{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}},
		{{{3, 0}, {3.00001, 0}, {3.00001, 0.00001}, {3, 0}}},       // an islet, dropped
		{{{4, 0}, {4.005, 0}, {4.005, 0.005}, {4, 0.005}, {4, 0}}}, // 550 m square: dropped at 2000 m, kept at 500 m
		{ // with an 11 m pond
			{{5, 0}, {5.1, 0}, {5.1, 0.1}, {5, 0.1}, {5, 0}},
			{{5.05, 0.05}, {5.0501, 0.05}, {5.0501, 0.0501}, {5.05, 0.05}},
		},
	}
	for _, tc := range []struct {
		tol      float64
		polygons int
		pond     bool
	}{{0, 4, true}, {500, 3, false}, {2000, 2, false}} {
		simp := SimplifyLayer([]orb.MultiPolygon{tiny, big}, tc.tol, 6)
		if len(simp[0]) != 1 || len(simp[0][0][0]) != 5 {
			t.Errorf("%v m: tiny area %v, want it kept whole", tc.tol, simp[0])
		}
		if len(simp[1]) != tc.polygons {
			t.Errorf("%v m: big area has %d polygons, want %d", tc.tol, len(simp[1]), tc.polygons)
		}
		if pond := len(simp[1][len(simp[1])-1]) == 2; pond != tc.pond {
			t.Errorf("%v m: pond kept %v, want %v", tc.tol, pond, tc.pond)
		}
	}
}

func TestSegmentsConflict(t *testing.T) {
	p := func(x, y float64) orb.Point { return orb.Point{x, y} }
	tests := []struct {
		name       string
		a, b, c, d orb.Point
		want       bool
	}{
		{"crossing", p(0, 0), p(2, 2), p(0, 2), p(2, 0), true},
		{"apart", p(0, 0), p(1, 0), p(0, 1), p(1, 1), false},
		{"common end point", p(0, 0), p(1, 0), p(1, 0), p(2, 1), false},
		{"common end point, folding back", p(0, 0), p(2, 0), p(2, 0), p(1, 0), true},
		{"common end point, straight on", p(0, 0), p(1, 0), p(1, 0), p(2, 0), false},
		{"identical", p(0, 0), p(1, 1), p(1, 1), p(0, 0), true},
		{"end point on the other", p(0, 0), p(2, 0), p(1, 0), p(1, 1), true},
		{"collinear overlap", p(0, 0), p(2, 0), p(1, 0), p(3, 0), true},
		{"collinear apart", p(0, 0), p(1, 0), p(2, 0), p(3, 0), false},
	}
	for _, tt := range tests {
		if got := segmentsConflict(tt.a, tt.b, tt.c, tt.d); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
		if got := segmentsConflict(tt.c, tt.d, tt.a, tt.b); got != tt.want {
			t.Errorf("%s, swapped: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// simplifyLevels are the levels directory.SimplifyLevels serves (0 only rounds).
var simplifyLevels = []float64{0, 50, 100, 250, 500, 1000, 2500}

// TestSimplifyRealLayers checks every simplification level the API serves on real layers:
// shared borders identical, no gaps and no overlaps (see partitionCheck.check).
func TestSimplifyRealLayers(t *testing.T) {
	for _, name := range []string{"2021/cancer-alliances", "2023/icb", "2023/nhs-regions", "2018/ccg"} {
		l := realLayer(t, name)
		c := newPartitionCheck(t, l.areas)
		t.Logf("%s: %d shared borders", name, len(c.chains))
		for _, tol := range simplifyLevels {
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
				c.check(t, simp, 2*tol+2, 1000, 5, 0.006)
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

// BenchmarkSimplifyLayer: the 2023 ICB layer (23,809 vertices) at two levels, as the API
// computes it once per snapshot: go test ./geo/ -run XXX -bench SimplifyLayer
func BenchmarkSimplifyLayer(b *testing.B) {
	l := realLayer(b, "2023/icb")
	for _, tol := range []float64{50, 1000} {
		b.Run(fmt.Sprint(tol), func(b *testing.B) {
			for b.Loop() {
				SimplifyLayer(l.areas, tol, 5)
			}
		})
	}
}

// BenchmarkOverlapShares: the 106 sub-ICBs of 2023 in the 42 ICBs, 2,000 points each.
func BenchmarkOverlapShares(b *testing.B) {
	fine, err := NewIndex(realLayer(b, "2023/sub-icb").areas)
	if err != nil {
		b.Fatal(err)
	}
	coarse, err := NewIndex(realLayer(b, "2023/icb").areas)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		OverlapShares(fine, coarse, 2000)
	}
}
