package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

var pageFuncs = template.FuncMap{
	"percent":  func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
	"share":    share,
	"tel":      telURL,
	"date":     longDate,
	"typeName": func(t directory.AreaType) string { return typeTitles[t] },
	"join":     strings.Join,
	"count": func(v any) string {
		switch n := v.(type) {
		case int:
			return thousands(fmt.Sprint(n))
		case float64:
			return thousands(fmt.Sprintf("%.0f", n))
		}
		return fmt.Sprint(v)
	},
}

// thousands puts commas in a whole number: 96966 → 96,966.
func thousands(digits string) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// share writes a share for a reader: "38 %", "under 1 %" for a small one, "100 %". A share
// of some postcodes (postcodes > 0) is never "0 %", however small.
func share(v float64, postcodes ...int) string {
	some := v > 0 || (len(postcodes) > 0 && postcodes[0] > 0)
	switch {
	case some && v < 0.005:
		return "under 1 %"
	case v < 1 && v >= 0.995:
		return "over 99 %"
	}
	return fmt.Sprintf("%.0f %%", v*100)
}

// telURL makes a phone number a tel: link ("0114 27 11900" → tel:01142711900); an empty URL
// when the number has no digits.
func telURL(phone string) template.URL {
	var b strings.Builder
	for i, c := range strings.TrimSpace(phone) {
		if (c >= '0' && c <= '9') || (c == '+' && i == 0) {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// longDate writes an ISO date the British way: 2024-03-31 → 31 March 2024.
func longDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format("2 January 2006")
}

// page parses the layout with one content template.
func page(name string) *template.Template {
	return template.Must(template.New(name).Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html", "templates/"+name))
}

var (
	mapPage       = page("map.html")
	alliancesPage = page("alliances.html")
	areaPage      = page("area.html")
	errorPage     = page("error.html")
	orgPage       = page("organisation.html")
	orgListPage   = page("organisations.html")
)

// pageRoutes adds the HTML pages: the map at / and the directory pages, and their static files.
func (s *Server) pageRoutes(r chi.Router) {
	static, _ := fs.Sub(staticFS, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	r.Get("/static/*", func(w http.ResponseWriter, r *http.Request) {
		// No directory listings: only files are served.
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(static, name); err != nil || st.IsDir() {
			fail(w, http.StatusNotFound, "route_not_found", "no such file: "+r.URL.Path)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})
	r.Group(func(r chi.Router) {
		r.Use(s.pageHeaders, s.pageSnapshot)
		r.Get("/", s.handleMapPage)
		r.Get("/alliances", s.handleAlliancesPage)
		r.Get("/alliances/{code}", s.handleAreaPage(directory.CancerAlliance))
		r.Get("/footprints/{code}", s.handleAreaPage(directory.ICB))
		r.Get("/organisations", s.handleOrganisationsPage)
		r.Get("/organisations/{ods}", s.handleOrganisationPage)
		r.Get("/search", s.handleSearchPage)
	})
}

// pageHeaders sends a strict Content-Security-Policy: scripts, styles and data from this
// server only (and the tile server, when one is configured).
func (s *Server) pageHeaders(next http.Handler) http.Handler {
	img := "'self' data:"
	// Leaflet's {s} subdomain placeholder becomes a CSP wildcard.
	if u, err := url.Parse(strings.Replace(s.cfg.TilesURL, "{s}.", "sub.", 1)); err == nil && u.Scheme != "" && u.Host != "" {
		host := u.Host
		if strings.Contains(s.cfg.TilesURL, "{s}.") {
			host = "*" + strings.TrimPrefix(host, "sub")
		}
		img += " " + u.Scheme + "://" + host
	}
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img +
		"; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		next.ServeHTTP(w, r)
	})
}

// pageSnapshot pins one dataset snapshot to a page request, as withSnapshot does for the API.
func (s *Server) pageSnapshot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		snap := s.src.Current()
		if snap == nil {
			fail(w, http.StatusServiceUnavailable, "not_ready", "no dataset loaded")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), snapshotKey, snap)))
	})
}

// pageData is what every page's layout needs.
type pageData struct {
	Title    string
	Map      bool
	NavItems []navItem
	// DataNote says what the data is; DataDetails (when it was imported, the dataset's
	// checksum) are for the curious, behind a <details>.
	DataNote    string
	DataDetails []string
	Attribution []string
	// Who runs the service: the NHS logo only for an NHS organisation's (Config.NHSBranding).
	NHSBranding bool
	Operator    string
	FeedbackURL string
}

type navItem struct {
	Href, Text string
	Current    bool
}

// DefaultOperator is who runs the service unless the operator says otherwise (Config.Operator).
const DefaultOperator = "an independent open-source project"

func (s *Server) basePage(snap *directory.Snapshot, title string) pageData {
	var note string
	var details, attribution []string
	if snap != nil {
		var ids []string
		for _, e := range snap.Editions {
			ids = append(ids, string(e.ID))
		}
		note = "NHS boundaries of " + strings.Join(ids, ", ") + " (ONS); postcodes: " + snap.PostcodesTitle
		details = []string{"Imported " + snap.ImportedAt, "Dataset " + snap.Checksum + " (a checksum of the imported files; the API names it in every answer)"}
		attribution = snap.Attribution
	}
	current := map[string]string{"Map": "/", "API": "/api/docs"}[title]
	if current == "" {
		current = "/alliances"
	}
	var nav []navItem
	for _, n := range []navItem{{Href: "/", Text: "Map"}, {Href: "/alliances", Text: "All Cancer Alliances"}, {Href: "/api/docs", Text: "API"}} {
		n.Current = n.Href == current
		nav = append(nav, n)
	}
	operator := strings.TrimSpace(s.cfg.Operator)
	if operator == "" {
		operator = DefaultOperator
	}
	return pageData{Title: title, NavItems: nav, DataNote: note, DataDetails: details, Attribution: attribution,
		NHSBranding: s.cfg.NHSBranding, Operator: operator, FeedbackURL: strings.TrimSpace(s.cfg.FeedbackURL)}
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, t *template.Template, status int, data any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorData struct {
	pageData
	Heading, Message string
}

// pageError shows a directory error as an HTML page with the matching status.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	body := errorBody(err)
	s.render(w, r, errorPage, body.Status, errorData{s.basePage(s.src.Current(), "No answer"), "No answer", body.Message})
}

type mapData struct {
	pageData
	EditionOptions             []editionOption
	Edition                    directory.Edition
	EditionInfo                directory.EditionInfo
	Postcode                   string
	TilesURL, TilesAttribution string
	RegionEditions             []string // the editions that have NHS England regions, oldest first
}

// editionOption is one choice of the map's edition picker; the page shows the chosen
// edition's title and caveats, and its script swaps them when the choice changes.
type editionOption struct {
	ID           directory.Edition
	Label, Title string
	Notes        string // the caveats, one per line
	Note         string // shown with every answer of the edition
	Footprint    directory.AreaType
	Regions      bool // the edition has NHS England regions
	Default      bool
	Selected     bool
}

func (s *Server) handleMapPage(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	info, err := snap.Edition(directory.Edition(r.URL.Query().Get("edition")))
	if err != nil {
		info, _ = snap.Edition("")
	}
	d := mapData{pageData: s.basePage(snap, "Map"), Edition: info.ID, EditionInfo: info,
		Postcode: r.URL.Query().Get("postcode"), TilesURL: s.cfg.TilesURL, TilesAttribution: s.cfg.TilesAttribution}
	d.Map = true
	// Newest first: the default edition is the one most people want.
	for i := len(snap.Editions) - 1; i >= 0; i-- {
		e := snap.Editions[i]
		label := string(e.ID)
		if e.ID == snap.DefaultEdition {
			label += " (newest)"
		}
		d.EditionOptions = append(d.EditionOptions, editionOption{ID: e.ID, Label: label, Title: e.Title,
			Notes: strings.Join(e.Caveats, "\n"), Note: e.Note, Footprint: e.Footprint(), Regions: e.HasRegions(),
			Default: e.ID == snap.DefaultEdition, Selected: e.ID == info.ID})
		if e.HasRegions() {
			d.RegionEditions = append([]string{string(e.ID)}, d.RegionEditions...)
		}
	}
	s.render(w, r, mapPage, http.StatusOK, d)
}

type allianceGroup struct {
	Region    string
	Alliances []directory.AllianceSummary
}

type alliancesData struct {
	pageData
	Editions    []directory.EditionInfo
	Edition     directory.Edition
	EditionInfo directory.EditionInfo
	Count       int
	Grouping    string
	Groups      []allianceGroup
}

func (s *Server) handleAlliancesPage(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	info, err := snap.Edition(directory.Edition(r.URL.Query().Get("edition")))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	list, note, err := snap.Alliances(info.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	groups := map[string]*allianceGroup{}
	for _, a := range list {
		name := "Region not known"
		if a.Region != nil {
			name = a.Region.Name
		}
		if groups[name] == nil {
			groups[name] = &allianceGroup{Region: name}
		}
		groups[name].Alliances = append(groups[name].Alliances, a)
	}
	d := alliancesData{pageData: s.basePage(snap, "Cancer Alliances "+string(info.ID)), Editions: snap.Editions,
		Edition: info.ID, EditionInfo: info, Count: len(list), Grouping: note}
	for _, g := range groups {
		d.Groups = append(d.Groups, *g)
	}
	sort.Slice(d.Groups, func(i, j int) bool { return d.Groups[i].Region < d.Groups[j].Region })
	s.render(w, r, alliancesPage, http.StatusOK, d)
}

type containsGroup struct {
	Title string
	Areas []directory.Overlap
}

type areaData struct {
	pageData
	Kind, Intro string
	IsAlliance  bool
	Edition     directory.Edition
	EditionInfo directory.EditionInfo
	D           *directory.AreaDetail
	Contains    []containsGroup
	// OrgsLoaded says whether the import had the organisation files (D.Trusts are then the
	// alliance's member trusts, or the trusts based in a footprint).
	OrgsLoaded bool
	Noun       string // "alliance" or "area", for the councils' shares
}

var typeTitles = map[directory.AreaType]string{
	directory.CancerAlliance: "Cancer Alliance", directory.STP: "STP / ICS footprint", directory.ICB: "Integrated Care Board (local NHS area)",
	directory.CCG: "Clinical Commissioning Group", directory.SubICB: "Sub-ICB location", directory.NHSRegion: "NHS region",
}

// containsTitles head the lists of what an area contains.
var containsTitles = map[directory.AreaType]string{
	directory.STP: "ICS footprints (STPs) in it", directory.ICB: "ICS footprints (Integrated Care Boards) in it",
	directory.CCG: "Clinical Commissioning Groups (CCGs) in it", directory.SubICB: "Sub-ICB locations in it",
	directory.CancerAlliance: "Cancer Alliances in it",
}

// handleAreaPage shows an alliance (/alliances/{code}) or a footprint (/footprints/{code}).
func (s *Server) handleAreaPage(kind directory.AreaType) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		snap := snapshotFrom(r)
		d, err := snap.AreaDetail(areaCode(r), directory.Edition(r.URL.Query().Get("edition")))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		isAlliance := d.Type == directory.CancerAlliance
		if isAlliance != (kind == directory.CancerAlliance) || (!isAlliance && d.Type != directory.STP && d.Type != directory.ICB) {
			s.pageError(w, r, errNotFoundPage(fmt.Sprintf("%s is a %s, not a %s", d.Code, d.Type, typeTitles[kind])))
			return
		}
		info, _ := snap.Edition(d.Edition)
		ad := areaData{pageData: s.basePage(snap, d.Name), Kind: typeTitles[d.Type], IsAlliance: isAlliance, Edition: d.Edition, EditionInfo: info, D: d,
			OrgsLoaded: snap.OrganisationsLoaded(), Noun: "area"}
		if isAlliance {
			ad.Noun = "alliance"
			ad.Intro = d.Name + " is one of the Cancer Alliances of England. A Cancer Alliance brings together the hospitals, GP practices, councils, charities and people with experience of cancer in its area, to plan cancer services and improve early diagnosis, treatment and care."
		} else {
			ad.Intro = d.Name + " is a local NHS area: the footprint of an Integrated Care System (ICS), for which the NHS, councils and their partners plan health and care together. Before 2022 these footprints were called Sustainability and Transformation Partnerships (STPs); since July 2022 each is run by an Integrated Care Board (ICB)."
		}
		byType := map[directory.AreaType][]directory.Overlap{}
		var order []directory.AreaType
		for _, c := range d.Contains {
			if byType[c.Type] == nil {
				order = append(order, c.Type)
			}
			byType[c.Type] = append(byType[c.Type], c)
		}
		for _, t := range order {
			title := containsTitles[t]
			if title == "" {
				title = typeTitles[t] + " in it"
			}
			ad.Contains = append(ad.Contains, containsGroup{Title: title, Areas: byType[t]})
		}
		s.render(w, r, areaPage, http.StatusOK, ad)
	}
}

func errNotFoundPage(msg string) error {
	return &directory.Error{Kind: directory.ErrNotFound, Code: "not_found", Message: msg}
}
