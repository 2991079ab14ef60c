package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"runtime"
	"sort"
	"sync"

	"github.com/nhs-geo/alliance/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Options are the lookup rules that a deployment may change.
type Options struct {
	MaxNearestM   float64 // how far the nearest-area fallback reaches (default 2000)
	NearBoundaryM float64 // how close another area must be to be reported (default 500)
	// DeepEdges lists, in the background once Open has returned, the edges that can be nearest
	// to points deep inside an area (geo.Index.ListDeepEdges): boundary distances become several
	// times faster about a second later, with the same answers. For a server; a batch, which
	// does not ask for boundary distances, is better off without the extra work.
	DeepEdges bool
}

// DefaultOptions are the documented defaults.
var DefaultOptions = Options{MaxNearestM: 2000, NearBoundaryM: 500}

// Layer is one layer of one edition, loaded and indexed.
type Layer struct {
	Edition  Edition
	Type     AreaType
	Source   LayerReport
	areas    []Area
	Geometry []orb.MultiPolygon
	Index    *geo.Index
	byCode   map[string]int
	stats    *layerStats
	// byDistrict is the area each district lies wholly in, by the official lookup (districts.go).
	byDistrict map[string]int
	// councils are each area's districts with their shares, largest first.
	councils map[string][]Council
}

// Area returns the area with code, if the layer has it.
func (l *Layer) Area(code string) (Area, bool) {
	i, ok := l.byCode[code]
	if !ok {
		return Area{}, false
	}
	return l.areas[i], true
}

type layerKey struct {
	edition Edition
	typ     AreaType
}

// Snapshot is one whole dataset in memory: immutable, safe for concurrent use.
type Snapshot struct {
	Path       string
	Checksum   string
	ImportedAt string
	Editions   []EditionInfo
	// DefaultEdition is answered when a request names none: the newest.
	DefaultEdition Edition
	// PostcodesTitle names the postcode data in answers ("OS Code-Point Open, October 2025").
	PostcodesTitle string
	// Attribution must be shown wherever the data is shown.
	Attribution []string
	// districtNames names the districts the postcodes give.
	districtNames map[string]string
	// orgs are the organisations (nil when the import had none); quality what the import
	// noticed in them.
	orgs      *organisations
	quality   []QualityNote
	places    []place
	search    *searchIndex
	opts      Options
	layers    map[layerKey]*Layer
	countries *Layer
	postcodes *PostcodeTable

	// Computed on first use, never at start-up.
	overlapMu  sync.Mutex
	overlaps   map[overlapKey]*overlapEntry
	simplified sync.Map // simplifiedKey → *simplifiedEntry

	countryRefsOnce sync.Once
	countryRefs     map[string]*CountryRef // countryOf's answers, shared by every answer
	countryAtRefs   [][2]*CountryRef       // countryAt's: per country, inside and nearest
	deepListed      chan struct{}          // closed when listDeepEdges is done
}

// Open reads the database at path (read-only) into a Snapshot and closes it again: answers
// come from memory, so a later import can replace the file at any time.
func Open(ctx context.Context, path string, opts Options) (*Snapshot, error) {
	if opts.MaxNearestM == 0 && opts.NearBoundaryM == 0 {
		opts.MaxNearestM, opts.NearBoundaryM = DefaultOptions.MaxNearestM, DefaultOptions.NearBoundaryM
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database: %w (run `alliance import` first)", err)
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: "mode=ro&_pragma=query_only(1)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if version != schemaVersion {
		return nil, fmt.Errorf("%w: %s has version %d, this program reads version %d: run `alliance import` again", errSchema, path, version, schemaVersion)
	}
	s := &Snapshot{Path: path, opts: opts, layers: map[layerKey]*Layer{}, overlaps: map[overlapKey]*overlapEntry{}}
	if err := s.readMeta(ctx, db); err != nil {
		return nil, err
	}
	if err := s.readLayers(ctx, db); err != nil {
		return nil, err
	}
	if err := s.readDistricts(ctx, db); err != nil {
		return nil, err
	}
	if err := s.readCouncils(ctx, db); err != nil {
		return nil, err
	}
	if err := s.readOrganisations(ctx, db); err != nil {
		return nil, err
	}
	if err := s.readQuality(ctx, db); err != nil {
		return nil, err
	}
	if err := s.readPlaces(ctx, db); err != nil {
		return nil, err
	}
	s.attachSuccessors()
	s.buildSearch()
	// Index the layers while the postcodes load: the two are independent.
	indexed := make(chan error, 1)
	go func() { indexed <- s.buildIndexes() }()
	perr := s.readPostcodes(ctx, db)
	if err := <-indexed; err != nil {
		return nil, err
	}
	if perr != nil {
		return nil, perr
	}
	s.deepListed = make(chan struct{})
	if opts.DeepEdges {
		go s.listDeepEdges()
	} else {
		close(s.deepListed)
	}
	return s, nil
}

// listDeepEdges lists the deep edges of every layer, the default edition's first, one layer
// at a time so that requests keep the other core.
func (s *Snapshot) listDeepEdges() {
	defer close(s.deepListed)
	var rest []*Layer
	for _, l := range s.layers {
		if l.Edition == s.DefaultEdition {
			l.Index.ListDeepEdges()
		} else {
			rest = append(rest, l)
		}
	}
	s.countries.Index.ListDeepEdges()
	for _, l := range rest {
		l.Index.ListDeepEdges()
	}
}

// WaitDeepEdges returns once the deep edges Options.DeepEdges asked for are listed (at once
// when it did not): for benchmarks that measure the steady state.
func (s *Snapshot) WaitDeepEdges() { <-s.deepListed }

func (s *Snapshot) readMeta(ctx context.Context, db *sql.DB) error {
	meta := map[string]string{}
	rows, err := db.QueryContext(ctx, `SELECT key, value FROM meta`)
	if err != nil {
		return fmt.Errorf("read meta: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		meta[k] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.Checksum, s.ImportedAt, s.DefaultEdition = meta["checksum"], meta["imported_at"], Edition(meta["default_edition"])
	if s.Checksum == "" {
		return fmt.Errorf("%s: no dataset checksum: the import did not finish", s.Path)
	}
	s.PostcodesTitle = meta["postcodes_title"]
	if err := json.Unmarshal([]byte(meta["attribution"]), &s.Attribution); err != nil {
		return fmt.Errorf("%s: attribution: %w", s.Path, err)
	}
	erows, err := db.QueryContext(ctx, `SELECT id, title, valid_from, description, caveats, note FROM editions ORDER BY valid_from, id`)
	if err != nil {
		return err
	}
	defer erows.Close()
	for erows.Next() {
		var e EditionInfo
		var caveats string
		if err := erows.Scan(&e.ID, &e.Title, &e.ValidFrom, &e.Description, &caveats, &e.Note); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(caveats), &e.Caveats); err != nil {
			return fmt.Errorf("edition %s caveats: %w", e.ID, err)
		}
		s.Editions = append(s.Editions, e)
	}
	if err := erows.Err(); err != nil {
		return err
	}
	if s.DefaultEdition == "" && len(s.Editions) > 0 { // databases written before it was stored
		s.DefaultEdition = s.Editions[len(s.Editions)-1].ID
	}
	return nil
}

func (s *Snapshot) readLayers(ctx context.Context, db *sql.DB) error {
	lrows, err := db.QueryContext(ctx, `SELECT edition, type, source_file, sha256, features FROM layers`)
	if err != nil {
		return err
	}
	defer lrows.Close()
	for lrows.Next() {
		var r LayerReport
		if err := lrows.Scan(&r.Edition, &r.Type, &r.File, &r.SHA256, &r.Features); err != nil {
			return err
		}
		l := &Layer{Edition: r.Edition, Type: r.Type, Source: r, byCode: map[string]int{}, stats: &layerStats{}}
		if r.Type == Country {
			s.countries = l
		} else {
			s.layers[layerKey{r.Edition, r.Type}] = l
		}
	}
	if err := lrows.Err(); err != nil {
		return err
	}
	if s.countries == nil {
		return fmt.Errorf("%s: no country layer", s.Path)
	}
	for i := range s.Editions {
		e := &s.Editions[i]
		for _, t := range AreaTypes {
			if l := s.layers[layerKey{e.ID, t}]; l != nil {
				e.Layers = append(e.Layers, LayerSource{Type: t, File: l.Source.File, Prefixes: []string{}, Features: l.Source.Features})
			}
		}
	}

	rows, err := db.QueryContext(ctx, `SELECT edition, type, code, name, ods_code, parents, geometry FROM areas ORDER BY edition, type, name, code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a Area
		var parents string
		var g []byte
		if err := rows.Scan(&a.Edition, &a.Type, &a.Code, &a.Name, &a.ODSCode, &parents, &g); err != nil {
			return err
		}
		l := s.layer(a.Edition, a.Type)
		if l == nil {
			return fmt.Errorf("area %s: layer %s %s not listed", a.Code, a.Edition, a.Type)
		}
		if err := json.Unmarshal([]byte(parents), &a.Parents); err != nil {
			return fmt.Errorf("area %s parents: %w", a.Code, err)
		}
		geom, err := wkb.Unmarshal(g)
		if err != nil {
			return fmt.Errorf("area %s geometry: %w", a.Code, err)
		}
		mp, ok := geom.(orb.MultiPolygon)
		if !ok {
			return fmt.Errorf("area %s geometry is %s, want MultiPolygon", a.Code, geom.GeoJSONType())
		}
		a.Bound = mp.Bound()
		l.byCode[a.Code] = len(l.areas)
		l.areas = append(l.areas, a)
		l.Geometry = append(l.Geometry, mp)
	}
	return rows.Err()
}

// buildIndexes indexes every layer, several at once.
func (s *Snapshot) buildIndexes() error {
	all := []*Layer{s.countries}
	for _, l := range s.layers {
		all = append(all, l)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(all))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, l := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ix, err := geo.NewIndex(l.Geometry)
			if err != nil {
				errs[i] = fmt.Errorf("index %s %s: %w", l.Edition, l.Type, err)
				return
			}
			l.Index = ix
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// readDistricts reads the districts' names and, per layer, the area each district lies
// wholly in.
func (s *Snapshot) readDistricts(ctx context.Context, db *sql.DB) error {
	s.districtNames = map[string]string{}
	rows, err := db.QueryContext(ctx, `SELECT code, name FROM districts`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return err
		}
		s.districtNames[code] = name
	}
	if err := rows.Err(); err != nil {
		return err
	}
	drows, err := db.QueryContext(ctx, `SELECT edition, type, district, area FROM district_areas
		WHERE (edition, type, district) IN (SELECT edition, type, district FROM district_areas GROUP BY 1, 2, 3 HAVING count(*) = 1)`)
	if err != nil {
		return err
	}
	defer drows.Close()
	for drows.Next() {
		var ed Edition
		var t AreaType
		var district, area string
		if err := drows.Scan(&ed, &t, &district, &area); err != nil {
			return err
		}
		l := s.layers[layerKey{ed, t}]
		i, ok := 0, false
		if l != nil {
			i, ok = l.byCode[area]
		}
		if !ok {
			return fmt.Errorf("%s: district %s lies in %s %s %s, which is not in the database", s.Path, district, ed, t, area)
		}
		if l.byDistrict == nil {
			l.byDistrict = map[string]int{}
		}
		l.byDistrict[district] = i
	}
	return drows.Err()
}

// readCouncils reads each area's districts and computes their shares.
func (s *Snapshot) readCouncils(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT edition, type, area, district, postcodes FROM area_districts`)
	if err != nil {
		return err
	}
	defer rows.Close()
	type key struct {
		l    *Layer
		code string
	}
	areaTotal, districtTotal := map[key]int{}, map[key]int{}
	for rows.Next() {
		var ed Edition
		var t AreaType
		var c Council
		var area string
		if err := rows.Scan(&ed, &t, &area, &c.Code, &c.Postcodes); err != nil {
			return err
		}
		l := s.layers[layerKey{ed, t}]
		if l == nil {
			continue
		}
		if l.councils == nil {
			l.councils = map[string][]Council{}
		}
		c.Name = s.districtNames[c.Code]
		l.councils[area] = append(l.councils[area], c)
		areaTotal[key{l, area}] += c.Postcodes
		districtTotal[key{l, c.Code}] += c.Postcodes
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range s.layers {
		for area, list := range l.councils {
			for i := range list {
				c := &list[i]
				c.AreaShare = math.Round(float64(c.Postcodes)/float64(areaTotal[key{l, area}])*1e4) / 1e4
				c.DistrictShare = math.Round(float64(c.Postcodes)/float64(districtTotal[key{l, c.Code}])*1e4) / 1e4
			}
			sort.Slice(list, func(i, j int) bool {
				if list[i].Postcodes != list[j].Postcodes {
					return list[i].Postcodes > list[j].Postcodes
				}
				return list[i].Code < list[j].Code
			})
		}
	}
	return nil
}

// Councils lists the districts whose postcodes lie in an area of l, largest share first.
func (l *Layer) Councils(code string) []Council { return l.councils[code] }

func (s *Snapshot) readQuality(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT kind, code, message FROM quality ORDER BY kind, code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n QualityNote
		if err := rows.Scan(&n.Kind, &n.Code, &n.Message); err != nil {
			return err
		}
		s.quality = append(s.quality, n)
	}
	return rows.Err()
}

func (s *Snapshot) readPostcodes(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT area, rows, data FROM postcode_blocks ORDER BY area`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var blocks []encodedBlock
	for rows.Next() {
		var b encodedBlock
		if err := rows.Scan(&b.area, &b.rows, &b.data); err != nil {
			return err
		}
		blocks = append(blocks, b)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	t, err := decodeBlocks(blocks)
	if err != nil {
		return fmt.Errorf("%s: postcodes: %w", s.Path, err)
	}
	s.postcodes = t
	return nil
}

// layer returns the layer of an edition's type, or nil.
func (s *Snapshot) layer(e Edition, t AreaType) *Layer {
	if t == Country {
		return s.countries
	}
	return s.layers[layerKey{e, t}]
}

// Layer returns the layer of edition e and type t.
func (s *Snapshot) Layer(e Edition, t AreaType) (*Layer, error) {
	info, err := s.Edition(e)
	if err != nil {
		return nil, err
	}
	if !t.Valid() {
		return nil, invalid("unknown_type", "unknown area type %q: use one of %v", clip(string(t), 40), AreaTypes)
	}
	l := s.layer(info.ID, t)
	if l == nil {
		return nil, notFound("layer_not_found", "edition %s has no %s layer", info.ID, t)
	}
	return l, nil
}

// Edition resolves an edition name; "" means the default.
func (s *Snapshot) Edition(e Edition) (EditionInfo, error) {
	if e == "" {
		e = s.DefaultEdition
	}
	for _, info := range s.Editions {
		if info.ID == e {
			return info, nil
		}
	}
	var ids []Edition
	for _, info := range s.Editions {
		ids = append(ids, info.ID)
	}
	return EditionInfo{}, invalid("unknown_edition", "unknown edition %q: use one of %v", e, ids)
}

// Postcodes is the postcode table (empty when the import skipped postcodes).
func (s *Snapshot) Postcodes() *PostcodeTable { return s.postcodes }
