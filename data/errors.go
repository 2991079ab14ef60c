package data

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the readers return wraps one of these (test with errors.Is) and
// carries a message naming the file, the feature or line, and the reason.
var (
	// ErrInvalidJSON: the input is not (complete) JSON, e.g. a truncated file.
	ErrInvalidJSON = errors.New("invalid JSON")
	// ErrNotFeatureCollection: the JSON is not a GeoJSON FeatureCollection.
	ErrNotFeatureCollection = errors.New("not a GeoJSON FeatureCollection")
	// ErrNoFeatures: a FeatureCollection with no features.
	ErrNoFeatures = errors.New("no features")
	// ErrMissingProperty: a feature lacks its own code or name property, or the code is empty.
	ErrMissingProperty = errors.New("missing property")
	// ErrAmbiguousProperty: a feature carries more than one candidate own code key.
	ErrAmbiguousProperty = errors.New("ambiguous property")
	// ErrInvalidGeometry: missing, empty or malformed geometry, or not Polygon/MultiPolygon.
	ErrInvalidGeometry = errors.New("invalid geometry")
	// ErrProjection: coordinates are not WGS84 lon/lat (e.g. British National Grid metres).
	ErrProjection = errors.New("wrong coordinate reference system")
	// ErrDuplicateCode: two features of one file share a code.
	ErrDuplicateCode = errors.New("duplicate code")
	// ErrMalformedRow: a CSV row that cannot be read (wrong field count, bad number, bad postcode).
	ErrMalformedRow = errors.New("malformed row")
	// ErrMissingColumn: a CSV header lacks a required column.
	ErrMissingColumn = errors.New("missing column")
	// ErrNoFiles: a directory holds none of the expected files.
	ErrNoFiles = errors.New("no data files")
	// ErrNoRows: a file (or spreadsheet sheet) with a header but no data rows.
	ErrNoRows = errors.New("no rows")
	// ErrMissingSheet: a spreadsheet lacks a required sheet.
	ErrMissingSheet = errors.New("missing sheet")
	// ErrInvalidPostcode: text that is not UK postcode syntax. ParsePostcode's errors read
	// "invalid postcode: <reason>".
	ErrInvalidPostcode = errors.New("invalid postcode")
)

// FeatureError is an error about a GeoJSON file or one of its features. Its message reads
//
//	boundaries/2021/stp.geojson: feature 7 (E54000012): ring 0 has 3 points, need at least 4
//
// or, for errors about the whole file, "boundaries/2021/stp.geojson: no features".
// errors.Is matches Kind (a sentinel such as ErrInvalidGeometry) and Cause, if any.
type FeatureError struct {
	File   string // the name passed to ReadLayer (usually the path)
	Index  int    // 0-based feature index, or -1 when the error is about the whole file
	Code   string // the feature's code when known
	Kind   error  // sentinel error
	Reason string // human-readable reason; Kind's text when empty
	Cause  error  // underlying error (e.g. a *json.SyntaxError), may be nil
}

func (e *FeatureError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Index >= 0 {
		fmt.Fprintf(&b, "feature %d", e.Index)
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
		b.WriteString(": ")
	}
	switch {
	case e.Reason != "":
		b.WriteString(e.Reason)
	case e.Kind != nil:
		b.WriteString(e.Kind.Error())
	case e.Cause != nil:
		b.WriteString(e.Cause.Error())
	default:
		b.WriteString("error")
	}
	return b.String()
}

// Unwrap returns Kind and Cause for errors.Is and errors.As.
func (e *FeatureError) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

// RowError is an error about one line of a CSV file: "Data/CSV/s.csv.gz: line 12: expected 10
// fields, got 9". Line is 1-based; 0 when the error is about the whole file (e.g. a corrupt gzip
// stream after the last complete line). errors.Is matches Kind and Cause.
type RowError struct {
	File   string
	Line   int
	Kind   error
	Reason string
	Cause  error
}

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	b.WriteString(": ")
	switch {
	case e.Reason != "":
		b.WriteString(e.Reason)
	case e.Cause != nil:
		b.WriteString(e.Cause.Error())
	case e.Kind != nil:
		b.WriteString(e.Kind.Error())
	}
	return b.String()
}

// Unwrap returns Kind and Cause for errors.Is and errors.As.
func (e *RowError) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}
