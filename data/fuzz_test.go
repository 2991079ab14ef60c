package data

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParsePostcode: ParsePostcode never panics; an error wraps ErrInvalidPostcode with a zero
// Postcode; a success is normalised (upper case, at most one space, no longer than the input
// allows) and re-parses from its Normalised form to itself.
func FuzzParsePostcode(f *testing.F) {
	for _, s := range []string{
		"SW1A 1AA", " sw1a1aa ", "S1 2hE", "s12he", "S18", "s18 1", "S181", "SW", "GIR 0AA", "XM4 5HQ",
		"BFPO 123", "bfpo1", "ASCN 1ZZ", "GX11 1AA", "ZZ99 3VZ", "BT1 1AA", "Q1 1AA", "S1 1CA", "",
		"SW1A\t1AA", "KY1-1001", "S 1 2 H E", "SW1 A", "SW1A 1AA         ", "é", "\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePostcode(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidPostcode) {
				t.Fatalf("ParsePostcode(%q): error %v does not wrap ErrInvalidPostcode", s, err)
			}
			if p != (Postcode{}) {
				t.Fatalf("ParsePostcode(%q): non-zero %+v with error", s, p)
			}
			return
		}
		n := p.Normalised
		if n == "" || n != strings.ToUpper(n) || strings.Count(n, " ") > 1 || strings.TrimSpace(n) != n || len(n) > MaxPostcodeInput {
			t.Fatalf("ParsePostcode(%q): badly normalised %q", s, n)
		}
		if p.Kind < FullPostcode || p.Kind > BFPONumber {
			t.Fatalf("ParsePostcode(%q): kind %d", s, p.Kind)
		}
		if p.Kind == FullPostcode && (n != p.Outward+" "+p.Inward || len(p.Inward) != 3 || p.Sector != n[:len(n)-2]) {
			t.Fatalf("ParsePostcode(%q): inconsistent %+v", s, p)
		}
		if !strings.HasPrefix(n, p.Area) || (p.Outward != "" && !strings.HasPrefix(n, p.Outward)) {
			t.Fatalf("ParsePostcode(%q): inconsistent %+v", s, p)
		}
		q, err := ParsePostcode(n)
		if err != nil {
			t.Fatalf("ParsePostcode(%q) = %q, which does not re-parse: %v", s, n, err)
		}
		if q != p {
			t.Fatalf("ParsePostcode(%q) = %+v, but its normalised form re-parses to %+v", s, p, q)
		}
		Special(p) // must not panic
	})
}

// FuzzReadLayer: ReadLayer never panics, and what it accepts is valid.
func FuzzReadLayer(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.geojson"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"cal21cd":"E1","cal21nm":"x","stp21cd":"E2"},"geometry":{"type":"MultiPolygon","coordinates":[[[[-1,52],[0,52],[0,53]]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"country20_code":"E1","country20_name":"x"},"geometry":{"type":"Polygon","coordinates":[[[1e308,52],[0,52],[0,53],[1,1]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[null]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fs, err := ReadLayer(bytes.NewReader(b), "fuzz.geojson", []string{"cal", "calncv", "country", "stp", "ccg", "icb"})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.geojson: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(fs) == 0 {
			t.Fatal("success without features")
		}
		codes := map[string]bool{}
		for i, ft := range fs {
			if ft.Index != i || ft.Code == "" || codes[ft.Code] || len(ft.Geometry) == 0 {
				t.Fatalf("bad feature %d: %+v", i, ft)
			}
			codes[ft.Code] = true
			for _, p := range ft.Geometry {
				for _, r := range p {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Fatalf("feature %d: bad ring %v", i, r)
					}
					for _, pt := range r {
						if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
							t.Fatalf("feature %d: point %v out of range", i, pt)
						}
					}
				}
			}
		}
	})
}
