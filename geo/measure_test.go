package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

func TestAreaAndCentroid(t *testing.T) {
	// One degree square at the equator: about 111.2 km × 111.2 km.
	mp := square(0, 0, 1, 1)
	if a := AreaKm2(mp); math.Abs(a-12364)/12364 > 0.01 {
		t.Errorf("area %v km², want about 12364", a)
	}
	if c := Centroid(mp); math.Abs(c[0]-0.5) > 1e-9 || math.Abs(c[1]-0.5) > 1e-9 {
		t.Errorf("centroid %v", c)
	}
}

func TestNeighbours(t *testing.T) {
	areas := []orb.MultiPolygon{square(0, 0, 1, 1), square(1, 0, 2, 1), square(0, 1, 1, 2), square(5, 5, 6, 6)}
	got := Neighbours(areas)
	want := [][]int{{1, 2}, {0}, {0}, nil}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("neighbours of %d = %v, want %v", i, got[i], want[i])
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("neighbours of %d = %v, want %v", i, got[i], want[i])
			}
		}
	}
}

func TestSample(t *testing.T) {
	// Area 0 covers the west quarter of the strip, area 1 the rest, at 53°N.
	areas := []orb.MultiPolygon{square(-2, 53, -1.5, 53.5), square(-1.5, 53, 0, 53.5)}
	ix, err := NewIndex(areas)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := NewIndex([]orb.MultiPolygon{square(-2, 53, 0, 53.5)})
	if err != nil {
		t.Fatal(err)
	}
	pts := whole.Sample(0, 4000)
	if len(pts) < 2000 || len(pts) > 8000 {
		t.Fatalf("%d points, want about 4000", len(pts))
	}
	in0 := 0
	for _, p := range pts {
		if ix.Locate(p) == 0 {
			in0++
		}
	}
	if share := float64(in0) / float64(len(pts)); math.Abs(share-0.25) > 0.01 {
		t.Errorf("share in the west quarter = %.3f, want 0.25", share)
	}
	if ix.Sample(5, 10) != nil || ix.Sample(0, 0) != nil {
		t.Error("samples for a missing area or zero points")
	}
}
