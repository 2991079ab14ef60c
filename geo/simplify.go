package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// SimplifyLayer simplifies every area of a layer at a tolerance of toleranceM metres so that
// the result still tiles the ground the way the input did: neighbours keep identical
// borders (no gaps, no overlaps between them), and no simplified border crosses or swallows
// another (two banks of a river stay apart, an island off a coast stays off it).
//
// How:
//
//  1. Topology. Every ring is cut into arcs at its junctions: the vertices where three or
//     more distinct edges meet, or where the number of rings using the edge changes. An
//     arc is stored once, in a canonical direction, however many rings use it; a ring is
//     a list of arcs, each walked forwards or backwards. This relies on neighbours sharing
//     their common borders vertex for vertex (bit-identical coordinates), which the ONS
//     layers do (TestRealBordersShareVertices checks every reference layer).
//  2. Douglas–Peucker (orb's) simplifies each arc once, with its end points fixed, in an
//     equirectangular projection at the layer's mean latitude (x scaled by cos(latitude),
//     111,195 m per degree): no kept vertex moves, and no dropped vertex lies farther than
//     about toleranceM from the simplified arc.
//  3. Repair. A simplified segment conflicts when it crosses or touches another segment
//     anywhere but at a common end point (folding back on its neighbour included, which
//     is how a ring collapses), or when a kept vertex of any arc lies in the region
//     between the segment and the stretch of original arc it replaces (Saalfeld's test:
//     the shortcut would move that vertex to the other side). Each conflicting segment
//     gets back the original vertex farthest from it, and the test is repeated until no
//     conflict is left or only original edges conflict (a flaw of the input itself), at
//     most 100 rounds (the reference layers need fewer than ten).
//  4. Assembly. Rings are rebuilt from their arcs; coordinates are rounded to digits
//     decimal places (negative: not rounded) before the repair tests, so the tests see
//     what is served, and repeated consecutive points are dropped. An unshared ring (an
//     island or lake no neighbour touches) is dropped when it has collapsed or encloses
//     less than (toleranceM/2)² on the ground. No area is ever lost: when every polygon of
//     an area would go, its largest is kept unsimplified.
//
// toleranceM <= 0 only rounds. The input is not modified.
func SimplifyLayer(areas []orb.MultiPolygon, toleranceM float64, digits int) []orb.MultiPolygon {
	t := newTopology(areas)
	ls := t.arcsOf(areas, digits)
	tol := toleranceM / MetresPerDegree // in projected degrees
	for _, a := range ls.arcs {
		a.simplify(tol)
	}
	if tol > 0 {
		ls.repair()
	}
	return ls.assemble(areas, toleranceM, t.xScale, digits)
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
}

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

type arcRef struct {
	id  int
	rev bool
}

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

// farthest is the original point between kept indices i and j (j > i+1) farthest from the
// segment joining them.
func (a *arc) farthest(i, j int) int {
	best, bestD := i+1, -1.0
	for k := i + 1; k < j; k++ {
		if d := planar.DistanceFromSegmentSquared(a.scaled[i], a.scaled[j], a.scaled[k]); d > bestD {
			best, bestD = k, d
		}
	}
	return best
}

// segment is the s-th kept segment of an arc, in output coordinates.
type segment struct {
	arc, s int
	p, q   orb.Point
}

// repair adds original points back to conflicting segments until none conflicts.
func (ls *layerArcs) repair() {
	for range 100 {
		marked := ls.conflicts()
		added := false
		for id, segs := range marked {
			a := ls.arcs[id]
			var extra []int
			for _, s := range segs {
				if i, j := a.keep[s], a.keep[s+1]; j > i+1 {
					extra = append(extra, a.farthest(i, j))
				}
			}
			if len(extra) > 0 {
				a.keep = append(a.keep, extra...)
				slices.Sort(a.keep)
				a.keep = slices.Compact(a.keep)
				added = true
			}
		}
		if !added {
			return
		}
	}
}

// conflicts lists, per arc, the kept segments that cross or touch another segment, or
// whose shortcut region holds a kept vertex.
func (ls *layerArcs) conflicts() map[int][]int {
	n := 0
	for _, a := range ls.arcs {
		n += len(a.keep)
	}
	segs := make([]segment, 0, n)
	pts := make([]orb.Point, 0, n)
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for id, a := range ls.arcs {
		for s := 0; s+1 < len(a.keep); s++ {
			p, q := a.out[a.keep[s]], a.out[a.keep[s+1]]
			if p == q {
				continue
			}
			segs = append(segs, segment{id, s, p, q})
			b = b.Extend(p).Extend(q)
		}
		for _, i := range a.keep {
			pts = append(pts, a.out[i])
		}
	}
	if len(segs) == 0 {
		return nil
	}
	g := newSegGrid(b, segs, pts)
	bad := map[[2]int]bool{}
	mark := func(sg segment) { bad[[2]int{sg.arc, sg.s}] = true }
	// Crossings and touches: each pair is tested in the one cell holding the low corner
	// of the overlap of the two bounding boxes.
	for c := range g.nx * g.ny {
		cx, cy := c%g.nx, c/g.nx
		ks := g.segIdx[g.segStart[c]:g.segStart[c+1]]
		for x := 0; x < len(ks); x++ {
			s1 := segs[ks[x]]
			for y := x + 1; y < len(ks); y++ {
				s2 := segs[ks[y]]
				lx := math.Max(math.Min(s1.p[0], s1.q[0]), math.Min(s2.p[0], s2.q[0]))
				ly := math.Max(math.Min(s1.p[1], s1.q[1]), math.Min(s2.p[1], s2.q[1]))
				if g.cellX(lx) != cx || g.cellY(ly) != cy {
					continue
				}
				if segmentsConflict(s1.p, s1.q, s2.p, s2.q) {
					mark(s1)
					mark(s2)
				}
			}
		}
	}
	// Saalfeld's test: no kept vertex may lie between a shortcut and what it replaces.
	var region orb.Ring
	for _, sg := range segs {
		a := ls.arcs[sg.arc]
		i, j := a.keep[sg.s], a.keep[sg.s+1]
		if j <= i+1 {
			continue
		}
		region = append(append(region[:0], a.out[i:j+1]...), a.out[i])
		rb := region.Bound()
		g.eachPoint(rb, func(v orb.Point) bool {
			if v != sg.p && v != sg.q && planar.RingContains(region, v) {
				mark(sg)
				return false
			}
			return true
		})
	}
	out := map[int][]int{}
	for k := range bad {
		out[k[0]] = append(out[k[0]], k[1])
	}
	return out
}

// segmentsConflict reports whether segments pq and rs meet anywhere but at a common end
// point; two segments sharing an end point conflict when they overlap along a line.
func segmentsConflict(p, q, r, s orb.Point) bool {
	if (p == r && q == s) || (p == s && q == r) {
		return true
	}
	if p == r || p == s || q == r || q == s {
		var o, a, c orb.Point // o the common point, a and c the other ends
		switch {
		case p == r:
			o, a, c = p, q, s
		case p == s:
			o, a, c = p, q, r
		case q == r:
			o, a, c = q, p, s
		default:
			o, a, c = q, p, r
		}
		return orient(o, a, c) == 0 && (a[0]-o[0])*(c[0]-o[0])+(a[1]-o[1])*(c[1]-o[1]) > 0
	}
	d1, d2 := orient(r, s, p), orient(r, s, q)
	d3, d4 := orient(p, q, r), orient(p, q, s)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(r, s, p)) || (d2 == 0 && onSegment(r, s, q)) ||
		(d3 == 0 && onSegment(p, q, r)) || (d4 == 0 && onSegment(p, q, s))
}

// orient is twice the signed area of triangle abc: > 0 when c lies left of ab.
func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// onSegment reports whether c, collinear with ab, lies on the segment ab.
func onSegment(a, b, c orb.Point) bool {
	return math.Min(a[0], b[0]) <= c[0] && c[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= c[1] && c[1] <= math.Max(a[1], b[1])
}

// segGrid buckets segments (by bounding box) and points into uniform cells, about one
// segment per cell; cell c holds segIdx[segStart[c]:segStart[c+1]] and
// pts[ptStart[c]:ptStart[c+1]].
type segGrid struct {
	b                 orb.Bound
	nx, ny            int
	invW, invH        float64
	segStart, ptStart []int32
	segIdx            []int32
	pts               []orb.Point
}

func newSegGrid(b orb.Bound, segs []segment, pts []orb.Point) *segGrid {
	w, h := math.Max(b.Max[0]-b.Min[0], 1e-9), math.Max(b.Max[1]-b.Min[1], 1e-9)
	side := math.Sqrt(w * h / float64(len(segs)))
	g := &segGrid{b: b}
	g.nx = max(1, min(2048, int(w/side)))
	g.ny = max(1, min(2048, int(h/side)))
	g.invW, g.invH = float64(g.nx)/w, float64(g.ny)/h
	n := g.nx * g.ny
	// Two passes each: count per cell, then fill.
	g.segStart = make([]int32, n+1)
	g.eachSegCell(segs, func(_, c int) { g.segStart[c+1]++ })
	for c := range n {
		g.segStart[c+1] += g.segStart[c]
	}
	g.segIdx = make([]int32, g.segStart[n])
	fill := slices.Clone(g.segStart[:n])
	g.eachSegCell(segs, func(k, c int) { g.segIdx[fill[c]] = int32(k); fill[c]++ })
	g.ptStart = make([]int32, n+1)
	for _, p := range pts {
		g.ptStart[g.cell(p)+1]++
	}
	for c := range n {
		g.ptStart[c+1] += g.ptStart[c]
	}
	g.pts = make([]orb.Point, len(pts))
	copy(fill, g.ptStart[:n])
	for _, p := range pts {
		c := g.cell(p)
		g.pts[fill[c]] = p
		fill[c]++
	}
	return g
}

func (g *segGrid) cellX(x float64) int {
	return max(0, min(g.nx-1, int((x-g.b.Min[0])*g.invW)))
}

func (g *segGrid) cellY(y float64) int {
	return max(0, min(g.ny-1, int((y-g.b.Min[1])*g.invH)))
}

func (g *segGrid) cell(p orb.Point) int { return g.cellY(p[1])*g.nx + g.cellX(p[0]) }

// eachSegCell calls f for every segment k and every cell c its bounding box overlaps.
func (g *segGrid) eachSegCell(segs []segment, f func(k, c int)) {
	for k, sg := range segs {
		x0, x1 := g.cellX(math.Min(sg.p[0], sg.q[0])), g.cellX(math.Max(sg.p[0], sg.q[0]))
		y0, y1 := g.cellY(math.Min(sg.p[1], sg.q[1])), g.cellY(math.Max(sg.p[1], sg.q[1]))
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				f(k, y*g.nx+x)
			}
		}
	}
}

// eachPoint calls f for the points inside b until f returns false.
func (g *segGrid) eachPoint(b orb.Bound, f func(orb.Point) bool) {
	for y := g.cellY(b.Min[1]); y <= g.cellY(b.Max[1]); y++ {
		for x := g.cellX(b.Min[0]); x <= g.cellX(b.Max[0]); x++ {
			c := y*g.nx + x
			for _, p := range g.pts[g.ptStart[c]:g.ptStart[c+1]] {
				if b.Contains(p) && !f(p) {
					return
				}
			}
		}
	}
}

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
