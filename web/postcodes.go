package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

// handlePostcode answers GET /api/v1/postcodes/{postcode}: a full postcode, or an outcode or
// sector (answered as /outcodes or /sectors would).
func (s *Server) handlePostcode(w http.ResponseWriter, r *http.Request) {
	ed, err := editionParam(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	hospitals, err := hospitalsParam(query(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	snap := snapshotFrom(r)
	res, err := snap.LookupPostcode(chi.URLParam(r, "postcode"), ed)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if hospitals > 0 && res.Full != nil {
		snap.AddHospitals(res.Full.Answer, hospitals)
	}
	writeJSON(w, http.StatusOK, res.Value())
}

// handlePartial answers GET /api/v1/outcodes/{outcode} and /api/v1/sectors/{sector}.
func (s *Server) handlePartial(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ed, err := editionParam(r, false)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		raw := chi.URLParam(r, kind)
		got, err := directory.PostcodeKind(raw)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if got != kind {
			s.writeError(w, r, errBadRequest("invalid_"+kind, fmt.Sprintf("%q is not a postcode %s (like %s)", raw, kind, map[string]string{directory.QueryOutcode: "S18", directory.QuerySector: "S18 1"}[kind])))
			return
		}
		res, err := snapshotFrom(r).LookupPostcode(raw, ed)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res.Value())
	}
}

// bulkRequest is the body of POST /api/v1/postcodes.
type bulkRequest struct {
	Postcodes []string `json:"postcodes"`
}

// bulkResult is one item of the bulk answer: the query and either its result or its error.
type bulkResult struct {
	Query  string    `json:"query"`
	Result any       `json:"result,omitempty"`
	Error  *apiError `json:"error,omitempty"`
}

// handleBulkPostcodes answers POST /api/v1/postcodes {"postcodes":[...]}[?edition=]: one result
// per item, in order, each with its own error where it has one.
func (s *Server) handleBulkPostcodes(w http.ResponseWriter, r *http.Request) {
	ed, err := editionParam(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req bulkRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("request body is over the limit of %d bytes", tooBig.Limit))
			return
		}
		if errors.Is(err, io.EOF) {
			s.writeError(w, r, errBadRequest("invalid_body", `the body is empty: send {"postcodes": ["S1 2HE", ...]}`))
			return
		}
		s.writeError(w, r, errBadRequest("invalid_body", `the body is not {"postcodes": [strings]}: `+err.Error()))
		return
	}
	if dec.More() {
		s.writeError(w, r, errBadRequest("invalid_body", "the body holds more than one JSON value"))
		return
	}
	if req.Postcodes == nil {
		s.writeError(w, r, errBadRequest("invalid_body", `the body has no "postcodes" array`))
		return
	}
	if len(req.Postcodes) > s.cfg.MaxBulk {
		fail(w, http.StatusRequestEntityTooLarge, "too_many_postcodes", fmt.Sprintf("%d postcodes in one request; the limit is %d", len(req.Postcodes), s.cfg.MaxBulk))
		return
	}
	snap := snapshotFrom(r)
	info, err := snap.Edition(ed)
	if err != nil {
		s.writeError(w, r, err) // an unknown edition fails the whole request, not each item
		return
	}
	writeJSON(w, http.StatusOK, bulkAnswer(snap, info.ID, req.Postcodes))
}

// bulkAnswer answers each item in order, each with its own error where it has one. A long
// list is shared out among the processors: each item's answer is independent of the others.
func bulkAnswer(snap *directory.Snapshot, ed directory.Edition, items []string) *bulkResponse {
	out := make([]bulkResult, len(items))
	workers := min(runtime.GOMAXPROCS(0), len(items)/bulkChunk)
	if workers <= 1 {
		answerItems(snap, ed, items, out)
	} else {
		var wg sync.WaitGroup
		per := (len(items) + workers - 1) / workers
		for lo := 0; lo < len(items); lo += per {
			hi := min(lo+per, len(items))
			wg.Go(func() { answerItems(snap, ed, items[lo:hi], out[lo:hi]) })
		}
		wg.Wait()
	}
	return &bulkResponse{Dataset: snap.Checksum, Edition: ed, Results: out}
}

// bulkChunk is the fewest items worth a goroutine of their own (about 0.5 ms of work).
const bulkChunk = 64

func answerItems(snap *directory.Snapshot, ed directory.Edition, items []string, out []bulkResult) {
	for i, q := range items {
		out[i].Query = q
		res, err := snap.LookupPostcode(q, ed)
		if err != nil {
			body := errorBody(err)
			out[i].Error = &body
			continue
		}
		out[i].Result = res.Value()
	}
}

// bulkResponse is the body of a bulk answer. Its fields are in the order encoding/json gave
// the map it replaced, so the bytes are unchanged (TestBulkJSONMatchesEncodingJSON).
type bulkResponse struct {
	Dataset string            `json:"dataset"`
	Edition directory.Edition `json:"edition"`
	Results []bulkResult      `json:"results"`
}

// appendJSON writes the response without reflection where it can: each item goes through
// appendValue, so a thousand postcode answers go through the hand-written encoders.
func (b *bulkResponse) appendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"dataset":`...)
	dst = appendString(dst, b.Dataset)
	dst = append(dst, `,"edition":`...)
	dst = appendString(dst, string(b.Edition))
	dst = append(dst, `,"results":[`...)
	var err error
	for i := range b.Results {
		if i > 0 {
			dst = append(dst, ',')
		}
		r := &b.Results[i]
		dst = append(dst, `{"query":`...)
		dst = appendString(dst, r.Query)
		switch {
		case r.Result != nil:
			dst = append(dst, `,"result":`...)
			dst, err = appendValue(dst, r.Result)
		case r.Error != nil:
			dst = append(dst, `,"error":`...)
			dst, err = appendValue(dst, r.Error)
		}
		if err != nil {
			return dst, err
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...), nil
}
