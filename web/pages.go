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

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

var pageFuncs = template.FuncMap{
	"percent":  func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
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

// page parses the layout with one content template.
func page(name string) *template.Template {
	return template.Must(template.New(name).Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html", "templates/"+name))
}

var (
	mapPage       = page("map.html")
	alliancesPage = page("alliances.html")
	areaPage      = page("area.html")
	errorPage     = page("error.html")
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
	Title       string
	Map         bool
	NavItems    []navItem
	DataNote    string
	Attribution []string
}

type navItem struct {
	Href, Text string
	Current    bool
}

func (s *Server) basePage(snap *directory.Snapshot, title string) pageData {
	var note string
	var attribution []string
	if snap != nil {
		var ids []string
		for _, e := range snap.Editions {
			ids = append(ids, string(e.ID))
		}
		note = "NHS boundaries of " + strings.Join(ids, ", ") + " (ONS); postcodes: " + snap.PostcodesTitle +
			"; imported " + snap.ImportedAt + ", dataset " + snap.Checksum
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
	return pageData{Title: title, NavItems: nav, DataNote: note, Attribution: attribution}
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
}

var typeTitles = map[directory.AreaType]string{
	directory.CancerAlliance: "Cancer Alliance", directory.STP: "STP / ICS footprint", directory.ICB: "Integrated Care Board",
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
		ad := areaData{pageData: s.basePage(snap, d.Name), Kind: typeTitles[d.Type], IsAlliance: isAlliance, Edition: d.Edition, EditionInfo: info, D: d}
		if isAlliance {
			ad.Intro = d.Name + " is one of the Cancer Alliances of England. A Cancer Alliance brings together the hospitals, GP practices, councils, charities and people with experience of cancer in its area, to plan cancer services and improve early diagnosis, treatment and care."
		} else {
			ad.Intro = d.Name + " is the footprint of an Integrated Care System (ICS): the area for which the NHS, councils and their partners plan health and care together. Before 2022 these footprints were called Sustainability and Transformation Partnerships (STPs); since July 2022 each is run by an Integrated Care Board (ICB)."
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
