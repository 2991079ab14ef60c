package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
)

func TestReadCodeListFixture(t *testing.T) {
	cl, err := ReadCodeListFile(filepath.Join("testdata", "Codelist.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Counties) != 1 || len(cl.Districts) != 5 || len(cl.Wards) != 5 {
		t.Errorf("%d counties, %d districts, %d wards; want 1, 5, 5", len(cl.Counties), len(cl.Districts), len(cl.Wards))
	}
	tests := []struct{ code, name, sheet string }{
		{"E10000008", "Devon County", "CTY"},
		{"E07000171", "Bassetlaw District", "DIS"},
		{"E08000039", "Sheffield District (B)", "MTD"},
		{"E09000033", "City of Westminster London Boro", "LBO"},
		{"W06000023", "Powys - Powys", "UTA"},            // trimmed
		{"E05011301", "Milton & Waterbeach Ward", "DIW"}, // the detached part comes second
		{"E05012027", "Bisley & West End Ward", "DIW"},   // the detached part comes first
		{"E05015081", "Brigg & Wolds Ward", "UTW"},       // listed twice alike
		{"E05000001", "Abbey Ward", "DIW"},
		{"E05000002", "Abbey Ward", "UTW"},
		{"E99999999", "", ""},
	}
	for _, tt := range tests {
		if got := cl.Name(tt.code); got != tt.name || cl.Sheet[tt.code] != tt.sheet {
			t.Errorf("%s: %q on %q, want %q on %q", tt.code, got, cl.Sheet[tt.code], tt.name, tt.sheet)
		}
	}
	if cl.Kinds["UTW"] != "Unitary Authority Ward" || len(cl.Kinds) != 7 {
		t.Errorf("kinds %v", cl.Kinds)
	}
}

func TestCodeListErrors(t *testing.T) {
	districts := map[string][][]string{
		"DIS": {{"Bassetlaw District", "E07000171"}}, "LBO": {{"Barnet London Boro", "E09000003"}},
		"MTD": {{"Sheffield District (B)", "E08000039"}}, "UTA": {{"Hartlepool (B)", "E06000001"}},
	}
	with := func(sheet string, rows ...[]string) map[string][][]string {
		m := map[string][][]string{}
		for k, v := range districts {
			m[k] = v
		}
		m[sheet] = rows
		return m
	}
	tests := []struct {
		name    string
		sheets  map[string][][]string
		wantErr error
		wantMsg string
	}{
		{"no district sheet", map[string][][]string{"DIS": nil, "LBO": nil, "MTD": nil}, ErrMissingSheet, "c.xlsx: no sheet UTA (have DIS, LBO, MTD"},
		{"empty district sheet", with("MTD", []string{"", ""}), ErrNoRows, "c.xlsx (sheet MTD): no codes"},
		{"bad code", with("DIW", []string{"Abbey Ward", "E0500001"}), ErrMalformedRow, `c.xlsx (sheet DIW): line 1: "Abbey Ward": code "E0500001" is not a GSS code`},
		{"header row", with("DIW", []string{"Name", "Code"}), ErrMalformedRow, `code "Code" is not a GSS code`},
		{"no name", with("UTW", []string{"", "E05000001"}), ErrMalformedRow, `c.xlsx (sheet UTW): line 1: code "E05000001" without a name`},
		{"extra cell", with("DIW", []string{"Abbey Ward", "E05000001", "x"}), ErrMalformedRow, "more than 2 cells"},
		{"same code, two names", with("DIW", []string{"Abbey Ward", "E05000001"}, nil, []string{"Priory Ward", "E05000001"}),
			ErrDuplicateCode, `c.xlsx (sheet DIW): line 3: code E05000001 is "Priory Ward" here and "Abbey Ward" on sheet DIW row 1`},
		{"code on two sheets", with("CTY", []string{"Sheffield County", "E08000039"}), ErrDuplicateCode, `code E08000039 is "Sheffield District (B)" here and "Sheffield County" on sheet CTY row 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var names []string
			for _, s := range []string{"Sheet1", "AREA_CODES", "CTY", "DIS", "DIW", "LBO", "LBW", "MTD", "MTW", "UTA", "UTE", "UTW"} {
				if _, ok := tt.sheets[s]; ok {
					names = append(names, s)
				}
			}
			_, err := codeListFromSheets("c.xlsx", names, func(s string) ([][]string, error) { return tt.sheets[s], nil })
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v\nwant %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
	t.Run("not a workbook", func(t *testing.T) {
		_, err := ReadCodeList(strings.NewReader("DIS,E07000171\n"), "c.xlsx")
		if err == nil || !strings.HasPrefix(err.Error(), "c.xlsx: not a readable .xlsx workbook") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("truncated workbook", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join("testdata", "Codelist.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ReadCodeList(strings.NewReader(string(b[:len(b)/2])), "c.xlsx"); err == nil || !strings.HasPrefix(err.Error(), "c.xlsx: ") {
			t.Errorf("error %v", err)
		}
	})
}

// TestReadCodeListReal reads Code-Point Open's code list. Its ward sheets have 7,947 rows under
// 7,527 names, 246 of them on more than one row; but 3 rows are detached parts ("... (DET)") of
// wards listed again, and one ward (Brigg & Wolds, E05015081) is listed twice: 7,943 wards
// under 7,524 names, 245 names shared by different wards. Every district code of Code-Point
// Open is named.
func TestReadCodeListReal(t *testing.T) {
	cl, err := ReadCodeListFile(testenv.SharedData(t, "postcodes", "codepoint-open-2025-10", "Doc", "Codelist.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	perSheet := map[string]int{}
	for _, s := range cl.Sheet {
		perSheet[s]++
	}
	wardNames := map[string]int{}
	for _, n := range cl.Wards {
		wardNames[n]++
	}
	repeated, det := 0, 0
	for n, c := range wardNames {
		if c > 1 {
			repeated++
		}
		if strings.HasSuffix(n, codeListDetached) {
			det++
		}
	}
	t.Logf("%d counties, %d districts, %d wards (%d distinct names, %d repeated, %d named \"(DET)\"); per sheet %v",
		len(cl.Counties), len(cl.Districts), len(cl.Wards), len(wardNames), repeated, det, perSheet)
	if len(cl.Counties) != 21 || len(cl.Districts) != 350 || len(cl.Wards) != 7943 || len(wardNames) != 7524 || repeated != 245 || det != 0 || len(cl.Kinds) != 10 {
		t.Errorf("%d counties, %d districts, %d wards, %d ward names, %d repeated, %d (DET), %d kinds; want 21, 350, 7943, 7524, 245, 0, 10",
			len(cl.Counties), len(cl.Districts), len(cl.Wards), len(wardNames), repeated, det, len(cl.Kinds))
	}
	if got := cl.Name("E08000039"); got != "Sheffield District (B)" {
		t.Errorf("E08000039 = %q", got)
	}
	// Every district code of Code-Point Open is named.
	if testing.Short() {
		t.Skip("checking every Code-Point district code reads 1.7 million rows; skipped with -short")
	}
	cp := testenv.SharedData(t, "postcodes", "codepoint-open-2025-10")
	missing := map[string]int{}
	n := 0
	err = ReadCodePointDir(cp, func(p CodePoint) error {
		n++
		if p.District != "" && cl.Districts[p.District] == "" {
			missing[p.District]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("%d district codes of %d postcodes not in the code list: %v", len(missing), n, missing)
	}
}
