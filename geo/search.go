package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Match is the answer for one point in one layer.
type Match struct {
	Area              int     // -1 when no area is inside or within the limit
	Inside            bool    // p lies inside Area (false: Area is the nearest within the limit)
	DistanceM         float64 // 0 when Inside; else metres from p to Area (0 when Area is -1)
	BoundaryDistanceM float64 // metres from p to Area's boundary (inside: how deep; nearest: = DistanceM; 0 when Area is -1)
}

// Hit is an area and its distance from a point (0 when the point is inside it).
type Hit struct {
	Area      int
	DistanceM float64
}

// Lookup is Locate plus a nearest-area fallback and the distance to the boundary.
//
// When p lies inside an area (by Locate's rule) the result is that area, Inside true,
// DistanceM 0 and BoundaryDistanceM the distance from p to the nearest point of that
// area's boundary (outer rings and holes), however far. Otherwise the result is the area
// whose boundary is nearest to p, if it is within maxNearestM metres (a maxNearestM of 0,
// negative or NaN disables the fallback), with DistanceM = BoundaryDistanceM = that
// distance; equal distances go to the lowest index. Otherwise Area is -1. An invalid p
// (see ValidLonLat) gives Area -1.
func (ix *Index) Lookup(p orb.Point, maxNearestM float64) Match {
	if ValidLonLat(p) != nil {
		return Match{Area: -1}
	}
	if a := ix.Locate(p); a >= 0 {
		var s search
		ix.nearest(&s, p, a, math.Inf(1))
		return Match{Area: a, Inside: true, BoundaryDistanceM: s.distanceM(p)}
	}
	if !(maxNearestM > 0) {
		return Match{Area: -1}
	}
	var s search
	ix.nearest(&s, p, -1, searchLimit(maxNearestM))
	if s.edge >= 0 {
		if d := s.distanceM(p); d <= maxNearestM {
			return Match{Area: int(ix.edgeArea[s.edge]), DistanceM: d, BoundaryDistanceM: d}
		}
	}
	return Match{Area: -1}
}

// Near returns every area whose polygon lies within withinM metres of p, nearest first
// (equal distances by area index). An area containing p (by Locate's rule) has distance
// 0; the others have the distance from p to their boundary. It returns nil for an invalid
// p.
func (ix *Index) Near(p orb.Point, withinM float64) []Hit {
	if ValidLonLat(p) != nil {
		return nil
	}
	var hits []Hit
	for _, a := range ix.containing(p) {
		hits = append(hits, Hit{Area: a})
	}
	if withinM >= 0 {
		var s search
		s.all = true
		ix.nearest(&s, p, -1, searchLimit(withinM))
		pr := newProj(p)
	next:
		for _, c := range s.hits {
			for _, h := range hits {
				if h.Area == int(c.area) {
					continue next
				}
			}
			if d := DistanceM(p, pr.unproject(c.cx, c.cy)); d <= withinM {
				hits = append(hits, Hit{Area: int(c.area), DistanceM: d})
			}
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(a.DistanceM, b.DistanceM); c != 0 {
			return c
		}
		return cmp.Compare(a.Area, b.Area)
	})
	return hits
}

// containing lists the areas containing p: one for non-overlapping areas.
func (ix *Index) containing(p orb.Point) []int {
	x, y := p[0], p[1]
	if !(x >= ix.gx0 && x <= ix.gx1 && y >= ix.gy0 && y <= ix.gy1) {
		return nil
	}
	v := ix.cells[ix.cellY(y)*ix.nx+ix.cellX(x)]
	if v&mixedBit == 0 {
		if v == 0 {
			return nil
		}
		return []int{int(v) - 1}
	}
	m := v &^ mixedBit
	var out []int
	for _, a := range ix.cands[ix.mixCand[m]:ix.mixCand[m+1]] {
		if ix.contains(int(a), x, y) {
			out = append(out, int(a))
		}
	}
	return out
}

// searchLimit pads a limit in metres for the projected search, whose distances differ
// from the final haversine ones by a small relative amount; results are filtered again.
func searchLimit(m float64) float64 { return m*1.01 + 1 }

type areaBest struct {
	d2, cx, cy float64
	area       int32
}

// search is the state of one nearest-edge search in projected metres around p.
type search struct {
	pr     proj
	area   int32 // only edges of this area; -1 for any
	all    bool  // keep the best edge of every area within the limit (hits) instead of one
	edge   int   // best edge, -1 if none
	d2     float64
	cx, cy float64 // nearest point (projected offset) on the best edge
	hits   []areaBest
}

// distanceM is the haversine distance from p to the nearest point found.
func (s *search) distanceM(p orb.Point) float64 {
	if s.d2 == 0 {
		return 0
	}
	return DistanceM(p, s.pr.unproject(s.cx, s.cy))
}

// nearest searches the grid ring by ring of cells outward from p's cell for the edge
// nearest to p (projected distance), among edges of area a (any area if a < 0), up to
// limitM metres. It stops when no unvisited cell can hold anything nearer.
func (ix *Index) nearest(s *search, p orb.Point, a int, limitM float64) {
	s.pr = newProj(p)
	s.area = int32(a)
	s.edge = -1
	s.d2 = math.Inf(1)
	lim2 := limitM * limitM
	x, y := p[0], p[1]
	ci, cj := ix.cellX(x), ix.cellY(y)
	r := 0
	if x >= ix.gx0 && x <= ix.gx1 && y >= ix.gy0 && y <= ix.gy1 {
		r = int(ix.dt[cj*ix.nx+ci]) // rings closer than this hold no edge at all
	}
	for ; ; r++ {
		lb, ok := ix.ringBound(&s.pr, ci, cj, r)
		if !ok {
			return
		}
		lb2 := lb * lb
		if lb2 > lim2 || (!s.all && lb2 > s.d2) {
			return
		}
		j0, j1 := cj-r, cj+r
		i0, i1 := max(ci-r, 0), min(ci+r, ix.nx-1)
		if j0 >= 0 {
			ix.visitRow(s, j0, i0, i1, lim2)
		}
		if r > 0 && j1 < ix.ny {
			ix.visitRow(s, j1, i0, i1, lim2)
		}
		if r > 0 {
			jl, jh := max(j0+1, 0), min(j1-1, ix.ny-1)
			if ci-r >= 0 {
				ix.visitCol(s, ci-r, jl, jh, lim2)
			}
			if ci+r < ix.nx {
				ix.visitCol(s, ci+r, jl, jh, lim2)
			}
		}
	}
}

// ringBound returns a lower bound (metres) on the distance from the projection centre to
// every cell at Chebyshev ring r or beyond around cell (ci, cj), and false when no such
// cell exists.
func (ix *Index) ringBound(pr *proj, ci, cj, r int) (float64, bool) {
	lb, ok := math.Inf(1), false
	if i := ci + r; i < ix.nx {
		lb, ok = min(lb, max(ix.gx0+float64(i)*ix.cw-pr.px, 0)*pr.kx), true
	}
	if i := ci - r; i >= 0 {
		lb, ok = min(lb, max(pr.px-(ix.gx0+float64(i+1)*ix.cw), 0)*pr.kx), true
	}
	if j := cj + r; j < ix.ny {
		lb, ok = min(lb, max(ix.gy0+float64(j)*ix.ch-pr.py, 0)*pr.ky), true
	}
	if j := cj - r; j >= 0 {
		lb, ok = min(lb, max(pr.py-(ix.gy0+float64(j+1)*ix.ch), 0)*pr.ky), true
	}
	return lb, ok
}

// reach2 is the squared distance (m²) beyond which no edge can improve the search.
func (s *search) reach2(lim2 float64) float64 {
	if s.all {
		return lim2
	}
	return min(lim2, s.d2)
}

// visitRow visits cells i0..i1 of row j, skipping those farther than the current reach.
func (ix *Index) visitRow(s *search, j, i0, i1 int, lim2 float64) {
	lo, hi := ix.gy0+float64(j)*ix.ch, ix.gy0+float64(j+1)*ix.ch
	dy := max(0, lo-s.pr.py, s.pr.py-hi) * s.pr.ky
	r2 := s.reach2(lim2)
	if dy*dy > r2 {
		return
	}
	if !math.IsInf(r2, 1) {
		half := math.Sqrt(r2-dy*dy)/s.pr.kx*(1+1e-9) + padEps
		i0, i1 = max(i0, ix.cellX(s.pr.px-half)), min(i1, ix.cellX(s.pr.px+half))
	}
	row := ix.cells[j*ix.nx : (j+1)*ix.nx]
	for i := i0; i <= i1; i++ {
		if v := row[i]; v&mixedBit != 0 {
			ix.visitCell(s, v&^mixedBit, lim2)
		}
	}
}

// visitCol visits cells j0..j1 of column i, skipping those farther than the current reach.
func (ix *Index) visitCol(s *search, i, j0, j1 int, lim2 float64) {
	lo, hi := ix.gx0+float64(i)*ix.cw, ix.gx0+float64(i+1)*ix.cw
	dx := max(0, lo-s.pr.px, s.pr.px-hi) * s.pr.kx
	r2 := s.reach2(lim2)
	if dx*dx > r2 {
		return
	}
	if !math.IsInf(r2, 1) {
		half := math.Sqrt(r2-dx*dx)/s.pr.ky*(1+1e-9) + padEps
		j0, j1 = max(j0, ix.cellY(s.pr.py-half)), min(j1, ix.cellY(s.pr.py+half))
	}
	for j := j0; j <= j1; j++ {
		if v := ix.cells[j*ix.nx+i]; v&mixedBit != 0 {
			ix.visitCell(s, v&^mixedBit, lim2)
		}
	}
}

func (ix *Index) visitCell(s *search, m uint32, lim2 float64) {
	for _, e := range ix.cellEdges[ix.mixEdge[m]:ix.mixEdge[m+1]] {
		a := ix.edgeArea[e]
		if s.area >= 0 && a != s.area {
			continue
		}
		ed := &ix.edges[e]
		d2, cx, cy := s.pr.segDist2(ed.x0, ed.y0, ed.x1, ed.y1)
		if d2 > lim2 {
			continue
		}
		if s.all {
			s.keep(a, d2, cx, cy)
			continue
		}
		if d2 < s.d2 || (d2 == s.d2 && a < ix.edgeArea[s.edge]) {
			s.edge, s.d2, s.cx, s.cy = int(e), d2, cx, cy
		}
	}
}

func (s *search) keep(a int32, d2, cx, cy float64) {
	for k := range s.hits {
		if h := &s.hits[k]; h.area == a {
			if d2 < h.d2 {
				h.d2, h.cx, h.cy = d2, cx, cy
			}
			return
		}
	}
	s.hits = append(s.hits, areaBest{d2: d2, cx: cx, cy: cy, area: a})
}
