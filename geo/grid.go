package geo

import (
	"cmp"
	"math"
	"slices"
)

type touch struct{ cell, edge uint32 }

// rowSpan is a non-horizontal edge within the (padded) band of one row of cells: the
// columns of the cells it touches there.
type rowSpan struct {
	row    int32
	ia, ib int32
	edge   uint32
}

type crossing struct {
	x    float64
	row  int32
	area int32
}

// buildGrid lays a uniform grid over the layer's bound, lists the edges touching each
// (padded) cell, and classifies every cell as pure (wholly outside, or wholly inside one
// area) or mixed (candidate areas to test). The status of cells without edges comes from
// one sweep per row along the row's centre line: the areas whose edges cross that line an
// odd number of times west of a cell centre contain the centre, hence the whole cell.
func (ix *Index) buildGrid(prm params) {
	// Grid extent and cell size.
	ix.sizeGrid(prm)
	// Each edge through its rows: cells touched, column spans, centre-line crossings.
	touches, crosses, spans := ix.traceEdges()
	// The edges of each cell, in edge order.
	cellStart, cellEdges := groupByCell(touches, ix.nx*ix.ny)
	// Room for the candidates' local edges (at most one per touch) and for the candidates.
	ix.local = make([]crossEdge, 0, len(touches))
	ix.cands = make([]cellCand, 0, len(touches)/2)
	// Every cell pure or mixed; mixed cells with their prepared candidates.
	ix.sweepRows(cellStart, cellEdges, crosses, spans)
	// The edges of mixed cells copied for distance searches; lists trimmed.
	ix.storeCellEdges(cellEdges)
	// Where a nearest-edge search may start.
	ix.dt = distanceTransform(cellStart, ix.nx, ix.ny)
}

// sizeGrid sets the grid's extent (the layer's bound) and its cells: about cellsPerEdge
// cells per edge (within minCells..maxCells, at most 2^15 a side) so that a mixed cell has
// few edges to test, and about square on the ground so that distance searches prune alike
// in both directions. A layer without width or height gets a single cell.
func (ix *Index) sizeGrid(prm params) {
	b := ix.bound
	ix.gx0, ix.gy0, ix.gx1, ix.gy1 = b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	w, h := ix.gx1-ix.gx0, ix.gy1-ix.gy0
	nx, ny := 1, 1
	if w > 0 && h > 0 {
		target := min(max(prm.cellsPerEdge*float64(len(ix.edges)), float64(prm.minCells)), float64(prm.maxCells))
		c := math.Max(math.Cos((ix.gy0+ix.gy1)/2*degToRad), 0.05)
		side := math.Sqrt(w * c * h / target) // cell height in degrees; cells are about square on the ground
		nx = int(math.Min(math.Ceil(w*c/side), 1<<15))
		ny = int(math.Min(math.Ceil(h/side), 1<<15))
		nx, ny = max(nx, 1), max(ny, 1)
	}
	ix.nx, ix.ny = nx, ny
	ix.cw, ix.ch = w/float64(nx), h/float64(ny)
	if w > 0 {
		ix.invW = float64(nx) / w
	}
	if h > 0 {
		ix.invH = float64(ny) / h
	}
}

// traceEdges follows every edge through the rows of cells it passes, each row and cell
// padded by padEps (so that a point whose cell index is off by rounding still sees the
// edge), and returns the cells it touches (conservative), its span of columns in each row
// (non-horizontal edges: what a candidate's crossing test splits into west, local and
// east), and where it crosses each row's centre line (what the sweep counts). A crossing
// is half-open in y like the crossing test: y0 <= centre < y1.
func (ix *Index) traceEdges() (touches []touch, crosses []crossing, spans []rowSpan) {
	nx := ix.nx
	touches = make([]touch, 0, 3*len(ix.edges))
	crosses = make([]crossing, 0, len(ix.edges))
	spans = make([]rowSpan, 0, 2*len(ix.edges))
	for ei, e := range ix.edges {
		horiz := e.y0 == e.y1
		dxdy := 0.0
		if !horiz {
			dxdy = (e.x1 - e.x0) / (e.y1 - e.y0)
		}
		for j := ix.cellY(e.y0 - padEps); j <= ix.cellY(e.y1+padEps); j++ {
			rlo := ix.gy0 + float64(j)*ix.ch - padEps
			rhi := ix.gy0 + float64(j+1)*ix.ch + padEps
			ya, yb := math.Max(e.y0, rlo), math.Min(e.y1, rhi)
			if ya > yb {
				continue
			}
			xa, xb := e.x0, e.x1
			if !horiz {
				xa, xb = e.x0+(ya-e.y0)*dxdy, e.x0+(yb-e.y0)*dxdy
			}
			if xa > xb {
				xa, xb = xb, xa
			}
			row := j * nx
			ia, ib := ix.cellX(xa-padEps), ix.cellX(xb+padEps)
			for i := ia; i <= ib; i++ {
				touches = append(touches, touch{uint32(row + i), uint32(ei)})
			}
			if !horiz {
				spans = append(spans, rowSpan{row: int32(j), ia: int32(ia), ib: int32(ib), edge: uint32(ei)})
				cy := ix.gy0 + (float64(j)+0.5)*ix.ch
				if e.y0 <= cy && cy < e.y1 {
					crosses = append(crosses, crossing{x: e.x0 + (cy-e.y0)*dxdy, row: int32(j), area: ix.edgeArea[ei]})
				}
			}
		}
	}
	return touches, crosses, spans
}

// groupByCell sorts touches by cell with a counting sort, which is stable, so the edges of
// one cell stay in edge order (hence grouped by area): cell c is touched by the edges
// cellEdges[cellStart[c]:cellStart[c+1]], none for a cell no edge touches.
func groupByCell(touches []touch, ncells int) (cellStart, cellEdges []uint32) {
	cellStart = make([]uint32, ncells+1)
	for _, t := range touches {
		cellStart[t.cell+1]++
	}
	for c := 1; c <= ncells; c++ {
		cellStart[c] += cellStart[c-1]
	}
	cellEdges = make([]uint32, len(touches))
	next := slices.Clone(cellStart[:ncells])
	for _, t := range touches {
		cellEdges[next[t.cell]] = t.edge
		next[t.cell]++
	}
	return cellStart, cellEdges
}

// rowSweep is the state of sweepRows along one row's centre line, reused row to row.
type rowSweep struct {
	parity []bool  // per area: an odd number of its crossings lies west of the current centre
	odd    []int32 // the areas of odd parity: those containing the current cell centre
	stamp  []int   // per area: the last cell listing it, so that a cell lists an area once
	// The row's spans, grouped by area, and the ends of its edges within the row's
	// latitudes; area a has rs[areaLo[a]:areaHi[a]] and ends[endLo[a]:endHi[a]] (empty
	// ranges for an area without spans in the row).
	rs                           []rowSpan
	ends                         []rowEnd
	areaLo, areaHi, endLo, endHi []int
}

// newRowSweep starts a sweep over nareas areas: every parity even, no area listed yet.
func newRowSweep(nareas int) *rowSweep {
	sw := &rowSweep{
		parity: make([]bool, nareas),
		stamp:  make([]int, nareas),
		areaLo: make([]int, nareas),
		areaHi: make([]int, nareas),
		endLo:  make([]int, nareas),
		endHi:  make([]int, nareas),
	}
	for a := range sw.stamp {
		sw.stamp[a] = -1
	}
	return sw
}

// sweepRows fills ix.cells, one sweep per row along its centre line, west to east: a cell
// no edge touches and whose centre at most one area contains is pure (that area's, or
// outside); any other cell is mixed, with its candidates (addMixed). mixCand starts with
// offset 0 and mixEdge ends with len(cellEdges), so that mixed cell m has its ranges at
// [m] and [m+1] in both.
func (ix *Index) sweepRows(cellStart, cellEdges []uint32, crosses []crossing, spans []rowSpan) {
	nx, ny := ix.nx, ix.ny
	// Crossings by row (then by x, row by row below); spans by row, then by edge, hence by
	// area (each area's edges are consecutive).
	sorted, rowStart := byRow(crosses, ny, func(c crossing) int32 { return c.row })
	bySpan, spanStart := byRow(spans, ny, func(sp rowSpan) int32 { return sp.row })
	sw := newRowSweep(len(ix.areas))
	ix.cells = make([]uint32, nx*ny)
	ix.mixCand = append(ix.mixCand, 0)
	for j := range ny {
		cr := sorted[rowStart[j]:rowStart[j+1]]
		slices.SortFunc(cr, func(a, b crossing) int { return cmp.Compare(a.x, b.x) })
		// Every latitude a point of this row can have (as rows were padded above).
		ylo := ix.gy0 + float64(j)*ix.ch - padEps
		yhi := ix.gy0 + float64(j+1)*ix.ch + padEps
		// In edge order (the counting sort is stable), so grouped by area.
		ix.startRow(sw, bySpan[spanStart[j]:spanStart[j+1]], ylo, yhi)
		k := 0
		for i := range nx {
			c := j*nx + i
			cx := ix.gx0 + (float64(i)+0.5)*ix.cw
			for ; k < len(cr) && cr[k].x < cx; k++ {
				sw.flip(cr[k].area)
			}
			es := cellEdges[cellStart[c]:cellStart[c+1]]
			if len(es) == 0 && len(sw.odd) <= 1 {
				if len(sw.odd) == 1 {
					ix.cells[c] = uint32(sw.odd[0]) + 1
				}
				continue
			}
			ix.addMixed(sw, c, i, ylo, cellStart[c], es)
		}
		ix.endRow(sw)
	}
	ix.mixEdge = append(ix.mixEdge, uint32(len(cellEdges)))
}

// startRow takes the row's spans rs (grouped by area) and records, per area, its spans
// and the ends of its edges within the row's latitudes (ylo, yhi], sorted by latitude:
// what prepareCand needs for a candidate of this row.
func (ix *Index) startRow(sw *rowSweep, rs []rowSpan, ylo, yhi float64) {
	sw.rs = rs
	sw.ends = sw.ends[:0]
	for k := 0; k < len(rs); {
		a, k0, e0 := ix.edgeArea[rs[k].edge], k, len(sw.ends)
		for ; k < len(rs) && ix.edgeArea[rs[k].edge] == a; k++ {
			e := &ix.edges[rs[k].edge]
			for _, v := range [2]float64{e.y0, e.y1} {
				if v > ylo && v <= yhi {
					sw.ends = append(sw.ends, rowEnd{y: v, ia: rs[k].ia})
				}
			}
		}
		slices.SortFunc(sw.ends[e0:], func(a, b rowEnd) int { return cmp.Compare(a.y, b.y) })
		sw.areaLo[a], sw.areaHi[a] = k0, k
		sw.endLo[a], sw.endHi[a] = e0, len(sw.ends)
	}
}

// flip records a crossing of area a's edge west of the current cell centre.
func (sw *rowSweep) flip(a int32) {
	sw.parity[a] = !sw.parity[a]
	if sw.parity[a] {
		sw.odd = append(sw.odd, a)
	} else {
		sw.odd = slices.DeleteFunc(sw.odd, func(v int32) bool { return v == a })
	}
}

// endRow clears the parities and the areas' ranges of the row, so that no parity or
// range outlives its row.
func (ix *Index) endRow(sw *rowSweep) {
	for _, a := range sw.odd {
		sw.parity[a] = false
	}
	sw.odd = sw.odd[:0]
	for _, sp := range sw.rs {
		a := ix.edgeArea[sp.edge]
		sw.areaLo[a], sw.areaHi[a], sw.endLo[a], sw.endHi[a] = 0, 0, 0, 0
	}
}

// addMixed makes cell c (column i of a row whose latitudes start at ylo) the next mixed
// cell: its edges are es, listed from cellEdges[first]; its candidates are the areas with
// an edge touching it plus the areas containing its centre, ascending by area (Locate
// returns the first that contains a point: the lowest index where areas overlap), each
// prepared for its crossing test.
func (ix *Index) addMixed(sw *rowSweep, c, i int, ylo float64, first uint32, es []uint32) {
	m := len(ix.mixEdge)
	ix.cells[c] = mixedBit | uint32(m)
	ix.mixEdge = append(ix.mixEdge, first)
	k0 := len(ix.cands)
	for _, e := range es {
		if a := ix.edgeArea[e]; sw.stamp[a] != c {
			sw.stamp[a] = c
			ix.cands = append(ix.cands, cellCand{area: a})
		}
	}
	for _, a := range sw.odd {
		if sw.stamp[a] != c {
			sw.stamp[a] = c
			ix.cands = append(ix.cands, cellCand{area: a})
		}
	}
	slices.SortFunc(ix.cands[k0:], func(a, b cellCand) int { return cmp.Compare(a.area, b.area) })
	for k := k0; k < len(ix.cands); k++ {
		cd := &ix.cands[k]
		a := cd.area
		ix.prepareCand(cd, sw.rs[sw.areaLo[a]:sw.areaHi[a]], sw.ends[sw.endLo[a]:sw.endHi[a]], i, ylo)
	}
	ix.mixCand = append(ix.mixCand, uint32(len(ix.cands)))
}

// storeCellEdges copies every listed edge, with its index and area, into segs, so that a
// distance search reads each cell's edges from one place, and trims the lists built by
// appending to their length (an index lives as long as its process).
func (ix *Index) storeCellEdges(cellEdges []uint32) {
	ix.segs = make([]cellSeg, len(cellEdges))
	for k, e := range cellEdges {
		ix.segs[k] = cellSeg{edge: ix.edges[e], id: e, area: ix.edgeArea[e]}
	}
	ix.mixEdge = slices.Clone(ix.mixEdge)
	ix.mixCand = slices.Clone(ix.mixCand)
	ix.cands = slices.Clone(ix.cands)
	ix.flips = slices.Clone(ix.flips)
	ix.local = slices.Clone(ix.local)
}

// distanceTransform is, per cell, the chessboard distance in cells (saturating at 255) to
// the nearest cell that an edge touches, in two raster passes: a nearest-edge search from
// a cell starts at that ring, as the rings inside it hold no edge.
func distanceTransform(cellStart []uint32, nx, ny int) []uint8 {
	dt := make([]uint8, nx*ny)
	for c := range dt {
		if cellStart[c] == cellStart[c+1] {
			dt[c] = 255
		}
	}
	relax := func(c, i, j int) {
		if i < 0 || i >= nx || j < 0 || j >= ny {
			return
		}
		if v := dt[j*nx+i]; v < 255 && v+1 < dt[c] {
			dt[c] = v + 1
		}
	}
	for j := range ny {
		for i := range nx {
			c := j*nx + i
			if dt[c] == 0 {
				continue
			}
			relax(c, i-1, j)
			relax(c, i-1, j-1)
			relax(c, i, j-1)
			relax(c, i+1, j-1)
		}
	}
	for j := ny - 1; j >= 0; j-- {
		for i := nx - 1; i >= 0; i-- {
			c := j*nx + i
			if dt[c] == 0 {
				continue
			}
			relax(c, i+1, j)
			relax(c, i+1, j+1)
			relax(c, i, j+1)
			relax(c, i-1, j+1)
		}
	}
	return dt
}

// byRow sorts items into rows 0..ny-1, stably (a counting sort): row j is
// sorted[start[j]:start[j+1]].
func byRow[T any](items []T, ny int, row func(T) int32) (sorted []T, start []int) {
	start = make([]int, ny+1)
	for _, it := range items {
		start[row(it)+1]++
	}
	for j := 1; j <= ny; j++ {
		start[j] += start[j-1]
	}
	sorted = make([]T, len(items))
	next := slices.Clone(start[:ny])
	for _, it := range items {
		j := row(it)
		sorted[next[j]] = it
		next[j]++
	}
	return sorted, start
}

// rowEnd is an end of an edge within the latitudes of a row, and the first column of
// the cells the edge touches in that row.
type rowEnd struct {
	y  float64
	ia int32
}

// prepareCand fills in candidate c of the mixed cell in column i of a row whose latitudes
// start at ylo: the local edges from the spans of c's area in the row, the parity of its
// edges east of the cell at ylo, and the latitudes where that parity flips: the ends of
// those edges (sorted, in ends), where two ends at one latitude cancel.
func (ix *Index) prepareCand(c *cellCand, spans []rowSpan, ends []rowEnd, i int, ylo float64) {
	c.e0 = uint32(len(ix.local))
	for _, sp := range spans {
		e := ix.edges[sp.edge]
		switch {
		case int(sp.ib) < i: // west of the cell: a ray east never crosses it
		case int(sp.ia) > i: // east of the cell: crossed wherever y0 <= y < y1
			if e.y0 <= ylo && ylo < e.y1 {
				c.base = !c.base
			}
		default:
			ix.local = append(ix.local, newCrossEdge(e))
		}
	}
	c.e1 = uint32(len(ix.local))
	c.f0 = uint32(len(ix.flips))
	for k := 0; k < len(ends); {
		y, odd := ends[k].y, false
		for ; k < len(ends) && ends[k].y == y; k++ {
			if int(ends[k].ia) > i {
				odd = !odd
			}
		}
		if odd {
			ix.flips = append(ix.flips, y)
		}
	}
	c.f1 = uint32(len(ix.flips))
}
