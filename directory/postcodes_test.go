package directory

import (
	"errors"
	"testing"
)

func TestPostcodeBlocksRoundTrip(t *testing.T) {
	var a, b postcodeBlockWriter
	for _, r := range []PostcodeRecord{
		{Postcode: "AB1 2CD", Lat: 57.1, Lon: -2.1, Located: true, Quality: 10, Country: "S92000003", District: "S12000033"},
		{Postcode: "AB1 0AA", Quality: 90, Country: "S92000003", District: "S12000033"},
	} {
		if err := a.add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.add(PostcodeRecord{Postcode: "B1 1AA", Lat: 52.48, Lon: -1.9, Located: true, Quality: 10, Country: "E92000001", District: "E08000025"}); err != nil {
		t.Fatal(err)
	}
	tab, err := decodeBlocks([]encodedBlock{{"AB", 2, a.encode()}, {"B", 1, b.encode()}})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 3 {
		t.Fatalf("%d rows", tab.Len())
	}
	rec, ok := tab.find("AB1 2CD")
	if !ok || !rec.Located || rec.Lat != 57.1 || rec.Lon != -2.1 || rec.District != "S12000033" || rec.Country != "S92000003" {
		t.Errorf("AB1 2CD = %+v", rec)
	}
	if rec, ok := tab.find("AB1 0AA"); !ok || rec.Located || rec.Quality != 90 {
		t.Errorf("AB1 0AA = %+v", rec)
	}
	if _, ok := tab.find("AB1 9ZZ"); ok {
		t.Error("found a postcode that is not there")
	}
	// The outcode AB1 holds 2 postcodes; the sector B1 1 holds 1.
	k, _ := makePostcodeKey("AB1", "")
	if n := len(tab.prefix(k, 4)); n != 2 {
		t.Errorf("outcode AB1: %d postcodes", n)
	}
	k, _ = makePostcodeKey("B1", "1")
	if n := len(tab.prefix(k, 5)); n != 1 {
		t.Errorf("sector B1 1: %d postcodes", n)
	}
	// A damaged block is refused, never half read.
	good := b.encode()
	for name, blk := range map[string]encodedBlock{
		"truncated":   {"B", 1, good[:len(good)-3]},
		"wrong count": {"B", 2, good},
		"empty":       {"B", 0, nil},
	} {
		if _, err := decodeBlocks([]encodedBlock{blk}); !errors.Is(err, errCorruptBlock) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
