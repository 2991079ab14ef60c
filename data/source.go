package data

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
)

// gunzipped returns r's content, decompressed when it starts with the gzip magic number, so
// every reader takes plain and gzipped input alike; a leading UTF-8 byte-order mark is
// skipped. done releases the decompressor.
func gunzipped(r io.Reader, name string) (rd io.Reader, done func(), err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	done = func() {}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, &RowError{File: name, Cause: err, Reason: fmt.Sprintf("gzip: %v", err)}
		}
		br, done = bufio.NewReaderSize(zr, 64<<10), func() { zr.Close() }
	}
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	return br, done, nil
}

// readPath opens path and reads it with read, naming errors by the path.
func readPath[T any](path string, read func(io.Reader, string) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	return read(f, path)
}

// newCSVReader returns a CSV reader over r (plain or gzipped) that reuses its record slice and
// demands fields rows of that many fields (0: as many as the first row).
func newCSVReader(r io.Reader, name string, fields int) (*csv.Reader, func(), error) {
	rd, done, err := gunzipped(r, name)
	if err != nil {
		return nil, nil, err
	}
	cr := csv.NewReader(rd)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = fields
	return cr, done, nil
}

// readHeader reads a CSV header row and returns its column positions by lower-case name
// (byte-order mark and surrounding spaces removed; the first of repeated names wins).
func readHeader(cr *csv.Reader, name string) ([]string, map[string]int, error) {
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, &RowError{File: name, Kind: ErrMissingColumn, Reason: "empty file: no header row"}
	}
	if err != nil {
		return nil, nil, csvError(name, err)
	}
	header = append([]string(nil), header...) // the reader reuses its record
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if h := strings.ToLower(h); h != "" {
			if _, dup := col[h]; !dup {
				col[h] = i
			}
		}
	}
	return header, col, nil
}

// requireColumns returns the positions of the required columns (lower-case names), or a
// *RowError wrapping ErrMissingColumn that names every missing one; what is a hint such as
// "an NHS.UK hospital file".
func requireColumns(col map[string]int, name, what string, required ...string) ([]int, error) {
	idx := make([]int, len(required))
	var missing []string
	for i, c := range required {
		j, ok := col[c]
		if !ok {
			missing = append(missing, c)
		}
		idx[i] = j
	}
	if len(missing) > 0 {
		return nil, &RowError{File: name, Line: 1, Kind: ErrMissingColumn,
			Reason: fmt.Sprintf("header lacks column(s) %s (is this %s?)", strings.Join(missing, ", "), what)}
	}
	return idx, nil
}

// interner shares one copy of each repeated string; new strings are cloned so they do not pin
// the buffer they were cut from.
type interner map[string]string

func (in interner) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}

// isODSCode reports whether s looks like an NHS ODS organisation or site code: 1 to 10 upper-case
// ASCII letters and digits ("RHQ", "R0A", "RHQ01", "G6V2S", "L0S3P").
func isODSCode(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// normalisePostcode returns a full postcode normalised like ParsePostcode ("SR4 7TP"), or the
// text as given, trimmed, when it is not a valid full postcode (callers keep source data as is).
func normalisePostcode(s string) string {
	s = strings.TrimSpace(s)
	if p, err := ParsePostcode(s); err == nil && p.Kind == FullPostcode {
		return p.Normalised
	}
	return s
}

// csvRow is one record being read: where it is, for errors.
type csvRow struct {
	file string
	line int
}

// bad is a malformed-row error naming the file and line.
func (r csvRow) bad(format string, args ...any) error {
	return &RowError{File: r.file, Line: r.line, Kind: ErrMalformedRow, Reason: fmt.Sprintf(format, args...)}
}

// unique records code as seen on this row, or says on which line it was seen before.
func (r csvRow) unique(seen map[string]int, what, code string) error {
	if prev, dup := seen[code]; dup {
		return &RowError{File: r.file, Line: r.line, Kind: ErrDuplicateCode, Reason: fmt.Sprintf("%s %s already on line %d", what, code, prev)}
	}
	seen[code] = r.line
	return nil
}

// eachRow calls fn with every remaining record of cr and where it is; malformed CSV, or an
// error from fn, stops it.
func eachRow(cr *csv.Reader, name string, fn func(rec []string, at csvRow) error) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if err := fn(rec, csvRow{name, line}); err != nil {
			return err
		}
	}
}
