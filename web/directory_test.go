package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

// errorResponse checks that w is the JSON error the API promises: status, code, a message,
// JSON content type, not cacheable.
func errorResponse(t *testing.T, what string, w *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	var e struct {
		Error apiError `json:"error"`
	}
	if w.Code != status {
		t.Fatalf("%s: status %d, want %d: %.300s", what, w.Code, status, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("%s: body is not a JSON error: %v: %.300s", what, err, w.Body)
	}
	if e.Error.Status != status || (code != "" && e.Error.Code != code) || e.Error.Message == "" {
		t.Errorf("%s: error %+v, want status %d code %s", what, e.Error, status, code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("ETag") != "" {
		t.Errorf("%s: an error must not be cached: Cache-Control %q, ETag %q", what, w.Header().Get("Cache-Control"), w.Header().Get("ETag"))
	}
}

// TestDirectoryErrors: every way a directory request can be wrong gets its own status and
// code, as JSON.
func TestDirectoryErrors(t *testing.T) {
	h := fixtureServer(t, Config{})
	tests := []struct {
		method, path string
		accept       string
		status       int
		code         string
		allow        string // for 405
	}{
		{"GET", "/api/v1/areas", "", 400, "missing_parameter", ""},
		{"GET", "/api/v1/areas?type=", "", 400, "missing_parameter", ""},
		{"GET", "/api/v1/areas?type=parish", "", 400, "unknown_type", ""},
		{"GET", "/api/v1/areas?type=icb&type=stp", "", 400, "invalid_parameter", ""},
		{"GET", "/api/v1/areas?type=icb&edition=2023&edition=2021", "", 400, "invalid_parameter", ""},
		{"GET", "/api/v1/areas?type=icb&edition=1999", "", 400, "unknown_edition", ""},
		{"GET", "/api/v1/areas?type=icb&edition=all", "", 400, "unknown_edition", ""},
		{"GET", "/api/v1/areas?type=stp", "", 404, "layer_not_found", ""},
		{"GET", "/api/v1/areas?type=icb&x=%zz", "", 400, "invalid_query", ""},
		{"GET", "/api/v1/areas/E99999999", "", 404, "area_not_found", ""},
		{"GET", "/api/v1/areas/" + strings.Repeat("E", 3000), "", 404, "area_not_found", ""},
		{"GET", "/api/v1/areas/%00%FF", "", 404, "area_not_found", ""},
		{"GET", "/api/v1/areas/E54000901", "", 404, "area_not_in_edition", ""},
		{"GET", "/api/v1/areas/E54000901?edition=2017", "", 400, "unknown_edition", ""},
		{"GET", "/api/v1/areas/E56000901/geometry?simplify=30", "", 400, "invalid_simplify", ""},
		{"GET", "/api/v1/areas/E56000901/geometry?simplify=1e3", "", 400, "invalid_simplify", ""},
		{"GET", "/api/v1/areas/E56000901/geometry?simplify=-50", "", 400, "invalid_simplify", ""},
		{"GET", "/api/v1/areas/E56000901/geometry?simplify=" + strings.Repeat("9", 100), "", 400, "invalid_simplify", ""},
		{"GET", "/api/v1/areas/E56000901/geometry?simplify=50&simplify=100", "", 400, "invalid_parameter", ""},
		{"GET", "/api/v1/areas/E99999999/geometry", "", 404, "area_not_found", ""},
		{"GET", "/api/v1/layers/icb.geojson?simplify=0.5", "", 400, "invalid_simplify", ""},
		{"GET", "/api/v1/layers/parish.geojson", "", 400, "unknown_type", ""},
		{"GET", "/api/v1/layers/.geojson", "", 400, "unknown_type", ""},
		{"GET", "/api/v1/layers/icb.json", "", 404, "route_not_found", ""},
		{"GET", "/api/v1/layers/stp.geojson", "", 404, "layer_not_found", ""},
		{"GET", "/api/v1/layers/icb.geojson/extra", "", 404, "route_not_found", ""},
		{"GET", "/api/v1/editions", "application/xml", 406, "not_acceptable", ""},
		{"GET", "/api/v1/layers/icb.geojson", "text/html", 406, "not_acceptable", ""},
		{"GET", "/api/v1/areas/E56000901", "application/json;q=0, text/html", 406, "not_acceptable", ""},
		{"DELETE", "/api/v1/areas/E56000901", "", 405, "method_not_allowed", "GET, HEAD"},
		{"POST", "/api/v1/editions", "", 405, "method_not_allowed", "GET, HEAD"},
		{"PUT", "/api/v1/layers/icb.geojson", "", 405, "method_not_allowed", "GET, HEAD"},
		{"GET", "/api/v1/postcodes", "", 405, "method_not_allowed", "POST"},
		{"POST", "/healthz", "", 405, "method_not_allowed", "GET, HEAD"},
	}
	for _, tt := range tests {
		name := tt.method + " " + tt.path
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			w := serve(h, r)
			errorResponse(t, name, w, tt.status, tt.code)
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
			var e struct{ Error apiError }
			json.Unmarshal(w.Body.Bytes(), &e)
			if len(e.Error.Message) > 400 {
				t.Errorf("message of %d bytes echoes the request: %.100s…", len(e.Error.Message), e.Error.Message)
			}
		})
	}
}

// TestDirectoryHead: HEAD answers wherever GET does, with GET's headers.
func TestDirectoryHead(t *testing.T) {
	h := fixtureServer(t, Config{})
	for _, path := range []string{"/api/v1/editions", "/api/v1/areas/E56000901", "/api/v1/layers/icb.geojson?simplify=1000", "/healthz"} {
		w := serve(h, httptest.NewRequest(http.MethodHead, path, nil))
		get := serve(h, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != 200 || w.Header().Get("Content-Type") != get.Header().Get("Content-Type") || w.Header().Get("ETag") != get.Header().Get("ETag") {
			t.Errorf("HEAD %s: %d %v; GET: %v", path, w.Code, w.Header(), get.Header())
		}
	}
}

// TestDirectoryCaching: the directory's answers carry the dataset's ETag, answer 304 to it,
// and are gzipped when the client accepts it.
func TestDirectoryCaching(t *testing.T) {
	h := fixtureServer(t, Config{})
	for _, path := range []string{"/api/v1/editions", "/api/v1/areas?type=icb", "/api/v1/areas/E56000901", "/api/v1/areas/E56000901/geometry?simplify=50", "/api/v1/layers/cancer-alliance.geojson?edition=2021&simplify=1000"} {
		t.Run(path, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.Header.Set("Accept-Encoding", "gzip")
			w := serve(h, r)
			etag := w.Header().Get("ETag")
			if w.Code != 200 || etag == "" || !strings.Contains(w.Header().Get("Cache-Control"), "max-age") || !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Fatalf("%d, ETag %q, Cache-Control %q, Vary %q", w.Code, etag, w.Header().Get("Cache-Control"), w.Header().Get("Vary"))
			}
			if w.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q, want gzip", w.Header().Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(zr)
			if err != nil || !json.Valid(body) {
				t.Fatalf("gunzipped body is not JSON: %v %.100s", err, body)
			}
			r = httptest.NewRequest(http.MethodGet, path, nil)
			r.Header.Set("If-None-Match", etag)
			if w := serve(h, r); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
				t.Errorf("If-None-Match: %d with %d bytes", w.Code, w.Body.Len())
			}
		})
	}
}

// TestLayerGeoJSON: every level of every fixture layer is a FeatureCollection whose
// features carry code, name, type and edition, in the layer's order (by name); an area's
// geometry is its feature of the layer.
func TestLayerGeoJSON(t *testing.T) {
	h := fixtureServer(t, Config{})
	snap := fixtureSnapshot(t)
	for _, ed := range snap.Editions {
		for _, l := range ed.Layers {
			for _, level := range []string{"", "0", "50", "100", "250", "500", "1000", "2500"} {
				path := "/api/v1/layers/" + string(l.Type) + ".geojson?edition=" + string(ed.ID) + "&simplify=" + level
				w := serve(h, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != 200 || w.Header().Get("Content-Type") != "application/geo+json" {
					t.Fatalf("%s: %d %s", path, w.Code, w.Header().Get("Content-Type"))
				}
				fc, err := geojson.UnmarshalFeatureCollection(w.Body.Bytes())
				if err != nil || len(fc.Features) != l.Features {
					t.Fatalf("%s: %v, %d features, want %d", path, err, len(fc.Features), l.Features)
				}
				areas, _ := snap.Areas(ed.ID, l.Type)
				for i, f := range fc.Features {
					p := f.Properties
					if p["code"] != areas[i].Code || p["name"] != areas[i].Name || p["type"] != string(l.Type) || p["edition"] != string(ed.ID) {
						t.Errorf("%s: feature %d properties %v, want %s", path, i, p, areas[i].Code)
					}
					if level != "1000" {
						continue
					}
					aw := serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/areas/"+areas[i].Code+"/geometry?edition="+string(ed.ID)+"&simplify=1000", nil))
					af, err := geojson.UnmarshalFeature(aw.Body.Bytes())
					if err != nil {
						t.Fatalf("%s geometry: %v", areas[i].Code, err)
					}
					a, _ := json.Marshal(af.Geometry)
					b, _ := json.Marshal(f.Geometry)
					if !bytes.Equal(a, b) {
						t.Errorf("%s: its geometry differs from its feature in the layer", areas[i].Code)
					}
				}
			}
		}
	}
}

// TestDirectoryNoServerErrors sends malformed path segments and query values to every
// directory route: never a 5xx, always a JSON error when not a 2xx.
func TestDirectoryNoServerErrors(t *testing.T) {
	h := fixtureServer(t, Config{})
	segments := []string{"", " ", "%00", "%FF%FE", "..", "%2e%2e", "%2F", "E56000901%00", strings.Repeat("9", 5000),
		"🙂", "<script>", "E56000901'--", "e56000901", "E92000001", "W92000004", "null", "%20E56000901%20"}
	queries := []string{"", "edition=", "edition=2023", "edition=2021", "edition=all", "edition=%00", "edition=" + strings.Repeat("2", 100),
		"simplify=", "simplify=0", "simplify=1000", "simplify=NaN", "simplify=-0", "simplify=+50", "simplify=1e400", "simplify=0x10",
		"type=country", "type=icb", "type=CANCER-ALLIANCE", "type=%00", "type[]=icb", "edition=2021&type=stp&simplify=2500", "a=%zz", "simplify;=1"}
	paths := []string{"/api/v1/editions", "/api/v1/areas", "/api/v1/areas/{s}", "/api/v1/areas/{s}/geometry", "/api/v1/layers/{s}.geojson", "/api/v1/layers/{s}"}
	n := 0
	for _, p := range paths {
		for _, seg := range segments {
			for _, q := range queries {
				u := strings.ReplaceAll(p, "{s}", seg)
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				parsed, err := url.Parse(u + "?" + q)
				if err != nil {
					parsed = &url.URL{Path: u, RawQuery: q}
				}
				r.URL = parsed
				checkResponse(t, u+"?"+q, serve(h, r))
				n++
			}
		}
	}
	t.Logf("%d requests", n)
}
