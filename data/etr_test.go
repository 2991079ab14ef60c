package data

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhs-geo/alliance/internal/testenv"
)

func TestReadTrustsFixture(t *testing.T) {
	ts, err := ReadTrustsFile(filepath.Join("testdata", "etr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 5 {
		t.Fatalf("%d trusts, want 5", len(ts))
	}
	rhq := ts[1]
	want := Trust{Line: 2, Code: "RHQ", Name: "SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST", NationalGrouping: "Y63",
		HealthGeography: "QF7", Address: []string{"NORTHERN GENERAL HOSPITAL", "HERRIES ROAD", "SHEFFIELD"}, Postcode: "S5 7AU",
		Opened: time.Date(2001, 4, 1, 0, 0, 0, 0, time.UTC), Phone: "0114 243 4343", GOR: "D"}
	if rhq.Line != want.Line || rhq.Code != want.Code || rhq.Name != want.Name || rhq.NationalGrouping != want.NationalGrouping ||
		rhq.HealthGeography != want.HealthGeography || strings.Join(rhq.Address, "|") != strings.Join(want.Address, "|") ||
		rhq.Postcode != want.Postcode || !rhq.Opened.Equal(want.Opened) || !rhq.Closed.IsZero() || rhq.Phone != want.Phone || rhq.GOR != want.GOR {
		t.Errorf("RHQ = %+v\nwant  %+v", rhq, want)
	}
	if c := ts[0]; c.Code != "R0C" || !c.Closed.Equal(time.Date(2020, 3, 26, 0, 0, 0, 0, time.UTC)) || c.Phone != "" {
		t.Errorf("R0C = %+v, want closed 2020-03-26", c)
	}
	// Welsh trust: no region or ICB; a postcode written loosely is normalised; four address lines.
	if w := ts[3]; w.NationalGrouping != "" || w.HealthGeography != "" || w.GOR != "W" || w.Postcode != "LL17 0LJ" || len(w.Address) != 4 {
		t.Errorf("RT4 = %+v", w)
	}
	if ts[2].Name != "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" {
		t.Errorf("name changed: %q", ts[2].Name)
	}
}

func TestReadTrustsErrors(t *testing.T) {
	const row = `"RHQ","SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST","Y63","QF7","NORTHERN GENERAL HOSPITAL","HERRIES ROAD","","SHEFFIELD","","S5 7AU","20010401","","","","","","","0114 243 4343","","","","1","","D","","",""`
	tests := []struct {
		name, doc string
		wantErr   error
		wantMsg   string
	}{
		{"empty", "", ErrNoRows, "etr.csv: no rows"},
		{"header row", strings.Replace(row, `"RHQ"`, `"Organisation Code"`, 1), ErrMalformedRow, `etr.csv: line 1: code "Organisation Code" is not an ODS code (is there a header row?`},
		{"too few fields", row + "\n" + `"RHR","X"`, ErrMalformedRow, "etr.csv: line 2: wrong number of fields"},
		{"duplicate", row + "\n" + row, ErrDuplicateCode, "etr.csv: line 2: code RHQ already on line 1"},
		{"empty name", strings.Replace(row, "SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST", " ", 1), ErrMalformedRow, "RHQ: empty name"},
		{"bad open date", strings.Replace(row, "20010401", "2001-04-01", 1), ErrMalformedRow, `RHQ: open date "2001-04-01" is not a date (YYYYMMDD)`},
		{"no open date", strings.Replace(row, "20010401", "", 1), ErrMalformedRow, `RHQ: open date "" is not a date`},
		{"impossible date", strings.Replace(row, "20010401", "20010231", 1), ErrMalformedRow, `open date "20010231"`},
		{"bad close date", strings.Replace(row, `"20010401",""`, `"20010401","2020"`, 1), ErrMalformedRow, `RHQ: close date "2020" is not a date`},
		{"closed before opened", strings.Replace(row, `"20010401",""`, `"20010401","20000101"`, 1), ErrMalformedRow, "RHQ: closed 20000101 before it opened 20010401"},
		{"bare quote", `"RHQ,"x"` + "\n", ErrMalformedRow, "etr.csv: line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTrusts(strings.NewReader(tt.doc), "etr.csv")
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v\nwant %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
	t.Run("byte-order mark", func(t *testing.T) {
		ts, err := ReadTrusts(strings.NewReader("\ufeff"+row), "etr.csv")
		if err != nil || len(ts) != 1 || ts[0].Code != "RHQ" {
			t.Errorf("%+v, %v", ts, err)
		}
	})
	t.Run("gzip", func(t *testing.T) {
		ts, err := ReadTrusts(strings.NewReader(string(gzipBytes(t, row+"\r\n"))), "etr.csv.gz")
		if err != nil || len(ts) != 1 || ts[0].Code != "RHQ" {
			t.Errorf("%+v, %v", ts, err)
		}
	})
}

// TestReadTrustsReal reads the ODS trust list: 274 trusts, 202 open, as its SOURCE.txt says.
func TestReadTrustsReal(t *testing.T) {
	path := testenv.SharedData(t, "sources", "ods-etr-2026", "etr.csv")
	ts, err := ReadTrustsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	open, welsh, noPhone, badPostcode := 0, 0, 0, 0
	var newest time.Time
	for _, tr := range ts {
		if tr.Closed.IsZero() {
			open++
			if tr.GOR == "W" {
				welsh++
			}
		}
		if tr.Phone == "" {
			noPhone++
		}
		if p, err := ParsePostcode(tr.Postcode); err != nil || p.Kind != FullPostcode || p.Normalised != tr.Postcode {
			badPostcode++
			t.Errorf("line %d %s: postcode %q", tr.Line, tr.Code, tr.Postcode)
		}
		for _, d := range []time.Time{tr.Opened, tr.Closed} {
			if d.After(newest) {
				newest = d
			}
		}
	}
	t.Logf("%d trusts, %d open (%d Welsh), %d without phone, newest date %s", len(ts), open, welsh, noPhone, newest.Format("2006-01-02"))
	if len(ts) != 274 || open != 202 || welsh != 3 {
		t.Errorf("%d trusts, %d open, %d open Welsh; want 274, 202, 3", len(ts), open, welsh)
	}
	if !newest.Equal(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("newest date %s, want 2026-06-30", newest.Format("2006-01-02"))
	}
}
