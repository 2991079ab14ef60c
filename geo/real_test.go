package geo

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"unsafe"

	"github.com/nhs-geo/alliance/internal/testenv"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

type layer struct {
	name  string // e.g. 2023/icb
	areas []orb.MultiPolygon
}

var (
	layersOnce sync.Once
	layersAll  []layer
	layersErr  error
)

// realLayers reads every boundaries/*/*.geojson file, skipping the test when the data is
// absent.
func realLayers(tb testing.TB) []layer {
	tb.Helper()
	layersOnce.Do(func() {
		files, err := filepath.Glob(filepath.Join(testenv.DataDir(), "boundaries", "*", "*.geojson"))
		if err != nil {
			layersErr = err
			return
		}
		slices.Sort(files)
		for _, f := range files {
			areas, err := readLayer(f)
			if err != nil {
				layersErr = err
				return
			}
			rel, _ := filepath.Rel(filepath.Join(testenv.DataDir(), "boundaries"), f)
			layersAll = append(layersAll, layer{name: filepath.ToSlash(rel[:len(rel)-len(".geojson")]), areas: areas})
		}
	})
	if layersErr != nil {
		tb.Fatal(layersErr)
	}
	if len(layersAll) == 0 {
		tb.Skipf("no boundary layers found under %s (set ALLIANCE_DATA to the shared data folder)",
			filepath.Join(testenv.DataDir(), "boundaries", "*", "*.geojson"))
	}
	return layersAll
}

func realLayer(tb testing.TB, name string) layer {
	tb.Helper()
	for _, l := range realLayers(tb) {
		if l.name == name {
			return l
		}
	}
	tb.Skipf("layer %s not found under %s", name, filepath.Join(testenv.DataDir(), "boundaries"))
	return layer{}
}

func readLayer(path string) ([]orb.MultiPolygon, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, err
	}
	var out []orb.MultiPolygon
	for _, f := range fc.Features {
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			out = append(out, orb.MultiPolygon{g})
		case orb.MultiPolygon:
			out = append(out, g)
		}
	}
	return out, nil
}

// readPoints reads the lon,lat columns of a gzipped benchmark CSV, skipping the test when
// the file is absent.
func readPoints(tb testing.TB, name string) []orb.Point {
	tb.Helper()
	path := filepath.Join(testenv.BenchDir(), name)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		tb.Skipf("benchmark points %s not found (set ALLIANCE_BENCH)", path)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	r := csv.NewReader(bufio.NewReader(zr))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	pts := make([]orb.Point, 0, len(rows))
	for _, row := range rows[1:] {
		lon, err1 := strconv.ParseFloat(row[1], 64)
		lat, err2 := strconv.ParseFloat(row[2], 64)
		if err1 != nil || err2 != nil {
			tb.Fatalf("%s: bad row %v", path, row)
		}
		pts = append(pts, orb.Point{lon, lat})
	}
	return pts
}

// bruteContains lists every area containing p according to orb's planar test.
func bruteContains(areas []orb.MultiPolygon, bounds []orb.Bound, p orb.Point) []int {
	var out []int
	for a, mp := range areas {
		if bounds[a].Contains(p) && planar.MultiPolygonContains(mp, p) {
			out = append(out, a)
		}
	}
	return out
}

// degDistToArea is the planar distance in degrees from p to the nearest ring edge of mp.
func degDistToArea(mp orb.MultiPolygon, p orb.Point) float64 {
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := range ring {
				a, b := ring[i], ring[(i+1)%len(ring)]
				best = math.Min(best, planar.DistanceFromSegment(a, b, p))
			}
		}
	}
	return best
}

// bruteBoundaryM is the brute-force distance in metres from p to the boundary of mp: the
// nearest point of each edge in a local equirectangular projection around p, measured by
// haversine, minimised over all edges. It also returns the minimum projected distance.
func bruteBoundaryM(mp orb.MultiPolygon, p orb.Point) (haversineM, projectedM float64) {
	kx := MetresPerDegree * math.Cos(p[1]*math.Pi/180)
	ky := MetresPerDegree
	haversineM, projectedM = math.Inf(1), math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := range ring {
				a, b := ring[i], ring[(i+1)%len(ring)]
				ax, ay := (a[0]-p[0])*kx, (a[1]-p[1])*ky
				bx, by := (b[0]-p[0])*kx, (b[1]-p[1])*ky
				dx, dy := bx-ax, by-ay
				t := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
				}
				cx, cy := ax+t*dx, ay+t*dy
				d := math.Hypot(cx, cy)
				projectedM = math.Min(projectedM, d)
				if d <= 1.01*haversineM+1 { // the haversine differs by well under 1 %
					q := orb.Point{p[0] + cx/kx, p[1] + cy/ky}
					haversineM = math.Min(haversineM, DistanceM(p, q))
				}
			}
		}
	}
	return haversineM, projectedM
}

func areaBounds(areas []orb.MultiPolygon) []orb.Bound {
	b := make([]orb.Bound, len(areas))
	for i, mp := range areas {
		b[i] = mp.Bound()
	}
	return b
}

// TestRealLayers checks, on random points over every real layer plus points on and near
// random edges and vertices: Locate agrees with orb's planar.MultiPolygonContains over all
// areas except within 1e-9° of an edge; no point is in two areas (neither by orb away from
// edges, nor by the edge rule anywhere); Lookup's boundary distance of inside points and
// nearest area of outside points agree with brute force over all edges.
func TestRealLayers(t *testing.T) {
	layers := realLayers(t)
	n := 3000
	if testing.Short() {
		n = 300
	}
	for li, l := range layers {
		t.Run(l.name, func(t *testing.T) {
			ix := mustIndex(t, l.areas)
			bounds := areaBounds(l.areas)
			rng := rand.New(rand.NewPCG(uint64(li), 7))
			b := ix.Bound()
			pad := 0.05
			var pts []orb.Point
			for range n {
				pts = append(pts, orb.Point{
					b.Min[0] - pad + rng.Float64()*(b.Max[0]-b.Min[0]+2*pad),
					b.Min[1] - pad + rng.Float64()*(b.Max[1]-b.Min[1]+2*pad)})
			}
			// Points very near random edges and exactly on random vertices.
			for range n / 3 {
				mp := l.areas[rng.IntN(len(l.areas))]
				ring := mp[rng.IntN(len(mp))][0]
				k := rng.IntN(len(ring))
				v, w := ring[k], ring[(k+1)%len(ring)]
				f := rng.Float64()
				q := orb.Point{v[0] + f*(w[0]-v[0]), v[1] + f*(w[1]-v[1])}
				pts = append(pts, v, q,
					orb.Point{q[0] + (rng.Float64()-0.5)*1e-6, q[1] + (rng.Float64()-0.5)*1e-6},
					orb.Point{q[0] + (rng.Float64()-0.5)*1e-3, q[1] + (rng.Float64()-0.5)*1e-3})
			}
			inside, near, checkedDist := 0, 0, 0
			for _, p := range pts {
				got := ix.Locate(p)
				if o := owners(ix, p); len(o) > 1 || (len(o) == 1 && o[0] != got) || (len(o) == 0 && got != -1) {
					t.Errorf("Locate(%v) = %d, owners by the edge rule %v", p, got, o)
				}
				want := bruteContains(l.areas, bounds, p)
				nearEdge := func() bool {
					for _, a := range append(slices.Clone(want), got) {
						if a >= 0 && degDistToArea(l.areas[a], p) < 1e-9 {
							return true
						}
					}
					return false
				}
				switch {
				case len(want) > 1:
					if !nearEdge() {
						t.Errorf("%v: in %d areas %v by brute force", p, len(want), want)
					}
				case len(want) == 1 && got != want[0], len(want) == 0 && got != -1:
					if !nearEdge() {
						t.Errorf("Locate(%v) = %d, brute force %v", p, got, want)
					}
					near++
				}
				if got >= 0 {
					inside++
				}
				// Distances: every inside point, and outside points within 2 km.
				m := ix.Lookup(p, 2000)
				if m.Area != got && got >= 0 {
					t.Fatalf("Lookup(%v).Area = %d, Locate %d", p, m.Area, got)
				}
				if got >= 0 {
					want, proj := bruteBoundaryM(l.areas[got], p)
					if !closeM(m.BoundaryDistanceM, want) {
						t.Errorf("Lookup(%v).BoundaryDistanceM = %.6f, brute force %.6f", p, m.BoundaryDistanceM, want)
					}
					var s search
					ix.nearest(&s, p, got, math.Inf(1))
					if d := math.Sqrt(s.d2); math.Abs(d-proj) > 1e-9*proj+1e-9 {
						t.Errorf("%v: projected boundary distance %.9f, brute force %.9f", p, d, proj)
					}
					checkedDist++
					continue
				}
				// Outside: nearest area by brute force.
				bestA, bestD := -1, math.Inf(1)
				for a, mp := range l.areas {
					// An area whose bbox is 0.05° of latitude or 0.1° of longitude away
					// (over 5 km in England) cannot be within 2 km.
					bb := bounds[a]
					if p[1] < bb.Min[1]-0.05 || p[1] > bb.Max[1]+0.05 || p[0] < bb.Min[0]-0.1 || p[0] > bb.Max[0]+0.1 {
						continue
					}
					if d, _ := bruteBoundaryM(mp, p); d < bestD {
						bestA, bestD = a, d
					}
				}
				switch {
				case bestD <= 1999:
					if m.Area < 0 || m.Inside || !closeM(m.DistanceM, bestD) || m.BoundaryDistanceM != m.DistanceM {
						t.Errorf("Lookup(%v) = %+v, brute force area %d at %.3f m", p, m, bestA, bestD)
					}
					checkedDist++
				case bestD > 2001:
					if m.Area != -1 {
						t.Errorf("Lookup(%v) = %+v, brute force nearest %.3f m", p, m, bestD)
					}
				}
			}
			t.Logf("%d points, %d inside, %d within 1e-9° of an edge disagree, %d distances checked", len(pts), inside, near, checkedDist)
		})
	}
}

// closeM: two distances agree to 1e-5 (or 1 µm). The brute force applies the same
// method (nearest point of each edge in the local projection, measured by haversine) to
// every edge, so only exact ties could differ.
func closeM(a, b float64) bool { return math.Abs(a-b) <= 1e-5*b+1e-6 }

// TestRealNear compares Near with brute force on a few hundred points per layer.
func TestRealNear(t *testing.T) {
	for li, l := range realLayers(t) {
		t.Run(l.name, func(t *testing.T) {
			ix := mustIndex(t, l.areas)
			rng := rand.New(rand.NewPCG(uint64(li), 99))
			b := ix.Bound()
			for range 200 {
				p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
				const within = 5000
				hits := ix.Near(p, within)
				got := map[int]float64{}
				for i, h := range hits {
					got[h.Area] = h.DistanceM
					if i > 0 && hits[i-1].DistanceM > h.DistanceM {
						t.Errorf("Near(%v) not sorted: %v", p, hits)
					}
				}
				in := ix.Locate(p)
				for a, mp := range l.areas {
					d, _ := bruteBoundaryM(mp, p)
					if a == in {
						d = 0
					}
					g, ok := got[a]
					switch {
					case d < within-1 && !ok:
						t.Errorf("Near(%v): area %d at %.1f m missing", p, a, d)
					case d > within+1 && ok:
						t.Errorf("Near(%v): area %d at %.1f m reported %.1f", p, a, d, g)
					case ok && !closeM(g, d):
						t.Errorf("Near(%v): area %d at %.3f m, brute force %.3f", p, a, g, d)
					}
				}
			}
		})
	}
}

// TestRealHeap builds every real layer and reports the heap they hold.
func TestRealHeap(t *testing.T) {
	layers := realLayers(t)
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	ixs := make([]*Index, len(layers))
	for i, l := range layers {
		ix := mustIndex(t, l.areas)
		ixs[i] = ix
	}
	used := float64(heap()-before) / (1 << 20)
	for i, ix := range ixs {
		t.Logf("%-45s %4d areas %6d edges grid %4dx%-4d %6d mixed cells  %.1f MB", layers[i].name, ix.Len(), len(ix.edges), ix.nx, ix.ny, len(ix.mixEdge)-1, float64(ix.sizeBytes())/(1<<20))
	}
	t.Logf("heap held by all %d layers: %.1f MB", len(layers), used)
	if used > 100 {
		t.Errorf("indexes hold %.1f MB, want < 100 MB", used)
	}
	runtime.KeepAlive(ixs)
}

var benchLayers = []string{"2021/cancer-alliances", "2023/icb", "2023/sub-icb"}

var sinkInt int

// benchPointSets are the shared point sets: uniform over England, and within 100 m of an ICB boundary.
var benchPointSets = []struct{ name, file string }{{"uniform", "points_uniform_100k.csv.gz"}, {"boundary", "points_boundary_20k.csv.gz"}}

// benchIndexed runs answer over each point set and benchmark layer, on an index with its deep
// edge lists, as sub-benchmarks set/layer.
func benchIndexed(b *testing.B, answer func(ix *Index, p orb.Point) int) {
	for _, set := range benchPointSets {
		b.Run(set.name, func(b *testing.B) {
			pts := readPoints(b, set.file)
			for _, name := range benchLayers {
				ix := mustIndex(b, realLayer(b, name).areas)
				b.Run(name, func(b *testing.B) {
					s := 0
					for i := 0; b.Loop(); i++ {
						s += answer(ix, pts[i%len(pts)])
					}
					sinkInt = s
				})
			}
		})
	}
}

func BenchmarkLocate(b *testing.B) {
	benchIndexed(b, func(ix *Index, p orb.Point) int { return ix.Locate(p) })
}

func BenchmarkLookup(b *testing.B) {
	benchIndexed(b, func(ix *Index, p orb.Point) int { return ix.Lookup(p, 2000).Area })
}

// BenchmarkNaive is the baseline: orb's planar.MultiPolygonContains over all areas, with a
// bounding-box prefilter per area, stopping at the first area containing the point.
func BenchmarkNaive(b *testing.B) {
	for _, set := range benchPointSets {
		b.Run(set.name, func(b *testing.B) {
			pts := readPoints(b, set.file)
			for _, name := range benchLayers {
				l := realLayer(b, name)
				bounds := areaBounds(l.areas)
				b.Run(name, func(b *testing.B) {
					s := 0
					for i := 0; b.Loop(); i++ {
						p := pts[i%len(pts)]
						for a, mp := range l.areas {
							if bounds[a].Contains(p) && planar.MultiPolygonContains(mp, p) {
								s += a
								break
							}
						}
					}
					sinkInt = s
				})
			}
		})
	}
}

// BenchmarkNewIndex builds every real layer (12 files) per operation and reports the heap
// the built indexes hold.
func BenchmarkNewIndex(b *testing.B) {
	layers := realLayers(b)
	var keep []*Index
	for b.Loop() {
		keep = keep[:0]
		for _, l := range layers {
			ix := mustIndex(b, l.areas)
			keep = append(keep, ix)
		}
	}
	var size int
	for _, ix := range keep {
		size += ix.sizeBytes()
	}
	b.ReportMetric(float64(size)/(1<<20), "MB-index")
	b.ReportMetric(float64(len(layers)), "layers")
}

// sizeBytes estimates the memory held by the index's slices.
func (ix *Index) sizeBytes() int {
	return len(ix.areas)*int(unsafe.Sizeof(area{})) + len(ix.edges)*int(unsafe.Sizeof(edge{})) + len(ix.edgeArea)*4 +
		len(ix.flips)*8 + len(ix.local)*int(unsafe.Sizeof(crossEdge{})) + len(ix.cells)*4 + len(ix.dt) +
		len(ix.mixCand)*4 + len(ix.cands)*int(unsafe.Sizeof(cellCand{})) + len(ix.mixEdge)*4 + len(ix.segs)*int(unsafe.Sizeof(cellSeg{})) +
		ix.deep.Load().sizeBytes()
}

// TestRealDeepBlocks: on every real layer, the boundary distance read from a deep block's
// listed edges is bit-identical to the ring search's, for a point in every deep block and
// for uniform points.
func TestRealDeepBlocks(t *testing.T) {
	for li, l := range realLayers(t) {
		t.Run(l.name, func(t *testing.T) {
			ix := mustIndex(t, l.areas)
			noDeep := defaultParams
			noDeep.deepSide = 0
			ring, err := build(l.areas, noDeep)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(uint64(li), 5))
			d := ix.deep.Load()
			var pts []orb.Point
			deep, edges := 0, 0
			for b := range d.bnx * d.bny {
				if d.start[b] == d.start[b+1] {
					continue
				}
				deep++
				for _, r := range d.runs[d.start[b]:d.start[b+1]] {
					edges += int(r.e1 - r.e0)
				}
				bi, bj := b%d.bnx, b/d.bnx
				w, h := float64(d.side)*ix.cw, float64(d.side)*ix.ch
				pts = append(pts, orb.Point{ix.gx0 + (float64(bi)+rng.Float64())*w, ix.gy0 + (float64(bj)+rng.Float64())*h})
			}
			bd := ix.Bound()
			for range 20000 {
				pts = append(pts, orb.Point{bd.Min[0] + rng.Float64()*(bd.Max[0]-bd.Min[0]), bd.Min[1] + rng.Float64()*(bd.Max[1]-bd.Min[1])})
			}
			fromRuns := 0
			for _, p := range pts {
				if ix.deepRuns(p[0], p[1]) != nil && ix.Locate(p) >= 0 {
					fromRuns++
				}
				if got, want := ix.Lookup(p, 2000), ring.Lookup(p, 2000); got != want {
					t.Fatalf("Lookup(%v) = %+v from deep blocks, %+v from the ring search", p, got, want)
				}
			}
			t.Logf("%d of %d blocks deep, %.1f runs and %.1f edges per deep block; %d points, %d answered from runs",
				deep, d.bnx*d.bny, float64(len(d.runs))/float64(max(deep, 1)), float64(edges)/float64(max(deep, 1)), len(pts), fromRuns)
		})
	}
}

func (d *deepBlocks) sizeBytes() int {
	if d == nil {
		return 0
	}
	return len(d.start)*4 + len(d.runs)*int(unsafe.Sizeof(edgeRun{}))
}
