package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/nhs-geo/alliance/directory"
)

// handleSearch answers GET /api/v1/search?q=[&limit=]: ranked results of every kind.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := query(r)
	vals := q["q"]
	if len(vals) > 1 {
		s.writeError(w, r, errBadRequest("invalid_parameter", fmt.Sprintf("parameter \"q\" is given %d times", len(vals))))
		return
	}
	if len(vals) == 0 {
		s.writeError(w, r, errBadRequest("missing_parameter", "parameter \"q\" is required"))
		return
	}
	limit := 10
	if raw, err := optionalValue(q, "limit"); err != nil {
		s.writeError(w, r, err)
		return
	} else if raw != "" {
		if limit, err = strconv.Atoi(raw); err != nil || limit < 1 || limit > directory.MaxSearchResults {
			s.writeError(w, r, errBadRequest("invalid_parameter", fmt.Sprintf("limit=%q: a whole number from 1 to %d", clipValue(raw), directory.MaxSearchResults)))
			return
		}
	}
	snap := snapshotFrom(r)
	results, err := snap.Search(vals[0], limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": vals[0], "count": len(results), "results": results, "dataset": snap.Checksum})
}
