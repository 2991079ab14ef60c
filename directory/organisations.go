package directory

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nhs-geo/alliance/data"
	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
)

// Who an alliance brings together: the NHS trusts that are its members (April 2026), their
// hospital sites, and the alliances as they stand since April 2024. The sources are optional:
// without them the service answers as before and says organisations are not loaded.

// OrganisationSources names the organisation files under the data directory.
type OrganisationSources struct {
	Alliances string `json:"alliances"` // the alliances since April 2024: cal24cd, cal24nm, ods_code
	// AllianceCount is how many alliances the file must list; MinMembers how many trusts at
	// least must be assigned to one (the import fails otherwise).
	AllianceCount int    `json:"alliance_count"`
	MinMembers    int    `json:"min_members"`
	Successors    string `json:"successors"` // what became of each 2021 alliance: cal21cd, cal24cd, change
	Trusts        string `json:"trusts"`     // NHS ODS etr.csv
	Members       string `json:"members"`    // trust → alliance (ODS codes), with notes
	Hospitals     string `json:"hospitals"`  // NHS.UK Hospital.csv
}

// Successor says what became of a 2021 alliance in April 2024. Change is "same", "renamed",
// "recoded" (its boundary changed somewhere not known here) or "merged".
type Successor struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	ODSCode string `json:"ods_code"`
	Change  string `json:"change"`
}

// Statement says in plain words what Change means, claiming no more than is known.
func (s *Successor) Statement() string {
	switch s.Change {
	case "same", "renamed":
		return "Since April 2024 this alliance is called " + s.Name + "."
	}
	return "In April 2024 this alliance became " + s.Name + " and its boundary changed, so a place near its edge may now be in a neighbouring alliance."
}

// Organisation kinds.
const (
	KindTrust = "trust"
	KindSite  = "site"
)

// OrgRef names an organisation.
type OrgRef struct {
	ODSCode string `json:"ods_code"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
}

// AllianceRef names a Cancer Alliance as it stands since April 2024.
type AllianceRef struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	ODSCode string `json:"ods_code"`
}

// Organisation is an NHS trust or one of its hospital sites.
type Organisation struct {
	OrgRef
	// Status is "open" or "closed" for a trust (ODS), "not-in-ods" for a member the ODS list
	// lacks; a site has its trust's.
	Status   string   `json:"status"`
	Opened   string   `json:"opened,omitempty"`
	Closed   string   `json:"closed,omitempty"`
	Address  []string `json:"address"`
	Postcode string   `json:"postcode,omitempty"`
	Lat      *float64 `json:"lat,omitempty"`
	Lon      *float64 `json:"lon,omitempty"`
	Phone    string   `json:"phone,omitempty"`
	// Website is a site's own; a trust's is its sites' most common one (ODS lists none).
	Website string `json:"website,omitempty"`
	// Alliance is the alliance the trust (a site: its trust) is a member of, since 2024.
	Alliance *AllianceRef `json:"alliance,omitempty"`
	// AlsoWith is a second alliance the membership notes name.
	AlsoWith *AllianceRef `json:"also_with,omitempty"`
	Notes    string       `json:"notes,omitempty"`
	Trust    *OrgRef      `json:"trust,omitempty"` // a site's trust
	Sites    []OrgRef     `json:"sites,omitempty"` // a trust's sites kept in answers
	// Excluded, for a site, says why it is kept out of nearest-hospital answers.
	Excluded string `json:"excluded,omitempty"`
}

// located reports where o is, if known.
func (o *Organisation) located() (orb.Point, bool) {
	if o.Lat == nil || o.Lon == nil {
		return orb.Point{}, false
	}
	return orb.Point{*o.Lon, *o.Lat}, true
}

// Hospital is a hospital site near a place, for ?include=hospitals.
type Hospital struct {
	ODSCode   string  `json:"ods_code"`
	Name      string  `json:"name"`
	Trust     OrgRef  `json:"trust"`
	DistanceM float64 `json:"distance_m"`
	Phone     string  `json:"phone,omitempty"`
	Website   string  `json:"website,omitempty"`
	Postcode  string  `json:"postcode,omitempty"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
}

// Council is a local authority district with how much of an area's postcodes it holds and how
// much of its own postcodes lie in the area.
type Council struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Postcodes of the district in the area; AreaShare of the area's postcodes; DistrictShare of
	// the district's postcodes.
	Postcodes     int     `json:"postcodes"`
	AreaShare     float64 `json:"area_share"`
	DistrictShare float64 `json:"district_share"`
}

// organisations is what a snapshot knows of organisations; nil when none were imported.
type organisations struct {
	alliances  map[string]*AllianceRef // by ODS code
	byCode     map[string]*AllianceRef // by ONS code (2024)
	successors map[string]*Successor   // by 2021 alliance code
	orgs       map[string]*Organisation
	members    map[string][]*Organisation // alliance ODS code → member trusts
	nearby     map[string][]*Organisation // alliance ODS code → sites of open member trusts kept in answers
}

// Site and trust exclusion rules.
const (
	maxSiteFromTrustM    = 50000 // a site further from its trust's headquarters is kept out
	maxSiteFromPostcodeM = 1000  // a site whose coordinates are further from its postcode is kept out
)

// QualityNote is one row of the data-quality report: something an import noticed in the
// organisation data and what it did about it.
type QualityNote struct {
	Kind    string `json:"kind"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// importOrganisations reads the organisation files into their tables. Postcode locations come
// from pcLoc (filled while the postcodes were read). It is skipped, with a note, when the
// sources name no files or the files are absent.
func (im *importer) importOrganisations(src *OrganisationSources) error {
	pcLoc := im.pcLoc
	allTab, err := readSource(im, src.Alliances, data.ReadLookup)
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	cols, err := allTab.Columns("CAL24CD", "CAL24NM", "ods_code")
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	alliances := map[string]*AllianceRef{}
	byCode := map[string]*AllianceRef{}
	for i, r := range allTab.Rows {
		a := &AllianceRef{Code: r[cols[0]], Name: r[cols[1]], ODSCode: r[cols[2]]}
		if a.Code == "" || a.ODSCode == "" || alliances[a.ODSCode] != nil || byCode[a.Code] != nil {
			return fmt.Errorf("%s: line %d: an alliance needs a new ONS code and a new ODS code", src.Alliances, allTab.Lines[i])
		}
		alliances[a.ODSCode], byCode[a.Code] = a, a
	}
	if len(alliances) != src.AllianceCount {
		return fmt.Errorf("%s: %d alliances, expected %d", src.Alliances, len(alliances), src.AllianceCount)
	}
	succTab, err := readSource(im, src.Successors, data.ReadLookup)
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	scols, err := succTab.Columns("CAL21CD", "CAL24CD", "change")
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	for i, r := range succTab.Rows {
		a := byCode[r[scols[1]]]
		change := r[scols[2]]
		if a == nil || !slices.Contains([]string{"same", "renamed", "recoded", "merged"}, change) {
			return fmt.Errorf("%s: line %d: unknown 2024 alliance %q or change %q (same, renamed, recoded, merged)", src.Successors, succTab.Lines[i], r[scols[1]], change)
		}
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO successors (cal21, cal24, change) VALUES (?, ?, ?)`, r[scols[0]], a.Code, change); err != nil {
			return fmt.Errorf("%s: line %d: %w", src.Successors, succTab.Lines[i], err)
		}
	}
	for _, a := range alliances {
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO alliances_2024 (code, name, ods_code) VALUES (?, ?, ?)`, a.Code, a.Name, a.ODSCode); err != nil {
			return err
		}
	}

	orgs := map[string]*Organisation{}
	for _, t := range im.trusts {
		o := &Organisation{OrgRef: OrgRef{ODSCode: t.Code, Name: data.ReadableName(t.Name), Kind: KindTrust}, Status: "open",
			Opened: t.Opened.Format("2006-01-02"), Address: readableLines(t.Address), Postcode: t.Postcode, Phone: t.Phone}
		if !t.Closed.IsZero() {
			o.Status, o.Closed = "closed", t.Closed.Format("2006-01-02")
		}
		if loc, ok := pcLoc[t.Postcode]; ok {
			o.Lat, o.Lon = &loc.lat, &loc.lon
		} else {
			im.note("trust-postcode", t.Code, fmt.Sprintf("%s: headquarters postcode %q is not in the postcode data, so the trust has no location", o.Name, t.Postcode))
		}
		orgs[t.Code] = o
	}

	members, err := readSource(im, src.Members, data.ReadTrustAlliances)
	if err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	assigned := 0
	for _, m := range members {
		if m.AllianceCode == "" {
			continue
		}
		a := alliances[m.AllianceCode]
		if a == nil {
			return fmt.Errorf("%s: line %d: trust %s is in alliance %q, which is not one of the %d alliances of %s", src.Members, m.Line, m.TrustCode, m.AllianceCode, len(alliances), src.Alliances)
		}
		assigned++
		o := orgs[m.TrustCode]
		if o == nil {
			o = &Organisation{OrgRef: OrgRef{ODSCode: m.TrustCode, Name: m.TrustName, Kind: KindTrust}, Status: "not-in-ods", Address: []string{}}
			orgs[m.TrustCode] = o
			im.note("member-not-in-ods", m.TrustCode, fmt.Sprintf("%s is a member of %s but not in the ODS trust list: kept, without a location, and left out of nearest-hospital answers", m.TrustName, a.Name))
		} else if o.Status == "closed" {
			im.note("member-closed", m.TrustCode, fmt.Sprintf("%s is a member of %s but closed on %s (ODS): kept with its status, left out of nearest-hospital answers", o.Name, a.Name, o.Closed))
		}
		o.Alliance, o.Notes = a, m.Notes
		if m.Notes != "" {
			also, tolerant := alsoWith(m.Notes, alliances, a)
			switch {
			case also == nil:
				im.note("member-note", m.TrustCode, fmt.Sprintf("%s: the note %q names no second alliance", o.Name, m.Notes))
			case tolerant:
				im.note("member-note", m.TrustCode, fmt.Sprintf("%s: the note %q read as %s (name misspelt)", o.Name, m.Notes, also.Name))
				o.AlsoWith = also
			default:
				im.note("member-second-alliance", m.TrustCode, fmt.Sprintf("%s: also works with %s (from the note %q)", o.Name, also.Name, m.Notes))
				o.AlsoWith = also
			}
		}
	}
	if assigned < src.MinMembers {
		return fmt.Errorf("%s: %d trusts assigned to an alliance, expected at least %d", src.Members, assigned, src.MinMembers)
	}

	countries, err := im.indexed(im.opt.Sources.Countries)
	if err != nil {
		return err
	}
	websites := map[string]map[string]int{}
	for _, h := range im.sites {
		trust := orgs[h.ParentCode]
		if trust == nil || !strings.HasPrefix(h.Code, h.ParentCode) || len(h.Code) == len(h.ParentCode) {
			continue // not a site of an NHS trust (a private provider's, or filed under a trust)
		}
		o := &Organisation{OrgRef: OrgRef{ODSCode: h.Code, Name: h.Name, Kind: KindSite}, Status: trust.Status,
			Address: append(slices.Clone(h.Address), h.City), Postcode: h.Postcode, Phone: h.Phone, Website: website(h.Website),
			Trust: &OrgRef{ODSCode: trust.ODSCode, Name: trust.Name, Kind: KindTrust}, Alliance: trust.Alliance}
		o.Address = slices.DeleteFunc(o.Address, func(s string) bool { return s == "" })
		if orgs[h.Code] != nil {
			im.note("site-duplicate", h.Code, fmt.Sprintf("%s: listed twice in %s; the first kept", h.Name, src.Hospitals))
			continue
		}
		lat, lon := h.Lat, h.Lon
		loc, hasPostcode := pcLoc[h.Postcode]
		switch {
		case h.HasLocation:
			o.Lat, o.Lon = &lat, &lon
		case hasPostcode:
			o.Lat, o.Lon = &loc.lat, &loc.lon
		}
		p, located := o.located()
		switch {
		case !located:
			o.Excluded = "no location"
		case hasPostcode && geo.DistanceM(p, orb.Point{loc.lon, loc.lat}) > maxSiteFromPostcodeM:
			o.Excluded = fmt.Sprintf("its coordinates are %.1f km from its postcode %s", geo.DistanceM(p, orb.Point{loc.lon, loc.lat})/1000, h.Postcode)
		case countryAt(countries, p) != englandCode:
			o.Excluded = "outside England"
		default:
			if tp, ok := trust.located(); ok && geo.DistanceM(p, tp) > maxSiteFromTrustM {
				o.Excluded = fmt.Sprintf("%.0f km from its trust's headquarters", geo.DistanceM(p, tp)/1000)
			}
		}
		if !hasPostcode && located {
			im.note("site-postcode", h.Code, fmt.Sprintf("%s: postcode %q is not in the postcode data; its own coordinates are used", h.Name, h.Postcode))
		}
		if o.Excluded != "" {
			im.note("site-excluded", h.Code, fmt.Sprintf("%s (%s): kept out of answers: %s", h.Name, trust.Name, o.Excluded))
		}
		if o.Website != "" {
			if websites[trust.ODSCode] == nil {
				websites[trust.ODSCode] = map[string]int{}
			}
			websites[trust.ODSCode][o.Website]++
		}
		orgs[h.Code] = o
	}
	for code, counts := range websites {
		best, n := "", 0
		for w, c := range counts {
			if c > n || (c == n && w < best) {
				best, n = w, c
			}
		}
		orgs[code].Website = best
	}
	return im.writeOrganisations(orgs)
}

type postcodeLoc struct{ lat, lon float64 }

// countryAt is the code of the UK country containing p ("" in none).
func countryAt(countries *indexedLayer, p orb.Point) string {
	if i := countries.index.Locate(p); i >= 0 {
		return countries.codes[i]
	}
	return ""
}

// alsoWith finds the second alliance a membership note names, other than own: by its name,
// or tolerantly (the note's word cut short, as "West Midlan"); tolerant says which.
func alsoWith(note string, alliances map[string]*AllianceRef, own *AllianceRef) (a *AllianceRef, tolerant bool) {
	n := normaliseName(note)
	codes := make([]string, 0, len(alliances))
	for code := range alliances {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		if c := alliances[code]; c != own && strings.Contains(n, normaliseName(c.Name)) {
			return c, false
		}
	}
	for _, code := range codes {
		c := alliances[code]
		name := normaliseName(c.Name)
		if c != own && len(name) >= 8 && strings.Contains(n, name[:len(name)-2]) {
			return c, true
		}
	}
	return nil, false
}

func normaliseName(s string) string {
	s = strings.ToLower(strings.NewReplacer("&", " and ", "’", "'", ",", " ").Replace(s))
	return strings.Join(strings.Fields(s), " ")
}

// readableLines gives address lines readable capitals.
func readableLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, data.ReadableName(l))
	}
	return out
}

// website makes a site's website a URL, or nothing when it is not one (an e-mail address).
func website(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || strings.Contains(s, "@") || strings.ContainsAny(s, " \t"):
		return ""
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return s
	}
	return "https://" + s
}

func (im *importer) note(kind, code, msg string) {
	im.quality = append(im.quality, QualityNote{Kind: kind, Code: code, Message: msg})
}

func (im *importer) writeOrganisations(orgs map[string]*Organisation) error {
	stmt, err := im.tx.PrepareContext(im.ctx, `INSERT INTO organisations (ods_code, kind, data) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	codes := make([]string, 0, len(orgs))
	for c := range orgs {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		o := orgs[c]
		b, err := json.Marshal(o)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(im.ctx, c, o.Kind, string(b)); err != nil {
			return err
		}
	}
	for _, n := range im.quality {
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO quality (kind, code, message) VALUES (?, ?, ?)`, n.Kind, n.Code, n.Message); err != nil {
			return err
		}
	}
	return nil
}

// readOrganisations loads the organisation tables; a database without them has none.
func (s *Snapshot) readOrganisations(ctx context.Context, db *sql.DB) error {
	o := &organisations{alliances: map[string]*AllianceRef{}, byCode: map[string]*AllianceRef{}, successors: map[string]*Successor{},
		orgs: map[string]*Organisation{}, members: map[string][]*Organisation{}, nearby: map[string][]*Organisation{}}
	rows, err := db.QueryContext(ctx, `SELECT code, name, ods_code FROM alliances_2024`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		a := &AllianceRef{}
		if err := rows.Scan(&a.Code, &a.Name, &a.ODSCode); err != nil {
			return err
		}
		o.alliances[a.ODSCode], o.byCode[a.Code] = a, a
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(o.alliances) == 0 {
		return nil // not imported
	}
	srows, err := db.QueryContext(ctx, `SELECT cal21, cal24, change FROM successors`)
	if err != nil {
		return err
	}
	defer srows.Close()
	for srows.Next() {
		var cal21, cal24, change string
		if err := srows.Scan(&cal21, &cal24, &change); err != nil {
			return err
		}
		a := o.byCode[cal24]
		o.successors[cal21] = &Successor{Code: a.Code, Name: a.Name, ODSCode: a.ODSCode, Change: change}
	}
	if err := srows.Err(); err != nil {
		return err
	}
	orows, err := db.QueryContext(ctx, `SELECT data FROM organisations ORDER BY ods_code`)
	if err != nil {
		return err
	}
	defer orows.Close()
	for orows.Next() {
		var b []byte
		if err := orows.Scan(&b); err != nil {
			return err
		}
		org := &Organisation{}
		if err := json.Unmarshal(b, org); err != nil {
			return fmt.Errorf("%s: organisation: %w", s.Path, err)
		}
		if org.Alliance != nil {
			org.Alliance = o.alliances[org.Alliance.ODSCode]
		}
		if org.AlsoWith != nil {
			org.AlsoWith = o.alliances[org.AlsoWith.ODSCode]
		}
		o.orgs[org.ODSCode] = org
	}
	if err := orows.Err(); err != nil {
		return err
	}
	for _, org := range o.orgs {
		if org.Kind == KindTrust && org.Alliance != nil {
			o.members[org.Alliance.ODSCode] = append(o.members[org.Alliance.ODSCode], org)
		}
		if org.Kind == KindSite {
			trust := o.orgs[org.Trust.ODSCode]
			if org.Excluded == "" {
				trust.Sites = append(trust.Sites, org.OrgRef)
			}
			if org.Excluded == "" && trust.Status == "open" && trust.Alliance != nil {
				o.nearby[trust.Alliance.ODSCode] = append(o.nearby[trust.Alliance.ODSCode], org)
			}
		}
	}
	for _, list := range o.members {
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	}
	for _, org := range o.orgs {
		sort.Slice(org.Sites, func(i, j int) bool { return org.Sites[i].Name < org.Sites[j].Name })
	}
	s.orgs = o
	return nil
}

// attachSuccessors gives every alliance of every edition that has one its 2024 successor.
func (s *Snapshot) attachSuccessors() {
	if s.orgs == nil {
		return
	}
	for k, l := range s.layers {
		if k.typ != CancerAlliance {
			continue
		}
		for i := range l.areas {
			l.areas[i].Since2024 = s.orgs.successors[l.areas[i].Code]
		}
	}
}

// OrganisationsLoaded reports whether the import had the organisation files.
func (s *Snapshot) OrganisationsLoaded() bool { return s.orgs != nil }

// errNoOrganisations is the answer to any organisation question when none were imported.
func errNoOrganisations() error {
	return &Error{Kind: ErrNotFound, Code: "organisations_not_loaded", Message: "organisations are not loaded: the import had no organisation files (see README, 'Data')"}
}

// Organisation finds a trust or a hospital site by ODS code, with the areas of the default
// edition its location lies in.
func (s *Snapshot) Organisation(code string) (*Organisation, []Match, error) {
	if s.orgs == nil {
		return nil, nil, errNoOrganisations()
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if !validODS(code) {
		return nil, nil, invalid("invalid_ods_code", "%q is not an ODS code (letters and digits, 3 to 8 characters, such as RHQ or RHQ01)", clip(code, 40))
	}
	o := s.orgs.orgs[code]
	if o == nil {
		return nil, nil, notFound("organisation_not_found", "no NHS trust or hospital site has ODS code %s", code)
	}
	var areas []Match
	if p, ok := o.located(); ok {
		if ans, err := s.LookupPoint(p, ""); err == nil {
			areas = ans.Areas
		}
	}
	return o, areas, nil
}

func validODS(code string) bool {
	if len(code) < 3 || len(code) > 8 {
		return false
	}
	for _, c := range code {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Organisations lists trusts or sites (kind "" for both), of one 2024 alliance when alliance
// names one (by ONS code, ODS code, or a 2021/2023 alliance code through its successor).
func (s *Snapshot) Organisations(alliance, kind string) ([]*Organisation, error) {
	if s.orgs == nil {
		return nil, errNoOrganisations()
	}
	if kind != "" && kind != KindTrust && kind != KindSite {
		return nil, invalid("invalid_parameter", "type %q: use trust or site", clip(kind, 40))
	}
	var want *AllianceRef
	if alliance != "" {
		if want = s.alliance2024(alliance); want == nil {
			return nil, notFound("alliance_not_found", "no Cancer Alliance has code %q (2024 ONS or ODS code, or a 2021 code)", clip(alliance, 40))
		}
	}
	var out []*Organisation
	for _, o := range s.orgs.orgs {
		if (kind == "" || o.Kind == kind) && (want == nil || o.Alliance == want) {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind == KindTrust
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// alliance2024 finds an alliance since 2024 by its ONS or ODS code, or by the code of the 2021
// alliance it succeeds.
func (s *Snapshot) alliance2024(code string) *AllianceRef {
	code = strings.ToUpper(strings.TrimSpace(code))
	if a := s.orgs.byCode[code]; a != nil {
		return a
	}
	if a := s.orgs.alliances[code]; a != nil {
		return a
	}
	if succ := s.orgs.successors[code]; succ != nil {
		return s.orgs.byCode[succ.Code]
	}
	return nil
}

// Members lists the member trusts of the 2024 successor of an alliance code.
func (s *Snapshot) Members(allianceCode string) []*Organisation {
	if s.orgs == nil {
		return nil
	}
	if a := s.alliance2024(allianceCode); a != nil {
		return s.orgs.members[a.ODSCode]
	}
	return nil
}

// MaxHospitals is the most hospitals ?include=hospitals gives.
const MaxHospitals = 20

// NearestHospitals lists the n hospital sites nearest p among those of the member trusts of
// the 2024 successor of alliance (a 2021 or 2023 alliance code), nearest first: great-circle
// metres, sites of closed trusts and sites kept out of answers left out. Nil when the alliance
// has no successor known.
func (s *Snapshot) NearestHospitals(p orb.Point, alliance string, n int) []Hospital {
	if s.orgs == nil {
		return nil
	}
	a := s.alliance2024(alliance)
	if a == nil {
		return nil
	}
	sites := s.orgs.nearby[a.ODSCode]
	type near struct {
		d float64 // approximate, then exact
		o *Organisation
	}
	var buf [64]near
	cand := buf[:0]
	// Rank by a flat-Earth distance (cheap), then measure on the sphere only the sites that
	// can be among the nearest: within 5 % of the n-th flat distance, far more than the flat
	// approximation's error over an alliance.
	cosLat := math.Cos(p[1] * math.Pi / 180)
	for _, o := range sites {
		q, _ := o.located()
		dx, dy := (q[0]-p[0])*cosLat, q[1]-p[1]
		cand = append(cand, near{math.Sqrt(dx*dx + dy*dy), o})
	}
	less := func(x, y near) bool { return x.d < y.d || (x.d == y.d && x.o.ODSCode < y.o.ODSCode) }
	selectNearest := func(cand []near, n int) {
		for i := 0; i < n; i++ {
			best := i
			for j := i + 1; j < len(cand); j++ {
				if less(cand[j], cand[best]) {
					best = j
				}
			}
			cand[i], cand[best] = cand[best], cand[i]
		}
	}
	n = min(n, len(cand))
	if n == 0 {
		return []Hospital{}
	}
	selectNearest(cand, n)
	limit := cand[n-1].d*1.05 + 1e-4
	keep := cand[:0]
	for _, c := range cand {
		if c.d <= limit {
			q, _ := c.o.located()
			keep = append(keep, near{geo.DistanceM(p, q), c.o})
		}
	}
	selectNearest(keep, n)
	out := make([]Hospital, n)
	for i, c := range keep[:n] {
		q, _ := c.o.located()
		out[i] = Hospital{ODSCode: c.o.ODSCode, Name: c.o.Name, Trust: *c.o.Trust, DistanceM: round1(c.d),
			Phone: c.o.Phone, Website: c.o.Website, Postcode: c.o.Postcode, Lat: q[1], Lon: q[0]}
	}
	return out
}

// TrustsIn lists the trusts whose headquarters lie in an area.
func (s *Snapshot) TrustsIn(l *Layer, code string) []*Organisation {
	if s.orgs == nil {
		return nil
	}
	var out []*Organisation
	for _, o := range s.orgs.orgs {
		if o.Kind != KindTrust {
			continue
		}
		if p, ok := o.located(); ok {
			if i := l.Index.Locate(p); i >= 0 && l.areas[i].Code == code {
				out = append(out, o)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Quality lists what the import noticed in the organisation data.
func (s *Snapshot) Quality() []QualityNote { return s.quality }

// readOrganisationFiles checks that every organisation file is there (an absent one is an
// os.ErrNotExist: organisations are optional), and reads the trusts and hospital sites, whose
// postcodes the postcode pass then locates (and no other).
func (im *importer) readOrganisationFiles(src *OrganisationSources) error {
	for _, f := range []string{src.Alliances, src.Successors, src.Trusts, src.Members, src.Hospitals} {
		if _, err := os.Stat(filepath.Join(im.opt.DataDir, f)); err != nil {
			return err
		}
	}
	var err error
	if im.trusts, err = readSource(im, src.Trusts, data.ReadTrusts); err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	if im.sites, err = readSource(im, src.Hospitals, data.ReadHospitals); err != nil {
		return fmt.Errorf("organisations: %w", err)
	}
	im.wantPostcodes = map[string]bool{}
	for _, t := range im.trusts {
		im.wantPostcodes[t.Postcode] = true
	}
	for _, h := range im.sites {
		im.wantPostcodes[h.Postcode] = true
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// MembershipCheck compares a member trust's alliance with where its headquarters lie.
type MembershipCheck struct {
	Trust    OrgRef       `json:"trust"`
	Member   *AllianceRef `json:"member_of"`  // by the membership file
	Located  *AllianceRef `json:"located_in"` // the 2024 successor of the alliance its headquarters lie in
	Agree    bool         `json:"agree"`
	Reason   string       `json:"reason,omitempty"` // for a disagreement: its likely reason
	BorderKm float64      `json:"border_km"`        // headquarters' distance to their alliance's edge
}

// CheckMembership locates every open member trust's headquarters in the default edition's
// alliances, takes what each became in 2024, and compares with its membership. Disagreements
// carry a likely reason: a trust that works with two alliances, headquarters near a border, an
// alliance whose boundary changed in 2024, or none known.
func (s *Snapshot) CheckMembership() []MembershipCheck {
	if s.orgs == nil {
		return nil
	}
	var out []MembershipCheck
	for _, list := range s.orgs.members {
		for _, o := range list {
			p, ok := o.located()
			if !ok || o.Status != "open" {
				continue
			}
			c := MembershipCheck{Trust: o.OrgRef, Member: o.Alliance}
			ans, err := s.LookupPoint(p, "")
			if err != nil {
				continue
			}
			for _, m := range ans.Areas {
				if m.Type == CancerAlliance {
					c.BorderKm = math.Round(m.BoundaryDistanceM/100) / 10
					if m.Since2024 != nil {
						c.Located = s.orgs.byCode[m.Since2024.Code]
						switch {
						case c.Located == o.Alliance:
							c.Agree = true
						case o.AlsoWith != nil && o.AlsoWith == c.Located:
							c.Reason = "the trust also works with the alliance its headquarters lie in (membership notes)"
						case strings.Contains(o.Name, "Ambulance"):
							c.Reason = "an ambulance service covers several alliances from one headquarters"
						case m.Since2024.Change == "recoded" || m.Since2024.Change == "merged" || s.successorChanged(o.Alliance):
							c.Reason = "an alliance's boundary changed in April 2024; the boundaries here are the 2021 assignment"
						case m.BoundaryDistanceM < 10000:
							c.Reason = fmt.Sprintf("headquarters %.1f km from the alliance's edge; the trust serves both sides", m.BoundaryDistanceM/1000)
						default:
							c.Reason = "none known"
						}
					}
				}
			}
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Trust.ODSCode < out[j].Trust.ODSCode })
	return out
}

// successorChanged reports whether a 2024 alliance took in a 2021 one whose boundary changed.
func (s *Snapshot) successorChanged(a *AllianceRef) bool {
	for _, succ := range s.orgs.successors {
		if succ.Code == a.Code && (succ.Change == "recoded" || succ.Change == "merged") {
			return true
		}
	}
	return false
}
