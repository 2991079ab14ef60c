package directory

import (
	"cmp"
	"math"
	"slices"
	"sync"

	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
)

// rank orders area types from the coarsest to the finest within an edition; a footprint is
// finer than an alliance because there are about twice as many.
var rank = map[AreaType]int{NHSRegion: 0, CancerAlliance: 1, STP: 2, ICB: 2, CCG: 3, SubICB: 3}

// AreaRef names an area.
type AreaRef struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Type    AreaType `json:"type"`
	Edition Edition  `json:"edition,omitempty"`
}

func refOf(a Area) AreaRef {
	return AreaRef{Code: a.Code, Name: a.Name, Type: a.Type, Edition: a.Edition}
}

// Overlap is an area of another layer of the same edition and how much of the finer of the
// two lies inside the coarser.
type Overlap struct {
	AreaRef
	// Share is the share of the finer area's ground that lies inside the coarser one,
	// rounded to 0.001: estimated from a lattice of about 2,000 points of equal ground area
	// in the finer area (geo.OverlapShares: mean error 0.1 percentage points, worst about 1;
	// exactly 1 when the finer area lies wholly inside, as a CCG in its alliance).
	Share float64 `json:"share"`
	// Stated is true when the source file names this area as the parent (or, in Contains,
	// names the containing area as the child's parent); false when the relation is
	// derived from the overlap alone.
	Stated bool `json:"stated"`
}

// AreaDetail is everything the directory says about one area.
type AreaDetail struct {
	Area
	AreaKm2  float64   `json:"area_km2"` // on the WGS84 ellipsoid (geo.AreaKm2), to 0.1 km²
	Centroid LatLon    `json:"centroid"` // area-weighted (geo.Centroid); may lie outside a concave area
	BBox     []float64 `json:"bbox"`     // min lon, min lat, max lon, max lat
	// Postcodes counts the live postcodes whose point lies inside the area's polygons (the
	// exact point test, without the nearest-area fallback: a coastal postcode outside every
	// polygon counts nowhere); 0 when the dataset was imported without postcodes.
	Postcodes int `json:"postcodes"`
	// Parents are the areas of the edition's coarser layers that hold any of this area:
	// by type (region, then alliance, then footprint), largest share first, so the first of
	// each type is the parent. Share is of this area inside each; Stated says whether the
	// source file names it, else it is derived from the overlap.
	Parents []Overlap `json:"parents"`
	// Contains are the areas of the edition's finer layers that lie partly or wholly in
	// this one: by type, largest share first (share: of each inside this area).
	Contains      []Overlap `json:"contains"`
	Neighbours    []AreaRef `json:"neighbours"`     // areas of the same layer sharing a border, by name
	OtherEditions []AreaRef `json:"other_editions"` // the same code in other editions, oldest first
	// Trusts are, for an alliance, the member trusts of what it became in 2024 (since_2024);
	// for any other area, the trusts whose headquarters lie in it. Empty when organisations
	// are not loaded.
	Trusts []*Organisation `json:"trusts"`
	// Councils are the districts whose postcodes lie in the area, largest first, with the
	// share of the area's postcodes in each and of each district's postcodes in the area.
	Councils []Council `json:"councils"`
	Dataset  string    `json:"dataset"`
}

// layerStats are computed once per layer, on first use.
type layerStats struct {
	once       sync.Once
	neighbours [][]int
	postcodes  []int
}

// sharesSample is how many lattice points geo.OverlapShares puts in each finer area.
const sharesSample = 2000

func (s *Snapshot) stats(l *Layer) *layerStats {
	st := l.stats
	st.once.Do(func() {
		st.neighbours = geo.Neighbours(l.Geometry)
		st.postcodes = make([]int, len(l.areas))
		if s.postcodes != nil {
			for _, r := range s.postcodes.rows {
				if r.located {
					if i := l.Index.Locate(orb.Point{float64(r.lon) / coordScale, float64(r.lat) / coordScale}); i >= 0 {
						st.postcodes[i]++
					}
				}
			}
		}
	})
	return st
}

// overlapKey names a pair of layers of one edition, coarse then fine.
type overlapKey struct{ coarse, fine layerKey }

// overlapShares returns shares[f][c]: the share of fine area f inside coarse area c,
// rounded to 0.001; computed once per pair of layers, on first use.
func (s *Snapshot) overlapShares(coarse, fine *Layer) [][]float64 {
	k := overlapKey{layerKey{coarse.Edition, coarse.Type}, layerKey{fine.Edition, fine.Type}}
	s.overlapMu.Lock()
	o, ok := s.overlaps[k]
	if !ok {
		o = &overlapEntry{}
		s.overlaps[k] = o
	}
	s.overlapMu.Unlock()
	o.once.Do(func() {
		o.shares = geo.OverlapShares(fine.Index, coarse.Index, sharesSample)
		for _, row := range o.shares {
			for c, v := range row {
				row[c] = math.Round(v*1000) / 1000
			}
		}
	})
	return o.shares
}

type overlapEntry struct {
	once   sync.Once
	shares [][]float64
}

// AreaDetail describes the area with code in edition e (the default when empty); a country
// code is found in any edition and has no parents, contents or other editions. It is an
// ErrNotFound error when the edition has no such code (area_not_in_edition when another
// edition has it) and ErrInvalid for an unknown edition. The neighbours, postcode counts
// and overlap shares are computed once per layer (or pair of layers) on first use.
func (s *Snapshot) AreaDetail(code string, e Edition) (*AreaDetail, error) {
	l, a, err := s.Area(code, e)
	if err != nil {
		return nil, err
	}
	i := l.byCode[code]
	mp := l.Geometry[i]
	st := s.stats(l)
	c := geo.Centroid(mp)
	d := &AreaDetail{
		Area:          a,
		AreaKm2:       math.Round(geo.AreaKm2(mp)*10) / 10,
		Centroid:      LatLon{Lat: round6(c[1]), Lon: round6(c[0])},
		BBox:          []float64{round6(a.Bound.Min[0]), round6(a.Bound.Min[1]), round6(a.Bound.Max[0]), round6(a.Bound.Max[1])},
		Postcodes:     st.postcodes[i],
		Parents:       []Overlap{},
		Contains:      []Overlap{},
		Neighbours:    []AreaRef{},
		OtherEditions: []AreaRef{},
		Trusts:        []*Organisation{},
		Councils:      append([]Council{}, l.Councils(code)...),
		Dataset:       s.Checksum,
	}
	switch {
	case l.Type == CancerAlliance && a.Since2024 != nil:
		d.Trusts = append(d.Trusts, s.Members(code)...)
	case l.Type != Country:
		d.Trusts = append(d.Trusts, s.TrustsIn(l, code)...)
	}
	for _, n := range st.neighbours[i] {
		d.Neighbours = append(d.Neighbours, refOf(l.areas[n]))
	}
	if l.Type != Country {
		info, _ := s.Edition(l.Edition)
		for _, src := range info.Layers {
			other := s.layer(info.ID, src.Type)
			if other == nil || other == l || rank[src.Type] == rank[l.Type] {
				continue
			}
			if rank[src.Type] < rank[l.Type] { // coarser: where this area lies
				for ci, share := range s.overlapShares(other, l)[i] {
					if share > 0 {
						oa := other.areas[ci]
						d.Parents = append(d.Parents, Overlap{AreaRef: refOf(oa), Share: share, Stated: statesParent(a, oa)})
					}
				}
			} else { // finer: what lies in this area
				for fi, row := range s.overlapShares(l, other) {
					if row[i] > 0 {
						d.Contains = append(d.Contains, Overlap{AreaRef: refOf(other.areas[fi]), Share: row[i], Stated: statesParent(other.areas[fi], a)})
					}
				}
			}
		}
		for _, ed := range s.Editions {
			if ed.ID == l.Edition {
				continue
			}
			for _, t := range AreaTypes {
				if ol := s.layer(ed.ID, t); ol != nil && t != Country {
					if oa, ok := ol.Area(code); ok {
						d.OtherEditions = append(d.OtherEditions, refOf(oa))
					}
				}
			}
		}
	}
	byShare := func(a, b Overlap) int {
		if c := cmp.Compare(rank[a.Type], rank[b.Type]); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Share, a.Share); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	}
	slices.SortFunc(d.Parents, byShare)
	slices.SortFunc(d.Contains, byShare)
	return d, nil
}

// statesParent reports whether the source file of child names parent's code among its parents.
func statesParent(child, parent Area) bool {
	for _, code := range child.Parents {
		if code == parent.Code {
			return true
		}
	}
	return false
}

// Areas lists the areas of a layer, sorted by name.
func (s *Snapshot) Areas(e Edition, t AreaType) ([]Area, error) {
	l, err := s.Layer(e, t)
	if err != nil {
		return nil, err
	}
	return l.areas, nil // already sorted by name, then code
}

// AllianceSummary is one alliance in the directory's list: its region and its footprints.
type AllianceSummary struct {
	Area
	Region     *AreaRef  `json:"region"`     // the NHS region it mostly lies in
	Footprints []AreaRef `json:"footprints"` // footprints more than half inside it
}

// Alliances lists the alliances of edition e with their footprints and region. Editions
// without a region layer are grouped by the region of the default edition each alliance
// mostly lies in; regionNote says which.
func (s *Snapshot) Alliances(e Edition) (out []AllianceSummary, regionNote string, err error) {
	info, err := s.Edition(e)
	if err != nil {
		return nil, "", err
	}
	alliances := s.layer(info.ID, CancerAlliance)
	if alliances == nil {
		return nil, "", notFound("no_alliances", "edition %s has no Cancer Alliance layer (%s)", info.ID, info.Title)
	}
	regions := s.layer(info.ID, NHSRegion)
	regionNote = "NHS region (" + string(info.ID) + ")"
	for i := len(s.Editions) - 1; regions == nil && i >= 0; i-- {
		// No regions of its own: those of the newest edition that has them.
		if regions = s.layer(s.Editions[i].ID, NHSRegion); regions != nil {
			regionNote = "the NHS region (" + string(s.Editions[i].ID) + " boundaries) each alliance mostly lies in"
		}
	}
	var regionShares, fpShares [][]float64
	if regions != nil {
		regionShares = s.overlapShares(regions, alliances)
	}
	footprints := s.layer(info.ID, info.Footprint())
	if footprints != nil {
		fpShares = s.overlapShares(alliances, footprints)
	}
	for i, a := range alliances.areas {
		sum := AllianceSummary{Area: a, Footprints: []AreaRef{}}
		if regionShares != nil {
			best, bestShare := -1, 0.0
			for r, share := range regionShares[i] {
				if share > bestShare {
					best, bestShare = r, share
				}
			}
			if best >= 0 {
				ref := refOf(regions.areas[best])
				sum.Region = &ref
			}
		}
		for f, row := range fpShares {
			if row[i] > 0.5 {
				sum.Footprints = append(sum.Footprints, refOf(footprints.areas[f]))
			}
		}
		out = append(out, sum)
	}
	return out, regionNote, nil
}
