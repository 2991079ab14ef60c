package web

import (
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	h := fixtureServer(t, Config{})
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{`id="postcode"`, `aria-live="polite"`, `<option value="2023" selected`, `nhsuk-init.js`, `aria-current="page"`, "Royal Mail copyright", "/static/app.js"}},
		{"/?edition=2021", 200, []string{`<option value="2021" selected`, `id="show-regions" name="regions" type="checkbox" value="1" form="search" disabled`}},
		{"/alliances", 200, []string{"2 alliances", "West Alliance", "East Alliance", "NHS North Integrated Care Board", "Middle", "A <strong>Cancer Alliance</strong>", "Office for National Statistics"}},
		{"/alliances?edition=2021", 200, []string{"2 alliances", "the NHS region (2023 boundaries)", "North Footprint"}},
		{"/alliances/E56000901", 200, []string{"West Alliance", "ICS footprints (Integrated Care Boards) in it", "Each Cancer Alliance covers", "East Alliance", "/?code=E56000901", "2021"}},
		{"/footprints/E54000903", 200, []string{"NHS North Integrated Care Board", "footprint of an Integrated Care System"}},
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
	for _, path := range []string{"/", "/alliances", "/alliances/E56000901", "/api/docs"} {
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
