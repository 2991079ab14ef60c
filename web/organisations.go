package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

// organisationAnswer is one trust or site with the areas of the default edition it lies in.
type organisationAnswer struct {
	*directory.Organisation
	Areas   []directory.Match `json:"areas"`
	Dataset string            `json:"dataset"`
}

// handleOrganisation answers GET /api/v1/organisations/{ods}: a trust or a hospital site.
func (s *Server) handleOrganisation(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	o, areas, err := snap.Organisation(chi.URLParam(r, "ods"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if areas == nil {
		areas = []directory.Match{}
	}
	writeJSON(w, http.StatusOK, organisationAnswer{Organisation: o, Areas: areas, Dataset: snap.Checksum})
}

// handleOrganisations answers GET /api/v1/organisations[?alliance=&type=trust|site]: trusts
// first, then sites, each by name.
func (s *Server) handleOrganisations(w http.ResponseWriter, r *http.Request) {
	q := query(r)
	alliance, err := optionalValue(q, "alliance")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	kind, err := optionalValue(q, "type")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	snap := snapshotFrom(r)
	list, err := snap.Organisations(alliance, kind)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if list == nil {
		list = []*directory.Organisation{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(list), "organisations": list, "dataset": snap.Checksum})
}
