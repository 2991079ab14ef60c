package data

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// NSPLRow is one row of the ONS National Statistics Postcode Lookup (NSPL).
type NSPLRow struct {
	Postcode          string // pcds, normalised like ParsePostcode when it parses ("HX1 1AA")
	Terminated        bool   // doterm set
	UserType          int    // usertype: 0 small user, 1 large user
	HasLocation       bool   // false when lat is 99.999999 (no grid reference)
	Lat, Lon          float64
	Easting, Northing int    // oseast1m, osnrth1m (0 when absent)
	Country           string // ctry: E92000001, W92000004, S92000003, N92000002, L93000001 (Channel Islands), M83000003 (Isle of Man)
	Alliance          string // calncv: Cancer Alliance code (E56...); "" when the column is absent
	STP               string // stp: STP code (E54...); "" when the column is absent
	CCG               string // ccg: CCG code (E38...); "" when the column is absent
}

// nsplNoLat is the latitude NSPL gives postcodes without a grid reference.
const nsplNoLat = 99.999999

var (
	nsplRequired = []string{"pcds", "doterm", "usertype", "oseast1m", "osnrth1m", "lat", "long", "ctry"}
	nsplOptional = []string{"calncv", "stp", "ccg"}
)

// ReadNSPL reads an NSPL CSV (plain or gzipped) with a header row, finding the columns pcds,
// doterm, usertype, oseast1m, osnrth1m, lat, long and ctry (required) and calncv, stp, ccg
// (optional) by name, case-insensitively. It calls fn for each row; an error from fn stops the
// read and is returned as it is. Malformed rows give a *RowError wrapping ErrMalformedRow, a
// missing column ErrMissingColumn.
func ReadNSPL(r io.Reader, fn func(NSPLRow) error) error {
	return readNSPL(r, "NSPL", fn)
}

// ReadNSPLDir reads every *.csv.gz in dir (not recursively), in name order, with ReadNSPL.
func ReadNSPLDir(dir string, fn func(NSPLRow) error) error {
	files, err := gzFiles(dir, "*.csv.gz")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s: %w: no *.csv.gz NSPL files", dir, ErrNoFiles)
	}
	for _, path := range files {
		if err := readNSPLFile(path, fn); err != nil {
			return err
		}
	}
	return nil
}

func readNSPLFile(path string, fn func(NSPLRow) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return readNSPL(f, path, fn)
}

func readNSPL(r io.Reader, name string, fn func(NSPLRow) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return &RowError{File: name, Cause: err, Reason: fmt.Sprintf("gzip: %v", err)}
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0 // every row as long as the header
	header, err := cr.Read()
	if err == io.EOF {
		return &RowError{File: name, Kind: ErrMissingColumn, Reason: "empty file: no header row"}
	}
	if err != nil {
		return csvError(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	idx := map[string]int{}
	var missing []string
	for _, c := range nsplRequired {
		if i, ok := col[c]; ok {
			idx[c] = i
		} else {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return &RowError{File: name, Line: 1, Kind: ErrMissingColumn,
			Reason: fmt.Sprintf("header lacks column(s) %s (is this an NSPL file?)", strings.Join(missing, ", "))}
	}
	for _, c := range nsplOptional {
		if i, ok := col[c]; ok {
			idx[c] = i
		} else {
			idx[c] = -1
		}
	}
	get := func(rec []string, c string) string {
		if i := idx[c]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	return eachRow(cr, name, func(rec []string, at csvRow) error {
		bad := at.bad
		var row NSPLRow
		var err error
		pcds := get(rec, "pcds")
		if pcds == "" {
			return bad("empty pcds")
		}
		if pc, err := ParsePostcode(pcds); err == nil && pc.Kind == FullPostcode {
			row.Postcode = pc.Normalised
		} else {
			row.Postcode = strings.ToUpper(pcds)
		}
		row.Terminated = get(rec, "doterm") != ""
		if s := get(rec, "usertype"); s != "" {
			if row.UserType, err = strconv.Atoi(s); err != nil {
				return bad("usertype %q is not a number", s)
			}
		}
		if s := get(rec, "oseast1m"); s != "" {
			if row.Easting, err = strconv.Atoi(s); err != nil {
				return bad("oseast1m %q is not a number", s)
			}
		}
		if s := get(rec, "osnrth1m"); s != "" {
			if row.Northing, err = strconv.Atoi(s); err != nil {
				return bad("osnrth1m %q is not a number", s)
			}
		}
		latS, lonS := get(rec, "lat"), get(rec, "long")
		if latS != "" && lonS != "" {
			if row.Lat, err = strconv.ParseFloat(latS, 64); err != nil {
				return bad("lat %q is not a number", latS)
			}
			if row.Lon, err = strconv.ParseFloat(lonS, 64); err != nil {
				return bad("long %q is not a number", lonS)
			}
			row.HasLocation = row.Lat != nsplNoLat
		}
		if !row.HasLocation {
			row.Lat, row.Lon = 0, 0
		} else if row.Lat < -90 || row.Lat > 90 || row.Lon < -180 || row.Lon > 180 {
			return bad("lat/long %s,%s out of range", latS, lonS)
		}
		row.Country = get(rec, "ctry")
		row.Alliance = get(rec, "calncv")
		row.STP = get(rec, "stp")
		row.CCG = get(rec, "ccg")
		return fn(row)
	})
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &RowError{File: name, Line: pe.Line, Kind: ErrMalformedRow, Cause: err, Reason: pe.Err.Error()}
	}
	return &RowError{File: name, Cause: err, Reason: fmt.Sprintf("%v (corrupt or truncated file?)", err)}
}
