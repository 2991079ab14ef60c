package web

import "github.com/go-chi/chi/v5"

// pageRoutes adds the HTML pages: the map at / and the directory pages.
func (s *Server) pageRoutes(r chi.Router) {
}
