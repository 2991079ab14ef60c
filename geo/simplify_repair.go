package geo

// Step 3 of SimplifyLayer: finding segments that cross, touch or swallow a kept vertex
// (Saalfeld's test), and giving them back original vertices until none conflicts.

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

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

// newSegGrid buckets segs and pts over bound b, with a cell side giving about one segment
// per cell (at most 2048 cells a side; a zero width or height counts as 1e-9°).
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

// cellX, cellY and cell give the cell of a coordinate or point, clamped to the grid.
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
