package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/go-chi/chi/v5"
)

func init() {
	// Pages are validated for their status, headers and content type; their body is a string.
	openapi3filter.RegisterBodyDecoder("text/html", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	})
}

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
	return doc
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	s := fixtureServer(t, Config{})
	served := map[string]bool{}
	err := chi.Walk(s.router.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.ReplaceAll(route, "/*/", "/")
		if route != "/" {
			route = strings.TrimSuffix(route, "/")
		}
		route = strings.Replace(route, "/static/*", "/static/{file}", 1)
		served[strings.ToUpper(method)+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
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
	if len(served) < 20 {
		t.Errorf("only %d routes walked", len(served))
	}
}

// TestOpenAPIResponses sends real requests and validates each request and response against
// the document: status, headers and body schema.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadOpenAPI(t)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	h := fixtureServer(t, Config{})
	tests := []struct {
		method, path, body string
		status             int
		badRequest         bool // the request itself breaks the document's rules
	}{
		{"GET", "/healthz", "", 200, false},
		{"GET", "/readyz", "", 200, false},
		{"GET", "/api/v1/lookup?lat=52.5&lon=-1.5", "", 200, false},
		{"GET", "/api/v1/lookup?lat=52.5&lon=-1.5&edition=2021", "", 200, false},
		{"GET", "/api/v1/lookup?lat=52.5&lon=-1.5&edition=all", "", 200, false},
		{"GET", "/api/v1/lookup?lat=53&lon=-3", "", 200, false},
		{"GET", "/api/v1/lookup?lat=53.99&lon=-1.5", "", 200, false},
		{"GET", "/api/v1/lookup?lat=48.8&lon=2.3", "", 404, false},
		{"GET", "/api/v1/lookup?lat=52.5&lon=-1.5&edition=1999", "", 400, false},
		{"GET", "/api/v1/lookup?lat=abc&lon=-1.5", "", 400, true},
		{"GET", "/api/v1/lookup?lon=-1.5", "", 400, true},
		{"GET", "/api/v1/postcodes/AA11AA", "", 200, false},
		{"GET", "/api/v1/postcodes/aa1%201ab?edition=2021", "", 200, false},
		{"GET", "/api/v1/postcodes/AA11AD", "", 200, false},
		{"GET", "/api/v1/postcodes/CF11AA", "", 200, false},
		{"GET", "/api/v1/postcodes/BT11AA", "", 200, false},
		{"GET", "/api/v1/postcodes/AA1", "", 200, false},
		{"GET", "/api/v1/postcodes/nonsense", "", 400, false},
		{"GET", "/api/v1/postcodes/AA99ZZ", "", 404, false},
		{"POST", "/api/v1/postcodes", `{"postcodes":["AA1 1AA","bad","AA1","CF1 1AA"]}`, 200, false},
		{"POST", "/api/v1/postcodes", `{"postcodes":"AA1 1AA"}`, 400, true},
		{"GET", "/api/v1/outcodes/AA1", "", 200, false},
		{"GET", "/api/v1/outcodes/ZZ9", "", 400, false},
		{"GET", "/api/v1/sectors/AA1%201", "", 200, false},
		{"GET", "/api/v1/sectors/AA1%209", "", 404, false},
		{"GET", "/api/v1/editions", "", 200, false},
		{"GET", "/api/v1/areas?type=cancer-alliance", "", 200, false},
		{"GET", "/api/v1/areas?type=stp&edition=2021", "", 200, false},
		{"GET", "/api/v1/areas/E56000901", "", 200, false},
		{"GET", "/api/v1/areas/E54000901?edition=2021", "", 200, false},
		{"GET", "/api/v1/areas/E40000901", "", 200, false},
		{"GET", "/api/v1/areas/E00000000", "", 404, false},
		{"GET", "/api/v1/areas/E56000901/geometry?simplify=1000", "", 200, false},
		{"GET", "/api/v1/layers/icb.geojson?simplify=250", "", 200, false},
		{"GET", "/api/v1/layers/stp.geojson", "", 404, false},
		{"GET", "/api/openapi.json", "", 200, false},
		{"GET", "/api/docs", "", 200, false},
		{"GET", "/", "", 200, false},
		{"GET", "/alliances?edition=2021", "", 200, false},
		{"GET", "/alliances/E56000901", "", 200, false},
		{"GET", "/footprints/E54000903", "", 200, false},
		{"GET", "/alliances/E00000000", "", 404, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			w := serve(h, req)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tt.status, w.Body)
			}
			// The router matches on the full URL.
			vreq := httptest.NewRequest(tt.method, "http://localhost"+tt.path, strings.NewReader(tt.body))
			vreq.Header = req.Header.Clone()
			route, params, err := router.FindRoute(vreq)
			if err != nil {
				t.Fatalf("no documented route: %v", err)
			}
			in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if err := openapi3filter.ValidateRequest(context.Background(), in); (err != nil) != tt.badRequest {
				t.Fatalf("request validation: %v (want failure: %v)", err, tt.badRequest)
			}
			out := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: in, Status: w.Code, Header: w.Header(),
				Body:    io.NopCloser(bytes.NewReader(w.Body.Bytes())),
				Options: &openapi3filter.Options{IncludeResponseStatus: true},
			}
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("response does not match the document: %v\n%.500s", err, w.Body)
			}
		})
	}
}
