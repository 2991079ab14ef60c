package directory

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// LayerSource says where one layer of an edition comes from and what the importer expects.
type LayerSource struct {
	Type     AreaType `json:"type"`
	File     string   `json:"file"`     // relative to the data directory
	Prefixes []string `json:"prefixes"` // ONS key prefixes of the layer's own code and name (cal21cd → "cal")
	Features int      `json:"features"` // expected feature count; the import fails on any other
}

// EditionInfo describes one edition: its layers, where they came from and what to beware of.
type EditionInfo struct {
	ID          Edition  `json:"id"`
	Title       string   `json:"title"`
	ValidFrom   string   `json:"valid_from"` // the date the boundaries describe
	Description string   `json:"description"`
	Caveats     []string `json:"caveats"`
	// Note, when set, is a short plain-words remark shown with every answer of the edition
	// (for example, that its alliances are not today's).
	Note   string        `json:"note,omitempty"`
	Layers []LayerSource `json:"layers"`
	// PostcodeLookups are the official lookups its postcodes are answered by, district first.
	PostcodeLookups []PostcodeLookup `json:"postcode_lookups,omitempty"`
}

// Has reports whether the edition has a layer of type t.
func (e EditionInfo) Has(t AreaType) bool {
	for _, l := range e.Layers {
		if l.Type == t {
			return true
		}
	}
	return false
}

// HasRegions reports whether the edition has NHS England regions (for templates).
func (e EditionInfo) HasRegions() bool { return e.Has(NHSRegion) }

// Footprint is the edition's ICS footprint layer: ICB where it has one, else STP.
func (e EditionInfo) Footprint() AreaType {
	if e.Has(ICB) {
		return ICB
	}
	return STP
}

// Sources is what an import reads: every edition's layers, the UK countries and the postcodes,
// with the words that describe them (the postcode data's title, the attribution).
// The service's own list is sources.json; `alliance import --sources FILE` takes another, for
// example to add an edition without changing the code.
type Sources struct {
	DefaultEdition Edition     `json:"default_edition"`
	Countries      LayerSource `json:"countries"`
	Postcodes      string      `json:"postcodes"`       // the Code-Point Open folder
	PostcodesTitle string      `json:"postcodes_title"` // what answers call it: "OS Code-Point Open, October 2025"
	// DistrictNames is the postcode data's code list (Code-Point's Doc/Codelist.xlsx), which
	// names districts no lookup names; optional.
	DistrictNames string `json:"district_names,omitempty"`
	// Organisations names the organisation files; optional.
	Organisations *OrganisationSources `json:"organisations,omitempty"`
	// Attribution must be shown wherever the data is shown: the licences of every source.
	Attribution []string      `json:"attribution"`
	Editions    []EditionInfo `json:"editions"`
}

//go:embed sources.json
var defaultSources []byte

// DefaultSources is the service's own list of editions (sources.json).
func DefaultSources() Sources {
	s, err := ParseSources(defaultSources)
	if err != nil {
		panic("directory: embedded sources.json: " + err.Error())
	}
	return s
}

// ReadSources reads and checks a sources file.
func ReadSources(path string) (Sources, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Sources{}, err
	}
	s, err := ParseSources(b)
	if err != nil {
		return Sources{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseSources decodes a sources document and checks that it names known area types, unique
// editions with at least one layer each, files and positive feature counts, and a default
// edition that it lists. An edition need not have every layer: an ICB-only release is one.
func ParseSources(b []byte) (Sources, error) {
	var s Sources
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, err
	}
	if s.Countries.Type != Country {
		return s, fmt.Errorf("countries: type %q, want %q", s.Countries.Type, Country)
	}
	if err := s.Countries.check(); err != nil {
		return s, fmt.Errorf("countries: %w", err)
	}
	var ids []Edition
	for _, e := range s.Editions {
		if e.ID == "" || slices.Contains(ids, e.ID) || e.ID == "all" {
			return s, fmt.Errorf("edition %q: empty, repeated or reserved", e.ID)
		}
		ids = append(ids, e.ID)
		var types []AreaType
		for _, l := range e.Layers {
			if l.Type == Country || !l.Type.Valid() || slices.Contains(types, l.Type) {
				return s, fmt.Errorf("edition %s: layer type %q is unknown, repeated or not an NHS layer", e.ID, l.Type)
			}
			types = append(types, l.Type)
			if err := l.check(); err != nil {
				return s, fmt.Errorf("edition %s %s: %w", e.ID, l.Type, err)
			}
		}
		if len(types) == 0 {
			return s, fmt.Errorf("edition %s has no layers", e.ID)
		}
	}
	if s.PostcodesTitle == "" {
		s.PostcodesTitle = "the postcode data"
	}
	if s.Attribution == nil {
		s.Attribution = []string{}
	}
	if !slices.Contains(ids, s.DefaultEdition) {
		return s, fmt.Errorf("default edition %q is not among %v", s.DefaultEdition, ids)
	}
	return s, nil
}

func (l LayerSource) check() error {
	if l.File == "" || len(l.Prefixes) == 0 || l.Features <= 0 {
		return fmt.Errorf("needs a file, key prefixes and a positive feature count")
	}
	return nil
}
