package web

import (
	"net/http"

	"github.com/nhs-geo/alliance/directory"
)

// handleLookup answers GET /api/v1/lookup?lat=&lon=[&edition=ID|all] (editions: /api/v1/editions).
func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	q := query(r)
	lat, err := floatParam(q, "lat", -90, 90)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lon, err := floatParam(q, "lon", -180, 180)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ed, err := editionValue(q, true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	snap := snapshotFrom(r)
	p, err := directory.ParsePoint(lat, lon)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	hospitals, err := hospitalsParam(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if ed == "all" && hospitals > 0 {
		s.writeError(w, r, errBadRequest("invalid_parameter", "include=hospitals is not available with edition=all: ask one edition"))
		return
	}
	if ed == "all" {
		answers, err := snap.LookupAll(p)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"lat": lat, "lon": lon, "editions": answers, "dataset": snap.Checksum})
		return
	}
	ans, err := snap.LookupPoint(p, ed)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if hospitals > 0 {
		snap.AddHospitals(ans, hospitals)
	}
	writeJSON(w, http.StatusOK, ans)
}
