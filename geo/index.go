package geo

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// Index answers point queries against one layer of non-overlapping areas.
// It is immutable after NewIndex and safe for concurrent use.
type Index struct {
	areas []area
	bound orb.Bound

	// All ring edges of all areas, canonical (y0 < y1, or y0 == y1 and x0 <= x1); the
	// edges of area a are edges[areas[a].e0:areas[a].e1].
	edges    []edge
	edgeArea []int32

	// Uniform grid over bound.
	gx0, gy0, gx1, gy1 float64 // grid extent (= bound)
	cw, ch             float64 // cell size, degrees
	invW, invH         float64 // cells per degree
	nx, ny             int
	cells              []uint32 // 0 outside, k+1 pure area k, mixedBit|m mixed cell m
	dt                 []uint8  // chessboard distance (cells) to the nearest cell holding an edge, saturating at 255

	// Mixed cell m: candidate areas cands[mixCand[m]:mixCand[m+1]] (ascending area), edges
	// touching it segs[mixEdge[m]:mixEdge[m+1]] (for distance searches; copies, so that a
	// search reads each cell's edges from one place).
	mixCand []uint32
	cands   []cellCand
	mixEdge []uint32
	segs    []cellSeg

	// The crossing test of a candidate, local to its cell (see cellCand).
	flips []float64
	local []crossEdge

	deep     atomic.Pointer[deepBlocks] // nil until ListDeepEdges
	deepOnce sync.Once
	deepSide int
}

// cellCand is a candidate area of a mixed cell with what its crossing-number test needs
// there. A ray east from a point of the cell crosses three kinds of the area's edges:
// those west of the cell (never counted), those touching the cell (local[e0:e1], tested),
// and those east of it, which it crosses whenever the point's latitude is within theirs.
// The parity of the last kind depends on latitude alone: base at the bottom of the
// (padded) row, flipped at each latitude in flips[f0:f1] at or below the point's. The
// edges are the same and the crossing is computed by the same expression as a test over
// all of the area's edges, so the answer is bit-identical to it.
type cellCand struct {
	area   int32
	base   bool
	f0, f1 uint32
	e0, e1 uint32
}

type area struct {
	minX, minY, maxX, maxY float64
	e0, e1                 int // edges[e0:e1]
}

// edge is a ring edge, canonical: y0 < y1, or y0 == y1 and x0 <= x1.
type edge struct{ x0, y0, x1, y1 float64 }

// cellSeg is an edge listed in a cell, with its index and area.
type cellSeg struct {
	edge
	id   uint32
	area int32
}

// crossEdge is a non-horizontal edge prepared for the crossing test.
type crossEdge struct{ y0, y1, x0, dxdy float64 }

func newCrossEdge(e edge) crossEdge {
	return crossEdge{y0: e.y0, y1: e.y1, x0: e.x0, dxdy: (e.x1 - e.x0) / (e.y1 - e.y0)}
}

// crosses reports whether a ray east from (x, y) crosses e: half-open in y, and only when
// x is strictly west of the crossing. float64(...) forbids fusing into an FMA, so every
// area sharing this edge computes the identical crossing.
func (e *crossEdge) crosses(x, y float64) bool {
	return e.y0 <= y && y < e.y1 && x < e.x0+float64((y-e.y0)*e.dxdy)
}

const (
	mixedBit = 1 << 31
	// padEps pads every grid cell (degrees) when deciding which edges touch it, so that a
	// point whose cell index is off by rounding still sees every edge near it.
	padEps = 1e-9
)

// params tune the index; defaultParams is what NewIndex uses.
type params struct {
	cellsPerEdge float64 // target grid cells per edge
	minCells     int
	maxCells     int
	deepSide     int // cells per side of a block with listed candidate edges; 0: none
}

var defaultParams = params{cellsPerEdge: 8, minCells: 1024, maxCells: 1 << 21, deepSide: 2}

// NewIndex builds the index; area i of the result is areas[i]. Each area is a
// MultiPolygon in lon/lat (orb.Point{lon, lat}); rings need not be closed (they are
// closed implicitly), zero-length edges are ignored, holes and islands are read with the
// even-odd rule over all rings of the area. It returns an error for empty input, an area
// without any non-degenerate edge, NaN/Inf coordinates, or coordinates outside
// lon [-180, 180] / lat [-90, 90]. The areas are assumed not to overlap; where they do,
// Locate returns the lowest index.
func NewIndex(areas []orb.MultiPolygon) (*Index, error) {
	return build(areas, defaultParams)
}

// ListDeepEdges lists, for every block of cells deep inside one area, the few edges that can
// be nearest to its points, so that Lookup finds a deep point's boundary distance by reading
// them rather than searching the grid (see the package documentation). It takes a few tens of
// milliseconds per layer, so NewIndex leaves it to the caller, which may run it in the
// background: Lookup gives the same answers before, during and after (only faster after). It
// is safe to call concurrently with every method, and more than once.
func (ix *Index) ListDeepEdges() {
	ix.deepOnce.Do(func() {
		if ix.deepSide > 0 {
			ix.deep.Store(ix.buildDeep(ix.deepSide))
		}
	})
}

// Len returns the number of areas.
func (ix *Index) Len() int { return len(ix.areas) }

// Bound returns the bounding box of all areas.
func (ix *Index) Bound() orb.Bound { return ix.bound }

func build(in []orb.MultiPolygon, prm params) (*Index, error) {
	if len(in) == 0 {
		return nil, errors.New("geo: no areas")
	}
	if len(in) >= math.MaxInt32 {
		return nil, errors.New("geo: too many areas")
	}
	ix := &Index{areas: make([]area, len(in))}
	if err := ix.addEdges(in); err != nil {
		return nil, err
	}
	ix.buildGrid(prm)
	ix.deepSide = prm.deepSide
	return ix, nil
}

func (ix *Index) addEdges(in []orb.MultiPolygon) error {
	n := 0
	for _, mp := range in {
		for _, poly := range mp {
			for _, r := range poly {
				n += len(r)
			}
		}
	}
	if n >= math.MaxUint32/4 {
		return errors.New("geo: too many vertices")
	}
	ix.edges = make([]edge, 0, n)
	ix.edgeArea = make([]int32, 0, n)
	empty := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	gb := empty
	for ai, mp := range in {
		ar := &ix.areas[ai]
		ar.e0 = len(ix.edges)
		b := empty
		for pi, poly := range mp {
			for ri, ring := range poly {
				for vi, pt := range ring {
					if err := ValidLonLat(pt); err != nil {
						return fmt.Errorf("geo: area %d polygon %d ring %d point %d: %w", ai, pi, ri, vi, err)
					}
				}
				k := len(ring)
				for i := range k {
					a, c := ring[i], ring[(i+1)%k] // the last edge closes the ring
					if a == c {
						continue // zero-length (or the closing edge of a closed ring)
					}
					if a[1] > c[1] || (a[1] == c[1] && a[0] > c[0]) {
						a, c = c, a
					}
					ix.edges = append(ix.edges, edge{a[0], a[1], c[0], c[1]})
					ix.edgeArea = append(ix.edgeArea, int32(ai))
					b = b.Extend(a).Extend(c)
				}
			}
		}
		ar.e1 = len(ix.edges)
		if ar.e1 == ar.e0 {
			return fmt.Errorf("geo: area %d: empty geometry", ai)
		}
		ar.minX, ar.minY, ar.maxX, ar.maxY = b.Min[0], b.Min[1], b.Max[0], b.Max[1]
		gb = gb.Union(b)
	}
	ix.bound = gb
	return nil
}

// inCand is the crossing-number test of candidate c of a mixed cell for a point (x, y) of
// the cell.
func (ix *Index) inCand(c *cellCand, x, y float64) bool {
	in := c.base
	for _, v := range ix.flips[c.f0:c.f1] {
		if v <= y {
			in = !in
		}
	}
	for i := c.e0; i < c.e1; i++ {
		if ix.local[i].crosses(x, y) {
			in = !in
		}
	}
	return in
}

func (ix *Index) cellX(x float64) int {
	i := int((x - ix.gx0) * ix.invW)
	return min(max(i, 0), ix.nx-1)
}

func (ix *Index) cellY(y float64) int {
	j := int((y - ix.gy0) * ix.invH)
	return min(max(j, 0), ix.ny-1)
}

// Locate returns the index of the area containing p, or -1 (also for an invalid p).
//
// The test is exact, without tolerance. Edge rule: a point on a boundary is decided as if
// it were moved an infinitesimal step east and then a far smaller step north. So a point
// on an edge shared by two neighbours belongs to the area east of it; a point on an
// east-west edge belongs to the area north of it; a vertex where several areas meet
// belongs to the area lying just north of due east from it (four squares meeting at a
// corner: the north-east one); a point on the outer boundary of the layer belongs to an
// area only when that area lies east (or, on an east-west edge, north) of it. A point on
// an edge shared with bit-identical vertices therefore has exactly one owner.
func (ix *Index) Locate(p orb.Point) int {
	x, y := p[0], p[1]
	if !(x >= ix.gx0 && x <= ix.gx1 && y >= ix.gy0 && y <= ix.gy1) {
		return -1
	}
	i := int((x - ix.gx0) * ix.invW)
	if i >= ix.nx {
		i = ix.nx - 1
	}
	j := int((y - ix.gy0) * ix.invH)
	if j >= ix.ny {
		j = ix.ny - 1
	}
	v := ix.cells[j*ix.nx+i]
	if v&mixedBit == 0 {
		return int(v) - 1
	}
	m := v &^ mixedBit
	for k := ix.mixCand[m]; k < ix.mixCand[m+1]; k++ {
		if c := &ix.cands[k]; ix.inCand(c, x, y) {
			return int(c.area)
		}
	}
	return -1
}
