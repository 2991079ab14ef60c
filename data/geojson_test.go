package data

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
	"github.com/paulmach/orb"
)

func readLayerFile(t *testing.T, path string, prefixes []string) ([]Feature, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ReadLayer(f, path, prefixes)
}

func TestReadLayerFixtures(t *testing.T) {
	tests := []struct {
		file     string
		prefixes []string
		wantErr  error  // nil: success
		wantMsg  string // substring of the error message
		check    func(t *testing.T, fs []Feature)
	}{
		{
			file: "good-upper.geojson", prefixes: []string{"icb"},
			check: func(t *testing.T, fs []Feature) {
				if len(fs) != 2 {
					t.Fatalf("%d features, want 2", len(fs))
				}
				f := fs[0]
				if f.Index != 0 || f.Code != "E54000061" || f.Name != "NHS South Yorkshire Integrated Care Board" || f.ODSCode != "" || f.Parents != nil {
					t.Errorf("feature 0 = %+v", f)
				}
				if f.Keys != [3]string{"ICB23CD", "ICB23NM", ""} {
					t.Errorf("keys %q", f.Keys)
				}
				if len(f.Geometry) != 1 || len(f.Geometry[0]) != 1 || len(f.Geometry[0][0]) != 5 {
					t.Errorf("polygon not a 1-element MultiPolygon of one 5-point ring: %v", f.Geometry)
				}
				g := fs[1]
				if g.Index != 1 || g.Code != "E54000050" || len(g.Geometry) != 2 || len(g.Geometry[0]) != 2 {
					t.Errorf("feature 1 = %+v", g)
				}
				// The unclosed outer ring of polygon 0 and the ring of polygon 1 are closed.
				for pi, p := range g.Geometry {
					for ri, r := range p {
						if r[0] != r[len(r)-1] {
							t.Errorf("polygon %d ring %d not closed", pi, ri)
						}
					}
				}
				if n := len(g.Geometry[0][0]); n != 5 {
					t.Errorf("closed ring has %d points, want 5", n)
				}
				if n := len(g.Geometry[1][0]); n != 4 {
					t.Errorf("already closed ring has %d points, want 4 (no extra point)", n)
				}
			},
		},
		{
			file: "lower-parents.geojson", prefixes: []string{"ccg"},
			check: func(t *testing.T, fs []Feature) {
				if len(fs) != 2 {
					t.Fatalf("%d features, want 2", len(fs))
				}
				f := fs[0]
				if f.Code != "E38000006" || f.Name != "NHS Barnsley CCG" || f.ODSCode != "02P" {
					t.Errorf("feature 0 = %+v", f)
				}
				if want := map[string]string{"stp": "E54000009", "cal": "E56000025"}; !maps.Equal(f.Parents, want) {
					t.Errorf("parents %v, want %v", f.Parents, want)
				}
				if want := map[string]string{"stp": "QF7"}; !maps.Equal(f.ParentODS, want) {
					t.Errorf("parent ODS %v, want %v", f.ParentODS, want)
				}
			},
		},
		{
			// The same file read as its STP layer: stp is own, ccg and cal are parents (and
			// the file has duplicate STP codes only if two CCGs share one; here they do not).
			file: "lower-parents.geojson", prefixes: []string{"STP"},
			check: func(t *testing.T, fs []Feature) {
				if fs[1].Code != "E54000051" || fs[1].ODSCode != "QOQ" || fs[1].Parents["ccg"] != "E38000146" {
					t.Errorf("feature 1 = %+v", fs[1])
				}
			},
		},
		{file: "bng.geojson", prefixes: []string{"cal"}, wantErr: ErrProjection,
			wantMsg: "bng.geojson: feature 0 (E56000025): coordinates look like British National Grid metres (EPSG:27700); convert to WGS84 lon/lat (EPSG:4326)"},
		{file: "duplicate.geojson", prefixes: []string{"stp"}, wantErr: ErrDuplicateCode,
			wantMsg: "duplicate.geojson: feature 2 (E54000012): duplicate code E54000012 (also feature 0)"},
		{file: "truncated.geojson", prefixes: []string{"ccg"}, wantErr: ErrInvalidJSON,
			wantMsg: "truncated.geojson: not valid JSON: unexpected end of input after 300 bytes (truncated file?)"},
		{file: "three-point-ring.geojson", prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry,
			wantMsg: "three-point-ring.geojson: feature 1 (E54000012): ring 0 has 3 points, need at least 4"},
		{file: "good-upper.geojson", prefixes: []string{"cal"}, wantErr: ErrMissingProperty,
			wantMsg: "good-upper.geojson: feature 0: missing code property <cal><YY>CD (ONS-style code keys found: ICB23CD)"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+strings.Join(tt.prefixes, ","), func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			fs, err := readLayerFile(t, path, tt.prefixes)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				tt.check(t, fs)
				return
			}
			if err == nil {
				t.Fatalf("no error, want %v", tt.wantErr)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q does not wrap %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.wantMsg)
			}
			var fe *FeatureError
			if !errors.As(err, &fe) || fe.File != path {
				t.Errorf("error is not a *FeatureError naming %s: %#v", path, err)
			}
		})
	}
}

// Inline cases: one feature with the given properties and geometry JSON, or a whole document.
func TestReadLayerCases(t *testing.T) {
	const square = `{"type":"Polygon","coordinates":[[[-1,52],[0,52],[0,53],[-1,53],[-1,52]]]}`
	one := func(props, geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":` + props + `,"geometry":` + geom + `}]}`
	}
	tests := []struct {
		name     string
		doc      string
		prefixes []string
		wantErr  error
		wantMsg  string
		want     *Feature // checked fields: Code, Name, ODSCode, Parents
	}{
		{name: "country _code/_name", doc: one(`{"country20_name":"England","country20_code":"E92000001"}`, square),
			prefixes: []string{"country", "ctry"}, want: &Feature{Code: "E92000001", Name: "England"}},
		{name: "calncv with prefixes cal,calncv", doc: one(`{"calncv18cd":"E56000003","calncv18nm":"West Yorkshire and Harrogate","n_ccgs":9}`, square),
			prefixes: []string{"cal", "calncv"}, want: &Feature{Code: "E56000003", Name: "West Yorkshire and Harrogate"}},
		{name: "calncv with prefix cal only", doc: one(`{"calncv18cd":"E56000003","calncv18nm":"West Yorkshire and Harrogate"}`, square),
			prefixes: []string{"cal"}, want: &Feature{Code: "E56000003", Name: "West Yorkshire and Harrogate"}},
		{name: "2018 CCG parents", doc: one(`{"ccg18cd":"E38000069","ccg18cdh":"03D","ccg18nm":"NHS Hambleton CCG","stp18cd":"E54000049","stp18nm":"x","calncv18cd":"E56000017","calncv18nm":"y"}`, square),
			prefixes: []string{"ccg"}, want: &Feature{Code: "E38000069", Name: "NHS Hambleton CCG", ODSCode: "03D",
				Parents: map[string]string{"stp": "E54000049", "calncv": "E56000017"}}},
		{name: "sub-ICB ODS code from name", doc: one(`{"SICBL23CD":"E38000006","SICBL23NM":"NHS South Yorkshire ICB - 02P"}`, square),
			prefixes: []string{"sicbl"}, want: &Feature{Code: "E38000006", Name: "NHS South Yorkshire ICB - 02P", ODSCode: "02P"}},
		{name: "sub-ICB 5-char ODS code", doc: one(`{"SICBL23CD":"E38000239","SICBL23NM":"NHS Black Country ICB - D2P2L"}`, square),
			prefixes: []string{"sicbl"}, want: &Feature{Code: "E38000239", Name: "NHS Black Country ICB - D2P2L", ODSCode: "D2P2L"}},
		{name: "name dash without code", doc: one(`{"nhser24cd":"E40000003","nhser24nm":"London - Region"}`, square),
			prefixes: []string{"nhser"}, want: &Feature{Code: "E40000003", Name: "London - Region"}},
		{name: "3D positions", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon","coordinates":[[[-1,52,5],[0,52,5],[0,53,5],[-1,52,5]]]}`),
			prefixes: []string{"stp"}, want: &Feature{Code: "E54000001", Name: "x"}},

		{name: "not JSON", doc: "not json", prefixes: []string{"stp"}, wantErr: ErrInvalidJSON, wantMsg: "x.geojson: not valid JSON: line 1, column 2"},
		{name: "empty", doc: "  \n", prefixes: []string{"stp"}, wantErr: ErrInvalidJSON, wantMsg: "empty file"},
		{name: "array", doc: "[1,2]", prefixes: []string{"stp"}, wantErr: ErrNotFeatureCollection, wantMsg: "top-level JSON value is an array"},
		{name: "a Feature", doc: `{"type":"Feature","properties":{},"geometry":null}`, prefixes: []string{"stp"}, wantErr: ErrNotFeatureCollection, wantMsg: `type is "Feature"`},
		{name: "no type", doc: `{"features":[]}`, prefixes: []string{"stp"}, wantErr: ErrNotFeatureCollection, wantMsg: `no "type" member`},
		{name: "no features member", doc: `{"type":"FeatureCollection"}`, prefixes: []string{"stp"}, wantErr: ErrNotFeatureCollection, wantMsg: `no "features" array`},
		{name: "features not array", doc: `{"type":"FeatureCollection","features":{}}`, prefixes: []string{"stp"}, wantErr: ErrNotFeatureCollection, wantMsg: `"features" is an object`},
		{name: "no features", doc: `{"type":"FeatureCollection","features":[]}`, prefixes: []string{"stp"}, wantErr: ErrNoFeatures, wantMsg: "x.geojson: no features"},
		{name: "crs 27700", doc: `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[]}`,
			prefixes: []string{"stp"}, wantErr: ErrProjection, wantMsg: "British National Grid"},
		{name: "feature not object", doc: `{"type":"FeatureCollection","features":[3]}`, prefixes: []string{"stp"}, wantErr: ErrNotFeatureCollection, wantMsg: "feature 0: not a GeoJSON Feature"},
		{name: "missing code key", doc: one(`{"stp21nm":"x"}`, square), prefixes: []string{"stp"}, wantErr: ErrMissingProperty, wantMsg: "feature 0: missing code property <stp><YY>CD (ONS-style code keys found: none)"},
		{name: "missing name key", doc: one(`{"stp21cd":"E54000001"}`, square), prefixes: []string{"stp"}, wantErr: ErrMissingProperty, wantMsg: "feature 0 (E54000001): missing name property stp21nm"},
		{name: "empty code", doc: one(`{"stp21cd":"  ","stp21nm":"x"}`, square), prefixes: []string{"stp"}, wantErr: ErrMissingProperty, wantMsg: "empty code (stp21cd)"},
		{name: "null code", doc: one(`{"stp21cd":null,"stp21nm":"x"}`, square), prefixes: []string{"stp"}, wantErr: ErrMissingProperty, wantMsg: "code property stp21cd is null"},
		{name: "numeric code", doc: one(`{"stp21cd":7,"stp21nm":"x"}`, square), prefixes: []string{"stp"}, wantErr: ErrMissingProperty, wantMsg: "not a string"},
		{name: "no properties", doc: one(`null`, square), prefixes: []string{"stp"}, wantErr: ErrMissingProperty},
		{name: "two years", doc: one(`{"stp17cd":"E54000001","stp18cd":"E54000001","stp18nm":"x"}`, square), prefixes: []string{"stp"}, wantErr: ErrAmbiguousProperty, wantMsg: "stp17cd, stp18cd"},
		{name: "two prefix matches", doc: one(`{"calx21cd":"E1","caly21cd":"E2"}`, square), prefixes: []string{"cal"}, wantErr: ErrAmbiguousProperty},
		{name: "keys differ between features", doc: `{"type":"FeatureCollection","features":[
			{"type":"Feature","properties":{"cal21cd":"E1","cal21nm":"a"},"geometry":` + square + `},
			{"type":"Feature","properties":{"calncv18cd":"E2","calncv18nm":"b"},"geometry":` + square + `}]}`,
			prefixes: []string{"cal", "calncv"}, wantErr: ErrAmbiguousProperty, wantMsg: "feature 1 (E2): code key calncv18cd differs from feature 0's cal21cd"},
		{name: "geometry missing", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `null`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "feature 0 (E54000001): geometry missing"},
		{name: "geometry point", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Point","coordinates":[0,52]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "geometry type Point, need Polygon or MultiPolygon"},
		{name: "geometry no type", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"coordinates":[]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "geometry has no type"},
		{name: "empty polygon", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon","coordinates":[]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "empty Polygon"},
		{name: "empty multipolygon", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"MultiPolygon","coordinates":[]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "empty MultiPolygon"},
		{name: "multipolygon member without rings", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"MultiPolygon","coordinates":[[]]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "polygon 0 has no rings"},
		{name: "multipolygon short ring", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"MultiPolygon","coordinates":[[[[-1,52],[0,52],[0,53],[-1,52]]],[[[-1,52],[0,52]]]]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "polygon 1 ring 0 has 2 points, need at least 4"},
		{name: "no coordinates", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon"}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "Polygon geometry has no coordinates"},
		{name: "bad coordinates", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon","coordinates":[["a"]]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "malformed Polygon coordinates"},
		{name: "one-number position", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon","coordinates":[[[-1,52],[0],[0,53],[-1,52]]]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry, wantMsg: "ring 0 point 1 has 1 coordinates, need 2"},
		{name: "huge number", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon","coordinates":[[[-1,52],[1e999,52],[0,53],[-1,52]]]}`), prefixes: []string{"stp"}, wantErr: ErrInvalidGeometry},
		{name: "out of range, not BNG", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon","coordinates":[[[-1,52],[-250,52],[0,53],[-1,52]]]}`), prefixes: []string{"stp"}, wantErr: ErrProjection, wantMsg: "ring 0 point 1 (-250, 52) is outside WGS84"},
		{name: "web mercator", doc: one(`{"stp21cd":"E54000001","stp21nm":"x"}`, `{"type":"Polygon","coordinates":[[[-150000,6800000],[-140000,6800000],[-140000,6810000],[-150000,6800000]]]}`), prefixes: []string{"stp"}, wantErr: ErrProjection, wantMsg: "outside WGS84"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := ReadLayer(strings.NewReader(tt.doc), "x.geojson", tt.prefixes)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, want %v", tt.wantErr)
				}
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("error %q does not wrap %v", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "x.geojson: ") || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("error %q\nwant it to start with the file name and contain %q", err, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			f := fs[0]
			if f.Code != tt.want.Code || f.Name != tt.want.Name || f.ODSCode != tt.want.ODSCode || !maps.Equal(f.Parents, tt.want.Parents) {
				t.Errorf("got  code %q name %q ods %q parents %v\nwant code %q name %q ods %q parents %v",
					f.Code, f.Name, f.ODSCode, f.Parents, tt.want.Code, tt.want.Name, tt.want.ODSCode, tt.want.Parents)
			}
		})
	}
}

func TestReadLayerNoPrefixes(t *testing.T) {
	if _, err := ReadLayer(strings.NewReader("{}"), "x", nil); err == nil {
		t.Fatal("no error without prefixes")
	}
}

func TestParseONSKey(t *testing.T) {
	tests := []struct {
		key       string
		typ, year string
		field     int
		ok        bool
	}{
		{"cal21cd", "cal", "21", keyCode, true},
		{"ICB23CD", "icb", "23", keyCode, true},
		{"SICBL23NM", "sicbl", "23", keyName, true},
		{"calncv18cd", "calncv", "18", keyCode, true},
		{"ccg21cdh", "ccg", "21", keyODS, true},
		{"country20_code", "country", "20", keyCode, true},
		{"country20_name", "country", "20", keyName, true},
		{"NHSER24CD", "nhser", "24", keyCode, true},
		{"BNG_E", "", "", 0, false},
		{"FID", "", "", 0, false},
		{"n_ccgs", "", "", 0, false},
		{"cal2cd", "", "", 0, false},
		{"cal21", "", "", 0, false},
		{"cal21cdx", "", "", 0, false},
		{"21cd", "", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			typ, year, field, ok := ParseONSKey(tt.key)
			if typ != tt.typ || year != tt.year || field != tt.field || ok != tt.ok {
				t.Errorf("ParseONSKey(%q) = %q, %q, %d, %v; want %q, %q, %d, %v", tt.key, typ, year, field, ok, tt.typ, tt.year, tt.field, tt.ok)
			}
		})
	}
}

// TestReadLayerRealBoundaries reads every boundary file of the shared data with its prefixes.
func TestReadLayerRealBoundaries(t *testing.T) {
	root := testenv.SharedData(t, "boundaries")
	tests := []struct {
		file     string
		prefixes []string
		features int
		parents  []string // parent keys every feature must carry
		ods      bool     // every feature has an ODS code
	}{
		{"2018/cancer-alliances.geojson", []string{"calncv", "cal"}, 19, nil, false},
		{"2018/ccg.geojson", []string{"ccg"}, 195, []string{"stp", "calncv"}, true},
		{"2018/stp-42-apr2018.geojson", []string{"stp"}, 42, nil, false},
		{"2018/stp-44-feb2017.geojson", []string{"stp"}, 44, nil, false},
		{"2021/cancer-alliances.geojson", []string{"cal"}, 21, nil, false},
		{"2021/ccg.geojson", []string{"ccg"}, 106, []string{"stp", "cal"}, true},
		{"2021/stp.geojson", []string{"stp"}, 42, nil, false},
		{"2023/cancer-alliances-2021-assignment.geojson", []string{"cal"}, 21, nil, false},
		{"2023/icb.geojson", []string{"icb"}, 42, nil, false},
		{"2023/sub-icb.geojson", []string{"sicbl"}, 106, nil, true},
		{"2023/nhs-regions.geojson", []string{"nhser"}, 7, nil, false},
		{"countries/uk-countries-2020.geojson", []string{"country", "ctry"}, 4, nil, false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[filepath.FromSlash(tt.file)] = true
		t.Run(tt.file, func(t *testing.T) {
			fs, err := readLayerFile(t, filepath.Join(root, tt.file), tt.prefixes)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != tt.features {
				t.Errorf("%d features, want %d", len(fs), tt.features)
			}
			for _, f := range fs {
				if f.Name == "" || len(f.Geometry) == 0 {
					t.Errorf("feature %d (%s): name %q, %d polygons", f.Index, f.Code, f.Name, len(f.Geometry))
				}
				for _, k := range tt.parents {
					if f.Parents[k] == "" {
						t.Errorf("feature %d (%s): no parent %s in %v", f.Index, f.Code, k, f.Parents)
					}
				}
				if tt.ods && f.ODSCode == "" {
					t.Errorf("feature %d (%s %s): no ODS code", f.Index, f.Code, f.Name)
				}
				b := f.Geometry.Bound()
				if !(orb.Bound{Min: orb.Point{-9, 49}, Max: orb.Point{2, 61}}).Contains(b.Min) || !(orb.Bound{Min: orb.Point{-9, 49}, Max: orb.Point{2, 61}}).Contains(b.Max) {
					t.Errorf("feature %d (%s): bound %v outside the UK", f.Index, f.Code, b)
				}
			}
		})
	}
	// Every .geojson under boundaries/ is covered by the table.
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".geojson") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if !seen[rel] {
			t.Errorf("boundary file %s is not in the test table", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
