package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// checkResponse fails unless w is a success or a 4xx with the JSON error body.
func checkResponse(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: status %d: %s", what, w.Code, w.Body)
	}
	if w.Code >= 400 {
		var e struct {
			Error apiError `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Status != w.Code || e.Error.Code == "" {
			t.Fatalf("%s: status %d with body %q", what, w.Code, w.Body)
		}
	}
}

// FuzzQuery sends arbitrary query strings and path segments to every GET endpoint of the
// API: never a 5xx, always JSON errors.
func FuzzQuery(f *testing.F) {
	for _, seed := range [][2]string{
		{"lat=53.38&lon=-1.47", "S12HE"}, {"lat=NaN&lon=1e999", "s1 2he"}, {"lat=53;lon=1", "S18"},
		{"edition=all&lat=53&lon=-1", "S18%201"}, {"lat=%zz", "%00"}, {"lat=0x10&lon=-0", "GIR0AA"},
		{"type=icb&edition=2021&simplify=1000", "E56000901"}, {"simplify=50&simplify=x", "icb"}, {"type=country", "cancer-alliance"},
	} {
		f.Add(seed[0], seed[1])
	}
	h := fixtureServer(f, Config{})
	f.Fuzz(func(t *testing.T, query, segment string) {
		seg := url.PathEscape(segment)
		for _, path := range []string{"/api/v1/lookup", "/api/v1/postcodes/" + seg, "/api/v1/outcodes/" + seg, "/api/v1/sectors/" + seg,
			"/api/v1/editions", "/api/v1/areas", "/api/v1/areas/" + seg, "/api/v1/areas/" + seg + "/geometry", "/api/v1/layers/" + seg + ".geojson"} {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.URL.Path, r.URL.RawPath, r.URL.RawQuery = path, "", query
			if u, err := url.Parse(path + "?" + query); err == nil {
				r.URL = u
			}
			checkResponse(t, path+"?"+query, serve(h, r))
		}
	})
}

// FuzzBulkBody posts arbitrary bodies to POST /api/v1/postcodes: never a 5xx; a 200 has one
// result per postcode, in order.
func FuzzBulkBody(f *testing.F) {
	for _, seed := range []string{`{"postcodes":["S1 2HE","x"]}`, `{"postcodes":[]}`, `{"postcodes":[1]}`, `[]`, `{"postcodes":["AA1 1AA","AA1","BT1 1AA"]}`, `{"postcodes":null}`, strings.Repeat("[", 100)} {
		f.Add(seed)
	}
	h := fixtureServer(f, Config{})
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/postcodes", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := serve(h, r)
		checkResponse(t, body, w)
		if w.Code != http.StatusOK {
			return
		}
		var req bulkRequest
		if err := json.Unmarshal([]byte(body), &req); err != nil {
			t.Fatalf("200 for a body that is not a bulk request: %q", body)
		}
		var res struct {
			Results []bulkResult `json:"results"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || len(res.Results) != len(req.Postcodes) {
			t.Fatalf("%d results for %d postcodes", len(res.Results), len(req.Postcodes))
		}
		for i, r := range res.Results {
			if r.Query != req.Postcodes[i] && strings.ToValidUTF8(req.Postcodes[i], "\uFFFD") != r.Query {
				t.Fatalf("result %d is for %q, not %q", i, r.Query, req.Postcodes[i])
			}
		}
	})
}
