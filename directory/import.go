package directory

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nhs-geo/alliance/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

//go:embed schema.sql
var schemaSQL string

// schemaVersion is stored as PRAGMA user_version; Open refuses any other.
const schemaVersion = 2

// ImportOptions configures Import.
type ImportOptions struct {
	DataDir       string // the folder described in shared/data/README.md
	DBPath        string // the database to replace
	SkipPostcodes bool   // import the boundaries only
	// Sources lists the editions and files to read; nil means DefaultSources().
	Sources *Sources
	// Progress, when set, is told how far each stage has gone (done and total in the
	// stage's own unit: bytes for postcodes, layers for boundaries).
	Progress func(stage string, done, total int64)
	Now      func() time.Time
}

// LayerReport describes one imported layer.
type LayerReport struct {
	Edition  Edition  `json:"edition"`
	Type     AreaType `json:"type"`
	File     string   `json:"source_file"`
	SHA256   string   `json:"sha256"`
	Features int      `json:"features"`
}

// ImportReport says what Import wrote.
type ImportReport struct {
	DBPath    string        `json:"db"`
	Checksum  string        `json:"checksum"`
	Layers    []LayerReport `json:"layers"`
	Postcodes int           `json:"postcodes"`
	Located   int           `json:"postcodes_located"`
	Bytes     int64         `json:"bytes"`
	// DistrictConflicts lists the districts (edition, layer, code) some of whose postcodes lie
	// more than a kilometre inside another area than the official lookup gives; a few are
	// tolerated, and they keep answering by location.
	DistrictConflicts []string `json:"district_conflicts,omitempty"`
	// QualityNotes counts what the import noticed in the organisation data (alliance quality).
	QualityNotes int `json:"quality_notes,omitempty"`
	// Notes says what was left out and why (organisation files absent).
	Notes    []string      `json:"notes,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// Import reads every layer of every edition, the countries and (unless skipped) the postcodes
// from opt.DataDir into a new SQLite file beside opt.DBPath, checks them, and renames the new
// file over opt.DBPath only when all of it is written. Any failure leaves opt.DBPath untouched
// and removes the new file; the error names the file, the feature and the reason.
func Import(ctx context.Context, opt ImportOptions) (rep *ImportReport, err error) {
	start := time.Now()
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sources == nil {
		src := DefaultSources()
		opt.Sources = &src
	}
	if opt.Progress == nil {
		opt.Progress = func(string, int64, int64) {}
	}
	if st, err := os.Stat(opt.DataDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("data directory %s: not found (set --data or ALLIANCE_DATA; see README, 'Data')", opt.DataDir)
	}
	if err := os.MkdirAll(filepath.Dir(opt.DBPath), 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockImport(opt.DBPath)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// An import killed part way (kill -9, power loss) leaves its new file behind; holding the
	// lock, no other import is writing one, so any left over is stale.
	if stale, _ := filepath.Glob(opt.DBPath + ".import-*"); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(opt.DBPath), filepath.Base(opt.DBPath)+".import-*")
	if err != nil {
		return nil, err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	if err := os.Chmod(tmpPath, 0o644); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.Remove(tmpPath)
			os.Remove(tmpPath + "-journal")
		}
	}()

	db, err := sql.Open("sqlite", tmpPath)
	if err != nil {
		return nil, err
	}
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	db.SetMaxOpenConns(1)
	// The file is private until renamed: no journal is needed, a crash just leaves it behind.
	for _, p := range []string{"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA page_size=8192", "PRAGMA cache_size=-65536"} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schemaSQL); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version=%d", schemaVersion)); err != nil {
		return nil, err
	}

	rep = &ImportReport{DBPath: opt.DBPath}
	im := importer{ctx: ctx, tx: tx, opt: opt, report: rep, files: map[string]*sourceLayer{},
		indexes: map[string]*indexedLayer{}, districtNames: map[string]string{}, wards: map[string]*wardStats{}}
	layers := []struct {
		ed  Edition
		src LayerSource
	}{{"", opt.Sources.Countries}}
	for _, e := range opt.Sources.Editions {
		for _, l := range e.Layers {
			layers = append(layers, struct {
				ed  Edition
				src LayerSource
			}{e.ID, l})
		}
	}
	for i, l := range layers {
		lr, err := im.layer(l.ed, l.src)
		if err != nil {
			return nil, err
		}
		rep.Layers = append(rep.Layers, lr)
		opt.Progress("boundaries", int64(i+1), int64(len(layers)))
	}
	var sums []string
	for _, l := range rep.Layers {
		sums = append(sums, l.File+" "+l.SHA256)
	}
	var caveats map[Edition]string
	orgs := opt.Sources.Organisations
	if orgs != nil && !opt.SkipPostcodes {
		if err = im.readOrganisationFiles(orgs); errors.Is(err, os.ErrNotExist) {
			rep.Notes = append(rep.Notes, "organisations not loaded: "+err.Error())
			orgs = nil
		} else if err != nil {
			return nil, err
		}
	}
	if !opt.SkipPostcodes {
		n, located, sum, err := im.postcodes()
		if err != nil {
			return nil, err
		}
		rep.Postcodes, rep.Located = n, located
		sums = append(sums, opt.Sources.Postcodes+" "+sum)
		if caveats, err = im.districts(im.england); err != nil {
			return nil, err
		}
		if err := im.writeDistricts(); err != nil {
			return nil, err
		}
		if err := im.councils(); err != nil {
			return nil, err
		}
		if err := im.writePlaces(); err != nil {
			return nil, err
		}
		if orgs != nil {
			if err := im.importOrganisations(orgs); err != nil {
				return nil, err
			}
			rep.QualityNotes = len(im.quality)
		}
		sums = append(sums, im.lookupSums...)
	}
	if err := im.editions(caveats); err != nil {
		return nil, err
	}
	sort.Strings(sums)
	h := sha256.Sum256([]byte(strings.Join(sums, "\n")))
	rep.Checksum = hex.EncodeToString(h[:8])
	attribution, _ := json.Marshal(opt.Sources.Attribution)
	meta := map[string]string{
		"postcodes_title": opt.Sources.PostcodesTitle,
		"attribution":     string(attribution),
		"checksum":        rep.Checksum,
		"imported_at":     opt.Now().UTC().Format(time.RFC3339),
		"schema_version":  fmt.Sprint(schemaVersion),
		"postcodes":       fmt.Sprint(rep.Postcodes),
		"default_edition": string(opt.Sources.DefaultEdition),
	}
	for k, v := range meta {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, k, v); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit %s: %w", tmpPath, err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA integrity_check"); err != nil {
		return nil, err
	}
	err = db.Close()
	db = nil
	if err != nil {
		return nil, err
	}
	if err := syncFile(tmpPath); err != nil {
		return nil, err
	}
	if err := os.Rename(tmpPath, opt.DBPath); err != nil {
		return nil, err
	}
	syncFile(filepath.Dir(opt.DBPath)) // best effort: make the rename durable
	if st, err := os.Stat(opt.DBPath); err == nil {
		rep.Bytes = st.Size()
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

type importer struct {
	ctx    context.Context
	tx     *sql.Tx
	opt    ImportOptions
	report *ImportReport
	files  map[string]*sourceLayer // a file used by two editions is read once

	// For answering postcodes by district (districts.go).
	england       []englandPostcode // located English postcodes
	indexes       map[string]*indexedLayer
	districtNames map[string]string // district code → name, from the lookups
	codeList      *data.CodeList    // the postcode data's names of districts; nil when not given
	lookupSums    []string          // "file sha256" of each lookup read, for the dataset checksum
	districtMaps  []*districtLayer  // what districts.go learnt, for the councils of each area

	// For organisations (organisations.go).
	trusts        []data.Trust           // read before the postcodes, for their postcodes' locations
	sites         []data.HospitalSite    //
	wantPostcodes map[string]bool        // the postcodes of trusts and sites
	pcLoc         map[string]postcodeLoc // their locations
	quality       []QualityNote
	wards         map[string]*wardStats // for places (search.go)
}

type sourceLayer struct {
	sha      string
	features []data.Feature
}

// editions writes the editions, each with the caveat the district step wrote for it.
func (im *importer) editions(extra map[Edition]string) error {
	for _, e := range im.opt.Sources.Editions {
		all := e.Caveats
		if c := extra[e.ID]; c != "" {
			all = append(slices.Clone(all), c)
		}
		caveats, _ := json.Marshal(all)
		if _, err := im.tx.ExecContext(im.ctx,
			`INSERT INTO editions (id, title, valid_from, description, caveats, note) VALUES (?, ?, ?, ?, ?, ?)`,
			e.ID, e.Title, e.ValidFrom, e.Description, string(caveats), e.Note); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) read(src LayerSource) (*sourceLayer, error) {
	if sl, ok := im.files[src.File]; ok {
		return sl, nil
	}
	path := filepath.Join(im.opt.DataDir, src.File)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s layer: %w", src.Type, err)
	}
	feats, err := data.ReadLayer(bytes.NewReader(b), src.File, src.Prefixes)
	if err != nil {
		return nil, err
	}
	if len(feats) != src.Features {
		return nil, fmt.Errorf("%s: %d features, expected %d %s areas", src.File, len(feats), src.Features, src.Type)
	}
	sum := sha256.Sum256(b)
	sl := &sourceLayer{sha: hex.EncodeToString(sum[:]), features: feats}
	im.files[src.File] = sl
	return sl, nil
}

func (im *importer) layer(ed Edition, src LayerSource) (LayerReport, error) {
	sl, err := im.read(src)
	if err != nil {
		return LayerReport{}, err
	}
	stmt, err := im.tx.PrepareContext(im.ctx, `INSERT INTO areas
		(edition, type, code, name, ods_code, parents, min_lon, min_lat, max_lon, max_lat, geometry)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return LayerReport{}, err
	}
	defer stmt.Close()
	for _, f := range sl.features {
		g, err := wkb.Marshal(f.Geometry)
		if err != nil {
			return LayerReport{}, fmt.Errorf("%s: feature %d (%s): %w", src.File, f.Index, f.Code, err)
		}
		parents, _ := json.Marshal(f.Parents)
		b := f.Geometry.Bound()
		if _, err := stmt.ExecContext(im.ctx, string(ed), string(src.Type), f.Code, f.Name, f.ODSCode, string(parents),
			b.Min[0], b.Min[1], b.Max[0], b.Max[1], g); err != nil {
			return LayerReport{}, fmt.Errorf("%s: feature %d (%s): %w", src.File, f.Index, f.Code, err)
		}
	}
	if _, err := im.tx.ExecContext(im.ctx,
		`INSERT INTO layers (edition, type, source_file, sha256, features, imported_at) VALUES (?, ?, ?, ?, ?, ?)`,
		string(ed), string(src.Type), src.File, sl.sha, len(sl.features), im.opt.Now().UTC().Format(time.RFC3339)); err != nil {
		return LayerReport{}, err
	}
	return LayerReport{Edition: ed, Type: src.Type, File: src.File, SHA256: sl.sha, Features: len(sl.features)}, nil
}

// postcodes loads Code-Point Open into postcode_blocks, packed per postcode area.
func (im *importer) postcodes() (n, located int, checksum string, err error) {
	dir := filepath.Join(im.opt.DataDir, im.opt.Sources.Postcodes)
	sum, err := dirChecksum(filepath.Join(dir, "Data", "CSV"))
	if err != nil {
		return 0, 0, "", fmt.Errorf("postcodes: %w", err)
	}
	blocks := map[string]*postcodeBlockWriter{}
	err = data.ReadCodePointDir(dir, func(cp data.CodePoint) error {
		if cp.HasLocation && im.wantPostcodes[cp.Postcode] {
			if im.pcLoc == nil {
				im.pcLoc = map[string]postcodeLoc{}
			}
			im.pcLoc[cp.Postcode] = postcodeLoc{lat: cp.Lat, lon: cp.Lon}
		}
		if cp.HasLocation {
			im.countWard(cp.Ward, cp.District, cp.Lat, cp.Lon)
			located++
			if cp.Country == englandCode {
				im.england = append(im.england, englandPostcode{p: orb.Point{cp.Lon, cp.Lat}, district: cp.District})
			}
		}
		area := postcodeArea(cp.Postcode)
		w := blocks[area]
		if w == nil {
			w = &postcodeBlockWriter{}
			blocks[area] = w
		}
		n++
		return w.add(PostcodeRecord{Postcode: cp.Postcode, Lat: cp.Lat, Lon: cp.Lon, Located: cp.HasLocation,
			Quality: cp.Quality, Country: cp.Country, District: cp.District})
	}, data.WithProgress(func(done, total int64) { im.opt.Progress("postcodes", done, total) }))
	if err != nil {
		return 0, 0, "", err
	}
	if n == 0 {
		return 0, 0, "", fmt.Errorf("%s: no postcodes found", dir)
	}
	for area, w := range blocks {
		if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO postcode_blocks (area, rows, data) VALUES (?, ?, ?)`,
			area, len(w.rows), w.encode()); err != nil {
			return 0, 0, "", err
		}
	}
	return n, located, sum, nil
}

// postcodeArea is the leading letters of a postcode: "SW" of "SW1A 1AA".
func postcodeArea(pc string) string {
	i := strings.IndexFunc(pc, func(r rune) bool { return r < 'A' || r > 'Z' })
	if i < 0 {
		return pc
	}
	return pc[:i]
}

// readSource reads a source file (relative to the data directory) once, counts it in the
// dataset's checksum, and parses it with read, which names errors by the file's path.
func readSource[T any](im *importer, rel string, read func(io.Reader, string) (T, error)) (T, error) {
	path := filepath.Join(im.opt.DataDir, rel)
	b, err := os.ReadFile(path)
	if err != nil {
		var zero T
		return zero, err
	}
	im.lookupSums = append(im.lookupSums, filepath.ToSlash(rel)+" "+sha256Hex(b))
	return read(bytes.NewReader(b), path)
}

// dirChecksum hashes the names and contents of every file in dir, in name order.
func dirChecksum(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		io.WriteString(h, e.Name()+"\n")
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

var errSchema = errors.New("database schema")
