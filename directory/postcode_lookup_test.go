package directory

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"errors"
	"github.com/paulmach/orb"
	"testing"
)

func TestLookupPostcode(t *testing.T) {
	s := fixtureSnapshot(t)
	tests := []struct {
		in       string
		edition  Edition
		postcode string
		location string
		alliance string // code/match; "" when no area
		country  string
	}{
		{"AA1 1AA", "", "AA1 1AA", "postcode", "E56000901/inside", "E92000001"},
		// 2021 has a lookup: districts One (West) and Two (East) each lie in one alliance.
		{" aa11ab ", "2021", "AA1 1AB", "postcode", "E56000902/district", "E92000001"},
		{"aa1 3aa", "2021", "AA1 3AA", "postcode", "E56000902/district", "E92000001"},
		// 2023's alliances do not nest in its ICBs, so its lookup cannot place them.
		{"AA13AA", "2023", "AA1 3AA", "postcode", "E56000901/inside", "E92000001"},
		// Off the generalised coast, but district One lies in West.
		{"AA1 2AA", "2021", "AA1 2AA", "postcode", "E56000901/district", "E92000001"},
		// Just west of the line between the alliances, but district Two lies in East.
		{"AA3 1AA", "2021", "AA3 1AA", "postcode", "E56000902/district", "E92000001"},
		{"AA3 1AA", "2023", "AA3 1AA", "postcode", "E56000901/inside", "E92000001"},
		// No grid reference: the sector AA1 1 holds one postcode in each alliance; the tie
		// goes to the lower code.
		{"AA1 1AD", "2021", "AA1 1AD", "sector", "E56000901/sector", "E92000001"},
		// Not in the data, but its sector is.
		{"AA2 1ZZ", "2021", "AA2 1ZZ", "sector", "E56000901/sector", "E92000001"},
		{"CF1 1AA", "", "CF1 1AA", "postcode", "", "W92000004"},
		{"BT1 1AA", "", "BT1 1AA", "none", "", "N92000002"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			res, err := s.LookupPostcode(tt.in, tt.edition)
			if err != nil {
				t.Fatal(err)
			}
			a := res.Full
			if a.Postcode != tt.postcode || a.Location != tt.location {
				t.Errorf("postcode %q location %q, want %q %q", a.Postcode, a.Location, tt.postcode, tt.location)
			}
			if got := codes(a.Answer)[CancerAlliance]; got != tt.alliance {
				t.Errorf("alliance = %q, want %q", got, tt.alliance)
			}
			if a.Country == nil || a.Country.Code != tt.country {
				t.Errorf("country = %+v, want %s", a.Country, tt.country)
			}
			if tt.alliance == "" && a.Statement == "" {
				t.Error("no England-only statement")
			}
		})
	}
}

func TestLookupPostcodeErrors(t *testing.T) {
	s := fixtureSnapshot(t)
	tests := []struct {
		in   string
		kind error
		code string
	}{
		{"not a postcode", ErrInvalid, "invalid_postcode"},
		{"", ErrInvalid, "invalid_postcode"},
		{"AA9 9ZZ", ErrNotFound, "postcode_not_found"},
		{"GY1 1AA", ErrNotFound, "postcode_not_covered"},
		{"BFPO 123", ErrNotFound, "postcode_not_covered"},
		{"bfpo123", ErrNotFound, "postcode_not_covered"},
		{"AA", ErrInvalid, "postcode_area"},
		{"GY1", ErrNotFound, "postcode_not_covered"},
		{"AA8", ErrNotFound, "outcode_not_found"},
		{"AA9 9", ErrNotFound, "sector_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := s.LookupPostcode(tt.in, "")
			var de *Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &de) || de.Code != tt.code {
				t.Fatalf("err = %v, want kind %v code %s", err, tt.kind, tt.code)
			}
		})
	}
}

func TestLookupPostcodePartial(t *testing.T) {
	s := fixtureSnapshot(t)
	res, err := s.LookupPostcode("aa1", "2021")
	if err != nil {
		t.Fatal(err)
	}
	a := res.Partial
	// AA1 holds 5 postcodes, 4 located: 1AA, 2AA (West), 1AB, 3AA (East).
	if a.Kind != "outcode" || a.Postcodes != 5 || a.Located != 4 {
		t.Fatalf("kind %s postcodes %d located %d, want outcode 5 4", a.Kind, a.Postcodes, a.Located)
	}
	shares := map[string]int{}
	for _, x := range a.Areas {
		if x.Type == CancerAlliance {
			shares[x.Code] = x.Postcodes
		}
	}
	if shares["E56000901"] != 2 || shares["E56000902"] != 2 {
		t.Errorf("alliance postcodes = %v, want 2 and 2", shares)
	}
	if a.Centroid == nil || len(a.BBox) != 4 || a.BBox[0] > a.BBox[2] || a.BBox[1] > a.BBox[3] {
		t.Errorf("centroid %v bbox %v", a.Centroid, a.BBox)
	}
	res, err = s.LookupPostcode("AA1 3", "2023")
	if err != nil {
		t.Fatal(err)
	}
	sec := res.Partial
	if sec.Kind != "sector" || sec.Postcodes != 1 || sec.Areas[0].Code != "E56000901" || sec.Areas[0].Share != 1 {
		t.Errorf("sector AA1 3 = %+v", sec)
	}
	if res.Full != nil {
		t.Errorf("a sector answered as a full postcode: %+v", res.Full)
	}
}

func TestPostcodeKind(t *testing.T) {
	for in, want := range map[string]string{
		"S1 2HE": QueryFull, "s12he": QueryFull, "S18 1": QuerySector, "S18": QueryOutcode,
		"SW": QueryArea, "BFPO 123": QueryBFPO, "BFPO123": QueryBFPO,
	} {
		if got, err := PostcodeKind(in); err != nil || got != want {
			t.Errorf("PostcodeKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	var de *Error
	if _, err := PostcodeKind("not a postcode"); !errors.As(err, &de) || de.Code != "invalid_postcode" {
		t.Errorf("PostcodeKind(not a postcode) err = %v", err)
	}
}

// TestPostcodeByDistrict: where the polygons put a postcode in one area and its district lies
// wholly in another, the answer is the district's area, with the distance to its polygon and
// the polygon's area listed as near; layers without a lookup keep the polygons' answer, and
// layers that nest in a mapped one (regions of ICBs) are answered through it.
func TestPostcodeByDistrict(t *testing.T) {
	s := fixtureSnapshot(t)
	res, err := s.LookupPostcode("AA3 1AA", "2021")
	if err != nil {
		t.Fatal(err)
	}
	a := res.Full
	if a.District != "E08000002" || a.DistrictName != "Two" {
		t.Errorf("district %q %q, want E08000002 Two", a.District, a.DistrictName)
	}
	m := a.Areas[0]
	// AA3 1AA lies at lon -1.005, about 340 m west of the border at lon -1.
	if m.Code != "E56000902" || m.Match != MatchDistrict || m.DistanceM < 300 || m.DistanceM > 400 || m.BoundaryDistanceM != m.DistanceM {
		t.Errorf("alliance = %+v, want East by district, 300–400 m from its polygon", m)
	}
	if len(m.NearBoundary) != 1 || m.NearBoundary[0].Code != "E56000901" || m.NearBoundary[0].DistanceM != 0 {
		t.Errorf("near boundary = %+v, want West at 0 m (the polygon it lies in)", m.NearBoundary)
	}
	// District One spans both footprints: by location.
	res, err = s.LookupPostcode("AA1 1AA", "2021")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res.Full.Answer); got[STP] != "E54000902/inside" || got[CancerAlliance] != "E56000901/district" {
		t.Errorf("AA1 1AA 2021 = %v", got)
	}
	// 2023: ICBs by the lookup, the region through them, the alliance by location.
	res, err = s.LookupPostcode("AA1 1AB", "2023")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res.Full.Answer); got[ICB] != "E54000904/district" || got[NHSRegion] != "E40000901/district" || got[CancerAlliance] != "E56000902/inside" {
		t.Errorf("AA1 1AB 2023 = %v", got)
	}
	// A point is not a postcode: the same place by coordinates is answered by the polygons.
	p, err := s.LookupPoint(orb.Point{-1.005, 52.5}, "2021")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(p)[CancerAlliance]; got != "E56000901/inside" {
		t.Errorf("point = %s, want West inside", got)
	}
	// Outcode shares count each postcode where its own answer puts it.
	res, err = s.LookupPostcode("AA3", "2021")
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Partial; len(p.Areas) == 0 || p.Areas[0].Code != "E56000902" || p.Areas[0].Postcodes != 1 {
		t.Errorf("AA3 shares = %+v, want East", p.Areas)
	}
	// AA4 1AA's district E08000099 is in no lookup; the code list names it Two, the lookup's
	// E08000002, and all its postcodes lie in East: recovered through the old code.
	res, err = s.LookupPostcode("AA4 1AA", "2021")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res.Full.Answer)[CancerAlliance]; got != "E56000902/district" || res.Full.DistrictName != "Two" {
		t.Errorf("AA4 1AA (recoded district) = %s, %q", got, res.Full.DistrictName)
	}
	// The editions say what their postcode answers rest on.
	for _, e := range s.Editions {
		last := e.Caveats[len(e.Caveats)-1]
		if !strings.Contains(last, "test lookup") || !strings.Contains(last, "E08000099 recoded from E08000002") {
			t.Errorf("edition %s caveat %q does not name its lookup", e.ID, last)
		}
	}
}

// TestDistrictConflictReported: a lookup that puts a district in an area its postcodes lie
// far from (more than a kilometre inside another) is reported by the import, and that district
// is answered by location, not by the lookup.
func TestDistrictConflictReported(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/data")); err != nil {
		t.Fatal(err)
	}
	// District Two (E08000002) said to lie in West, though its postcodes lie deep in East.
	lookup := "LSOA11CD,LSOA11NM,CAL21CD,STP21CD,LAD21CD,LAD21NM\n" +
		"E01000001,One 001A,E56000901,E54000902,E08000001,One\n" +
		"E01000003,Two 001A,E56000901,E54000902,E08000002,Two\n"
	if err := os.WriteFile(filepath.Join(dir, "lookups", "lsoa-test-2021.csv"), []byte(lookup), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "a.db")
	rep, err := Import(context.Background(), fixtureOptions(t, dir, db))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rep.DistrictConflicts, "2021 cancer-alliance E08000002") {
		t.Errorf("conflicts = %v, want 2021 cancer-alliance E08000002", rep.DistrictConflicts)
	}
	s, err := Open(context.Background(), db, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.LookupPostcode("AA1 1AB", "2021")
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res.Full.Answer)[CancerAlliance]; got != "E56000902/inside" {
		t.Errorf("AA1 1AB = %s, want East by location", got)
	}
}
