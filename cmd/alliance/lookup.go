package main

import (
	"context"
	"encoding/json"
	"io"
	"math"

	"github.com/nhs-geo/alliance/data"
	"github.com/nhs-geo/alliance/directory"
)

func runLookup(ctx context.Context, args []string, env envLookup, stdout, stderr io.Writer) error {
	fs := newFlagSet("lookup", "Prints, as JSON, the Cancer Alliance, ICS footprint and other areas of a point or a\npostcode (full, sector or outcode). The same answer as the HTTP API.", env, stderr)
	db := fs.dbFlag()
	lat := fs.Float("lat", "", math.NaN(), "latitude, WGS84 degrees")
	lon := fs.Float("lon", "", math.NaN(), "longitude, WGS84 degrees")
	postcode := fs.String("postcode", "", "", "a postcode, sector or outcode, e.g. \"S1 2HE\", \"S18 1\", \"S18\"")
	edition := fs.String("edition", "ALLIANCE_EDITION", "", "edition: 2017, 2018, 2021, 2023 (default the newest) or all (points only)")
	nearest := fs.Float("nearest", "ALLIANCE_NEAREST_M", directory.DefaultOptions.MaxNearestM, "metres: how far the nearest-area fallback reaches")
	if err := fs.parse(args); err != nil {
		return err
	}
	hasPoint := !math.IsNaN(*lat) || !math.IsNaN(*lon)
	if hasPoint == (*postcode != "") {
		return usageError{"give either --lat and --lon, or --postcode"}
	}
	if hasPoint && (math.IsNaN(*lat) || math.IsNaN(*lon)) {
		return usageError{"give both --lat and --lon"}
	}
	opts := directory.DefaultOptions
	opts.MaxNearestM = *nearest
	snap, err := directory.Open(ctx, *db, opts)
	if err != nil {
		return err
	}
	var ans any
	ed := directory.Edition(*edition)
	switch {
	case *postcode != "":
		pc, err := directory.ParsePostcode(*postcode)
		if err != nil {
			return err
		}
		if pc.Kind == data.FullPostcode {
			ans, err = snap.LookupPostcode(*postcode, ed)
		} else {
			ans, err = snap.LookupPartial(*postcode, ed)
		}
		if err != nil {
			return err
		}
	default:
		p, err := directory.ParsePoint(*lat, *lon)
		if err != nil {
			return err
		}
		if ed == "all" {
			ans, err = snap.LookupAll(p)
		} else {
			ans, err = snap.LookupPoint(p, ed)
		}
		if err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ans)
}
