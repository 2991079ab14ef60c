package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSecurityHeaders(t *testing.T) {
	h := fixtureServer(t, Config{})
	for _, path := range []string{"/healthz", "/api/v1/lookup?lat=52.5&lon=-1.5", "/api/v1/nothing"} {
		w := serve(h, httptest.NewRequest(http.MethodGet, path, nil))
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin"} {
			if got := w.Header().Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
		if w.Header().Get("X-Request-ID") == "" {
			t.Errorf("%s: no X-Request-ID", path)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	h := fixtureServer(t, Config{})
	w := serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil))
	etag := w.Header().Get("ETag")
	if w.Code != 200 || !strings.Contains(etag, fixtureSnapshot(t).Checksum) || w.Header().Get("Cache-Control") == "" {
		t.Fatalf("status %d, ETag %q, Cache-Control %q", w.Code, etag, w.Header().Get("Cache-Control"))
	}
	r := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil)
	r.Header.Set("If-None-Match", etag)
	if w := serve(h, r); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match with the current ETag: %d, %d bytes", w.Code, w.Body.Len())
	}
	r.Header.Set("If-None-Match", `W/"another-dataset"`)
	if w := serve(h, r); w.Code != http.StatusOK {
		t.Errorf("If-None-Match with another ETag: %d", w.Code)
	}
	// Errors are not cacheable.
	w = serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=x&lon=1", nil))
	if w.Header().Get("ETag") != "" || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("error response: ETag %q, Cache-Control %q", w.Header().Get("ETag"), w.Header().Get("Cache-Control"))
	}
}

func TestRateLimit(t *testing.T) {
	h := fixtureServer(t, Config{RateLimit: 1, RateBurst: 2})
	var codes []int
	for i := 0; i < 4; i++ {
		r := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil)
		r.RemoteAddr = "192.0.2.1:1234"
		w := serve(h, r)
		codes = append(codes, w.Code)
		if w.Code == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if codes[0] != 200 || codes[1] != 200 || codes[2] != 429 || codes[3] != 429 {
		t.Errorf("codes = %v, want 200 200 429 429", codes)
	}
	// Another client is not limited by the first.
	r := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil)
	r.RemoteAddr = "192.0.2.2:1234"
	if w := serve(h, r); w.Code != 200 {
		t.Errorf("second client: %d", w.Code)
	}
}

func TestCORSAndCompression(t *testing.T) {
	h := fixtureServer(t, Config{CORSOrigins: []string{"*"}})
	r := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil)
	r.Header.Set("Origin", "https://example.org")
	r.Header.Set("Accept-Encoding", "gzip")
	w := serve(h, r)
	if w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("CORS: Access-Control-Allow-Origin = %q", w.Header().Get("Access-Control-Allow-Origin"))
	}
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", w.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !strings.Contains(string(body), `"E56000901"`) {
		t.Errorf("gzipped body: %.200s", body)
	}
	// Preflight.
	r = httptest.NewRequest(http.MethodOptions, "/api/v1/postcodes", nil)
	r.Header.Set("Origin", "https://example.org")
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Headers", "Content-Type")
	if w := serve(h, r); w.Code >= 300 || !strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", w.Code, w.Header())
	}
	// No CORS when none is configured.
	h = fixtureServer(t, Config{})
	r = httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil)
	r.Header.Set("Origin", "https://example.org")
	if got := serve(h, r).Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("CORS without configuration: %q", got)
	}
}

func TestOperationalEndpoints(t *testing.T) {
	h := fixtureServer(t, Config{})
	serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil))
	serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=x&lon=-1.5", nil))
	w := serve(h, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`alliance_http_requests_total{method="GET",route="/api/v1/lookup",status="200"} 1`,
		`alliance_http_requests_total{method="GET",route="/api/v1/lookup",status="400"} 1`,
		`alliance_http_request_duration_seconds_bucket{route="/api/v1/lookup"`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	var ready struct {
		Status, Dataset string
		Postcodes       int
	}
	getJSON(t, h, "/readyz", 200, &ready)
	if ready.Status != "ready" || ready.Dataset == "" || ready.Postcodes != 9 {
		t.Errorf("readyz = %+v", ready)
	}
	getJSON(t, h, "/healthz", 200, nil)
	unready := New(staticSource{nil}, Config{Logger: fixtureServer(t, Config{}).log})
	if w := serve(unready, httptest.NewRequest(http.MethodGet, "/readyz", nil)); w.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz without a dataset: %d", w.Code)
	}
	if w := serve(unready, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil)); w.Code != http.StatusServiceUnavailable {
		t.Errorf("lookup without a dataset: %d", w.Code)
	}
}
