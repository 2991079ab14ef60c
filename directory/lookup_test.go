package directory

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// codes maps each area type of an answer to "code/match".
func codes(a *Answer) map[AreaType]string {
	m := map[AreaType]string{}
	for _, x := range a.Areas {
		m[x.Type] = x.Code + "/" + x.Match
	}
	return m
}

func TestLookupPoint(t *testing.T) {
	s := fixtureSnapshot(t)
	tests := []struct {
		name     string
		lat, lon float64
		edition  Edition
		want     map[AreaType]string
		country  string
	}{
		{"west, default edition", 52.5, -1.5, "", map[AreaType]string{CancerAlliance: "E56000901/inside", ICB: "E54000904/inside", NHSRegion: "E40000901/inside"}, "E92000001"},
		{"east in 2021", 52.2, -0.75, "2021", map[AreaType]string{CancerAlliance: "E56000902/inside", STP: "E54000902/inside"}, "E92000001"},
		{"same point west in 2023", 52.2, -0.75, "2023", map[AreaType]string{CancerAlliance: "E56000901/inside", ICB: "E54000904/inside", NHSRegion: "E40000901/inside"}, "E92000001"},
		// Shared edges: a point on a north-south border belongs to the area east of it,
		// on an east-west border to the area north of it.
		{"on the alliance border at lon -1", 52.5, -1, "2021", map[AreaType]string{CancerAlliance: "E56000902/inside", STP: "E54000902/inside"}, "E92000001"},
		{"on the footprint border at lat 53", 53, -1.5, "2021", map[AreaType]string{CancerAlliance: "E56000901/inside", STP: "E54000901/inside"}, "E92000001"},
		{"coastal strip, 1.1 km from the areas", 53.99, -1.5, "2021", map[AreaType]string{CancerAlliance: "E56000901/nearest", STP: "E54000901/nearest"}, "E92000001"},
		{"Wales", 53, -3, "2023", map[AreaType]string{}, "W92000004"},
		{"Scotland", 55, -1, "2023", map[AreaType]string{}, "S92000003"},
		{"just off the Welsh coast: nearest country, still no English area", 53, -4.01, "2023", map[AreaType]string{}, "W92000004"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := s.LookupPoint(orb.Point{tt.lon, tt.lat}, tt.edition)
			if err != nil {
				t.Fatal(err)
			}
			if a.Country == nil || a.Country.Code != tt.country {
				t.Fatalf("country = %+v, want %s", a.Country, tt.country)
			}
			got := codes(a)
			if len(got) != len(tt.want) {
				t.Fatalf("areas = %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if a.InEngland != (tt.country == englandCode) {
				t.Errorf("in_england = %v", a.InEngland)
			}
			if !a.InEngland && a.Statement == "" {
				t.Error("no statement for a place outside England")
			}
			if a.Dataset != s.Checksum {
				t.Errorf("dataset = %q, want %q", a.Dataset, s.Checksum)
			}
		})
	}
}

func TestLookupPointDistances(t *testing.T) {
	s := fixtureSnapshot(t)
	// 0.01 degrees of latitude north of the areas' edge at 53.98: about 1112 m.
	a, err := s.LookupPoint(orb.Point{-1.5, 53.99}, "2021")
	if err != nil {
		t.Fatal(err)
	}
	m := a.Areas[0]
	if m.Match != MatchNearest || m.DistanceM < 1100 || m.DistanceM > 1125 {
		t.Errorf("nearest distance = %v (%s), want about 1112 m", m.DistanceM, m.Match)
	}
	// About 400 m from the lon -1 border (0.006 degrees at lat 52.5 is about 406 m): the other
	// alliance is reported as near.
	a, err = s.LookupPoint(orb.Point{-1.006, 52.5}, "2021")
	if err != nil {
		t.Fatal(err)
	}
	m = a.Areas[0]
	if m.Code != "E56000901" || m.BoundaryDistanceM < 400 || m.BoundaryDistanceM > 412 {
		t.Fatalf("boundary distance = %v for %s, want about 406 m in E56000901", m.BoundaryDistanceM, m.Code)
	}
	if len(m.NearBoundary) != 1 || m.NearBoundary[0].Code != "E56000902" {
		t.Errorf("near_boundary = %+v, want E56000902", m.NearBoundary)
	}
	a, err = s.LookupPoint(orb.Point{-1.5, 52.5}, "2021")
	if err != nil {
		t.Fatal(err)
	}
	if nb := a.Areas[0].NearBoundary; len(nb) != 0 {
		t.Errorf("34 km from any border, near_boundary = %+v", nb)
	}
}

func TestLookupPointErrors(t *testing.T) {
	s := fixtureSnapshot(t)
	tests := []struct {
		name    string
		p       orb.Point
		edition Edition
		kind    error
		code    string
	}{
		{"beyond the coast fallback", orb.Point{-1.5, 53.999}, "2021", ErrNotFound, "outside_coverage"},
		{"far from the UK", orb.Point{2.3, 48.8}, "", ErrNotFound, "outside_coverage"},
		{"unknown edition", orb.Point{-1.5, 52.5}, "1999", ErrInvalid, "unknown_edition"},
		{"latitude out of range", orb.Point{-1.5, 91}, "", ErrInvalid, "invalid_coordinates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.LookupPoint(tt.p, tt.edition)
			var de *Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &de) || de.Code != tt.code {
				t.Fatalf("err = %v, want kind %v code %s", err, tt.kind, tt.code)
			}
		})
	}
}

func TestLookupAll(t *testing.T) {
	s := fixtureSnapshot(t)
	all, err := s.LookupAll(orb.Point{-0.75, 52.2})
	if err != nil {
		t.Fatal(err)
	}
	got := map[Edition]string{}
	for _, a := range all {
		got[a.Edition] = codes(a)[CancerAlliance]
	}
	want := map[Edition]string{"2021": "E56000902/inside", "2023": "E56000901/inside"}
	if len(got) != len(want) || got["2021"] != want["2021"] || got["2023"] != want["2023"] {
		t.Errorf("alliances by edition = %v, want %v", got, want)
	}
}

// TestDeepEdgesSameAnswers: a snapshot that lists its deep edges in the background answers
// every point as one that does not, before and after the lists are done.
func TestDeepEdgesSameAnswers(t *testing.T) {
	db := fixtureDB(t)
	plain, err := Open(context.Background(), db, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	plain.WaitDeepEdges() // returns at once: nothing asked for
	opts := DefaultOptions
	opts.DeepEdges = true
	deep, err := Open(context.Background(), db, opts)
	if err != nil {
		t.Fatal(err)
	}
	b := deep.countries.Index.Bound()
	rng := rand.New(rand.NewPCG(1, 2))
	check := func() {
		for range 300 {
			p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
			want, werr := plain.LookupPoint(p, "")
			got, gerr := deep.LookupPoint(p, "")
			if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
				t.Fatalf("%v: %+v, %v with deep edges; %+v, %v without", p, got, gerr, want, werr)
			}
		}
	}
	check()
	deep.WaitDeepEdges()
	check()
}
