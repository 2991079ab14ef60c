package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
)

// Feature is one area read from an ONS-style GeoJSON FeatureCollection.
type Feature struct {
	Index   int    // 0-based position in the file
	Code    string // e.g. E56000025
	Name    string
	ODSCode string // from <TYPE><YY>CDH, or else the tail of the name ("NHS South Yorkshire ICB - 02P" -> "02P"); "" if none
	// Parents holds the other ONS-style codes the feature carries, keyed by lower-case type
	// prefix without year: {"stp": "E54000009", "cal": "E56000025"} (from stp21cd, cal21cd;
	// calncv18cd -> key "calncv"). Nil when there are none.
	Parents map[string]string
	// ParentODS holds the parents' ODS codes where the file gives them (stp21cdh -> "stp"). Nil
	// when there are none.
	ParentODS map[string]string
	// Keys names the property keys the feature's own code, name and (if any) ODS code came
	// from, e.g. {"cal21cd", "cal21nm", ""}.
	Keys     [3]string
	Geometry orb.MultiPolygon // Polygon features become a 1-element MultiPolygon; rings closed
}

// Key fields of an ONS-style property key.
const (
	keyCode = iota // <TYPE><YY>CD or <TYPE><YY>_code
	keyName        // <TYPE><YY>NM or <TYPE><YY>_name
	keyODS         // <TYPE><YY>CDH
)

// ParseONSKey splits an ONS-style property key into its lower-case type, its two-digit year and
// its field: 0 for the code (CD, _code), 1 for the name (NM, _name), 2 for the NHS ODS code
// (CDH). "cal21cd" -> ("cal", "21", 0, true); "SICBL23NM" -> ("sicbl", "23", 1, true);
// "country20_code" -> ("country", "20", 0, true); "BNG_E" -> ok false.
func ParseONSKey(key string) (typ, year string, field int, ok bool) {
	k := strings.ToLower(key)
	i := 0
	for i < len(k) && k[i] >= 'a' && k[i] <= 'z' {
		i++
	}
	if i == 0 || i+2 > len(k) || !isDigit(k[i]) || !isDigit(k[i+1]) {
		return "", "", 0, false
	}
	typ, year = k[:i], k[i:i+2]
	switch k[i+2:] {
	case "cd", "_code":
		field = keyCode
	case "nm", "_name":
		field = keyName
	case "cdh":
		field = keyODS
	default:
		return "", "", 0, false
	}
	return typ, year, field, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ReadLayer reads a FeatureCollection whose own code/name keys start with one of prefixes
// (case-insensitive, e.g. []string{"cal","calncv"} or {"icb"} or {"sicbl"} or {"country"}).
// name is used in error messages (the file path).
//
// Property keys follow the ONS convention <TYPE><YY>CD, <TYPE><YY>NM, <TYPE><YY>CDH in any case,
// or <TYPE><YY>_code and <TYPE><YY>_name. A feature's own type is the one equal to a prefix
// (the longest such prefix wins); failing that, the single type that starts with a prefix.
// Every other type's code goes into Parents. Other properties are ignored.
//
// Every feature is validated (code and name present, code non-empty and unique, Polygon or
// MultiPolygon geometry with rings of at least 4 finite WGS84 lon/lat positions). Errors are
// *FeatureError values wrapping ErrInvalidJSON, ErrNotFeatureCollection, ErrNoFeatures,
// ErrMissingProperty, ErrAmbiguousProperty, ErrInvalidGeometry, ErrProjection or
// ErrDuplicateCode. Unclosed rings are closed.
func ReadLayer(r io.Reader, name string, prefixes []string) ([]Feature, error) {
	fileErr := func(kind error, cause error, format string, args ...any) error {
		return &FeatureError{File: name, Index: -1, Kind: kind, Cause: cause, Reason: fmt.Sprintf(format, args...)}
	}
	var pre []string
	for _, p := range prefixes {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			pre = append(pre, p)
		}
	}
	if len(pre) == 0 {
		return nil, fmt.Errorf("%s: ReadLayer needs at least one key prefix", name)
	}
	// Longest prefix first, so that {"cal","calncv"} prefers calncv.
	sort.SliceStable(pre, func(i, j int) bool { return len(pre[i]) > len(pre[j]) })

	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fileErr(nil, err, "read: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fileErr(ErrInvalidJSON, nil, "empty file, expected a GeoJSON FeatureCollection")
	}
	var top struct {
		Type     *string          `json:"type"`
		Features *json.RawMessage `json:"features"`
		CRS      *struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"crs"`
	}
	if err := json.Unmarshal(b, &top); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			if len(bytes.TrimSpace(b[min(int(se.Offset), len(b)):])) == 0 && strings.Contains(se.Error(), "end of JSON input") {
				return nil, fileErr(ErrInvalidJSON, err, "not valid JSON: unexpected end of input after %d bytes (truncated file?)", len(b))
			}
			line, col := lineCol(b, se.Offset)
			return nil, fileErr(ErrInvalidJSON, err, "not valid JSON: line %d, column %d: %v", line, col, se)
		case errors.As(err, &te) && te.Field == "":
			return nil, fileErr(ErrNotFeatureCollection, err, "top-level JSON value is %s, expected a GeoJSON FeatureCollection object", jsonKind(b))
		default:
			return nil, fileErr(ErrNotFeatureCollection, err, "not a GeoJSON FeatureCollection: %v", err)
		}
	}
	if top.Type == nil {
		return nil, fileErr(ErrNotFeatureCollection, nil, "not a GeoJSON FeatureCollection: no \"type\" member")
	}
	if *top.Type != "FeatureCollection" {
		return nil, fileErr(ErrNotFeatureCollection, nil, "not a GeoJSON FeatureCollection: type is %q", *top.Type)
	}
	if top.CRS != nil {
		crs := top.CRS.Properties.Name
		switch {
		case strings.Contains(crs, "27700"):
			return nil, fileErr(ErrProjection, nil, "crs is %s: coordinates look like British National Grid metres (EPSG:27700); convert to WGS84 lon/lat (EPSG:4326)", crs)
		case crs != "" && !strings.Contains(crs, "4326") && !strings.Contains(strings.ToUpper(crs), "CRS84"):
			return nil, fileErr(ErrProjection, nil, "crs is %s; convert to WGS84 lon/lat (EPSG:4326)", crs)
		}
	}
	if top.Features == nil || string(bytes.TrimSpace(*top.Features)) == "null" {
		return nil, fileErr(ErrNotFeatureCollection, nil, "FeatureCollection has no \"features\" array")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(*top.Features, &raws); err != nil {
		return nil, fileErr(ErrNotFeatureCollection, err, "\"features\" is %s, expected an array", jsonKind(*top.Features))
	}
	if len(raws) == 0 {
		return nil, fileErr(ErrNoFeatures, nil, "no features")
	}

	feats := make([]Feature, 0, len(raws))
	seen := make(map[string]int, len(raws))
	var ownKeys [3]string // of feature 0, to check every feature uses the same keys
	for i, raw := range raws {
		f, err := readFeature(raw, pre)
		if err != nil {
			err.File, err.Index = name, i
			return nil, err
		}
		f.Index = i
		if i == 0 {
			ownKeys = f.Keys
		} else if !strings.EqualFold(f.Keys[keyCode], ownKeys[keyCode]) {
			return nil, &FeatureError{File: name, Index: i, Code: f.Code, Kind: ErrAmbiguousProperty,
				Reason: fmt.Sprintf("code key %s differs from feature 0's %s", f.Keys[keyCode], ownKeys[keyCode])}
		}
		if j, dup := seen[f.Code]; dup {
			return nil, &FeatureError{File: name, Index: i, Code: f.Code, Kind: ErrDuplicateCode,
				Reason: fmt.Sprintf("duplicate code %s (also feature %d)", f.Code, j)}
		}
		seen[f.Code] = i
		feats = append(feats, f)
	}
	return feats, nil
}

// lineCol converts the offset of a *json.SyntaxError (bytes read before the error) into the
// 1-based line and column of the offending byte.
func lineCol(b []byte, off int64) (line, col int) {
	pos := min(max(int(off)-1, 0), len(b))
	line = 1 + bytes.Count(b[:pos], []byte{'\n'})
	col = pos - bytes.LastIndexByte(b[:pos], '\n')
	return line, col
}

// jsonKind names the kind of the JSON value at the start of b.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "empty"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

type keyRef struct {
	key  string // original spelling
	year string
}

// readFeature decodes and validates one feature. The returned error lacks File and Index.
func readFeature(raw json.RawMessage, prefixes []string) (Feature, *FeatureError) {
	var f Feature
	ferr := func(kind error, cause error, format string, args ...any) *FeatureError {
		return &FeatureError{Code: f.Code, Kind: kind, Cause: cause, Reason: fmt.Sprintf(format, args...)}
	}
	var rf struct {
		Type       string                     `json:"type"`
		Properties map[string]json.RawMessage `json:"properties"`
		Geometry   json.RawMessage            `json:"geometry"`
	}
	if err := json.Unmarshal(raw, &rf); err != nil {
		return f, ferr(ErrNotFeatureCollection, err, "not a GeoJSON Feature object: %v", err)
	}
	if rf.Type != "Feature" {
		return f, ferr(ErrNotFeatureCollection, nil, "type is %q, expected \"Feature\"", rf.Type)
	}

	// Group the ONS-style keys by type: keys[type][field] -> candidates (one per year).
	keys := map[string]*[3][]keyRef{}
	for k := range rf.Properties {
		typ, year, field, ok := ParseONSKey(k)
		if !ok {
			continue
		}
		g := keys[typ]
		if g == nil {
			g = new([3][]keyRef)
			keys[typ] = g
		}
		g[field] = append(g[field], keyRef{k, year})
	}
	own, err := ownType(keys, prefixes)
	if err != nil {
		return f, ferr(err.kind, nil, "%s", err.msg)
	}
	g := keys[own]
	codeKey := g[keyCode][0]
	nameKeys := g[keyName]
	// The name key must be of the code's year.
	var nameKey, odsKey string
	for _, k := range nameKeys {
		if k.year == codeKey.year {
			nameKey = k.key
		}
	}
	for _, k := range g[keyODS] {
		if k.year == codeKey.year {
			odsKey = k.key
		}
	}
	f.Keys = [3]string{codeKey.key, nameKey, odsKey}

	code, present, isString := stringProp(rf.Properties, codeKey.key)
	switch {
	case !present:
		return f, ferr(ErrMissingProperty, nil, "code property %s is null", codeKey.key)
	case !isString:
		return f, ferr(ErrMissingProperty, nil, "code property %s is not a string", codeKey.key)
	case code == "":
		return f, ferr(ErrMissingProperty, nil, "empty code (%s)", codeKey.key)
	}
	f.Code = code
	if nameKey == "" {
		return f, ferr(ErrMissingProperty, nil, "missing name property %s%snm", own, codeKey.year)
	}
	nm, present, isString := stringProp(rf.Properties, nameKey)
	switch {
	case !present:
		return f, ferr(ErrMissingProperty, nil, "name property %s is null", nameKey)
	case !isString:
		return f, ferr(ErrMissingProperty, nil, "name property %s is not a string", nameKey)
	}
	f.Name = nm
	if odsKey != "" {
		f.ODSCode, _, _ = stringProp(rf.Properties, odsKey)
	}
	if f.ODSCode == "" {
		f.ODSCode = odsFromName(f.Name)
	}

	// Parents: every other type's code (latest year when a type appears with several).
	for typ, g := range keys {
		if typ == own {
			continue
		}
		if v, year := latest(rf.Properties, g[keyCode]); v != "" {
			if f.Parents == nil {
				f.Parents = map[string]string{}
			}
			f.Parents[typ] = v
			for _, k := range g[keyODS] {
				if k.year != year {
					continue
				}
				if ods, _, _ := stringProp(rf.Properties, k.key); ods != "" {
					if f.ParentODS == nil {
						f.ParentODS = map[string]string{}
					}
					f.ParentODS[typ] = ods
				}
			}
		}
	}

	geom, gerr := readGeometry(rf.Geometry)
	if gerr != nil {
		gerr.Code = f.Code
		return f, gerr
	}
	f.Geometry = geom
	return f, nil
}

type keyProblem struct {
	kind error
	msg  string
}

// ownType picks the feature's own type among the types with a code key.
func ownType(keys map[string]*[3][]keyRef, prefixes []string) (string, *keyProblem) {
	var pick string
	for _, p := range prefixes { // longest first
		if g, ok := keys[p]; ok && len(g[keyCode]) > 0 {
			pick = p
			break
		}
	}
	if pick == "" {
		var cands []string
		for typ, g := range keys {
			if len(g[keyCode]) == 0 {
				continue
			}
			for _, p := range prefixes {
				if strings.HasPrefix(typ, p) {
					cands = append(cands, typ)
					break
				}
			}
		}
		sort.Strings(cands)
		switch len(cands) {
		case 0:
			var have []string
			for _, g := range keys {
				for _, k := range g[keyCode] {
					have = append(have, k.key)
				}
			}
			sort.Strings(have)
			found := "none"
			if len(have) > 0 {
				found = strings.Join(have, ", ")
			}
			return "", &keyProblem{ErrMissingProperty, fmt.Sprintf("missing code property <%s><YY>CD (ONS-style code keys found: %s)",
				strings.Join(prefixes, "|"), found)}
		case 1:
			pick = cands[0]
		default:
			return "", &keyProblem{ErrAmbiguousProperty, fmt.Sprintf("several code properties match prefixes %s: types %s",
				strings.Join(prefixes, ", "), strings.Join(cands, ", "))}
		}
	}
	if g := keys[pick]; len(g[keyCode]) > 1 {
		var ks []string
		for _, k := range g[keyCode] {
			ks = append(ks, k.key)
		}
		sort.Strings(ks)
		return "", &keyProblem{ErrAmbiguousProperty, "several code properties of one type: " + strings.Join(ks, ", ")}
	}
	return pick, nil
}

// stringProp returns the trimmed string value of props[key]; present is false when the key is
// absent or null, isString false when the value is not a JSON string.
func stringProp(props map[string]json.RawMessage, key string) (v string, present, isString bool) {
	raw, ok := props[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return "", false, false
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", true, false
	}
	return strings.TrimSpace(v), true, true
}

// latest returns the non-empty string value of the latest-year key among refs.
func latest(props map[string]json.RawMessage, refs []keyRef) (v, year string) {
	for _, k := range refs {
		s, _, _ := stringProp(props, k.key)
		if s != "" && (v == "" || k.year > year) {
			v, year = s, k.year
		}
	}
	return v, year
}

// odsFromName returns the ODS code at the end of a Sub-ICB location name
// ("NHS South Yorkshire ICB - 02P" -> "02P", "... ICB - M1J4Y" -> "M1J4Y"): 3 to 5 upper-case
// letters and digits, at least one a digit, after " - ". "" otherwise.
func odsFromName(name string) string {
	i := strings.LastIndex(name, " - ")
	if i < 0 {
		return ""
	}
	tail := name[i+3:]
	if len(tail) < 3 || len(tail) > 5 {
		return ""
	}
	digit := false
	for j := 0; j < len(tail); j++ {
		c := tail[j]
		switch {
		case isDigit(c):
			digit = true
		case c >= 'A' && c <= 'Z':
		default:
			return ""
		}
	}
	if !digit {
		return ""
	}
	return tail
}

// British National Grid extent in metres, used to recognise projected coordinates.
const (
	bngMaxEasting  = 700000
	bngMaxNorthing = 1300000
)

const bngHint = "coordinates look like British National Grid metres (EPSG:27700); convert to WGS84 lon/lat (EPSG:4326)"

// readGeometry decodes a Polygon or MultiPolygon into a MultiPolygon with closed rings.
func readGeometry(raw json.RawMessage) (orb.MultiPolygon, *FeatureError) {
	gerr := func(kind error, cause error, format string, args ...any) *FeatureError {
		return &FeatureError{Kind: kind, Cause: cause, Reason: fmt.Sprintf(format, args...)}
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return nil, gerr(ErrInvalidGeometry, nil, "geometry missing")
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, gerr(ErrInvalidGeometry, err, "geometry is %s, expected a GeoJSON geometry object", jsonKind(raw))
	}
	if t := bytes.TrimSpace(g.Coordinates); (len(t) == 0 || string(t) == "null") && (g.Type == "Polygon" || g.Type == "MultiPolygon") {
		return nil, gerr(ErrInvalidGeometry, nil, "%s geometry has no coordinates", g.Type)
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, gerr(ErrInvalidGeometry, err, "malformed Polygon coordinates: %v", err)
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, gerr(ErrInvalidGeometry, err, "malformed MultiPolygon coordinates: %v", err)
		}
	case "":
		return nil, gerr(ErrInvalidGeometry, nil, "geometry has no type")
	default:
		return nil, gerr(ErrInvalidGeometry, nil, "geometry type %s, need Polygon or MultiPolygon", g.Type)
	}
	if len(polys) == 0 {
		return nil, gerr(ErrInvalidGeometry, nil, "empty %s", g.Type)
	}
	multi := g.Type == "MultiPolygon"
	where := func(pi, ri int) string {
		if multi {
			return fmt.Sprintf("polygon %d ring %d", pi, ri)
		}
		return fmt.Sprintf("ring %d", ri)
	}
	mp := make(orb.MultiPolygon, len(polys))
	for pi, p := range polys {
		if len(p) == 0 {
			if multi {
				return nil, gerr(ErrInvalidGeometry, nil, "polygon %d has no rings", pi)
			}
			return nil, gerr(ErrInvalidGeometry, nil, "empty Polygon")
		}
		poly := make(orb.Polygon, len(p))
		for ri, ring := range p {
			if len(ring) < 4 {
				return nil, gerr(ErrInvalidGeometry, nil, "%s has %d points, need at least 4", where(pi, ri), len(ring))
			}
			r := make(orb.Ring, len(ring), len(ring)+1)
			for k, pos := range ring {
				if len(pos) < 2 {
					return nil, gerr(ErrInvalidGeometry, nil, "%s point %d has %d coordinates, need 2", where(pi, ri), k, len(pos))
				}
				x, y := pos[0], pos[1]
				if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
					return nil, gerr(ErrInvalidGeometry, nil, "%s point %d is not finite (%v, %v)", where(pi, ri), k, x, y)
				}
				if x < -180 || x > 180 || y < -90 || y > 90 {
					if x >= 0 && x <= bngMaxEasting && y >= 0 && y <= bngMaxNorthing {
						return nil, gerr(ErrProjection, nil, "%s (%s point %d is %v, %v)", bngHint, where(pi, ri), k, x, y)
					}
					return nil, gerr(ErrProjection, nil, "%s point %d (%v, %v) is outside WGS84 lon [-180,180], lat [-90,90]; expected lon/lat (EPSG:4326)", where(pi, ri), k, x, y)
				}
				r[k] = orb.Point{x, y}
			}
			if r[0] != r[len(r)-1] {
				r = append(r, r[0])
			}
			poly[ri] = r
		}
		mp[pi] = poly
	}
	return mp, nil
}
