package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// wobblyDisc is a closed ring of n vertices around (lon, lat) with radii varying between
// r0 and r1 degrees of latitude, corrected for longitude so that it is round on the ground.
func wobblyDisc(rng *rand.Rand, lon, lat, r0, r1 float64, n int) orb.Ring {
	var ring orb.Ring
	k := 1 / math.Cos(lat*degToRad)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		r := r0 + rng.Float64()*(r1-r0)
		ring = append(ring, orb.Point{lon + r*k*math.Cos(a), lat + r*math.Sin(a)})
	}
	return append(ring, ring[0])
}

// TestDeepBlocksMatchRingSearch: the boundary distance read from a deep block's listed edges
// is bit-identical to the ring search's, and agrees with brute force, for large areas with
// wobbly boundaries and a hole, deep points far from any edge, at English and at high
// latitudes (where the projection's error is largest).
func TestDeepBlocksMatchRingSearch(t *testing.T) {
	for _, lat := range []float64{52, 70} {
		t.Run(fmt.Sprintf("lat%.0f", lat), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(lat), 1))
			outer := wobblyDisc(rng, 0, lat, 0.9, 1.0, 400)
			hole := wobblyDisc(rng, 0.3, lat, 0.08, 0.1, 60)
			hole.Reverse()
			neighbour := wobblyDisc(rng, 0, lat+2.2, 1.1, 1.2, 300)
			areas := []orb.MultiPolygon{{{outer, hole}}, {{neighbour}}}
			ix := mustIndex(t, areas)
			noDeep := defaultParams
			noDeep.deepSide = 0
			ring, err := build(areas, noDeep)
			if err != nil {
				t.Fatal(err)
			}
			b := ix.Bound()
			fromRuns := 0
			for range 20000 {
				p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
				got, want := ix.Lookup(p, 2000), ring.Lookup(p, 2000)
				if got != want {
					t.Fatalf("Lookup(%v) = %+v from deep blocks, %+v from the ring search", p, got, want)
				}
				if ix.deepRuns(p[0], p[1]) == nil || got.Area < 0 {
					continue
				}
				fromRuns++
				if fromRuns%50 == 0 {
					if brute, _ := bruteBoundaryM(areas[got.Area], p); !closeM(got.BoundaryDistanceM, brute) {
						t.Errorf("Lookup(%v).BoundaryDistanceM = %.6f, brute force %.6f", p, got.BoundaryDistanceM, brute)
					}
				}
			}
			if fromRuns < 5000 {
				t.Fatalf("only %d of 20000 points answered from deep blocks: the test does not exercise them", fromRuns)
			}
		})
	}
}

// TestNoDeepBlocksAcrossAreas: a block is deep only when all its cells are pure cells of one
// area; a point next to a boundary, or outside every area, is answered by the ring search.
func TestNoDeepBlocksAcrossAreas(t *testing.T) {
	ix := mustIndex(t, []orb.MultiPolygon{{rect(0, 0, 1, 1)}, {rect(1, 0, 2, 1)}})
	d := ix.deep.Load()
	deep := 0
	for b := range d.bnx * d.bny {
		if d.start[b] == d.start[b+1] {
			continue
		}
		deep++
		a := ix.edgeArea[d.runs[d.start[b]].e0]
		for _, r := range d.runs[d.start[b]:d.start[b+1]] {
			for e := r.e0; e < r.e1; e++ {
				if ix.edgeArea[e] != a {
					t.Fatalf("block %d lists edge %d of area %d with edges of area %d", b, e, ix.edgeArea[e], a)
				}
			}
		}
	}
	if deep == 0 {
		t.Fatal("no deep blocks in two unit squares")
	}
	for _, p := range []orb.Point{{1, 0.5}, {1 - 1e-9, 0.5}, {0.5, 1}, {3, 3}} {
		if ix.deepRuns(p[0], p[1]) != nil {
			t.Errorf("%v: answered from a deep block", p)
		}
	}
}

// TestListDeepEdgesWhileLooking: lookups running while the deep lists are built, and after,
// give the answers they gave before.
func TestListDeepEdgesWhileLooking(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	areas := []orb.MultiPolygon{{{wobblyDisc(rng, 0, 52, 0.9, 1.0, 300)}}, {{wobblyDisc(rng, 0, 54.2, 1.1, 1.2, 200)}}}
	ix, err := NewIndex(areas)
	if err != nil {
		t.Fatal(err)
	}
	b := ix.Bound()
	pts := make([]orb.Point, 2000)
	want := make([]Match, len(pts))
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		want[i] = ix.Lookup(pts[i], 2000)
	}
	done := make(chan struct{})
	go func() { ix.ListDeepEdges(); ix.ListDeepEdges(); close(done) }()
	for pass := 0; ; pass++ {
		select {
		case <-done:
			pass = -1
		default:
		}
		for i, p := range pts {
			if got := ix.Lookup(p, 2000); got != want[i] {
				t.Fatalf("Lookup(%v) = %+v while listing deep edges, %+v before", p, got, want[i])
			}
		}
		if pass < 0 {
			break
		}
	}
	if ix.deep.Load() == nil {
		t.Fatal("no deep lists after ListDeepEdges")
	}
}
