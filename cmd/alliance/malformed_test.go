package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// malformed is one hostile or broken request and the 4xx it must get.
type malformed struct {
	name    string
	method  string
	path    string // raw: sent as written, not cleaned by a client library
	body    string
	headers map[string]string
	status  int
	code    string // the error code in the JSON body; "" accepts any
}

func malformedRequests() []malformed {
	long := strings.Repeat("9", 5000)
	nested := strings.Repeat(`{"postcodes":`, 2000) + `[]` + strings.Repeat(`}`, 2000)
	many := `{"postcodes":[` + strings.TrimSuffix(strings.Repeat(`"S1 2HE",`, 1001), ",") + `]}`
	huge := `{"postcodes":["` + strings.Repeat("A", 300<<10) + `"]}`
	json := map[string]string{"Content-Type": "application/json"}
	var t []malformed
	add := func(name, path string, status int, code string) {
		t = append(t, malformed{name: name, method: "GET", path: path, status: status, code: code})
	}
	// Coordinates.
	add("no parameters", "/api/v1/lookup", 400, "missing_parameter")
	add("lat only", "/api/v1/lookup?lat=53", 400, "missing_parameter")
	add("lon only", "/api/v1/lookup?lon=-1", 400, "missing_parameter")
	add("empty lat", "/api/v1/lookup?lat=&lon=-1", 400, "missing_parameter")
	add("blank lat", "/api/v1/lookup?lat=%20&lon=-1", 400, "missing_parameter")
	add("word", "/api/v1/lookup?lat=north&lon=-1", 400, "invalid_parameter")
	add("NaN", "/api/v1/lookup?lat=NaN&lon=-1", 400, "invalid_parameter")
	add("nan lower", "/api/v1/lookup?lat=53&lon=nan", 400, "invalid_parameter")
	add("Inf", "/api/v1/lookup?lat=Inf&lon=-1", 400, "invalid_parameter")
	add("-Infinity", "/api/v1/lookup?lat=53&lon=-Infinity", 400, "invalid_parameter")
	add("1e309 overflows", "/api/v1/lookup?lat=1e309&lon=-1", 400, "invalid_parameter")
	add("lat 90.0001", "/api/v1/lookup?lat=90.0001&lon=-1", 400, "out_of_range")
	add("lat -91", "/api/v1/lookup?lat=-91&lon=-1", 400, "out_of_range")
	add("lon 181", "/api/v1/lookup?lat=53&lon=181", 400, "out_of_range")
	add("lon -1e6", "/api/v1/lookup?lat=53&lon=-1e6", 400, "out_of_range")
	add("absurdly long number", "/api/v1/lookup?lat="+long+"&lon=-1", 400, "invalid_parameter")
	add("hex float", "/api/v1/lookup?lat=0x1p5&lon=-1", 400, "invalid_parameter")
	add("underscored number", "/api/v1/lookup?lat=5_3&lon=-1", 400, "invalid_parameter")
	add("semicolon in query", "/api/v1/lookup?lat=53.38;lon=-1.47", 400, "invalid_query")
	add("comma decimal", "/api/v1/lookup?lat=53,38&lon=-1", 400, "invalid_parameter")
	add("two lats", "/api/v1/lookup?lat=53&lat=54&lon=-1", 400, "invalid_parameter")
	add("SQL in lat", "/api/v1/lookup?lat=53%27%20OR%201=1--&lon=-1", 400, "invalid_parameter")
	add("script in lon", "/api/v1/lookup?lat=53&lon=%3Cscript%3Ealert(1)%3C/script%3E", 400, "invalid_parameter")
	add("null byte", "/api/v1/lookup?lat=53%00&lon=-1", 400, "invalid_parameter")
	add("Paris", "/api/v1/lookup?lat=48.8566&lon=2.3522", 404, "outside_coverage")
	add("North Sea", "/api/v1/lookup?lat=55&lon=3", 404, "outside_coverage")
	add("0,0", "/api/v1/lookup?lat=0&lon=0", 404, "outside_coverage")
	// Editions.
	add("unknown edition", "/api/v1/lookup?lat=53.38&lon=-1.47&edition=2019", 400, "unknown_edition")
	add("edition injection", "/api/v1/lookup?lat=53.38&lon=-1.47&edition=2023%27;DROP%20TABLE%20areas;--", 400, "invalid_query")
	add("edition injection encoded", "/api/v1/lookup?lat=53.38&lon=-1.47&edition=2023%27%3BDROP%20TABLE%20areas%3B--", 400, "unknown_edition")
	add("edition long", "/api/v1/lookup?lat=53.38&lon=-1.47&edition="+strings.Repeat("2", 300), 400, "unknown_edition")
	add("edition all on postcodes", "/api/v1/postcodes/S12HE?edition=all", 400, "unknown_edition")
	add("postcode edition unknown", "/api/v1/postcodes/S12HE?edition=latest", 400, "unknown_edition")
	// Postcodes.
	add("not a postcode", "/api/v1/postcodes/hello", 400, "invalid_postcode")
	add("digits", "/api/v1/postcodes/12345", 400, "invalid_postcode")
	add("overlong postcode", "/api/v1/postcodes/"+strings.Repeat("S", 200), 400, "invalid_postcode")
	add("binary postcode", "/api/v1/postcodes/%FF%FE%00%01", 400, "invalid_postcode")
	add("control characters", "/api/v1/postcodes/S1%0A2HE", 400, "invalid_postcode")
	add("emoji", "/api/v1/postcodes/%F0%9F%98%80", 400, "invalid_postcode")
	add("SQL injection", "/api/v1/postcodes/S1%27%20OR%20%271%27=%271", 400, "invalid_postcode")
	add("html", "/api/v1/postcodes/%3Cb%3ES1%3C%2Fb%3E", 400, "invalid_postcode")
	add("Q first letter", "/api/v1/postcodes/QA11AA", 400, "invalid_postcode")
	add("terminated or unknown", "/api/v1/postcodes/S10AA", 404, "postcode_not_found")
	add("Guernsey", "/api/v1/postcodes/GY11AA", 404, "postcode_not_covered")
	add("Isle of Man", "/api/v1/postcodes/IM11AA", 404, "postcode_not_covered")
	add("Girobank", "/api/v1/postcodes/GIR0AA", 404, "postcode_not_covered")
	add("bad outcode", "/api/v1/outcodes/S1%202HE", 400, "invalid_outcode")
	add("outcode garbage", "/api/v1/outcodes/%25%25", 400, "invalid_postcode")
	add("unknown outcode", "/api/v1/outcodes/ZE9", 404, "outcode_not_found")
	add("bad sector", "/api/v1/sectors/S18", 400, "invalid_sector")
	add("unknown sector", "/api/v1/sectors/S18%205", 404, "sector_not_found")
	// Routes, methods, paths.
	add("unknown route", "/api/v2/lookup", 404, "route_not_found")
	add("path traversal", "/static/../../../../etc/passwd", 404, "")
	add("encoded traversal", "/static/..%2f..%2f..%2fetc%2fpasswd", 404, "")
	add("double encoded traversal", "/static/%252e%252e/%252e%252e/etc/passwd", 404, "")
	add("api traversal", "/api/v1/../../etc/passwd", 404, "")
	t = append(t,
		malformed{name: "DELETE lookup", method: "DELETE", path: "/api/v1/lookup?lat=53&lon=-1", status: 405, code: "method_not_allowed"},
		malformed{name: "PUT postcode", method: "PUT", path: "/api/v1/postcodes/S12HE", status: 405, code: "method_not_allowed"},
		malformed{name: "POST lookup", method: "POST", path: "/api/v1/lookup", body: "{}", headers: json, status: 405, code: "method_not_allowed"},
		malformed{name: "Accept XML", method: "GET", path: "/api/v1/lookup?lat=53.38&lon=-1.47", headers: map[string]string{"Accept": "application/xml"}, status: 406, code: "not_acceptable"},
		// Bulk bodies.
		malformed{name: "bulk empty body", method: "POST", path: "/api/v1/postcodes", headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk not JSON", method: "POST", path: "/api/v1/postcodes", body: "postcodes=S12HE", headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk truncated JSON", method: "POST", path: "/api/v1/postcodes", body: `{"postcodes":["S1 2HE"`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk wrong type", method: "POST", path: "/api/v1/postcodes", body: `{"postcodes":"S1 2HE"}`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk numbers", method: "POST", path: "/api/v1/postcodes", body: `{"postcodes":[1,2,3]}`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk array body", method: "POST", path: "/api/v1/postcodes", body: `["S1 2HE"]`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk null", method: "POST", path: "/api/v1/postcodes", body: `null`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk no postcodes key", method: "POST", path: "/api/v1/postcodes", body: `{}`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk unknown key", method: "POST", path: "/api/v1/postcodes", body: `{"postcodes":[],"x":1}`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk two values", method: "POST", path: "/api/v1/postcodes", body: `{"postcodes":[]}{"postcodes":[]}`, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk deeply nested", method: "POST", path: "/api/v1/postcodes", body: nested, headers: json, status: 400, code: "invalid_body"},
		malformed{name: "bulk over 1000", method: "POST", path: "/api/v1/postcodes", body: many, headers: json, status: 413, code: "too_many_postcodes"},
		malformed{name: "bulk oversized body", method: "POST", path: "/api/v1/postcodes", body: huge, headers: json, status: 413, code: "body_too_large"},
		malformed{name: "bulk form content type", method: "POST", path: "/api/v1/postcodes", body: `{"postcodes":[]}`, headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 415, code: "unsupported_media_type"},
		malformed{name: "bulk bad content type", method: "POST", path: "/api/v1/postcodes", body: `{"postcodes":[]}`, headers: map[string]string{"Content-Type": ";;;"}, status: 415, code: "unsupported_media_type"},
		malformed{name: "bulk unknown edition", method: "POST", path: "/api/v1/postcodes?edition=1900", body: `{"postcodes":["S1 2HE"]}`, headers: json, status: 400, code: "unknown_edition"},
		malformed{name: "bulk invalid UTF-8", method: "POST", path: "/api/v1/postcodes", body: "{\"postcodes\":[\"\xff\xfe\"]}", headers: json, status: 200},
	)
	return t
}

// TestMalformedRequests sends every malformed request to the real server: each gets its
// documented 4xx with a JSON error body, none a 500, a panic or a hang.
func TestMalformedRequests(t *testing.T) {
	bin, db := setup(t)
	s := startServer(t, bin, db)
	addr := strings.TrimPrefix(s.base, "http://")
	reqs := malformedRequests()
	if len(reqs) < 60 {
		t.Fatalf("only %d malformed requests", len(reqs))
	}
	for _, m := range reqs {
		t.Run(m.name, func(t *testing.T) {
			status, body := rawRequest(t, addr, m)
			if status != m.status {
				t.Fatalf("%s %s: status %d, want %d: %.300s", m.method, clipPath(m.path), status, m.status, body)
			}
			if status == 200 {
				return
			}
			var e struct {
				Error struct {
					Status  int    `json:"status"`
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("error body is not JSON: %.300s", body)
			}
			if e.Error.Status != status || e.Error.Message == "" || (m.code != "" && e.Error.Code != m.code) {
				t.Errorf("error = %+v, want status %d code %q", e.Error, status, m.code)
			}
		})
	}
	if status, _ := s.get(t, "/healthz"); status != 200 {
		t.Errorf("server unhealthy after the malformed requests")
	}
	if strings.Contains(s.logs.String(), "panic") {
		t.Errorf("the server logged a panic:\n%s", s.logs)
	}
}

func clipPath(p string) string {
	if len(p) > 80 {
		return p[:80] + "…"
	}
	return p
}

// rawRequest writes the request line as given, so that paths reach the server uncleaned.
func rawRequest(t *testing.T, addr string, m malformed) (int, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", m.method, m.path, addr)
	for k, v := range m.headers {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	if m.method == "POST" || m.body != "" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(m.body))
	}
	b.WriteString("\r\n")
	b.WriteString(m.body)
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(m.method, "http://"+addr+"/", nil)
	res, err := http.ReadResponse(newBufReader(conn), req)
	if err != nil {
		t.Fatalf("no response (hang or dropped connection): %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

func newBufReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 64<<10) }
