package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestPostcodeEdgeCases: what the API says of postcodes that are not ordinary ones, each in
// JSON with the right status, singly and in bulk alike.
func TestPostcodeEdgeCases(t *testing.T) {
	h := fixtureServer(t, Config{})
	tests := []struct {
		path   string
		status int
		want   []string // substrings of the body
		absent []string
	}{
		// No location in Great Britain's postcode data: no coordinates, not zeros.
		{"/api/v1/postcodes/BT11AA", 200, []string{`"location":"none"`, `"Northern Ireland"`}, []string{`"lat"`, `"lon"`}},
		{"/api/v1/postcodes/BFPO%20123", 404, []string{`"postcode_not_covered"`, "British Forces"}, []string{"ask /postcodes"}},
		{"/api/v1/postcodes/BFPO123", 404, []string{`"postcode_not_covered"`}, nil},
		{"/api/v1/postcodes/SW", 400, []string{`"postcode_area"`, "too large"}, []string{"ask /postcodes"}},
		// Full-width characters: counted as characters, not bytes.
		{"/api/v1/postcodes/" + url.PathEscape("ＡＡ１ １ＡＡ"), 200, []string{`"postcode":"AA1 1AA"`}, nil},
		// By district: district_name and the match say how the area was found.
		{"/api/v1/postcodes/AA31AA?edition=2021", 200, []string{`"district_name":"Two"`, `"match":"district"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := serve(h, httptest.NewRequest(http.MethodGet, tt.path, nil))
			body := w.Body.String()
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, body)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %s: %s", s, body)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(body, s) {
					t.Errorf("body has %s: %s", s, body)
				}
			}
		})
	}
	// Bulk: the same answers item by item.
	r := httptest.NewRequest(http.MethodPost, "/api/v1/postcodes", strings.NewReader(`{"postcodes":["BFPO 123","BFPO123","SW","BT1 1AA"]}`))
	r.Header.Set("Content-Type", "application/json")
	w := serve(h, r)
	body := w.Body.String()
	if w.Code != 200 || strings.Count(body, `"postcode_not_covered"`) != 2 || !strings.Contains(body, `"postcode_area"`) || strings.Contains(body, `"lat"`) {
		t.Errorf("bulk: %d %s", w.Code, body)
	}
}
