package web

import (
	"net/http"

	"github.com/nhs-geo/alliance/directory"
	"github.com/paulmach/orb"
)

// lookupQuery is a checked GET /api/v1/lookup request.
type lookupQuery struct {
	lat, lon  float64
	at        orb.Point
	edition   directory.Edition // "all" for every edition
	hospitals int               // nearest hospitals to add; 0: none
}

// parseLookup checks the parameters of a lookup: a 400 names the first one wrong.
func parseLookup(r *http.Request) (lookupQuery, error) {
	q := query(r)
	var lq lookupQuery
	var err error
	if lq.lat, err = floatParam(q, "lat", -90, 90); err != nil {
		return lq, err
	}
	if lq.lon, err = floatParam(q, "lon", -180, 180); err != nil {
		return lq, err
	}
	if lq.edition, err = editionValue(q, true); err != nil {
		return lq, err
	}
	if lq.at, err = directory.ParsePoint(lq.lat, lq.lon); err != nil {
		return lq, err
	}
	if lq.hospitals, err = hospitalsParam(q); err != nil {
		return lq, err
	}
	if lq.edition == "all" && lq.hospitals > 0 {
		return lq, errBadRequest("invalid_parameter", "include=hospitals is not available with edition=all: ask one edition")
	}
	return lq, nil
}

// handleLookup answers GET /api/v1/lookup?lat=&lon=[&edition=ID|all] (editions: /api/v1/editions).
func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	lq, err := parseLookup(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	snap := snapshotFrom(r)
	if lq.edition == "all" {
		answers, err := snap.LookupAll(lq.at)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"lat": lq.lat, "lon": lq.lon, "editions": answers, "dataset": snap.Checksum})
		return
	}
	ans, err := snap.LookupPoint(lq.at, lq.edition)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if lq.hospitals > 0 {
		snap.AddHospitals(ans, lq.hospitals)
	}
	writeJSON(w, http.StatusOK, ans)
}
