// Package geo answers "which area of a layer covers this point" for layers of
// non-overlapping areas such as England's 42 Integrated Care Boards or 21 Cancer
// Alliances. Areas are orb.MultiPolygon values in WGS84 lon/lat (orb.Point{lon, lat}),
// with holes (lakes, enclaves) and islands; area i of an Index is the i-th MultiPolygon
// given to NewIndex.
//
// # What it answers
//
//   - Locate: the area containing a point, or -1. Exact: no tolerance, no projection.
//   - Lookup: Locate, else the area whose boundary is nearest within a limit (the
//     boundary layers are generalised and clipped to the coast, so some real coastal
//     points lie in no polygon; a limit of about 2 km is sensible), plus the distance from
//     the point to that area's boundary, so a caller can say "this point is 40 m from a
//     boundary, the answer may be wrong at this precision".
//   - Near: every area within a distance of a point, nearest first.
//   - DistanceM: haversine distance between two points.
//
// # The edge rule
//
// A point on a boundary is decided as if it were moved an infinitesimal step east and
// then a far smaller step north. So a point on an edge shared by two neighbours belongs
// to the area east of it; a point on an east-west edge belongs to the area north of it;
// a vertex where several areas meet belongs to the area lying just north of due east
// from it (four squares meeting at a corner: the north-east one); a point on the outer
// boundary of the layer belongs to an area only when that area lies east (or, on an
// east-west edge, north) of it.
//
// Concretely, every edge is stored with its endpoints ordered (y0 < y1; horizontal edges
// are ignored) and the crossing-number test counts an edge when y0 <= py < y1 and
// px < x0 + (py-y0)·(x1-x0)/(y1-y0), with the slope computed once per edge and no fused
// multiply-add. Two neighbours that share an edge with bit-identical vertices compute the
// identical crossing, so a point on a shared edge has exactly one owner. Edges that
// neighbours do not share exactly (a sliver or gap in the data) give no such guarantee:
// a point in a sliver may belong to both (Locate returns the lowest index) or to none.
//
// # Distances
//
// Distances to areas are found in a local equirectangular projection centred on the
// query point (x scaled by cos(latitude), 111195.08 m per degree, from the mean Earth
// radius 6371008.8 m); the nearest boundary point found that way is then measured with
// the haversine formula. The error is far below 0.1 % at a few kilometres; at 30 km the
// choice of nearest point may be off by about 0.5 % of the distance. The projection does
// not wrap at the antimeridian and degrades near the poles, which is fine for England
// and wrong for a layer crossing longitude 180.
//
// # Measures and shapes
//
//   - AreaKm2 and Centroid: area on the WGS84 ellipsoid and the area-weighted centroid,
//     both through the ellipsoid's cylindrical equal-area projection.
//   - Neighbours: the areas of a layer sharing at least one edge, bit for bit.
//   - OverlapShares: how much of each area of one layer lies in each area of another,
//     estimated from a lattice of equal-area points (no polygon clipping).
//   - SimplifyLayer: Douglas–Peucker simplification of a whole layer that keeps shared
//     borders identical and never makes borders cross, so the result tiles the ground as
//     the input did.
//
// # How
//
// A uniform grid (about 8 cells per edge, roughly square on the ground) covers the layer:
// a cell that no edge touches is wholly outside or wholly inside one area and answers at
// once. Any other cell lists the areas to test there, each with its crossing-number test
// cut down to the cell: the few edges touching the cell are tested, and the edges east of
// it are summed up in advance as a parity that depends on latitude alone (a bit and the
// latitudes where it flips, usually none). The result is bit-identical to the test over
// all of the area's edges. Nearest-boundary searches walk the grid
// ring by ring outward from the point's cell, start at the first ring that can hold an
// edge (a precomputed chessboard distance transform), skip cells farther than the best
// edge found, and stop when no unvisited cell can hold a nearer edge.
//
// Deep inside an area that walk would read many empty cells, so the index lists ahead of
// time, for each block of 2×2 cells wholly inside one area, the only edges that can be
// nearest to a point of the block (about ten, as a few runs of consecutive edges): with y
// the boundary point nearest the block's centre, an edge can be nearest to a point of the
// block only if it comes within |ky| of some corner k, plus a margin for the projection's
// error. A deep point's boundary distance reads those edges, compared exactly as the walk
// compares them, so the answer is bit-identical (the tests check it on every real layer).
// The lists are built with a tree of each area's edge runs (leaves of 8 consecutive edges).
//
// Speed and size (one core, England layers of 6,000–30,000 vertices): Locate takes
// about 15–20 ns for a point drawn uniformly over England and 50–120 ns for one within
// 100 m of a boundary; Lookup adds the boundary distance, about 0.4–1 µs on average.
// Building all twelve reference layers takes about 0.6 s (deep lists included); an index
// of a 40,000-vertex layer holds about 8 MB, all twelve together about 50 MB.
package geo
