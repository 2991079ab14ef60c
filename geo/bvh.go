package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// The edges of an area follow its rings, so a run of consecutive edges is a piece of
// boundary with a tight bounding box. Building the deep lists (deep.go) needs, per block, the
// area's nearest edge and the edges near its corners; a tree of such runs per area (leaves of
// leafEdges edges, fanout nodes above), descended nearest box first and skipping every box
// out of reach, finds both without walking the grid. Lookups do not use it: for every inside
// point it was measured no faster than the ring search.

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

// runTree is every area's tree: area a's root is nodes[roots[a]]. Only the deep lists'
// build uses it, so it lives as long as that build.
type runTree struct {
	nodes []runNode
	roots []uint32
}

// buildRuns builds every area's tree.
func (ix *Index) buildRuns() *runTree {
	n := 0
	for _, ar := range ix.areas {
		n += (ar.e1-ar.e0+leafEdges-1)/leafEdges*4/3 + 2
	}
	t := &runTree{nodes: make([]runNode, 0, n), roots: make([]uint32, len(ix.areas))}
	for a, ar := range ix.areas {
		first := len(t.nodes)
		for e := ar.e0; e < ar.e1; e += leafEdges {
			nd := runNode{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1), lo: uint32(e), hi: uint32(min(e+leafEdges, ar.e1)), leaf: true}
			for _, ed := range ix.edges[nd.lo:nd.hi] {
				nd.minX, nd.maxX = min(nd.minX, ed.x0, ed.x1), max(nd.maxX, ed.x0, ed.x1)
				nd.minY, nd.maxY = min(nd.minY, ed.y0), max(nd.maxY, ed.y1) // canonical: y0 <= y1
			}
			t.nodes = append(t.nodes, nd)
		}
		for last := len(t.nodes); last-first > 1; first, last = last, len(t.nodes) {
			for c := first; c < last; c += fanout {
				nd := runNode{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1), lo: uint32(c), hi: uint32(min(c+fanout, last))}
				for _, ch := range t.nodes[nd.lo:nd.hi] {
					nd.minX, nd.minY = min(nd.minX, ch.minX), min(nd.minY, ch.minY)
					nd.maxX, nd.maxY = max(nd.maxX, ch.maxX), max(nd.maxY, ch.maxY)
				}
				t.nodes = append(t.nodes, nd)
			}
		}
		t.roots[a] = uint32(first)
	}
	return t
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
func (ix *Index) nearestInArea(t *runTree, s *search, p orb.Point, a int) {
	s.reset(p, a, math.Inf(1))
	var stack [64]uint32
	stack[0] = t.roots[a]
	for sp := 1; sp > 0; {
		sp--
		n := &t.nodes[stack[sp]]
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
			d2 := s.pr.boxDist2(&t.nodes[c])
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
