package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/nhs-geo/alliance/directory"
)

// jsonBuffers recycles response buffers: a lookup answer is about 1 KB.
var jsonBuffers = sync.Pool{New: func() any { return new([]byte) }}

// writeJSON sends v as JSON with HTML escaping off. Lookup answers, the hot path, are
// encoded without reflection (answer_json.go: the same bytes, tested); everything else goes
// through encoding/json.
func writeJSON(w http.ResponseWriter, status int, v any) {
	bp := jsonBuffers.Get().(*[]byte)
	defer jsonBuffers.Put(bp)
	b, err := appendJSON((*bp)[:0], v)
	if err != nil {
		http.Error(w, `{"error":{"status":500,"code":"internal_error","message":"encoding failed"}}`, http.StatusInternalServerError)
		return
	}
	if cap(b) <= 64<<10 {
		*bp = b // keep small buffers; a rare large one goes to the garbage collector
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// appendJSON appends v's JSON and a newline, as json.Encoder.Encode writes it.
func appendJSON(b []byte, v any) ([]byte, error) {
	b, err := appendValue(b, v)
	return append(b, '\n'), err
}

// appendValue appends v's JSON: by hand for the answer types, by encoding/json for the rest.
func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case *directory.Answer:
		return appendAnswer(b, v)
	case *directory.PostcodeAnswer:
		return appendPostcodeAnswer(b, v)
	case *bulkResponse:
		return v.appendJSON(b)
	default:
		return appendStd(b, v)
	}
}

// appendStd appends v as encoding/json writes it with HTML escaping off, without the
// newline an Encoder adds.
func appendStd(b []byte, v any) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return b, err
	}
	out := buf.Bytes()
	return out[:len(out)-1], nil
}
