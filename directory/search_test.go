package directory

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{
		"Addenbrooke's Hospital":  "addenbrookes hospital",
		"St. Thomas'":             "st thomas",
		"Saint Thomas":            "st thomas",
		"Guy’s & St Thomas’":      "guys and st thomas",
		"Névé, Côte-d'Azur":       "neve cote dazur",
		"  SHEFFIELD   teaching ": "sheffield teaching",
	} {
		if got := normalise(in); got != want {
			t.Errorf("normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearchFixture(t *testing.T) {
	s := fixtureSnapshot(t)
	first := func(q string) SearchResult {
		t.Helper()
		res, err := s.Search(q, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) == 0 {
			t.Fatalf("%q: no results", q)
		}
		return res[0]
	}
	for q, want := range map[string]string{
		"west alliance":  "cancer-alliance E56000901 2023",
		"alliance west":  "cancer-alliance E56000901 2023", // words in any order
		"E56000902":      "cancer-alliance E56000902 2023",
		"e56000952":      "cancer-alliance E56000952 2024",
		"st marys":       "site RBB01 ",
		"saint mary's":   "site RBB01 ",
		"ST MARY'S EAST": "trust RBB ",
		"raa":            "trust RAA ",
		"west general":   "site RAA01 ",
		"two":            "council E08000002 ",
		"AA1 1AA":        "postcode AA1 1AA ",
		"aa1":            "outcode AA1 ",
	} {
		r := first(q)
		if got := r.Kind + " " + r.Code + " " + string(r.Edition); got != want {
			t.Errorf("%q: first %s (%s), want %s", q, got, r.Name, want)
		}
	}
	// Older editions are marked and rank below the default edition's.
	res, _ := s.Search("east alliance", 10)
	var eds []string
	for _, r := range res {
		if r.Kind == string(CancerAlliance) {
			eds = append(eds, string(r.Edition)+map[bool]string{true: "(older)"}[r.Older])
		}
	}
	if len(eds) < 2 || eds[0] != "2023" || !slices.Contains(eds, "2021(older)") {
		t.Errorf("east alliance editions = %v", eds)
	}
	// A council answers with its alliances and their shares.
	if r := first("one"); r.Kind != SearchCouncil || len(r.Alliances) != 1 || r.Alliances[0].Code != "E56000901" {
		t.Errorf("council One = %+v", r)
	}
	if res, err := s.Search("zzzz nothing", 5); err != nil || len(res) != 0 {
		t.Errorf("no match: %v %v", res, err)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("a", MaxSearchQuery+1), "\xff\xfe"} {
		if _, err := s.Search(bad, 5); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: err = %v, want invalid", bad, err)
		}
	}
}

// TestSearchRanking: the first result for queries people type, on the real data.
func TestSearchRanking(t *testing.T) {
	s := realSnapshot(t)
	for _, tt := range []struct {
		q     string
		kinds []string // acceptable "kind code" of the first result
	}{
		{"sheffield teaching", []string{"trust RHQ"}},
		{"RGT", []string{"trust RGT"}},
		{"addenbrooke", []string{"site RGT01", "trust RGT"}},
		{"addenbrooke's", []string{"site RGT01", "trust RGT"}},
		{"derbyshire dales", []string{"council E07000035"}},
		{"christie", []string{"trust RBV", "site RBV01"}},
		{"guys and st thomas", []string{"trust RJ1"}},
		{"guy's & saint thomas'", []string{"trust RJ1"}},
		{"south yorkshire and bassetlaw", []string{"cancer-alliance E56000025"}},
		{"E54000061", []string{"icb E54000061"}},
		{"S1 2HE", []string{"postcode S1 2HE"}},
	} {
		res, err := s.Search(tt.q, 10)
		if err != nil {
			t.Fatal(err)
		}
		got := "nothing"
		if len(res) > 0 {
			got = res[0].Kind + " " + res[0].Code
		}
		if !slices.Contains(tt.kinds, got) {
			t.Errorf("%q: first %s, want one of %v (results %v)", tt.q, got, tt.kinds, names(res))
		}
	}
	// A query that reads two ways gets both.
	for q, want := range map[string][]string{"RH8": {"outcode RH8", "trust RH8"}, "N80": {"outcode N80", "cancer-alliance E56000025"}} {
		res, _ := s.Search(q, 10)
		var got []string
		for _, r := range res {
			got = append(got, r.Kind+" "+r.Code)
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %v lacks %s", q, got, w)
			}
		}
	}
	// A council in two alliances answers with both and their shares.
	res, _ := s.Search("north yorkshire", 20)
	for _, r := range res {
		if r.Kind == SearchCouncil && r.Code == "E06000065" {
			if len(r.Alliances) < 2 {
				t.Errorf("North Yorkshire council alliances = %+v, want two with shares", r.Alliances)
			}
		}
	}
	// Places, told apart by their council.
	res, _ = s.Search("abbey", 50)
	districts := map[string]bool{}
	for _, r := range res {
		if r.Kind == SearchPlace && r.Name == "Abbey" {
			districts[r.Detail] = true
			if r.Lat == nil {
				t.Errorf("place %s has no location", r.Code)
			}
		}
	}
	if len(districts) < 3 {
		t.Errorf("places named Abbey in %d councils, want several", len(districts))
	}
}

// BenchmarkSearch runs a realistic mix of queries (names, partial words, codes, postcodes) and
// reports the 99th percentile.
func BenchmarkSearch(b *testing.B) {
	s := realSnapshot(b)
	queries := []string{"sheffield", "sheffield teaching", "addenbrooke", "christie", "RGT", "RH8", "N80", "S1 2HE", "S18",
		"derbyshire dales", "st thomas", "royal", "north", "leeds", "manchester royal infirmary", "E56000025", "abbey", "kings",
		"west", "hosp", "guy's", "barnsley", "cornwall", "e", "london"}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		if _, err := s.Search(queries[i%len(queries)], 10); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
}

func names(res []SearchResult) []string {
	var out []string
	for _, r := range res {
		out = append(out, r.Kind+" "+r.Code+" "+r.Name)
	}
	return out
}
