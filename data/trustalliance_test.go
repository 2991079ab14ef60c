package data

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
)

func TestReadTrustAlliancesFixture(t *testing.T) {
	rows, err := ReadTrustAlliancesFile(filepath.Join("testdata", "ods_ca_mapping.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows, want 6", len(rows))
	}
	want := TrustAlliance{Line: 3, TrustCode: "RJ1", TrustName: "Guy’s and St Thomas’ NHS Foundation Trust",
		AllianceName: "South East London Cancer Alliance", AllianceCode: "N47"}
	if rows[1] != want {
		t.Errorf("row 1 = %+v\nwant    %+v", rows[1], want)
	}
	if r := rows[3]; r.TrustCode != "RTG" || !strings.HasPrefix(r.Notes, "Queen's Hospital Burton (part of") || r.Line != 5 {
		t.Errorf("row 3 = %+v", r)
	}
	if r := rows[4]; r.AllianceCode != "L0S3P" {
		t.Errorf("row 4 = %+v", r)
	}
	// Unassigned (ambulance) trust on the last line, which has no line end.
	if r := rows[5]; r.TrustCode != "RX9" || r.AllianceName != "" || r.AllianceCode != "" || r.Line != 7 {
		t.Errorf("last row = %+v", r)
	}
}

func TestReadTrustAlliancesErrors(t *testing.T) {
	const header = "ods_code,ods_name,cancer_alliance_name,cancer_alliance_code,notes\n"
	const row = "RHQ,Sheffield Teaching Hospitals NHS Foundation Trust,South Yorkshire and Bassetlaw Cancer Alliance,N80,\n"
	tests := []struct {
		name, doc string
		wantErr   error
		wantMsg   string
	}{
		{"empty", "", ErrMissingColumn, "m.csv: empty file"},
		{"missing column", "ods_code,ods_name\nRHQ,x\n", ErrMissingColumn, "m.csv: line 1: header lacks column(s) cancer_alliance_name, cancer_alliance_code"},
		{"header only", header, ErrNoRows, "m.csv: header but no data rows"},
		{"bad code", header + strings.Replace(row, "RHQ", "rhq", 1), ErrMalformedRow, `m.csv: line 2: ods_code "rhq" is not an ODS code`},
		{"duplicate", header + row + row, ErrDuplicateCode, "m.csv: line 3: trust RHQ already on line 2"},
		{"name without code", header + strings.Replace(row, "N80", "", 1), ErrMalformedRow, "RHQ: cancer_alliance_name \"South Yorkshire and Bassetlaw Cancer Alliance\" but cancer_alliance_code \"\": need both or neither"},
		{"bad alliance code", header + strings.Replace(row, "N80", "E56000023 x", 1), ErrMalformedRow, `cancer_alliance_code "E56000023 x" is not an ODS code`},
		{"short row", header + "RHQ,x\n", ErrMalformedRow, "m.csv: line 2: wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTrustAlliances(strings.NewReader(tt.doc), "m.csv")
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v\nwant %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
	t.Run("columns in another order, no notes", func(t *testing.T) {
		rows, err := ReadTrustAlliances(strings.NewReader("CANCER_ALLIANCE_CODE,ods_code,cancer_alliance_name,ods_name\nN80,RHQ,SYB,Sheffield\n"), "m.csv")
		if err != nil || len(rows) != 1 || rows[0] != (TrustAlliance{Line: 2, TrustCode: "RHQ", TrustName: "Sheffield", AllianceName: "SYB", AllianceCode: "N80"}) {
			t.Errorf("%+v, %v", rows, err)
		}
	})
}

// TestReadTrustAlliancesReal reads the Bennett Institute mapping: 205 trusts, 141 assigned to
// the 20 alliances, notes on the trusts that work with two.
func TestReadTrustAlliancesReal(t *testing.T) {
	rows, err := ReadTrustAlliancesFile(testenv.SharedData(t, "sources", "bennett-trust-cancer-alliance-2026", "ods_ca_mapping.csv"))
	if err != nil {
		t.Fatal(err)
	}
	assigned, notes := 0, 0
	alliances := map[string]string{}
	for _, r := range rows {
		if r.AllianceCode != "" {
			assigned++
			if prev, ok := alliances[r.AllianceCode]; ok && prev != r.AllianceName {
				t.Errorf("line %d: alliance %s is %q, earlier %q", r.Line, r.AllianceCode, r.AllianceName, prev)
			}
			alliances[r.AllianceCode] = r.AllianceName
		}
		if r.Notes != "" {
			notes++
			t.Logf("line %d %s: %s", r.Line, r.TrustCode, r.Notes)
		}
	}
	t.Logf("%d rows, %d assigned to %d alliances, %d with notes", len(rows), assigned, len(alliances), notes)
	if len(rows) != 205 || assigned != 141 || len(alliances) != 20 || notes != 5 {
		t.Errorf("%d rows, %d assigned, %d alliances, %d notes; want 205, 141, 20, 5", len(rows), assigned, len(alliances), notes)
	}
	if last := rows[len(rows)-1]; last.Line != 206 {
		t.Errorf("last row on line %d, want 206", last.Line)
	}
}
