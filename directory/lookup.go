package directory

import (
	"fmt"
	"math"
	"slices"

	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
)

// Match kinds.
const (
	MatchInside  = "inside"  // the point lies inside the area
	MatchNearest = "nearest" // the point lies in no area of the layer; this is the nearest within the limit
	MatchSector  = "sector"  // the postcode has no location; the area holds most of its sector
	// MatchDistrict: the postcode's district lies wholly in the area, by the official lookup of
	// the edition (the way ONS assigns postcodes), whatever the generalised polygons say.
	MatchDistrict = "district"
)

// Match is one area of an answer and how the point relates to it.
type Match struct {
	Area
	Match string `json:"match"`
	// DistanceM is 0 inside; for "nearest", how far the point is from the area; for "district",
	// 0, or how far the postcode is from the area's polygon where the generalised polygons put
	// it just outside.
	DistanceM float64 `json:"distance_m"`
	// BoundaryDistanceM is how far the point is from the area's boundary: small values mean
	// another area is close and the answer is sensitive to the boundaries' generalisation.
	BoundaryDistanceM float64 `json:"boundary_distance_m"`
	// NearBoundary lists the other areas of the layer within the near-boundary distance.
	NearBoundary []Nearby `json:"near_boundary,omitempty"`
	// Share is, for "sector" matches, the share of the sector's postcodes in the area.
	Share float64 `json:"share,omitempty"`
}

// Nearby is another area close to the point.
type Nearby struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	DistanceM float64 `json:"distance_m"`
}

// CountryRef names the UK country of a point.
type CountryRef struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Match string `json:"match"` // inside, nearest, or postcode (from the postcode data)
}

// Answer is what one point (or postcode) lies in, in one edition.
type Answer struct {
	// Lat and Lon are where the answer was found: the point, the postcode's location, or its
	// sector's centroid; absent where there is none (a Northern Ireland postcode).
	Lat       *float64    `json:"lat,omitempty"`
	Lon       *float64    `json:"lon,omitempty"`
	Edition   Edition     `json:"edition"`
	Country   *CountryRef `json:"country"`
	InEngland bool        `json:"in_england"`
	// Statement explains, in plain words, an answer without NHS England areas.
	Statement string  `json:"statement,omitempty"`
	Areas     []Match `json:"areas"`
	// Hospitals, on request, are the hospital sites nearest the place among those of the
	// member trusts of what its alliance became in 2024 (AddHospitals).
	Hospitals []Hospital `json:"hospitals,omitempty"`
	Dataset   string     `json:"dataset"`
}

// AddHospitals adds the n hospital sites nearest the answer's place among those of its
// alliance's member trusts; none when the answer has no place or no alliance with a known
// successor, or organisations are not loaded.
func (s *Snapshot) AddHospitals(a *Answer, n int) {
	if a == nil || a.Lat == nil || a.Lon == nil {
		return
	}
	for _, m := range a.Areas {
		if m.Type == CancerAlliance {
			a.Hospitals = s.NearestHospitals(orb.Point{*a.Lon, *a.Lat}, m.Code, n)
			return
		}
	}
}

// England's ONS code; the NHS England layers cover it alone.
const englandCode = "E92000001"

var countryStatements = map[string]string{
	"W92000004": "This place is in Wales. Cancer Alliances and Integrated Care Systems cover England only; health services in Wales are run by NHS Wales.",
	"S92000003": "This place is in Scotland. Cancer Alliances and Integrated Care Systems cover England only; health services in Scotland are run by NHS Scotland.",
	"N92000002": "This place is in Northern Ireland. Cancer Alliances and Integrated Care Systems cover England only; health services in Northern Ireland are run by Health and Social Care Northern Ireland.",
}

func statementFor(countryCode, countryName string) string {
	if s, ok := countryStatements[countryCode]; ok {
		return s
	}
	return "This place is in " + countryName + ". Cancer Alliances and Integrated Care Systems cover England only."
}

// ParsePoint checks a latitude and longitude and returns the point.
func ParsePoint(lat, lon float64) (orb.Point, error) {
	p := orb.Point{lon, lat}
	if err := geo.ValidLonLat(p); err != nil {
		return p, invalid("invalid_coordinates", "lat=%v lon=%v: %v", lat, lon, err)
	}
	return p, nil
}

// LookupPoint answers which areas of edition e (the default when empty) contain p.
// A point in Wales, Scotland or Northern Ireland gets its country and a statement; a point
// more than the nearest-area limit from every UK country is ErrNotFound ("outside_coverage").
func (s *Snapshot) LookupPoint(p orb.Point, e Edition) (*Answer, error) {
	if err := geo.ValidLonLat(p); err != nil {
		return nil, invalid("invalid_coordinates", "%v", err)
	}
	info, err := s.Edition(e)
	if err != nil {
		return nil, err
	}
	return s.answer(p, info, s.countryAt(p), "", true)
}

// countryAt is the UK country containing p, else the nearest within the fallback limit.
// The country's boundary distance is not needed, so the exact test comes first.
func (s *Snapshot) countryAt(p orb.Point) *CountryRef {
	match, i := 0, s.countries.Index.Locate(p)
	if i < 0 {
		match, i = 1, s.countries.Index.Lookup(p, s.opts.MaxNearestM).Area
	}
	if i < 0 {
		return nil
	}
	s.makeCountryRefs()
	return s.countryAtRefs[i][match]
}

// answer fills in the areas of edition info for p, given its country (nil: none known) and,
// for a postcode, its district ("" for a point): a layer in which the district lies wholly in
// one area answers with that area. Without distances it finds the same areas but leaves out
// boundary distances and near-boundary areas.
func (s *Snapshot) answer(p orb.Point, info EditionInfo, country *CountryRef, district string, distances bool) (*Answer, error) {
	return s.answerIn(new(answerBlock), p, info, country, district, distances)
}

// answerBlock holds an answer and what it points to, allocated at once; the batch reuses one,
// as it reads each answer before asking the next.
type answerBlock struct {
	postcode PostcodeAnswer
	answer   Answer
	at       orb.Point
	areas    [6]Match
}

// answerIn is answer, built in blk.
func (s *Snapshot) answerIn(blk *answerBlock, p orb.Point, info EditionInfo, country *CountryRef, district string, distances bool) (*Answer, error) {
	blk.at = p
	blk.answer = Answer{Lat: &blk.at[1], Lon: &blk.at[0], Edition: info.ID, Country: country, Dataset: s.Checksum, Areas: blk.areas[:0]}
	ans := &blk.answer
	england := country != nil && country.Code == englandCode
	if !england && s.insideAnyLayer(p, info) {
		// A sliver along the border: the NHS boundaries, not the country outline, decide.
		england = true
	}
	if !england {
		if country == nil {
			return nil, notFound("outside_coverage", "lat=%v lon=%v is not in the United Kingdom (nor within %.0f m of its coast): this service covers England", p[1], p[0], s.opts.MaxNearestM)
		}
		ans.Statement = statementFor(country.Code, country.Name)
		return ans, nil
	}
	ans.InEngland = true
	for _, src := range info.Layers {
		l := s.layer(info.ID, src.Type)
		if l == nil {
			continue
		}
		match := s.locateLayer
		if distances {
			match = s.matchLayer
		}
		m, ok := match(l, p)
		if i, exact := l.byDistrict[district]; exact && district != "" {
			m, ok = s.districtMatch(l, i, p, m, ok, distances), true
		}
		if ok {
			ans.Areas = append(ans.Areas, m)
		}
	}
	if len(ans.Areas) == 0 {
		if country == nil || country.Match != "postcode" {
			// Offshore, beyond the fallback: say so rather than answer with nothing.
			return nil, notFound("outside_coverage", "lat=%v lon=%v is more than %.0f m from every NHS area of England", p[1], p[0], s.opts.MaxNearestM)
		}
		// A postcode says it is in England, but its location is off every boundary's coast.
		ans.Statement = fmt.Sprintf("This postcode is in England but more than %.0f m from every NHS area of edition %s.", s.opts.MaxNearestM, info.ID)
	}
	return ans, nil
}

func (s *Snapshot) insideAnyLayer(p orb.Point, info EditionInfo) bool {
	for _, src := range info.Layers {
		if l := s.layer(info.ID, src.Type); l != nil && l.Index.Locate(p) >= 0 {
			return true
		}
	}
	return false
}

// matchLayer finds p's area in one layer, with the nearest fallback and near-boundary areas.
func (s *Snapshot) matchLayer(l *Layer, p orb.Point) (Match, bool) {
	m := l.Index.Lookup(p, s.opts.MaxNearestM)
	if m.Area < 0 {
		return Match{}, false
	}
	out := Match{
		Area:              l.areas[m.Area],
		Match:             matchKind(m),
		DistanceM:         round1(m.DistanceM),
		BoundaryDistanceM: round1(m.BoundaryDistanceM),
	}
	if m.BoundaryDistanceM <= s.opts.NearBoundaryM {
		for _, h := range l.Index.Near(p, s.opts.NearBoundaryM) {
			if h.Area == m.Area {
				continue
			}
			a := l.areas[h.Area]
			out.NearBoundary = append(out.NearBoundary, Nearby{Code: a.Code, Name: a.Name, DistanceM: round1(h.DistanceM)})
		}
	}
	return out, true
}

// districtMatch answers a postcode whose district lies wholly in area i of l: that area,
// marked "district". Where the generalised polygons put the postcode in another area (found is
// its geometric match), the distances are to area i's polygon, and the area the polygons put it
// in is listed as near.
func (s *Snapshot) districtMatch(l *Layer, i int, p orb.Point, found Match, ok, distances bool) Match {
	if ok && found.Area.Code == l.areas[i].Code {
		found.Match = MatchDistrict
		return found
	}
	out := Match{Area: l.areas[i], Match: MatchDistrict}
	if !distances {
		return out
	}
	for _, h := range l.Index.Near(p, max(s.opts.MaxNearestM, s.opts.NearBoundaryM)) {
		switch {
		case h.Area == i:
			out.DistanceM, out.BoundaryDistanceM = round1(h.DistanceM), round1(h.DistanceM)
		case h.DistanceM <= s.opts.NearBoundaryM:
			a := l.areas[h.Area]
			out.NearBoundary = append(out.NearBoundary, Nearby{Code: a.Code, Name: a.Name, DistanceM: round1(h.DistanceM)})
		}
	}
	return out
}

// locateLayer finds p's area in one layer, with the nearest fallback, and nothing more: the
// exact test alone where p lies inside an area, which is most of the time.
func (s *Snapshot) locateLayer(l *Layer, p orb.Point) (Match, bool) {
	if i := l.Index.Locate(p); i >= 0 {
		return Match{Area: l.areas[i], Match: MatchInside}, true
	}
	m := l.Index.Lookup(p, s.opts.MaxNearestM)
	if m.Area < 0 {
		return Match{}, false
	}
	return Match{Area: l.areas[m.Area], Match: matchKind(m), DistanceM: round1(m.DistanceM)}, true
}

func matchKind(m geo.Match) string {
	if m.Inside {
		return MatchInside
	}
	return MatchNearest
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// LookupAll answers p in every edition, oldest first.
func (s *Snapshot) LookupAll(p orb.Point) ([]*Answer, error) {
	var out []*Answer
	for _, info := range s.Editions {
		a, err := s.LookupPoint(p, info.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Area finds an area by code in edition e (the default when empty); countries are found in any edition.
func (s *Snapshot) Area(code string, e Edition) (*Layer, Area, error) {
	info, err := s.Edition(e)
	if err != nil {
		return nil, Area{}, err
	}
	for _, t := range AreaTypes {
		l := s.layer(info.ID, t)
		if l == nil {
			continue
		}
		if a, ok := l.Area(code); ok {
			return l, a, nil
		}
	}
	var in []Edition
	for _, ed := range s.Editions {
		for _, t := range AreaTypes {
			if l := s.layer(ed.ID, t); l != nil && t != Country {
				if _, ok := l.Area(code); ok && !slices.Contains(in, ed.ID) {
					in = append(in, ed.ID)
				}
			}
		}
	}
	if len(in) > 0 {
		return nil, Area{}, notFound("area_not_in_edition", "area %s is not in edition %s; it is in %v", code, info.ID, in)
	}
	return nil, Area{}, notFound("area_not_found", "no area has code %q", clip(code, 40))
}
