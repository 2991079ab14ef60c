package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/directory"
	"github.com/nhs-geo/alliance/geo"
	"github.com/nhs-geo/alliance/internal/testenv"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The real-data tests import ../shared/data (or $ALLIANCE_DATA) without postcodes, once per
// test binary (about 2 s), and skip when it is absent.
var realFixture testenv.Once[*directory.Snapshot]

func realSnapshot(t *testing.T) *directory.Snapshot {
	t.Helper()
	data := testenv.SharedData(t, "boundaries")
	return realFixture.Get(t, func(dir string) (*directory.Snapshot, error) {
		db := filepath.Join(dir, "alliance.db")
		if _, err := directory.Import(context.Background(), directory.ImportOptions{DataDir: filepath.Dir(data), DBPath: db, SkipPostcodes: true}); err != nil {
			return nil, err
		}
		return directory.Open(context.Background(), db, directory.DefaultOptions)
	})
}

func realServer(t *testing.T) *Server {
	t.Helper()
	return New(staticSource{realSnapshot(t)}, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// TestRealChesterfield: Chesterfield moved from the South Yorkshire alliance (2017, 2018) to
// East Midlands (2021, 2023), as one lookup in every edition shows.
func TestRealChesterfield(t *testing.T) {
	h := realServer(t)
	var body struct {
		Editions []struct {
			Edition string
			Areas   []struct{ Code, Name, Type string }
		}
	}
	getJSON(t, h, "/api/v1/lookup?lat=53.235&lon=-1.421&edition=all", 200, &body)
	var got []string
	for _, e := range body.Editions {
		for _, a := range e.Areas {
			if a.Type == "cancer-alliance" {
				got = append(got, e.Edition+": "+a.Name)
			}
		}
	}
	want := "2017: South Yorkshire, Bassetlaw, North Derbyshire and Hardwick|2018: South Yorkshire, Bassetlaw, North Derbyshire and Hardwick|2021: East Midlands|2023: East Midlands"
	if strings.Join(got, "|") != want {
		t.Errorf("Chesterfield's alliance by edition:\n got %v\nwant %s", got, want)
	}
}

// TestRealDirectory: the directory API on the real data.
func TestRealDirectory(t *testing.T) {
	h := realServer(t)
	var eds struct {
		Editions []editionInfo `json:"editions"`
	}
	getJSON(t, h, "/api/v1/editions", 200, &eds)
	if len(eds.Editions) != 4 {
		t.Fatalf("%d editions, want 4", len(eds.Editions))
	}
	for _, e := range eds.Editions {
		if e.ValidFrom == "" || e.Title == "" || len(e.Layers) < 2 {
			t.Errorf("edition %s: %+v", e.ID, e)
		}
		for _, l := range e.Layers {
			if l.Features == 0 || len(l.SHA256) != 64 || !strings.HasPrefix(l.SourceFile, "boundaries/") {
				t.Errorf("edition %s layer %+v", e.ID, l)
			}
		}
	}
	for ed, n := range map[string]int{"2017": 19, "2018": 19, "2021": 21, "2023": 21} {
		var list struct {
			Count int
			Areas []struct{ Code, Name, Edition string }
		}
		getJSON(t, h, "/api/v1/areas?type=cancer-alliance&edition="+ed, 200, &list)
		if list.Count != n || len(list.Areas) != n || list.Areas[0].Edition != ed {
			t.Errorf("%s: %d alliances, want %d", ed, list.Count, n)
		}
		for i := 1; i < len(list.Areas); i++ {
			if list.Areas[i-1].Name > list.Areas[i].Name {
				t.Errorf("%s: not sorted by name: %q before %q", ed, list.Areas[i-1].Name, list.Areas[i].Name)
			}
		}
	}

	type overlap struct {
		Code   string
		Type   string
		Share  float64
		Stated bool
	}
	type detail struct {
		Code, Name, Type, Edition string
		AreaKm2                   float64 `json:"area_km2"`
		Centroid                  struct{ Lat, Lon float64 }
		BBox                      []float64
		Parents, Contains         []overlap
		Neighbours                []struct{ Code string }
		OtherEditions             []struct{ Edition string } `json:"other_editions"`
	}
	codes := func(os []overlap, typ string, min float64) []string {
		var out []string
		for _, o := range os {
			if o.Type == typ && o.Share >= min {
				out = append(out, o.Code)
			}
		}
		return out
	}
	// The 2018 alliance of South Yorkshire, Bassetlaw, North Derbyshire and Hardwick holds
	// its seven CCGs, named by the CCG file, and lies across two STPs.
	var syb detail
	getJSON(t, h, "/api/v1/areas/E56000006?edition=2018", 200, &syb)
	if ccgs := codes(syb.Contains, "ccg", 0.99); len(ccgs) != 7 {
		t.Errorf("2018 E56000006 holds CCGs %v, want 7", ccgs)
	}
	for _, c := range syb.Contains {
		if c.Type == "ccg" && !c.Stated {
			t.Errorf("CCG %s of E56000006 not marked as stated by the source", c.Code)
		}
	}
	if stps := codes(syb.Contains, "stp", 0.5); strings.Join(stps, ",") != "E54000009,E54000012" {
		t.Errorf("STPs mostly inside E56000006: %v", stps)
	}
	// North Derbyshire CCG (2018): in the South Yorkshire alliance and the Derbyshire STP,
	// both stated by the source file.
	var nd detail
	getJSON(t, h, "/api/v1/areas/E38000115?edition=2018", 200, &nd)
	if len(nd.Parents) != 2 || nd.Parents[0].Code != "E56000006" || nd.Parents[1].Code != "E54000012" || !nd.Parents[0].Stated || nd.Parents[0].Share != 1 {
		t.Errorf("North Derbyshire's parents: %+v", nd.Parents)
	}
	// South Yorkshire ICB (2023): region and alliance derived by overlap, four sub-ICBs.
	var icb detail
	getJSON(t, h, "/api/v1/areas/E54000061", 200, &icb)
	if p := icb.Parents; len(p) != 2 || p[0].Code != "E40000012" || p[1].Code != "E56000025" || p[0].Stated || p[0].Share < 0.99 {
		t.Errorf("South Yorkshire ICB's parents: %+v", p)
	}
	if subs := codes(icb.Contains, "sub-icb", 0.99); len(subs) != 4 {
		t.Errorf("South Yorkshire ICB's sub-ICBs: %v", subs)
	}
	// South Yorkshire is about 1,552 km².
	if math.Abs(icb.AreaKm2-1552) > 15 || len(icb.Neighbours) != 4 || len(icb.BBox) != 4 {
		t.Errorf("South Yorkshire ICB: %.1f km², %d neighbours, bbox %v", icb.AreaKm2, len(icb.Neighbours), icb.BBox)
	}
	if c := icb.Centroid; c.Lat < 53.3 || c.Lat > 53.66 || c.Lon < -1.82 || c.Lon > -0.86 {
		t.Errorf("centroid %v outside the ICB's box", c)
	}
	var sy21 detail
	getJSON(t, h, "/api/v1/areas/E56000025?edition=2021", 200, &sy21)
	if len(sy21.OtherEditions) != 1 || sy21.OtherEditions[0].Edition != "2023" {
		t.Errorf("E56000025 in other editions: %+v", sy21.OtherEditions)
	}
}

// TestRealLayerSizes measures the compressed size of every layer at every simplification
// level as served (gzip level 5, the server's); the map loads alliance layers at 1000 m.
func TestRealLayerSizes(t *testing.T) {
	h := realServer(t)
	snap := realSnapshot(t)
	var table strings.Builder
	fmt.Fprintf(&table, "%-6s %-16s", "", "")
	for _, l := range directory.SimplifyLevels {
		fmt.Fprintf(&table, " %7d m", l)
	}
	table.WriteString("   (KB gzip)\n")
	for _, ed := range snap.Editions {
		for _, l := range ed.Layers {
			fmt.Fprintf(&table, "%-6s %-16s", ed.ID, l.Type)
			for _, level := range directory.SimplifyLevels {
				path := fmt.Sprintf("/api/v1/layers/%s.geojson?edition=%s&simplify=%d", l.Type, ed.ID, level)
				r := httptest.NewRequest(http.MethodGet, path, nil)
				r.Header.Set("Accept-Encoding", "gzip")
				w := serve(h, r)
				if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
					t.Fatalf("%s: %d %q", path, w.Code, w.Header().Get("Content-Encoding"))
				}
				kb := float64(w.Body.Len()) / 1024
				fmt.Fprintf(&table, " %9.1f", kb)
				if l.Type == directory.CancerAlliance && level >= 1000 && kb > 150 {
					t.Errorf("%s: %.1f KB gzipped, want well under 150 KB", path, kb)
				}
			}
			table.WriteString("\n")
		}
	}
	t.Logf("layer sizes as served:\n%s", table.String())
}

// TestRealServedLayersTile decodes the served 2023 ICB and 2021 alliance layers at every
// level and checks that they still tile England: no point of a lattice about 1 km apart lies
// in two features, every border edge is used by at most two features, and neighbours still
// share edges.
func TestRealServedLayersTile(t *testing.T) {
	h := realServer(t)
	for _, layer := range []struct{ edition, typ string }{{"2023", "icb"}, {"2021", "cancer-alliance"}} {
		for _, level := range directory.SimplifyLevels {
			t.Run(fmt.Sprintf("%s/%s/%d", layer.edition, layer.typ, level), func(t *testing.T) {
				w := serve(h, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/layers/%s.geojson?edition=%s&simplify=%d", layer.typ, layer.edition, level), nil))
				fc, err := geojson.UnmarshalFeatureCollection(w.Body.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				var areas []orb.MultiPolygon
				for _, f := range fc.Features {
					switch g := f.Geometry.(type) {
					case orb.Polygon:
						areas = append(areas, orb.MultiPolygon{g})
					case orb.MultiPolygon:
						areas = append(areas, g)
					default:
						t.Fatalf("%v: geometry %T", f.Properties["code"], g)
					}
				}
				uses := map[[2]orb.Point]int{}
				for _, mp := range areas {
					for _, poly := range mp {
						for _, ring := range poly {
							if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
								t.Fatalf("ring of %d points, closed %v", len(ring), len(ring) > 0 && ring[0] == ring[len(ring)-1])
							}
							for i := 0; i+1 < len(ring); i++ {
								a, b := ring[i], ring[i+1]
								if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
									a, b = b, a
								}
								uses[[2]orb.Point{a, b}]++
							}
						}
					}
				}
				shared := 0
				for e, n := range uses {
					if n > 2 {
						t.Fatalf("edge %v used by %d rings", e, n)
					}
					if n == 2 {
						shared++
					}
				}
				if shared == 0 {
					t.Error("no edge is shared: neighbours no longer share borders")
				}
				ix, err := geo.NewIndex(areas)
				if err != nil {
					t.Fatal(err)
				}
				b, overlaps, n := ix.Bound(), 0, 0
				for y := b.Min[1]; y < b.Max[1]; y += 0.009 {
					for x := b.Min[0]; x < b.Max[0]; x += 0.015 {
						n++
						if hits := ix.Near(orb.Point{x, y}, -1); len(hits) > 1 {
							if overlaps++; overlaps <= 3 {
								t.Errorf("point %v in features %v", orb.Point{x, y}, hits)
							}
						}
					}
				}
				if overlaps > 0 {
					t.Errorf("%d of %d lattice points lie in two features", overlaps, n)
				}
			})
		}
	}
}
