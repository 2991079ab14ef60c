package geo

// Steps 1 and 2 of SimplifyLayer: the layer's topology, its rings cut into shared arcs,
// and Douglas–Peucker on each arc with its end points fixed.

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// edgeKey identifies an undirected edge: keyOf gives the same key whichever way the edge
// is walked, so the two neighbours along a border count the same edge.
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
}

// newTopology counts, over every non-zero edge of every ring, how many rings use the edge
// and how many distinct edges meet at each vertex, and takes the mean latitude of the
// edges' first points for the projection (xScale 1 for a layer without edges).
func newTopology(areas []orb.MultiPolygon) *topology {
	n := 0
	for _, mp := range areas {
		for _, poly := range mp {
			for _, ring := range poly {
				n += len(ring)
			}
		}
	}
	t := &topology{uses: make(map[edgeKey]int, n), degree: make(map[orb.Point]int, n)}
	var latSum float64
	n = 0
	for _, mp := range areas {
		for _, poly := range mp {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					a, b := ring[i], ring[i+1]
					if a == b {
						continue
					}
					k := keyOf(a, b)
					if t.uses[k]++; t.uses[k] == 1 {
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

// junction reports whether a ring must be cut at v (prev and next are its neighbours in the
// ring): three or more distinct edges meet there, or the edges on either side are shared by
// different numbers of rings.
func (t *topology) junction(prev, v, next orb.Point) bool {
	return t.degree[v] > 2 || t.uses[keyOf(prev, v)] != t.uses[keyOf(v, next)]
}

// arc is a stretch of border between two junctions, in its canonical direction.
type arc struct {
	pts    []orb.Point // original coordinates
	out    []orb.Point // pts rounded for output
	scaled []orb.Point // pts projected (x scaled by cos(mean latitude)) for distances
	keep   []int       // indices of the kept points, ascending, first 0 and last len(pts)-1
	rings  int         // rings using it: more than one means a shared border
}

// arcRef is one arc of a ring: rev when the ring walks it against its canonical direction.
type arcRef struct {
	id  int
	rev bool
}

// arcKey finds an arc already stored: with borders shared vertex for vertex, the rings on
// either side cut the same border into the same canonical line.
type arcKey struct {
	first, second, last orb.Point
	n                   int
}

// layerArcs is a layer cut into arcs: rings[area][polygon][ring] lists the ring's arcs
// (nil for a ring of fewer than three distinct points).
type layerArcs struct {
	arcs  []*arc
	rings [][][][]arcRef
}

// arcsOf cuts every ring of areas into arcs at its junctions (after dropping repeated
// consecutive points), storing each arc once however many rings use it; digits is the
// rounding of the output coordinates.
func (t *topology) arcsOf(areas []orb.MultiPolygon, digits int) *layerArcs {
	ls := &layerArcs{rings: make([][][][]arcRef, len(areas))}
	byKey := map[arcKey]int{}
	for i, mp := range areas {
		ls.rings[i] = make([][][]arcRef, len(mp))
		for p, poly := range mp {
			ls.rings[i][p] = make([][]arcRef, len(poly))
			for r, ring := range poly {
				pts := dedupe(ring)
				n := len(pts) // open ring: pts[0] != pts[n-1]
				if n < 3 {
					continue
				}
				var cuts []int
				for v := range n {
					if t.junction(pts[(v+n-1)%n], pts[v], pts[(v+1)%n]) {
						cuts = append(cuts, v)
					}
				}
				if len(cuts) == 0 {
					// A ring nobody else touches, or wholly shared (an enclave): start it at
					// its smallest vertex so that both sides cut it at the same place.
					cuts = []int{smallest(pts)}
				}
				refs := make([]arcRef, 0, len(cuts))
				for c := range cuts {
					from, to := cuts[c], cuts[(c+1)%len(cuts)]
					if to <= from {
						to += n
					}
					line := make([]orb.Point, 0, to-from+1)
					for v := from; v <= to; v++ {
						line = append(line, pts[v%n])
					}
					rev := canonicalReversed(line)
					if rev {
						slices.Reverse(line)
					}
					k := arcKey{line[0], line[1], line[len(line)-1], len(line)}
					id, ok := byKey[k]
					if !ok {
						id = len(ls.arcs)
						byKey[k] = id
						ls.arcs = append(ls.arcs, newArc(line, t.xScale, digits))
					}
					ls.arcs[id].rings++
					refs = append(refs, arcRef{id, rev})
				}
				ls.rings[i][p][r] = refs
			}
		}
	}
	return ls
}

// canonicalReversed reports whether the arc runs against its canonical direction: from the
// smaller end point, or for a closed arc, towards the smaller second point. So the two
// neighbours walking a border in opposite directions store the same arc.
func canonicalReversed(line []orb.Point) bool {
	first, last := line[0], line[len(line)-1]
	if first != last {
		return less(last, first)
	}
	return len(line) > 2 && less(line[len(line)-2], line[1])
}

// newArc stores an arc's points with their rounded and projected copies; it keeps none yet.
func newArc(pts []orb.Point, xScale float64, digits int) *arc {
	a := &arc{pts: pts, out: make([]orb.Point, len(pts)), scaled: make([]orb.Point, len(pts))}
	for i, p := range pts {
		a.out[i] = roundPoint(p, digits)
		a.scaled[i] = orb.Point{p[0] * xScale, p[1]}
	}
	return a
}

// simplify keeps the points Douglas–Peucker keeps at tol (projected degrees).
func (a *arc) simplify(tol float64) {
	n := len(a.pts)
	all := func() {
		a.keep = make([]int, n)
		for i := range a.keep {
			a.keep[i] = i
		}
	}
	if tol <= 0 || n <= 2 {
		all()
		return
	}
	kept := simplify.DouglasPeucker(tol).LineString(slices.Clone(orb.LineString(a.scaled)))
	// orb returns the kept points, not their indices; they are exact copies, in order.
	a.keep = make([]int, 0, len(kept))
	j := 0
	for _, p := range kept {
		for j < n && a.scaled[j] != p {
			j++
		}
		if j == n {
			all()
			return
		}
		a.keep = append(a.keep, j)
		j++
	}
	a.keep[0], a.keep[len(a.keep)-1] = 0, n-1
}

// less orders points by x, then y: the order that picks canonical directions and cuts.
func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

// smallest is the index of the least point of pts (the first of equal ones).
func smallest(pts []orb.Point) int {
	best := 0
	for i := range pts {
		if less(pts[i], pts[best]) {
			best = i
		}
	}
	return best
}
