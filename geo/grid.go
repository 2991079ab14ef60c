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
	ncells := nx * ny

	// Edge/cell touches (conservative: the edge against the cell padded by padEps) and the
	// crossings of each row's centre line.
	touches := make([]touch, 0, 3*len(ix.edges))
	crosses := make([]crossing, 0, len(ix.edges))
	spans := make([]rowSpan, 0, 2*len(ix.edges))
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

	// Counting sort of touches by cell (edges of one cell stay in edge order).
	cellStart := make([]uint32, ncells+1)
	for _, t := range touches {
		cellStart[t.cell+1]++
	}
	for c := 1; c <= ncells; c++ {
		cellStart[c] += cellStart[c-1]
	}
	cellEdges := make([]uint32, len(touches))
	{
		next := slices.Clone(cellStart[:ncells])
		for _, t := range touches {
			cellEdges[next[t.cell]] = t.edge
			next[t.cell]++
		}
	}
	// Room for the candidates' local edges (at most one per touch) and for the candidates.
	ix.local = make([]crossEdge, 0, len(touches))
	ix.cands = make([]cellCand, 0, len(touches)/2)
	touches = nil

	// Crossings by row (then by x, row by row below); spans by row, then by edge, hence by
	// area (each area's edges are consecutive).
	sorted, rowStart := byRow(crosses, ny, func(c crossing) int32 { return c.row })
	bySpan, spanStart := byRow(spans, ny, func(sp rowSpan) int32 { return sp.row })
	crosses, spans = nil, nil
	areaLo := make([]int, len(ix.areas))
	areaHi := make([]int, len(ix.areas))
	endLo := make([]int, len(ix.areas))
	endHi := make([]int, len(ix.areas))
	var ends []rowEnd

	// Sweep each row: parity per area along the centre line.
	ix.cells = make([]uint32, ncells)
	parity := make([]bool, len(ix.areas))
	stamp := make([]int, len(ix.areas))
	for a := range stamp {
		stamp[a] = -1
	}
	var odd []int32
	ix.mixCand = append(ix.mixCand, 0)
	for j := range ny {
		cr := sorted[rowStart[j]:rowStart[j+1]]
		slices.SortFunc(cr, func(a, b crossing) int { return cmp.Compare(a.x, b.x) })
		// In edge order (the counting sort is stable), so grouped by area.
		rs := bySpan[spanStart[j]:spanStart[j+1]]
		// Every latitude a point of this row can have (as rows were padded above).
		ylo := ix.gy0 + float64(j)*ix.ch - padEps
		yhi := ix.gy0 + float64(j+1)*ix.ch + padEps
		// Per area: its spans, and the ends of its edges within the row's latitudes, sorted.
		ends = ends[:0]
		for k := 0; k < len(rs); {
			a, k0, e0 := ix.edgeArea[rs[k].edge], k, len(ends)
			for ; k < len(rs) && ix.edgeArea[rs[k].edge] == a; k++ {
				e := &ix.edges[rs[k].edge]
				for _, v := range [2]float64{e.y0, e.y1} {
					if v > ylo && v <= yhi {
						ends = append(ends, rowEnd{y: v, ia: rs[k].ia})
					}
				}
			}
			slices.SortFunc(ends[e0:], func(a, b rowEnd) int { return cmp.Compare(a.y, b.y) })
			areaLo[a], areaHi[a] = k0, k
			endLo[a], endHi[a] = e0, len(ends)
		}
		k := 0
		for i := range nx {
			c := j*nx + i
			cx := ix.gx0 + (float64(i)+0.5)*ix.cw
			for ; k < len(cr) && cr[k].x < cx; k++ {
				a := cr[k].area
				parity[a] = !parity[a]
				if parity[a] {
					odd = append(odd, a)
				} else {
					odd = slices.DeleteFunc(odd, func(v int32) bool { return v == a })
				}
			}
			es := cellEdges[cellStart[c]:cellStart[c+1]]
			if len(es) == 0 && len(odd) <= 1 {
				if len(odd) == 1 {
					ix.cells[c] = uint32(odd[0]) + 1
				}
				continue
			}
			// Mixed: areas with an edge touching the cell, plus areas containing it.
			m := len(ix.mixEdge)
			ix.cells[c] = mixedBit | uint32(m)
			ix.mixEdge = append(ix.mixEdge, cellStart[c])
			first := len(ix.cands)
			for _, e := range es {
				if a := ix.edgeArea[e]; stamp[a] != c {
					stamp[a] = c
					ix.cands = append(ix.cands, cellCand{area: a})
				}
			}
			for _, a := range odd {
				if stamp[a] != c {
					stamp[a] = c
					ix.cands = append(ix.cands, cellCand{area: a})
				}
			}
			slices.SortFunc(ix.cands[first:], func(a, b cellCand) int { return cmp.Compare(a.area, b.area) })
			for k := first; k < len(ix.cands); k++ {
				c := &ix.cands[k]
				ix.prepareCand(c, rs[areaLo[c.area]:areaHi[c.area]], ends[endLo[c.area]:endHi[c.area]], i, ylo)
			}
			ix.mixCand = append(ix.mixCand, uint32(len(ix.cands)))
		}
		for _, a := range odd {
			parity[a] = false
		}
		odd = odd[:0]
		for _, sp := range rs { // no range outlives its row
			a := ix.edgeArea[sp.edge]
			areaLo[a], areaHi[a], endLo[a], endHi[a] = 0, 0, 0, 0
		}
	}
	ix.mixEdge = append(ix.mixEdge, uint32(len(cellEdges)))
	ix.segs = make([]cellSeg, len(cellEdges))
	for k, e := range cellEdges {
		ix.segs[k] = cellSeg{edge: ix.edges[e], id: e, area: ix.edgeArea[e]}
	}
	ix.mixEdge = slices.Clone(ix.mixEdge)
	ix.mixCand = slices.Clone(ix.mixCand)
	ix.cands = slices.Clone(ix.cands)
	ix.flips = slices.Clone(ix.flips)
	ix.local = slices.Clone(ix.local)

	// Chessboard distance transform to the nearest cell holding an edge.
	dt := make([]uint8, ncells)
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
	ix.dt = dt
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
