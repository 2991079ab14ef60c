package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"

	"github.com/nhs-geo/alliance/directory"
)

func runLookup(ctx context.Context, args []string, env envLookup, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("lookup", "Prints, as JSON, the Cancer Alliance, ICS footprint and other areas of a point or a\npostcode (full, sector or outcode). The same answer as the HTTP API.", env, stderr)
	db := fs.dbFlag()
	lat := fs.Float("lat", "", math.NaN(), "latitude, WGS84 degrees")
	lon := fs.Float("lon", "", math.NaN(), "longitude, WGS84 degrees")
	postcode := fs.String("postcode", "", "", "a postcode, sector or outcode, e.g. \"S1 2HE\", \"S18 1\", \"S18\"")
	edition := fs.String("edition", "ALLIANCE_EDITION", "", "edition, as `GET /api/v1/editions` lists them (default: the newest), or all (points only)")
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
	case *postcode == "-":
		return lookupLines(snap, ed, stdin, stdout)
	case *postcode != "":
		res, err := snap.LookupPostcode(*postcode, ed)
		if err != nil {
			return err
		}
		ans = res.Value()
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

// lookupLines answers each line of in as a postcode query, writing one JSON line per line: the
// answer, or the query and its error. An unknown edition fails the whole run.
func lookupLines(snap *directory.Snapshot, ed directory.Edition, in io.Reader, out io.Writer) error {
	if _, err := snap.Edition(ed); err != nil {
		return err
	}
	type failure struct {
		Query string `json:"query"`
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		q := sc.Text()
		res, err := snap.LookupPostcode(q, ed)
		if err != nil {
			var de *directory.Error
			if !errors.As(err, &de) {
				return err
			}
			f := failure{Query: q}
			f.Error.Code, f.Error.Message = de.Code, de.Message
			err = enc.Encode(f)
		} else {
			err = enc.Encode(res.Value())
		}
		if err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}
