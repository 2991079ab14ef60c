package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// WGS84 ellipsoid.
const (
	wgs84A  = 6378137.0
	wgs84F  = 1 / 298.257223563
	wgs84E2 = wgs84F * (2 - wgs84F)
)

var (
	wgs84E  = math.Sqrt(wgs84E2)
	authQp  = authalicQ(1)                                          // q at the pole
	authR   = wgs84A * math.Sqrt(authQp/2)                          // radius of the sphere of equal area
	authFix = (authR / orb.EarthRadius) * (authR / orb.EarthRadius) // orb's sphere → authalic sphere
)

// authalicQ is q(φ) of the authalic latitude, from sin φ.
func authalicQ(sinPhi float64) float64 {
	es := wgs84E * sinPhi
	return (1 - wgs84E2) * (sinPhi/(1-es*es) - math.Log((1-es)/(1+es))/(2*wgs84E))
}

// authalic maps mp's latitudes to authalic latitudes (sin β = q(φ)/q_p): on a sphere of
// radius authR, the areas of the result equal the areas of mp on the ellipsoid.
func authalic(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				sinBeta := authalicQ(math.Sin(p[1]*degToRad)) / authQp
				r[k] = orb.Point{p[0], math.Asin(max(-1, min(1, sinBeta))) / degToRad}
			}
			out[i][j] = r
		}
	}
	return out
}

// AreaKm2 is the area of mp on the WGS84 ellipsoid in square kilometres, its edges taken
// as straight lines in the ellipsoid's cylindrical equal-area projection (as orb's
// spherical area takes them on the sphere): latitudes are mapped to authalic latitudes and
// orb's spherical area is scaled to the authalic sphere (radius 6,371,007.2 m). Exact for
// cells bounded by meridians and parallels (the test checks a 1° cell at 52°N against
// the ellipsoid's area element integrated numerically); for the 200–500 m edges of the
// boundary files the difference from geodesic edges is far below 0.01 %. Spherical area
// alone would be 0.12–0.25 % low at England's latitudes.
func AreaKm2(mp orb.MultiPolygon) float64 {
	return orbgeo.Area(authalic(mp)) * authFix / 1e6
}

// Centroid is the area-weighted centroid of mp, found in the ellipsoid's cylindrical
// equal-area projection (longitude, sine of the authalic latitude) and mapped back to
// lon/lat, so each part of mp weighs by its area on the ground: a cell bounded by meridians
// and parallels has it midway in longitude, on the parallel that halves its area. It may
// lie outside mp when mp is concave or in several parts.
func Centroid(mp orb.MultiPolygon) orb.Point {
	proj := authalic(mp)
	for _, poly := range proj {
		for _, ring := range poly {
			for k := range ring {
				ring[k][1] = math.Sin(ring[k][1] * degToRad)
			}
		}
	}
	c, _ := planar.CentroidArea(proj)
	return orb.Point{c[0], geodeticLat(math.Asin(max(-1, min(1, c[1]))))}
}

// geodeticLat inverts the authalic latitude β (radians) to the geodetic latitude in degrees
// (the series of Snyder, Map Projections: A Working Manual, eq. 3-18; error below 1e-9°).
func geodeticLat(beta float64) float64 {
	e2, e4, e6 := wgs84E2, wgs84E2*wgs84E2, wgs84E2*wgs84E2*wgs84E2
	phi := beta +
		(e2/3+31*e4/180+517*e6/5040)*math.Sin(2*beta) +
		(23*e4/360+251*e6/3780)*math.Sin(4*beta) +
		(761*e6/45360)*math.Sin(6*beta)
	return phi / degToRad
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

// sample returns points on a lattice inside area i, about n of them (within a factor of
// two), each standing for the same area on the ground: the lattice is regular in longitude
// and in the sine of latitude (a cylindrical equal-area projection), its cells about square
// on the ground at the area's middle latitude. It starts from the bounding box and refines
// the step from the share of lattice points that fall inside (up to six tries, at most 64·n
// lattice points). An area too small or thin for that lattice gets no points; an invalid i
// or n <= 0 gets nil.
func (ix *Index) sample(i, n int) []orb.Point {
	if i < 0 || i >= len(ix.areas) || n <= 0 {
		return nil
	}
	a := ix.areas[i]
	s0, s1 := math.Sin(a.minY*degToRad), math.Sin(a.maxY*degToRad)
	cosMid := math.Max(math.Cos((a.minY+a.maxY)/2*degToRad), 0.01)
	w, h := (a.maxX-a.minX)*degToRad, s1-s0 // the bounding box in radians of longitude × sine of latitude
	fill := 1.0                             // the share of the box inside the area
	var pts []orb.Point
	for range 6 {
		cell := math.Sqrt(w * h * fill / float64(n))
		ds, dx := cell*cosMid, cell/cosMid/degToRad
		if !(ds > 0 && dx > 0) || fill < 1.0/64 {
			break
		}
		pts = pts[:0]
		total := 0
		for s := s0 + ds/2; s < s1; s += ds {
			y := math.Asin(s) / degToRad
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
		if len(pts) == 0 {
			fill /= 16
		} else {
			fill = float64(len(pts)) / float64(total)
		}
	}
	return pts
}

// OverlapShares estimates how much of each area of one layer lies in each area of another:
// shares[f][c] is the share of the ground of area f of the layer fine that lies in area c of
// the layer coarse (a row sums to less than 1 where f reaches beyond coarse's areas).
//
// Method: area f is sampled with a lattice of about n points (within a factor of two) of
// equal ground area, regular in longitude and in the sine of latitude, and each point is
// located in coarse (Locate, exact). A share of exactly 1 or 0 is
// exact: when f lies wholly inside c (as a CCG inside its alliance, borders shared vertex
// for vertex), every point of f is in c. Otherwise the error comes from the lattice cells
// that the border between f∩c and the rest of f cuts. Precision with n = 2000, measured on
// 500 random 24-gons of 10–100 km across cut by random lines (TestOverlapSharesPrecision):
// mean absolute error 0.1 percentage points, 99th percentile 0.7, worst 0.8. A border that
// runs along the lattice (due north–south or east–west) can be off by up to half a lattice
// step, under one percentage point for n = 2000.
// An area too small or thin for the lattice to put a point in it, or any area when
// n <= 0, gets a row of zeros.
func OverlapShares(fine, coarse *Index, n int) [][]float64 {
	shares := make([][]float64, fine.Len())
	for f := range shares {
		shares[f] = make([]float64, coarse.Len())
		pts := fine.sample(f, n)
		for _, p := range pts {
			if c := coarse.Locate(p); c >= 0 {
				shares[f][c]++
			}
		}
		for c := range shares[f] {
			if len(pts) > 0 {
				shares[f][c] /= float64(len(pts))
			}
		}
	}
	return shares
}
