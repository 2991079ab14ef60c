package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// SimplifyLayer simplifies every area of a layer with the Douglas–Peucker algorithm at a
// tolerance of toleranceM metres, keeping the borders that neighbours share identical: each
// ring is cut into arcs at the points where the set of areas along it changes, each arc is
// simplified once, in one direction, with its end points fixed, and both neighbours reuse
// the same simplified arc. So simplified neighbours have no gaps and no overlaps along their
// common borders (where the source shares vertices exactly, as the ONS files do).
//
// Distances are measured in an equirectangular projection at the layer's mean latitude.
// A ring that collapses below four points is dropped when it is an unshared island or lake,
// and kept unsimplified otherwise (an area's only ring, or a ring a neighbour shares).
// Coordinates are then rounded to digits decimal places (negative: not rounded), which keeps
// shared arcs identical too. toleranceM <= 0 only rounds.
func SimplifyLayer(areas []orb.MultiPolygon, toleranceM float64, digits int) []orb.MultiPolygon {
	t := newTopology(areas)
	out := make([]orb.MultiPolygon, len(areas))
	for i, mp := range areas {
		var res orb.MultiPolygon
		for _, poly := range mp {
			var np orb.Polygon
			for r, ring := range poly {
				nr := t.simplifyRing(ring, toleranceM, digits)
				if len(nr) < 4 {
					if r > 0 && !t.shared(ring) {
						continue // a lake too small to draw
					}
					if r == 0 && !t.shared(ring) && len(mp) > 1 {
						np = nil // an island too small to draw
						break
					}
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

type edgeKey [4]float64

func keyOf(a, b orb.Point) edgeKey {
	if a[0] > b[0] || (a[0] == b[0] && a[1] > b[1]) {
		a, b = b, a
	}
	return edgeKey{a[0], a[1], b[0], b[1]}
}

// topology records how often each edge is used and each vertex's distinct neighbours.
type topology struct {
	uses   map[edgeKey]int
	degree map[orb.Point]int
	xScale float64 // cos(mean latitude)
	arcs   map[arcKey]orb.LineString
}

type arcKey struct {
	first, second, last orb.Point
	n                   int
	tol                 float64
}

func newTopology(areas []orb.MultiPolygon) *topology {
	t := &topology{uses: map[edgeKey]int{}, degree: map[orb.Point]int{}, arcs: map[arcKey]orb.LineString{}}
	var latSum float64
	var n int
	seen := map[edgeKey]bool{}
	for _, mp := range areas {
		for _, poly := range mp {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					a, b := ring[i], ring[i+1]
					if a == b {
						continue
					}
					k := keyOf(a, b)
					t.uses[k]++
					if !seen[k] {
						seen[k] = true
						t.degree[a]++
						t.degree[b]++
					}
					latSum += a[1]
					n++
				}
			}
		}
	}
	t.xScale = 1
	if n > 0 {
		t.xScale = math.Cos(latSum / float64(n) * math.Pi / 180)
	}
	return t
}

func (t *topology) shared(ring orb.Ring) bool {
	for i := 0; i+1 < len(ring); i++ {
		if t.uses[keyOf(ring[i], ring[i+1])] > 1 {
			return true
		}
	}
	return false
}

// junction reports whether the ring must be cut at vertex i (prev and next are its neighbours
// in the ring): three or more distinct edges meet there, or the edges on either side are
// shared by different numbers of rings.
func (t *topology) junction(prev, v, next orb.Point) bool {
	return t.degree[v] > 2 || t.uses[keyOf(prev, v)] != t.uses[keyOf(v, next)]
}

func (t *topology) simplifyRing(ring orb.Ring, tol float64, digits int) orb.Ring {
	pts := dedupe(ring)
	n := len(pts) // open ring: pts[0] != pts[n-1]
	if n < 3 {
		return nil
	}
	var cuts []int
	for i := 0; i < n; i++ {
		if t.junction(pts[(i+n-1)%n], pts[i], pts[(i+1)%n]) {
			cuts = append(cuts, i)
		}
	}
	if len(cuts) == 0 {
		// A ring nobody else touches, or wholly shared (an enclave): start it at its
		// smallest vertex so that both sides cut it at the same place.
		cuts = []int{smallest(pts)}
	}
	var out orb.Ring
	for c := range cuts {
		from, to := cuts[c], cuts[(c+1)%len(cuts)]
		if to <= from {
			to += n
		}
		arc := make(orb.LineString, 0, to-from+1)
		for i := from; i <= to; i++ {
			arc = append(arc, pts[i%n])
		}
		s := t.simplifyArc(arc, tol, digits)
		if len(out) > 0 {
			s = s[1:] // the joint is already there
		}
		out = append(out, s...)
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// simplifyArc simplifies an arc in its canonical direction, so that the neighbour walking it
// the other way gets the same points, reversed.
func (t *topology) simplifyArc(arc orb.LineString, tol float64, digits int) orb.LineString {
	rev := less(arc[len(arc)-1], arc[0]) ||
		(arc[len(arc)-1] == arc[0] && len(arc) > 2 && less(arc[len(arc)-2], arc[1]))
	canon := arc
	if rev {
		canon = reversed(arc)
	}
	k := arcKey{canon[0], canon[min(1, len(canon)-1)], canon[len(canon)-1], len(canon), tol}
	s, ok := t.arcs[k]
	if !ok {
		s = canon.Clone()
		if tol > 0 && len(s) > 2 {
			for i := range s {
				s[i][0] *= t.xScale
			}
			s = simplify.DouglasPeucker(tol / MetresPerDegree).Simplify(s).(orb.LineString)
			for i := range s {
				s[i][0] /= t.xScale
			}
			s[0], s[len(s)-1] = canon[0], canon[len(canon)-1] // exact joints, whatever the scaling did
		}
		for i := range s {
			s[i] = roundPoint(s[i], digits)
		}
		t.arcs[k] = s
	}
	if rev {
		return reversed(s)
	}
	return s.Clone()
}

func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

func smallest(pts []orb.Point) int {
	best := 0
	for i := range pts {
		if less(pts[i], pts[best]) {
			best = i
		}
	}
	return best
}

func reversed(ls orb.LineString) orb.LineString {
	out := make(orb.LineString, len(ls))
	for i, p := range ls {
		out[len(ls)-1-i] = p
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

func roundPoint(p orb.Point, digits int) orb.Point {
	if digits < 0 {
		return p
	}
	f := math.Pow(10, float64(digits))
	return orb.Point{math.Round(p[0]*f) / f, math.Round(p[1]*f) / f}
}

func roundRing(r orb.Ring, digits int) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = roundPoint(p, digits)
	}
	return out
}

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

func ringArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}
