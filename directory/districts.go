package directory

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nhs-geo/alliance/data"
	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
)

// Postcodes by district. ONS gives a postcode the areas of the small area (LSOA) its centroid
// falls in, and an official lookup says which areas each district's small areas lie in. Where
// every small area of a district lies in one area of a layer, every postcode of the district
// does too: that answer is exact, where the generalised polygons are not near a border. The
// import works out, per edition and layer, which districts lie wholly in one area; a postcode
// of such a district is answered with that area, marked "district".

// PostcodeLookup names an official small-area lookup an edition's postcode answers rest on.
type PostcodeLookup struct {
	File  string `json:"file"`  // relative to the data directory
	Title string `json:"title"` // what the caveats call it
	// Layers maps a layer of the edition to the lookup's column of its codes ("CAL21CD").
	Layers map[AreaType]string `json:"layers"`
	// District is the lookup's column of district codes (default: the LAD column of any year).
	District string `json:"district,omitempty"`
	// DistrictNames, for a lookup without a district column, is another lookup holding district
	// codes and names; a small area's district is then the one its name starts with
	// ("Sheffield 001A" lies in Sheffield).
	DistrictNames string `json:"district_names,omitempty"`
}

// maxDistrictConflicts is how many districts may disagree with the polygons more than
// districtCheckM from every border before an import fails: the official lookups and the
// postcodes' district codes must agree with the boundaries away from them.
const (
	maxDistrictConflicts = 5
	districtCheckM       = 1000
	// containShare is the share of a smaller area's ground that must lie in one area of
	// another layer for the smaller area to count as inside it (the rest is the generalised
	// coast and the sampling's error along borders that are not shared vertex for vertex).
	containShare = 0.99
)

// englandPostcode is what the district step needs of a postcode.
type englandPostcode struct {
	p        orb.Point
	district string
}

// districtLayer is what the import learnt of one layer: the small areas of each district per
// area code, how it was found, and the districts that disagree with the polygons.
type districtLayer struct {
	edition   Edition
	typ       AreaType
	counts    map[string]map[string]int // district → area code → small areas
	via       string                    // the lookup's title, or "through <type>" when derived
	conflicts []string
	recovered []string // districts recoded since the lookup, answered through their old code
}

// exact is the one area of district d, if d lies wholly in one.
func (dl *districtLayer) exact(d string) (string, bool) {
	m := dl.counts[d]
	if len(m) != 1 {
		return "", false
	}
	for code := range m {
		return code, true
	}
	return "", false
}

// indexedLayer is a layer of the edition being imported, indexed for the checks.
type indexedLayer struct {
	src    LayerSource
	codes  []string
	byCode map[string]bool
	index  *geo.Index
}

func (im *importer) indexed(src LayerSource) (*indexedLayer, error) {
	if il, ok := im.indexes[src.File]; ok {
		return il, nil
	}
	sl, err := im.read(src)
	if err != nil {
		return nil, err
	}
	il := &indexedLayer{src: src, byCode: map[string]bool{}}
	areas := make([]orb.MultiPolygon, len(sl.features))
	for i, f := range sl.features {
		il.codes = append(il.codes, f.Code)
		il.byCode[f.Code] = true
		areas[i] = f.Geometry
	}
	if il.index, err = geo.NewIndex(areas); err != nil {
		return nil, fmt.Errorf("%s: %w", src.File, err)
	}
	im.indexes[src.File] = il
	return il, nil
}

// districts works out, for every edition with postcode lookups, each layer's areas per
// district, checks them against the polygons and writes them to district_areas. It returns a
// caveat per edition saying what its postcode answers rest on.
func (im *importer) districts(pcs []englandPostcode) (map[Edition]string, error) {
	caveats := map[Edition]string{}
	if f := im.opt.Sources.DistrictNames; f != "" {
		var err error
		if im.codeList, err = readSource(im, f, data.ReadCodeList); err != nil {
			return nil, err
		}
	}
	stmt, err := im.tx.PrepareContext(im.ctx, `INSERT INTO district_areas (edition, type, district, area, lsoas) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	for _, e := range im.opt.Sources.Editions {
		layers, err := im.districtLayers(e, pcs)
		if err != nil {
			return nil, err
		}
		var done []string
		for _, dl := range layers {
			if len(dl.conflicts) > maxDistrictConflicts {
				return nil, fmt.Errorf("edition %s %s: %d districts lie in another area than the official lookup says, more than %d m from every border (%s): the lookup does not fit these boundaries",
					e.ID, dl.typ, len(dl.conflicts), districtCheckM, strings.Join(dl.conflicts[:min(10, len(dl.conflicts))], ", "))
			}
			im.report.DistrictConflicts = append(im.report.DistrictConflicts, dl.conflicts...)
			im.districtMaps = append(im.districtMaps, dl)
			for _, c := range dl.conflicts {
				delete(dl.counts, c[strings.LastIndexByte(c, ' ')+1:]) // answered by location
			}
			exact := 0
			for d, m := range dl.counts {
				if len(m) == 1 {
					exact++
				}
				for code, n := range m {
					if _, err := stmt.ExecContext(im.ctx, string(e.ID), string(dl.typ), d, code, n); err != nil {
						return nil, err
					}
				}
			}
			note := fmt.Sprintf("%s (%s; %d of %d districts wholly in one area", dl.typ, dl.via, exact, len(dl.counts))
			if len(dl.recovered) > 0 {
				note += ", " + strings.Join(dl.recovered, ", ")
			}
			done = append(done, note+")")
		}
		if len(done) == 0 {
			caveats[e.ID] = "Postcodes are answered by their location on these boundaries: no official lookup of this edition is used."
			continue
		}
		caveats[e.ID] = "Postcodes are answered by their district where the district lies wholly in one area, as the official lookup says (match \"district\"), else by their location: " +
			strings.Join(done, "; ") + "."
	}
	return caveats, nil
}

// districtLayers reads edition e's lookups into per-layer district counts, derives the layers
// that nest (an alliance made of Sub-ICBs, a region of ICBs) and checks every layer against
// the postcodes' locations.
func (im *importer) districtLayers(e EditionInfo, pcs []englandPostcode) ([]*districtLayer, error) {
	byType := map[AreaType]*indexedLayer{}
	for _, src := range e.Layers {
		il, err := im.indexed(src)
		if err != nil {
			return nil, err
		}
		byType[src.Type] = il
	}
	var out []*districtLayer
	for _, lk := range e.PostcodeLookups {
		got, err := im.readPostcodeLookup(e, lk, byType)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	if len(out) == 0 {
		return nil, nil
	}
	// Layers without a column: through a mapped layer whose every area lies in one of theirs.
	for _, src := range e.Layers {
		if slices.ContainsFunc(out, func(dl *districtLayer) bool { return dl.typ == src.Type }) {
			continue
		}
		for _, from := range out {
			if dl := derive(from, byType[from.typ], byType[src.Type]); dl != nil {
				out = append(out, dl)
				break
			}
		}
	}
	for _, dl := range out {
		dl.recovered = im.recoverRecoded(dl, byType[dl.typ], pcs)
		dl.conflicts = checkDistricts(dl, byType[dl.typ], pcs)
	}
	sort.Slice(out, func(i, j int) bool { return slices.Index(AreaTypes, out[i].typ) < slices.Index(AreaTypes, out[j].typ) })
	return out, nil
}

// readPostcodeLookup counts, for each layer the lookup names, the small areas of each district
// in each area. A layer whose codes in the lookup are not the layer's own is left out, to be
// derived or answered by location.
func (im *importer) readPostcodeLookup(e EditionInfo, lk PostcodeLookup, byType map[AreaType]*indexedLayer) ([]*districtLayer, error) {
	tab, err := readSource(im, lk.File, data.ReadLookup)
	if err != nil {
		return nil, fmt.Errorf("edition %s: %w", e.ID, err)
	}
	districtOf, err := im.lookupDistricts(tab, lk)
	if err != nil {
		return nil, fmt.Errorf("edition %s: %w", e.ID, err)
	}
	var out []*districtLayer
	for _, t := range sortedTypes(lk.Layers) {
		il := byType[t]
		if il == nil {
			return nil, fmt.Errorf("edition %s: %s maps layer %s, which the edition does not have", e.ID, lk.File, t)
		}
		col, err := tab.Column(lk.Layers[t])
		if err != nil {
			return nil, fmt.Errorf("edition %s: %w", e.ID, err)
		}
		dl := &districtLayer{edition: e.ID, typ: t, counts: map[string]map[string]int{}, via: lk.Title}
		known := true
		for i, row := range tab.Rows {
			d := districtOf(i)
			code := row[col]
			if !il.byCode[code] {
				known = false
				break
			}
			if d == "" {
				continue
			}
			if dl.counts[d] == nil {
				dl.counts[d] = map[string]int{}
			}
			dl.counts[d][code]++
		}
		if known {
			out = append(out, dl)
		}
	}
	return out, nil
}

// lookupDistricts returns the district of each row of tab: its district column, or the
// district its small area's name starts with (lk.DistrictNames). Districts are also named
// in im.districtNames.
func (im *importer) lookupDistricts(tab *data.Lookup, lk PostcodeLookup) (func(row int) string, error) {
	if lk.DistrictNames == "" {
		key := lk.District
		if key == "" {
			key = "LADCD"
		}
		cols, err := tab.Columns(key, "LADNM")
		if err != nil {
			return nil, err
		}
		for _, row := range tab.Rows {
			im.nameDistrict(row[cols[0]], row[cols[1]])
		}
		return func(i int) string { return tab.Rows[i][cols[0]] }, nil
	}
	names, err := readSource(im, lk.DistrictNames, data.ReadLookup)
	if err != nil {
		return nil, err
	}
	cols, err := names.Columns("LADCD", "LADNM")
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for _, row := range names.Rows {
		code, name := row[cols[0]], row[cols[1]]
		im.nameDistrict(code, name)
		byName[name] = code
		// Small areas are named by the district's short name: "Bristol 001A" for "Bristol, City of".
		if short, _, ok := strings.Cut(name, ", "); ok {
			byName[short] = code
		}
	}
	col, err := tab.Column("LSOANM")
	if err != nil {
		return nil, err
	}
	unmatched := 0
	districts := make([]string, len(tab.Rows))
	for i, row := range tab.Rows {
		name := row[col]
		if j := strings.LastIndexByte(name, ' '); j > 0 {
			districts[i] = byName[name[:j]]
		}
		if districts[i] == "" {
			unmatched++
		}
	}
	if unmatched > 0 {
		// A district with a small area of unknown district cannot be shown to lie in one area.
		return nil, fmt.Errorf("%s: %d small areas whose names match no district of %s", lk.File, unmatched, lk.DistrictNames)
	}
	return func(i int) string { return districts[i] }, nil
}

func (im *importer) nameDistrict(code, name string) {
	if code != "" && name != "" && im.districtNames[code] == "" {
		im.districtNames[code] = name
	}
}

// derive maps districts to the areas of layer to through from, when every area of from lies
// in one area of to (an alliance made of whole Sub-ICBs, a region of whole ICBs); nil when they
// do not nest. Nesting is measured on the ground (geo.OverlapShares), so an area without
// postcodes counts too.
func derive(from *districtLayer, fromIx, toIx *indexedLayer) *districtLayer {
	shares := geo.OverlapShares(fromIx.index, toIx.index, 2000)
	parent := map[string]string{}
	for a, row := range shares {
		best := 0
		for b := range row {
			if row[b] > row[best] {
				best = b
			}
		}
		if len(row) == 0 || row[best] < containShare {
			return nil
		}
		parent[fromIx.codes[a]] = toIx.codes[best]
	}
	dl := &districtLayer{edition: from.edition, typ: toIx.src.Type, counts: map[string]map[string]int{}, via: "through " + string(from.typ) + ", " + from.via}
	for d, m := range from.counts {
		dl.counts[d] = map[string]int{}
		for code, n := range m {
			dl.counts[d][parent[code]] += n
		}
	}
	return dl
}

// recoverRecoded gives a district that the postcode data names by a code no lookup knows (a
// council recoded after a boundary change, such as Sheffield's E08000019 → E08000039) the
// area of the district of the same name in the lookup, where that is shown exact: the old
// district lies wholly in one area, and every postcode of the new code lies in that area by the
// polygons, or within districtCheckM of it. Councils that merged (North Yorkshire) have no
// namesake and stay with the polygons. It returns what it did, for the caveats.
func (im *importer) recoverRecoded(dl *districtLayer, il *indexedLayer, pcs []englandPostcode) []string {
	byName := map[string]string{}
	for code, name := range im.districtNames {
		if _, ok := dl.counts[code]; ok {
			byName[name] = code
		}
	}
	candidates := map[string]string{} // new code → area
	for _, pc := range pcs {
		d := pc.district
		if _, known := dl.counts[d]; known || d == "" {
			continue
		}
		if _, seen := candidates[d]; seen {
			continue
		}
		candidates[d] = ""
		if old, ok := byName[im.codeListName(d)]; ok {
			if area, ok := dl.exact(old); ok {
				candidates[d] = area
			}
		}
	}
	ok := map[string]bool{}
	for d, area := range candidates {
		ok[d] = area != ""
	}
	for _, pc := range pcs {
		area := candidates[pc.district]
		if area == "" || !ok[pc.district] {
			continue
		}
		if i := il.index.Locate(pc.p); i >= 0 && il.codes[i] != area {
			if m := il.index.Lookup(pc.p, 0); m.BoundaryDistanceM > districtCheckM {
				ok[pc.district] = false
			}
		}
	}
	var out []string
	for d, area := range candidates {
		if ok[d] {
			old := byName[im.codeListName(d)]
			dl.counts[d] = map[string]int{area: dl.counts[old][area]}
			out = append(out, fmt.Sprintf("%s recoded from %s", d, old))
		}
	}
	slices.Sort(out)
	return out
}

// codeListName is a district's name in the postcode data's code list, kind suffix removed.
func (im *importer) codeListName(code string) string {
	if im.codeList == nil {
		return ""
	}
	return districtDisplayName(im.codeList.Districts[code])
}

// checkDistricts lists the districts of which some postcode lies, by the polygons, in another
// area than the district's one, more than districtCheckM inside that other area.
func checkDistricts(dl *districtLayer, il *indexedLayer, pcs []englandPostcode) []string {
	bad := map[string]bool{}
	for _, pc := range pcs {
		want, ok := dl.exact(pc.district)
		if !ok || bad[pc.district] {
			continue
		}
		i := il.index.Locate(pc.p)
		if i < 0 || il.codes[i] == want {
			continue
		}
		if m := il.index.Lookup(pc.p, 0); m.Inside && m.BoundaryDistanceM > districtCheckM {
			bad[pc.district] = true
		}
	}
	out := make([]string, 0, len(bad))
	for d := range bad {
		out = append(out, fmt.Sprintf("%s %s %s", dl.edition, dl.typ, d))
	}
	slices.Sort(out)
	return out
}

func sortedTypes(m map[AreaType]string) []AreaType {
	var ts []AreaType
	for t := range m {
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b AreaType) int { return slices.Index(AreaTypes, a) - slices.Index(AreaTypes, b) })
	return ts
}

// writeDistricts names every district a located English postcode gives: by the official
// lookups, else by the postcode data's code list (its kind suffixes taken off), else by code.
func (im *importer) writeDistricts() error {
	seen := map[string]bool{}
	stmt, err := im.tx.PrepareContext(im.ctx, `INSERT INTO districts (code, name) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, pc := range im.england {
		d := pc.district
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		name := im.districtNames[d]
		if name == "" {
			name = im.codeListName(d)
		}
		if name == "" {
			name = d
		}
		if _, err := stmt.ExecContext(im.ctx, d, name); err != nil {
			return err
		}
	}
	return nil
}

// districtDisplayName takes the kind off a Boundary-Line district name: "Sheffield District
// (B)" → "Sheffield", "Barnet London Boro" → "Barnet".
func districtDisplayName(s string) string {
	for _, suffix := range []string{" District (B)", " London Boro", " District", " (B)"} {
		s = strings.TrimSuffix(s, suffix)
	}
	return strings.TrimSpace(s)
}

// councils counts, for every layer of every edition, the postcodes of each district in each
// area, each postcode where its own answer puts it (by district first, else by location): the
// councils of an area and their shares.
func (im *importer) councils() error {
	stmt, err := im.tx.PrepareContext(im.ctx, `INSERT INTO area_districts (edition, type, area, district, postcodes) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	type key struct{ area, district string }
	for _, e := range im.opt.Sources.Editions {
		for _, src := range e.Layers {
			il, err := im.indexed(src)
			if err != nil {
				return err
			}
			var dl *districtLayer
			for _, m := range im.districtMaps {
				if m.edition == e.ID && m.typ == src.Type {
					dl = m
				}
			}
			counts := map[key]int{}
			for _, pc := range im.england {
				if pc.district == "" {
					continue
				}
				code, ok := "", false
				if dl != nil {
					code, ok = dl.exact(pc.district)
				}
				if !ok {
					i := il.index.Locate(pc.p)
					if i < 0 {
						continue
					}
					code = il.codes[i]
				}
				counts[key{code, pc.district}]++
			}
			for k, n := range counts {
				if _, err := stmt.ExecContext(im.ctx, string(e.ID), string(src.Type), k.area, k.district, n); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
