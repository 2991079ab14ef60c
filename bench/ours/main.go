// Command ours answers the shared benchmark points with this service's index, for
// bench/peers.sh: it prints, per layer, the time per point and writes each point's area.
// With -http it asks a running server instead, one GET /api/v1/lookup per point and
// edition, and writes the answers only: peers.sh times the same requests with wrk, whose
// single-threaded event loop adds far less to each round trip than Go's HTTP client.
//
//	go run ./bench/ours -data ../shared/data -points points.csv -out DIR
//	go run ./bench/ours -http http://127.0.0.1:8080 -points points.csv -n 20000 -out DIR
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nhs-geo/alliance/data"
	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Layers compared with the peers, as named in shared/bench/README.md.
// Over HTTP, each is the area of type typ in the answer for its edition.
var layers = []struct{ name, file, prefix, edition, typ string }{
	{"cal21", "boundaries/2021/cancer-alliances.geojson", "cal", "2021", "cancer-alliance"},
	{"icb23", "boundaries/2023/icb.geojson", "icb", "2023", "icb"},
	{"sicbl23", "boundaries/2023/sub-icb.geojson", "sicbl", "2023", "sub-icb"},
}

func main() {
	dataDir := flag.String("data", "../shared/data", "data directory")
	pointsFile := flag.String("points", "", "CSV id,lon,lat[,…] with a header")
	out := flag.String("out", ".", "folder for <layer>.csv answers")
	naive := flag.Bool("naive", false, "also time orb's planar.MultiPolygonContains over every area")
	server := flag.String("http", "", "ask this server over HTTP instead of the index in-process")
	count := flag.Int("n", 0, "with -http: the first n points only (0: all)")
	flag.Parse()
	pts, ids, err := readPoints(*pointsFile)
	if err != nil {
		log.Fatal(err)
	}
	if *server != "" {
		if *count > 0 && *count < len(pts) {
			pts, ids = pts[:*count], ids[:*count]
		}
		if err := askHTTP(*server, pts, ids, *out); err != nil {
			log.Fatal(err)
		}
		return
	}
	for _, l := range layers {
		f, err := os.Open(filepath.Join(*dataDir, l.file))
		if err != nil {
			log.Fatal(err)
		}
		feats, err := data.ReadLayer(f, l.file, []string{l.prefix})
		f.Close()
		if err != nil {
			log.Fatal(err)
		}
		areas := make([]orb.MultiPolygon, len(feats))
		for i, ft := range feats {
			areas[i] = ft.Geometry
		}
		ix, err := geo.NewIndex(areas)
		if err != nil {
			log.Fatal(err)
		}
		// Time the exact answer alone, as the peers give it, best of three passes.
		best := time.Duration(1 << 62)
		found := make([]int, len(pts))
		for pass := 0; pass < 3; pass++ {
			start := time.Now()
			for i, p := range pts {
				found[i] = ix.Locate(p)
			}
			best = min(best, time.Since(start))
		}
		fmt.Printf("ours %s locate %.4f us/point\n", l.name, float64(best.Nanoseconds())/1e3/float64(len(pts)))
		if *naive {
			start := time.Now()
			n := min(len(pts), 20000)
			for _, p := range pts[:n] {
				for _, a := range areas {
					if planar.MultiPolygonContains(a, p) {
						break
					}
				}
			}
			fmt.Printf("naive %s contains %.4f us/point\n", l.name, float64(time.Since(start).Nanoseconds())/1e3/float64(n))
		}
		w, err := os.Create(filepath.Join(*out, l.name+".csv"))
		if err != nil {
			log.Fatal(err)
		}
		bw := bufio.NewWriter(w)
		for i, p := range pts {
			code, fallback := "", ""
			m := ix.Lookup(p, 2000)
			if found[i] >= 0 {
				code = feats[found[i]].Code
			} else if m.Area >= 0 {
				fallback = feats[m.Area].Code
			}
			fmt.Fprintf(bw, "%s,%s,%s,%.1f\n", ids[i], code, fallback, m.BoundaryDistanceM)
		}
		bw.Flush()
		w.Close()
	}
}

func readPoints(path string) ([]orb.Point, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, nil, err
	}
	var pts []orb.Point
	var ids []string
	for _, row := range rows[1:] {
		lon, err1 := strconv.ParseFloat(row[1], 64)
		lat, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil {
			return nil, nil, fmt.Errorf("%s: bad row %v", path, row)
		}
		pts = append(pts, orb.Point{lon, lat})
		ids = append(ids, row[0])
	}
	return pts, ids, nil
}

// askHTTP sends one lookup per point and edition and writes http_<layer>.csv: id,code for
// each point inside an area of the layer.
func askHTTP(base string, pts []orb.Point, ids []string, out string) error {
	client := &http.Client{Timeout: 10 * time.Second}
	answers := map[string][]string{}
	for _, ed := range []string{"2021", "2023"} {
		byType := map[string][]string{}
		for i, p := range pts {
			u := fmt.Sprintf("%s/api/v1/lookup?lat=%s&lon=%s&edition=%s", base,
				strconv.FormatFloat(p[1], 'f', -1, 64), strconv.FormatFloat(p[0], 'f', -1, 64), ed)
			resp, err := client.Get(u)
			if err != nil {
				return err
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			var ans struct {
				Areas []struct{ Code, Type, Match string }
			}
			switch resp.StatusCode {
			case http.StatusOK:
				if err := json.Unmarshal(body, &ans); err != nil {
					return fmt.Errorf("%s: %v", u, err)
				}
			case http.StatusNotFound: // outside coverage: no area
			default:
				return fmt.Errorf("%s: %s %s", u, resp.Status, body)
			}
			for _, a := range ans.Areas {
				if a.Match == "inside" {
					byType[a.Type] = append(byType[a.Type], ids[i]+","+a.Code)
				}
			}
		}
		for _, l := range layers {
			if l.edition == ed {
				answers[l.name] = byType[l.typ]
			}
		}
	}
	for _, l := range layers {
		if err := os.WriteFile(filepath.Join(out, "http_"+l.name+".csv"), []byte(strings.Join(answers[l.name], "\n")+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}
