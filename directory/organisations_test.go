package directory

import (
	"cmp"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
)

func TestOrganisationsImported(t *testing.T) {
	s := fixtureSnapshot(t)
	if !s.OrganisationsLoaded() {
		t.Fatal("organisations not loaded from the fixture")
	}
	raa, areas, err := s.Organisation(" raa ")
	if err != nil {
		t.Fatal(err)
	}
	var sites []string
	for _, o := range raa.Sites {
		sites = append(sites, o.ODSCode)
	}
	// RAA03 lies in Wales: kept out of the trust's sites in answers.
	if raa.Name != "West Hospitals NHS Trust" || raa.Status != "open" || raa.Alliance == nil || raa.Alliance.ODSCode != "N01" ||
		strings.Join(sites, ",") != "RAA02,RAA01" || raa.Website == "" || raa.Lat == nil {
		t.Errorf("RAA = %+v, sites %v", raa, sites)
	}
	if len(areas) == 0 || areas[0].Code != "E56000901" {
		t.Errorf("RAA lies in %+v, want West first", areas)
	}
	rbb, _, err := s.Organisation("RBB")
	if err != nil {
		t.Fatal(err)
	}
	if rbb.Name != "St Mary's and East Hospitals NHS Foundation Trust" || rbb.AlsoWith == nil || rbb.AlsoWith.ODSCode != "N01" {
		t.Errorf("RBB = %+v: want readable name and also with West", rbb)
	}
	site, _, err := s.Organisation("RBB02")
	if err != nil {
		t.Fatal(err)
	}
	if site.Kind != KindSite || site.Trust == nil || site.Trust.ODSCode != "RBB" || site.Alliance == nil || site.Alliance.ODSCode != "N02" {
		t.Errorf("RBB02 = %+v", site)
	}
	for code, want := range map[string]string{"RZZ": "not-in-ods", "RCC": "closed"} {
		if o, _, err := s.Organisation(code); err != nil || o.Status != want {
			t.Errorf("%s: %v, status %+v, want %s", code, err, o, want)
		}
	}
	// Not a site of an NHS trust (its code is not the trust's): not imported.
	for code, kind := range map[string]error{"NXX01": ErrNotFound, "ZZZ": ErrNotFound, "R!": ErrInvalid, "RA": ErrInvalid} {
		if _, _, err := s.Organisation(code); !errors.Is(err, kind) {
			t.Errorf("%s: err = %v, want %v", code, err, kind)
		}
	}
	kinds := map[string][]string{}
	for _, n := range s.Quality() {
		kinds[n.Kind] = append(kinds[n.Kind], n.Code)
	}
	for kind, code := range map[string]string{"member-not-in-ods": "RZZ", "member-closed": "RCC", "site-excluded": "RAA03", "site-postcode": "RAA02", "member-second-alliance": "RBB"} {
		if !slices.Contains(kinds[kind], code) {
			t.Errorf("quality %s lacks %s: %v", kind, code, kinds)
		}
	}
	if !slices.Contains(kinds["site-excluded"], "RBB01") {
		t.Errorf("RBB01, 3 km from its postcode, not excluded: %v", kinds)
	}
}

func TestOrganisationLists(t *testing.T) {
	s := fixtureSnapshot(t)
	for _, tt := range []struct {
		alliance, kind, want string
	}{
		{"E56000902", KindTrust, "RBB"},                       // a 2021 code, through its successor
		{"e56000952", KindTrust, "RBB"},                       // the 2024 code
		{"N01", KindTrust, "RZZ,RCC,RAA"},                     // by name: A Care Trust, Closed…, West…
		{"N02", KindSite, "RBB02,RBB01"},                      // sites of member trusts, excluded ones too
		{"", KindSite, "RBB02,RCC01,RBB01,RAA02,RAA01,RAA03"}, // by name
	} {
		list, err := s.Organisations(tt.alliance, tt.kind)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, o := range list {
			codes = append(codes, o.ODSCode)
		}
		if got := strings.Join(codes, ","); got != tt.want {
			t.Errorf("Organisations(%q, %q) = %s, want %s", tt.alliance, tt.kind, got, tt.want)
		}
	}
	if _, err := s.Organisations("E56999999", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown alliance: %v", err)
	}
	if _, err := s.Organisations("", "pharmacy"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown type: %v", err)
	}
}

func TestNearestHospitals(t *testing.T) {
	s := fixtureSnapshot(t)
	// At AA1 1AA (lon -1.5, lat 52.5): West's open trust RAA has RAA01 there and RAA02 20 km
	// east; RAA03 (Wales) is kept out and RCC01 belongs to a closed trust.
	got := s.NearestHospitals(orb.Point{-1.5, 52.5}, "E56000901", 5)
	if len(got) != 2 || got[0].ODSCode != "RAA01" || got[0].DistanceM > 50 || got[1].ODSCode != "RAA02" ||
		got[1].DistanceM < 19000 || got[1].DistanceM > 22000 || got[0].Trust.ODSCode != "RAA" {
		t.Errorf("nearest = %+v", got)
	}
	if got := s.NearestHospitals(orb.Point{-1.5, 52.5}, "E56000901", 1); len(got) != 1 {
		t.Errorf("n=1 gave %d", len(got))
	}
	// The 2021 East alliance, through its 2024 successor: RBB02 (RBB01 is kept out).
	if got := s.NearestHospitals(orb.Point{-0.25, 52.5}, "E56000902", 3); len(got) != 1 || got[0].ODSCode != "RBB02" {
		t.Errorf("East = %+v", got)
	}
	res, err := s.LookupPostcode("AA1 1AA", "2021")
	if err != nil {
		t.Fatal(err)
	}
	s.AddHospitals(res.Full.Answer, 3)
	if len(res.Full.Hospitals) != 2 {
		t.Errorf("AddHospitals: %+v", res.Full.Hospitals)
	}
	ni, err := s.LookupPostcode("BT1 1AA", "2021")
	if err != nil {
		t.Fatal(err)
	}
	s.AddHospitals(ni.Full.Answer, 3)
	if ni.Full.Hospitals != nil {
		t.Errorf("Northern Ireland got hospitals %+v", ni.Full.Hospitals)
	}
}

func TestSince2024(t *testing.T) {
	s := fixtureSnapshot(t)
	for _, tt := range []struct {
		lon     float64
		edition Edition
		code    string
		change  string
	}{
		{-1.5, "2021", "E56000901", "same"},
		{-0.25, "2021", "E56000952", "recoded"},
		{-0.25, "2023", "E56000952", "recoded"},
	} {
		a, err := s.LookupPoint(orb.Point{tt.lon, 52.5}, tt.edition)
		if err != nil {
			t.Fatal(err)
		}
		succ := a.Areas[0].Since2024
		if succ == nil || succ.Code != tt.code || succ.Change != tt.change || succ.ODSCode == "" {
			t.Errorf("lon %v %s: since_2024 = %+v, want %s %s", tt.lon, tt.edition, succ, tt.code, tt.change)
		}
	}
	if got := (&Successor{Name: "X", Change: "renamed"}).Statement(); got != "Since April 2024 this alliance is called X." {
		t.Errorf("renamed: %q", got)
	}
	if got := (&Successor{Name: "X", Change: "merged"}).Statement(); !strings.Contains(got, "boundary changed") {
		t.Errorf("merged: %q", got)
	}
}

func TestAreaTrustsAndCouncils(t *testing.T) {
	s := fixtureSnapshot(t)
	d, err := s.AreaDetail("E56000901", "2021")
	if err != nil {
		t.Fatal(err)
	}
	var trusts []string
	for _, o := range d.Trusts {
		trusts = append(trusts, o.ODSCode)
	}
	if strings.Join(trusts, ",") != "RZZ,RCC,RAA" {
		t.Errorf("West's trusts = %v, want its members", trusts)
	}
	// West 2021 holds district One wholly (AA1 1AA, AA1 2AA, AA2 1AA); Two's postcodes lie in
	// East by district.
	if len(d.Councils) != 1 || d.Councils[0].Code != "E08000001" || d.Councils[0].Name != "One" || d.Councils[0].Postcodes != 3 ||
		d.Councils[0].AreaShare != 1 || d.Councils[0].DistrictShare != 1 {
		t.Errorf("West's councils = %+v", d.Councils)
	}
	// Any other area: the trusts whose headquarters lie in it.
	d, err = s.AreaDetail("E54000902", "2021")
	if err != nil {
		t.Fatal(err)
	}
	trusts = trusts[:0]
	for _, o := range d.Trusts {
		trusts = append(trusts, o.ODSCode)
	}
	if strings.Join(trusts, ",") != "RCC,RBB,RAA" {
		t.Errorf("South Footprint's trusts = %v", trusts)
	}
}

// TestOrganisationsOptional: without the organisation files the import succeeds and says so,
// and every organisation question is answered "not loaded".
func TestOrganisationsOptional(t *testing.T) {
	src := fixtureSources(t)
	orgs := *src.Organisations
	orgs.Hospitals = "sources/absent.csv"
	src.Organisations = &orgs
	db := filepath.Join(t.TempDir(), "a.db")
	rep, err := Import(context.Background(), ImportOptions{DataDir: "testdata/data", DBPath: db, Sources: src})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "organisations not loaded") {
		t.Errorf("notes = %v", rep.Notes)
	}
	s, err := Open(context.Background(), db, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var de *Error
	if _, _, err := s.Organisation("RAA"); !errors.As(err, &de) || de.Code != "organisations_not_loaded" || s.OrganisationsLoaded() {
		t.Errorf("err = %v", err)
	}
	if a, err := s.LookupPoint(orb.Point{-1.5, 52.5}, "2021"); err != nil || a.Areas[0].Since2024 != nil {
		t.Errorf("since_2024 without organisations: %+v %v", a, err)
	}
}

// TestOrganisationsMalformed: a bad organisation file fails the import, naming the file and
// line, and the previous database stays.
func TestOrganisationsMalformed(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/data")); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "a.db")
	if _, err := Import(context.Background(), fixtureOptions(t, dir, db)); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, db)
	for name, body := range map[string]string{
		"sources/members.csv":              "ods_code,ods_name,cancer_alliance_name,cancer_alliance_code,notes\nRAA,West,Nowhere,N99,\n",
		"organisations/successors.csv":     "cal21cd,cal21nm,cal24cd,cal24nm,change\nE56000901,W,E56000901,W,vanished\n",
		"organisations/alliances-2024.csv": "cal24cd,cal24nm,ods_code\nE56000901,West Alliance,N01\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			good, _ := os.ReadFile(path)
			defer os.WriteFile(path, good, 0o644)
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Import(context.Background(), fixtureOptions(t, dir, db))
			if err == nil || !strings.Contains(err.Error(), filepath.Base(name)) {
				t.Fatalf("err = %v, want one naming %s", err, name)
			}
			if fileSum(t, db) != before {
				t.Error("a failed import changed the database")
			}
		})
	}
}

// TestMembershipMatchesHeadquarters: on the real data, at least 90 % of the open member trusts
// have their headquarters in (the 2024 successor of) the alliance they are members of, and every
// disagreement has a reason.
func TestMembershipMatchesHeadquarters(t *testing.T) {
	s := realSnapshot(t)
	checks := s.CheckMembership()
	agree := 0
	for _, c := range checks {
		if c.Agree {
			agree++
		} else if c.Reason == "" {
			t.Errorf("%s: disagreement without a reason: %+v", c.Trust.ODSCode, c)
		}
	}
	share := float64(agree) / float64(len(checks))
	t.Logf("%d member trusts located, %d (%.1f %%) in their own alliance", len(checks), agree, 100*share)
	if len(checks) < 130 || share < 0.9 {
		t.Errorf("%d checks, %.1f %% agree; want at least 130 and 90 %%", len(checks), 100*share)
	}
}

// TestNearestHospitalsExact holds the ranked search (flat distances first) to a brute-force
// ranking by great-circle distance, on the real data over a lattice of England.
func TestNearestHospitalsExact(t *testing.T) {
	s := realSnapshot(t)
	n := 0
	for lat := 50.0; lat <= 55.8; lat += 0.05 {
		for lon := -5.7; lon <= 1.8; lon += 0.05 {
			for code := range s.orgs.successors {
				p := orb.Point{lon, lat}
				got := s.NearestHospitals(p, code, MaxHospitals)
				var want []Hospital
				for _, o := range s.orgs.nearby[s.alliance2024(code).ODSCode] {
					q, _ := o.located()
					want = append(want, Hospital{ODSCode: o.ODSCode, DistanceM: round1(geo.DistanceM(p, q))})
				}
				slices.SortFunc(want, func(a, b Hospital) int {
					if a.DistanceM != b.DistanceM {
						return cmp.Compare(a.DistanceM, b.DistanceM)
					}
					return strings.Compare(a.ODSCode, b.ODSCode)
				})
				want = want[:min(MaxHospitals, len(want))]
				if len(got) != len(want) {
					t.Fatalf("%v %s: %d hospitals, want %d", p, code, len(got), len(want))
				}
				for i := range got {
					if got[i].DistanceM != want[i].DistanceM {
						t.Fatalf("%v %s: #%d is %s at %v m, want %s at %v m", p, code, i, got[i].ODSCode, got[i].DistanceM, want[i].ODSCode, want[i].DistanceM)
					}
				}
				n++
			}
			lon += 0.45 // a coarse lattice: every alliance from each point
		}
	}
	if n < 2000 {
		t.Fatalf("only %d comparisons", n)
	}
}
