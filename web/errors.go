package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

// apiError is the body of every error response.
type apiError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// statusOf maps the directory's error kinds to HTTP status: the one place that does.
func statusOf(err error) (int, string) {
	var de *directory.Error
	code := "internal_error"
	if errors.As(err, &de) {
		code = de.Code
	}
	switch {
	case errors.Is(err, directory.ErrInvalid):
		return http.StatusBadRequest, code
	case errors.Is(err, directory.ErrNotFound):
		return http.StatusNotFound, code
	}
	return http.StatusInternalServerError, code
}

// errorBody turns err into the JSON error a client sees.
func errorBody(err error) apiError {
	status, code := statusOf(err)
	msg := err.Error()
	if status == http.StatusInternalServerError {
		msg = "internal error"
	}
	return apiError{Status: status, Code: code, Message: msg}
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	body := errorBody(err)
	if body.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	writeErrorBody(w, body)
}

func writeErrorBody(w http.ResponseWriter, body apiError) {
	h := w.Header()
	h.Del("ETag")
	h.Set("Cache-Control", "no-store")
	writeJSON(w, body.Status, struct {
		Error apiError `json:"error"`
	}{body})
}

// fail writes a client error without a directory error behind it.
func fail(w http.ResponseWriter, status int, code, msg string) {
	writeErrorBody(w, apiError{Status: status, Code: code, Message: msg})
}

// errBadRequest is a client error found while reading the request.
func errBadRequest(code, msg string) error {
	return &directory.Error{Kind: directory.ErrInvalid, Code: code, Message: msg}
}

// notFoundRoute answers a path no route serves (404).
func notFoundRoute(w http.ResponseWriter, r *http.Request) {
	fail(w, http.StatusNotFound, "route_not_found", "no such route: "+clipHeader(r.URL.Path))
}

// methodNotAllowed answers a method the path does not serve (405), with the Allow header
// listing those it does (HEAD wherever GET is).
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	allow := s.allowedMethods(routePath(r.URL))
	w.Header().Set("Allow", strings.Join(allow, ", "))
	fail(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+clipHeader(r.URL.Path)+"; use "+strings.Join(allow, " or "))
}

// allowedMethods lists the methods served at path. It matches against a flat copy of the
// routes (built once, from chi.Walk): chi's own Match on the nested routers says yes to
// every method at a sub-router's mount point.
func (s *Server) allowedMethods(path string) []string {
	s.allowOnce.Do(func() {
		flat := chi.NewRouter()
		noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
		chi.Walk(s.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			route = strings.ReplaceAll(route, "/*/", "/")
			flat.Method(method, route, noop)
			if trimmed := strings.TrimSuffix(route, "/"); trimmed != "" && trimmed != route {
				flat.Method(method, trimmed, noop) // a sub-router's root answers without the slash too
			}
			return nil
		})
		s.allowFlat = flat
	})
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if s.allowFlat.Match(chi.NewRouteContext(), m, path) {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	return allow
}
