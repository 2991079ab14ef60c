package web

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/directory"
	"github.com/nhs-geo/alliance/internal/testenv"
)

func TestPages(t *testing.T) {
	h := fixtureServer(t, Config{})
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{`id="postcode"`, `aria-live="polite"`, `<option value="2023" selected`, `nhsuk-init.js`, `aria-current="page"`, "Royal Mail copyright", "/static/app.js",
			`id="show-hospitals"`, `id="hospital-sites"`, `<template id="next-steps">`, "talk to your GP practice", `href="https://www.nhs.uk/conditions/cancer/"`, "Local NHS areas (Integrated Care Boards"}},
		{"/?edition=2021", 200, []string{`<option value="2021" selected`, `id="show-regions" name="regions" type="checkbox" value="1" form="search" disabled`}},
		{"/alliances", 200, []string{"2 alliances", "West Alliance", "East Alliance", "NHS North Integrated Care Board", "Middle", "A <strong>Cancer Alliance</strong>", "Office for National Statistics"}},
		{"/alliances?edition=2021", 200, []string{"2 alliances", "the NHS region (2023 boundaries)", "North Footprint"}},
		{"/alliances/E56000901", 200, []string{"West Alliance", "ICS footprints (Integrated Care Boards) in it", "Each Cancer Alliance covers", "East Alliance", "/?code=E56000901", "2021",
			// since April 2024, with its ODS code; its member trusts with phone, website and sites; its councils
			"<h2 class=\"nhsuk-heading-m\">Since April 2024</h2>", "Since April 2024 this alliance is called West Alliance.", "code E56000901, NHS ODS code N01",
			"<h2 class=\"nhsuk-heading-m\">Hospital trusts</h2>", `<a href="/organisations/RAA">West Hospitals NHS Trust</a>`, `<a href="tel:01000000001">0100 000 0001</a>`,
			`<a href="http://www.west.nhs.uk">`, `<a href="/organisations/RAA01">West General Hospital</a>`, `<a href="/organisations/RAA02">West Cottage Hospital</a>`,
			`<a href="/organisations/RCC">Closed Hospitals NHS Trust</a>`, "Closed on 31 March 2024", `<a href="/organisations/RZZ">A Care Trust</a>`, "Not in the NHS list of trusts",
			"<h2 class=\"nhsuk-heading-m\">Councils</h2>", "One: 100 % of its postcodes,"}},
		{"/alliances/E56000902?edition=2021", 200, []string{"In April 2024 this alliance became East Alliance and its boundary changed, so a place near its edge may now be in a neighbouring alliance.",
			"code E56000952, NHS ODS code N02", `<a href="/organisations/RBB">St Mary&#39;s and East Hospitals NHS Foundation Trust</a>`, "Also works with West Alliance",
			`<a href="/organisations/RBB02">East Infirmary</a>`, "Two: 100 % of its postcodes, 75 % of the alliance's", "Two: 100 % of its postcodes, 25 % of the alliance's"}},
		{"/alliances?edition=2021", 200, []string{"Boundary changed in April 2024", "local NHS area"}},
		{"/footprints/E54000903", 200, []string{"NHS North Integrated Care Board", "footprint of an Integrated Care System", "is a local NHS area", "Integrated Care Board (local NHS area), 2023 boundaries"}},
		{"/footprints/E54000904", 200, []string{"The NHS trusts whose headquarters are in NHS South Integrated Care Board", `<a href="/organisations/RAA">`, "of the area's"}},
		// organisation pages: a trust, a site (any case), a closed trust, one not in ODS, an excluded site
		{"/organisations/RAA", 200, []string{"<h1 class=\"nhsuk-heading-l\">West Hospitals NHS Trust</h1>", "NHS trust", "West General Hospital<br>One Road<br>Weston<br>AA1 1AA",
			`<a href="tel:01000000001">0100 000 0001</a>`, `<a href="http://www.west.nhs.uk">`, "Open since 1 April 2001", "a member of the Cancer Alliance <strong>West Alliance</strong>",
			"code E56000901, NHS ODS code N01", `that alliance is <a href="/alliances/E56000901?edition=2023">West Alliance</a>`,
			`Cancer Alliance: <a href="/alliances/E56000901?edition=2023">West Alliance</a>`, `Integrated Care Board (local NHS area): <a href="/footprints/E54000904?edition=2023">`,
			"<h2 class=\"nhsuk-heading-m\">Hospital sites</h2>", `<a href="/organisations/RAA01">West General Hospital</a>`, `<a href="/organisations/RAA02">West Cottage Hospital</a>`,
			`href="/?lat=52.50000&amp;lon=-1.50001"`}},
		{"/organisations/raa01", 200, []string{"<h1 class=\"nhsuk-heading-l\">West General Hospital</h1>", "Hospital site", `A hospital site of <a href="/organisations/RAA">West Hospitals NHS Trust</a>`,
			"Open (its trust is open)", `<a href="tel:01000001001">`, "Its trust is a member of the Cancer Alliance", "<h2 class=\"nhsuk-heading-m\">Its trust</h2>"}},
		{"/organisations/RBB", 200, []string{"It also works with <a href=\"/alliances/E56000901?edition=2023\">West Alliance</a>", "Also partners with the West Alliance",
			`that alliance is <a href="/alliances/E56000902?edition=2023">East Alliance</a>`}},
		{"/organisations/RBB01", 200, []string{"not offered as a nearest hospital on the map: its coordinates are 3.4 km from its postcode AA1 1AB"}},
		{"/organisations/RCC", 200, []string{"This trust closed on 31 March 2024"}},
		{"/organisations/RZZ", 200, []string{"Not in the NHS list of trusts (ODS)", "<td>Not known</td>", "Its location is not known", "No hospital sites of this trust are listed"}},
		{"/organisations?alliance=N01", 200, []string{"<h1 class=\"nhsuk-heading-l\">Hospital trusts of West Alliance</h1>", `<a href="/organisations/RAA">West Hospitals NHS Trust</a>`,
			`<a href="/organisations/RAA01">West General Hospital</a>`, "Closed on 31 March 2024", `the alliance is <a href="/alliances/E56000901?edition=2023">West Alliance</a>`}},
		{"/organisations?alliance=E56000902", 200, []string{"Hospital trusts of East Alliance", `<a href="/organisations/RBB">`}},
		{"/organisations", 200, []string{"<h2 class=\"nhsuk-heading-m\">East Alliance</h2>", "<h2 class=\"nhsuk-heading-m\">West Alliance</h2>", `href="/organisations?alliance=N01"`, "Closed Hospitals NHS Trust</a> (closed)"}},
		{"/organisations?alliance=E56000999", 404, []string{"no Cancer Alliance has code"}},
		{"/organisations/RXX99", 404, []string{"no NHS trust or hospital site has ODS code RXX99", "<h1 class=\"nhsuk-heading-l\">No answer</h1>"}},
		{"/organisations/R", 400, []string{"is not an ODS code"}},
		{"/organisations/R%2AA", 400, []string{"is not an ODS code"}},
		{"/organisations/ABCDEFGHIJ", 400, []string{"is not an ODS code"}},
		{"/footprints/E54000901?edition=2021", 200, []string{"North Footprint"}},
		{"/alliances/E54000903", 404, []string{"is a icb, not a Cancer Alliance"}},
		{"/alliances/E00000000", 404, []string{"no area has code"}},
		{"/alliances?edition=1999", 400, []string{"unknown edition"}},
		{"/static/app.js", 200, []string{"allianceMap"}},
		{"/static/", 404, []string{"route_not_found"}},
		{"/static/vendor", 404, []string{"route_not_found"}},
		{"/static/../templates/layout.html", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := serve(h, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tt.status, w.Body)
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("page lacks %q", s)
				}
			}
			if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") && w.Code == 200 {
				csp := w.Header().Get("Content-Security-Policy")
				if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
					t.Errorf("Content-Security-Policy = %q", csp)
				}
			}
		})
	}
}

func TestPagesNoInlineScriptOrStyle(t *testing.T) {
	h := fixtureServer(t, Config{})
	for _, path := range []string{"/", "/alliances", "/alliances/E56000901", "/footprints/E54000904", "/organisations/RAA", "/organisations/RAA01", "/organisations/NOPE1", "/organisations", "/organisations?alliance=N01", "/api/docs",
		"/search?q=west", "/search?q=nothing+like+it", "/search"} {
		body := serve(h, httptest.NewRequest(http.MethodGet, path, nil)).Body.String()
		if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="|onclick=|onload=`).MatchString(body) {
			t.Errorf("%s has inline script or style, which the Content-Security-Policy blocks", path)
		}
	}
}

func TestTilesAllowedByCSP(t *testing.T) {
	h := fixtureServer(t, Config{TilesURL: "https://{s}.tiles.example.org/{z}/{x}/{y}.png", TilesAttribution: "© Example"})
	w := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://*.tiles.example.org") {
		t.Errorf("CSP with tiles = %q", csp)
	}
	if !strings.Contains(w.Body.String(), `data-tile-template="https://{s}.tiles.example.org/{z}/{x}/{y}.png"`) {
		t.Error("the map does not get the tile URL")
	}
}

// TestPaletteContrast checks that the alliance names, drawn in #212b32, meet WCAG 2.2 AA
// contrast (4.5:1) on every fill colour of the map, blended at its 0.75 opacity over the
// page's background.
func TestPaletteContrast(t *testing.T) {
	js, err := staticFS.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)var PALETTE = \[(.*?)\];`).FindSubmatch(js)
	if m == nil {
		t.Fatal("no PALETTE in app.js")
	}
	colours := regexp.MustCompile(`#[0-9a-f]{6}`).FindAllString(string(m[1]), -1)
	if len(colours) < 21 {
		t.Fatalf("%d colours for 21 alliances", len(colours))
	}
	text := rgb("#212b32")
	for _, c := range colours {
		fill, bg := rgb(c), rgb("#f0f4f5")
		var blended [3]float64
		for i := range blended {
			blended[i] = 0.75*fill[i] + 0.25*bg[i]
		}
		if r := contrast(text, blended); r < 4.5 {
			t.Errorf("label contrast on %s is %.2f:1, below 4.5:1", c, r)
		}
	}
}

func rgb(hex string) [3]float64 {
	var out [3]float64
	for i := range out {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		out[i] = float64(v)
	}
	return out
}

func luminance(c [3]float64) float64 {
	var l [3]float64
	for i, v := range c {
		v /= 255
		if v <= 0.04045 {
			l[i] = v / 12.92
		} else {
			l[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(a, b [3]float64) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func TestThousands(t *testing.T) {
	for in, want := range map[string]string{"0": "0", "999": "999", "1000": "1,000", "96966": "96,966", "1234567": "1,234,567", "-1500": "-1,500"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestStaticAssetsStayLocal checks that no style sheet the pages load points outside the
// server (nhsuk-frontend's web font lives on an NHS host: the build drops its @font-face).
func TestStaticAssetsStayLocal(t *testing.T) {
	if _, err := fs.Stat(staticFS, "static/vendor/nhsuk/nhsuk-frontend.min.css"); err != nil {
		t.Skip("web/static/vendor is empty on a fresh clone: run `make web-assets` to check the npm assets")
	}
	external := regexp.MustCompile(`(?i)url\(\s*['"]?(https?:)?//|@import|@font-face`)
	err := fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".css") {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		if m := external.Find(b); m != nil {
			t.Errorf("%s refers outside the server: %q", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"static/app.js", "static/nhsuk-init.js"} {
		b, _ := staticFS.ReadFile(path)
		if regexp.MustCompile(`https?://`).Match(b) {
			t.Errorf("%s names an outside address", path)
		}
	}
}

func TestMapPageEditionPicker(t *testing.T) {
	h := fixtureServer(t, Config{})
	body := serve(h, httptest.NewRequest(http.MethodGet, "/?edition=2021", nil)).Body.String()
	first, second := strings.Index(body, `<option value="2023"`), strings.Index(body, `<option value="2021"`)
	if first < 0 || second < 0 || first > second {
		t.Error("the edition picker does not list the newest edition first")
	}
	if !strings.Contains(body, `(newest)`) || !strings.Contains(body, `id="edition-hint"`) || !strings.Contains(body, `data-notes=`) {
		t.Error("the edition picker lacks its label, hint or notes")
	}
}

// pagePaths are a page of each kind: the map, the directory, an organisation, the API's page
// and an error page.
var pagePaths = []string{"/", "/alliances", "/alliances/E56000901", "/footprints/E54000903", "/organisations/RAA", "/organisations/RAA01", "/api/docs", "/alliances/E00000000", "/organisations/RXX99",
	"/search?q=west", "/search"}

// TestOperatorAndBranding: by default no page carries the NHS logo, and every page says who
// runs the service and that it is not an official NHS service; with NHS branding the logo is
// back and the notice goes; the feedback link is there only when configured.
func TestOperatorAndBranding(t *testing.T) {
	plain := fixtureServer(t, Config{})
	nhs := fixtureServer(t, Config{NHSBranding: true, Operator: "NHS Example Foundation Trust", FeedbackURL: "https://example.org/feedback?from=alliance"})
	other := fixtureServer(t, Config{Operator: "Example Charity", FeedbackURL: "mailto:feedback@example.org"})
	for _, path := range pagePaths {
		body := serve(plain, httptest.NewRequest(http.MethodGet, path, nil)).Body.String()
		for _, want := range []string{"Not an official NHS service: run by an independent open-source project.", "It is not an official NHS service", `href="/static/favicon.svg"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s (default): lacks %q", path, want)
			}
		}
		for _, bad := range []string{"nhsuk-header__logo", "Give feedback", "NHS Find your Cancer Alliance homepage", "nhsuk/assets/images/favicon"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s (default): has %q", path, bad)
			}
		}

		body = serve(nhs, httptest.NewRequest(http.MethodGet, path, nil)).Body.String()
		for _, want := range []string{"nhsuk-header__logo", "A service run by NHS Example Foundation Trust.", "This service is run by NHS Example Foundation Trust.",
			`<a href="https://example.org/feedback?from=alliance">Give feedback</a>`, "nhsuk/assets/images/favicon.svg"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s (NHS branding): lacks %q", path, want)
			}
		}
		if strings.Contains(body, "not an official NHS service") || strings.Contains(body, "Not an official NHS service") {
			t.Errorf("%s (NHS branding): still says it is not an official NHS service", path)
		}

		body = serve(other, httptest.NewRequest(http.MethodGet, path, nil)).Body.String()
		for _, want := range []string{"Not an official NHS service: run by Example Charity.", `href="mailto:feedback@example.org"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s (operator): lacks %q", path, want)
			}
		}
	}
}

// TestDatasetChecksumInDetails: the dataset's checksum, which means nothing to a patient,
// is only inside a <details> element of the footer.
func TestDatasetChecksumInDetails(t *testing.T) {
	h := fixtureServer(t, Config{})
	sum := fixtureSnapshot(t).Checksum
	for _, path := range pagePaths {
		body := serve(h, httptest.NewRequest(http.MethodGet, path, nil)).Body.String()
		open, end := strings.Index(body, `<details class="nhsuk-details app-data-details">`), strings.LastIndex(body, "</details>")
		first, last := strings.Index(body, sum), strings.LastIndex(body, sum)
		if open < 0 || first < open || last > end {
			t.Errorf("%s: the dataset checksum is outside the footer's <details> (details at %d–%d, checksum at %d–%d)", path, open, end, first, last)
		}
	}
}

var fixtureNoOrgs testenv.Once[*directory.Snapshot]

// noOrganisationsServer serves the fixture imported without its organisation files.
func noOrganisationsServer(t testing.TB) *Server {
	t.Helper()
	snap := fixtureNoOrgs.Get(t, func(dir string) (*directory.Snapshot, error) {
		const data = "../directory/testdata/data"
		src, err := directory.ReadSources(filepath.Join(data, "sources.json"))
		if err != nil {
			return nil, err
		}
		src.Organisations = nil
		db := filepath.Join(dir, "alliance.db")
		if _, err := directory.Import(context.Background(), directory.ImportOptions{DataDir: data, DBPath: db, Sources: &src}); err != nil {
			return nil, err
		}
		return directory.Open(context.Background(), db, directory.DefaultOptions)
	})
	return New(staticSource{snap}, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// TestPagesWithoutOrganisations: without the organisation files the pages work as before,
// without their organisation sections, and an organisation page is a 404 that says why.
func TestPagesWithoutOrganisations(t *testing.T) {
	h := noOrganisationsServer(t)
	w := serve(h, httptest.NewRequest(http.MethodGet, "/alliances/E56000901", nil))
	if w.Code != 200 || strings.Contains(w.Body.String(), "Hospital trusts") || strings.Contains(w.Body.String(), "Since April 2024") {
		t.Errorf("alliance page without organisations: %d, hospital trusts or since 2024 shown", w.Code)
	}
	if !strings.Contains(w.Body.String(), "<h2 class=\"nhsuk-heading-m\">Councils</h2>") {
		t.Error("alliance page without organisations: no councils")
	}
	w = serve(h, httptest.NewRequest(http.MethodGet, "/organisations/RAA", nil))
	if w.Code != 404 || !strings.Contains(w.Body.String(), "organisations are not loaded") {
		t.Errorf("organisation page without organisations: %d %.300s", w.Code, w.Body)
	}
}

func TestPageHelpers(t *testing.T) {
	for in, want := range map[float64]string{1: "100 %", 0.38: "38 %", 0.001: "under 1 %", 0: "0 %", 0.996: "over 99 %", 0.994: "99 %"} {
		if got := share(in); got != want {
			t.Errorf("share(%v) = %q, want %q", in, got, want)
		}
	}
	if got := share(0, 3); got != "under 1 %" {
		t.Errorf("share(0) of 3 postcodes = %q, want under 1 %%", got)
	}
	for in, want := range map[string]string{"0114 27 11900": "tel:01142711900", "+44 114 271 1900": "tel:+441142711900", "n/a": "", " 0100-000 (1) ": "tel:01000001"} {
		if got := string(telURL(in)); got != want {
			t.Errorf("telURL(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"2024-03-31": "31 March 2024", "2001-04-01": "1 April 2001", "soon": "soon"} {
		if got := longDate(in); got != want {
			t.Errorf("longDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// The pages added with organisations (and the search route) have their sample requests for
// TestHeadWhereverGet here, beside the pages' own tests.
func init() {
	getRouteSamples["/organisations"] = "/organisations?alliance=N01"
	getRouteSamples["/organisations/{ods}"] = "/organisations/RAA01"
	getRouteSamples["/organisations/{ods} (a trust)"] = "/organisations/raa"
	if getRouteSamples["/api/v1/search"] == "" {
		getRouteSamples["/api/v1/search"] = "/api/v1/search?q=west"
	}
}

// TestSearchPage: GET /search, the search box's page without JavaScript. Each kind of result
// links where it is answered and, where the server can say it at once, names its Cancer
// Alliance: a postcode's and an outcode's by lookup, a trust's or hospital's as a member, a
// council's with the share of its postcodes in each; the API's errors are a 400 page in words.
func TestSearchPage(t *testing.T) {
	h := fixtureServer(t, Config{})
	tests := []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		// a hospital: its page, its trust, the alliance it is a member of, and the map
		{"/search?q=west+general", 200, []string{"<title>Search results for west general – Find your Cancer Alliance</title>",
			"<h1 class=\"nhsuk-heading-l\">Search results for “west general”</h1>", `<a href="/organisations/RAA01">West General Hospital</a>`,
			"Hospital, run by West Hospitals NHS Trust", `Cancer Alliance (since April 2024): <a href="/alliances/E56000901?edition=2023">West Alliance</a>`,
			`<a href="/?code=RAA01">Show West General Hospital on the map</a>`, `value="west general"`}, nil},
		// a trust whose alliance merged: named now, linked to its trusts (two areas became it)
		{"/search?q=st+marys", 200, []string{`<a href="/organisations/RBB01">St Mary’s Hospital</a>`, `<a href="/organisations/RBB">St Mary&#39;s and East Hospitals NHS Foundation Trust</a>`,
			"NHS trust", "Cancer Alliance (since April 2024): <a href=\"/alliances/E56000902?edition=2023\">East Alliance</a>"}, nil},
		// councils: one wholly in an alliance, one split, with the share of its postcodes in each
		{"/search?q=one", 200, []string{"<h2 class=\"nhsuk-heading-s app-result-name\">One</h2>", "Council", `Cancer Alliance: <a href="/alliances/E56000901?edition=2023">West Alliance</a>`,
			`<a href="/?code=E08000001">Show One on the map</a>`}, nil},
		{"/search?q=two", 200, []string{"Its postcodes are split between these Cancer Alliances: <a href=\"/alliances/E56000901?edition=2023\">West Alliance</a> (67 % of its postcodes); <a href=\"/alliances/E56000902?edition=2023\">East Alliance</a> (33 % of its postcodes)"}, nil},
		// a postcode and an outcode, answered here
		{"/search?q=AA1+1AA", 200, []string{`<a href="/?postcode=AA11AA">AA1 1AA</a>`, "Postcode", `Cancer Alliance: <a href="/alliances/E56000901?edition=2023">West Alliance</a>`}, []string{"Show AA1 1AA on the map"}},
		{"/search?q=aa1", 200, []string{`<a href="/?postcode=AA1">AA1</a>`, "Postcode district, 5 live postcodes", "West Alliance"}, nil},
		// areas: the default edition's first, older editions said, the alliance now with its areas
		{"/search?q=east+alliance", 200, []string{`<a href="/alliances/E56000902?edition=2023">East Alliance</a>`, "Cancer Alliance, In April 2024 this alliance became East Alliance",
			"Cancer Alliance (2021 boundaries)", `<a href="/organisations?alliance=N02">East Alliance</a>`, "Cancer Alliance since April 2024, its hospital trusts are listed on its page",
			`On the 2023 boundaries: <a href="/alliances/E56000902?edition=2023">East Alliance</a>`}, nil},
		// no match: advice, not an error
		{"/search?q=zzzz+nothing", 200, []string{"<h1 class=\"nhsuk-heading-l\">No match for “zzzz nothing”</h1>", "Check the spelling", "Try a postcode", `<a href="/alliances">browse every Cancer Alliance</a>`},
			[]string{"There is a problem", "app-result"}},
		// the API's errors, in words, with the box to try again
		{"/search", 400, []string{"<title>Error: Search – Find your Cancer Alliance</title>", "There is a problem", `<a href="#q">Enter a postcode, a place, a hospital`,
			`nhsuk-form-group--error`, `<span class="nhsuk-u-visually-hidden">Error:</span> Enter a postcode`, `aria-describedby="q-hint q-error"`}, nil},
		{"/search?q=", 400, []string{"There is a problem", "Enter a postcode, a place, a hospital, an NHS trust, a council or an NHS area to search for."}, nil},
		{"/search?q=+%21%3F+", 400, []string{"not only punctuation"}, nil},
		{"/search?q=" + strings.Repeat("a", 201), 400, []string{"Your search is 201 characters long. Search for 200 characters or fewer"}, nil},
		{"/search?q=" + strings.Repeat("é", 200), 200, []string{"No match for"}, nil},
		{"/search?q=west&q=east", 400, []string{"Search for one thing at a time"}, nil},
		{"/search?q=%FF%FE", 400, []string{"could not be read"}, nil},
		// what was typed is shown as text, never as markup
		{"/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 200, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := serve(h, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tt.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			body := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("page has %q", s)
				}
			}
			if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			// A page without the map: no script at all, and no menu item claims it.
			if strings.Contains(body, "<script") || strings.Contains(body, `aria-current="page"`) {
				t.Error("the search page loads a script or marks a menu item current")
			}
			if t.Failed() {
				t.Logf("%s", body[strings.Index(body, "<main"):strings.Index(body, "</main>")])
			}
		})
	}
}

// TestMapSearchBoxWithoutJavaScript: the map page's box is a plain form that goes to /search
// with the words as q, and its plain input stands until the script replaces it.
func TestMapSearchBoxWithoutJavaScript(t *testing.T) {
	h := fixtureServer(t, Config{})
	body := serve(h, httptest.NewRequest(http.MethodGet, "/?postcode=AA1+1AA", nil)).Body.String()
	for _, want := range []string{`<form id="search" class="app-search" action="/search" method="get" role="search"`, `<label class="nhsuk-label nhsuk-label--s" for="postcode">Postcode, place, hospital or council</label>`,
		`<input class="nhsuk-input" id="postcode" name="q" type="text"`, `value="AA1 1AA"`, `maxlength="200"`, `<button class="nhsuk-button app-button app-search-button" type="submit"`,
		"/static/vendor/accessible-autocomplete/accessible-autocomplete.min.js", "/static/vendor/accessible-autocomplete/accessible-autocomplete.min.css",
		"the search box still works"} {
		if !strings.Contains(body, want) {
			t.Errorf("the map page lacks %q", want)
		}
	}
	// The library comes before the script that uses it.
	if lib, app := strings.Index(body, "accessible-autocomplete.min.js"), strings.Index(body, "/static/app.js"); lib < 0 || app < lib {
		t.Error("accessible-autocomplete is not loaded before app.js")
	}
	// Only the map page loads it.
	if b := serve(h, httptest.NewRequest(http.MethodGet, "/alliances", nil)).Body.String(); strings.Contains(b, "accessible-autocomplete") {
		t.Error("a directory page loads the autocomplete")
	}
	// Following the form: its fields (the box, and the map's options that belong to the form)
	// make a search the page answers.
	w := serve(h, httptest.NewRequest(http.MethodGet, "/search?q=west+general&edition=2023&hospitals=1", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "West General Hospital") {
		t.Errorf("the form's search: %d %.300s", w.Code, w.Body)
	}
}
