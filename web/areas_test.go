package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

func getJSON(t *testing.T, h http.Handler, path string, status int, v any) {
	t.Helper()
	w := serve(h, httptest.NewRequest(http.MethodGet, path, nil))
	if w.Code != status {
		t.Fatalf("GET %s: %d, want %d: %s", path, w.Code, status, w.Body)
	}
	if v != nil {
		if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
}

func TestEditions(t *testing.T) {
	h := fixtureServer(t, Config{})
	var body struct {
		Editions []editionInfo `json:"editions"`
		Default  string        `json:"default_edition"`
		Dataset  string        `json:"dataset"`
	}
	getJSON(t, h, "/api/v1/editions", 200, &body)
	if len(body.Editions) != 2 || body.Default != "2023" || body.Dataset == "" {
		t.Fatalf("editions = %+v", body)
	}
	e := body.Editions[1]
	if e.ID != "2023" || !e.Default || len(e.Layers) != 3 || e.Layers[0].Features != 2 || e.Layers[0].SHA256 == "" || len(e.Caveats) != 2 || e.Caveats[0] != "synthetic" || !strings.Contains(e.Caveats[1], "test lookup 2024") {
		t.Errorf("2023 = %+v", e)
	}
}

func TestAreasList(t *testing.T) {
	h := fixtureServer(t, Config{})
	var body struct {
		Count int `json:"count"`
		Areas []struct{ Code, Name, Type, Edition string }
	}
	getJSON(t, h, "/api/v1/areas?type=stp&edition=2021", 200, &body)
	if body.Count != 2 || body.Areas[0].Name != "North Footprint" || body.Areas[1].Name != "South Footprint" || body.Areas[0].Edition != "2021" {
		t.Errorf("areas = %+v", body)
	}
	getJSON(t, h, "/api/v1/areas?type=stp", 404, nil) // 2023 has ICBs, not STPs
	getJSON(t, h, "/api/v1/areas?type=parish", 400, nil)
	getJSON(t, h, "/api/v1/areas", 400, nil)
}

func TestAreaDetail(t *testing.T) {
	h := fixtureServer(t, Config{})
	var d struct {
		Code      string  `json:"code"`
		AreaKm2   float64 `json:"area_km2"`
		Postcodes int     `json:"postcodes"`
		Parents   []struct {
			Code  string  `json:"code"`
			Share float64 `json:"share"`
		} `json:"parents"`
		Contains []struct {
			Code  string  `json:"code"`
			Type  string  `json:"type"`
			Share float64 `json:"share"`
		} `json:"contains"`
		Neighbours    []struct{ Code string }    `json:"neighbours"`
		OtherEditions []struct{ Edition string } `json:"other_editions"`
		BBox          []float64                  `json:"bbox"`
	}
	// The 2023 West Alliance: lon -2 to -0.5, lat 52 to 53.98, wholly in the region "Middle".
	getJSON(t, h, "/api/v1/areas/e56000901", 200, &d)
	if d.Code != "E56000901" || len(d.Parents) != 1 || d.Parents[0].Code != "E40000901" || d.Parents[0].Share != 1 {
		t.Errorf("parents = %+v", d.Parents)
	}
	// 1.5° × 1.98° at 53°N: about 100 km × 220 km.
	if d.AreaKm2 < 21000 || d.AreaKm2 > 23000 {
		t.Errorf("area = %v km²", d.AreaKm2)
	}
	// Each ICB spans the whole width (2°), so 75 % of each lies in the West Alliance.
	if len(d.Contains) != 2 {
		t.Fatalf("contains = %+v", d.Contains)
	}
	for _, c := range d.Contains {
		if c.Type != "icb" || c.Share < 0.74 || c.Share > 0.76 {
			t.Errorf("contains %+v, want an ICB with share 0.75", c)
		}
	}
	if len(d.Neighbours) != 1 || d.Neighbours[0].Code != "E56000902" {
		t.Errorf("neighbours = %+v", d.Neighbours)
	}
	if len(d.OtherEditions) != 1 || d.OtherEditions[0].Edition != "2021" {
		t.Errorf("other editions = %+v", d.OtherEditions)
	}
	// AA1 1AA, AA1 2AA, AA1 3AA, AA2 1AA, AA3 1AA are in it in 2023; AA1 2AA is in the coastal strip.
	if d.Postcodes != 4 {
		t.Errorf("postcodes = %d, want 4", d.Postcodes)
	}
	if len(d.BBox) != 4 || d.BBox[0] != -2 || d.BBox[2] != -0.5 {
		t.Errorf("bbox = %v", d.BBox)
	}
	getJSON(t, h, "/api/v1/areas/E99999999", 404, nil)
	getJSON(t, h, "/api/v1/areas/E54000901", 404, nil) // a 2021 STP, asked in 2023
	getJSON(t, h, "/api/v1/areas/E54000901?edition=2021", 200, nil)
}

func TestGeometry(t *testing.T) {
	h := fixtureServer(t, Config{})
	for _, path := range []string{"/api/v1/layers/cancer-alliance.geojson", "/api/v1/layers/icb.geojson?simplify=1000", "/api/v1/layers/country.geojson?simplify=2500&edition=2021"} {
		w := serve(h, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
			t.Fatalf("%s: %d %s", path, w.Code, w.Header().Get("Content-Type"))
		}
		fc, err := geojson.UnmarshalFeatureCollection(w.Body.Bytes())
		if err != nil || len(fc.Features) == 0 || fc.Features[0].Properties["code"] == nil || fc.Features[0].Properties["name"] == nil {
			t.Fatalf("%s: %v %v", path, err, fc)
		}
	}
	w := serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/areas/E56000902/geometry?simplify=50", nil))
	f, err := geojson.UnmarshalFeature(w.Body.Bytes())
	if w.Code != 200 || err != nil || f.Properties["code"] != "E56000902" || f.Geometry.Bound().Min[0] != -0.5 {
		t.Errorf("area geometry: %d %v %v", w.Code, err, f)
	}
	for path, status := range map[string]int{
		"/api/v1/layers/icb.geojson?simplify=30":      400,
		"/api/v1/layers/icb.geojson?simplify=-1":      400,
		"/api/v1/layers/icb.json":                     404,
		"/api/v1/layers/stp.geojson":                  404,
		"/api/v1/layers/ward.geojson":                 400,
		"/api/v1/areas/E56000902/geometry?simplify=x": 400,
	} {
		if w := serve(h, httptest.NewRequest(http.MethodGet, path, nil)); w.Code != status {
			t.Errorf("%s: %d, want %d", path, w.Code, status)
		}
	}
}
