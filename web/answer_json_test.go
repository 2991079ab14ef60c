package web

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/directory"
	"github.com/paulmach/orb"
)

// sameAsEncodingJSON holds the hand-written encoding of v to encoding/json's bytes.
func sameAsEncodingJSON(t *testing.T, name string, v any) {
	t.Helper()
	got, err := appendValue(nil, v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	want, err := appendStd(nil, v)
	if err != nil {
		t.Fatalf("%s: encoding/json: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s:\n got %s\nwant %s", name, got, want)
	}
}

// fill sets every field reachable from v (a pointer) to a value that is not its zero: strings
// name their field, numbers differ, slices and maps get two entries, pointers point at filled
// values. Fields encoding/json skips (json:"-", unexported) are left alone.
func fill(v reflect.Value, path string, seed *int) {
	*seed++
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), path, seed)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			fill(v.Field(i), path+"."+f.Name, seed)
		}
	case reflect.String:
		v.SetString(path + " \"é\"")
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*seed) + 0.25)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*seed))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), path+"[]", seed)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, path+"{}"+string(rune('a'+i)), seed)
			fill(e, path+"{}", seed)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Interface:
		// bulkResult.Result: filled by the caller with each answer type in turn.
	}
}

// jsonNames lists the JSON names of every field encoding/json writes for type t, recursively.
func jsonNames(t reflect.Type, seen map[reflect.Type]bool, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if !f.Anonymous {
			if name == "" {
				name = f.Name
			}
			out[name] = true
		}
		jsonNames(f.Type, seen, out)
	}
}

// TestAnswerJSONEveryField fills every field of every answer type by reflection and compares
// the hand-written encoders with encoding/json, so that a field added to an answer and not to
// its encoder fails here rather than vanishing from the API. It checks too that every JSON
// name of the types appears in the output, so the filler itself misses nothing.
func TestAnswerJSONEveryField(t *testing.T) {
	seed := 0
	answer := &directory.Answer{}
	fill(reflect.ValueOf(answer), "Answer", &seed)
	postcode := &directory.PostcodeAnswer{}
	fill(reflect.ValueOf(postcode), "PostcodeAnswer", &seed)
	partial := &directory.PartialAnswer{}
	fill(reflect.ValueOf(partial), "PartialAnswer", &seed)
	apiErr := &apiError{}
	fill(reflect.ValueOf(apiErr), "apiError", &seed)
	bulk := &bulkResponse{}
	fill(reflect.ValueOf(bulk), "bulkResponse", &seed)
	bulk.Results = []bulkResult{{Query: "a", Result: answer}, {Query: "b", Result: postcode}, {Query: "c", Result: partial}, {Query: "d", Error: apiErr}}

	for name, v := range map[string]any{"Answer": answer, "PostcodeAnswer": postcode, "bulk": bulk} {
		sameAsEncodingJSON(t, name, v)
		out, _ := appendValue(nil, v)
		names := map[string]bool{}
		jsonNames(reflect.TypeOf(v), map[reflect.Type]bool{}, names)
		if name == "bulk" {
			for _, x := range []any{answer, postcode, partial, apiErr} {
				jsonNames(reflect.TypeOf(x), map[reflect.Type]bool{}, names)
			}
		}
		for n := range names {
			if !bytes.Contains(out, []byte(`"`+n+`":`)) {
				t.Errorf("%s: field %q is not in the output", name, n)
			}
		}
	}
	// The zero values take the omitempty and null paths.
	sameAsEncodingJSON(t, "zero Answer", &directory.Answer{})
	sameAsEncodingJSON(t, "zero PostcodeAnswer", &directory.PostcodeAnswer{})
	sameAsEncodingJSON(t, "zero bulk", &bulkResponse{Results: []bulkResult{{}}})
}

// TestAnswerJSONMatchesEncodingJSON compares the hand-written encoders with encoding/json on
// every kind of answer the fixture gives (inside, nearest, near a border, sector, outside
// England, every edition), over a lattice of points and every fixture postcode.
func TestAnswerJSONMatchesEncodingJSON(t *testing.T) {
	s := fixtureSnapshot(t)
	n := 0
	editions := []directory.Edition{""}
	for _, e := range s.Editions {
		editions = append(editions, e.ID)
	}
	for lat := 51.0; lat <= 56.0; lat += 0.0625 {
		for lon := -4.5; lon <= 1.0; lon += 0.0625 {
			for _, e := range editions {
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
		for _, e := range editions {
			a, err := s.LookupPostcode(pc, e)
			if err != nil {
				t.Fatalf("%s: %v", pc, err)
			}
			sameAsEncodingJSON(t, pc, a.Full)
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("only %d answers compared", n)
	}

	// What the fixture cannot give: escapes, several source codes, shares, tiny and huge
	// numbers, no country, nil slices, a postcode answer without an Answer.
	odd := &directory.Answer{
		Lat: ptr(1e-7), Lon: ptr(-1e21), Edition: "2023", InEngland: true,
		Statement: "quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f nul \x00 us \x1f <&> é \u2028\u2029 bad \xff\xfe",
		Areas: []directory.Match{{
			Area:  directory.Area{Code: "E1", Name: "Névé \"x\"", Type: directory.ICB, Edition: "2023", ODSCode: "QXX", Parents: map[string]string{"stp": "E2", "ccg": "E3", "nhser": "E4"}},
			Match: directory.MatchSector, DistanceM: 123456789.5, BoundaryDistanceM: 0.1, Share: 0.3333333333333333,
			NearBoundary: []directory.Nearby{{Code: "E5", Name: "N\x7f", DistanceM: 499.9}, {Code: "E6", Name: "", DistanceM: 0}},
		}, {Area: directory.Area{Code: "E7", Type: directory.Country}, Match: directory.MatchInside, BoundaryDistanceM: 2.5e-8}},
	}
	sameAsEncodingJSON(t, "odd", odd)
	sameAsEncodingJSON(t, "postcode without answer", &directory.PostcodeAnswer{Postcode: "ZZ1 1ZZ", Location: "none"})
	sameAsEncodingJSON(t, "postcode", &directory.PostcodeAnswer{Postcode: "ZZ1 1ZZ", Location: "postcode", Quality: 10, District: "E0", Answer: odd})

	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := appendAnswer(nil, &directory.Answer{Lat: &bad, Areas: []directory.Match{}}); err == nil {
			t.Errorf("lat %v: no error", bad)
		}
		if _, err := appendAnswer(nil, &directory.Answer{Areas: []directory.Match{{BoundaryDistanceM: bad}}}); err == nil {
			t.Errorf("boundary distance %v: no error", bad)
		}
	}
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
		a := &directory.Answer{Lat: &x, Statement: s, Dataset: s, Areas: []directory.Match{{Area: directory.Area{Code: s, Parents: map[string]string{s: s}}, DistanceM: x}}}
		got, err := appendAnswer(nil, a)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := appendStd(nil, a); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// BenchmarkAnswerJSON encodes one lookup answer by hand and by encoding/json.
func BenchmarkAnswerJSON(b *testing.B) {
	a, err := fixtureSnapshot(b).LookupPoint(orb.Point{-1.5, 52.5}, "")
	if err != nil {
		b.Fatal(err)
	}
	benchEncoders(b, a)
}

// BenchmarkBulkJSON encodes a bulk answer of 1,000 postcodes by hand and by encoding/json.
func BenchmarkBulkJSON(b *testing.B) {
	snap := fixtureSnapshot(b)
	items := make([]string, 1000)
	for i := range items {
		items[i] = []string{"AA1 1AA", "aa11ab", "AA1 2AA", "AA1 3AA"}[i%4]
	}
	benchEncoders(b, bulkAnswer(snap, "", items))
}

func benchEncoders(b *testing.B, v any) {
	b.Run("by-hand", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = appendValue(buf[:0], v)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = appendStd(buf[:0], v)
		}
	})
}

func ptr(v float64) *float64 { return &v }
