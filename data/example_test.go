package data_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nhs-geo/alliance/data"
)

func ExampleParsePostcode() {
	for _, s := range []string{" sw1a1aa ", "s18 1", "S18", "BT1 1AA", "Q1 1AA"} {
		p, err := data.ParsePostcode(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %s (outward %s, area %s, sector %q)\n", p.Kind, p.Normalised, p.Outward, p.Area, p.Sector)
		if kind, _, ok := data.Special(p); ok {
			fmt.Println("  special:", kind)
		}
	}
	// Output:
	// postcode: SW1A 1AA (outward SW1A, area SW, sector "SW1A 1")
	// sector: S18 1 (outward S18, area S, sector "S18 1")
	// outcode: S18 (outward S18, area S, sector "")
	// postcode: BT1 1AA (outward BT1, area BT, sector "BT1 1")
	//   special: northern-ireland
	// invalid postcode: outward code Q1: no postcode starts with Q (Q, V and X are not used first)
}

func ExampleOSGBToWGS84_grid() {
	// The OS guide's worked example point, 651409.903 E 313177.270 N (near Caister, Norfolk).
	lon, lat := data.OSGBToWGS84(651409.903, 313177.270)
	fmt.Printf("lat %.5f, lon %.5f\n", lat, lon)
	// Output: lat 52.65798, lon 1.71605
}

func ExampleReadLayer() {
	const doc = `{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"SICBL23CD":"E38000006","SICBL23NM":"NHS South Yorkshire ICB - 02P","FID":1},
	  "geometry":{"type":"Polygon","coordinates":[[[-1.8,53.45],[-1.3,53.45],[-1.3,53.65],[-1.8,53.45]]]}}]}`
	fs, err := data.ReadLayer(strings.NewReader(doc), "sub-icb.geojson", []string{"sicbl"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fs[0].Code, fs[0].ODSCode, len(fs[0].Geometry))

	// A file in British National Grid metres is refused with a hint.
	const bng = `{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"cal21cd":"E56000025","cal21nm":"x"},
	  "geometry":{"type":"Polygon","coordinates":[[[420000,390000],[450000,390000],[450000,410000],[420000,390000]]]}}]}`
	_, err = data.ReadLayer(strings.NewReader(bng), "cal.geojson", []string{"cal"})
	fmt.Println(errors.Is(err, data.ErrProjection))
	fmt.Println(err)
	// Output:
	// E38000006 02P 1
	// true
	// cal.geojson: feature 0 (E56000025): coordinates look like British National Grid metres (EPSG:27700); convert to WGS84 lon/lat (EPSG:4326) (ring 0 point 0 is 420000, 390000)
}
