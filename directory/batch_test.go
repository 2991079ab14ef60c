package directory

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestBatch(t *testing.T) {
	s := fixtureSnapshot(t)
	in := "name,PostCode\nfirst,AA1 1AA\nsecond,aa11ab\nbad,xx\nwales,CF1 1AA\nempty,\nsector,AA2 1ZZ\nunknown,AA9 9ZZ\noutcode,aa1\nni,BT1 1AA\n"
	var out bytes.Buffer
	rep, err := s.Batch(context.Background(), strings.NewReader(in), &out, BatchOptions{Edition: "2021"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 9 || rep.Answered != 3 || rep.Errors != 6 || rep.Edition != "2021" {
		t.Errorf("report = %+v, want edition 2021, 9 rows, 3 answered, 6 errors", rep)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"name", "PostCode", "country", "cancer_alliance_code", "cancer_alliance_name", "footprint_code", "footprint_name", "nhs_region_code", "nhs_region_name", "match", "error", "cancer_alliance_2024_code", "cancer_alliance_2024_name"},
		{"first", "AA1 1AA", "England", "E56000901", "West Alliance", "E54000902", "South Footprint", "", "", "district", "", "E56000901", "West Alliance"},
		{"second", "aa11ab", "England", "E56000902", "East Alliance", "E54000902", "South Footprint", "", "", "district", "", "E56000952", "East Alliance"},
		{"bad", "xx", "", "", "", "", "", "", "", "", apiMessage(s, "xx"), "", ""},
		{"wales", "CF1 1AA", "Wales", "", "", "", "", "", "", "", apiMessage(s, "CF1 1AA"), "", ""},
		{"empty", "", "", "", "", "", "", "", "", "", apiMessage(s, ""), "", ""},
		{"sector", "AA2 1ZZ", "England", "E56000901", "West Alliance", "E54000902", "South Footprint", "", "", "sector", "", "E56000901", "West Alliance"},
		{"unknown", "AA9 9ZZ", "", "", "", "", "", "", "", "", apiMessage(s, "AA9 9ZZ"), "", ""},
		{"outcode", "aa1", "", "", "", "", "", "", "", "", "AA1 is an outcode, not a full postcode: the batch answers full postcodes (ask /api/v1/outcodes/AA1 for its areas and shares)", "", ""},
		{"ni", "BT1 1AA", "Northern Ireland", "", "", "", "", "", "", "", apiMessage(s, "BT1 1AA"), "", ""},
	}
	for _, msg := range []string{want[3][10], want[4][10], want[5][10], want[7][10], want[9][10]} {
		if msg == "" {
			t.Fatal("the API gives no message for a row the batch cannot answer")
		}
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
}

// apiMessage is what LookupPostcode says of a postcode it cannot answer with areas: its error's
// message, or the statement of an answer outside England.
func apiMessage(s *Snapshot, pc string) string {
	res, err := s.LookupPostcode(pc, "2021")
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if err != nil || res.Full == nil {
		return fmt.Sprint(err)
	}
	return res.Full.Statement
}

func TestBatchRegionColumns(t *testing.T) {
	s := fixtureSnapshot(t)
	var out bytes.Buffer
	if _, err := s.Batch(context.Background(), strings.NewReader("pcds\nAA1 1AA\n"), &out, BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSpace(out.String()), "\n")[1]; got != "AA1 1AA,England,E56000901,West Alliance,E54000904,NHS South Integrated Care Board,E40000901,Middle,inside,,E56000901,West Alliance" {
		t.Errorf("2023 row = %s", got)
	}
}

func TestBatchErrors(t *testing.T) {
	s := fixtureSnapshot(t)
	tests := []struct {
		name, in string
		opt      BatchOptions
		code     string
		msg      string
	}{
		{"empty input", "", BatchOptions{}, "empty_csv", "empty"},
		{"no postcode column", "a,b\n1,2\n", BatchOptions{}, "no_postcode_column", "--column"},
		{"named column missing", "postcode\nAA1 1AA\n", BatchOptions{Column: "pc"}, "no_postcode_column", `"pc"`},
		{"bare quote", "postcode,x\nAA1 1AA,1\nAA1 1AB,\"2\n", BatchOptions{}, "malformed_csv", "line 3"},
		{"wrong field count", "postcode,x\nAA1 1AA,1\nAA1 1AB\n", BatchOptions{}, "malformed_csv", "line 3"},
		{"unknown edition", "postcode\nAA1 1AA\n", BatchOptions{Edition: "1066"}, "unknown_edition", "1066"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Batch(context.Background(), strings.NewReader(tt.in), &bytes.Buffer{}, tt.opt)
			var de *Error
			if !errors.As(err, &de) || de.Code != tt.code || !strings.Contains(de.Message, tt.msg) {
				t.Fatalf("err = %v, want %s mentioning %q", err, tt.code, tt.msg)
			}
		})
	}
}

// FuzzBatch feeds arbitrary CSV to Batch: it never panics, and when it succeeds every input
// row comes out, in order, with the added columns.
func FuzzBatch(f *testing.F) {
	for _, seed := range []string{"postcode\nAA1 1AA\n", "postcode,x\n\"AA1\n1AB\",1\n", "pcd\n\n", "a\n\"", "postcode\nBT1 1AA\nGIR 0AA\nAA1\n", "\ufeffPostcode\r\nAA1 1AA\r\n"} {
		f.Add(seed)
	}
	s := fixtureSnapshot(f)
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		rep, err := s.Batch(context.Background(), strings.NewReader(in), &out, BatchOptions{})
		if err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		r := csv.NewReader(&out)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("output is not CSV: %v", err)
		}
		if len(rows) != rep.Rows+1 || rep.Answered+rep.Errors != rep.Rows {
			t.Fatalf("%d output rows for report %+v", len(rows), rep)
		}
	})
}
