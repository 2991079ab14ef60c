package directory

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/nhs-geo/alliance/data"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// One search box: areas of every edition, the alliances since 2024, trusts and hospital
// sites, councils and places (wards), by name or code, and postcodes by their form. The index
// lives in memory, built when a snapshot opens (a few milliseconds), so a search never
// touches SQLite; BenchmarkSearch measures it.

// Search result kinds, beside the area types.
const (
	SearchPostcode = "postcode"
	SearchOutcode  = "outcode"
	SearchSector   = "sector"
	SearchTrust    = KindTrust
	SearchSite     = KindSite
	SearchCouncil  = "council"
	SearchPlace    = "place"
)

// AreaShareRef is an area with the share of something (a council's postcodes) in it.
type AreaShareRef struct {
	Code  string  `json:"code"`
	Name  string  `json:"name"`
	Share float64 `json:"share"`
	// Since2024 is what the alliance became in April 2024.
	Since2024 *Successor `json:"since_2024,omitempty"`
}

// SearchResult is one thing a query found.
type SearchResult struct {
	Kind string `json:"kind"` // an area type, or postcode, outcode, sector, trust, site, council, place
	Code string `json:"code"` // GSS or ODS code; the postcode itself
	Name string `json:"name"`
	// Edition is an area's; Older marks an area of an edition other than the default.
	Edition Edition `json:"edition,omitempty"`
	Older   bool    `json:"older_edition,omitempty"`
	// Detail tells apart results of the same name: a place's council, a site's trust.
	Detail string `json:"detail,omitempty"`
	// Lat and Lon are a point to go to (a place, a postcode, a site), when there is one.
	Lat *float64 `json:"lat,omitempty"`
	Lon *float64 `json:"lon,omitempty"`
	// Path is where the result is answered: a page of the service, or the map at a place.
	Path string `json:"path"`
	// Alliances are the Cancer Alliances (default edition) of a council, with the share of its
	// postcodes in each, or the alliance (since 2024) of a trust or site.
	Alliances []AreaShareRef `json:"alliances,omitempty"`
}

// MaxSearchQuery is the longest query Search takes, in characters.
const MaxSearchQuery = 200

// MaxSearchResults is the most results Search gives.
const MaxSearchResults = 50

type searchEntry struct {
	SearchResult
	norm   string   // the normalised name
	tokens []string // its words
	codes  []string // codes that find it exactly (normalised)
	weight float64
}

type searchIndex struct {
	entries []searchEntry
	tokens  []string  // every word of every name, sorted, unique
	posts   [][]int32 // posts[i]: the entries with word tokens[i]
	byCode  map[string][]int32
	// short holds, for every prefix of up to shortPrefix letters, the entries with a word
	// that starts with it: one list to read where a short prefix would cover thousands of words.
	short   map[string][]int32
	scratch sync.Pool // *[]uint8: per-entry count of the query words matched so far
}

const shortPrefix = 3

// normaliser folds accents: "Névé" → "Neve".
var normaliser = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// normalise makes a name or query comparable: lower case, no accents, "&" as "and", "saint"
// as "st", apostrophes dropped ("Addenbrooke's" → "addenbrookes"), other punctuation as space.
func normalise(s string) string {
	s, _, _ = transform.String(normaliser, s)
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '.':
		case r == '&':
			b.WriteString(" and ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if w == "saint" {
			words[i] = "st"
		}
	}
	return strings.Join(words, " ")
}

// kindWeight orders results of equal match: what people look for most first.
var kindWeight = map[string]float64{
	string(CancerAlliance): 40, SearchTrust: 36, SearchCouncil: 32, SearchSite: 28, string(ICB): 24, string(STP): 22,
	SearchPlace: 18, string(SubICB): 12, string(CCG): 10, string(NHSRegion): 14,
}

func (ix *searchIndex) add(r SearchResult, codes ...string) {
	n := normalise(r.Name)
	e := searchEntry{SearchResult: r, norm: n, tokens: strings.Fields(n), weight: kindWeight[r.Kind]}
	if r.Older {
		e.weight -= 30
	}
	for _, c := range codes {
		if c != "" {
			e.codes = append(e.codes, strings.ToLower(c))
		}
	}
	ix.entries = append(ix.entries, e)
}

func (ix *searchIndex) build() {
	posts := map[string][]int32{}
	ix.byCode = map[string][]int32{}
	for i, e := range ix.entries {
		for _, t := range e.tokens {
			if l := posts[t]; len(l) == 0 || l[len(l)-1] != int32(i) {
				posts[t] = append(l, int32(i))
			}
		}
		for _, c := range e.codes {
			ix.byCode[c] = append(ix.byCode[c], int32(i))
		}
	}
	for t := range posts {
		ix.tokens = append(ix.tokens, t)
	}
	slices.Sort(ix.tokens)
	ix.posts = make([][]int32, len(ix.tokens))
	for i, t := range ix.tokens {
		ix.posts[i] = posts[t]
	}
	short := map[string]map[int32]bool{}
	for i, t := range ix.tokens {
		for n := 1; n <= min(shortPrefix, len(t)); n++ {
			if !utf8.ValidString(t[:n]) {
				continue
			}
			m := short[t[:n]]
			if m == nil {
				m = map[int32]bool{}
				short[t[:n]] = m
			}
			for _, e := range ix.posts[i] {
				m[e] = true
			}
		}
	}
	ix.short = make(map[string][]int32, len(short))
	for p, m := range short {
		list := make([]int32, 0, len(m))
		for e := range m {
			list = append(list, e)
		}
		slices.Sort(list)
		ix.short[p] = list
	}
	n := len(ix.entries)
	ix.scratch.New = func() any { b := make([]uint8, n); return &b }
}

// eachPrefixed calls f for the entries with a word that starts with t (an entry may come more
// than once).
func (ix *searchIndex) eachPrefixed(t string, f func(int32)) {
	if list, ok := ix.short[t]; ok || len(t) <= shortPrefix {
		for _, e := range list {
			f(e)
		}
		return
	}
	i := sort.SearchStrings(ix.tokens, t)
	for ; i < len(ix.tokens) && strings.HasPrefix(ix.tokens[i], t); i++ {
		for _, e := range ix.posts[i] {
			f(e)
		}
	}
}

// buildSearch indexes what the snapshot knows.
func (s *Snapshot) buildSearch() {
	ix := &searchIndex{}
	// Areas of every edition, the default one first and the others marked older.
	for _, e := range s.Editions {
		for _, t := range AreaTypes {
			l := s.layer(e.ID, t)
			if l == nil {
				continue
			}
			for _, a := range l.areas {
				r := SearchResult{Kind: string(t), Code: a.Code, Name: a.Name, Edition: e.ID, Older: e.ID != s.DefaultEdition, Path: areaPath(a, e.ID)}
				if a.Since2024 != nil {
					r.Detail = a.Since2024.Statement()
				}
				ix.add(r, a.Code, a.ODSCode)
			}
		}
	}
	if s.orgs != nil {
		for _, a := range s.orgs.alliances {
			ix.add(SearchResult{Kind: string(CancerAlliance), Code: a.Code, Name: a.Name, Edition: "2024",
				Detail: "Cancer Alliance since April 2024 (ODS " + a.ODSCode + ")", Path: "/organisations?alliance=" + a.ODSCode,
				Alliances: []AreaShareRef{{Code: a.Code, Name: a.Name, Share: 1}}}, a.Code, a.ODSCode)
		}
		for _, o := range s.orgs.orgs {
			r := SearchResult{Kind: o.Kind, Code: o.ODSCode, Name: o.Name, Path: "/organisations/" + o.ODSCode, Lat: o.Lat, Lon: o.Lon}
			if o.Trust != nil {
				r.Detail = o.Trust.Name
			} else if o.Status != "open" {
				r.Detail = "closed"
			}
			if o.Alliance != nil {
				r.Alliances = []AreaShareRef{{Code: o.Alliance.Code, Name: o.Alliance.Name, Share: 1}}
			}
			ix.add(r, o.ODSCode)
		}
	}
	// Councils, with the default edition's alliances and their shares.
	alliancesOf := map[string][]AreaShareRef{}
	if l := s.layer(s.DefaultEdition, CancerAlliance); l != nil {
		for _, a := range l.areas {
			for _, c := range l.councils[a.Code] {
				alliancesOf[c.Code] = append(alliancesOf[c.Code], AreaShareRef{Code: a.Code, Name: a.Name, Share: c.DistrictShare, Since2024: a.Since2024})
			}
		}
	}
	for code, name := range s.districtNames {
		list := alliancesOf[code]
		sort.Slice(list, func(i, j int) bool { return list[i].Share > list[j].Share })
		ix.add(SearchResult{Kind: SearchCouncil, Code: code, Name: name, Path: "/?code=" + code, Alliances: list}, code)
	}
	for _, p := range s.places {
		lat, lon := p.lat, p.lon
		ix.add(SearchResult{Kind: SearchPlace, Code: p.code, Name: p.name, Detail: s.districtNames[p.district], Lat: &lat, Lon: &lon,
			Path: fmt.Sprintf("/?lat=%.5f&lon=%.5f", lat, lon)}, p.code)
	}
	ix.build()
	s.search = ix
}

func areaPath(a Area, e Edition) string {
	switch a.Type {
	case CancerAlliance:
		return "/alliances/" + a.Code + "?edition=" + string(e)
	case STP, ICB:
		return "/footprints/" + a.Code + "?edition=" + string(e)
	}
	return "/api/v1/areas/" + a.Code + "?edition=" + string(e)
}

// Search finds up to limit things the query names, best first: a postcode, outcode or sector
// by its form; anything by its code; areas, alliances, trusts, sites, councils and places by
// name, every word of the query starting a word of the name, in any order, ignoring case,
// accents, apostrophes, "&"/"and" and "St"/"Saint". A query that reads two ways gets both
// ("N80": an outcode and an alliance's ODS code). No match is an empty list; an empty,
// over-long or non-UTF-8 query is ErrInvalid.
func (s *Snapshot) Search(q string, limit int) ([]SearchResult, error) {
	if !utf8.ValidString(q) {
		return nil, invalid("invalid_query", "the query is not UTF-8 text")
	}
	if n := utf8.RuneCountInString(q); n > MaxSearchQuery {
		return nil, invalid("invalid_query", "the query is %d characters; the limit is %d", n, MaxSearchQuery)
	}
	nq := normalise(q)
	if nq == "" {
		return nil, invalid("invalid_query", "the query is empty: type a postcode, a place, a hospital, a trust, a council or an area's name or code")
	}
	if limit <= 0 || limit > MaxSearchResults {
		limit = 10
	}
	var out []SearchResult
	if r, ok := s.postcodeResult(q); ok {
		out = append(out, r)
	}
	ix := s.search
	top := make([]scored, 0, limit+1)
	for _, e := range ix.byCode[strings.ReplaceAll(nq, " ", "")] {
		top = ix.keep(top, scored{e, 1000 + ix.entries[e].weight}, limit)
	}
	var words []string
	for _, w := range strings.Fields(nq) {
		if w != "the" && w != "of" && w != "and" {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		words = strings.Fields(nq)
	}
	if len(words) > 255 {
		words = words[:255]
	}
	// count[e] is how many of the query's words, in turn, entry e has matched: an entry
	// matches the query when it reaches len(words).
	bp := ix.scratch.Get().(*[]uint8)
	count := *bp
	var touched []int32
	for k, w := range words {
		ix.eachPrefixed(w, func(e int32) {
			if int(count[e]) == k {
				count[e] = uint8(k + 1)
				if k == 0 {
					touched = append(touched, e)
				}
			}
		})
	}
	for _, e := range touched {
		if int(count[e]) == len(words) && !slices.ContainsFunc(top, func(x scored) bool { return x.e == e }) {
			top = ix.keep(top, scored{e, ix.score(e, nq, words) + ix.entries[e].weight}, limit)
		}
		count[e] = 0
	}
	ix.scratch.Put(bp)
	for _, t := range top {
		if len(out) >= limit {
			break
		}
		out = append(out, ix.entries[t.e].SearchResult)
	}
	if out == nil {
		out = []SearchResult{}
	}
	return out, nil
}

type scored struct {
	e     int32
	score float64
}

// keep inserts c into top, best first, keeping at most limit: a partial selection, cheap for
// the many hits of a short query.
func (ix *searchIndex) keep(top []scored, c scored, limit int) []scored {
	better := func(a, b scored) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		ea, eb := &ix.entries[a.e], &ix.entries[b.e]
		if len(ea.Name) != len(eb.Name) {
			return len(ea.Name) < len(eb.Name)
		}
		return ea.Code < eb.Code
	}
	if len(top) == limit && !better(c, top[len(top)-1]) {
		return top
	}
	i := sort.Search(len(top), func(i int) bool { return better(c, top[i]) })
	top = slices.Insert(top, i, c)
	if len(top) > limit {
		top = top[:limit]
	}
	return top
}

// score rates how well a name matches: the whole name, every word whole, or word starts; a
// name that starts with the query, and fewer other words, rate higher.
func (ix *searchIndex) score(e int32, nq string, words []string) float64 {
	en := &ix.entries[e]
	switch {
	case en.norm == nq:
		return 500
	}
	whole := 0
	for _, w := range words {
		if slices.Contains(en.tokens, w) {
			whole++
		}
	}
	sc := 200 + 60*float64(whole)/float64(len(words))
	if strings.HasPrefix(en.norm, nq) {
		sc += 50
	}
	return sc - math.Min(40, 2*float64(len(en.tokens)-len(words)))
}

// postcodeResult recognises a full postcode, a sector or an outcode and says where it is.
func (s *Snapshot) postcodeResult(q string) (SearchResult, bool) {
	pc, err := parsePostcode(q)
	if err != nil {
		return SearchResult{}, false
	}
	switch pc.Kind {
	case data.FullPostcode:
		rec, ok := s.postcodes.find(pc.Normalised)
		r := SearchResult{Kind: SearchPostcode, Code: pc.Normalised, Name: pc.Normalised, Path: "/?postcode=" + strings.ReplaceAll(pc.Normalised, " ", "")}
		if ok && rec.Located {
			r.Lat, r.Lon = &rec.Lat, &rec.Lon
		}
		return r, ok
	case data.Outcode, data.Sector:
		kind, key := SearchOutcode, pc.Outward
		n := 4
		if pc.Kind == data.Sector {
			kind, key, n = SearchSector, pc.Sector, 5
		}
		out, in, _ := strings.Cut(key, " ")
		k, ok := makePostcodeKey(out, in)
		if !ok {
			return SearchResult{}, false
		}
		rows := s.postcodes.prefix(k, n)
		var lat, lon float64
		located := 0
		for _, r := range rows {
			if r.located {
				lat += float64(r.lat) / coordScale
				lon += float64(r.lon) / coordScale
				located++
			}
		}
		r := SearchResult{Kind: kind, Code: key, Name: key, Detail: fmt.Sprintf("%d live postcodes", len(rows)),
			Path: "/?postcode=" + strings.ReplaceAll(key, " ", "%20")}
		if located > 0 {
			lat, lon = round6(lat/float64(located)), round6(lon/float64(located))
			r.Lat, r.Lon = &lat, &lon
		}
		// One that reads as a postcode but has none live is still said, as what it looks like.
		return r, true
	}
	return SearchResult{}, false
}

// place is a ward of the postcode data, located at the centre of its postcodes.
type place struct {
	code, name, district string
	lat, lon             float64
}

func (s *Snapshot) readPlaces(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT code, name, district, lat, lon FROM places`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p place
		if err := rows.Scan(&p.code, &p.name, &p.district, &p.lat, &p.lon); err != nil {
			return err
		}
		s.places = append(s.places, p)
	}
	return rows.Err()
}

// wardStats gathers a ward's postcodes while they are read.
type wardStats struct {
	lat, lon  float64
	n         int
	districts map[string]int
}

func (im *importer) countWard(ward, district string, lat, lon float64) {
	if ward == "" {
		return
	}
	w := im.wards[ward]
	if w == nil {
		w = &wardStats{districts: map[string]int{}}
		im.wards[ward] = w
	}
	w.lat += lat
	w.lon += lon
	w.n++
	w.districts[district]++
}

// writePlaces names every ward by the code list (its kind suffix removed) at the centre of its
// postcodes, with the district most of them are in.
func (im *importer) writePlaces() error {
	if im.codeList == nil {
		return nil
	}
	stmt, err := im.tx.PrepareContext(im.ctx, `INSERT INTO places (code, name, district, lat, lon, postcodes) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for code, w := range im.wards {
		name := wardDisplayName(im.codeList.Wards[code])
		if name == "" {
			continue
		}
		best, n := "", 0
		for d, c := range w.districts {
			if c > n || (c == n && d < best) {
				best, n = d, c
			}
		}
		if _, err := stmt.ExecContext(im.ctx, code, name, best, round6(w.lat/float64(w.n)), round6(w.lon/float64(w.n)), w.n); err != nil {
			return err
		}
	}
	return nil
}

// wardDisplayName takes the kind off a Boundary-Line ward name: "Abbey Ward" → "Abbey",
// "Alston Moor ED" → "Alston Moor".
func wardDisplayName(s string) string {
	for _, suffix := range []string{" Ward", " ED", " (DET)"} {
		s = strings.TrimSuffix(s, suffix)
	}
	return strings.TrimSpace(s)
}
