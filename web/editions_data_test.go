package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/directory"
)

// TestEditionDeclaredOnlyInSources imports the fixture with two editions that no code names,
// declared only in the sources file: "2030" with an alliance and an ICB layer, and "2031" with
// ICBs alone (as an ICB-only ONS release would be). Both must be served everywhere an
// edition is: the editions list, lookups, the alliances page and the map page's choices.
func TestEditionDeclaredOnlyInSources(t *testing.T) {
	const data = "../directory/testdata/data"
	src, err := directory.ReadSources(filepath.Join(data, "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	base := src.Editions[len(src.Editions)-1]
	var alliance, icb directory.LayerSource
	for _, l := range base.Layers {
		switch l.Type {
		case directory.CancerAlliance:
			alliance = l
		case directory.ICB:
			icb = l
		}
	}
	src.Editions = append(src.Editions,
		directory.EditionInfo{ID: "2030", Title: "alliances and ICBs of 2030", ValidFrom: "2030-04-01", Description: "d", Caveats: []string{},
			Note: "a note of 2030", Layers: []directory.LayerSource{alliance, icb}},
		directory.EditionInfo{ID: "2031", Title: "ICBs of 2031", ValidFrom: "2031-04-01", Description: "d", Caveats: []string{},
			Layers: []directory.LayerSource{icb}})
	src.DefaultEdition = "2030"
	db := filepath.Join(t.TempDir(), "alliance.db")
	if _, err := directory.Import(context.Background(), directory.ImportOptions{DataDir: data, DBPath: db, Sources: &src}); err != nil {
		t.Fatal(err)
	}
	snap, err := directory.Open(context.Background(), db, directory.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	h := New(staticSource{snap}, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})

	var eds struct {
		Editions []struct {
			ID string `json:"id"`
		} `json:"editions"`
	}
	getJSON(t, h, "/api/v1/editions", 200, &eds)
	var ids []string
	for _, e := range eds.Editions {
		ids = append(ids, e.ID)
	}
	if got := strings.Join(ids, ","); !strings.HasSuffix(got, "2030,2031") {
		t.Errorf("/api/v1/editions lists %s, want 2030 and 2031 last", got)
	}

	var ans directory.Answer
	getJSON(t, h, "/api/v1/lookup?lat=53&lon=-0.2", 200, &ans)
	if ans.Edition != "2030" || len(ans.Areas) != 2 || ans.Areas[0].Type != directory.CancerAlliance || ans.Areas[0].Edition != "2030" {
		t.Errorf("default-edition lookup = %+v, want the 2030 alliance and ICB", ans)
	}
	getJSON(t, h, "/api/v1/lookup?lat=53&lon=-0.2&edition=2031", 200, &ans)
	if ans.Edition != "2031" || len(ans.Areas) != 1 || ans.Areas[0].Type != directory.ICB {
		t.Errorf("ICB-only lookup = %+v, want one ICB", ans)
	}
	var res directory.PostcodeAnswer
	getJSON(t, h, "/api/v1/postcodes/AA11AA?edition=2031", 200, &res)
	if res.Answer == nil || len(res.Areas) != 1 || res.Areas[0].Type != directory.ICB {
		t.Errorf("ICB-only postcode = %+v", res)
	}

	w := serve(h, httptest.NewRequest(http.MethodGet, "/alliances?edition=2030", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "alliances and ICBs of 2030") {
		t.Errorf("/alliances?edition=2030: %d", w.Code)
	}
	w = serve(h, httptest.NewRequest(http.MethodGet, "/alliances?edition=2031", nil))
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "no Cancer Alliance") {
		t.Errorf("/alliances?edition=2031: %d, want 404 saying it has no Cancer Alliances", w.Code)
	}

	w = serve(h, httptest.NewRequest(http.MethodGet, "/?edition=2031", nil))
	page := w.Body.String()
	for _, want := range []string{
		`<option value="2030" data-title="alliances and ICBs of 2030" data-notes="`,
		`data-note="a note of 2030" data-footprint="icb" data-regions="" data-default="1">2030 (newest)</option>`,
		`<option value="2031" selected data-title="ICBs of 2031"`,
		`id="show-regions" name="regions" type="checkbox" value="1" form="search" disabled`,
		`With the 2023 boundaries only`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("map page lacks %s", want)
		}
	}
}
