package web

import "github.com/go-chi/chi/v5"

// directoryAPIRoutes adds the directory API (editions, areas, geometry, layers) under /api/v1.
func (s *Server) directoryAPIRoutes(r chi.Router) {
}
