package geo

// SimplifyLayer and its four steps: topology and arcs (simplify_arcs.go), Douglas–Peucker
// on each arc (simplify_arcs.go), repair of conflicting segments (simplify_repair.go), and
// assembly of the rings (simplify_assemble.go).

import "github.com/paulmach/orb"

// SimplifyLayer simplifies every area of a layer at a tolerance of toleranceM metres so that
// the result still tiles the ground the way the input did: neighbours keep identical
// borders (no gaps, no overlaps between them), and no simplified border crosses or swallows
// another (two banks of a river stay apart, an island off a coast stays off it).
//
// How:
//
//  1. Topology. Every ring is cut into arcs at its junctions: the vertices where three or
//     more distinct edges meet, or where the number of rings using the edge changes. An
//     arc is stored once, in a canonical direction, however many rings use it; a ring is
//     a list of arcs, each walked forwards or backwards. This relies on neighbours sharing
//     their common borders vertex for vertex (bit-identical coordinates), which the ONS
//     layers do (TestRealBordersShareVertices checks every reference layer).
//  2. Douglas–Peucker (orb's) simplifies each arc once, with its end points fixed, in an
//     equirectangular projection at the layer's mean latitude (x scaled by cos(latitude),
//     111,195 m per degree): no kept vertex moves, and no dropped vertex lies farther than
//     about toleranceM from the simplified arc.
//  3. Repair. A simplified segment conflicts when it crosses or touches another segment
//     anywhere but at a common end point (folding back on its neighbour included, which
//     is how a ring collapses), or when a kept vertex of any arc lies in the region
//     between the segment and the stretch of original arc it replaces (Saalfeld's test:
//     the shortcut would move that vertex to the other side). Each conflicting segment
//     gets back the original vertex farthest from it, and the test is repeated until no
//     conflict is left or only original edges conflict (a flaw of the input itself), at
//     most 100 rounds (the reference layers need fewer than ten).
//  4. Assembly. Rings are rebuilt from their arcs; coordinates are rounded to digits
//     decimal places (negative: not rounded) before the repair tests, so the tests see
//     what is served, and repeated consecutive points are dropped. An unshared ring (an
//     island or lake no neighbour touches) is dropped when it has collapsed or encloses
//     less than (toleranceM/2)² on the ground. No area is ever lost: when every polygon of
//     an area would go, its largest is kept unsimplified.
//
// toleranceM <= 0 only rounds. The input is not modified.
func SimplifyLayer(areas []orb.MultiPolygon, toleranceM float64, digits int) []orb.MultiPolygon {
	t := newTopology(areas)
	ls := t.arcsOf(areas, digits)
	tol := toleranceM / MetresPerDegree // in projected degrees
	for _, a := range ls.arcs {
		a.simplify(tol)
	}
	if tol > 0 {
		ls.repair()
	}
	return ls.assemble(areas, toleranceM, t.xScale, digits)
}
