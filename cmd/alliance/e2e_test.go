package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nhs-geo/alliance/internal/testenv"
)

// The end-to-end tests build the real binary, import the real data into a temporary
// database and talk to `alliance serve` over HTTP on a loopback port.
var (
	binary   testenv.Once[string]
	realData testenv.Once[string]
)

func realDataDir(t *testing.T) string {
	t.Helper()
	return filepath.Dir(testenv.SharedData(t, "boundaries"))
}

// buildBinary builds the alliance command once per test binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	return binary.Get(t, func(dir string) (string, error) {
		bin := filepath.Join(dir, "alliance")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build: %v\n%s", err, out)
		}
		return bin, nil
	})
}

// setup builds the binary and imports the real data once per test binary.
func setup(t *testing.T) (bin, db string) {
	t.Helper()
	data := realDataDir(t)
	bin = buildBinary(t)
	db = realData.Get(t, func(dir string) (string, error) {
		db := filepath.Join(dir, "alliance.db")
		if out, err := exec.Command(bin, "import", "--data", data, "--db", db).CombinedOutput(); err != nil {
			return "", fmt.Errorf("alliance import: %v\n%s", err, out)
		}
		return db, nil
	})
	return bin, db
}

func TestMain(m *testing.M) { testenv.Main(m) }

type server struct {
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs `alliance serve` on a free loopback port and waits until it listens.
func startServer(t *testing.T, bin, db string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: &syncBuffer{}}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=listening addr=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.logs.Write([]byte(line + "\n"))
			if m := re.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		s.base = "http://" + a
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not start: %s", s.logs)
	}
	return s
}

func (s *server) get(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(s.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("GET %s: %d, body is not JSON: %q", path, res.StatusCode, b)
	}
	return res.StatusCode, body
}

// alliance returns the name of the cancer-alliance area of an answer.
func alliance(body map[string]any) string {
	areas, _ := body["areas"].([]any)
	for _, a := range areas {
		m := a.(map[string]any)
		if m["type"] == "cancer-alliance" {
			return m["name"].(string)
		}
	}
	return ""
}

func areaOf(body map[string]any, typ string) string {
	areas, _ := body["areas"].([]any)
	for _, a := range areas {
		m := a.(map[string]any)
		if m["type"] == typ {
			return m["code"].(string)
		}
	}
	return ""
}

func TestServeEndToEnd(t *testing.T) {
	bin, db := setup(t)
	s := startServer(t, bin, db)

	tests := []struct {
		path     string
		status   int
		alliance string
		code     string // error code, for errors
	}{
		{"/api/v1/lookup?lat=53.38&lon=-1.47", 200, "South Yorkshire and Bassetlaw", ""},
		{"/api/v1/lookup?lat=53.38&lon=-1.47&edition=2021", 200, "South Yorkshire and Bassetlaw", ""},
		{"/api/v1/lookup?lat=53.38&lon=-1.47&edition=2017", 200, "South Yorkshire, Bassetlaw, North Derbyshire and Hardwick", ""},
		{"/api/v1/lookup?lat=53.235&lon=-1.421&edition=2018", 200, "South Yorkshire, Bassetlaw, North Derbyshire and Hardwick", ""},
		{"/api/v1/lookup?lat=53.235&lon=-1.421&edition=2021", 200, "East Midlands", ""},
		{"/api/v1/postcodes/s12he", 200, "South Yorkshire and Bassetlaw", ""},
		{"/api/v1/postcodes/S1%202HE?edition=2017", 200, "South Yorkshire, Bassetlaw, North Derbyshire and Hardwick", ""},
		{"/api/v1/postcodes/CF101AA", 200, "", ""},
		{"/api/v1/lookup?lat=51.48&lon=-3.18", 200, "", ""},
		{"/api/v1/postcodes/notapostcode", 400, "", "invalid_postcode"},
		{"/api/v1/postcodes/S1%200AA", 404, "", "postcode_not_found"},
		{"/api/v1/postcodes/S1%202ZZ", 200, "South Yorkshire and Bassetlaw", ""},
		{"/api/v1/lookup?lat=48.85&lon=2.35", 404, "", "outside_coverage"},
		{"/api/v1/lookup?lat=abc&lon=-1.47", 400, "", "invalid_parameter"},
		{"/api/v1/lookup?lat=NaN&lon=-1.47", 400, "", "invalid_parameter"},
		{"/api/v1/lookup?lat=95&lon=-1.47", 400, "", "out_of_range"},
		{"/api/v1/lookup?lon=-1.47", 400, "", "missing_parameter"},
		{"/api/v1/lookup?lat=53.38&lon=-1.47&edition=1999", 400, "", "unknown_edition"},
		{"/api/v1/nothing", 404, "", "route_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := s.get(t, tt.path)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, body)
			}
			if tt.code != "" {
				e, _ := body["error"].(map[string]any)
				if e == nil || e["code"] != tt.code || e["message"] == "" || e["status"] != float64(tt.status) {
					t.Fatalf("error = %v, want code %s", body, tt.code)
				}
				return
			}
			if got := alliance(body); got != tt.alliance {
				t.Errorf("alliance = %q, want %q", got, tt.alliance)
			}
			if tt.alliance == "" && (body["statement"] == nil || body["in_england"] != false) {
				t.Errorf("no England-only statement: %v", body)
			}
		})
	}
	// The 2017 answer carries the 2017 STP; 2021 and 2023 carry their own footprints.
	_, b17 := s.get(t, "/api/v1/lookup?lat=53.38&lon=-1.47&edition=2017")
	_, b23 := s.get(t, "/api/v1/lookup?lat=53.38&lon=-1.47")
	if areaOf(b17, "stp") != "E54000009" || areaOf(b23, "icb") == "" || areaOf(b23, "nhs-region") == "" {
		t.Errorf("footprints: 2017 stp %q, 2023 icb %q region %q", areaOf(b17, "stp"), areaOf(b23, "icb"), areaOf(b23, "nhs-region"))
	}

	// Chesterfield moved from the South Yorkshire alliance (2017, 2018) to East Midlands (2021, 2023).
	_, all := s.get(t, "/api/v1/lookup?lat=53.235&lon=-1.421&edition=all")
	var moves []string
	for _, e := range all["editions"].([]any) {
		a := e.(map[string]any)
		moves = append(moves, a["edition"].(string)+": "+alliance(a))
	}
	if want := "2017: South Yorkshire, Bassetlaw, North Derbyshire and Hardwick|2018: South Yorkshire, Bassetlaw, North Derbyshire and Hardwick|2021: East Midlands|2023: East Midlands"; strings.Join(moves, "|") != want {
		t.Errorf("Chesterfield by edition = %v", moves)
	}
	// The directory: 21 alliances in 2021, 19 in 2017; an alliance's footprints.
	for ed, n := range map[string]float64{"2017": 19, "2018": 19, "2021": 21, "2023": 21} {
		if _, b := s.get(t, "/api/v1/areas?type=cancer-alliance&edition="+ed); b["count"] != n {
			t.Errorf("%s: %v alliances, want %v", ed, b["count"], n)
		}
	}
	_, syb := s.get(t, "/api/v1/areas/E56000025?edition=2021")
	var footprints []string
	for _, c := range syb["contains"].([]any) {
		if m := c.(map[string]any); m["type"] == "stp" && m["share"].(float64) > 0.5 {
			footprints = append(footprints, m["code"].(string))
		}
	}
	if strings.Join(footprints, ",") != "E54000009" {
		t.Errorf("footprints mostly inside South Yorkshire and Bassetlaw (2021): %v", footprints)
	}

	// SIGHUP reloads the database; SIGTERM stops the server cleanly.
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(s.logs.String(), "dataset reloaded") {
		if time.Now().After(deadline) {
			t.Fatalf("no reload logged: %s", s.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status, _ := s.get(t, "/readyz"); status != 200 {
		t.Errorf("readyz after reload: %d", status)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("serve exited with %v after SIGTERM: %s", err, s.logs)
	}
}

// runCLI runs the binary and returns its exit code, standard output and standard error.
func runCLI(t *testing.T, bin string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	bin, db := setup(t)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // substring
		stderr   string // substring
		alliance string
	}{
		{"point", []string{"lookup", "--db", db, "--lat", "53.38", "--lon", "-1.47", "--edition", "2021"}, 0, `"edition": "2021"`, "", "South Yorkshire and Bassetlaw"},
		{"postcode", []string{"lookup", "--db", db, "--postcode", "S1 2HE"}, 0, `"postcode": "S1 2HE"`, "", "South Yorkshire and Bassetlaw"},
		{"outcode", []string{"lookup", "--db", db, "--postcode", "S18"}, 0, `"kind": "outcode"`, "", ""},
		{"invalid postcode", []string{"lookup", "--db", db, "--postcode", "XYZ"}, 1, "", "not a UK postcode", ""},
		{"unknown postcode", []string{"lookup", "--db", db, "--postcode", "S1 0AA"}, 1, "", "not a live postcode", ""},
		{"point and postcode", []string{"lookup", "--db", db, "--lat", "53", "--postcode", "S1 2HE"}, 2, "", "either", ""},
		{"bad number", []string{"lookup", "--db", db, "--lat", "north", "--lon", "1"}, 2, "", "invalid value", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", "unknown command", ""},
		{"missing database", []string{"lookup", "--db", db + ".missing", "--lat", "53.38", "--lon", "-1.47"}, 1, "", "alliance import", ""},
		{"help lists environment", []string{"serve", "-h"}, 2, "", "ALLIANCE_ADDR", ""},
		{"version", []string{"version"}, 0, "alliance", "", ""},
		{"quality report", []string{"quality", "--db", db}, 0, "lie in the alliance they are members of", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, bin, "", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errs, tt.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if tt.alliance != "" {
				var body map[string]any
				if err := json.Unmarshal([]byte(out), &body); err != nil {
					t.Fatal(err)
				}
				if got := alliance(body); got != tt.alliance {
					t.Errorf("alliance = %q, want %q", got, tt.alliance)
				}
			}
		})
	}
}

func TestBatchCLI(t *testing.T) {
	bin, db := setup(t)
	in := "id,Postcode,note\n1,S1 2HE,a\n2,not a postcode,b\n3,cf10 1aa,c\n4,,d\n5,S1 2ZZ,e\n6,sw1a1aa,\"quoted, comma\"\n"
	code, out, errs := runCLI(t, bin, in, "batch", "--db", db, "--edition", "2021")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 {
		t.Fatalf("%d lines out, want 7:\n%s", len(lines), out)
	}
	want := []string{
		"id,Postcode,note,country,cancer_alliance_code,cancer_alliance_name,footprint_code,footprint_name,nhs_region_code,nhs_region_name,match,error,cancer_alliance_2024_code,cancer_alliance_2024_name",
		"1,S1 2HE,a,England,E56000025,South Yorkshire and Bassetlaw,E54000009,South Yorkshire and Bassetlaw,,,district,,E56000025,South Yorkshire and Bassetlaw",
		// The error column says what the API says (TestPostcodePathsAgree* hold them to it).
		`2,not a postcode,b,,,,,,,,,"""not a postcode"" is not a UK postcode: NOTAPOSTCODE is not a postcode: expected an outward code and an inward code like 1AA",,`,
		"3,cf10 1aa,c,Wales,,,,,,,,This place is in Wales. Cancer Alliances and Integrated Care Systems cover England only; health services in Wales are run by NHS Wales.,,",
		`4,,d,,,,,,,,,""""" is not a UK postcode: empty",,`,
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], w)
		}
	}
	if !strings.HasPrefix(lines[5], "5,S1 2ZZ,e,England,E56000025,") || !strings.Contains(lines[5], ",sector,") {
		t.Errorf("unknown postcode of a known sector: %s", lines[5])
	}
	if !strings.HasPrefix(lines[6], `6,sw1a1aa,"quoted, comma",England,E56000021,`) {
		t.Errorf("line 7: %s", lines[6])
	}
	code, _, errs = runCLI(t, bin, "postcode,x\nS1 2HE,1\n\"broken,2\n", "batch", "--db", db)
	if code != 1 || !strings.Contains(errs, "line 3") {
		t.Errorf("malformed CSV: exit %d, %s", code, errs)
	}
	code, _, errs = runCLI(t, bin, "a,b\n1,2\n", "batch", "--db", db)
	if code != 1 || !strings.Contains(errs, "no postcode column") {
		t.Errorf("no postcode column: exit %d, %s", code, errs)
	}
}

// TestServeProfiler checks --debug-addr: Go's profiler on a listener of its own, and never on
// the public address.
func TestServeProfiler(t *testing.T) {
	bin, db := setup(t)
	s := startServer(t, bin, db, "--debug-addr", "127.0.0.1:0")
	// serve logs the profiler's address before its own "listening", which startServer waits for.
	m := regexp.MustCompile(`msg="profiler listening" addr=(\S+)`).FindStringSubmatch(s.logs.String())
	if m == nil {
		t.Fatalf("no profiler listening: %s", s.logs)
	}
	debug := "http://" + m[1]
	for path, want := range map[string]string{"/debug/pprof/": "goroutine", "/debug/pprof/heap?debug=1": "heap profile"} {
		res, err := http.Get(debug + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s on the debug address: %d, want 200 with %q", path, res.StatusCode, want)
		}
	}
	if code, _ := s.get(t, "/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ on the public address: %d, want 404", code)
	}

	plain := startServer(t, bin, db)
	if strings.Contains(plain.logs.String(), "profiler listening") {
		t.Errorf("a profiler listens without --debug-addr: %s", plain.logs)
	}
}
