package directory

import (
	"math"
	"slices"
	"strings"

	"github.com/nhs-geo/alliance/data"
	"github.com/paulmach/orb"
)

// PostcodeAnswer is an Answer for a full postcode.
type PostcodeAnswer struct {
	Postcode string `json:"postcode"`
	// Location says where lat/lon come from: "postcode" (its Code-Point grid reference),
	// "sector" (the centroid of its sector, for postcodes without one) or "none".
	Location string `json:"location"`
	Quality  int    `json:"quality,omitempty"`
	District string `json:"district_code,omitempty"`
	// DistrictName names District; areas matched "district" are those it lies wholly in.
	DistrictName string `json:"district_name,omitempty"`
	*Answer
}

// AreaShare is an area covering part of an outcode or sector.
type AreaShare struct {
	Area
	Postcodes int     `json:"postcodes"`
	Share     float64 `json:"share"`
}

// PartialAnswer describes an outcode ("S18") or a sector ("S18 1").
type PartialAnswer struct {
	Query     string      `json:"query"`
	Kind      string      `json:"kind"` // outcode or sector
	Edition   Edition     `json:"edition"`
	Postcodes int         `json:"postcodes"` // live postcodes
	Located   int         `json:"located"`   // of which with a grid reference
	Centroid  *LatLon     `json:"centroid"`
	BBox      []float64   `json:"bbox"` // min lon, min lat, max lon, max lat
	Countries []AreaShare `json:"countries"`
	Areas     []AreaShare `json:"areas"` // per type, largest share first
	Dataset   string      `json:"dataset"`
}

// LatLon is a WGS84 position.
type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// PostcodeResult is the answer to one postcode query: Full for a full postcode, Partial for an
// outcode or a sector. Exactly one of them is set.
type PostcodeResult struct {
	Full    *PostcodeAnswer
	Partial *PartialAnswer
}

// Value is whichever answer is set, for encoding.
func (r PostcodeResult) Value() any {
	if r.Partial != nil {
		return r.Partial
	}
	return r.Full
}

// Postcode query kinds, as PostcodeKind names them.
const (
	QueryFull    = "full"    // a postcode unit: "S1 2HE"
	QuerySector  = "sector"  // "S18 1"
	QueryOutcode = "outcode" // "S18"
	QueryArea    = "area"    // the letters alone: "S", "SW"
	QueryBFPO    = "bfpo"    // a British Forces Post Office number: "BFPO 123"
)

// PostcodeKind classifies a postcode query without answering it: one of the Query kinds, or
// an ErrInvalid error ("invalid_postcode") saying why raw is not a postcode. Every caller
// that takes postcodes (API, bulk, batch, CLI) classifies with it, so they refuse the same
// strings for the same reason.
func PostcodeKind(raw string) (string, error) {
	pc, err := parsePostcode(raw)
	if err != nil {
		return "", err
	}
	return queryKind(pc), nil
}

func queryKind(pc data.Postcode) string {
	switch pc.Kind {
	case data.FullPostcode:
		return QueryFull
	case data.Sector:
		return QuerySector
	case data.Outcode:
		return QueryOutcode
	case data.BFPONumber:
		return QueryBFPO
	}
	return QueryArea
}

// parsePostcode checks a full or partial postcode and says what it is.
func parsePostcode(raw string) (data.Postcode, error) {
	pc, err := data.ParsePostcode(raw)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), data.ErrInvalidPostcode.Error()+": ")
		return pc, invalid("invalid_postcode", "%q is not a UK postcode: %s", clip(raw, 40), msg)
	}
	return pc, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// LookupPostcode answers any postcode query in edition e (the default when empty); it is the
// one path every caller takes, so they all answer alike:
//   - a full postcode gets the areas its location lies in (PostcodeAnswer); one that is valid
//     but has no location of its own gets its sector's majority areas, marked "sector";
//   - an outcode or a sector gets its postcodes' areas with their shares (PartialAnswer);
//   - a Northern Ireland postcode gets its country and no areas; Channel Islands, Isle of Man,
//     BFPO and other non-geographic postcodes are ErrNotFound "postcode_not_covered";
//   - a bare postcode area ("SW") is ErrInvalid "postcode_area": it is too large to answer;
//   - anything else is ErrInvalid "invalid_postcode".
func (s *Snapshot) LookupPostcode(raw string, e Edition) (PostcodeResult, error) {
	info, err := s.Edition(e)
	if err != nil {
		return PostcodeResult{}, err
	}
	pc, err := parsePostcode(raw)
	if err != nil {
		return PostcodeResult{}, err
	}
	return s.resolve(pc, info, true, nil)
}

// resolve answers a parsed postcode. Without distances, areas carry no boundary distances
// (the batch's columns need none, and they cost most of a lookup's time). A full postcode's
// answer is built in blk when given (the batch reuses one), else in a new one.
func (s *Snapshot) resolve(pc data.Postcode, info EditionInfo, distances bool, blk *answerBlock) (PostcodeResult, error) {
	kind, desc, special := data.Special(pc)
	switch {
	case special && kind == data.SpecialNorthernIreland && pc.Kind == data.FullPostcode:
		ans := &Answer{Edition: info.ID, Dataset: s.Checksum, Areas: []Match{},
			Country: &CountryRef{Code: "N92000002", Name: "Northern Ireland", Match: "postcode"}}
		ans.Statement = statementFor(ans.Country.Code, ans.Country.Name)
		return PostcodeResult{Full: &PostcodeAnswer{Postcode: pc.Normalised, Location: "none", Answer: ans}}, nil
	case special:
		return PostcodeResult{}, notFound("postcode_not_covered", "%s", desc)
	}
	switch pc.Kind {
	case data.FullPostcode:
		if blk == nil {
			blk = new(answerBlock)
		}
		ans, err := s.fullPostcode(blk, pc, info, distances)
		return PostcodeResult{Full: ans}, err
	case data.Outcode:
		ans, err := s.partial(pc.Outward, QueryOutcode, info)
		return PostcodeResult{Partial: ans}, err
	case data.Sector:
		ans, err := s.partial(pc.Sector, QuerySector, info)
		return PostcodeResult{Partial: ans}, err
	}
	return PostcodeResult{}, invalid("postcode_area", "%s is a postcode area, too large to answer: give a full postcode, a sector or an outcode (such as %s1)", pc.Normalised, pc.Area)
}

// fullPostcode answers a full postcode from its own location, else from its sector.
func (s *Snapshot) fullPostcode(blk *answerBlock, pc data.Postcode, info EditionInfo, distances bool) (*PostcodeAnswer, error) {
	rec, found := s.postcodes.find(pc.Normalised)
	if found && rec.Located {
		p := orb.Point{rec.Lon, rec.Lat}
		ans, err := s.answerIn(blk, p, info, s.countryOf(rec.Country), rec.District, distances)
		if err != nil {
			return nil, err
		}
		blk.postcode = PostcodeAnswer{Postcode: rec.Postcode, Location: "postcode", Quality: rec.Quality,
			District: rec.District, DistrictName: s.districtNames[rec.District], Answer: ans}
		return &blk.postcode, nil
	}
	ans, kind, err := s.approximate(pc, found, info)
	if err != nil {
		return nil, err
	}
	out := &PostcodeAnswer{Postcode: pc.Normalised, Location: kind, Answer: ans}
	if found {
		out.Quality, out.District, out.DistrictName = rec.Quality, rec.District, s.districtNames[rec.District]
	}
	return out, nil
}

// approximate answers a postcode that has no location of its own (not live, or live without
// a grid reference) from its sector: each area is the one most of the sector's postcodes lie
// in, with its share, marked "sector". (Code-Point's rows without a grid reference carry no
// district code either, so there is nothing finer to fall back on.)
func (s *Snapshot) approximate(pc data.Postcode, found bool, info EditionInfo) (*Answer, string, error) {
	const kind = MatchSector
	part, err := s.partial(pc.Sector, QuerySector, info)
	if err != nil || part.Located == 0 {
		if found {
			return nil, "", notFound("postcode_not_located", "%s is a live postcode without a grid reference, and no postcode of its sector %s has one", pc.Normalised, pc.Sector)
		}
		return nil, "", notFound("postcode_not_found", "%s is a valid postcode but is not a live postcode in %s: it may be new, terminated or mistyped", pc.Normalised, s.PostcodesTitle)
	}
	ans := &Answer{Lat: &part.Centroid.Lat, Lon: &part.Centroid.Lon, Edition: info.ID, Dataset: s.Checksum, Areas: []Match{}}
	if len(part.Countries) > 0 {
		c := part.Countries[0]
		ans.Country = &CountryRef{Code: c.Code, Name: c.Name, Match: kind}
		ans.InEngland = c.Code == englandCode
		if !ans.InEngland {
			ans.Statement = statementFor(c.Code, c.Name)
		}
	}
	if ans.InEngland {
		seen := map[AreaType]bool{}
		for _, a := range part.Areas { // largest first within each type
			if !seen[a.Type] {
				seen[a.Type] = true
				ans.Areas = append(ans.Areas, Match{Area: a.Area, Match: kind, Share: a.Share})
			}
		}
	}
	return ans, kind, nil
}

// countryOf names a country by the ONS code the postcode data gives.
// The references are shared by every answer: built once, never changed.
func (s *Snapshot) countryOf(code string) *CountryRef {
	s.makeCountryRefs()
	return s.countryRefs[code]
}

func (s *Snapshot) makeCountryRefs() {
	s.countryRefsOnce.Do(func() {
		s.countryRefs = map[string]*CountryRef{}
		s.countryAtRefs = make([][2]*CountryRef, len(s.countries.areas))
		for i, a := range s.countries.areas {
			s.countryRefs[a.Code] = &CountryRef{Code: a.Code, Name: a.Name, Match: "postcode"}
			s.countryAtRefs[i] = [2]*CountryRef{
				{Code: a.Code, Name: a.Name, Match: MatchInside},
				{Code: a.Code, Name: a.Name, Match: MatchNearest},
			}
		}
	})
}

// partial aggregates the postcodes whose outcode or sector is q.
func (s *Snapshot) partial(q, kind string, info EditionInfo) (*PartialAnswer, error) {
	out, in, _ := strings.Cut(q, " ")
	k, ok := makePostcodeKey(out, in)
	if !ok {
		return nil, invalid("invalid_postcode", "%q is not an outcode or sector", q)
	}
	n := 4
	if kind == QuerySector {
		n = 5
	}
	rows := s.postcodes.prefix(k, n)
	if len(rows) == 0 {
		return nil, &Error{Kind: ErrNotFound, Code: kind + "_not_found", Message: "no live postcode in " + kind + " " + q + " (" + s.PostcodesTitle + ")"}
	}
	return s.summarise(rows, q, kind, info), nil
}

// summarise describes a group of postcodes: where they are and which areas they fall in.
func (s *Snapshot) summarise(rows []postcodeRow, q, kind string, info EditionInfo) *PartialAnswer {
	ans := &PartialAnswer{Query: q, Kind: kind, Edition: info.ID, Postcodes: len(rows), Dataset: s.Checksum,
		Countries: []AreaShare{}, Areas: []AreaShare{}}
	type key struct {
		t    AreaType
		code string
	}
	counts := map[key]int{}
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	var sumLat, sumLon float64
	for _, r := range rows {
		if !r.located {
			continue
		}
		ans.Located++
		p := orb.Point{float64(r.lon) / coordScale, float64(r.lat) / coordScale}
		sumLon += p[0]
		sumLat += p[1]
		bound = bound.Extend(p)
		country := s.postcodes.strings[r.country]
		counts[key{Country, country}]++
		if country != englandCode {
			continue
		}
		district := s.postcodes.strings[r.district]
		for _, src := range info.Layers {
			l := s.layer(info.ID, src.Type)
			if l == nil {
				continue
			}
			// Each postcode counts where its own answer puts it: by district first.
			i, ok := l.byDistrict[district]
			if !ok || district == "" {
				i = l.Index.Locate(p)
			}
			if i < 0 {
				i = l.Index.Lookup(p, s.opts.MaxNearestM).Area
			}
			if i >= 0 {
				counts[key{src.Type, l.areas[i].Code}]++
			}
		}
	}
	if ans.Located == 0 {
		return ans
	}
	ans.Centroid = &LatLon{Lat: round6(sumLat / float64(ans.Located)), Lon: round6(sumLon / float64(ans.Located))}
	ans.BBox = []float64{round6(bound.Min[0]), round6(bound.Min[1]), round6(bound.Max[0]), round6(bound.Max[1])}
	for k, c := range counts {
		l := s.layer(info.ID, k.t)
		a, ok := l.Area(k.code)
		if !ok {
			a = Area{Code: k.code, Name: k.code, Type: k.t}
		}
		share := AreaShare{Area: a, Postcodes: c, Share: math.Round(float64(c)/float64(ans.Located)*1e4) / 1e4}
		if k.t == Country {
			ans.Countries = append(ans.Countries, share)
		} else {
			ans.Areas = append(ans.Areas, share)
		}
	}
	order := func(a, b AreaShare) int {
		if d := slices.Index(AreaTypes, a.Type) - slices.Index(AreaTypes, b.Type); d != 0 {
			return d
		}
		if a.Postcodes != b.Postcodes {
			return b.Postcodes - a.Postcodes
		}
		return strings.Compare(a.Code, b.Code)
	}
	slices.SortFunc(ans.Countries, order)
	slices.SortFunc(ans.Areas, order)
	return ans
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
