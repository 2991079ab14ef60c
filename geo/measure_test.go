package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// ellipsoidCell integrates the WGS84 area element M·N·cos φ over a cell bounded by
// meridians and parallels (Simpson's rule) for its area in km²: an answer independent of
// the authalic latitude that AreaKm2 uses.
func ellipsoidCell(lon0, lat0, lon1, lat1 float64) float64 {
	const steps = 2000
	f := func(lat float64) float64 {
		s := math.Sin(lat * degToRad)
		w := 1 - wgs84E2*s*s
		m := wgs84A * (1 - wgs84E2) / (w * math.Sqrt(w))
		n := wgs84A / math.Sqrt(w)
		return m * n * math.Cos(lat*degToRad)
	}
	h := (lat1 - lat0) / steps
	var sum float64
	for k := 0; k <= steps; k++ {
		wk := 2.0
		if k == 0 || k == steps {
			wk = 1
		} else if k%2 == 1 {
			wk = 4
		}
		sum += wk * f(lat0+float64(k)*h)
	}
	return sum * h / 3 * degToRad * (lon1 - lon0) * degToRad / 1e6
}

func TestAreaKm2AndCentroid(t *testing.T) {
	for _, c := range [][4]float64{{0, 0, 1, 1}, {-2, 52, -1, 53}, {-6, 49.9, 2, 55.8}, {0, 53, 0.01, 53.01}} {
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			mp := square(c[0], c[1], c[2], c[3])
			want := ellipsoidCell(c[0], c[1], c[2], c[3])
			if got := AreaKm2(mp); math.Abs(got-want)/want > 1e-7 {
				t.Errorf("area %.6f km², want %.6f", got, want)
			}
			// The centroid of a cell is midway in longitude and on the parallel that
			// halves its area.
			got := Centroid(mp)
			if math.Abs(got[0]-(c[0]+c[2])/2) > 1e-9 {
				t.Errorf("centroid %v, want longitude %v", got, (c[0]+c[2])/2)
			}
			if south := ellipsoidCell(c[0], c[1], c[2], got[1]); math.Abs(south/want-0.5) > 1e-6 {
				t.Errorf("centroid %v: the parallel through it leaves %.6f of the cell south", got, south/want)
			}
		})
	}
	// A hole takes its area off; a second part adds its own.
	donut := orb.MultiPolygon{
		{{{0, 52}, {1, 52}, {1, 53}, {0, 53}, {0, 52}}, {{0.25, 52.25}, {0.25, 52.75}, {0.75, 52.75}, {0.75, 52.25}, {0.25, 52.25}}},
		{{{2, 52}, {3, 52}, {3, 53}, {2, 53}, {2, 52}}},
	}
	whole, hole := ellipsoidCell(0, 52, 1, 53), ellipsoidCell(0.25, 52.25, 0.75, 52.75)
	if got, want := AreaKm2(donut), 2*whole-hole; math.Abs(got-want)/want > 1e-7 {
		t.Errorf("donut and square: %.3f km², want %.3f", got, want)
	}
	// Weights 0.75 (the donut, at 0.5°E) and 1 (the square, at 2.5°E): 1.643°E.
	if c := Centroid(donut); math.Abs(c[0]-(0.75*0.5+2.5)/1.75) > 1e-3 {
		t.Errorf("donut and square: centroid %v, want lon 1.643", c)
	}
}

func TestNeighbours(t *testing.T) {
	areas := []orb.MultiPolygon{square(0, 0, 1, 1), square(1, 0, 2, 1), square(0, 1, 1, 2), square(5, 5, 6, 6)}
	got := Neighbours(areas)
	want := [][]int{{1, 2}, {0}, {0}, nil}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("neighbours of %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestSampleAndOverlapShares(t *testing.T) {
	// The fine layer: a strip at 53°N and a thin sliver; the coarse layer: its west quarter
	// and the rest.
	fine, err := NewIndex([]orb.MultiPolygon{square(-2, 53, 0, 53.5), square(5, 53, 5.00001, 53.00001)})
	if err != nil {
		t.Fatal(err)
	}
	coarse, err := NewIndex([]orb.MultiPolygon{square(-2, 53, -1.5, 53.5), square(-1.5, 53, 0, 53.5)})
	if err != nil {
		t.Fatal(err)
	}
	pts := fine.sample(0, 4000)
	if len(pts) < 2000 || len(pts) > 8000 {
		t.Fatalf("%d points, want about 4000", len(pts))
	}
	shares := OverlapShares(fine, coarse, 4000)
	// A border along the lattice may be off by half a column (1/200 here).
	if math.Abs(shares[0][0]-0.25) > 0.01 || math.Abs(shares[0][1]-0.75) > 0.01 || shares[0][0]+shares[0][1] != 1 {
		t.Errorf("shares of the strip = %v, want [0.25 0.75]", shares[0])
	}
	if shares[1][0] != 0 || shares[1][1] != 0 {
		t.Errorf("shares of an area outside the coarse layer = %v, want zeros", shares[1])
	}
	if fine.sample(5, 10) != nil || fine.sample(0, 0) != nil || fine.sample(-1, 10) != nil {
		t.Error("samples for a missing area or zero points")
	}
	// Equal ground area per point: the north half of a tall box (50°–60°N) has less ground
	// than the south half (0.4504 of it, on the ellipsoid).
	tall, _ := NewIndex([]orb.MultiPolygon{square(0, 50, 1, 60)})
	halves, _ := NewIndex([]orb.MultiPolygon{square(0, 50, 1, 55), square(0, 55, 1, 60)})
	south, north := ellipsoidCell(0, 50, 1, 55), ellipsoidCell(0, 55, 1, 60)
	if got, want := OverlapShares(tall, halves, 2000)[0][1], north/(north+south); math.Abs(got-want) > 0.005 {
		t.Errorf("north half of 50°–60°N: share %.4f, want %.4f", got, want)
	}
}

// TestOverlapSharesPrecision measures the error OverlapShares's doc comment states: 500
// random 24-gons of 10–100 km across in England's latitudes, each cut by a random line
// through its middle third, against the exact share (areas of the clipped polygon).
func TestOverlapSharesPrecision(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 4))
	var errs []float64
	for range 500 {
		lat := 50 + 5*rng.Float64()
		lon := -5 + 6*rng.Float64()
		r := (5 + 45*rng.Float64()) / MetresPerDegree * 1000 // radius in degrees of latitude
		k := math.Cos(lat * degToRad)
		var poly orb.Ring
		for v := range 24 {
			a := 2 * math.Pi * (float64(v) + rng.Float64()*0.5) / 24
			poly = append(poly, orb.Point{lon + r*math.Cos(a)/k, lat + r*math.Sin(a)})
		}
		poly = append(poly, poly[0])
		// The cut: a line through a point near the middle, at a random angle; the coarse
		// layer is the bounding square split by it.
		mid := orb.Point{lon + (rng.Float64()-0.5)*r/k, lat + (rng.Float64()-0.5)*r}
		ang := math.Pi * rng.Float64()
		dir := orb.Point{math.Cos(ang), math.Sin(ang)}
		box := orb.Ring{{lon - 2*r/k, lat - 2*r}, {lon + 2*r/k, lat - 2*r}, {lon + 2*r/k, lat + 2*r}, {lon - 2*r/k, lat + 2*r}, {lon - 2*r/k, lat - 2*r}}
		left := clipHalfPlane(box, mid, dir)
		right := clipHalfPlane(box, mid, orb.Point{-dir[0], -dir[1]})
		fine, err1 := NewIndex([]orb.MultiPolygon{{{densify(poly)}}})
		coarse, err2 := NewIndex([]orb.MultiPolygon{{{densify(left)}}, {{densify(right)}}})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		exact := AreaKm2(orb.MultiPolygon{{densify(clipHalfPlane(poly, mid, dir))}}) / AreaKm2(orb.MultiPolygon{{densify(poly)}})
		got := OverlapShares(fine, coarse, 2000)[0]
		if math.Abs(got[0]+got[1]-1) > 1e-9 {
			t.Fatalf("shares %v do not sum to 1", got)
		}
		errs = append(errs, math.Abs(got[0]-exact))
	}
	slices.Sort(errs)
	var mean float64
	for _, e := range errs {
		mean += e / float64(len(errs))
	}
	p99, worst := errs[len(errs)*99/100], errs[len(errs)-1]
	t.Logf("absolute error of a share (n = 2000): mean %.4f, 99th percentile %.4f, worst %.4f", mean, p99, worst)
	if mean > 0.002 || p99 > 0.01 || worst > 0.01 {
		t.Errorf("less precise than documented: mean %.4f, p99 %.4f, worst %.4f", mean, p99, worst)
	}
}

// clipHalfPlane keeps the part of a convex ring left of the line through p along dir
// (Sutherland–Hodgman, planar lon/lat).
func clipHalfPlane(ring orb.Ring, p, dir orb.Point) orb.Ring {
	side := func(q orb.Point) float64 { return dir[0]*(q[1]-p[1]) - dir[1]*(q[0]-p[0]) }
	var out orb.Ring
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		sa, sb := side(a), side(b)
		if sa >= 0 {
			out = append(out, a)
		}
		if (sa > 0 && sb < 0) || (sa < 0 && sb > 0) {
			t := sa / (sa - sb)
			out = append(out, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
		}
	}
	if len(out) > 0 {
		out = append(out, out[0])
	}
	return out
}

// densify splits every edge into pieces of at most 0.005°, so that an edge straight in
// lon/lat (as Locate reads it) and straight in the equal-area projection (as AreaKm2
// reads it) enclose the same ground to far below the precision tested.
func densify(r orb.Ring) orb.Ring {
	var out orb.Ring
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		n := int(math.Ceil(math.Max(math.Abs(b[0]-a[0]), math.Abs(b[1]-a[1])) / 0.005))
		for k := range max(n, 1) {
			f := float64(k) / float64(max(n, 1))
			out = append(out, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])})
		}
	}
	return append(out, r[len(r)-1])
}
