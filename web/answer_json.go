package web

import (
	"errors"
	"github.com/nhs-geo/alliance/directory"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The lookup answers are the service's hot path: these encoders write them without
// reflection, byte for byte as encoding/json does with HTML escaping off
// (Encoder.SetEscapeHTML(false)). They are kept because they measure about 5× faster than
// encoding/json for one answer and for a bulk of 1,000 (BenchmarkAnswerJSON,
// BenchmarkBulkJSON); TestAnswerJSONEveryField, TestAnswerJSONMatchesEncodingJSON and
// FuzzAppendJSONString hold them to encoding/json's bytes, so a new field cannot be dropped.

var errNotFinite = errors.New("web: number is not finite")

// appendAnswer appends the JSON object of a to b.
func appendAnswer(b []byte, a *directory.Answer) ([]byte, error) {
	b = append(b, '{')
	b, err := appendAnswerFields(b, a)
	return append(b, '}'), err
}

// appendPostcodeAnswer appends the JSON object of a to b; a nil Answer's fields are left out,
// as encoding/json leaves out the fields of a nil embedded pointer.
func appendPostcodeAnswer(b []byte, a *directory.PostcodeAnswer) ([]byte, error) {
	b = append(b, `{"postcode":`...)
	b = appendString(b, a.Postcode)
	b = append(b, `,"location":`...)
	b = appendString(b, a.Location)
	if a.Quality != 0 {
		b = append(b, `,"quality":`...)
		b = strconv.AppendInt(b, int64(a.Quality), 10)
	}
	if a.District != "" {
		b = append(b, `,"district_code":`...)
		b = appendString(b, a.District)
	}
	if a.DistrictName != "" {
		b = append(b, `,"district_name":`...)
		b = appendString(b, a.DistrictName)
	}
	var err error
	if a.Answer != nil {
		b = append(b, ',')
		b, err = appendAnswerFields(b, a.Answer)
	}
	return append(b, '}'), err
}

func appendAnswerFields(b []byte, a *directory.Answer) ([]byte, error) {
	var err error
	if a.Lat != nil {
		b = append(b, `"lat":`...)
		b = appendFloat(b, *a.Lat, &err)
		b = append(b, ',')
	}
	if a.Lon != nil {
		b = append(b, `"lon":`...)
		b = appendFloat(b, *a.Lon, &err)
		b = append(b, ',')
	}
	b = append(b, `"edition":`...)
	b = appendString(b, string(a.Edition))
	b = append(b, `,"country":`...)
	if c := a.Country; c == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"code":`...)
		b = appendString(b, c.Code)
		b = append(b, `,"name":`...)
		b = appendString(b, c.Name)
		b = append(b, `,"match":`...)
		b = appendString(b, c.Match)
		b = append(b, '}')
	}
	b = append(b, `,"in_england":`...)
	b = strconv.AppendBool(b, a.InEngland)
	if a.Statement != "" {
		b = append(b, `,"statement":`...)
		b = appendString(b, a.Statement)
	}
	b = append(b, `,"areas":`...)
	if a.Areas == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range a.Areas {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendMatch(b, &a.Areas[i], &err)
		}
		b = append(b, ']')
	}
	if len(a.Hospitals) > 0 {
		b = append(b, `,"hospitals":[`...)
		for i := range a.Hospitals {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendHospital(b, &a.Hospitals[i], &err)
		}
		b = append(b, ']')
	}
	b = append(b, `,"dataset":`...)
	b = appendString(b, a.Dataset)
	return b, err
}

func appendHospital(b []byte, h *directory.Hospital, err *error) []byte {
	b = append(b, `{"ods_code":`...)
	b = appendString(b, h.ODSCode)
	b = append(b, `,"name":`...)
	b = appendString(b, h.Name)
	b = append(b, `,"trust":{"ods_code":`...)
	b = appendString(b, h.Trust.ODSCode)
	b = append(b, `,"name":`...)
	b = appendString(b, h.Trust.Name)
	b = append(b, `,"kind":`...)
	b = appendString(b, h.Trust.Kind)
	b = append(b, `},"distance_m":`...)
	b = appendFloat(b, h.DistanceM, err)
	if h.Phone != "" {
		b = append(b, `,"phone":`...)
		b = appendString(b, h.Phone)
	}
	if h.Website != "" {
		b = append(b, `,"website":`...)
		b = appendString(b, h.Website)
	}
	if h.Postcode != "" {
		b = append(b, `,"postcode":`...)
		b = appendString(b, h.Postcode)
	}
	b = append(b, `,"lat":`...)
	b = appendFloat(b, h.Lat, err)
	b = append(b, `,"lon":`...)
	b = appendFloat(b, h.Lon, err)
	return append(b, '}')
}

func appendMatch(b []byte, m *directory.Match, err *error) []byte {
	b = append(b, '{')
	b = appendAreaFields(b, &m.Area)
	b = append(b, `,"match":`...)
	b = appendString(b, m.Match)
	b = append(b, `,"distance_m":`...)
	b = appendFloat(b, m.DistanceM, err)
	b = append(b, `,"boundary_distance_m":`...)
	b = appendFloat(b, m.BoundaryDistanceM, err)
	if len(m.NearBoundary) > 0 {
		b = append(b, `,"near_boundary":[`...)
		for i, n := range m.NearBoundary {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"code":`...)
			b = appendString(b, n.Code)
			b = append(b, `,"name":`...)
			b = appendString(b, n.Name)
			b = append(b, `,"distance_m":`...)
			b = appendFloat(b, n.DistanceM, err)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if m.Share != 0 {
		b = append(b, `,"share":`...)
		b = appendFloat(b, m.Share, err)
	}
	return append(b, '}')
}

func appendAreaFields(b []byte, a *directory.Area) []byte {
	b = append(b, `"code":`...)
	b = appendString(b, a.Code)
	b = append(b, `,"name":`...)
	b = appendString(b, a.Name)
	b = append(b, `,"type":`...)
	b = appendString(b, string(a.Type))
	if a.Edition != "" {
		b = append(b, `,"edition":`...)
		b = appendString(b, string(a.Edition))
	}
	if a.ODSCode != "" {
		b = append(b, `,"ods_code":`...)
		b = appendString(b, a.ODSCode)
	}
	if len(a.Parents) > 0 {
		b = append(b, `,"source_codes":{`...)
		var buf [8]string
		keys := buf[:0]
		for k := range a.Parents {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, a.Parents[k])
		}
		b = append(b, '}')
	}
	if succ := a.Since2024; succ != nil {
		b = append(b, `,"since_2024":{"code":`...)
		b = appendString(b, succ.Code)
		b = append(b, `,"name":`...)
		b = appendString(b, succ.Name)
		b = append(b, `,"ods_code":`...)
		b = appendString(b, succ.ODSCode)
		b = append(b, `,"change":`...)
		b = appendString(b, succ.Change)
		b = append(b, '}')
	}
	return b
}

// appendFloat writes f as encoding/json does: the shortest decimal that reads back as f,
// in exponent form only below 1e-6 or from 1e21. A NaN or an infinity sets *err.
func appendFloat(b []byte, f float64, err *error) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		*err = errNotFinite
		return append(b, '0')
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// A two-digit negative exponent loses its leading zero: 1e-07 → 1e-7.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string: quotes, backslashes and control characters
// escaped, invalid UTF-8 replaced by U+FFFD, and U+2028/U+2029 escaped (JavaScript reads
// them as line ends); everything else, '<', '>' and '&' included, is copied.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
