package web

import (
	"errors"
	"log/slog"
	"net/http"

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
	case errors.Is(err, directory.ErrUnavailable):
		return http.StatusServiceUnavailable, code
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
