package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

// directoryAPIRoutes adds the directory API (editions, areas, geometry, layers) under /api/v1.
func (s *Server) directoryAPIRoutes(r chi.Router) {
	r.Get("/editions", s.handleEditions)
	r.Get("/areas", s.handleAreas)
	r.Get("/areas/{code}", s.handleArea)
	r.Get("/areas/{code}/geometry", s.handleAreaGeometry)
	r.Get("/layers/{file}", s.handleLayer)
	r.Get("/organisations", s.handleOrganisations)
	r.Get("/organisations/{ods}", s.handleOrganisation)
	r.Get("/search", s.handleSearch)
}

type layerInfo struct {
	Type       directory.AreaType `json:"type"`
	Features   int                `json:"features"`
	SourceFile string             `json:"source_file"`
	SHA256     string             `json:"sha256"`
}

type editionInfo struct {
	ID          directory.Edition `json:"id"`
	Title       string            `json:"title"`
	ValidFrom   string            `json:"valid_from"`
	Description string            `json:"description"`
	Caveats     []string          `json:"caveats"`
	Default     bool              `json:"default"`
	Layers      []layerInfo       `json:"layers"`
}

// handleEditions answers GET /api/v1/editions: every edition, its layers and their sources.
func (s *Server) handleEditions(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	out := []editionInfo{}
	for _, e := range snap.Editions {
		ei := editionInfo{ID: e.ID, Title: e.Title, ValidFrom: e.ValidFrom, Description: e.Description,
			Caveats: e.Caveats, Default: e.ID == snap.DefaultEdition, Layers: []layerInfo{}}
		for _, src := range e.Layers {
			if l, err := snap.Layer(e.ID, src.Type); err == nil {
				ei.Layers = append(ei.Layers, layerInfo{Type: l.Type, Features: l.Source.Features, SourceFile: l.Source.File, SHA256: l.Source.SHA256})
			}
		}
		out = append(out, ei)
	}
	countries, err := snap.Layer("", directory.Country)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"editions":        out,
		"default_edition": snap.DefaultEdition,
		"countries":       layerInfo{Type: directory.Country, Features: countries.Source.Features, SourceFile: countries.Source.File, SHA256: countries.Source.SHA256},
		"postcodes":       snap.Postcodes().Len(),
		"imported_at":     snap.ImportedAt,
		"attribution":     snap.Attribution,
		"dataset":         snap.Checksum,
	})
}

// handleAreas answers GET /api/v1/areas?type=&edition=: every area of a layer, by name.
func (s *Server) handleAreas(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	ed, err := editionParam(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	raw, err := optionalParam(r, "type")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	t := directory.AreaType(raw)
	if t == "" {
		s.writeError(w, r, errBadRequest("missing_parameter", `parameter "type" is required: one of cancer-alliance, stp, icb, ccg, sub-icb, nhs-region, country`))
		return
	}
	areas, err := snap.Areas(ed, t)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	info, _ := snap.Edition(ed)
	writeJSON(w, http.StatusOK, map[string]any{"edition": info.ID, "type": t, "count": len(areas), "areas": areas, "dataset": snap.Checksum})
}

// handleArea answers GET /api/v1/areas/{code}[?edition=].
func (s *Server) handleArea(w http.ResponseWriter, r *http.Request) {
	ed, err := editionParam(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := snapshotFrom(r).AreaDetail(areaCode(r), ed)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func areaCode(r *http.Request) string {
	return strings.ToUpper(strings.TrimSpace(chi.URLParam(r, "code")))
}

// handleAreaGeometry answers GET /api/v1/areas/{code}/geometry[?edition=&simplify=].
func (s *Server) handleAreaGeometry(w http.ResponseWriter, r *http.Request) {
	ed, level, err := geometryParams(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := snapshotFrom(r).AreaGeoJSON(areaCode(r), ed, level)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeGeoJSON(w, b)
}

// handleLayer answers GET /api/v1/layers/{type}.geojson[?edition=&simplify=].
func (s *Server) handleLayer(w http.ResponseWriter, r *http.Request) {
	file := chi.URLParam(r, "file")
	t, ok := strings.CutSuffix(file, ".geojson")
	if !ok {
		fail(w, http.StatusNotFound, "route_not_found", "layers are served as /api/v1/layers/{type}.geojson")
		return
	}
	ed, level, err := geometryParams(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := snapshotFrom(r).LayerGeoJSON(ed, directory.AreaType(t), level)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeGeoJSON(w, b)
}

// geometryParams reads ?edition= and ?simplify= of the geometry routes.
func geometryParams(r *http.Request) (directory.Edition, int, error) {
	ed, err := editionParam(r, false)
	if err != nil {
		return "", 0, err
	}
	raw, err := optionalParam(r, "simplify")
	if err != nil {
		return "", 0, err
	}
	level, err := directory.ParseSimplify(raw)
	return ed, level, err
}

func writeGeoJSON(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/geo+json")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
