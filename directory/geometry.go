package directory

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// SimplifyLevels are the tolerances, in metres, at which geometry is served. A fixed set keeps
// the cache of simplified layers bounded.
var SimplifyLevels = []int{0, 50, 100, 250, 500, 1000, 2500}

// geometryDigits rounds served coordinates to 5 decimal places (about 1 m).
const geometryDigits = 5

// ParseSimplify reads a ?simplify= value: empty means 0 (the full detail of the source).
func ParseSimplify(raw string) (int, error) {
	if raw == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || !slices.Contains(SimplifyLevels, v) {
		return 0, invalid("invalid_simplify", "simplify=%q: use one of %v (metres)", clip(raw, 20), SimplifyLevels)
	}
	return v, nil
}

type simplifiedKey struct {
	layer layerKey
	level int
}

type simplifiedEntry struct {
	once  sync.Once
	geoms []orb.MultiPolygon
	fc    []byte
}

// simplifiedLayer simplifies a layer at level metres once per snapshot, keeping shared borders
// shared (geo.SimplifyLayer), and encodes it as a GeoJSON FeatureCollection.
func (s *Snapshot) simplifiedLayer(l *Layer, level int) *simplifiedEntry {
	v, _ := s.simplified.LoadOrStore(simplifiedKey{layerKey{l.Edition, l.Type}, level}, &simplifiedEntry{})
	e := v.(*simplifiedEntry)
	e.once.Do(func() {
		e.geoms = geo.SimplifyLayer(l.Geometry, float64(level), geometryDigits)
		fc := geojson.NewFeatureCollection()
		for i, a := range l.areas {
			fc.Append(feature(a, e.geoms[i]))
		}
		e.fc, _ = json.Marshal(fc)
	})
	return e
}

func feature(a Area, g orb.MultiPolygon) *geojson.Feature {
	var geom orb.Geometry = g
	if len(g) == 1 {
		geom = g[0]
	}
	f := geojson.NewFeature(geom)
	f.ID = a.Code
	f.Properties = geojson.Properties{"code": a.Code, "name": a.Name, "type": string(a.Type)}
	if a.Edition != "" {
		f.Properties["edition"] = string(a.Edition)
	}
	if a.ODSCode != "" {
		f.Properties["ods_code"] = a.ODSCode
	}
	return f
}

// LayerGeoJSON is every area of a layer as a GeoJSON FeatureCollection, simplified to level
// metres (one of SimplifyLevels).
func (s *Snapshot) LayerGeoJSON(e Edition, t AreaType, level int) ([]byte, error) {
	if !slices.Contains(SimplifyLevels, level) {
		return nil, invalid("invalid_simplify", "simplify=%d: use one of %v", level, SimplifyLevels)
	}
	l, err := s.Layer(e, t)
	if err != nil {
		return nil, err
	}
	return s.simplifiedLayer(l, level).fc, nil
}

// AreaGeoJSON is one area as a GeoJSON Feature, simplified as its layer is at level metres.
func (s *Snapshot) AreaGeoJSON(code string, e Edition, level int) ([]byte, error) {
	if !slices.Contains(SimplifyLevels, level) {
		return nil, invalid("invalid_simplify", "simplify=%d: use one of %v", level, SimplifyLevels)
	}
	l, a, err := s.Area(code, e)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(feature(a, s.simplifiedLayer(l, level).geoms[l.byCode[code]]))
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", code, err)
	}
	return b, nil
}
