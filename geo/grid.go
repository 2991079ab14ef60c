package geo

import (
	"cmp"
	"math"
	"slices"
)

type touch struct{ cell, edge uint32 }

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
			for i := ix.cellX(xa - padEps); i <= ix.cellX(xb+padEps); i++ {
				touches = append(touches, touch{uint32(row + i), uint32(ei)})
			}
			if !horiz {
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
	ix.cellEdges = make([]uint32, len(touches))
	{
		next := slices.Clone(cellStart[:ncells])
		for _, t := range touches {
			ix.cellEdges[next[t.cell]] = t.edge
			next[t.cell]++
		}
	}
	touches = nil

	// Crossings by row, then by x.
	rowStart := make([]int, ny+1)
	for _, c := range crosses {
		rowStart[c.row+1]++
	}
	for j := 1; j <= ny; j++ {
		rowStart[j] += rowStart[j-1]
	}
	sorted := make([]crossing, len(crosses))
	{
		next := slices.Clone(rowStart[:ny])
		for _, c := range crosses {
			sorted[next[c.row]] = c
			next[c.row]++
		}
	}
	crosses = nil

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
			es := ix.cellEdges[cellStart[c]:cellStart[c+1]]
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
					ix.cands = append(ix.cands, a)
				}
			}
			for _, a := range odd {
				if stamp[a] != c {
					stamp[a] = c
					ix.cands = append(ix.cands, a)
				}
			}
			slices.Sort(ix.cands[first:])
			ix.mixCand = append(ix.mixCand, uint32(len(ix.cands)))
		}
		for _, a := range odd {
			parity[a] = false
		}
		odd = odd[:0]
	}
	ix.mixEdge = append(ix.mixEdge, uint32(len(ix.cellEdges)))
	ix.mixEdge = slices.Clone(ix.mixEdge)
	ix.mixCand = slices.Clone(ix.mixCand)
	ix.cands = slices.Clone(ix.cands)

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
