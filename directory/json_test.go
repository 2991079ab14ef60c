package directory

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// stdJSON is what writeJSON sent before AppendJSON: encoding/json, HTML escaping off.
func stdJSON(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

type jsonAppender interface {
	AppendJSON([]byte) ([]byte, error)
}

func sameAsEncodingJSON(t *testing.T, name string, v jsonAppender) {
	t.Helper()
	got, err := v.AppendJSON(nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if want := stdJSON(t, v); !bytes.Equal(got, want) {
		t.Fatalf("%s:\n got %s\nwant %s", name, got, want)
	}
}

// TestAppendJSONMatchesEncodingJSON compares the hand-written encoders with encoding/json on
// every kind of answer the fixture gives (inside, nearest, near a border, sector, outside
// England, every edition), over a lattice of points and every fixture postcode.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	s := fixtureSnapshot(t)
	n := 0
	for lat := 51.0; lat <= 56.0; lat += 0.0625 {
		for lon := -4.5; lon <= 1.0; lon += 0.0625 {
			for _, e := range append([]Edition{""}, editionIDs(s)...) {
				a, err := s.LookupPoint(orb.Point{lon, lat}, e)
				if err != nil {
					continue
				}
				sameAsEncodingJSON(t, "point", a)
				n++
			}
		}
	}
	for _, pc := range []string{"AA1 1AA", "aa11ab", "AA1 3AA", "AA1 2AA", "AA1 1AD", "AA2 1ZZ", "CF1 1AA", "BT1 1AA"} {
		for _, e := range editionIDs(s) {
			a, err := s.LookupPostcode(pc, e)
			if err != nil {
				t.Fatalf("%s: %v", pc, err)
			}
			sameAsEncodingJSON(t, pc, a)
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("only %d answers compared", n)
	}

	// What the fixture cannot give: escapes, several source codes, shares, tiny and huge
	// numbers, no country, nil slices, a postcode answer without an Answer.
	odd := &Answer{
		Lat: 1e-7, Lon: -1e21, Edition: "2023", InEngland: true,
		Statement: "quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f nul \x00 us \x1f <&> é \u2028\u2029 bad \xff\xfe",
		Areas: []Match{{
			Area:  Area{Code: "E1", Name: "Névé \"x\"", Type: ICB, Edition: "2023", ODSCode: "QXX", Parents: map[string]string{"stp": "E2", "ccg": "E3", "nhser": "E4"}},
			Match: MatchSector, DistanceM: 123456789.5, BoundaryDistanceM: 0.1, Share: 0.3333333333333333,
			NearBoundary: []Nearby{{Code: "E5", Name: "N\x7f", DistanceM: 499.9}, {Code: "E6", Name: "", DistanceM: 0}},
		}, {Area: Area{Code: "E7", Type: Country}, Match: MatchInside, BoundaryDistanceM: 2.5e-8}},
	}
	sameAsEncodingJSON(t, "odd", odd)
	sameAsEncodingJSON(t, "empty", &Answer{})
	sameAsEncodingJSON(t, "postcode without answer", &PostcodeAnswer{Postcode: "ZZ1 1ZZ", Location: "none"})
	sameAsEncodingJSON(t, "postcode", &PostcodeAnswer{Postcode: "ZZ1 1ZZ", Location: "postcode", Quality: 10, District: "E0", Answer: odd})

	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := (&Answer{Lat: bad, Areas: []Match{}}).AppendJSON(nil); err == nil {
			t.Errorf("lat %v: no error", bad)
		}
		if _, err := (&Answer{Areas: []Match{{BoundaryDistanceM: bad}}}).AppendJSON(nil); err == nil {
			t.Errorf("boundary distance %v: no error", bad)
		}
	}
}

func editionIDs(s *Snapshot) []Edition {
	var out []Edition
	for _, e := range s.Editions {
		out = append(out, e.ID)
	}
	return out
}

// FuzzAppendJSONString checks strings and numbers against encoding/json.
func FuzzAppendJSONString(f *testing.F) {
	f.Add("plain", 52.5)
	f.Add("\"\\\b\f\n\r\t\x00\x1f\x7f<>&", -1e-7)
	f.Add("é\u2028\u2029\xff\xc3", 1e21)
	f.Add("\xed\xa0\x80 surrogate", 123456.78901234)
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		a := &Answer{Lat: x, Statement: s, Dataset: s, Areas: []Match{{Area: Area{Code: s, Parents: map[string]string{s: s}}, DistanceM: x}}}
		got, err := a.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := stdJSON(t, a); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	s := fixtureSnapshot(b)
	a, err := s.LookupPoint(orb.Point{-1.5, 52.5}, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = a.AppendJSON(buf[:0])
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			stdJSON(b, a)
		}
	})
}
