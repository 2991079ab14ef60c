package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// load drives a server with conns concurrent clients for d, across the API's endpoints, and
// checks that every response is a success whose body names the dataset its X-Dataset header
// names. It returns the number of requests per dataset checksum.
type loadResult struct {
	requests  atomic.Int64
	failures  atomic.Int64
	mu        sync.Mutex
	datasets  map[string]int
	firstFail string
}

func (lr *loadResult) fail(msg string) {
	if lr.failures.Add(1) == 1 {
		lr.mu.Lock()
		lr.firstFail = msg
		lr.mu.Unlock()
	}
}

var loadPoints = [][2]float64{{53.38, -1.47}, {51.5, -0.12}, {52.48, -1.9}, {50.37, -4.14}, {54.97, -1.61}, {53.235, -1.421}, {51.48, -3.18}}
var loadPostcodes = []string{"S12HE", "SW1A1AA", "M11AE", "B11BB", "LS11UR", "CF101AA", "EH11YZ", "PL11AA", "S18", "S18%201"}

func runLoad(ctx context.Context, t *testing.T, base string, conns int, d time.Duration) *loadResult {
	t.Helper()
	lr := &loadResult{datasets: map[string]int{}}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 1))
			for ctx.Err() == nil {
				var req *http.Request
				editions := []string{"", "&edition=2017", "&edition=2021", "&edition=all"}
				switch rng.IntN(4) {
				case 0, 1:
					p := loadPoints[rng.IntN(len(loadPoints))]
					req, _ = http.NewRequest("GET", fmt.Sprintf("%s/api/v1/lookup?lat=%v&lon=%v%s", base, p[0], p[1], editions[rng.IntN(4)]), nil)
				case 2:
					req, _ = http.NewRequest("GET", base+"/api/v1/postcodes/"+loadPostcodes[rng.IntN(len(loadPostcodes))], nil)
				case 3:
					body, _ := json.Marshal(map[string]any{"postcodes": []string{"S1 2HE", "not one", "CF10 1AA", "S18"}})
					req, _ = http.NewRequest("POST", base+"/api/v1/postcodes", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
				}
				res, err := client.Do(req.WithContext(ctx))
				if err != nil {
					if ctx.Err() == nil {
						lr.fail(err.Error())
					}
					continue
				}
				b, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					if ctx.Err() == nil {
						lr.fail(err.Error())
					}
					continue
				}
				lr.requests.Add(1)
				if res.StatusCode != 200 {
					lr.fail(fmt.Sprintf("%s %s: %d %s", req.Method, req.URL, res.StatusCode, b))
					continue
				}
				var body struct {
					Dataset string `json:"dataset"`
				}
				if err := json.Unmarshal(b, &body); err != nil || body.Dataset == "" || body.Dataset != res.Header.Get("X-Dataset") {
					lr.fail(fmt.Sprintf("%s: body dataset %q, header %q", req.URL, body.Dataset, res.Header.Get("X-Dataset")))
					continue
				}
				lr.mu.Lock()
				lr.datasets[body.Dataset]++
				lr.mu.Unlock()
			}
		}(uint64(w))
	}
	wg.Wait()
	return lr
}

// relabel copies db to dst and gives the copy another dataset checksum: same answers, so any
// response can be checked to come from one database or the other, never a mix.
func relabel(t *testing.T, db, dst, checksum string) {
	t.Helper()
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(`UPDATE meta SET value = ? WHERE key = 'checksum'`, checksum); err != nil {
		t.Fatal(err)
	}
}

// TestReloadUnderLoad replaces the database and sends SIGHUP every 3 s while 16 clients
// query the server for 30 s: no request may fail and every response must come whole from one
// dataset.
func TestReloadUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("30 s load test; skipped with -short")
	}
	bin, shared := setup(t)
	dir := t.TempDir()
	db := dir + "/alliance.db"
	relabel(t, shared, db, "dataset-a")
	relabel(t, shared, dir+"/b.db", "dataset-b")
	relabel(t, shared, dir+"/a.db", "dataset-a")
	s := startServer(t, bin, db)

	done := make(chan struct{})
	reloads := 0
	go func() {
		defer close(done)
		tick := time.NewTicker(3 * time.Second)
		defer tick.Stop()
		for i := 0; i < 9; i++ {
			<-tick.C
			next := []string{"b", "a"}[i%2]
			// Copy then rename: the server never sees a half-written file.
			b, _ := os.ReadFile(dir + "/" + next + ".db")
			os.WriteFile(dir+"/next.db", b, 0o644)
			os.Rename(dir+"/next.db", db)
			s.cmd.Process.Signal(syscall.SIGHUP)
			reloads++
		}
	}()
	lr := runLoad(context.Background(), t, s.base, 16, 30*time.Second)
	<-done
	t.Logf("%d requests in 30 s at 16 connections, %d reloads, by dataset %v, %d failed", lr.requests.Load(), reloads, lr.datasets, lr.failures.Load())
	if lr.failures.Load() > 0 {
		t.Errorf("%d requests failed; first: %s", lr.failures.Load(), lr.firstFail)
	}
	if len(lr.datasets) != 2 {
		t.Errorf("responses came from %v; want both datasets", lr.datasets)
	}
	if n := countMatches(s.logs.String(), `dataset reloaded`); n < 8 {
		t.Errorf("%d reloads logged, want 9", n)
	}
}

func countMatches(s, re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(s, -1)) }

// metric reads one unlabelled value from /metrics.
func metric(t *testing.T, base, name string) float64 {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no %s in /metrics", name)
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// TestSoak runs 64 connections for ALLIANCE_SOAK (e.g. 2m; `make soak`) across the API: no
// errors, resident memory grows less than 10 %, goroutines return to their level before.
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("ALLIANCE_SOAK"))
	if err != nil {
		t.Skip("set ALLIANCE_SOAK=2m to run the soak test (make soak)")
	}
	bin, db := setup(t)
	s := startServer(t, bin, db)
	runLoad(context.Background(), t, s.base, 64, 10*time.Second) // warm up: caches, pools
	rss0, gr0 := metric(t, s.base, "process_resident_memory_bytes"), metric(t, s.base, "go_goroutines")
	lr := runLoad(context.Background(), t, s.base, 64, d)
	time.Sleep(2 * time.Second) // let idle connections close
	rss1, gr1 := metric(t, s.base, "process_resident_memory_bytes"), metric(t, s.base, "go_goroutines")
	t.Logf("soak %s at 64 connections: %d requests (%.0f/s), %d failed; RSS %.1f → %.1f MB (%+.1f %%); goroutines %v → %v",
		d, lr.requests.Load(), float64(lr.requests.Load())/d.Seconds(), lr.failures.Load(), rss0/1e6, rss1/1e6, 100*(rss1-rss0)/rss0, gr0, gr1)
	if lr.failures.Load() > 0 {
		t.Errorf("%d failed; first: %s", lr.failures.Load(), lr.firstFail)
	}
	if rss1 > rss0*1.10 {
		t.Errorf("resident memory grew %.1f %%", 100*(rss1-rss0)/rss0)
	}
	if gr1 > gr0+4 {
		t.Errorf("goroutines %v → %v: a leak", gr0, gr1)
	}
}
