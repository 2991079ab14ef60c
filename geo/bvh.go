package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// The edges of an area follow its rings, so a run of consecutive edges is a piece of
// boundary with a tight bounding box. Each area gets a tree of such runs (leaves of
// leafEdges edges, fanout nodes above), which a search for the area's nearest edge descends
// nearest box first, skipping every box farther than what it has found: from a point deep
// inside, that reads a handful of boxes and edges where the ring search reads hundreds of
// cells.

const (
	leafEdges = 8
	fanout    = 4
)

// runNode is a node of an area's tree: a box and either edges[lo:hi] (a leaf) or
// nodes[lo:hi].
type runNode struct {
	minX, minY, maxX, maxY float64
	lo, hi                 uint32
	leaf                   bool
}

// buildRuns builds every area's tree; roots[a] is area a's root in nodes.
func (ix *Index) buildRuns() {
	n := 0
	for _, ar := range ix.areas {
		n += (ar.e1-ar.e0+leafEdges-1)/leafEdges*4/3 + 2
	}
	ix.nodes = make([]runNode, 0, n)
	ix.roots = make([]uint32, len(ix.areas))
	for a, ar := range ix.areas {
		first := len(ix.nodes)
		for e := ar.e0; e < ar.e1; e += leafEdges {
			nd := runNode{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1), lo: uint32(e), hi: uint32(min(e+leafEdges, ar.e1)), leaf: true}
			for _, ed := range ix.edges[nd.lo:nd.hi] {
				nd.minX, nd.maxX = min(nd.minX, ed.x0, ed.x1), max(nd.maxX, ed.x0, ed.x1)
				nd.minY, nd.maxY = min(nd.minY, ed.y0), max(nd.maxY, ed.y1) // canonical: y0 <= y1
			}
			ix.nodes = append(ix.nodes, nd)
		}
		for last := len(ix.nodes); last-first > 1; first, last = last, len(ix.nodes) {
			for c := first; c < last; c += fanout {
				nd := runNode{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1), lo: uint32(c), hi: uint32(min(c+fanout, last))}
				for _, ch := range ix.nodes[nd.lo:nd.hi] {
					nd.minX, nd.minY = min(nd.minX, ch.minX), min(nd.minY, ch.minY)
					nd.maxX, nd.maxY = max(nd.maxX, ch.maxX), max(nd.maxY, ch.maxY)
				}
				ix.nodes = append(ix.nodes, nd)
			}
		}
		ix.roots[a] = uint32(first)
	}
}

// boxDist2 is the squared projected distance from the projection's centre to the box, a
// lower bound on that of every edge in it (a hair under, so that rounding never prunes an
// edge that would be kept).
func (pr *proj) boxDist2(n *runNode) float64 {
	dx := max(n.minX-pr.px, 0, pr.px-n.maxX) * pr.kx
	dy := max(n.minY-pr.py, 0, pr.py-n.maxY) * pr.ky
	return (dx*dx + dy*dy) * (1 - 1e-12)
}

// nearestInArea is nearest among the edges of area a, with no limit, by its tree: it
// considers every edge the ring search would keep, so it gives the same answer.
func (ix *Index) nearestInArea(s *search, p orb.Point, a int) {
	s.reset(p, a, math.Inf(1))
	var stack [64]uint32
	stack[0] = ix.roots[a]
	for sp := 1; sp > 0; {
		sp--
		n := &ix.nodes[stack[sp]]
		if s.pr.boxDist2(n) > s.reach2 {
			continue
		}
		if n.leaf {
			for e := n.lo; e < n.hi; e++ {
				s.consider(&ix.edges[e], e, int32(a))
			}
			continue
		}
		// Children farthest first onto the stack, so the nearest is searched first.
		var kids [fanout]struct {
			d2 float64
			i  uint32
		}
		k := 0
		for c := n.lo; c < n.hi; c++ {
			d2 := s.pr.boxDist2(&ix.nodes[c])
			if d2 > s.reach2 {
				continue
			}
			j := k
			for ; j > 0 && kids[j-1].d2 < d2; j-- {
				kids[j] = kids[j-1]
			}
			kids[j].d2, kids[j].i = d2, c
			k++
		}
		for _, kd := range kids[:k] {
			stack[sp] = kd.i
			sp++
		}
	}
	ix.finish(s)
}
