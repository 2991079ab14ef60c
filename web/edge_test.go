package web

// HTTP edge cases (issue 11, items 7 and 9): conditional requests, percent-encoded paths,
// oversized requests, Accept-Encoding q-values, the bulk endpoint's Content-Type, repeated
// parameters, unknown editions and HEAD.

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// wantJSONError checks that w is the API's JSON error with status and code, not cacheable.
func wantJSONError(t *testing.T, what string, w *httptest.ResponseRecorder, status int, code string) apiError {
	t.Helper()
	if w.Code != status {
		t.Fatalf("%s: status %d, want %d: %.300s", what, w.Code, status, w.Body)
	}
	var e struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("%s: body is not a JSON error: %v: %.300s", what, err, w.Body)
	}
	if e.Error.Status != status || e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("%s: error %+v, want status %d code %s", what, e.Error, status, code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if w.Header().Get("ETag") != "" || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("%s: an error must not be cached: ETag %q, Cache-Control %q", what, w.Header().Get("ETag"), w.Header().Get("Cache-Control"))
	}
	return e.Error
}

// TestConditionalRequestValidatedFirst: If-None-Match gets a 304 only where the request would
// have been answered 200; a malformed request or an unknown area keeps its 4xx.
func TestConditionalRequestValidatedFirst(t *testing.T) {
	h := fixtureServer(t, Config{})
	etag := serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/editions", nil)).Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	for _, tt := range []struct {
		path, match string
		status      int
		code        string
	}{
		{"/api/v1/lookup?lat=x&lon=1", etag, 400, "invalid_parameter"},
		{"/api/v1/lookup?lat=x&lon=1", "*", 400, "invalid_parameter"},
		{"/api/v1/lookup?lat=52.5&lon=-1.5&edition=1999", etag, 400, "unknown_edition"},
		{"/api/v1/lookup?lat=48.8&lon=2.3", "*", 404, "outside_coverage"},
		{"/api/v1/areas/E99999999", "*", 404, "area_not_found"},
		{"/api/v1/areas/E99999999", etag, 404, "area_not_found"},
		{"/api/v1/areas?type=parish", etag, 400, "unknown_type"},
		{"/api/v1/postcodes/nonsense", "*", 400, "invalid_postcode"},
		{"/api/v1/layers/icb.json", "*", 404, "route_not_found"},
		{"/api/v1/areas/E56000901/geometry?simplify=7", etag, 400, "invalid_simplify"},
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			r := httptest.NewRequest(method, tt.path, nil)
			r.Header.Set("If-None-Match", tt.match)
			w := serve(h, r)
			if method == http.MethodHead {
				if w.Code != tt.status || w.Header().Get("ETag") != "" {
					t.Errorf("HEAD %s, If-None-Match %s: %d, ETag %q; want %d without ETag", tt.path, tt.match, w.Code, w.Header().Get("ETag"), tt.status)
				}
				continue
			}
			wantJSONError(t, tt.path+" If-None-Match "+tt.match, w, tt.status, tt.code)
		}
	}
	// A request that would be answered 200 gets its 304: the ETag and caching headers, no body,
	// no content headers, not compressed.
	for _, path := range []string{"/api/v1/lookup?lat=52.5&lon=-1.5", "/api/v1/areas/E56000901", "/api/v1/postcodes/AA11AA", "/api/v1/layers/icb.geojson?simplify=1000", "/api/v1/editions"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			for _, match := range []string{etag, "*", `"other", ` + etag} {
				r := httptest.NewRequest(method, path, nil)
				r.Header.Set("If-None-Match", match)
				r.Header.Set("Accept-Encoding", "gzip")
				w := serve(h, r)
				if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
					t.Errorf("%s %s, If-None-Match %s: %d with %d bytes, want 304 without a body", method, path, match, w.Code, w.Body.Len())
					continue
				}
				hd := w.Header()
				if hd.Get("ETag") != etag || hd.Get("Cache-Control") == "" || !strings.Contains(hd.Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s %s: 304 with ETag %q, Cache-Control %q, Vary %q", method, path, hd.Get("ETag"), hd.Get("Cache-Control"), hd.Get("Vary"))
				}
				for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding"} {
					if hd.Get(k) != "" {
						t.Errorf("%s %s: 304 with %s %q", method, path, k, hd.Get(k))
					}
				}
			}
		}
	}
	// Another ETag: the full answer.
	r := httptest.NewRequest(http.MethodGet, "/api/v1/areas/E56000901", nil)
	r.Header.Set("If-None-Match", `W/"another-dataset"`)
	if w := serve(h, r); w.Code != 200 || !strings.Contains(w.Body.String(), `"E56000901"`) {
		t.Errorf("If-None-Match with another ETag: %d %.100s", w.Code, w.Body)
	}
}

func TestRoutePath(t *testing.T) {
	for raw, want := range map[string]string{
		"/api/v1/areas/E56000025":                     "/api/v1/areas/E56000025",
		"/api/v1/areas/%45%35%36%30%30%30%30%32%35":   "/api/v1/areas/E56000025",
		"/api/v1/areas/%45%35%36000025/geometry":      "/api/v1/areas/E56000025/geometry",
		"/api/v1/postcodes/S1%202HE":                  "/api/v1/postcodes/S1 2HE",
		"/api/v1/postcodes/%53%31%20%32%48%45":        "/api/v1/postcodes/S1 2HE",
		"/api/v1/postcodes/S1%2F2HE":                  "/api/v1/postcodes/S1%2F2HE", // an escaped slash keeps its segment as sent
		"/api/v1/postcodes/%53%31%2f2HE":              "/api/v1/postcodes/%53%31%2f2HE",
		"/api/v1/postcodes/%2553%31":                  "/api/v1/postcodes/%53" + "1", // decoded once only
		"/alliances/%45%35%36%30%30%30%30%32%35":      "/alliances/E56000025",
		"/footprints/%45%35%34%30%30%30%30%30%39?x=1": "/footprints/E54000009",
	} {
		u, err := url.ParseRequestURI(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := routePath(u); got != want {
			t.Errorf("routePath(%s) = %q, want %q", raw, got, want)
		}
	}
}

// TestPercentEncodedPaths: a path parameter sent percent-encoded is answered as its decoded
// value, on every route that takes one, API and pages alike.
func TestPercentEncodedPaths(t *testing.T) {
	h := fixtureServer(t, Config{})
	enc := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
		return b.String()
	}
	for _, tt := range []struct{ plain, encoded string }{
		{"/api/v1/areas/E56000901", "/api/v1/areas/" + enc("E56000901")},
		{"/api/v1/areas/E56000901?edition=2021", "/api/v1/areas/" + enc("E56000901") + "?edition=2021"},
		{"/api/v1/areas/E56000901/geometry?simplify=1000", "/api/v1/areas/" + enc("E56000901") + "/geometry?simplify=1000"},
		{"/api/v1/postcodes/AA1%201AA", "/api/v1/postcodes/" + enc("AA1 1AA")},
		{"/api/v1/postcodes/AA1%201AA", "/api/v1/postcodes/AA1%20%31AA"},
		{"/api/v1/postcodes/AA1", "/api/v1/postcodes/" + enc("AA1")},
		{"/api/v1/outcodes/AA1", "/api/v1/outcodes/" + enc("AA1")},
		{"/api/v1/sectors/AA1%201", "/api/v1/sectors/" + enc("AA1 1")},
		{"/api/v1/layers/icb.geojson?simplify=2500", "/api/v1/layers/" + enc("icb") + ".geojson?simplify=2500"},
		{"/alliances/E56000901", "/alliances/" + enc("E56000901")},
		{"/footprints/E54000903", "/footprints/" + enc("E54000903")},
	} {
		plain := serve(h, httptest.NewRequest(http.MethodGet, tt.plain, nil))
		encoded := serve(h, httptest.NewRequest(http.MethodGet, tt.encoded, nil))
		if plain.Code != 200 {
			t.Errorf("GET %s: %d", tt.plain, plain.Code)
			continue
		}
		if encoded.Code != 200 || !bytes.Equal(plain.Body.Bytes(), encoded.Body.Bytes()) {
			t.Errorf("GET %s: %d %.200s; GET %s: 200", tt.encoded, encoded.Code, encoded.Body, tt.plain)
		}
	}
	// An escaped slash is data, not a separator: the postcode is refused as a postcode, not as
	// a route.
	wantJSONError(t, "escaped slash", serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/postcodes/AA1%2F1AA", nil)), 400, "invalid_postcode")
	// A 405 on an encoded path lists the route's methods.
	w := serve(h, httptest.NewRequest(http.MethodDelete, "/api/v1/areas/"+enc("E56000901"), nil))
	wantJSONError(t, "DELETE encoded", w, 405, "method_not_allowed")
	if got := w.Header().Get("Allow"); got != "GET, HEAD" {
		t.Errorf("Allow = %q", got)
	}
}

// TestRequestLimits: a URL over MaxURLBytes is a JSON 414, header fields over MaxHeaderBytes a
// JSON 431, on the API and the pages; a request at the limits is answered.
func TestRequestLimits(t *testing.T) {
	h := fixtureServer(t, Config{})
	base := "/api/v1/lookup?lat=52.5&lon=-1.5&pad="
	atLimit := base + strings.Repeat("a", MaxURLBytes-len(base))
	if w := serve(h, httptest.NewRequest(http.MethodGet, atLimit, nil)); w.Code != 200 {
		t.Errorf("a URL of exactly %d bytes: %d %.200s", len(atLimit), w.Code, w.Body)
	}
	for _, path := range []string{atLimit + "a", "/api/v1/postcodes/" + strings.Repeat("A", MaxURLBytes), "/alliances?edition=" + strings.Repeat("2", MaxURLBytes)} {
		wantJSONError(t, "long URL", serve(h, httptest.NewRequest(http.MethodGet, path, nil)), http.StatusRequestURITooLong, "uri_too_long")
	}

	// httptest.NewRequest sets Host to example.com: "Host: example.com\r\n" is 19 bytes.
	req := func(path string, pad int) *http.Request {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.Header.Set("X-Pad", strings.Repeat("p", pad-len("X-Pad: \r\n")))
		return r
	}
	fixed := len("Host: example.com\r\n")
	r := req("/api/v1/lookup?lat=52.5&lon=-1.5", MaxHeaderBytes-fixed)
	if n := headerBytes(r); n != MaxHeaderBytes {
		t.Fatalf("headerBytes = %d, want %d", n, MaxHeaderBytes)
	}
	if w := serve(h, r); w.Code != 200 {
		t.Errorf("header fields of exactly %d bytes: %d", MaxHeaderBytes, w.Code)
	}
	for _, path := range []string{"/api/v1/lookup?lat=52.5&lon=-1.5", "/api/v1/editions", "/alliances", "/healthz"} {
		wantJSONError(t, "large headers "+path, serve(h, req(path, MaxHeaderBytes-fixed+1)), http.StatusRequestHeaderFieldsTooLarge, "headers_too_large")
	}
	// Many small fields count as much as one large one.
	r = httptest.NewRequest(http.MethodGet, "/api/v1/editions", nil)
	for i := 0; i < 1000; i++ {
		r.Header.Add(fmt.Sprintf("X-Field-%d", i), "0123456789")
	}
	wantJSONError(t, "many headers", serve(h, r), http.StatusRequestHeaderFieldsTooLarge, "headers_too_large")

	// Over the wire, with the http.Server set as cmd/alliance sets it: the JSON answer, not
	// Go's plain-text 431.
	ts := httptest.NewUnstartedServer(h)
	ts.Config.MaxHeaderBytes = 8 * (MaxURLBytes + MaxHeaderBytes)
	ts.Start()
	defer ts.Close()
	for _, tt := range []struct {
		path, pad string
		status    int
	}{
		{"/api/v1/lookup?lat=52.5&lon=-1.5&pad=" + strings.Repeat("a", 3*MaxURLBytes), "", 414},
		{"/api/v1/lookup?lat=52.5&lon=-1.5", strings.Repeat("p", 3*MaxHeaderBytes), 431},
	} {
		r, _ := http.NewRequest(http.MethodGet, ts.URL+tt.path, nil)
		if tt.pad != "" {
			r.Header.Set("X-Pad", tt.pad)
		}
		res, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !json.Valid(body) {
			t.Errorf("over the wire: %d %s %.200s, want a JSON %d", res.StatusCode, res.Header.Get("Content-Type"), body, tt.status)
		}
	}
}

func TestChooseEncoding(t *testing.T) {
	for header, want := range map[string]string{
		"gzip":                        "gzip",
		"gzip, deflate, br":           "gzip",
		"deflate, gzip":               "gzip", // equal q: the server's preference
		"deflate":                     "deflate",
		"x-gzip":                      "gzip",
		"GZIP":                        "gzip",
		"gzip;q=0, identity":          "",
		"gzip;q=0":                    "",
		"gzip; q=0":                   "",
		"GZIP;Q=0.000":                "",
		"gzip;q=0.0, deflate;q=0":     "",
		"gzip;q=0.5, deflate;q=0.8":   "deflate",
		"gzip;q=1.0, deflate;q=0.999": "gzip",
		"*":                           "gzip",
		"*;q=0":                       "",
		"*;q=0, identity":             "",
		"*;q=0, gzip":                 "gzip",
		"gzip;q=0, *":                 "deflate",
		"gzip;q=0, deflate;q=0, *":    "",
		"*, gzip;q=0.1":               "deflate",
		"gzip, gzip;q=0":              "", // listed twice: the lower q counts
		"identity":                    "",
		"br":                          "",
		"":                            "",
		" , ;q=1":                     "",
		"gzip;q=abc":                  "",
		"gzip;q=2":                    "",
		"gzip;q=-1":                   "",
		"gzip;q=0.0001":               "",
		"gzip;level=1;q=0.3":          "gzip",
	} {
		if got := chooseEncoding(header); got != want {
			t.Errorf("chooseEncoding(%q) = %q, want %q", header, got, want)
		}
	}
}

// TestAcceptEncodingQValues: q=0 refuses a coding, "*" stands for every coding not listed,
// and the response says how it is encoded (and that it varies with Accept-Encoding).
func TestAcceptEncodingQValues(t *testing.T) {
	h := fixtureServer(t, Config{})
	for _, tt := range []struct{ accept, want string }{
		{"gzip", "gzip"},
		{"gzip;q=0, identity", ""},
		{"gzip;q=0", ""},
		{"GZIP;Q=0", ""},
		{"*;q=0", ""},
		{"*;q=0, identity;q=1", ""},
		{"*", "gzip"},
		{"*;q=0, gzip", "gzip"},
		{"gzip;q=0, *", "deflate"},
		{"gzip;q=0.2, deflate;q=0.9", "deflate"},
		{"identity", ""},
	} {
		for _, path := range []string{"/api/v1/areas/E56000901", "/alliances", "/static/app.css"} {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.Header.Set("Accept-Encoding", tt.accept)
			w := serve(h, r)
			if w.Code != 200 {
				t.Fatalf("GET %s, Accept-Encoding %q: %d", path, tt.accept, w.Code)
			}
			if got := w.Header().Get("Content-Encoding"); got != tt.want {
				t.Errorf("GET %s, Accept-Encoding %q: Content-Encoding %q, want %q", path, tt.accept, got, tt.want)
				continue
			}
			var body io.Reader = w.Body
			switch tt.want {
			case "gzip":
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatalf("%s %q: %v", path, tt.accept, err)
				}
				body = zr
			case "deflate":
				body = flate.NewReader(w.Body)
			}
			b, err := io.ReadAll(body)
			if err != nil || len(b) == 0 {
				t.Errorf("GET %s, Accept-Encoding %q: %d bytes, %v", path, tt.accept, len(b), err)
			}
			if tt.want != "" && !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("GET %s, Accept-Encoding %q: compressed without Vary: Accept-Encoding", path, tt.accept)
			}
		}
	}
}

// TestBulkContentType: the bulk endpoint takes application/json only; a body without a
// Content-Type is refused as the document says (415), like one of another type.
func TestBulkContentType(t *testing.T) {
	h := fixtureServer(t, Config{})
	body := `{"postcodes":["AA1 1AA"]}`
	for _, tt := range []struct {
		contentType string // "-" sends none
		status      int
	}{
		{"application/json", 200},
		{"application/json; charset=utf-8", 200},
		{"Application/JSON", 200},
		{"-", 415},
		{"", 415},
		{"  ", 415},
		{"text/plain", 415},
		{"application/x-www-form-urlencoded", 415},
		{";;;", 415},
	} {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/postcodes", strings.NewReader(body))
		if tt.contentType != "-" {
			r.Header.Set("Content-Type", tt.contentType)
		}
		w := serve(h, r)
		if tt.status == 200 {
			if w.Code != 200 {
				t.Errorf("Content-Type %q: %d %.200s", tt.contentType, w.Code, w.Body)
			}
			continue
		}
		wantJSONError(t, fmt.Sprintf("Content-Type %q", tt.contentType), w, tt.status, "unsupported_media_type")
	}
}

// TestRepeatedParameters: a parameter given twice is invalid_parameter whatever its values, an
// empty one among them included; given once and empty, a required one is missing_parameter.
func TestRepeatedParameters(t *testing.T) {
	h := fixtureServer(t, Config{})
	for _, tt := range []struct {
		path, code string
	}{
		{"/api/v1/lookup?lat=&lat=52.5&lon=-1.5", "invalid_parameter"},
		{"/api/v1/lookup?lat=52.5&lat=&lon=-1.5", "invalid_parameter"},
		{"/api/v1/lookup?lat=&lat=&lon=-1.5", "invalid_parameter"},
		{"/api/v1/lookup?lat=52.5&lon=&lon=-1.5", "invalid_parameter"},
		{"/api/v1/lookup?lat=52.5&lat=52.5&lon=-1.5", "invalid_parameter"},
		{"/api/v1/lookup?lat=52.5&lon=-1.5&edition=&edition=2021", "invalid_parameter"},
		{"/api/v1/areas?type=&type=icb", "invalid_parameter"},
		{"/api/v1/areas/E56000901/geometry?simplify=&simplify=50", "invalid_parameter"},
		{"/api/v1/lookup?lat=&lon=-1.5", "missing_parameter"},
		{"/api/v1/lookup?lat=%20&lon=-1.5", "missing_parameter"},
		{"/api/v1/lookup?lon=-1.5", "missing_parameter"},
	} {
		wantJSONError(t, tt.path, serve(h, httptest.NewRequest(http.MethodGet, tt.path, nil)), 400, tt.code)
	}
}

// TestUnknownEditionNamesTheData: an unknown edition's message lists the snapshot's editions
// (the fixture has only 2021 and 2023), on every route that takes ?edition=, and does not echo
// a long value whole.
func TestUnknownEditionNamesTheData(t *testing.T) {
	h := fixtureServer(t, Config{})
	var ids []string
	for _, e := range fixtureSnapshot(t).Editions {
		ids = append(ids, string(e.ID))
	}
	long := strings.Repeat("2", 500)
	for _, path := range []string{
		"/api/v1/lookup?lat=52.5&lon=-1.5&edition=2017",
		"/api/v1/lookup?lat=52.5&lon=-1.5&edition=" + long,
		"/api/v1/postcodes/AA11AA?edition=" + long,
		"/api/v1/postcodes/AA11AA?edition=all",
		"/api/v1/postcodes/AA1?edition=2018",
		"/api/v1/outcodes/AA1?edition=" + long,
		"/api/v1/sectors/AA1%201?edition=x",
		"/api/v1/areas?type=icb&edition=" + long,
		"/api/v1/areas/E56000901?edition=" + long,
		"/api/v1/areas/E92000001?edition=2017", // a country is in every edition, but the edition must exist
		"/api/v1/areas/E56000901/geometry?edition=2017",
		"/api/v1/layers/icb.geojson?edition=" + long,
	} {
		e := wantJSONError(t, clipHeader(path), serve(h, httptest.NewRequest(http.MethodGet, path, nil)), 400, "unknown_edition")
		for _, id := range ids {
			if !strings.Contains(e.Message, id) {
				t.Errorf("%s: message %q does not name edition %s", clipHeader(path), e.Message, id)
			}
		}
		// The fixture has no 2018 edition: a message naming it lists years of its own.
		if (strings.Contains(e.Message, "2018") && !strings.Contains(path, "2018")) || len(e.Message) > 200 {
			t.Errorf("%s: message %q", clipHeader(path), e.Message)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/api/v1/postcodes?edition="+long, strings.NewReader(`{"postcodes":["AA1 1AA"]}`))
	r.Header.Set("Content-Type", "application/json")
	if e := wantJSONError(t, "bulk", serve(h, r), 400, "unknown_edition"); !strings.Contains(e.Message, ids[len(ids)-1]) || len(e.Message) > 200 {
		t.Errorf("bulk: message %q", e.Message)
	}
}

// getRouteSamples gives a URL answered 200 for each GET route, by its OpenAPI path.
var getRouteSamples = map[string]string{
	"/":                                "/?edition=2021",
	"/alliances":                       "/alliances",
	"/alliances/{code}":                "/alliances/E56000901",
	"/footprints/{code}":               "/footprints/E54000903",
	"/static/{file}":                   "/static/app.css",
	"/healthz":                         "/healthz",
	"/readyz":                          "/readyz",
	"/metrics":                         "/metrics",
	"/api/openapi.json":                "/api/openapi.json",
	"/api/docs":                        "/api/docs",
	"/api/v1/lookup":                   "/api/v1/lookup?lat=52.5&lon=-1.5",
	"/api/v1/postcodes/{postcode}":     "/api/v1/postcodes/AA11AA",
	"/api/v1/outcodes/{outcode}":       "/api/v1/outcodes/AA1",
	"/api/v1/sectors/{sector}":         "/api/v1/sectors/AA1%201",
	"/api/v1/editions":                 "/api/v1/editions",
	"/api/v1/areas":                    "/api/v1/areas?type=icb",
	"/api/v1/areas/{code}":             "/api/v1/areas/E56000901",
	"/api/v1/areas/{code}/geometry":    "/api/v1/areas/E56000901/geometry?simplify=1000",
	"/api/v1/organisations":            "/api/v1/organisations?alliance=N01&type=trust",
	"/api/v1/organisations/{ods}":      "/api/v1/organisations/RAA",
	"/api/v1/layers/{file}":            "/api/v1/layers/icb.geojson?simplify=1000",
	"/alliances/{code} (encoded)":      "/alliances/%45%35%36%30%30%30%39%30%31",
	"/footprints/{code} (encoded)":     "/footprints/%45%35%34%30%30%30%39%30%33",
	"/api/v1/areas/{code} (encoded)":   "/api/v1/areas/%45%35%36%30%30%30%39%30%31",
	"/alliances (an edition)":          "/alliances?edition=2021",
	"/alliances/{code} (an edition)":   "/alliances/E56000902?edition=2021",
	"/api/v1/areas/{code} (not found)": "/api/v1/areas/E99999999",
	"/alliances/{code} (not found)":    "/alliances/E99999999",
	"/search":                          "/search?q=west",
	"/search (no match)":               "/search?q=nothing+like+it",
}

// TestHeadWhereverGet: over the wire, HEAD on every GET route (pages, static files, API,
// operations) gets GET's status and headers, and no body.
func TestHeadWhereverGet(t *testing.T) {
	s := fixtureServer(t, Config{})
	for route := range servedRoutes(t, s) {
		method, path, _ := strings.Cut(route, " ")
		if method == http.MethodGet && getRouteSamples[path] == "" {
			t.Errorf("no sample request for %s: add one to getRouteSamples", route)
		}
	}
	for name, path := range getRouteSamples {
		if w := serve(s, httptest.NewRequest(http.MethodHead, path, nil)); w.Body.Len() != 0 {
			t.Errorf("HEAD %s (%s): the handler chain let %d bytes of body through", path, name, w.Body.Len())
		}
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	names := make([]string, 0, len(getRouteSamples))
	for name := range getRouteSamples {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := getRouteSamples[name]
		for _, acceptEncoding := range []string{"", "gzip"} {
			do := func(method string) *http.Response {
				r, _ := http.NewRequest(method, ts.URL+path, nil)
				if acceptEncoding != "" {
					r.Header.Set("Accept-Encoding", acceptEncoding)
				}
				res, err := client.Do(r)
				if err != nil {
					t.Fatalf("%s %s: %v", method, path, err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				return res
			}
			get, head := do(http.MethodGet), do(http.MethodHead)
			what := fmt.Sprintf("HEAD %s (Accept-Encoding %q)", path, acceptEncoding)
			if head.StatusCode != get.StatusCode {
				t.Errorf("%s: %d, GET %d", what, head.StatusCode, get.StatusCode)
				continue
			}
			for k := range mergeKeys(get.Header, head.Header) {
				switch k {
				case "Date", "X-Request-Id":
					continue
				case "Content-Length": // a HEAD may leave it out where GET streamed its body
					if head.Header.Get(k) == "" {
						continue
					}
				}
				if g, h := strings.Join(get.Header.Values(k), ", "), strings.Join(head.Header.Values(k), ", "); g != h {
					t.Errorf("%s: %s %q, GET %q", what, k, h, g)
				}
			}
		}
		// No body on the wire: the response ends with its header.
		if tail := rawHeadTail(t, ts.Listener.Addr().String(), path); tail != "" {
			t.Errorf("HEAD %s: %d bytes after the header: %.80q", path, len(tail), tail)
		}
	}
}

func mergeKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// rawHeadTail sends HEAD path on a fresh connection and returns whatever follows the
// response's header before the server closes the connection.
func rawHeadTail(t *testing.T, addr, path string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "HEAD %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr)
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("HEAD %s: %v", path, err)
		}
		if line == "\r\n" {
			break
		}
	}
	rest, _ := io.ReadAll(br)
	return string(rest)
}
