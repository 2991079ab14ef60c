package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

func init() {
	// Pages and static files are validated for their status, headers and content type; their
	// body is a string.
	asString := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	}
	openapi3filter.RegisterBodyDecoder("text/html", asString)
	openapi3filter.RegisterBodyDecoder("text/css", asString)
}

// loadOpenAPI loads the embedded document and validates it. kin-openapi reads 3.1 documents
// (type arrays, "null", license identifier) and validates schemas with JSON Schema 2020-12
// semantics when the document says 3.1.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPI)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	return doc
}

// servedRoutes walks the router: "METHOD /path" in OpenAPI's spelling.
func servedRoutes(t *testing.T, s *Server) map[string]bool {
	t.Helper()
	served := map[string]bool{}
	err := chi.Walk(s.router.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		served[strings.ToUpper(method)+" "+openAPIPath(route)] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return served
}

// openAPIPath maps a chi pattern to its OpenAPI path: sub-routers' "/*/" joins and the
// trailing slash of a sub-router's root go; a catch-all (only /static/* so far) is {file}.
func openAPIPath(route string) string {
	route = strings.ReplaceAll(route, "/*/", "/")
	if rest, ok := strings.CutSuffix(route, "/*"); ok {
		route = rest + "/{file}"
	}
	if route != "/" {
		route = strings.TrimSuffix(route, "/")
	}
	return route
}

func TestOpenAPIPathNormalisation(t *testing.T) {
	for in, want := range map[string]string{
		"/":                            "/",
		"/api/v1/postcodes/":           "/api/v1/postcodes",
		"/api/v1/postcodes/*/":         "/api/v1/postcodes",
		"/api/v1/postcodes/{postcode}": "/api/v1/postcodes/{postcode}",
		"/api/v1/*/areas/{code}":       "/api/v1/areas/{code}",
		"/static/*":                    "/static/{file}",
	} {
		if got := openAPIPath(in); got != want {
			t.Errorf("openAPIPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOpenAPIDocumentsEveryRoute compares the router with the document both ways, so a route
// added to the router (an API route or a page) fails here until it is documented.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	served := servedRoutes(t, fixtureServer(t, Config{}))
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	var missing, extra []string
	for r := range served {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !served[r] {
			extra = append(extra, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("served but not documented: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("documented but not served: %v", extra)
	}
	for _, r := range []string{"GET /healthz", "GET /readyz", "GET /metrics", "GET /api/v1/lookup", "POST /api/v1/postcodes",
		"GET /api/v1/postcodes/{postcode}", "GET /api/v1/outcodes/{outcode}", "GET /api/v1/sectors/{sector}", "GET /api/v1/editions",
		"GET /api/v1/areas", "GET /api/v1/areas/{code}", "GET /api/v1/areas/{code}/geometry", "GET /api/v1/layers/{file}",
		"GET /api/openapi.json", "GET /api/docs", "GET /api/v1/organisations", "GET /api/v1/organisations/{ods}", "GET /organisations/{ods}", "GET /organisations", "GET /api/v1/search", "GET /search"} {
		if !served[r] {
			t.Errorf("the walk did not find %s: is the normalisation right?", r)
		}
	}
}

// TestOpenAPIDocumentContents checks what the document must say beyond its shape: the
// attribution and licences, and the statuses and headers that middleware adds to every route
// of a group (so that a new route cannot leave them out).
func TestOpenAPIDocumentContents(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, line := range directory.DefaultSources().Attribution {
		if !strings.Contains(doc.Info.Description, line) {
			t.Errorf("info.description lacks the attribution %q", line)
		}
	}
	if l := doc.Info.License; l == nil || l.Identifier != "MIT" || !strings.Contains(l.Name, "Open Government Licence") {
		t.Errorf("info.license = %+v, want MIT for the code and the OGL named for the data", l)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			want := []int{200, 405, 414, 431} // chi answers 405 on every path for the methods it lacks; requestLimits 414 and 431
			if strings.HasPrefix(path, "/api/v1/") {
				want = append(want, 400, 406, 500, 503) // validQuery, acceptJSON, withSnapshot
				if method == http.MethodGet {
					want = append(want, 304)
				} else {
					want = append(want, 413, 415) // limitBody
				}
			}
			for _, status := range want {
				if op.Responses.Status(status) == nil {
					t.Errorf("%s does not document %d", name, status)
				}
			}
			if strings.HasPrefix(path, "/api/v1/") {
				if op.Responses.Status(429) == nil {
					t.Errorf("%s does not document 429 (rate limit)", name)
				} else if op.Responses.Status(429).Value.Headers["Retry-After"] == nil {
					t.Errorf("%s: 429 without Retry-After", name)
				}
				ok := op.Responses.Status(200).Value
				for _, h := range []string{"X-Dataset", "X-Request-ID"} {
					if ok.Headers[h] == nil {
						t.Errorf("%s: 200 does not document the %s header", name, h)
					}
				}
				if method == http.MethodGet && ok.Headers["ETag"] == nil {
					t.Errorf("%s: 200 does not document the ETag header", name)
				}
			}
			for code, resp := range op.Responses.Map() {
				if code[0] == '4' || code[0] == '5' {
					if resp.Value.Content.Get("application/json") == nil && resp.Value.Content.Get("text/html") == nil {
						t.Errorf("%s %s: an error response with neither a JSON nor an HTML body", name, code)
					}
					if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema.Ref != "#/components/schemas/Error" {
						t.Errorf("%s %s: a JSON error not described by #/components/schemas/Error", name, code)
					}
				}
			}
		}
	}
}

// TestOpenAPIEditionsAreData: editions come from the database, so the document enumerates
// none. Every edition parameter is a plain string that points to GET /api/v1/editions (the
// lookup's also names "all"), and no description states a year: the attribution's year is
// data, and examples are examples.
func TestOpenAPIEditionsAreData(t *testing.T) {
	doc := loadOpenAPI(t)
	var params []*openapi3.Parameter
	for _, p := range doc.Components.Parameters {
		params = append(params, p.Value)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value.Name == "edition" && p.Value.In == "query" {
					params = append(params, p.Value)
					if all := strings.Contains(p.Value.Description, "`all`"); all != (path == "/api/v1/lookup") {
						t.Errorf("%s %s: edition admits all: %v", method, path, all)
					}
				}
			}
		}
	}
	n := 0
	for _, p := range params {
		if p.Name != "edition" {
			continue
		}
		n++
		if sch := p.Schema.Value; !sch.Type.Is("string") || len(sch.Enum) > 0 {
			t.Errorf("edition parameter: schema type %v, enum %v; want a string without enum", sch.Type, sch.Enum)
		}
		if !strings.Contains(p.Description, "GET /api/v1/editions") || (p.Example == nil && len(p.Examples) == 0) {
			t.Errorf("edition parameter %q: no pointer to GET /api/v1/editions or no example", p.Description)
		}
	}
	if n < 2 {
		t.Errorf("%d edition parameters found", n)
	}
	year := regexp.MustCompile(`\b(19|20)[0-9]{2}\b`)
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if k == "example" || k == "examples" {
					continue
				}
				if d, ok := e.(string); ok && (k == "description" || k == "summary") {
					for _, line := range directory.DefaultSources().Attribution {
						d = strings.ReplaceAll(d, line, "")
					}
					if m := year.FindString(d); m != "" {
						t.Errorf("%s.%s states the year %s: %.120q", where, k, m, d)
					}
					continue
				}
				walk(where+"."+k, e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", where, i), e)
			}
		}
	}
	var raw any
	if err := json.Unmarshal(openAPI, &raw); err != nil {
		t.Fatal(err)
	}
	walk("$", raw)
}

// TestOpenAPIDocsPage checks the human-readable page: every operation shown, no scripts, a
// strict Content-Security-Policy, and the document itself served as JSON.
func TestOpenAPIDocsPage(t *testing.T) {
	doc := loadOpenAPI(t)
	h := fixtureServer(t, Config{})
	w := serve(h, httptest.NewRequest("GET", "/api/docs", nil))
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /api/docs: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if heading := "<code>" + method + " " + path + "</code>"; !strings.Contains(body, heading) {
				t.Errorf("the page lacks %s", heading)
			}
			if !strings.Contains(body, op.Summary) && !strings.Contains(body, htmlEscape(op.Summary)) {
				t.Errorf("the page lacks the summary of %s %s", method, path)
			}
		}
	}
	for _, want := range []string{"<td><code>lat</code></td>", "<td><code>simplify</code></td>", "<td>413</td>", "<td>304</td>", "/api/openapi.json"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Error("the API page carries a script")
	}
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}

	w = serve(h, httptest.NewRequest("GET", "/api/openapi.json", nil))
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" || !bytes.Equal(w.Body.Bytes(), openAPI) {
		t.Errorf("GET /api/openapi.json: %d %s, %d bytes", w.Code, w.Header().Get("Content-Type"), w.Body.Len())
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age") {
		t.Errorf("GET /api/openapi.json: Cache-Control %q", cc)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// TestOpenAPIResponses sends real requests and validates each request and response against
// the document: status, content type, body schema and the documented headers.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadOpenAPI(t)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	servers := map[string]http.Handler{
		"":           fixtureServer(t, Config{}),
		"no data":    New(staticSource{nil}, Config{Logger: fixtureServer(t, Config{}).log}),
		"limited":    fixtureServer(t, Config{RateLimit: 0.001, RateBurst: 1}),
		"small body": fixtureServer(t, Config{MaxBodyBytes: 64}),
		"no orgs":    noOrganisationsServer(t),
	}
	many := `{"postcodes":[` + strings.Repeat(`"AA1 1AA",`, 1000) + `"AA1 1AB"]}`
	longURL := "/api/v1/lookup?lat=52.5&lon=-1.5&x=" + strings.Repeat("a", MaxURLBytes)
	bigHeader := strings.Repeat("b", MaxHeaderBytes)
	type header map[string]string
	tests := []struct {
		server             string // a key of servers
		method, path, body string
		header             header
		status             int
		badRequest         bool   // the request itself breaks the document's rules
		docMethod          string // for 405: the documented method of the path
	}{
		// operations
		{"", "GET", "/healthz", "", nil, 200, false, ""},
		{"", "GET", "/readyz", "", nil, 200, false, ""},
		{"no data", "GET", "/readyz", "", nil, 503, false, ""},
		{"", "GET", "/metrics", "", nil, 200, false, ""},
		{"", "POST", "/healthz", "", nil, 405, false, "GET"},
		// lookup
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&edition=all", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=53&lon=-3", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=53.99&lon=-1.5", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=48.8&lon=2.3", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&edition=1999", "", nil, 400, false, ""},
		{"", "GET", "/api/v1/lookup?lat=&lat=52.5&lon=-1.5", "", nil, 400, false, ""}, // kin-openapi reads the first value only
		{"", "GET", "/api/v1/lookup?lat=x&lon=1", "", header{"If-None-Match": "*"}, 400, true, ""},
		{"", "GET", longURL, "", nil, 414, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5", "", header{"X-Padding": bigHeader}, 431, false, ""},
		{"", "GET", "/api/v1/lookup?lat=abc&lon=-1.5", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/lookup?lat=91&lon=-1.5", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/lookup?lon=-1.5", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5;lon=-1.5", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5", "", header{"If-None-Match": "*"}, 304, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&include=hospitals", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-0.3&include=hospitals&hospitals=1&edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=53&lon=-3&include=hospitals", "", nil, 200, false, ""},
		{"no orgs", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&include=hospitals", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&hospitals=2", "", nil, 400, false, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&include=hospitals&hospitals=21", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5&include=everything", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5", "", header{"Accept": "text/html"}, 406, false, ""},
		{"", "DELETE", "/api/v1/lookup?lat=52.5&lon=-1.5", "", nil, 405, false, "GET"},
		{"limited", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5", "", nil, 429, false, ""},
		{"no data", "GET", "/api/v1/lookup?lat=52.5&lon=-1.5", "", nil, 503, false, ""},
		// postcodes
		{"", "GET", "/api/v1/postcodes/AA11AA", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/aa1%201ab?edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/AA11AD", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/CF11AA", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/BT11AA", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/AA1", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/AA1%201", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/nonsense", "", nil, 400, false, ""},
		{"", "GET", "/api/v1/postcodes/AA99ZZ", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/postcodes/AA11AA", "", header{"If-None-Match": "*"}, 304, false, ""},
		{"", "GET", "/api/v1/postcodes/AA11AA?include=hospitals&hospitals=5", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/AA11AB?include=hospitals", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/AA1?include=hospitals", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/CF11AA?include=hospitals", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/postcodes/AA11AA?hospitals=5", "", nil, 400, false, ""},
		{"", "GET", "/api/v1/postcodes/AA11AA?include=hospitals&hospitals=0", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/postcodes/%41%41%31%20%31%41%41", "", nil, 200, false, ""},
		{"", "POST", "/api/v1/postcodes", `{"postcodes":["AA1 1AA","bad","AA1","AA1 1","CF1 1AA","BT1 1AA","ZZ9 9ZZ"]}`, nil, 200, false, ""},
		{"", "POST", "/api/v1/postcodes?edition=2021", `{"postcodes":[]}`, nil, 200, false, ""},
		{"", "POST", "/api/v1/postcodes", `{"postcodes":"AA1 1AA"}`, nil, 400, true, ""},
		{"", "POST", "/api/v1/postcodes", ``, header{"Content-Type": "application/json"}, 400, true, ""},
		{"", "POST", "/api/v1/postcodes", `{"postcodes":["AA1 1AA"]}`, header{"Content-Type": ""}, 415, true, ""},
		{"", "POST", "/api/v1/postcodes", many, nil, 413, true, ""},
		{"small body", "POST", "/api/v1/postcodes", `{"postcodes":["AA1 1AA","AA1 1AB","AA1 1AA","AA1 1AB","AA1 1AA"]}`, nil, 413, false, ""},
		{"", "POST", "/api/v1/postcodes", `{"postcodes":["AA1 1AA"]}`, header{"Content-Type": "text/plain"}, 415, true, ""},
		{"", "PUT", "/api/v1/postcodes", `{"postcodes":["AA1 1AA"]}`, nil, 405, false, "POST"},
		{"", "GET", "/api/v1/outcodes/AA1", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/outcodes/AA1%201", "", nil, 400, false, ""},
		{"", "GET", "/api/v1/outcodes/AA9", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/sectors/AA1%201", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/sectors/AA1%209", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/sectors/AA1", "", nil, 400, false, ""},
		// directory
		{"", "GET", "/api/v1/editions", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/editions", "", header{"If-None-Match": "*"}, 304, false, ""},
		{"", "GET", "/api/v1/editions", "", header{"Accept": "text/html"}, 406, false, ""},
		{"no data", "GET", "/api/v1/editions", "", nil, 503, false, ""},
		{"", "GET", "/api/v1/areas?type=cancer-alliance", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas?type=stp&edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas?type=icb&edition=2023", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/areas?type=bogus", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/areas/E56000901", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E56000902?edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E54000903", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E54000901?edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E40000901", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E00000000", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/areas/E00000000", "", header{"If-None-Match": "*"}, 404, false, ""},
		{"", "GET", "/api/v1/areas/%45%35%36%30%30%30%39%30%31", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E56000901?edition=1999", "", nil, 400, false, ""},
		{"", "GET", "/api/v1/areas/E56000901/geometry?simplify=1000", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E54000904/geometry", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E56000901/geometry?simplify=7", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/areas/E00000000/geometry", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/layers/icb.geojson?simplify=250", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/layers/stp.geojson?edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/layers/stp.geojson", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/layers/icb", "", nil, 404, true, ""},
		{"", "GET", "/api/v1/layers/icb.geojson", "", header{"If-None-Match": "*"}, 304, false, ""},
		{"no orgs", "GET", "/api/v1/areas/E56000901", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/areas/E54000904", "", nil, 200, false, ""},
		// organisations
		{"", "GET", "/api/v1/organisations", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations?type=trust", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations?alliance=E56000902&type=site", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations?alliance=N01", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations?alliance=E56000952", "", header{"If-None-Match": "*"}, 304, false, ""},
		{"", "GET", "/api/v1/organisations?alliance=E56000999", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/organisations?type=hospital", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/organisations?type=site&type=trust", "", nil, 400, false, ""},
		{"no orgs", "GET", "/api/v1/organisations", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/organisations/RAA", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations/raa01", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations/RBB", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations/RBB01", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations/RCC", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations/RZZ", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/organisations/RAA", "", header{"If-None-Match": "*"}, 304, false, ""},
		{"", "GET", "/api/v1/organisations/RXX99", "", nil, 404, false, ""},
		{"", "GET", "/api/v1/organisations/R", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/organisations/RAA", "", header{"Accept": "text/html"}, 406, false, ""},
		{"", "POST", "/api/v1/organisations/RAA", "", nil, 405, false, "GET"},
		{"no orgs", "GET", "/api/v1/organisations/RAA", "", nil, 404, false, ""},
		{"no data", "GET", "/api/v1/organisations/RAA", "", nil, 503, false, ""},
		// search
		{"", "GET", "/api/v1/search?q=west+general", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/search?q=AA1+1AA&limit=3", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/search?q=nothing+like+it", "", nil, 200, false, ""},
		{"", "GET", "/api/v1/search?q=west", "", header{"If-None-Match": "*"}, 304, false, ""},
		{"", "GET", "/api/v1/search", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/search?q=a&limit=51", "", nil, 400, true, ""},
		{"", "GET", "/api/v1/search?q=" + strings.Repeat("a", 201), "", nil, 400, true, ""},
		// documentation
		{"", "GET", "/api/openapi.json", "", nil, 200, false, ""},
		{"", "GET", "/api/docs", "", nil, 200, false, ""},
		{"no data", "GET", "/api/docs", "", nil, 200, false, ""},
		{"", "POST", "/api/docs", "", nil, 405, false, "GET"},
		// pages
		{"", "GET", "/", "", nil, 200, false, ""},
		{"", "GET", "/?postcode=AA1+1AA", "", nil, 200, false, ""},
		{"", "GET", "/alliances?edition=2021", "", nil, 200, false, ""},
		{"", "GET", "/alliances?edition=1999", "", nil, 400, false, ""},
		{"", "GET", "/alliances/%45%35%36%30%30%30%39%30%31", "", nil, 200, false, ""},
		{"", "GET", "/footprints/%45%35%34%30%30%30%39%30%33", "", nil, 200, false, ""},
		{"", "GET", "/alliances/E56000901", "", header{"X-Padding": bigHeader}, 431, false, ""},
		{"", "GET", "/alliances/E56000901", "", nil, 200, false, ""},
		{"", "GET", "/footprints/E54000903", "", nil, 200, false, ""},
		{"", "GET", "/alliances/E00000000", "", nil, 404, false, ""},
		{"", "GET", "/footprints/E56000901", "", nil, 404, false, ""},
		{"", "GET", "/organisations/RAA", "", nil, 200, false, ""},
		{"", "GET", "/organisations/rbb01", "", nil, 200, false, ""},
		{"", "GET", "/organisations/RXX99", "", nil, 404, false, ""},
		{"", "GET", "/organisations/R", "", nil, 400, true, ""},
		{"no orgs", "GET", "/organisations/RAA", "", nil, 404, false, ""},
		{"", "GET", "/organisations", "", nil, 200, false, ""},
		{"", "GET", "/organisations?alliance=N01", "", nil, 200, false, ""},
		{"", "GET", "/organisations?alliance=E56000999", "", nil, 404, false, ""},
		{"no data", "GET", "/alliances", "", nil, 503, false, ""},
		{"", "GET", "/search?q=west+general", "", nil, 200, false, ""},
		{"", "GET", "/search?q=nothing+like+it", "", nil, 200, false, ""},
		{"", "GET", "/search", "", nil, 400, true, ""},
		{"", "GET", "/search?q=" + strings.Repeat("a", 201), "", nil, 400, true, ""},
		{"", "POST", "/search?q=west", "", nil, 405, false, "GET"},
		{"", "GET", "/static/app.css", "", nil, 200, false, ""},
		{"", "GET", "/static/nope.css", "", nil, 404, false, ""},
		{"", "PUT", "/static/app.css", "", nil, 405, false, "GET"},
	}
	// What some answers must hold beyond the document's rules (its optional fields present).
	holds := map[string][]string{
		"GET /api/v1/lookup?lat=52.5&lon=-1.5&include=hospitals":                          {`"hospitals":[{"ods_code":"RAA01"`, `"since_2024":{"code":"E56000901","name":"West Alliance","ods_code":"N01","change":"same"}`},
		"GET /api/v1/lookup?lat=52.5&lon=-0.3&include=hospitals&hospitals=1&edition=2021": {`"hospitals":[{"ods_code":"RBB02"`, `"change":"recoded"`},
		"GET /api/v1/postcodes/AA11AA?include=hospitals&hospitals=5":                      {`"hospitals":[{"ods_code":"RAA01"`, `"district_name":"One"`},
		"GET /api/v1/areas/E56000902?edition=2021":                                        {`"trusts":[{"ods_code":"RBB"`, `"councils":[{"code":"E08000002"`},
		"GET /api/v1/organisations?alliance=E56000902&type=site":                          {`"count":2`, `"RBB01"`, `"RBB02"`},
		"GET /api/v1/organisations/RBB01":                                                 {`"excluded":"its coordinates are 3.4 km from its postcode AA1 1AB"`, `"areas":[{"code":"E56000902"`},
		"GET /api/v1/organisations/RZZ":                                                   {`"status":"not-in-ods"`, `"areas":[]`},
		"no orgs GET /api/v1/organisations":                                               {`"organisations_not_loaded"`},
		"GET /api/v1/organisations/RXX99":                                                 {`"organisation_not_found"`},
		"GET /api/v1/organisations?alliance=E56000999":                                    {`"alliance_not_found"`},
		"GET /api/v1/organisations/R":                                                     {`"invalid_ods_code"`},
	}
	statuses := map[int]bool{}
	routes := map[string]bool{}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(tt.server+" "+tt.method+" "+tt.path), func(t *testing.T) {
			h := servers[tt.server]
			req := func(target string) *http.Request {
				r := httptest.NewRequest(tt.method, target, strings.NewReader(tt.body))
				if tt.body != "" {
					r.Header.Set("Content-Type", "application/json")
				}
				for k, v := range tt.header {
					r.Header.Set(k, v)
				}
				return r
			}
			if tt.server == "limited" {
				if w := serve(h, req(tt.path)); w.Code != 200 {
					t.Fatalf("the first request: %d", w.Code)
				}
			}
			w := serve(h, req(tt.path))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tt.status, w.Body)
			}
			statuses[w.Code] = true
			for _, want := range holds[strings.TrimSpace(tt.server+" "+tt.method+" "+tt.path)] {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("the answer lacks %s: %.600s", want, w.Body)
				}
			}
			if strings.Contains(tt.path, "include=hospitals") && tt.server == "no orgs" && strings.Contains(w.Body.String(), `"hospitals"`) {
				t.Errorf("hospitals without organisations: %.300s", w.Body)
			}

			// The document's server is relative ("/"), so the router matches the request's
			// path; a 405 is checked against the path's documented method.
			vreq := req(tt.path)
			if tt.docMethod != "" {
				vreq.Method = tt.docMethod
			}
			route, params, err := router.FindRoute(vreq)
			if err != nil {
				t.Fatalf("no documented route: %v", err)
			}
			routes[route.Method+" "+route.Path] = true
			in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if tt.docMethod == "" {
				if err := openapi3filter.ValidateRequest(context.Background(), in); (err != nil) != tt.badRequest {
					t.Fatalf("request validation: %v (want failure: %v)", err, tt.badRequest)
				}
			}
			out := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: in, Status: w.Code, Header: w.Header(),
				Body:    io.NopCloser(bytes.NewReader(w.Body.Bytes())),
				Options: &openapi3filter.Options{IncludeResponseStatus: true},
			}
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("response does not match the document: %v\n%.500s", err, w.Body)
			}
			// Every header the document promises for this response is sent.
			if resp := route.Operation.Responses.Status(w.Code); resp != nil {
				for name := range resp.Value.Headers {
					if w.Header().Get(name) == "" {
						t.Errorf("the document promises a %s header; the response has none", name)
					}
				}
			}
		})
	}
	t.Run("coverage", func(t *testing.T) {
		for _, s := range []int{200, 304, 400, 404, 405, 406, 413, 414, 415, 429, 431, 503} {
			if !statuses[s] {
				t.Errorf("no request answered %d", s)
			}
		}
		for r := range servedRoutes(t, fixtureServer(t, Config{})) {
			if !routes[r] {
				t.Errorf("no request to %s", r)
			}
		}
		if len(tests) < 25 {
			t.Errorf("only %d requests", len(tests))
		}
		if t.Failed() {
			t.Logf("statuses answered: %v", statuses)
		}
	})
}

// TestOpenAPIOrganisations checks what the document says of organisations beyond its shape:
// the schemas carry examples that are valid, every error code the organisation routes give is
// listed, and include/hospitals are documented where the server reads them.
func TestOpenAPIOrganisations(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := doc.Components.Schemas
	for _, name := range []string{"Organisation", "OrganisationList", "OrganisationAnswer", "Hospital", "Successor", "Council"} {
		ref := schemas[name]
		if ref == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		if len(ref.Value.Examples) == 0 {
			t.Errorf("schema %s has no examples", name)
		}
		for i, ex := range ref.Value.Examples {
			// Through JSON, as a client would read it.
			b, _ := json.Marshal(ex)
			var v any
			json.Unmarshal(b, &v)
			if err := ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
				t.Errorf("schema %s: example %d is invalid: %v", name, i, err)
			}
		}
	}
	if p := schemas["Area"].Value.Properties["since_2024"]; p == nil || p.Ref != "#/components/schemas/Successor" {
		t.Error("Area lacks since_2024")
	}
	if p := schemas["Answer"].Value.Properties["hospitals"]; p == nil || p.Value.Items.Ref != "#/components/schemas/Hospital" {
		t.Error("Answer lacks hospitals")
	}
	detail := schemas["AreaDetail"].Value.AllOf[1].Value
	for _, f := range []string{"trusts", "councils"} {
		if detail.Properties[f] == nil || !slices.Contains(detail.Required, f) {
			t.Errorf("AreaDetail lacks the required %s", f)
		}
	}
	codes := schemas["ErrorDetail"].Value.Properties["code"].Value.Description
	for _, c := range []string{"organisations_not_loaded", "invalid_ods_code", "organisation_not_found", "alliance_not_found"} {
		if !strings.Contains(codes, c) {
			t.Errorf("ErrorDetail.code does not list %s", c)
		}
	}
	for _, path := range []string{"/api/v1/lookup", "/api/v1/postcodes/{postcode}"} {
		names := map[string]bool{}
		for _, p := range doc.Paths.Value(path).Get.Parameters {
			names[p.Value.Name] = true
		}
		if !names["include"] || !names["hospitals"] {
			t.Errorf("%s does not document include and hospitals", path)
		}
	}
}
