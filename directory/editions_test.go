package directory

import (
	"strings"
	"testing"
)

func TestDefaultSources(t *testing.T) {
	s := DefaultSources()
	want := map[Edition][]AreaType{
		"2017": {CancerAlliance, STP},
		"2018": {CancerAlliance, STP, CCG},
		"2021": {CancerAlliance, STP, CCG},
		"2023": {CancerAlliance, ICB, SubICB, NHSRegion},
	}
	if s.DefaultEdition != "2023" || len(s.Editions) != len(want) {
		t.Fatalf("default %s, %d editions", s.DefaultEdition, len(s.Editions))
	}
	for _, e := range s.Editions {
		var got []AreaType
		for _, l := range e.Layers {
			got = append(got, l.Type)
		}
		if strings.Join(typeNames(got), ",") != strings.Join(typeNames(want[e.ID]), ",") {
			t.Errorf("edition %s layers %v, want %v", e.ID, got, want[e.ID])
		}
		if len(e.Caveats) == 0 || e.Title == "" || e.ValidFrom == "" {
			t.Errorf("edition %s lacks title, date or caveats", e.ID)
		}
	}
	if fp := s.Editions[3].Footprint(); fp != ICB {
		t.Errorf("2023 footprint %s", fp)
	}
	if fp := s.Editions[0].Footprint(); fp != STP {
		t.Errorf("2017 footprint %s", fp)
	}
}

func typeNames(ts []AreaType) []string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t))
	}
	return out
}

func TestParseSourcesRejects(t *testing.T) {
	country := `"countries": {"type": "country", "file": "c.geojson", "prefixes": ["ctry"], "features": 4}`
	layer := `{"type": "cancer-alliance", "file": "a.geojson", "prefixes": ["cal"], "features": 2}`
	tests := []struct{ name, doc, want string }{
		{"not JSON", `{`, "EOF"},
		{"unknown field", `{"colour": 1}`, "unknown field"},
		{"no countries", `{"default_edition": "x", "editions": []}`, "countries"},
		{"unknown type", `{"default_edition": "x", ` + country + `, "editions": [{"id": "x", "layers": [{"type": "parish", "file": "p", "prefixes": ["p"], "features": 1}]}]}`, "parish"},
		{"repeated edition", `{"default_edition": "x", ` + country + `, "editions": [{"id": "x", "layers": [` + layer + `]}, {"id": "x", "layers": [` + layer + `]}]}`, "repeated"},
		{"no layers", `{"default_edition": "x", ` + country + `, "editions": [{"id": "x", "layers": []}]}`, "no layers"},
		{"zero features", `{"default_edition": "x", ` + country + `, "editions": [{"id": "x", "layers": [{"type": "cancer-alliance", "file": "a", "prefixes": ["cal"], "features": 0}]}]}`, "positive"},
		{"default not listed", `{"default_edition": "y", ` + country + `, "editions": [{"id": "x", "layers": [` + layer + `]}]}`, "default edition"},
		{"reserved id", `{"default_edition": "all", ` + country + `, "editions": [{"id": "all", "layers": [` + layer + `]}]}`, "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSources([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// TestParseSourcesAcceptsICBOnlyEdition: an ONS release with ICBs alone (no alliance layer) is
// an edition like any other.
func TestParseSourcesAcceptsICBOnlyEdition(t *testing.T) {
	src := `{"default_edition": "2031", "countries": {"type": "country", "file": "c", "prefixes": ["ctry"], "features": 4},
		"editions": [{"id": "2031", "layers": [{"type": "icb", "file": "i", "prefixes": ["icb"], "features": 42}]}]}`
	s, err := ParseSources([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if e := s.Editions[0]; e.Has(CancerAlliance) || !e.Has(ICB) || e.Footprint() != ICB || s.Attribution == nil || s.PostcodesTitle == "" {
		t.Errorf("parsed %+v", s)
	}
}
