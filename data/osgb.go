package data

import "math"

// Ellipsoids, projection and datum transformation parameters published by Ordnance Survey in
// "A guide to coordinate systems in Great Britain" (v3.6, 2020), annexes A and C.
const (
	// Airy 1830 (OSGB36).
	airyA = 6377563.396
	airyB = 6356256.909
	// WGS84 / GRS80.
	wgsA = 6378137.0
	wgsB = 6356752.3141

	// National Grid transverse Mercator.
	ngF0   = 0.9996012717
	ngLat0 = 49 * math.Pi / 180
	ngLon0 = -2 * math.Pi / 180
	ngE0   = 400000.0
	ngN0   = -100000.0

	// Helmert OSGB36 -> WGS84: translations in metres, rotations in arc-seconds, scale in ppm.
	helmertTx = 446.448
	helmertTy = -125.157
	helmertTz = 542.060
	helmertRx = 0.1502
	helmertRy = 0.2470
	helmertRz = 0.8421
	helmertS  = -20.4894
)

// Derived constants.
var (
	airyE2 = (airyA*airyA - airyB*airyB) / (airyA * airyA)
	wgsE2  = (wgsA*wgsA - wgsB*wgsB) / (wgsA * wgsA)
	ngN    = (airyA - airyB) / (airyA + airyB)
	// Meridional arc coefficients (OS guide C.3, "M"), multiplied by b·F0.
	mA = airyB * ngF0 * (1 + ngN + 5.0/4*ngN*ngN + 5.0/4*ngN*ngN*ngN)
	mB = airyB * ngF0 * (3*ngN + 3*ngN*ngN + 21.0/8*ngN*ngN*ngN)
	mC = airyB * ngF0 * (15.0/8*ngN*ngN + 15.0/8*ngN*ngN*ngN)
	mD = airyB * ngF0 * (35.0 / 24 * ngN * ngN * ngN)

	arcsec = math.Pi / (180 * 3600)
	hS     = helmertS * 1e-6
	hRx    = helmertRx * arcsec
	hRy    = helmertRy * arcsec
	hRz    = helmertRz * arcsec
)

// meridionalArc is the developed arc of the Airy meridian from the true origin to latitude phi,
// scaled by F0 (OS guide, equation C3).
func meridionalArc(phi float64) float64 {
	// sin(kd)·cos(ks) for k = 1, 2, 3 from one Sincos each, by the multiple-angle identities.
	sd, cd := math.Sincos(phi - ngLat0)
	cs := math.Cos(phi + ngLat0)
	sin2d, cos2s := 2*sd*cd, 2*cs*cs-1
	sin3d, cos3s := sd*(3-4*sd*sd), cs*(4*cs*cs-3)
	return mA*(phi-ngLat0) - mB*sd*cs + mC*sin2d*cos2s - mD*sin3d*cos3s
}

// OSGBToWGS84 converts British National Grid easting/northing (OSGB36, EPSG:27700) to WGS84 lon/lat:
// inverse transverse Mercator on Airy 1830, then a 7-parameter Helmert transformation to WGS84.
//
// The Helmert transformation is the one Ordnance Survey publishes; it agrees with ONS's
// published coordinates to well under a metre (median) and is accurate to a few metres
// everywhere in Great Britain (OS quotes ±3.5 m; the exact OSTN15 grid is not used).
// Ellipsoidal heights are taken as 0 on Airy 1830, which moves positions by millimetres only.
func OSGBToWGS84(easting, northing float64) (lon, lat float64) {
	phi, lambda := osgbGridToLatLon(easting, northing)
	x, y, z := toCartesian(phi, lambda, 0, airyA, airyE2)
	x, y, z = helmertOSGBToWGS84(x, y, z)
	phi, lambda = fromCartesian(x, y, z, wgsA, wgsE2)
	return lambda * 180 / math.Pi, phi * 180 / math.Pi
}

// osgbGridToLatLon is the inverse transverse Mercator projection of the National Grid onto
// Airy 1830 (OS guide, annex C.2: equations C6 to C8 and C9 to C15). Radians.
func osgbGridToLatLon(e, n float64) (phi, lambda float64) {
	const aF0 = airyA * ngF0
	// Iterate for the latitude phi' whose meridional arc equals N - N0 (to 0.01 mm).
	phi = (n-ngN0)/aF0 + ngLat0
	m := meridionalArc(phi)
	for i := 0; i < 20 && math.Abs(n-ngN0-m) >= 1e-5; i++ {
		phi += (n - ngN0 - m) / aF0
		m = meridionalArc(phi)
	}
	sin, cos := math.Sincos(phi)
	t := sin / cos
	t2 := t * t
	t4 := t2 * t2
	t6 := t4 * t2
	sec := 1 / cos
	w := 1 - airyE2*sin*sin
	nu := aF0 / math.Sqrt(w)
	rho := aF0 * (1 - airyE2) / (w * math.Sqrt(w))
	eta2 := nu/rho - 1
	nu3 := nu * nu * nu
	nu5 := nu3 * nu * nu
	nu7 := nu5 * nu * nu

	vii := t / (2 * rho * nu)
	viii := t / (24 * rho * nu3) * (5 + 3*t2 + eta2 - 9*t2*eta2)
	ix := t / (720 * rho * nu5) * (61 + 90*t2 + 45*t4)
	x := sec / nu
	xi := sec / (6 * nu3) * (nu/rho + 2*t2)
	xii := sec / (120 * nu5) * (5 + 28*t2 + 24*t4)
	xiia := sec / (5040 * nu7) * (61 + 662*t2 + 1320*t4 + 720*t6)

	de := e - ngE0
	de2 := de * de
	de3 := de2 * de
	de4 := de2 * de2
	de5 := de4 * de
	de6 := de3 * de3
	de7 := de6 * de
	lat := phi - vii*de2 + viii*de4 - ix*de6
	lon := ngLon0 + x*de - xi*de3 + xii*de5 - xiia*de7
	return lat, lon
}

// toCartesian converts geodetic coordinates (radians, height in metres) on an ellipsoid to
// Earth-centred cartesian coordinates (OS guide, annex B.1).
func toCartesian(phi, lambda, h, a, e2 float64) (x, y, z float64) {
	sinPhi, cosPhi := math.Sincos(phi)
	sinLam, cosLam := math.Sincos(lambda)
	nu := a / math.Sqrt(1-e2*sinPhi*sinPhi)
	return (nu + h) * cosPhi * cosLam, (nu + h) * cosPhi * sinLam, ((1-e2)*nu + h) * sinPhi
}

// helmertOSGBToWGS84 applies the 7-parameter similarity transformation of OS guide section 6.6
// (position vector convention, small-angle rotation matrix).
func helmertOSGBToWGS84(x, y, z float64) (float64, float64, float64) {
	s1 := 1 + hS
	return helmertTx + s1*x - hRz*y + hRy*z,
		helmertTy + hRz*x + s1*y - hRx*z,
		helmertTz - hRy*x + hRx*y + s1*z
}

// fromCartesian converts Earth-centred cartesian coordinates to geodetic latitude and
// longitude (radians) on an ellipsoid, iterating the latitude (OS guide, annex B.2).
func fromCartesian(x, y, z, a, e2 float64) (phi, lambda float64) {
	lambda = math.Atan2(y, x)
	p := math.Hypot(x, y)
	phi = math.Atan2(z, p*(1-e2))
	for range 10 {
		sin := math.Sin(phi)
		nu := a / math.Sqrt(1-e2*sin*sin)
		next := math.Atan2(z+e2*nu*sin, p)
		if math.Abs(next-phi) < 1e-12 {
			return next, lambda
		}
		phi = next
	}
	return phi, lambda
}
