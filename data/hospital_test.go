package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
	"golang.org/x/text/encoding/charmap"
)

func TestReadHospitalsFixture(t *testing.T) {
	check := func(t *testing.T, sites []HospitalSite) {
		t.Helper()
		if len(sites) != 5 {
			t.Fatalf("%d sites, want 5", len(sites))
		}
		rh := sites[0]
		if rh.Line != 2 || rh.ID != "40860" || rh.Code != "RHQHH" || rh.Type != "Hospital" || rh.SubType != "Hospital" ||
			rh.Sector != "NHS Sector" || rh.Status != "Visible" || !rh.PIMSManaged || rh.Name != "Royal Hallamshire Hospital" ||
			strings.Join(rh.Address, "|") != "Glossop Road" || rh.City != "Sheffield" || rh.County != "South Yorkshire" ||
			rh.Postcode != "S10 2JF" || !rh.HasLocation || rh.Lat != 53.37835693359375 || rh.Lon != -1.4933162927627563 ||
			rh.ParentCode != "RHQ" || rh.ParentName != "Sheffield Teaching Hospitals NHS Foundation Trust" ||
			rh.Phone != "0114 27 11900" || rh.Email != "" || rh.Website != "http://www.sth.nhs.uk" || rh.Fax != "" {
			t.Errorf("Royal Hallamshire = %+v", rh)
		}
		// Windows-1252 0x92 is a curly apostrophe.
		if b := sites[1]; strings.Join(b.Address, "|") != "St Bartholomew’s Hospital|West Smithfield" || b.Name != "St Bartholomew's Hospital" {
			t.Errorf("Barts = %+v", b)
		}
		// Jersey: no coordinates.
		if j := sites[2]; j.HasLocation || j.Lat != 0 || j.Lon != 0 || j.PIMSManaged || j.County != "" || j.Postcode != "JE1 3UH" {
			t.Errorf("Jersey = %+v", j)
		}
		// After a blank line (so on line 6): trailing spaces trimmed; Address1 empty.
		if p := sites[3]; p.Line != 6 || p.Name != "Priory Hospital Ticehurst" || p.Fax != "01580 201 006" || strings.Join(p.Address, "|") != "Ticehurst" {
			t.Errorf("Priory = %+v", p)
		}
		// Quotes are ordinary characters; loose postcode normalised; website as given; no parent.
		if z := sites[4]; z.Name != `"Quoted" Café` || z.Postcode != "LS1 3EX" || z.Website != "www.example.nhs.uk" || z.ParentCode != "" ||
			z.SubType != "Mental Health Hospital" || z.PIMSManaged {
			t.Errorf("last = %+v", z)
		}
	}
	path := filepath.Join("testdata", "Hospital.csv")
	t.Run("Windows-1252", func(t *testing.T) {
		sites, err := ReadHospitalsFile(path)
		if err != nil {
			t.Fatal(err)
		}
		check(t, sites)
	})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	utf8Doc, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("UTF-8 with BOM, gzipped, LF", func(t *testing.T) {
		doc := "\ufeff" + strings.ReplaceAll(string(utf8Doc), "\r\n", "\n")
		sites, err := ReadHospitals(strings.NewReader(string(gzipBytes(t, doc))), "Hospital.csv.gz")
		if err != nil {
			t.Fatal(err)
		}
		check(t, sites)
	})
}

func TestReadHospitalsErrors(t *testing.T) {
	const header = "OrganisationCode¬OrganisationName¬Postcode¬Latitude¬Longitude¬ParentODSCode\n"
	const row = "RHQHH¬Royal Hallamshire Hospital¬S10 2JF¬53.378¬-1.493¬RHQ\n"
	tests := []struct {
		name, doc string
		wantErr   error
		wantMsg   string
	}{
		{"empty", "\r\n", ErrMissingColumn, "h.csv: empty file"},
		{"not separated by ¬", "OrganisationCode,OrganisationName\n", ErrMissingColumn, `h.csv: line 1: header has no "¬" separator`},
		{"missing column", "OrganisationCode¬OrganisationName\n", ErrMissingColumn, "h.csv: line 1: header lacks column(s) postcode, latitude, longitude, parentodscode"},
		{"header only", header, ErrNoRows, "h.csv: header but no data rows"},
		{"short row (line break in a field)", header + "RHQHH¬Royal\nHallamshire¬S10 2JF¬53.378¬-1.493¬RHQ\n", ErrMalformedRow, "h.csv: line 2: expected 6 fields, got 2 (a line break inside a field?)"},
		{"duplicate", header + row + row, ErrDuplicateCode, "h.csv: line 3: site RHQHH already on line 2"},
		{"bad code", header + strings.Replace(row, "RHQHH", "", 1), ErrMalformedRow, `h.csv: line 2: OrganisationCode "" is not an ODS code`},
		{"no name", header + strings.Replace(row, "Royal Hallamshire Hospital", " ", 1), ErrMalformedRow, "RHQHH: empty OrganisationName"},
		{"bad parent", header + strings.Replace(row, "¬RHQ\n", "¬R H Q\n", 1), ErrMalformedRow, `RHQHH: ParentODSCode "R H Q" is not an ODS code`},
		{"latitude only", header + strings.Replace(row, "-1.493", "", 1), ErrMalformedRow, `RHQHH: Latitude "53.378" and Longitude "": need both or neither`},
		{"bad latitude", header + strings.Replace(row, "53.378", "north", 1), ErrMalformedRow, `RHQHH: Latitude "north", Longitude "-1.493" is not a WGS84 position`},
		{"latitude out of range", header + strings.Replace(row, "53.378", "91", 1), ErrMalformedRow, "is not a WGS84 position"},
		{"NaN", header + strings.Replace(row, "53.378", "NaN", 1), ErrMalformedRow, "is not a WGS84 position"},
		{"bad PIMS", "OrganisationCode¬OrganisationName¬Postcode¬Latitude¬Longitude¬ParentODSCode¬IsPimsManaged\n" + strings.TrimSuffix(row, "\n") + "¬Maybe\n", ErrMalformedRow, `RHQHH: IsPimsManaged "Maybe" is not True or False`},
		{"invalid UTF-8", "\ufeff" + strings.Replace(header, "¬", "\u00ac", -1) + strings.Replace(row, "Royal", "R\xffyal", 1), ErrMalformedRow, "h.csv: line 2: field 2 (OrganisationName): not valid UTF-8"},
		{"line too long", header + strings.Repeat("x", 70000), ErrMalformedRow, "h.csv: line 2: line too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc
			if !strings.HasPrefix(doc, "\ufeff") { // Windows-1252, as NHS.UK publishes it
				doc = strings.ReplaceAll(doc, "¬", "\xac")
			}
			_, err := ReadHospitals(strings.NewReader(doc), "h.csv")
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v\nwant %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
}

// TestReadHospitalsReal reads NHS.UK's hospital list: 1,165 sites, one (Jersey) without
// coordinates, all in or near the British Isles.
func TestReadHospitalsReal(t *testing.T) {
	sites, err := ReadHospitalsFile(testenv.SharedData(t, "sources", "nhsuk-hospitals", "Hospital.csv"))
	if err != nil {
		t.Fatal(err)
	}
	noLoc, nhsSector, parents, nonASCII, badPostcode := 0, 0, map[string]bool{}, 0, 0
	for _, s := range sites {
		if !s.HasLocation {
			noLoc++
			t.Logf("line %d %s %q: no coordinates", s.Line, s.Code, s.Name)
		} else if s.Lat < 49.8 || s.Lat > 60.9 || s.Lon < -8.7 || s.Lon > 1.8 {
			t.Errorf("line %d %s: %f,%f outside Great Britain", s.Line, s.Code, s.Lat, s.Lon)
		}
		if s.Sector == "NHS Sector" {
			nhsSector++
		}
		parents[s.ParentCode] = true
		for _, f := range append([]string{s.Name, s.City, s.ParentName}, s.Address...) {
			if strings.ContainsFunc(f, func(r rune) bool { return r >= 0x80 }) {
				nonASCII++
				t.Logf("line %d %s: non-ASCII %q", s.Line, s.Code, f)
			}
		}
		if p, err := ParsePostcode(s.Postcode); err != nil || p.Kind != FullPostcode {
			badPostcode++
			t.Logf("line %d %s: postcode %q", s.Line, s.Code, s.Postcode)
		}
	}
	t.Logf("%d sites, %d NHS Sector, %d parents, %d without coordinates, %d non-ASCII fields, %d bad postcodes",
		len(sites), nhsSector, len(parents), noLoc, nonASCII, badPostcode)
	if len(sites) != 1165 || noLoc != 1 || nhsSector != 723 || len(parents) != 308 || nonASCII != 1 || badPostcode != 0 {
		t.Errorf("got %d sites, %d without coordinates, %d NHS Sector, %d parents, %d non-ASCII, %d bad postcodes; want 1165, 1, 723, 308, 1, 0",
			len(sites), noLoc, nhsSector, len(parents), nonASCII, badPostcode)
	}
}
