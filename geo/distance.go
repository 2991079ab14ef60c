package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

const (
	// EarthRadiusM is the mean Earth radius (IUGG) used by every distance in this package.
	EarthRadiusM = 6371008.8
	// MetresPerDegree is the length of one degree of a great circle: EarthRadiusM·π/180.
	MetresPerDegree = EarthRadiusM * math.Pi / 180
)

const degToRad = math.Pi / 180

// DistanceM returns the great-circle distance in metres between two lon/lat points
// (haversine formula on a sphere of radius EarthRadiusM).
func DistanceM(a, b orb.Point) float64 { return distanceFrom(a, math.Cos(a[1]*degToRad), b) }

// distanceFrom is DistanceM(a, b) given the cosine of a's latitude, which a search around a
// works out once (newProj): the same arithmetic, so the same result to the last bit.
func distanceFrom(a orb.Point, cosLatA float64, b orb.Point) float64 {
	lat1, lat2 := a[1]*degToRad, b[1]*degToRad
	sdLat := math.Sin((lat2 - lat1) / 2)
	sdLon := math.Sin((b[0] - a[0]) * degToRad / 2)
	h := sdLat*sdLat + cosLatA*math.Cos(lat2)*sdLon*sdLon
	if h > 1 {
		h = 1
	}
	return 2 * EarthRadiusM * math.Asin(math.Sqrt(h))
}

// ValidLonLat reports why p is not a usable lon/lat point (NaN, Inf, longitude outside
// [-180, 180] or latitude outside [-90, 90]); it returns nil for a usable point.
func ValidLonLat(p orb.Point) error {
	lon, lat := p[0], p[1]
	switch {
	case math.IsNaN(lon) || math.IsNaN(lat):
		return fmt.Errorf("geo: coordinate is NaN (lon %v, lat %v)", lon, lat)
	case math.IsInf(lon, 0) || math.IsInf(lat, 0):
		return fmt.Errorf("geo: coordinate is infinite (lon %v, lat %v)", lon, lat)
	case lon < -180 || lon > 180:
		return fmt.Errorf("geo: longitude %v outside [-180, 180]", lon)
	case lat < -90 || lat > 90:
		return fmt.Errorf("geo: latitude %v outside [-90, 90]", lat)
	}
	return nil
}

// proj is a local equirectangular projection centred on a point: metres east (x) and north
// (y) of the centre.
type proj struct {
	px, py float64 // centre, degrees
	kx, ky float64 // metres per degree of longitude / latitude at the centre
	cosLat float64 // cosine of the centre's latitude, for distanceFrom
}

func newProj(p orb.Point) proj {
	cosLat := math.Cos(p[1] * degToRad)
	kx := MetresPerDegree * cosLat
	if kx < 1e-6 { // at a pole: keep the projection invertible
		kx = 1e-6
	}
	return proj{px: p[0], py: p[1], kx: kx, ky: MetresPerDegree, cosLat: cosLat}
}

// segDist2 returns the squared projected distance (m²) from the centre to the segment
// (x0,y0)-(x1,y1) and the nearest point on it, as an offset in metres.
func (pr *proj) segDist2(x0, y0, x1, y1 float64) (d2, cx, cy float64) {
	ax, ay := (x0-pr.px)*pr.kx, (y0-pr.py)*pr.ky
	bx, by := (x1-pr.px)*pr.kx, (y1-pr.py)*pr.ky
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = -(ax*dx + ay*dy) / l2
		if t < 0 {
			t = 0
		} else if t > 1 {
			t = 1
		}
	}
	cx, cy = ax+t*dx, ay+t*dy
	return cx*cx + cy*cy, cx, cy
}

// unproject turns an offset in metres back into lon/lat.
func (pr *proj) unproject(cx, cy float64) orb.Point {
	return orb.Point{pr.px + cx/pr.kx, pr.py + cy/pr.ky}
}
