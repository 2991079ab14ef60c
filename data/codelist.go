package data

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// CodeList holds the names of the administrative area codes that OS Code-Point Open gives each
// postcode (Admin_county_code, Admin_district_code, Admin_ward_code), as its Doc/Codelist.xlsx
// lists them (taken from Boundary-Line). Names are as given, with their kind suffixes
// ("Sheffield District (B)", "Barnet London Boro", "Devon County", "Aldgate Ward", Welsh
// "Powys - Powys"): turning them into display names is the caller's business. Ward names
// repeat across districts ("Abbey Ward"), so a ward name alone does not identify a ward.
type CodeList struct {
	Counties  map[string]string // sheet CTY: E10 county code -> name
	Districts map[string]string // sheets DIS, LBO, MTD, UTA: E06, E07, E08, E09, W06, S12 code -> name
	Wards     map[string]string // sheets DIW, LBW, MTW, UTE, UTW: E05, W05, S13 code -> name (UTE: electoral divisions)
	Sheet     map[string]string // code -> the sheet it is listed on, e.g. "UTW"
	// Kinds holds the sheet descriptions of sheet AREA_CODES, e.g. "UTW" -> "Unitary Authority
	// Ward"; nil when the workbook has no such sheet.
	Kinds map[string]string
}

// Code-list sheets by the map they fill.
var (
	codeListCounties  = []string{"CTY"}
	codeListDistricts = []string{"DIS", "LBO", "MTD", "UTA"}
	codeListWards     = []string{"DIW", "LBW", "MTW", "UTE", "UTW"}
)

// codeListDetached marks a detached part of a ward in Boundary-Line names.
const codeListDetached = " (DET)"

// Name returns the name of a county, district or ward code, or "" when the list lacks it.
func (c *CodeList) Name(code string) string {
	if n, ok := c.Districts[code]; ok {
		return n
	}
	if n, ok := c.Wards[code]; ok {
		return n
	}
	return c.Counties[code]
}

// ReadCodeList reads Code-Point Open's Doc/Codelist.xlsx. Each code sheet (CTY; DIS, LBO,
// MTD, UTA; DIW, LBW, MTW, UTE, UTW) holds rows of name then GSS code (a letter and 8 digits),
// no header; blank rows are skipped, other sheets (Sheet1, a note) ignored and AREA_CODES read
// into Kinds. The district sheets DIS, LBO, MTD and UTA are required (ErrMissingSheet); the
// others are read when present.
//
// A code listed twice keeps one name when both rows agree, or when one of them names a
// detached part of the ward ("Milton & Waterbeach Ward (DET)"): the name without " (DET)" is
// kept. Any other repeated code is an error (ErrDuplicateCode).
//
// Errors are *RowError values whose File reads "<name> (sheet DIW)" and whose Line is the
// spreadsheet row, wrapping ErrMalformedRow, ErrDuplicateCode, ErrMissingSheet or ErrNoRows
// (a required sheet with no rows); a file that is not a readable workbook gives a *RowError
// about the whole file.
func ReadCodeList(r io.Reader, name string) (cl *CodeList, err error) {
	defer func() {
		// excelize is a large third-party parser: never let a malformed workbook crash a caller.
		if p := recover(); p != nil {
			cl, err = nil, &RowError{File: name, Kind: ErrMalformedRow, Reason: fmt.Sprintf("cannot read the workbook: %v", p)}
		}
	}()
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, &RowError{File: name, Cause: err, Reason: fmt.Sprintf("not a readable .xlsx workbook: %v", err)}
	}
	defer f.Close()
	return codeListFromSheets(name, f.GetSheetList(), func(sheet string) ([][]string, error) {
		return f.GetRows(sheet, excelize.Options{RawCellValue: true})
	})
}

// ReadCodeListFile reads the code list workbook at path with ReadCodeList.
func ReadCodeListFile(path string) (*CodeList, error) {
	return readPath(path, ReadCodeList)
}

// codeListFromSheets builds a CodeList from the workbook's sheet names and a function that
// returns a sheet's rows of cells.
func codeListFromSheets(name string, sheets []string, rows func(sheet string) ([][]string, error)) (*CodeList, error) {
	has := map[string]bool{}
	for _, s := range sheets {
		has[s] = true
	}
	for _, s := range codeListDistricts {
		if !has[s] {
			return nil, &RowError{File: name, Kind: ErrMissingSheet,
				Reason: fmt.Sprintf("no sheet %s (have %s; is this Code-Point Open's Codelist.xlsx?)", s, strings.Join(sheets, ", "))}
		}
	}
	cl := &CodeList{Counties: map[string]string{}, Districts: map[string]string{}, Wards: map[string]string{}, Sheet: map[string]string{}}
	where := map[string]int{} // code -> row it was read from
	sheetErr := func(sheet string, row int, kind error, format string, args ...any) error {
		return &RowError{File: fmt.Sprintf("%s (sheet %s)", name, sheet), Line: row, Kind: kind, Reason: fmt.Sprintf(format, args...)}
	}
	if has["AREA_CODES"] {
		rs, err := rows("AREA_CODES")
		if err != nil {
			return nil, sheetErr("AREA_CODES", 0, ErrMalformedRow, "%v", err)
		}
		cl.Kinds = map[string]string{}
		for _, r := range rs {
			if k, d := cell(r, 0), cell(r, 1); k != "" {
				cl.Kinds[k] = d
			}
		}
	}
	read := func(sheet string, into map[string]string, required bool) error {
		if !has[sheet] {
			return nil
		}
		rs, err := rows(sheet)
		if err != nil {
			return sheetErr(sheet, 0, ErrMalformedRow, "%v", err)
		}
		n := 0
		for i, r := range rs {
			row := i + 1
			nm, code := cell(r, 0), cell(r, 1)
			extra := false
			for j := 2; j < len(r); j++ {
				extra = extra || strings.TrimSpace(r[j]) != ""
			}
			switch {
			case nm == "" && code == "" && !extra:
				continue
			case extra:
				return sheetErr(sheet, row, ErrMalformedRow, "more than 2 cells (name, code): %q", r)
			case nm == "":
				return sheetErr(sheet, row, ErrMalformedRow, "code %q without a name", code)
			case !isGSSCode(code):
				return sheetErr(sheet, row, ErrMalformedRow, "%q: code %q is not a GSS code (a letter and 8 digits)", nm, code)
			}
			n++
			prevSheet, dup := cl.Sheet[code]
			if !dup {
				into[code] = nm
				cl.Sheet[code] = sheet
				where[code] = row
				continue
			}
			prev := cl.Name(code)
			switch {
			case prevSheet == sheet && prev == nm:
			case prevSheet == sheet && prev == nm+codeListDetached:
				into[code] = nm
				where[code] = row
			case prevSheet == sheet && nm == prev+codeListDetached:
			default:
				return sheetErr(sheet, row, ErrDuplicateCode, "code %s is %q here and %q on sheet %s row %d", code, nm, prev, prevSheet, where[code])
			}
		}
		if n == 0 && required {
			return sheetErr(sheet, 0, ErrNoRows, "no codes")
		}
		return nil
	}
	for _, g := range []struct {
		sheets   []string
		into     map[string]string
		required bool
	}{{codeListCounties, cl.Counties, false}, {codeListDistricts, cl.Districts, true}, {codeListWards, cl.Wards, false}} {
		for _, s := range g.sheets {
			if err := read(s, g.into, g.required); err != nil {
				return nil, err
			}
		}
	}
	return cl, nil
}

// cell returns row[i] trimmed, or "" when the row is shorter.
func cell(row []string, i int) string {
	if i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// isGSSCode reports whether s is an ONS GSS code: an upper-case letter and 8 digits
// ("E05001687", "W06000023", "S13003155").
func isGSSCode(s string) bool {
	if len(s) != 9 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < 9; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
