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
	var s search
	if a := ix.Locate(p); a >= 0 {
		if runs := ix.deepRuns(p[0], p[1]); runs != nil {
			ix.nearestInRuns(&s, p, a, runs)
		} else {
			ix.nearest(&s, p, a, math.Inf(1))
		}
		return Match{Area: a, Inside: true, BoundaryDistanceM: s.distM}
	}
	if !(maxNearestM > 0) {
		return Match{Area: -1}
	}
	ix.nearest(&s, p, -1, searchLimit(p[1], maxNearestM))
	if s.edge >= 0 && s.distM <= maxNearestM {
		return Match{Area: int(ix.edgeArea[s.edge]), DistanceM: s.distM, BoundaryDistanceM: s.distM}
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
		ix.nearest(&s, p, -1, searchLimit(p[1], withinM))
	next:
		for _, c := range append(s.buf[:s.n:s.n], s.more...) {
			for _, h := range hits {
				if h.Area == int(c.area) {
					continue next
				}
			}
			if c.m <= withinM {
				hits = append(hits, Hit{Area: int(c.area), DistanceM: c.m})
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
	for k := ix.mixCand[m]; k < ix.mixCand[m+1]; k++ {
		if c := &ix.cands[k]; ix.inCand(c, x, y) {
			out = append(out, int(c.area))
		}
	}
	return out
}

// slack bounds the relative difference between a distance d (metres) measured in the
// local projection around a point at latitude lat and the haversine distance: the scale
// of longitude changes by about tan(lat)·Δlat over the way, plus second-order terms. It is
// deliberately generous (a larger slack only widens the search).
func slack(lat, d float64) float64 { return slackTan(math.Abs(math.Tan(lat*degToRad)), d) }

// slackTan is slack given |tan(lat)|, which a search works out once.
func slackTan(tanLat, d float64) float64 {
	dr := d / EarthRadiusM
	return min(0.6*(tanLat*dr+dr*dr)+1e-9, 1)
}

// searchLimit widens a limit in metres for the projected search; results are then
// filtered by their haversine distance.
func searchLimit(lat, m float64) float64 { return m*(1+3*slack(lat, m)) + 1e-3 }

// cand is an edge found by a search with its projected squared distance and nearest point.
type cand struct {
	d2, cx, cy float64
	m          float64 // haversine metres (Near only)
	edge       int32
	area       int32
}

// search is the state of one nearest-edge search around p. Edges are compared in the
// local projection; every edge whose projected distance is within the projection's error
// of the best is kept, and the final choice is the one nearest by haversine.
type search struct {
	pr     proj
	tanLat float64 // |tan| of the centre's latitude, for slack
	area   int32   // only edges of this area; -1 for any
	all    bool    // keep the nearest edge of every area within the limit (Near)
	d2     float64 // best projected squared distance so far
	reach2 float64 // squared projected distance beyond which nothing can matter
	lim2   float64
	// Kept edges (single mode) or the nearest edge per area (Near): buf[:n], then more.
	// A fixed buffer keeps a search off the heap.
	n    int
	buf  [24]cand
	more []cand

	// Result of finish (single mode): the chosen edge (-1 if none) and its distance.
	edge     int
	distM    float64
	atX, atY float64 // the nearest point of edge, as an offset in pr (unprojected only when asked)
}

// nearest searches the grid ring by ring of cells outward from p's cell for the edges
// nearest to p, among edges of area a (any area if a < 0), up to limitM metres
// (projected). It stops when no unvisited cell can hold anything that matters.
func (ix *Index) nearest(s *search, p orb.Point, a int, limitM float64) {
	s.reset(p, a, limitM)
	x, y := p[0], p[1]
	ci, cj := ix.cellX(x), ix.cellY(y)
	r := 0
	if x >= ix.gx0 && x <= ix.gx1 && y >= ix.gy0 && y <= ix.gy1 {
		r = int(ix.dt[cj*ix.nx+ci]) // rings closer than this hold no edge at all
	}
	for ; ; r++ {
		lb, ok := ix.ringBound(&s.pr, ci, cj, r)
		if !ok || lb*lb > s.reach2 {
			break
		}
		j0, j1 := cj-r, cj+r
		i0, i1 := max(ci-r, 0), min(ci+r, ix.nx-1)
		if j0 >= 0 {
			ix.visitRow(s, j0, i0, i1)
		}
		if r > 0 && j1 < ix.ny {
			ix.visitRow(s, j1, i0, i1)
		}
		if r > 0 {
			jl, jh := max(j0+1, 0), min(j1-1, ix.ny-1)
			if ci-r >= 0 {
				ix.visitCol(s, ci-r, jl, jh)
			}
			if ci+r < ix.nx {
				ix.visitCol(s, ci+r, jl, jh)
			}
		}
	}
	if !s.all {
		ix.finish(s)
	}
}

// reset starts a search around p among edges of area a (any if a < 0) up to limitM metres.
func (s *search) reset(p orb.Point, a int, limitM float64) {
	s.pr = newProj(p)
	s.tanLat = math.Abs(math.Tan(p[1] * degToRad))
	s.area = int32(a)
	s.edge = -1
	s.d2 = math.Inf(1)
	s.lim2 = limitM * limitM
	s.reach2 = s.lim2
	s.n, s.more = 0, s.more[:0]
}

// finish picks, among the kept edges, the one whose nearest point is nearest by
// haversine (equal distances: lowest area).
func (ix *Index) finish(s *search) {
	best := math.Inf(1)
	bestArea := int32(math.MaxInt32)
	var at cand
	p := orb.Point{s.pr.px, s.pr.py}
	// Two edges meeting at the nearest point usually give it to the same bit: its distance
	// is then worked out once.
	lastX, lastY, lastD := math.NaN(), math.NaN(), 0.0
	for _, part := range [2][]cand{s.buf[:s.n], s.more} {
		for _, c := range part {
			if c.d2 > s.reach2 {
				continue
			}
			d := 0.0
			switch {
			case c.d2 == 0:
			case c.cx == lastX && c.cy == lastY:
				d = lastD
			default:
				d = distanceFrom(p, s.pr.cosLat, s.pr.unproject(c.cx, c.cy))
				lastX, lastY, lastD = c.cx, c.cy, d
			}
			if d < best || (d == best && c.area < bestArea) {
				best, bestArea, s.edge, at = d, c.area, int(c.edge), c
			}
		}
	}
	s.distM, s.atX, s.atY = best, at.cx, at.cy
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

// visitRow visits cells i0..i1 of row j, skipping those beyond the current reach.
func (ix *Index) visitRow(s *search, j, i0, i1 int) {
	lo, hi := ix.gy0+float64(j)*ix.ch, ix.gy0+float64(j+1)*ix.ch
	dy := max(0, lo-s.pr.py, s.pr.py-hi) * s.pr.ky
	if dy*dy > s.reach2 {
		return
	}
	if !math.IsInf(s.reach2, 1) {
		half := math.Sqrt(s.reach2-dy*dy)/s.pr.kx*(1+1e-9) + padEps
		i0, i1 = max(i0, ix.cellX(s.pr.px-half)), min(i1, ix.cellX(s.pr.px+half))
	}
	row := ix.cells[j*ix.nx : (j+1)*ix.nx]
	for i := i0; i <= i1; i++ {
		if v := row[i]; v&mixedBit != 0 {
			ix.visitCell(s, v&^mixedBit)
		}
	}
}

// visitCol visits cells j0..j1 of column i, skipping those beyond the current reach.
func (ix *Index) visitCol(s *search, i, j0, j1 int) {
	lo, hi := ix.gx0+float64(i)*ix.cw, ix.gx0+float64(i+1)*ix.cw
	dx := max(0, lo-s.pr.px, s.pr.px-hi) * s.pr.kx
	if dx*dx > s.reach2 {
		return
	}
	if !math.IsInf(s.reach2, 1) {
		half := math.Sqrt(s.reach2-dx*dx)/s.pr.ky*(1+1e-9) + padEps
		j0, j1 = max(j0, ix.cellY(s.pr.py-half)), min(j1, ix.cellY(s.pr.py+half))
	}
	for j := j0; j <= j1; j++ {
		if v := ix.cells[j*ix.nx+i]; v&mixedBit != 0 {
			ix.visitCell(s, v&^mixedBit)
		}
	}
}

func (ix *Index) visitCell(s *search, m uint32) {
	segs := ix.segs[ix.mixEdge[m]:ix.mixEdge[m+1]]
	for k := range segs {
		ed := &segs[k]
		if s.area >= 0 && ed.area != s.area {
			continue
		}
		s.consider(&ed.edge, ed.id, ed.area)
	}
}

// consider compares edge e (index id, of area a) with what the search has found so far.
func (s *search) consider(e *edge, id uint32, a int32) {
	d2, cx, cy := s.pr.segDist2(e.x0, e.y0, e.x1, e.y1)
	if d2 > s.reach2 {
		return
	}
	if s.all {
		s.keepArea(a, int32(id), d2, cx, cy)
		return
	}
	if d2 < s.d2 {
		s.d2 = d2
		f := 1 + 3*slackTan(s.tanLat, math.Sqrt(d2))
		s.reach2 = min(s.lim2, d2*f*f)
	}
	s.add(cand{d2: d2, cx: cx, cy: cy, edge: int32(id), area: a})
}

// add keeps an edge; when the buffer is full it first drops what is out of reach.
func (s *search) add(c cand) {
	if s.n == len(s.buf) {
		k := 0
		for _, b := range s.buf {
			if b.d2 <= s.reach2 {
				s.buf[k] = b
				k++
			}
		}
		s.n = k
	}
	if s.n < len(s.buf) {
		s.buf[s.n] = c
		s.n++
		return
	}
	s.more = append(s.more, c)
}

// keepArea keeps, per area, the edge point nearest to p by haversine.
func (s *search) keepArea(a, e int32, d2, cx, cy float64) {
	d := 0.0
	if d2 > 0 {
		d = distanceFrom(orb.Point{s.pr.px, s.pr.py}, s.pr.cosLat, s.pr.unproject(cx, cy))
	}
	for _, part := range [2][]cand{s.buf[:s.n], s.more} {
		for k := range part {
			if c := &part[k]; c.area == a {
				if d < c.m {
					c.m, c.edge = d, e
				}
				return
			}
		}
	}
	s.add(cand{d2: d2, cx: cx, cy: cy, m: d, edge: e, area: a})
}
