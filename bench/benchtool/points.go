package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nhs-geo/alliance/directory"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// benchLayer is one layer the peers answer: the 2021 alliances, the 2023 ICBs and Sub-ICBs.
type benchLayer struct {
	Name    string // as the peers' tables are named
	Edition directory.Edition
	Type    directory.AreaType
	File    string // under the data folder, as the peers load it
	Code    string // the code property (lower case, as ogr2ogr names the column)
}

var benchLayers = []benchLayer{
	{"cal21", "2021", directory.CancerAlliance, "boundaries/2021/cancer-alliances.geojson", "cal21cd"},
	{"icb23", "2023", directory.ICB, "boundaries/2023/icb.geojson", "icb23cd"},
	{"sicbl23", "2023", directory.SubICB, "boundaries/2023/sub-icb.geojson", "sicbl23cd"},
}

// pointSet is one shared point file, read whole.
type pointSet struct {
	Name string
	IDs  []string
	Pts  []orb.Point
	Text [][2]string // lat, lon as written in the file, to send them to the server unchanged
	CSV  []byte      // the file uncompressed (id,lon,lat[,…] with the header)
}

func parseSets(args []string) ([]*pointSet, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("no point set given (name=path.csv.gz)")
	}
	var sets []*pointSet
	for _, a := range args {
		name, path, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want name=path", a)
		}
		s, err := readSet(name, path)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return sets, nil
}

func readSet(name, path string) (*pointSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	raw, err := io.ReadAll(gz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 || len(rows[0]) < 3 || rows[0][0] != "id" || rows[0][1] != "lon" || rows[0][2] != "lat" {
		return nil, fmt.Errorf("%s: want a header id,lon,lat[,…]", path)
	}
	s := &pointSet{Name: name, CSV: raw}
	for _, r := range rows[1:] {
		lon, err1 := strconv.ParseFloat(r[1], 64)
		lat, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad row %v", path, r)
		}
		s.IDs = append(s.IDs, r[0])
		s.Pts = append(s.Pts, orb.Point{lon, lat})
		s.Text = append(s.Text, [2]string{r[2], r[1]})
	}
	return s, nil
}

// appendTime adds "tool set layer µs-per-point" to DIR/times.txt.
func appendTime(dir, tool, set, layer string, usPerPoint float64) error {
	f, err := os.OpenFile(filepath.Join(dir, "times.txt"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "%s %s %s %.6g\n", tool, set, layer, usPerPoint)
	return f.Close()
}

func usPer(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(n) }

// cmdPoints answers every point of every set in each layer with this service's index, as
// opened from the imported database (the geometry the server answers from), and with orb's
// planar.MultiPolygonContains over every polygon, and writes the answers and the times.
func cmdPoints(args []string) error {
	fs := flag.NewFlagSet("points", flag.ExitOnError)
	db := fs.String("db", "var/alliance.db", "database imported by `alliance import`")
	out := fs.String("out", ".", "folder for answers and times.txt")
	naiveN := fs.Int("naive", 5000, "points of each set timed with the naive test (all are answered)")
	passes := fs.Int("passes", 5, "passes over the points; the fastest counts")
	fs.Parse(args)
	sets, err := parseSets(fs.Args())
	if err != nil {
		return err
	}
	snap, err := directory.Open(context.Background(), *db, directory.DefaultOptions)
	if err != nil {
		return err
	}
	maxNearest := directory.DefaultOptions.MaxNearestM
	for _, bl := range benchLayers {
		l, err := snap.Layer(bl.Edition, bl.Type)
		if err != nil {
			return err
		}
		ix := l.Index
		for _, s := range sets {
			// The exact answer alone, as the peers give it: the fastest of several passes.
			found := make([]int, len(s.Pts))
			best := time.Duration(1 << 62)
			for range *passes {
				runtime.GC()
				start := time.Now()
				for i, p := range s.Pts {
					found[i] = ix.Locate(p)
				}
				best = min(best, time.Since(start))
			}
			if err := appendTime(*out, "index", s.Name, bl.Name, usPer(best, len(s.Pts))); err != nil {
				return err
			}
			// With the nearest-area fallback and the boundary distance, as the service answers.
			matches := make([]float64, len(s.Pts))
			fallback := make([]int, len(s.Pts))
			start := time.Now()
			for i, p := range s.Pts {
				m := ix.Lookup(p, maxNearest)
				fallback[i], matches[i] = -1, m.BoundaryDistanceM
				if !m.Inside {
					fallback[i] = m.Area
				}
			}
			if err := appendTime(*out, "index-lookup", s.Name, bl.Name, usPer(time.Since(start), len(s.Pts))); err != nil {
				return err
			}
			var b strings.Builder
			for i := range s.Pts {
				in, fb := "", ""
				if found[i] >= 0 {
					in = l.Areas[found[i]].Code
				} else if fallback[i] >= 0 {
					fb = l.Areas[fallback[i]].Code
				}
				fmt.Fprintf(&b, "%s,%s,%s,%g\n", s.IDs[i], in, fb, matches[i])
			}
			if err := os.WriteFile(filepath.Join(*out, fmt.Sprintf("ours_%s_%s.csv", s.Name, bl.Name)), []byte(b.String()), 0o644); err != nil {
				return err
			}

			// The batch path's per-row work on the same points: CSV in, parse, locate (nearest
			// when outside), CSV out. Snapshot.Batch itself takes postcodes, not points.
			best = time.Duration(1 << 62)
			for range 3 {
				runtime.GC()
				start := time.Now()
				if err := csvPass(s.CSV, l, maxNearest, io.Discard); err != nil {
					return err
				}
				best = min(best, time.Since(start))
			}
			if err := appendTime(*out, "csvpass", s.Name, bl.Name, usPer(best, len(s.Pts))); err != nil {
				return err
			}

			// orb's planar.MultiPolygonContains over every polygon in turn: the naive baseline,
			// timed on the first points; every point answered (in parallel, bounding box first,
			// which changes no answer) to check agreement.
			n := min(*naiveN, len(s.Pts))
			runtime.GC()
			start = time.Now()
			for _, p := range s.Pts[:n] {
				naive(l.Geometry, nil, p)
			}
			if err := appendTime(*out, "naive", s.Name, bl.Name, usPer(time.Since(start), n)); err != nil {
				return err
			}
			bounds := make([]orb.Bound, len(l.Geometry))
			for i, g := range l.Geometry {
				bounds[i] = g.Bound()
			}
			got := make([]int, len(s.Pts))
			var wg sync.WaitGroup
			workers := runtime.GOMAXPROCS(0)
			for w := range workers {
				wg.Go(func() {
					for i := w; i < len(s.Pts); i += workers {
						got[i] = naive(l.Geometry, bounds, s.Pts[i])
					}
				})
			}
			wg.Wait()
			b.Reset()
			for i, a := range got {
				code := ""
				if a >= 0 {
					code = l.Areas[a].Code
				}
				fmt.Fprintf(&b, "%s,%s\n", s.IDs[i], code)
			}
			if err := os.WriteFile(filepath.Join(*out, fmt.Sprintf("naive_%s_%s.csv", s.Name, bl.Name)), []byte(b.String()), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "  %s %s: %d points\n", bl.Name, s.Name, len(s.Pts))
		}
	}
	return nil
}

// naive is the first area whose polygons contain p (orb counts a point on an edge as in).
func naive(areas []orb.MultiPolygon, bounds []orb.Bound, p orb.Point) int {
	for i, mp := range areas {
		if bounds != nil && !bounds[i].Contains(p) {
			continue
		}
		if planar.MultiPolygonContains(mp, p) {
			return i
		}
	}
	return -1
}

// csvPass reads id,lon,lat rows and writes id,lon,lat,code,match rows, as Snapshot.Batch
// does per postcode once it has the postcode's location.
func csvPass(in []byte, l *directory.Layer, maxNearest float64, w io.Writer) error {
	cr := csv.NewReader(bytes.NewReader(in))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	header, err := cr.Read()
	if err != nil {
		return err
	}
	if err := cw.Write(append(header[:3:3], "code", "match")); err != nil {
		return err
	}
	out := make([]string, 5)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		lon, err1 := strconv.ParseFloat(rec[1], 64)
		lat, err2 := strconv.ParseFloat(rec[2], 64)
		copy(out, rec[:3])
		out[3], out[4] = "", ""
		if err1 != nil || err2 != nil {
			out[4] = "invalid coordinates"
		} else {
			p := orb.Point{lon, lat}
			if a := l.Index.Locate(p); a >= 0 {
				out[3], out[4] = l.Areas[a].Code, directory.MatchInside
			} else if m := l.Index.Lookup(p, maxNearest); m.Area >= 0 {
				out[3], out[4] = l.Areas[m.Area].Code, directory.MatchNearest
			}
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
