package data

import (
	"fmt"
	"io"
	"strings"
)

// Lookup is an ONS area lookup table read from CSV, such as "LSOA (2011) to CCG to STP to
// Cancer Alliance to LAD (April 2021)": one row per small area, one column per geography code
// or name. Rows holds the values row by row in file order, as a compact [][]string (repeated
// codes and names share memory); Column finds a column by its ONS key.
type Lookup struct {
	File string // the name passed to ReadLookup (usually the path)
	// Header holds the canonical ONS key of each column (see LookupKey): "LSOA11CD",
	// "SICBL22CDH", "LAD22CD" (from "ltla22_code"), or, for keys that are not ONS-style such as
	// "FID", the key in upper case.
	Header []string
	Raw    []string   // the header as given (byte-order mark and surrounding spaces removed)
	Rows   [][]string // data rows in file order; each has len(Header) values, trimmed of spaces
	Lines  []int      // Lines[i] is the 1-based line of the file that Rows[i] starts on
}

// LookupKey returns the canonical ONS key of a lookup column name: upper case <TYPE><YY>CD
// (code), NM (name) or CDH (NHS ODS code). It accepts the ONS spelling in any case
// ("LSOA11CD", "cal21nm", "SICBL22CDH") and the snake case that re-publishers such as the R
// package geographr use ("lsoa11_code", "icb22_name", "sicbl22_code_h", "icb24_code_nhs"). The
// type "LTLA" (lower-tier local authority) becomes "LAD", ONS's own name for the same areas,
// so "ltla22_code" -> "LAD22CD". The year may be absent ("lad_code" -> "LADCD"). Any other
// name is returned trimmed and in upper case ("FID", "OBJECTID"); ok reports whether the name
// was ONS-style.
func LookupKey(column string) (key string, ok bool) {
	typ, year, field, ok := splitLookupKey(column, false)
	if !ok {
		return strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(column, "\ufeff"))), false
	}
	return typ + year + field, true
}

// splitLookupKey splits an ONS-style column name into upper-case type, year ("" or two digits)
// and field ("CD", "NM" or "CDH"). loose also accepts a yearless key written as one word
// ("LADCD", "ICBNM", "SICBLCDH"), which in a header would be too easily confused with other
// names ("PCD"), and a bare type with or without year ("LAD", "lad21"), meaning its code.
func splitLookupKey(column string, loose bool) (typ, year, field string, ok bool) {
	k := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(column, "\ufeff")))
	i := 0
	for i < len(k) && k[i] >= 'A' && k[i] <= 'Z' {
		i++
	}
	if i == 0 {
		return "", "", "", false
	}
	typ, rest := k[:i], k[i:]
	if len(rest) >= 2 && isDigit(rest[0]) && isDigit(rest[1]) {
		year, rest = rest[:2], rest[2:]
	}
	switch rest {
	case "CD", "_CODE":
		field = "CD"
	case "NM", "_NAME":
		field = "NM"
	case "CDH", "_CDH", "_CODE_H", "_CODE_NHS":
		field = "CDH"
	case "":
		if !loose {
			return "", "", "", false
		}
		field = "CD"
		if year == "" {
			for _, f := range []string{"CDH", "CD", "NM"} {
				if len(typ) > len(f) && strings.HasSuffix(typ, f) {
					typ, field = typ[:len(typ)-len(f)], f
					break
				}
			}
		}
	default:
		// "LSOA11NMW" (Welsh names) and the like: ONS-looking but not a code, name or ODS code.
		return "", "", "", false
	}
	if typ == "LTLA" {
		typ = "LAD"
	}
	return typ, year, field, true
}

// lookupInternProbe is the number of rows after which ReadLookup stops interning the values of
// columns that have mostly been unique so far.
const lookupInternProbe = 256

// ReadLookup reads an ONS lookup CSV (plain or gzipped) with a header row. Every row must have
// as many fields as the header (RFC 4180 quoting; embedded newlines allowed). The header must
// hold at least one ONS-style code column (<TYPE><YY>CD or <type><yy>_code) and no two columns
// with the same canonical key. Values are trimmed of surrounding spaces and repeated values
// share memory. A file with a header and no rows is an error (ErrNoRows).
//
// Errors are *RowError values naming name and the line, wrapping ErrMissingColumn (empty
// file, no code column), ErrMalformedRow (bad quoting, wrong field count, repeated column) or
// ErrNoRows.
func ReadLookup(r io.Reader, name string) (*Lookup, error) {
	cr, done, err := newCSVReader(r, name, 0)
	if err != nil {
		return nil, err
	}
	defer done()
	raw, _, err := readHeader(cr, name)
	if err != nil {
		return nil, err
	}
	l := &Lookup{File: name, Raw: raw, Header: make([]string, len(raw))}
	seen := make(map[string]int, len(raw))
	codes := 0
	for i, h := range raw {
		key, ok := LookupKey(h)
		if ok && strings.HasSuffix(key, "CD") {
			codes++
		}
		if j, dup := seen[key]; dup && key != "" {
			return nil, &RowError{File: name, Line: 1, Kind: ErrMalformedRow,
				Reason: fmt.Sprintf("columns %d (%q) and %d (%q) are both %s", j+1, raw[j], i+1, h, key)}
		}
		seen[key] = i
		l.Header[i] = key
	}
	if codes == 0 {
		return nil, &RowError{File: name, Line: 1, Kind: ErrMissingColumn,
			Reason: fmt.Sprintf("header %q has no ONS code column such as LSOA11CD or lsoa21_code (is this an ONS lookup?)", strings.Join(raw, ","))}
	}
	n := len(raw)
	// Values are interned per column while the column repeats itself: ONS lookups hold a few
	// hundred codes and names of larger areas, and one unique code and name per small area,
	// which are only cloned.
	ins := make([]interner, n)
	for j := range ins {
		ins[j] = interner{}
	}
	var slab []string // rows are cut from slabs of 1024 rows to save allocations
	err = eachRow(cr, name, func(rec []string, at csvRow) error {
		if len(slab) < n {
			slab = make([]string, 1024*n)
		}
		row := slab[:n:n]
		slab = slab[n:]
		for j, v := range rec {
			v = strings.TrimSpace(v)
			if ins[j] != nil {
				row[j] = ins[j].str(v)
			} else {
				row[j] = strings.Clone(v)
			}
		}
		l.Rows = append(l.Rows, row)
		if len(l.Rows) == lookupInternProbe {
			for j, in := range ins {
				if len(in) > lookupInternProbe/2 {
					ins[j] = nil
				}
			}
		}
		l.Lines = append(l.Lines, at.line)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(l.Rows) == 0 {
		return nil, &RowError{File: name, Kind: ErrNoRows, Reason: "header but no data rows"}
	}
	return l, nil
}

// ReadLookupFile reads the ONS lookup CSV at path (plain or gzipped, e.g.
// lookups/lsoa21-sicbl24-icb24.csv.gz) with ReadLookup.
func ReadLookupFile(path string) (*Lookup, error) {
	return readPath(path, ReadLookup)
}

// Column returns the position of the column with the given key, spelt any way LookupKey
// accepts ("LAD22CD", "ltla22_code" and "lad22cd" are one key). A key without year digits
// selects its type and field whatever the year, so callers need not know the edition:
// "LADCD" or just "LAD" (a bare type means its code) finds LAD21CD in a 2021 lookup and
// LAD22CD (from ltla22_code) in a 2022 one; "ICBNM" finds ICB22NM; "SICBLCDH" finds
// SICBL24CDH. A key that is not ONS-style ("FID") must match a column name exactly, in any
// case.
//
// It returns a *RowError wrapping ErrMissingColumn when no column matches, and one wrapping
// ErrAmbiguousProperty when a yearless key matches columns of two years (e.g. LSOA11CD and
// LSOA21CD): name the year then.
func (l *Lookup) Column(key string) (int, error) {
	if strings.TrimSpace(key) == "" {
		return -1, &RowError{File: l.File, Line: 1, Kind: ErrMissingColumn, Reason: "no column name given"}
	}
	typ, year, field, ok := splitLookupKey(key, true)
	if ok && year == "" {
		var found []int
		for i, h := range l.Raw {
			if t, _, f, ok := splitLookupKey(h, false); ok && t == typ && f == field {
				found = append(found, i)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 0:
		default:
			keys := make([]string, len(found))
			for i, c := range found {
				keys[i] = l.Header[c]
			}
			return -1, &RowError{File: l.File, Line: 1, Kind: ErrAmbiguousProperty,
				Reason: fmt.Sprintf("%q matches columns %s; give the year", key, strings.Join(keys, ", "))}
		}
	} else if ok {
		want := typ + year + field
		for i, h := range l.Header {
			if h == want {
				return i, nil
			}
		}
	}
	// Not ONS-style, or no ONS match: an exact (case-insensitive) column name.
	k := strings.ToUpper(strings.TrimSpace(key))
	for i, h := range l.Header {
		if h == k || strings.EqualFold(l.Raw[i], strings.TrimSpace(key)) {
			return i, nil
		}
	}
	return -1, &RowError{File: l.File, Line: 1, Kind: ErrMissingColumn,
		Reason: fmt.Sprintf("no column %q (have %s)", key, strings.Join(l.Header, ", "))}
}

// Columns returns the positions of several columns (see Column), failing on the first that is
// missing or ambiguous: lsoa, lad := cols[0], cols[1].
func (l *Lookup) Columns(keys ...string) ([]int, error) {
	cols := make([]int, len(keys))
	for i, k := range keys {
		c, err := l.Column(k)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return cols, nil
}
