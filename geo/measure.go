package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// AreaKm2 is the area of mp on the Earth's surface in square kilometres (orb's spherical
// area; within a fraction of a per cent of the ellipsoidal area at England's latitudes).
func AreaKm2(mp orb.MultiPolygon) float64 { return orbgeo.Area(mp) / 1e6 }

// Centroid is the area-weighted centroid of mp in lon/lat. It may lie outside mp when mp is
// concave or in several parts.
func Centroid(mp orb.MultiPolygon) orb.Point {
	c, _ := planar.CentroidArea(mp)
	return c
}

// Neighbours lists, for each area of a layer, the areas that share at least one edge with it
// (bit-identical vertices, as neighbours in the ONS files have), ascending.
func Neighbours(areas []orb.MultiPolygon) [][]int {
	owner := map[edgeKey]int{}
	sets := make([]map[int]bool, len(areas))
	for i, mp := range areas {
		sets[i] = map[int]bool{}
		for _, poly := range mp {
			for _, ring := range poly {
				for j := 0; j+1 < len(ring); j++ {
					if ring[j] == ring[j+1] {
						continue
					}
					k := keyOf(ring[j], ring[j+1])
					if o, ok := owner[k]; ok && o != i {
						sets[i][o], sets[o][i] = true, true
					} else if !ok {
						owner[k] = i
					}
				}
			}
		}
	}
	out := make([][]int, len(areas))
	for i, s := range sets {
		for j := range s {
			out[i] = append(out[i], j)
		}
		slices.Sort(out[i])
	}
	return out
}

// Sample returns about n points on a regular lattice inside area i, spaced evenly on the
// ground (the longitude step is widened by 1/cos(latitude)), for estimating what share of the
// area lies in the areas of another layer: each point stands for the same ground area, so a
// share counted from n points has a sampling error of about 1/√n of the area's perimeter
// cells (under 1 % for n = 4000 on areas of this size). An area too thin for the lattice
// still gets at least one point when Locate finds any.
func (ix *Index) Sample(i, n int) []orb.Point {
	if i < 0 || i >= len(ix.areas) || n <= 0 {
		return nil
	}
	a := ix.areas[i]
	midLat := (a.minY + a.maxY) / 2
	cosLat := math.Max(math.Cos(midLat*math.Pi/180), 0.01)
	// Start from the bounding box and refine once with the share of lattice points found.
	bboxArea := (a.maxX - a.minX) * cosLat * (a.maxY - a.minY)
	step := math.Sqrt(bboxArea / float64(n))
	var pts []orb.Point
	for try := 0; try < 3; try++ {
		if step <= 0 {
			break
		}
		pts = pts[:0]
		dy, dx := step, step/cosLat
		total := 0
		for y := a.minY + dy/2; y < a.maxY; y += dy {
			for x := a.minX + dx/2; x < a.maxX; x += dx {
				total++
				if ix.Locate(orb.Point{x, y}) == i {
					pts = append(pts, orb.Point{x, y})
				}
			}
		}
		if len(pts) >= n/2 || total == 0 {
			break
		}
		fill := math.Max(float64(len(pts)), 1) / float64(total)
		step = math.Sqrt(bboxArea * fill / float64(n))
	}
	return pts
}
