package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nhs-geo/alliance/data"
	"github.com/nhs-geo/alliance/directory"
	"github.com/nhs-geo/alliance/internal/testenv"
)

// outcome is what one entry point said of one postcode, reduced to what all four can say: the
// alliance, footprint and region (code and match), the country, and the message of an error or
// of an answer without areas. full holds every area's type, code and match where the entry
// point gives them (all but the batch).
type outcome struct {
	country, alliance, footprint, region, match, message string
	since2024                                            string // the alliance's 2024 successor
	full                                                 string
}

func (o outcome) batchView() outcome { o.full = ""; return o }

// answerOutcome reduces a JSON answer or error object as the API, bulk and CLI write them.
func answerOutcome(body map[string]any) outcome {
	var o outcome
	if e, ok := body["error"].(map[string]any); ok {
		o.message, _ = e["message"].(string)
		return o
	}
	if c, ok := body["country"].(map[string]any); ok {
		o.country, _ = c["name"].(string)
	}
	o.message, _ = body["statement"].(string)
	areas, _ := body["areas"].([]any)
	var full []string
	for _, a := range areas {
		m := a.(map[string]any)
		code, typ, match := m["code"].(string), m["type"].(string), fmt.Sprint(m["match"])
		full = append(full, typ+"="+code+"/"+match)
		switch typ {
		case "cancer-alliance":
			o.alliance, o.match = code, match
			if succ, ok := m["since_2024"].(map[string]any); ok {
				o.since2024, _ = succ["code"].(string)
			}
		case "stp", "icb":
			o.footprint = code
		case "nhs-region":
			o.region = code
		}
	}
	o.full = strings.Join(full, " ")
	return o
}

// postcodePaths asks every postcode of pcs through the four entry points, against one
// database and edition, and reports every postcode on which any two disagree.
func postcodePaths(t *testing.T, bin, db string, edition string, pcs []string) {
	t.Helper()
	srv := startServer(t, bin, db)

	single := make([]outcome, len(pcs))
	var wg sync.WaitGroup
	const workers = 4
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			client := &http.Client{}
			for i := w; i < len(pcs); i += workers {
				res, err := client.Get(srv.base + "/api/v1/postcodes/" + url.PathEscape(pcs[i]) + "?edition=" + edition)
				if err != nil {
					errs <- err
					return
				}
				var body map[string]any
				err = json.NewDecoder(res.Body).Decode(&body)
				res.Body.Close()
				if err != nil {
					errs <- fmt.Errorf("GET %s: %v", pcs[i], err)
					return
				}
				single[i] = answerOutcome(body)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var bulk []outcome
	for lo := 0; lo < len(pcs); lo += 1000 {
		req, _ := json.Marshal(map[string][]string{"postcodes": pcs[lo:min(lo+1000, len(pcs))]})
		res, err := http.Post(srv.base+"/api/v1/postcodes?edition="+edition, "application/json", bytes.NewReader(req))
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Results []map[string]any `json:"results"`
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("bulk: %d %v", res.StatusCode, err)
		}
		for _, r := range body.Results {
			if e, ok := r["error"]; ok {
				bulk = append(bulk, answerOutcome(map[string]any{"error": e}))
			} else {
				bulk = append(bulk, answerOutcome(r["result"].(map[string]any)))
			}
		}
	}

	code, out, stderr := runCLI(t, bin, strings.Join(pcs, "\n")+"\n", "lookup", "--db", db, "--edition", edition, "--postcode", "-")
	if code != 0 {
		t.Fatalf("alliance lookup --postcode -: exit %d: %s", code, stderr)
	}
	var cli []outcome
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var body map[string]any
		if err := json.Unmarshal(sc.Bytes(), &body); err != nil {
			t.Fatalf("CLI line %d is not JSON: %v", len(cli)+1, err)
		}
		cli = append(cli, answerOutcome(body))
	}

	var in strings.Builder
	cw := csv.NewWriter(&in)
	cw.Write([]string{"id", "postcode"}) // the id keeps an empty postcode's row
	for i, pc := range pcs {
		cw.Write([]string{fmt.Sprint(i), pc})
	}
	cw.Flush()
	code, out, stderr = runCLI(t, bin, in.String(), "batch", "--db", db, "--edition", edition)
	if code != 0 {
		t.Fatalf("alliance batch: exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "(edition "+edition+")") {
		t.Errorf("batch summary does not name the edition: %q", stderr)
	}
	var batch []outcome
	for _, r := range rows[1:] {
		o := outcome{country: r[2], alliance: r[3], footprint: r[5], region: r[7], match: r[9], message: r[10], since2024: r[11]}
		batch = append(batch, o)
	}

	if len(bulk) != len(pcs) || len(cli) != len(pcs) || len(batch) != len(pcs) {
		t.Fatalf("answers: %d postcodes, %d bulk, %d CLI, %d batch", len(pcs), len(bulk), len(cli), len(batch))
	}
	bad := 0
	for i, pc := range pcs {
		s := single[i]
		if strings.TrimSpace(pc) == "" {
			s = bulk[i] // not a path GET /api/v1/postcodes/{postcode} can ask
		}
		same := s == bulk[i] && s == cli[i]
		if kind, _ := directory.PostcodeKind(pc); kind == directory.QueryOutcode || kind == directory.QuerySector {
			// The batch answers full postcodes only, and says so.
			same = same && strings.Contains(batch[i].message, "not a full postcode")
		} else {
			same = same && s.batchView() == batch[i]
		}
		if !same {
			if bad++; bad <= 10 {
				t.Errorf("%q:\n API   %+v\n bulk  %+v\n CLI   %+v\n batch %+v", pc, s, bulk[i], cli[i], batch[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d postcodes answered differently by the four entry points", bad, len(pcs))
	}
}

// oddQueries are postcodes every path must refuse or answer alike: specials, partials and
// malformed strings.
var oddQueries = []string{"", " ", "not a postcode", "BT1 1AA", "bt11aa", "GY1 1AA", "JE2 3AB", "IM1 1AA",
	"BFPO 123", "BFPO123", "GIR 0AA", "SW", "GX11 1AA", "ZZ99 3VZ", "S18", "S18 1", "ＳＷ１Ａ １ＡＡ", "S1  2HE", "s12he"}

// TestPostcodePathsAgreeFixture holds the HTTP API, the bulk endpoint, the CLI and the batch to
// the same answers for every postcode of the synthetic fixture, in every edition.
func TestPostcodePathsAgreeFixture(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	fixture := filepath.Join("..", "..", "directory", "testdata", "data")
	db := filepath.Join(dir, "fixture.db")
	if out, err := exec.Command(bin, "import", "--data", fixture, "--sources", filepath.Join(fixture, "sources.json"), "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("import fixture: %v\n%s", err, out)
	}
	pcs := slices.Clone(oddQueries)
	err := data.ReadCodePointDir(filepath.Join(fixture, "postcodes", "cp"), func(c data.CodePoint) error {
		pcs = append(pcs, c.Postcode, strings.ToLower(strings.ReplaceAll(c.Postcode, " ", "")))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pcs = append(pcs, "AA2 1ZZ", "AA9 9ZZ", "AA1", "AA1 1")
	src, err := directory.ReadSources(filepath.Join(fixture, "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ed := range src.Editions {
		t.Run(string(ed.ID), func(t *testing.T) { postcodePaths(t, bin, db, string(ed.ID), pcs) })
	}
}

// TestPostcodePathsAgreeNSPL does the same for every postcode of the NSPL sample (live and
// terminated, in and out of England) on the real data, edition 2021.
func TestPostcodePathsAgreeNSPL(t *testing.T) {
	dir := testenv.SharedData(t, "groundtruth", "nspl-2021-sample")
	bin, db := setup(t)
	pcs := slices.Clone(oddQueries)
	if err := data.ReadNSPLDir(dir, func(r data.NSPLRow) error {
		pcs = append(pcs, r.Postcode)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d postcodes through the API, bulk, CLI and batch", len(pcs))
	postcodePaths(t, bin, db, "2021", pcs)
}
