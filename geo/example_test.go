package geo_test

import (
	"fmt"

	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
)

// exampleLayer is two areas sharing the meridian 0 between latitudes 51 and 52:
// area 0 to the west, area 1 to the east.
func exampleLayer() *geo.Index {
	west := orb.MultiPolygon{{{{-1, 51}, {0, 51}, {0, 52}, {-1, 52}, {-1, 51}}}}
	east := orb.MultiPolygon{{{{0, 51}, {1, 51}, {1, 52}, {0, 52}, {0, 51}}}}
	ix, err := geo.NewIndex([]orb.MultiPolygon{west, east})
	if err != nil {
		panic(err)
	}
	return ix
}

func ExampleIndex_Locate() {
	ix := exampleLayer()
	fmt.Println(ix.Locate(orb.Point{-0.5, 51.5})) // inside the west area
	fmt.Println(ix.Locate(orb.Point{0, 51.5}))    // on the shared edge: the area to the east
	fmt.Println(ix.Locate(orb.Point{-0.5, 51}))   // on the southern edge: the area to the north
	fmt.Println(ix.Locate(orb.Point{-0.5, 52}))   // on the northern edge: nothing to the north
	fmt.Println(ix.Locate(orb.Point{2, 51.5}))    // outside
	// Output:
	// 0
	// 1
	// 0
	// -1
	// -1
}

func ExampleIndex_Lookup() {
	ix := exampleLayer()
	for _, p := range []orb.Point{
		{-0.9, 51.5}, // inside, 0.1° of longitude from the western edge
		{1.01, 51.5}, // 0.01° east of the coast: nearest-area fallback
		{1.1, 51.5},  // 0.1° east of the coast: beyond the 2 km limit
	} {
		m := ix.Lookup(p, 2000)
		fmt.Printf("area %d inside %v distance %.0f m boundary %.0f m\n", m.Area, m.Inside, m.DistanceM, m.BoundaryDistanceM)
	}
	// Output:
	// area 0 inside true distance 0 m boundary 6922 m
	// area 1 inside false distance 692 m boundary 692 m
	// area -1 inside false distance 0 m boundary 0 m
}

func ExampleIndex_Near() {
	ix := exampleLayer()
	// 0.005° east of the shared edge: inside area 1, 346 m from area 0.
	for _, h := range ix.Near(orb.Point{0.005, 51.5}, 1000) {
		fmt.Printf("area %d at %.0f m\n", h.Area, h.DistanceM)
	}
	// Output:
	// area 1 at 0 m
	// area 0 at 346 m
}

func ExampleDistanceM() {
	fmt.Printf("%.2f m\n", geo.DistanceM(orb.Point{0, 0}, orb.Point{1, 0}))
	fmt.Printf("%.0f m\n", geo.DistanceM(orb.Point{-0.1276, 51.5072}, orb.Point{2.3522, 48.8566}))
	// Output:
	// 111195.08 m
	// 343530 m
}

func ExampleValidLonLat() {
	fmt.Println(geo.ValidLonLat(orb.Point{-1.5, 52.9}))
	fmt.Println(geo.ValidLonLat(orb.Point{52.9, -181}))
	// Output:
	// <nil>
	// geo: latitude -181 outside [-90, 90]
}
