package geo

// Step 4 of SimplifyLayer: rings rebuilt from their arcs, small unshared rings dropped,
// and the point helpers (dedupe, rounding, area) the steps share.

import (
	"math"

	"github.com/paulmach/orb"
)

// ring rebuilds a ring from its arcs' kept points, without repeated consecutive points,
// closed; shared reports whether another ring uses any of its arcs.
func (ls *layerArcs) ring(refs []arcRef) (out orb.Ring, shared bool) {
	for _, ref := range refs {
		a := ls.arcs[ref.id]
		shared = shared || a.rings > 1
		for k := range a.keep {
			i := a.keep[k]
			if ref.rev {
				i = a.keep[len(a.keep)-1-k]
			}
			if p := a.out[i]; len(out) == 0 || out[len(out)-1] != p {
				out = append(out, p)
			}
		}
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil, shared
	}
	return append(out, out[0]), shared
}

// assemble rebuilds every area from its arcs' kept points. An unshared ring that collapsed
// or encloses less than (toleranceM/2)² is dropped (a dropped outer ring drops its polygon);
// a shared ring that collapsed (only a degenerate input does that) is kept as it was,
// rounded; an area left with no polygon keeps its largest, unsimplified.
func (ls *layerArcs) assemble(areas []orb.MultiPolygon, toleranceM, xScale float64, digits int) []orb.MultiPolygon {
	minArea := toleranceM * toleranceM / 4 // m²
	m2PerDeg2 := MetresPerDegree * MetresPerDegree * xScale
	out := make([]orb.MultiPolygon, len(areas))
	for i, mp := range areas {
		var res orb.MultiPolygon
		for p, poly := range mp {
			var np orb.Polygon
			for r, ring := range poly {
				refs := ls.rings[i][p][r]
				if refs == nil {
					if r == 0 {
						break // a degenerate outer ring: the polygon has no ground
					}
					continue
				}
				nr, shared := ls.ring(refs)
				small := nr == nil || (toleranceM > 0 && math.Abs(ringArea(nr))*m2PerDeg2 < minArea)
				if small && !shared {
					if r == 0 {
						break // an island too small to draw (the area keeps at least one polygon)
					}
					continue // a lake too small to draw
				}
				if nr == nil {
					// Only a degenerate input can collapse a shared ring: keep it as it was.
					nr = roundRing(ring, digits)
				}
				np = append(np, nr)
			}
			if len(np) > 0 {
				res = append(res, np)
			}
		}
		if len(res) == 0 { // never lose an area: keep its largest polygon as it was
			res = orb.MultiPolygon{largest(mp, digits)}
		}
		out[i] = res
	}
	return out
}

// dedupe drops repeated consecutive points and the closing point.
func dedupe(ring orb.Ring) []orb.Point {
	var pts []orb.Point
	for _, p := range ring {
		if len(pts) == 0 || pts[len(pts)-1] != p {
			pts = append(pts, p)
		}
	}
	for len(pts) > 1 && pts[0] == pts[len(pts)-1] {
		pts = pts[:len(pts)-1]
	}
	return pts
}

// roundPoint rounds p to digits decimal places; digits < 0 leaves it as it is.
func roundPoint(p orb.Point, digits int) orb.Point {
	if digits < 0 {
		return p
	}
	f := math.Pow(10, float64(digits))
	return orb.Point{math.Round(p[0]*f) / f, math.Round(p[1]*f) / f}
}

// roundRing is a rounded copy of r.
func roundRing(r orb.Ring, digits int) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = roundPoint(p, digits)
	}
	return out
}

// largest is a rounded copy of the polygon of mp whose outer ring encloses the most (in
// degrees², enough to compare parts of one area); polygons without rings are skipped. mp
// must hold at least one polygon (it panics otherwise).
func largest(mp orb.MultiPolygon, digits int) orb.Polygon {
	best, bestArea := 0, -1.0
	for i, p := range mp {
		if len(p) == 0 {
			continue
		}
		if a := math.Abs(ringArea(p[0])); a > bestArea {
			best, bestArea = i, a
		}
	}
	out := make(orb.Polygon, len(mp[best]))
	for i, r := range mp[best] {
		out[i] = roundRing(r, digits)
	}
	return out
}

// ringArea is the signed area of a closed ring in degrees² (shoelace): > 0 counter-clockwise.
func ringArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}
