package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// fixture reads testdata/<name>.geojson as a layer.
func fixture(t *testing.T, name string) []orb.MultiPolygon {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".geojson"))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		t.Fatal(err)
	}
	var out []orb.MultiPolygon
	for _, f := range fc.Features {
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			out = append(out, orb.MultiPolygon{g})
		case orb.MultiPolygon:
			out = append(out, g)
		default:
			t.Fatalf("%s: unexpected geometry %T", name, g)
		}
	}
	return out
}

func mustIndex(tb testing.TB, areas []orb.MultiPolygon) *Index {
	tb.Helper()
	ix, err := NewIndex(areas)
	if err != nil {
		tb.Fatal(err)
	}
	ix.ListDeepEdges() // every test answers from deep blocks where it can
	return ix
}

// rect is a closed counter-clockwise rectangle.
func rect(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// owners lists the areas whose crossing-number test (the rule itself, over all of the
// area's edges, without the grid) holds p.
func owners(ix *Index, p orb.Point) []int {
	var out []int
	for a := range ix.areas {
		if ruleContains(ix, a, p[0], p[1]) {
			out = append(out, a)
		}
	}
	return out
}

// ruleContains is the crossing-number test of area a over all of its edges.
func ruleContains(ix *Index, a int, x, y float64) bool {
	in := false
	for _, e := range ix.edges[ix.areas[a].e0:ix.areas[a].e1] {
		if e.y0 == e.y1 {
			continue
		}
		if ce := newCrossEdge(e); ce.crosses(x, y) {
			in = !in
		}
	}
	return in
}

// ruleLocate is Locate by brute force over the areas: the lowest index owning p.
func ruleLocate(ix *Index, p orb.Point) int {
	if o := owners(ix, p); len(o) > 0 {
		return o[0]
	}
	return -1
}

type locCase struct {
	name string
	p    orb.Point
	want int
}

func runLocate(t *testing.T, ix *Index, cases []locCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ix.Locate(c.p); got != c.want {
				t.Errorf("Locate(%v) = %d, want %d", c.p, got, c.want)
			}
			if o := owners(ix, c.p); len(o) > 1 {
				t.Errorf("%v has %d owners %v", c.p, len(o), o)
			}
		})
	}
}

func TestLocateTwoSquaresVerticalEdge(t *testing.T) {
	// West [0,1]x[0,1] (area 0), East [1,2]x[0,1] (area 1), East given clockwise and unclosed.
	ix := mustIndex(t, []orb.MultiPolygon{
		{rect(0, 0, 1, 1)},
		{{{{1, 0}, {1, 1}, {2, 1}, {2, 0}}}},
	})
	runLocate(t, ix, []locCase{
		{"west interior", orb.Point{0.5, 0.5}, 0},
		{"east interior", orb.Point{1.5, 0.5}, 1},
		{"on shared vertical edge goes east", orb.Point{1, 0.5}, 1},
		{"bottom shared vertex goes north-east", orb.Point{1, 0}, 1},
		{"top shared vertex is outside (north)", orb.Point{1, 1}, -1},
		{"west outer edge goes east (inside)", orb.Point{0, 0.5}, 0},
		{"east outer edge goes east (outside)", orb.Point{2, 0.5}, -1},
		{"south outer edge goes north (inside)", orb.Point{0.5, 0}, 0},
		{"north outer edge goes north (outside)", orb.Point{0.5, 1}, -1},
		{"south-west corner", orb.Point{0, 0}, 0},
		{"south-east corner", orb.Point{2, 0}, -1},
		{"just west of shared edge", orb.Point{math.Nextafter(1, 0), 0.5}, 0},
		{"just east of shared edge", orb.Point{math.Nextafter(1, 2), 0.5}, 1},
		{"outside bbox", orb.Point{3, 0.5}, -1},
		{"NaN", orb.Point{math.NaN(), 0.5}, -1},
	})
}

func TestLocateTwoSquaresHorizontalEdge(t *testing.T) {
	// South [0,1]x[0,1] (area 0), North [0,1]x[1,2] (area 1).
	ix := mustIndex(t, []orb.MultiPolygon{{rect(0, 0, 1, 1)}, {rect(0, 1, 1, 2)}})
	runLocate(t, ix, []locCase{
		{"on shared horizontal edge goes north", orb.Point{0.5, 1}, 1},
		{"west end of shared edge goes north-east", orb.Point{0, 1}, 1},
		{"east end of shared edge is outside (east)", orb.Point{1, 1}, -1},
		{"just south of shared edge", orb.Point{0.5, math.Nextafter(1, 0)}, 0},
		{"just north of shared edge", orb.Point{0.5, math.Nextafter(1, 2)}, 1},
	})
}

func TestLocateFourSquares(t *testing.T) {
	// SW, SE, NW, NE meeting at (1,1), in mixed orientations (testdata/four-squares.geojson).
	ix := mustIndex(t, fixture(t, "four-squares"))
	runLocate(t, ix, []locCase{
		{"corner where four meet goes to NE", orb.Point{1, 1}, 3},
		{"SW/SE edge", orb.Point{1, 0.5}, 1},
		{"NW/NE edge", orb.Point{1, 1.5}, 3},
		{"SW/NW edge", orb.Point{0.5, 1}, 2},
		{"SE/NE edge", orb.Point{1.5, 1}, 3},
		{"bottom of SW/SE edge", orb.Point{1, 0}, 1},
		{"west end of SW/NW edge", orb.Point{0, 1}, 2},
		{"east end of SE/NE edge", orb.Point{2, 1}, -1},
		{"top of NW/NE edge", orb.Point{1, 2}, -1},
		{"SW interior", orb.Point{0.25, 0.25}, 0},
		{"NE interior", orb.Point{1.75, 1.75}, 3},
	})
}

func TestLocateDonutEnclaveIsland(t *testing.T) {
	// Area 0: [0,10]² with hole [3,7]², plus island [12,14]x[0,2]; area 1: the enclave
	// [3,7]² filling the hole; area 2: east neighbour [10,11]x[0,10].
	ix := mustIndex(t, fixture(t, "donut-enclave"))
	runLocate(t, ix, []locCase{
		{"donut", orb.Point{1, 1}, 0},
		{"enclave, not the donut", orb.Point{5, 5}, 1},
		{"island", orb.Point{13, 1}, 0},
		{"sea between neighbour and island", orb.Point{11.5, 1}, -1},
		{"enclave west edge goes east (enclave)", orb.Point{3, 5}, 1},
		{"enclave east edge goes east (donut)", orb.Point{7, 5}, 0},
		{"enclave south edge goes north (enclave)", orb.Point{5, 3}, 1},
		{"enclave north edge goes north (donut)", orb.Point{5, 7}, 0},
		{"enclave SW corner", orb.Point{3, 3}, 1},
		{"enclave NW corner", orb.Point{3, 7}, 0},
		{"enclave SE corner", orb.Point{7, 3}, 0},
		{"enclave NE corner", orb.Point{7, 7}, 0},
		{"donut/neighbour edge goes east", orb.Point{10, 5}, 2},
		{"bottom of donut/neighbour edge", orb.Point{10, 0}, 2},
		{"top of donut/neighbour edge", orb.Point{10, 10}, -1},
		{"neighbour east edge", orb.Point{11, 5}, -1},
		{"island west edge", orb.Point{12, 1}, 0},
		{"island east edge", orb.Point{14, 1}, -1},
		{"just west of donut", orb.Point{math.Nextafter(0, -1), 5}, -1},
		{"below bbox", orb.Point{5, -1}, -1},
	})
}

func TestLocateDegenerateAndUnclosedRings(t *testing.T) {
	closed := mustIndex(t, []orb.MultiPolygon{{rect(0, 0, 1, 1)}})
	messy := mustIndex(t, []orb.MultiPolygon{{{{{0, 0}, {0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 1}}}}})
	for _, x := range []float64{-0.5, 0, 0.25, 0.5, 1, 1.5} {
		for _, y := range []float64{-0.5, 0, 0.25, 0.5, 1, 1.5} {
			p := orb.Point{x, y}
			if a, b := closed.Locate(p), messy.Locate(p); a != b {
				t.Errorf("%v: closed ring %d, unclosed ring with repeated vertices %d", p, a, b)
			}
		}
	}
}

// tiling builds an n x n tiling of jittered quads at England-like coordinates, some
// split diagonally into two triangles; rows with even j keep exact horizontal edges.
// Every interior edge is shared with bit-identical vertices.
func tiling(rng *rand.Rand, n int) (areas []orb.MultiPolygon, inner orb.Bound) {
	x0, y0, s := -2.123456789, 51.0987654321, 0.0731
	v := make([][]orb.Point, n+1)
	for i := range v {
		v[i] = make([]orb.Point, n+1)
		for j := range v[i] {
			dx, dy := (rng.Float64()-0.5)*s/3, (rng.Float64()-0.5)*s/3
			if j%2 == 0 {
				dy = 0
			}
			if i == 0 || i == n || j == 0 || j == n {
				dx, dy = 0, 0
			}
			v[i][j] = orb.Point{x0 + float64(i)*s + dx, y0 + float64(j)*s + dy}
		}
	}
	for i := range n {
		for j := range n {
			a, b, c, d := v[i][j], v[i+1][j], v[i+1][j+1], v[i][j+1]
			if (i+j)%3 == 0 {
				areas = append(areas, orb.MultiPolygon{{{a, b, c, a}}}, orb.MultiPolygon{{{a, c, d}}})
			} else {
				areas = append(areas, orb.MultiPolygon{{{a, b, c, d, a}}})
			}
		}
	}
	inner = orb.Bound{Min: orb.Point{x0 + 1e-6, y0 + 1e-6}, Max: orb.Point{x0 + float64(n)*s - 1e-6, y0 + float64(n)*s - 1e-6}}
	return areas, inner
}

// TestSharedEdgesOneOwner: on a tiling, every point inside the tiling (random, on edges,
// at vertices, on grid lines) has exactly one owner, and Locate returns it, whatever the
// grid resolution.
func TestSharedEdgesOneOwner(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	areas, inner := tiling(rng, 12)
	var pts []orb.Point
	for range 3000 {
		pts = append(pts, orb.Point{
			inner.Min[0] + rng.Float64()*(inner.Max[0]-inner.Min[0]),
			inner.Min[1] + rng.Float64()*(inner.Max[1]-inner.Min[1])})
	}
	for _, mp := range areas {
		r := mp[0][0]
		for k := range r {
			a, b := r[k], r[(k+1)%len(r)]
			f := rng.Float64()
			pts = append(pts, a, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])},
				orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
		}
	}
	for _, prm := range []params{
		defaultParams,
		{cellsPerEdge: 0, minCells: 1, maxCells: 1},         // one cell
		{cellsPerEdge: 100, minCells: 1, maxCells: 1 << 20}, // fine grid
	} {
		t.Run(fmt.Sprintf("%+v", prm), func(t *testing.T) {
			ix, err := build(areas, prm)
			if err != nil {
				t.Fatal(err)
			}
			ps := pts
			// Points exactly on grid lines and grid vertices.
			for i := 0; i <= ix.nx; i += max(1, ix.nx/40) {
				for j := 0; j <= ix.ny; j += max(1, ix.ny/40) {
					ps = append(ps, orb.Point{ix.gx0 + float64(i)*ix.cw, ix.gy0 + float64(j)*ix.ch})
				}
			}
			for _, p := range ps {
				if !inner.Contains(p) {
					continue
				}
				o := owners(ix, p)
				if len(o) != 1 {
					t.Fatalf("%v has %d owners %v", p, len(o), o)
				}
				if got := ix.Locate(p); got != o[0] {
					t.Fatalf("Locate(%v) = %d, owner %d", p, got, o[0])
				}
			}
		})
	}
}

// TestLocateMatchesRule: the grid never changes the answer of the crossing test, on
// points over and around each fixture, including the outer boundary.
func TestLocateMatchesRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tl, _ := tiling(rng, 6)
	layers := map[string][]orb.MultiPolygon{
		"four-squares":  fixture(t, "four-squares"),
		"donut-enclave": fixture(t, "donut-enclave"),
		"tiling":        tl,
	}
	for name, areas := range layers {
		t.Run(name, func(t *testing.T) {
			ix := mustIndex(t, areas)
			b := ix.Bound()
			w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
			var ps []orb.Point
			for range 5000 {
				ps = append(ps, orb.Point{b.Min[0] - w/10 + rng.Float64()*w*1.2, b.Min[1] - h/10 + rng.Float64()*h*1.2})
			}
			for _, mp := range areas {
				for _, poly := range mp {
					for _, r := range poly {
						ps = append(ps, r...)
					}
				}
			}
			for i := 0; i <= ix.nx; i++ {
				for j := 0; j <= ix.ny; j += 7 {
					ps = append(ps, orb.Point{ix.gx0 + float64(i)*ix.cw, ix.gy0 + float64(j)*ix.ch})
				}
			}
			for _, p := range ps {
				if got, want := ix.Locate(p), ruleLocate(ix, p); got != want {
					t.Fatalf("Locate(%v) = %d, crossing test %d", p, got, want)
				}
			}
		})
	}
}

// analyticEastM is the distance along a parallel at lat of dLon degrees (small dLon).
func analyticEastM(dLon, lat float64) float64 {
	return EarthRadiusM * dLon * math.Pi / 180 * math.Cos(lat*math.Pi/180)
}

func within(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

func TestLookupNearestFallback(t *testing.T) {
	// One square at English latitudes: lon [0,1], lat [50,51].
	ix := mustIndex(t, []orb.MultiPolygon{{rect(0, 50, 1, 51)}})
	cases := []struct {
		name     string
		p        orb.Point
		limit    float64
		wantArea int
		inside   bool
		wantM    float64 // analytic distance (or boundary distance when inside)
	}{
		{"east of the coast", orb.Point{1.01, 50.5}, 2000, 0, false, analyticEastM(0.01, 50.5)},
		{"north of the coast", orb.Point{0.5, 51.005}, 2000, 0, false, 0.005 * MetresPerDegree},
		{"off the corner", orb.Point{1.01, 51.01}, 2000, 0, false,
			math.Hypot(analyticEastM(0.01, 51.005), 0.01*MetresPerDegree)},
		{"west, outside the bbox", orb.Point{-0.02, 50.5}, 2000, 0, false, analyticEastM(0.02, 50.5)},
		{"beyond the limit", orb.Point{1.01, 50.5}, 500, -1, false, 0},
		{"far west", orb.Point{-0.05, 50.5}, 2000, -1, false, 0},
		{"fallback disabled", orb.Point{1.01, 50.5}, 0, -1, false, 0},
		{"inside, 35 km from the east edge", orb.Point{0.5, 50.5}, 2000, 0, true, analyticEastM(0.5, 50.5)},
		{"inside, near the south edge", orb.Point{0.3, 50.001}, 2000, 0, true, 0.001 * MetresPerDegree},
		{"on the south edge (inside by the rule)", orb.Point{0.3, 50}, 2000, 0, true, 0},
		{"on the east edge (outside by the rule)", orb.Point{1, 50.5}, 2000, 0, false, 0},
		{"NaN", orb.Point{math.NaN(), 50.5}, 2000, -1, false, 0},
		{"latitude out of range", orb.Point{0.5, 95}, 2000, -1, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := ix.Lookup(c.p, c.limit)
			if m.Area != c.wantArea || m.Inside != c.inside {
				t.Fatalf("Lookup(%v, %v) = %+v, want area %d inside %v", c.p, c.limit, m, c.wantArea, c.inside)
			}
			switch {
			case m.Area < 0:
				if m.DistanceM != 0 || m.BoundaryDistanceM != 0 {
					t.Errorf("no area but distances %+v", m)
				}
			case m.Inside:
				if m.DistanceM != 0 || !within(m.BoundaryDistanceM, c.wantM, 0.005) {
					t.Errorf("Lookup(%v) = %+v, want boundary distance %.2f m", c.p, m, c.wantM)
				}
			default:
				if !within(m.DistanceM, c.wantM, 0.005) || m.BoundaryDistanceM != m.DistanceM {
					t.Errorf("Lookup(%v) = %+v, want distance %.2f m", c.p, m, c.wantM)
				}
			}
		})
	}
}

func TestLookupDonut(t *testing.T) {
	ix := mustIndex(t, fixture(t, "donut-enclave"))
	cases := []struct {
		name     string
		p        orb.Point
		limit    float64
		wantArea int
		inside   bool
		wantM    float64
	}{
		{"donut, nearest boundary is its outer ring", orb.Point{1, 5}, 0, 0, true, analyticEastM(1, 5)},
		{"donut, nearest boundary is its hole", orb.Point{2.5, 5}, 0, 0, true, analyticEastM(0.5, 5)},
		{"enclave centre", orb.Point{5, 5}, 0, 1, true, analyticEastM(2, 5)},
		{"island", orb.Point{13, 1.5}, 0, 0, true, 0.5 * MetresPerDegree},
		{"sea nearer the island", orb.Point{11.6, 1}, 50000, 0, false, analyticEastM(0.4, 1)},
		{"sea nearer the neighbour", orb.Point{11.3, 1}, 50000, 2, false, analyticEastM(0.3, 1)},
		{"sea, equidistant: lowest index", orb.Point{11.5, 1}, 60000, 0, false, analyticEastM(0.5, 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := ix.Lookup(c.p, c.limit)
			if m.Area != c.wantArea || m.Inside != c.inside {
				t.Fatalf("Lookup(%v, %v) = %+v, want area %d inside %v", c.p, c.limit, m, c.wantArea, c.inside)
			}
			if !within(m.BoundaryDistanceM, c.wantM, 0.005) {
				t.Errorf("Lookup(%v) = %+v, want boundary distance %.1f m", c.p, m, c.wantM)
			}
		})
	}
}

func TestNear(t *testing.T) {
	ix := mustIndex(t, fixture(t, "donut-enclave"))
	cases := []struct {
		name   string
		p      orb.Point
		within float64
		want   []Hit // distances compared to 0.5 %
	}{
		{"inside the neighbour, near the donut", orb.Point{10.001, 5}, 1000,
			[]Hit{{2, 0}, {0, analyticEastM(0.001, 5)}}},
		{"inside the enclave near its corner", orb.Point{3.002, 3.001}, 1000,
			[]Hit{{1, 0}, {0, 0.001 * MetresPerDegree}}},
		{"sea between neighbour and island", orb.Point{11.6, 1}, 70000,
			[]Hit{{0, analyticEastM(0.4, 1)}, {2, analyticEastM(0.6, 1)}}},
		{"sea, nothing near", orb.Point{11.6, 1}, 1000, nil},
		{"deep inside, nothing else near", orb.Point{1, 5}, 1000, []Hit{{0, 0}}},
		{"invalid point", orb.Point{math.Inf(1), 5}, 1000, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ix.Near(c.p, c.within)
			if len(got) != len(c.want) {
				t.Fatalf("Near(%v, %v) = %v, want %v", c.p, c.within, got, c.want)
			}
			for i := range got {
				if got[i].Area != c.want[i].Area || !within(got[i].DistanceM, c.want[i].DistanceM, 0.005) {
					t.Errorf("Near(%v, %v) = %v, want %v", c.p, c.within, got, c.want)
				}
			}
		})
	}
}

func TestIslands(t *testing.T) {
	// Area 0: mainland plus two islands; area 1: a separate block to the east.
	ix := mustIndex(t, []orb.MultiPolygon{
		{rect(-2, 53, -1.9, 53.1), rect(-1.85, 53, -1.84, 53.01), rect(-1.83, 53.05, -1.82, 53.06)},
		{rect(-1.7, 53, -1.6, 53.1)},
	})
	runLocate(t, ix, []locCase{
		{"mainland", orb.Point{-1.95, 53.05}, 0},
		{"first island", orb.Point{-1.845, 53.005}, 0},
		{"second island", orb.Point{-1.825, 53.055}, 0},
		{"sea between islands", orb.Point{-1.835, 53.03}, -1},
		{"other area", orb.Point{-1.65, 53.05}, 1},
	})
	// From the sea the nearest piece of area 0 is the second island, 0.0025° of latitude north.
	m := ix.Lookup(orb.Point{-1.825, 53.0475}, 2000)
	if m.Area != 0 || m.Inside || !within(m.DistanceM, 0.0025*MetresPerDegree, 0.005) {
		t.Errorf("Lookup near second island = %+v", m)
	}
	if hits := ix.Near(orb.Point{-1.825, 53.0475}, 2000); len(hits) != 1 || hits[0].Area != 0 {
		t.Errorf("Near = %v, want area 0 once", hits)
	}
}

func TestNewIndexErrors(t *testing.T) {
	sq := orb.MultiPolygon{rect(0, 0, 1, 1)}
	cases := []struct {
		name  string
		areas []orb.MultiPolygon
	}{
		{"nil", nil},
		{"empty slice", []orb.MultiPolygon{}},
		{"empty multipolygon", []orb.MultiPolygon{sq, {}}},
		{"empty ring", []orb.MultiPolygon{{{{}}}}},
		{"single repeated point", []orb.MultiPolygon{{{{{1, 1}, {1, 1}, {1, 1}}}}}},
		{"NaN", []orb.MultiPolygon{{{{{0, 0}, {1, math.NaN()}, {1, 1}}}}}},
		{"Inf", []orb.MultiPolygon{{{{{0, 0}, {math.Inf(-1), 0}, {1, 1}}}}}},
		{"longitude 181", []orb.MultiPolygon{{{{{0, 0}, {181, 0}, {1, 1}}}}}},
		{"latitude -91", []orb.MultiPolygon{{{{{0, 0}, {1, -91}, {1, 1}}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if ix, err := NewIndex(c.areas); err == nil {
				t.Errorf("NewIndex succeeded with %d areas", ix.Len())
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		ix, err := NewIndex([]orb.MultiPolygon{sq, {rect(-180, -90, -179, -89)}})
		if err != nil {
			t.Fatal(err)
		}
		if ix.Len() != 2 || ix.Bound() != (orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{1, 1}}) {
			t.Errorf("Len %d Bound %v", ix.Len(), ix.Bound())
		}
	})
}

func TestDistanceM(t *testing.T) {
	cases := []struct {
		name      string
		a, b      orb.Point
		want, tol float64 // tol: relative
	}{
		{"same point", orb.Point{-1.5, 52}, orb.Point{-1.5, 52}, 0, 0},
		{"one degree on the equator", orb.Point{0, 0}, orb.Point{1, 0}, 111195.08, 1e-7},
		{"one degree of latitude", orb.Point{-2, 52}, orb.Point{-2, 53}, 111195.08, 1e-7},
		{"pole to pole", orb.Point{0, -90}, orb.Point{0, 90}, math.Pi * EarthRadiusM, 1e-12},
		{"antipodes on the equator", orb.Point{0, 0}, orb.Point{180, 0}, math.Pi * EarthRadiusM, 1e-12},
		{"London to Paris", orb.Point{-0.1276, 51.5072}, orb.Point{2.3522, 48.8566}, 343_530, 1e-5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := DistanceM(c.a, c.b)
			if math.Abs(got-c.want) > c.tol*c.want+1e-6 {
				t.Errorf("DistanceM = %.3f, want %.3f", got, c.want)
			}
			if back := DistanceM(c.b, c.a); math.Abs(back-got) > 1e-6 {
				t.Errorf("not symmetric: %.6f vs %.6f", got, back)
			}
		})
	}
	if MetresPerDegree < 111195.07 || MetresPerDegree > 111195.09 {
		t.Errorf("MetresPerDegree = %v", MetresPerDegree)
	}
}

// TestDistanceFromProjection: a search measures haversine distances with the cosine its
// projection holds; they must be DistanceM's to the last bit, or the deep lists, the ring
// search and callers of DistanceM could disagree.
func TestDistanceFromProjection(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 10000 {
		a := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		b := orb.Point{a[0] + rng.NormFloat64(), max(-90, min(90, a[1]+rng.NormFloat64()))}
		pr := newProj(a)
		if got, want := distanceFrom(a, pr.cosLat, b), DistanceM(a, b); got != want {
			t.Fatalf("%v to %v: %v from the projection, DistanceM %v", a, b, got, want)
		}
	}
}

func TestValidLonLat(t *testing.T) {
	cases := []struct {
		p  orb.Point
		ok bool
	}{
		{orb.Point{-1.5, 52}, true},
		{orb.Point{180, 90}, true},
		{orb.Point{-180, -90}, true},
		{orb.Point{180.0001, 0}, false},
		{orb.Point{0, -90.0001}, false},
		{orb.Point{math.NaN(), 0}, false},
		{orb.Point{0, math.NaN()}, false},
		{orb.Point{math.Inf(1), 0}, false},
		{orb.Point{0, math.Inf(-1)}, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.p), func(t *testing.T) {
			if err := ValidLonLat(c.p); (err == nil) != c.ok {
				t.Errorf("ValidLonLat(%v) = %v, want ok=%v", c.p, err, c.ok)
			}
		})
	}
}

// TestConcurrent runs queries from several goroutines (meaningful under -race).
func TestConcurrent(t *testing.T) {
	ix := mustIndex(t, fixture(t, "donut-enclave"))
	done := make(chan bool)
	for g := range 4 {
		go func() {
			rng := rand.New(rand.NewPCG(uint64(g), 0))
			ok := true
			for range 2000 {
				p := orb.Point{rng.Float64()*16 - 1, rng.Float64()*12 - 1}
				m := ix.Lookup(p, 5000)
				ok = ok && (m.Inside == (ix.Locate(p) >= 0))
				ix.Near(p, 5000)
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("Lookup disagrees with Locate")
		}
	}
}

// TestDegenerateLayer: an area whose only ring is a line has no interior but still a
// boundary; a one-area layer of zero height builds and answers.
func TestDegenerateLayer(t *testing.T) {
	ix := mustIndex(t, []orb.MultiPolygon{{{{{0, 52}, {1, 52}, {2, 52}}}}})
	for _, p := range []orb.Point{{0.5, 52}, {0, 52}, {1.5, 51.99}, {3, 52}} {
		if a := ix.Locate(p); a != -1 {
			t.Errorf("Locate(%v) = %d, want -1", p, a)
		}
	}
	m := ix.Lookup(orb.Point{0.5, 52.001}, 2000)
	if m.Area != 0 || m.Inside || !within(m.DistanceM, 0.001*MetresPerDegree, 0.005) {
		t.Errorf("Lookup = %+v", m)
	}
}

// TestManyCandidates exercises searches that keep more edges than the search's fixed
// buffer: the centre of a round 400-gon (every edge about equally near) and Near over a
// tiling with a radius covering every area.
func TestManyCandidates(t *testing.T) {
	c := orb.Point{-1.5, 52}
	var ring orb.Ring
	for k := range 400 {
		a := 2 * math.Pi * float64(k) / 400
		ring = append(ring, orb.Point{c[0] + 0.01*math.Cos(a)/math.Cos(52*math.Pi/180), c[1] + 0.01*math.Sin(a)})
	}
	round := orb.MultiPolygon{{ring}}
	ix := mustIndex(t, []orb.MultiPolygon{round})
	var s search
	if ix.nearest(&s, c, 0, math.Inf(1)); len(s.more) == 0 {
		t.Errorf("search kept %d edges, expected an overflow of its %d-edge buffer", s.n, len(s.buf))
	}
	for _, p := range []orb.Point{c, {c[0] + 0.001, c[1] - 0.002}} {
		m := ix.Lookup(p, 0)
		want, _ := bruteBoundaryM(round, p)
		if !m.Inside || !closeM(m.BoundaryDistanceM, want) {
			t.Errorf("Lookup(%v) = %+v, brute force %.6f m", p, m, want)
		}
	}

	areas, _ := tiling(rand.New(rand.NewPCG(5, 6)), 8)
	tix := mustIndex(t, areas)
	p := orb.Point{-1.9, 51.3}
	hits := tix.Near(p, 100_000)
	if len(hits) != len(areas) {
		t.Fatalf("Near found %d of %d areas", len(hits), len(areas))
	}
	in := tix.Locate(p)
	for _, h := range hits {
		want, _ := bruteBoundaryM(areas[h.Area], p)
		if h.Area == in {
			want = 0
		}
		if !closeM(h.DistanceM, want) {
			t.Errorf("Near: area %d at %.3f m, brute force %.3f m", h.Area, h.DistanceM, want)
		}
	}
}
