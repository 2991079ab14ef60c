package data

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// sharedData returns the path of sub under the shared reference data folder ($ALLIANCE_DATA,
// else ../../shared/data relative to the package directory), skipping the test when it is absent.
func sharedData(tb testing.TB, sub ...string) string {
	tb.Helper()
	root := os.Getenv("ALLIANCE_DATA")
	if root == "" {
		root = filepath.Join("..", "..", "shared", "data")
	}
	p := filepath.Join(append([]string{root}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("reference data absent: %s (%v); set ALLIANCE_DATA to the shared data folder", p, err)
	}
	return p
}

// metres is the great-circle distance between two WGS84 points (haversine, mean Earth radius).
func metres(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
