package web

import (
	"bytes"
	"testing"
)

// TestBulkJSONMatchesEncodingJSON: the hand-written bulk body is byte for byte what
// encoding/json wrote for the map it replaced, over every kind of item (full postcodes
// inside, nearest, by sector, outside England; outcodes and sectors; each kind of error),
// in every edition.
func TestBulkJSONMatchesEncodingJSON(t *testing.T) {
	snap := fixtureSnapshot(t)
	items := []string{"AA1 1AA", "aa11ab", "AA1 2AA", "AA1 1AD", "AA2 1ZZ", "CF1 1AA", "BT1 1AA", "AA1", "AA1 1",
		"bad", "", "ZZ9 9ZZ", "GY1 1AA", "BFPO 1", "quote\"<&>\u2028\x01\xff"}
	for _, e := range snap.Editions {
		resp := bulkAnswer(snap, e.ID, items)
		kinds := map[string]bool{}
		for _, r := range resp.Results {
			kinds[map[bool]string{true: "result", false: "error"}[r.Result != nil]] = true
		}
		if !kinds["result"] || !kinds["error"] {
			t.Fatalf("edition %s: items give %v, want results and errors", e.ID, kinds)
		}
		got, err := appendJSON(nil, resp)
		if err != nil {
			t.Fatal(err)
		}
		old, err := appendStd(nil, map[string]any{"edition": resp.Edition, "results": resp.Results, "dataset": resp.Dataset})
		if err != nil {
			t.Fatal(err)
		}
		if want := append(old, '\n'); !bytes.Equal(got, want) {
			t.Fatalf("edition %s:\n got %s\nwant %s", e.ID, got, want)
		}
	}
}

// TestBulkInOrder: a list long enough to be shared among goroutines is answered item for
// item as one goroutine answers it.
func TestBulkInOrder(t *testing.T) {
	snap := fixtureSnapshot(t)
	base := []string{"AA1 1AA", "aa11ab", "AA1 2AA", "AA1 1AD", "AA2 1ZZ", "CF1 1AA", "bad", "AA1", "ZZ9 9ZZ"}
	var items []string
	for i := 0; len(items) < 1000; i++ {
		items = append(items, base[i%len(base)])
	}
	got, err := appendJSON(nil, bulkAnswer(snap, "2021", items))
	if err != nil {
		t.Fatal(err)
	}
	one := make([]bulkResult, len(items))
	answerItems(snap, "2021", items, one)
	want, err := appendJSON(nil, &bulkResponse{Dataset: snap.Checksum, Edition: "2021", Results: one})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("the shared-out answer differs from the sequential one")
	}
}
