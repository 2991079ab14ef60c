package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// A point deep inside an area is far from every edge, so the ring search for its boundary
// distance visits many empty cells before it can stop. For blocks of cells wholly inside one
// area, the index lists ahead of time the only edges that can be nearest to any point of the
// block: a deep point's boundary distance then reads a few runs of consecutive edges.

// deepBlocks lists, per block of side×side cells wholly inside one area (every cell pure,
// of that area), the runs of that area's edges that can hold the edge nearest to a point
// of the block: block b has runs[start[b]:start[b+1]], none for a block that is not deep.
type deepBlocks struct {
	side     int
	bnx, bny int
	start    []uint32
	runs     []edgeRun
}

// edgeRun is the edges edges[e0:e1], all of one area.
type edgeRun struct{ e0, e1 uint32 }

// runGap is the largest gap between two listed edges of an area that a run bridges: a few
// extra edges to test cost less than another run to read.
const runGap = 4

// buildDeep lists the candidate edges of every deep block.
//
// Why the list is complete. Let c be the block's centre and y the point of its area's
// boundary nearest to c. A point q of the block is no farther from its nearest edge than
// from y, so that edge has a point x with |qx| <= |qy|: x lies in the half-plane of points
// nearer q than y. Whether some q of the block has x in its half-plane is a linear test in
// q, so it holds for some q exactly when it holds for a corner k of the block: the edges
// that can be nearest are those within |ky| of a corner k. On the sphere the same holds for
// chord lengths, which grow with great-circle distance. The search measures an edge's
// distance at its nearest point in a projection local to the point, a little more than the
// true distance (second order in the projection's error); tau bounds that and rounding, and
// enters as |kx|² <= |ky|² + 2·tau·r + tau², r bounding |ky|.
func (ix *Index) buildDeep(side int) *deepBlocks {
	d := &deepBlocks{side: side}
	d.bnx, d.bny = (ix.nx+side-1)/side, (ix.ny+side-1)/side
	d.start = make([]uint32, d.bnx*d.bny+1)
	t := ix.buildRuns()
	var s search
	var ids []uint32
	for bj := range d.bny {
		for bi := range d.bnx {
			b := bj*d.bnx + bi
			d.start[b] = uint32(len(d.runs))
			a, ok := ix.blockArea(bi, bj, side)
			if !ok {
				continue
			}
			i0, j0 := bi*side, bj*side
			i1, j1 := min(i0+side, ix.nx), min(j0+side, ix.ny)
			// The block's corners, padded as its cells are.
			x0, x1 := ix.gx0+float64(i0)*ix.cw-padEps, ix.gx0+float64(i1)*ix.cw+padEps
			y0, y1 := ix.gy0+float64(j0)*ix.ch-padEps, ix.gy0+float64(j1)*ix.ch+padEps
			c := orb.Point{(x0 + x1) / 2, (y0 + y1) / 2}
			// Any point of the boundary will do; one near c keeps the list short. The
			// block to the west, when deep in the same area, lists edges near c.
			y, ok := ix.boundaryNear(d, t, &s, c, a, bi-1, bj)
			if !ok {
				continue
			}
			var cn deepCorners
			lat := max(math.Abs(y0), math.Abs(y1))
			for k, corner := range [4]orb.Point{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
				r := DistanceM(corner, y)
				sl := slack(lat, r)
				tau := 1 + 10*sl*sl*r
				lim := math.Sqrt(r*r+2*tau*r+tau*tau) * (1 + 3*sl) // in the corner's projection
				cn[k] = deepCorner{pr: newProj(corner), lim2: lim * lim}
			}
			ids = ix.candidateEdges(t, ids[:0], &cn, a)
			d.runs = appendRuns(d.runs, ids)
		}
	}
	d.start[len(d.start)-1] = uint32(len(d.runs))
	d.runs = slices.Clip(d.runs)
	return d
}

// boundaryNear returns a point of area a's boundary near p: the nearest among the edges
// listed for block (bi, bj) if it is deep in area a, else the nearest of all.
func (ix *Index) boundaryNear(d *deepBlocks, t *runTree, s *search, p orb.Point, a, bi, bj int) (orb.Point, bool) {
	if bi >= 0 && bj >= 0 {
		if b := bj*d.bnx + bi; d.start[b] < d.start[b+1] {
			if r := d.runs[d.start[b]]; ix.edgeArea[r.e0] == int32(a) {
				pr := newProj(p)
				best, at := math.Inf(1), p
				for _, r := range d.runs[d.start[b]:d.start[b+1]] {
					for _, e := range ix.edges[r.e0:r.e1] {
						if d2, cx, cy := pr.segDist2(e.x0, e.y0, e.x1, e.y1); d2 < best {
							best, at = d2, pr.unproject(cx, cy)
						}
					}
				}
				return at, true
			}
		}
	}
	ix.nearestInArea(t, s, p, a)
	return s.pr.unproject(s.atX, s.atY), s.edge >= 0
}

// deepCorner is a corner of a block, in its own projection, with the squared distance within
// which an edge may be nearest to a point of the block.
type deepCorner struct {
	pr   proj
	lim2 float64
}

type deepCorners [4]deepCorner

// within reports whether some corner is within its limit of edge e.
func (cn *deepCorners) within(e *edge) bool {
	for k := range cn {
		c := &cn[k]
		if d2, _, _ := c.pr.segDist2(e.x0, e.y0, e.x1, e.y1); d2 <= c.lim2 {
			return true
		}
	}
	return false
}

// near reports whether some corner may be within its limit of an edge in the node's box.
func (cn *deepCorners) near(n *runNode) bool {
	for k := range cn {
		c := &cn[k]
		if c.pr.boxDist2(n) <= c.lim2 {
			return true
		}
	}
	return false
}

// candidateEdges appends, in order, the edges of area a that some corner is within its limit of.
func (ix *Index) candidateEdges(t *runTree, ids []uint32, cn *deepCorners, a int) []uint32 {
	var stack [64]uint32
	stack[0] = t.roots[a]
	for sp := 1; sp > 0; {
		sp--
		n := &t.nodes[stack[sp]]
		if !cn.near(n) {
			continue
		}
		if n.leaf {
			for e := n.lo; e < n.hi; e++ {
				if cn.within(&ix.edges[e]) {
					ids = append(ids, e)
				}
			}
			continue
		}
		for c := n.hi; c > n.lo; c-- { // pushed last first: edges come out in order
			stack[sp] = c - 1
			sp++
		}
	}
	return ids
}

// blockArea returns the area whose pure cells fill block (bi, bj) wholly, if one does.
func (ix *Index) blockArea(bi, bj, side int) (int, bool) {
	var v uint32
	for j := bj * side; j < min((bj+1)*side, ix.ny); j++ {
		for i := bi * side; i < min((bi+1)*side, ix.nx); i++ {
			w := ix.cells[j*ix.nx+i]
			if w == 0 || w&mixedBit != 0 || (v != 0 && w != v) {
				return 0, false
			}
			v = w
		}
	}
	return int(v) - 1, true
}

// appendRuns appends sorted edge indices (all of one area) as runs, bridging small gaps.
func appendRuns(runs []edgeRun, ids []uint32) []edgeRun {
	for k, e := range ids {
		if k > 0 && e <= runs[len(runs)-1].e1+runGap {
			runs[len(runs)-1].e1 = e + 1
			continue
		}
		runs = append(runs, edgeRun{e, e + 1})
	}
	return runs
}

// deepRuns returns the candidate runs of the block holding (x, y), nil when it is not deep.
func (ix *Index) deepRuns(x, y float64) []edgeRun {
	d := ix.deep.Load()
	if d == nil || !(x >= ix.gx0 && x <= ix.gx1 && y >= ix.gy0 && y <= ix.gy1) {
		return nil
	}
	b := (ix.cellY(y)/d.side)*d.bnx + ix.cellX(x)/d.side
	if d.start[b] == d.start[b+1] {
		return nil
	}
	return d.runs[d.start[b]:d.start[b+1]]
}

// nearestInRuns is nearest for a point inside an area, over the candidate runs of its deep
// block: the same edges compared the same way, so the same answer.
func (ix *Index) nearestInRuns(s *search, p orb.Point, a int, runs []edgeRun) {
	s.reset(p, a, math.Inf(1))
	for _, r := range runs {
		for e := r.e0; e < r.e1; e++ {
			s.consider(&ix.edges[e], e, int32(a))
		}
	}
	ix.finish(s)
}
