package data

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Trust is one row of the NHS ODS "etr" file of NHS trusts (England and Wales). The file has
// no header row and 27 columns; those read here are numbered as in the ODS documentation.
// Text is kept as given (names and addresses in capitals, see ReadableName).
type Trust struct {
	Line             int      // 1-based line of the file
	Code             string   // 1: ODS code, e.g. "RHQ"
	Name             string   // 2: e.g. "SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST"
	NationalGrouping string   // 3: ODS code of the NHS England region, e.g. "Y63"; "" for Welsh trusts
	HealthGeography  string   // 4: "high level health geography": ODS code of the ICB, e.g. "QHM"; "" for Welsh trusts
	Address          []string // 5-9: the non-empty address lines in order (the town is usually last); nil when none
	Postcode         string   // 10: normalised like ParsePostcode ("S10 2JF") when valid, else as given; may be ""
	Opened           time.Time
	Closed           time.Time // zero while the trust is open
	Phone            string    // 18: contact telephone number, as given; may be ""
	GOR              string    // 24: Government Office Region letter (A-K, W Wales), e.g. "H" London
}

// etrColumns is the number of columns of ODS standard files such as etr.csv.
const etrColumns = 27

// ReadTrusts reads an ODS etr.csv (plain or gzipped): no header row, 27 quoted columns, dates
// YYYYMMDD. Every row needs an ODS code (upper-case letters and digits) not seen before, a name
// and a valid open date; the close date is empty or a valid date not before the open date.
// Fields are trimmed of surrounding spaces; nothing else is changed except that valid
// postcodes are normalised.
//
// Errors are *RowError values naming name and the line, wrapping ErrMalformedRow (bad CSV,
// not 27 fields, bad code or date; a header row gives "code ... is not an ODS code"),
// ErrDuplicateCode or ErrNoRows (an empty file).
func ReadTrusts(r io.Reader, name string) ([]Trust, error) {
	cr, done, err := newCSVReader(r, name, etrColumns)
	if err != nil {
		return nil, err
	}
	defer done()
	var trusts []Trust
	seen := map[string]int{}
	err = eachRow(cr, name, func(rec []string, at csvRow) error {
		f := func(col int) string { return strings.TrimSpace(rec[col-1]) }
		t := Trust{Line: at.line, Code: f(1), Name: f(2), NationalGrouping: f(3), HealthGeography: f(4),
			Postcode: normalisePostcode(f(10)), Phone: f(18), GOR: f(24)}
		if !isODSCode(t.Code) {
			return at.bad("code %q is not an ODS code (is there a header row? etr.csv has none)", t.Code)
		}
		if err := at.unique(seen, "code", t.Code); err != nil {
			return err
		}
		if t.Name == "" {
			return at.bad("%s: empty name", t.Code)
		}
		for col := 5; col <= 9; col++ {
			if s := f(col); s != "" {
				t.Address = append(t.Address, s)
			}
		}
		var err error
		if t.Opened, err = odsDate(f(11)); err != nil || t.Opened.IsZero() {
			return at.bad("%s: open date %q is not a date (YYYYMMDD)", t.Code, f(11))
		}
		if t.Closed, err = odsDate(f(12)); err != nil {
			return at.bad("%s: close date %q is not a date (YYYYMMDD)", t.Code, f(12))
		}
		if !t.Closed.IsZero() && t.Closed.Before(t.Opened) {
			return at.bad("%s: closed %s before it opened %s", t.Code, f(12), f(11))
		}
		trusts = append(trusts, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(trusts) == 0 {
		return nil, &RowError{File: name, Kind: ErrNoRows, Reason: "no rows"}
	}
	return trusts, nil
}

// ReadTrustsFile reads the ODS etr file at path (plain or gzipped) with ReadTrusts.
func ReadTrustsFile(path string) ([]Trust, error) {
	return readPath(path, ReadTrusts)
}

// odsDate parses an ODS date, YYYYMMDD, as midnight UTC; "" gives the zero time.
func odsDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) != 8 {
		return time.Time{}, fmt.Errorf("date %q is not YYYYMMDD", s)
	}
	return time.Parse("20060102", s)
}
