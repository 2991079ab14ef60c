package data

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// HospitalSite is one row of NHS.UK's hospital list (Hospital.csv): a hospital site and the
// organisation that runs it. Text is as given, trimmed of surrounding spaces.
type HospitalSite struct {
	Line        int      // 1-based line of the file
	ID          string   // OrganisationID: NHS.UK's own number for the site
	Code        string   // OrganisationCode: the site's ODS code, e.g. "RHQ01"
	Type        string   // OrganisationType: "Hospital"
	SubType     string   // SubType: "Hospital", "Mental Health Hospital" or "UNKNOWN"
	Sector      string   // Sector: "NHS Sector" or "Independent Sector"; unreliable, see ReadHospitals
	Status      string   // OrganisationStatus: "Visible"
	PIMSManaged bool     // IsPimsManaged: "True"
	Name        string   // OrganisationName
	Address     []string // Address1, Address2, Address3: the non-empty ones in order; nil when none
	City        string   // may be ""
	County      string   // may be ""
	Postcode    string   // normalised like ParsePostcode when valid, else as given
	HasLocation bool     // false when Latitude and Longitude are empty
	Lat, Lon    float64  // WGS84; 0 when !HasLocation
	ParentCode  string   // ParentODSCode: ODS code of the trust or company that runs the site
	ParentName  string   // ParentName, as the file gives it (names of its time)
	Phone       string   // as given: "0114 271 1900", "(0113) 2648164", "01403 227000 (ext. 2580)"
	Email       string   // may be ""
	Website     string   // as given: usually a URL, sometimes without a scheme, once an e-mail address; may be ""
	Fax         string   // may be ""
}

// The field separator of Hospital.csv, "¬": one byte in Windows-1252, two in UTF-8.
const (
	hospitalSep1252 = "\xac"
	hospitalSepUTF8 = "¬"
)

// ReadHospitals reads NHS.UK's Hospital.csv (plain or gzipped): a header row, then one site a
// line, fields separated by "¬", no quoting (quotes are ordinary characters), CRLF or LF line
// ends, blank lines ignored. The text is Windows-1252 as NHS.UK publishes it, or UTF-8 when
// the header's separator is UTF-8 ("\xc2\xac"); a UTF-8 byte-order mark is skipped. Columns
// are found by header name, case-insensitively: OrganisationCode, OrganisationName, Postcode,
// Latitude, Longitude and ParentODSCode are required, the others (OrganisationID,
// OrganisationType, SubType, Sector, OrganisationStatus, IsPimsManaged, Address1-3, City,
// County, ParentName, Phone, Email, Website, Fax) read when present.
//
// Every row needs as many fields as the header (a line break inside a field shows as a
// short row), an ODS site code not seen before and a name. Latitude and Longitude must be
// both empty (HasLocation false; the Jersey site has none) or both numbers in range.
//
// Select NHS sites by ParentCode against the ODS trust list, not by Sector: sites of trusts
// formed since 2017 are labelled "Independent Sector".
//
// Errors are *RowError values naming name and the line, wrapping ErrMissingColumn,
// ErrMalformedRow, ErrDuplicateCode or ErrNoRows.
func ReadHospitals(r io.Reader, name string) ([]HospitalSite, error) {
	rd, done, err := gunzipped(r, name)
	if err != nil {
		return nil, err
	}
	defer done()
	br := bufio.NewReaderSize(rd, 64<<10)
	line := 0
	// next returns the next non-blank line without its line end, or io.EOF.
	next := func() ([]byte, error) {
		for {
			b, err := br.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				return nil, &RowError{File: name, Line: line + 1, Kind: ErrMalformedRow, Reason: "line too long"}
			}
			if err != nil && err != io.EOF {
				return nil, &RowError{File: name, Line: line + 1, Cause: err, Reason: fmt.Sprintf("%v (corrupt or truncated file?)", err)}
			}
			if len(b) > 0 {
				line++
			}
			b = bytes.TrimRight(b, "\r\n")
			if len(bytes.TrimSpace(b)) > 0 {
				return b, nil
			}
			if err == io.EOF {
				return nil, io.EOF
			}
		}
	}
	head, err := next()
	if err == io.EOF {
		return nil, &RowError{File: name, Kind: ErrMissingColumn, Reason: "empty file: no header row"}
	}
	if err != nil {
		return nil, err
	}
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	sep, utf8Text := hospitalSep1252, false
	switch {
	case bytes.Contains(head, []byte(hospitalSepUTF8)):
		sep, utf8Text = hospitalSepUTF8, true
	case !bytes.Contains(head, []byte(hospitalSep1252)):
		return nil, &RowError{File: name, Line: 1, Kind: ErrMissingColumn,
			Reason: "header has no \"¬\" separator (is this NHS.UK's Hospital.csv?)"}
	}
	dec := charmap.Windows1252.NewDecoder()
	in := interner{}
	text := func(b []byte) (string, error) {
		if utf8Text {
			if !utf8.Valid(b) {
				return "", errors.New("not valid UTF-8")
			}
		} else if !isASCII(b) {
			var err error
			if b, err = dec.Bytes(b); err != nil {
				return "", err
			}
		}
		return in.str(strings.TrimSpace(string(b))), nil
	}
	var header []string
	for _, h := range bytes.Split(head, []byte(sep)) {
		s, err := text(h)
		if err != nil {
			return nil, &RowError{File: name, Line: 1, Kind: ErrMalformedRow, Reason: "header: " + err.Error()}
		}
		header = append(header, s)
	}
	col := map[string]int{}
	for i, h := range header {
		if h := strings.ToLower(h); h != "" {
			if _, dup := col[h]; !dup {
				col[h] = i
			}
		}
	}
	req, err := requireColumns(col, name, "NHS.UK's Hospital.csv",
		"organisationcode", "organisationname", "postcode", "latitude", "longitude", "parentodscode")
	if err != nil {
		return nil, err
	}
	opt := func(c string) int {
		if i, ok := col[c]; ok {
			return i
		}
		return -1
	}
	cID, cType, cSubType, cSector, cStatus, cPIMS := opt("organisationid"), opt("organisationtype"), opt("subtype"), opt("sector"), opt("organisationstatus"), opt("ispimsmanaged")
	cAddr := []int{opt("address1"), opt("address2"), opt("address3")}
	cCity, cCounty, cParentName := opt("city"), opt("county"), opt("parentname")
	cPhone, cEmail, cWeb, cFax := opt("phone"), opt("email"), opt("website"), opt("fax")

	var sites []HospitalSite
	seen := map[string]int{}
	fields := make([]string, len(header))
	for {
		b, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		bad := func(format string, args ...any) error {
			return &RowError{File: name, Line: line, Kind: ErrMalformedRow, Reason: fmt.Sprintf(format, args...)}
		}
		if n := bytes.Count(b, []byte(sep)) + 1; n != len(header) {
			return nil, bad("expected %d fields, got %d (a line break inside a field?)", len(header), n)
		}
		for i := range fields {
			f := b
			if k := bytes.Index(b, []byte(sep)); k >= 0 {
				f, b = b[:k], b[k+len(sep):]
			}
			if fields[i], err = text(f); err != nil {
				return nil, bad("field %d (%s): %v", i+1, header[i], err)
			}
		}
		get := func(i int) string {
			if i < 0 {
				return ""
			}
			return fields[i]
		}
		s := HospitalSite{Line: line, ID: get(cID), Code: get(req[0]), Type: get(cType), SubType: get(cSubType),
			Sector: get(cSector), Status: get(cStatus), Name: get(req[1]), City: get(cCity), County: get(cCounty),
			Postcode: normalisePostcode(get(req[2])), ParentCode: get(req[5]), ParentName: get(cParentName),
			Phone: get(cPhone), Email: get(cEmail), Website: get(cWeb), Fax: get(cFax)}
		if !isODSCode(s.Code) {
			return nil, bad("OrganisationCode %q is not an ODS code", s.Code)
		}
		if prev, dup := seen[s.Code]; dup {
			return nil, &RowError{File: name, Line: line, Kind: ErrDuplicateCode,
				Reason: fmt.Sprintf("site %s already on line %d", s.Code, prev)}
		}
		seen[s.Code] = line
		if s.Name == "" {
			return nil, bad("%s: empty OrganisationName", s.Code)
		}
		if s.ParentCode != "" && !isODSCode(s.ParentCode) {
			return nil, bad("%s: ParentODSCode %q is not an ODS code", s.Code, s.ParentCode)
		}
		for _, c := range cAddr {
			if a := get(c); a != "" {
				s.Address = append(s.Address, a)
			}
		}
		if p := get(cPIMS); p != "" {
			if s.PIMSManaged, err = strconv.ParseBool(p); err != nil {
				return nil, bad("%s: IsPimsManaged %q is not True or False", s.Code, p)
			}
		}
		latS, lonS := get(req[3]), get(req[4])
		switch {
		case latS == "" && lonS == "":
		case latS == "" || lonS == "":
			return nil, bad("%s: Latitude %q and Longitude %q: need both or neither", s.Code, latS, lonS)
		default:
			lat, err1 := strconv.ParseFloat(latS, 64)
			lon, err2 := strconv.ParseFloat(lonS, 64)
			if err1 != nil || err2 != nil || !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
				return nil, bad("%s: Latitude %q, Longitude %q is not a WGS84 position", s.Code, latS, lonS)
			}
			s.HasLocation, s.Lat, s.Lon = true, lat, lon
		}
		sites = append(sites, s)
	}
	if len(sites) == 0 {
		return nil, &RowError{File: name, Kind: ErrNoRows, Reason: "header but no data rows"}
	}
	return sites, nil
}

// ReadHospitalsFile reads NHS.UK's Hospital.csv at path (plain or gzipped) with ReadHospitals.
func ReadHospitalsFile(path string) ([]HospitalSite, error) {
	return readPath(path, ReadHospitals)
}
