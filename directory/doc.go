// Package directory is the domain of the service: editions of the NHS boundaries, the areas in
// them (Cancer Alliances, STP/ICS footprints, ICBs, CCGs, Sub-ICB locations, NHS regions and the
// UK countries), the postcodes of Great Britain, and the lookups that combine them.
//
// The durable copy lives in one SQLite file written by [Import]; [Open] reads it once into an
// immutable [Snapshot] (areas, one geo.Index per layer, the postcode table), and [Directory]
// swaps snapshots atomically on reload, so a request always sees one whole dataset.
//
// Edge rules, stated once:
//   - Editions never mix: every area in an answer comes from the requested edition, except the
//     country, which belongs to no edition.
//   - A point inside no polygon of a layer (the coast is generalised) is given the nearest area
//     of that layer within the nearest-area limit (2 km by default), marked "nearest"; further
//     out it has no area in that layer.
//   - The nearest-area fallback is never used across a national border: a point or postcode in
//     Wales, Scotland or Northern Ireland gets its country and the statement that Cancer
//     Alliances and ICBs cover England only.
//   - A point on a border shared by two areas belongs to the one east of it (north of it on an
//     east–west border): see geo.Index.Locate.
package directory
