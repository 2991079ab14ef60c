package web

import (
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
