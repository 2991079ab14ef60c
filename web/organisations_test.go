package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOrganisationAPI: trusts and sites by ODS code, lists by alliance, and the errors.
func TestOrganisationAPI(t *testing.T) {
	h := fixtureServer(t, Config{})
	var trust struct {
		ODSCode  string `json:"ods_code"`
		Kind     string `json:"kind"`
		Alliance struct {
			Code string `json:"code"`
		} `json:"alliance"`
		Sites []struct {
			ODSCode string `json:"ods_code"`
		} `json:"sites"`
		Areas []struct {
			Code string `json:"code"`
		} `json:"areas"`
	}
	getJSON(t, h, "/api/v1/organisations/raa", 200, &trust)
	if trust.ODSCode != "RAA" || trust.Kind != "trust" || trust.Alliance.Code != "E56000901" || len(trust.Sites) != 2 || len(trust.Areas) == 0 {
		t.Errorf("RAA = %+v", trust)
	}
	var list struct {
		Count         int `json:"count"`
		Organisations []struct {
			ODSCode string `json:"ods_code"`
		} `json:"organisations"`
	}
	getJSON(t, h, "/api/v1/organisations?alliance=E56000902&type=trust", 200, &list)
	if list.Count != 1 || list.Organisations[0].ODSCode != "RBB" {
		t.Errorf("East's trusts = %+v", list)
	}
	for path, code := range map[string]string{
		"/api/v1/organisations/ZZZ":               "organisation_not_found",
		"/api/v1/organisations/R%21":              "invalid_ods_code",
		"/api/v1/organisations?alliance=E5699999": "alliance_not_found",
		"/api/v1/organisations?type=pharmacy":     "invalid_parameter",
	} {
		w := serve(h, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code < 400 || w.Code >= 500 || !strings.Contains(w.Body.String(), `"`+code+`"`) {
			t.Errorf("%s: %d %s, want %s", path, w.Code, w.Body, code)
		}
	}
}

// TestIncludeHospitals: ?include=hospitals adds the nearest sites of the alliance's member
// trusts; its parameters are checked.
func TestIncludeHospitals(t *testing.T) {
	h := fixtureServer(t, Config{})
	var ans struct {
		Hospitals []struct {
			ODSCode   string  `json:"ods_code"`
			DistanceM float64 `json:"distance_m"`
			Trust     struct {
				ODSCode string `json:"ods_code"`
			} `json:"trust"`
		} `json:"hospitals"`
	}
	getJSON(t, h, "/api/v1/lookup?lat=52.5&lon=-1.5&edition=2021&include=hospitals", 200, &ans)
	if len(ans.Hospitals) != 2 || ans.Hospitals[0].ODSCode != "RAA01" || ans.Hospitals[0].Trust.ODSCode != "RAA" || ans.Hospitals[1].DistanceM < ans.Hospitals[0].DistanceM {
		t.Errorf("hospitals = %+v", ans.Hospitals)
	}
	getJSON(t, h, "/api/v1/postcodes/AA11AA?include=hospitals&hospitals=1", 200, &ans)
	if len(ans.Hospitals) != 1 {
		t.Errorf("postcode hospitals = %+v", ans.Hospitals)
	}
	w := serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5", nil))
	if strings.Contains(w.Body.String(), "hospitals") {
		t.Error("hospitals without include")
	}
	for _, q := range []string{"include=hospital", "hospitals=3", "include=hospitals&edition=all", "include=bogus&edition=all", "include=hospitals&hospitals=0", "include=hospitals&hospitals=21", "include=hospitals&hospitals=x"} {
		w := serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lat=52.5&lon=-1.5&"+q, nil))
		if w.Code != 400 || !strings.Contains(w.Body.String(), "invalid_parameter") {
			t.Errorf("%s: %d %s", q, w.Code, w.Body)
		}
	}
}

// TestSearchAPI: ranked results in JSON; no match is an empty list; bad queries are 400.
func TestSearchAPI(t *testing.T) {
	h := fixtureServer(t, Config{})
	var body struct {
		Count   int `json:"count"`
		Results []struct {
			Kind, Code, Path string
		} `json:"results"`
	}
	getJSON(t, h, "/api/v1/search?q=west+general", 200, &body)
	if body.Count == 0 || body.Results[0].Code != "RAA01" || body.Results[0].Path != "/organisations/RAA01" {
		t.Errorf("west general = %+v", body)
	}
	getJSON(t, h, "/api/v1/search?q=nothing+like+it", 200, &body)
	if body.Count != 0 || body.Results == nil {
		t.Errorf("no match = %+v", body)
	}
	getJSON(t, h, "/api/v1/search?q=alliance&limit=1", 200, &body)
	if body.Count != 1 {
		t.Errorf("limit=1 gave %d", body.Count)
	}
	for _, q := range []string{"", "q=", "q=+++", "q=" + strings.Repeat("a", 201), "q=a&q=b", "q=a&limit=0", "q=a&limit=51"} {
		w := serve(h, httptest.NewRequest(http.MethodGet, "/api/v1/search?"+q, nil))
		if w.Code != 400 {
			t.Errorf("%q: %d %s", q, w.Code, w.Body)
		}
	}
}
