package data

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addFile adds the bytes of a fixture to a fuzz corpus.
func addFile(f *testing.F, path ...string) []byte {
	b, err := os.ReadFile(filepath.Join(path...))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	return b
}

// FuzzReadLookup: ReadLookup never panics; an error names the file; what it accepts is
// rectangular, trimmed, in line order, and every column can be asked for.
func FuzzReadLookup(f *testing.F) {
	addFile(f, "testdata", "lookup", "lsoa11-ccg21-stp21-cal21-lad21.csv")
	addFile(f, "testdata", "lookup", "lsoa11-sicbl22-icb22-lad22.csv.gz")
	f.Add([]byte("lsoa21_code,lsoa21_name,LSOA11CD,lad_code,LADCD,FID\nE1, a ,E2,E3,E4,1\n"))
	f.Add([]byte("LSOA11CD,LAD21CD\n\"E1\nx\",\"E\"\"2\"\r\n"))
	f.Add([]byte("LSOA11CD\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ReadLookup(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(l.Rows) == 0 || len(l.Lines) != len(l.Rows) || len(l.Header) != len(l.Raw) {
			t.Fatalf("%d rows, %d lines, header %q raw %q", len(l.Rows), len(l.Lines), l.Header, l.Raw)
		}
		for i, r := range l.Rows {
			if len(r) != len(l.Header) || l.Lines[i] < 2 || i > 0 && l.Lines[i] <= l.Lines[i-1] {
				t.Fatalf("row %d (line %d): %q", i, l.Lines[i], r)
			}
			for _, v := range r {
				if v != strings.TrimSpace(v) {
					t.Fatalf("row %d: value %q not trimmed", i, v)
				}
			}
		}
		for i, h := range l.Header {
			c, err := l.Column(h)
			if err == nil && (c < 0 || c >= len(l.Header)) || err != nil && c != -1 {
				t.Fatalf("Column(%q) = %d, %v", h, c, err)
			}
			if k, _ := LookupKey(l.Raw[i]); k != h {
				t.Fatalf("LookupKey(%q) = %q, header says %q", l.Raw[i], k, h)
			}
		}
	})
}

// FuzzReadTrusts: ReadTrusts never panics; what it accepts has unique ODS codes, names and
// consistent dates.
func FuzzReadTrusts(f *testing.F) {
	addFile(f, "testdata", "etr.csv")
	f.Add([]byte(`"RHQ","X","","","","","","","","s5 7au","20010431","","","","","","","","","","","1","","D","","",""`))
	f.Add([]byte(`"RHQ","X","","","","","","","","","20010401","19990101","","","","","","","","","","1","","D","","",""` + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := ReadTrusts(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		seen := map[string]bool{}
		for i, tr := range ts {
			if !isODSCode(tr.Code) || seen[tr.Code] || tr.Name == "" || tr.Opened.IsZero() ||
				!tr.Closed.IsZero() && tr.Closed.Before(tr.Opened) || i > 0 && tr.Line <= ts[i-1].Line || len(tr.Address) > 5 {
				t.Fatalf("bad trust %d: %+v", i, tr)
			}
			seen[tr.Code] = true
			for _, a := range tr.Address {
				if a == "" {
					t.Fatalf("empty address line in %+v", tr)
				}
			}
		}
	})
}

// FuzzReadableName: ReadableName never panics, changes only letter case (ASCII input keeps
// its length and letters), and is idempotent.
func FuzzReadableName(f *testing.F) {
	for _, s := range []string{
		"SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST", "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
		"ST MARY’S", "STOKE-ON-TRENT", "WESTON-SUPER-MARE - THE (ANNEXE): OF", "O'NEILL", "2GETHER 3RD 03N", "Mc'Laren Of",
		"ÉCOLE İSTANBUL ǅ ß", "\xff\xfe", "", "'S", "-LE", "١٢٣RD", "A&E",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ReadableName(s)
		if again := ReadableName(got); again != got {
			t.Fatalf("ReadableName(%q) = %q, but ReadableName(%q) = %q", s, got, got, again)
		}
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < utf8.RuneSelf
		}
		if ascii && (len(got) != len(s) || !strings.EqualFold(got, s)) {
			t.Fatalf("ReadableName(%q) = %q: more than the case changed", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("ReadableName(%q) = %q: not valid UTF-8", s, got)
		}
	})
}

// FuzzReadTrustAlliances: ReadTrustAlliances never panics; what it accepts has unique trust
// codes and alliance names and codes that come together.
func FuzzReadTrustAlliances(f *testing.F) {
	addFile(f, "testdata", "ods_ca_mapping.csv")
	f.Add([]byte("cancer_alliance_code,ods_code,cancer_alliance_name,ods_name\nN80,RHQ,SYB,S\n"))
	f.Add([]byte("ods_code,ods_name,cancer_alliance_name,cancer_alliance_code,notes\r\nRHQ,x,,N80,\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := ReadTrustAlliances(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		seen := map[string]bool{}
		for i, r := range rows {
			if !isODSCode(r.TrustCode) || seen[r.TrustCode] || (r.AllianceName == "") != (r.AllianceCode == "") ||
				r.AllianceCode != "" && !isODSCode(r.AllianceCode) || r.Line < 2 || i > 0 && r.Line <= rows[i-1].Line {
				t.Fatalf("bad row %d: %+v", i, r)
			}
			seen[r.TrustCode] = true
		}
	})
}

// FuzzReadHospitals: ReadHospitals never panics; what it accepts is valid UTF-8 with unique
// site codes, names and positions in range (zero when absent).
func FuzzReadHospitals(f *testing.F) {
	addFile(f, "testdata", "Hospital.csv")
	f.Add([]byte("\ufeffOrganisationCode¬OrganisationName¬Postcode¬Latitude¬Longitude¬ParentODSCode¬IsPimsManaged\nRHQHH¬Royal¬S10 2JF¬53.3¬-1.4¬RHQ¬True\n"))
	f.Add([]byte("OrganisationCode\xacOrganisationName\xacPostcode\xacLatitude\xacLongitude\xacParentODSCode\r\nA1\xac\x92\x81\xac\xac\xac\xac\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sites, err := ReadHospitals(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		seen := map[string]bool{}
		for i, s := range sites {
			if !isODSCode(s.Code) || seen[s.Code] || s.Name == "" || i > 0 && s.Line <= sites[i-1].Line ||
				!s.HasLocation && (s.Lat != 0 || s.Lon != 0) || !(s.Lat >= -90 && s.Lat <= 90 && s.Lon >= -180 && s.Lon <= 180) {
				t.Fatalf("bad site %d: %+v", i, s)
			}
			seen[s.Code] = true
			for _, v := range append([]string{s.ID, s.Name, s.City, s.County, s.Postcode, s.ParentName, s.Phone, s.Email, s.Website, s.Fax, s.Sector}, s.Address...) {
				if !utf8.ValidString(v) || v != strings.TrimSpace(v) {
					t.Fatalf("site %d: field %q", i, v)
				}
			}
		}
	})
}

// FuzzReadCodeList: ReadCodeList never panics on any bytes (a workbook or not), and the sheet
// reading never panics on any cells: the input, read as lines of "SHEET<tab>name<tab>code"
// cells, is given to it as a workbook's sheets. What it accepts has GSS codes with names, each
// on one known sheet.
func FuzzReadCodeList(f *testing.F) {
	addFile(f, "testdata", "Codelist.xlsx")
	f.Add([]byte("DIS\tBassetlaw District\tE07000171\nLBO\tBarnet\tE09000003\nMTD\tSheffield\tE08000039\nUTA\tHartlepool\tE06000001\n" +
		"DIW\tMilton Ward (DET)\tE05011301\nDIW\tMilton Ward\tE05011301\nUTW\t\t\nAREA_CODES\tDIS\tDistrict\nCTY\tDevon\tE10000008\tx\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := ReadCodeList(bytes.NewReader(b), "fuzz.xlsx"); err != nil && !strings.HasPrefix(err.Error(), "fuzz.xlsx") {
			t.Fatalf("error %q does not name the file", err)
		}
		sheets := map[string][][]string{}
		var names []string
		for _, line := range strings.Split(string(b), "\n") {
			cells := strings.Split(line, "\t")
			if _, ok := sheets[cells[0]]; !ok {
				names = append(names, cells[0])
			}
			sheets[cells[0]] = append(sheets[cells[0]], cells[1:])
		}
		cl, err := codeListFromSheets("fuzz.xlsx", names, func(s string) ([][]string, error) { return sheets[s], nil })
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.xlsx") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(cl.Districts) == 0 || len(cl.Sheet) != len(cl.Counties)+len(cl.Districts)+len(cl.Wards) {
			t.Fatalf("%d districts; %d codes on sheets, %d+%d+%d in the maps", len(cl.Districts), len(cl.Sheet), len(cl.Counties), len(cl.Districts), len(cl.Wards))
		}
		for code, sheet := range cl.Sheet {
			if !isGSSCode(code) || cl.Name(code) == "" || !strings.Contains("CTY DIS LBO MTD UTA DIW LBW MTW UTE UTW", sheet) || len(sheet) != 3 {
				t.Fatalf("code %q on sheet %q named %q", code, sheet, cl.Name(code))
			}
		}
	})
}
