package directory

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/data"
)

// copyDir copies the fixture data directory so that a test may break one of its files.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestImportReport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sub", "alliance.db")
	rep, err := Import(context.Background(), fixtureOptions(t, "testdata/data", db))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Layers) != 6 || rep.Postcodes != 9 || rep.Located != 8 || len(rep.DistrictConflicts) != 0 || rep.Checksum == "" || rep.Bytes == 0 {
		t.Errorf("report = %+v", rep)
	}
	s, err := Open(context.Background(), db, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if s.Checksum != rep.Checksum || s.Postcodes().Len() != 9 || len(s.Editions) != 2 {
		t.Errorf("snapshot checksum %s postcodes %d editions %d", s.Checksum, s.Postcodes().Len(), len(s.Editions))
	}
	l, err := s.Layer("2021", STP)
	if err != nil {
		t.Fatal(err)
	}
	south, _ := l.Area("E54000902")
	if south.ODSCode != "QX1" {
		t.Errorf("ODS code = %q, want QX1", south.ODSCode)
	}
	north, _ := l.Area("E54000901")
	if north.Parents["cal"] != "E56000901" {
		t.Errorf("parents = %v, want cal E56000901", north.Parents)
	}
	// The same source, imported again, has the same checksum.
	rep2, err := Import(context.Background(), fixtureOptions(t, "testdata/data", db))
	if err != nil || rep2.Checksum != rep.Checksum {
		t.Errorf("re-import checksum %v, %v; want %s", rep2, err, rep.Checksum)
	}
}

// TestImportFailureKeepsDatabase breaks one input at a time: each import must fail with an
// error naming the file and leave the previous database byte for byte, with no file left over.
func TestImportFailureKeepsDatabase(t *testing.T) {
	const stp = "boundaries/2021/stp.geojson"
	tests := []struct {
		name  string
		file  string
		write func(old string) string
		want  string // in the error
		is    error
	}{
		{"truncated", stp, func(old string) string { return old[:len(old)/2] }, stp, nil},
		{"duplicate code", stp, func(old string) string { return strings.ReplaceAll(old, "E54000902", "E54000901") }, "E54000901", data.ErrDuplicateCode},
		{"British National Grid", stp, func(old string) string {
			return strings.NewReplacer("-2,", "434039,", "-1,", "434039,", "0,", "518891,").Replace(old)
		}, "British National Grid", data.ErrProjection},
		{"empty layer", stp, func(string) string { return `{"type":"FeatureCollection","features":[]}` }, stp, nil},
		{"wrong feature count", stp, func(old string) string {
			var fc map[string]any
			if err := json.Unmarshal([]byte(old), &fc); err != nil {
				panic(err)
			}
			fc["features"] = fc["features"].([]any)[:1]
			b, _ := json.Marshal(fc)
			return string(b)
		}, "expected 2", nil},
		{"invalid geometry", stp, func(old string) string {
			var fc map[string]any
			if err := json.Unmarshal([]byte(old), &fc); err != nil {
				panic(err)
			}
			g := fc["features"].([]any)[1].(map[string]any)["geometry"].(map[string]any)
			g["coordinates"] = []any{[]any{[]any{-2, 52}, []any{0, 52}, []any{-2, 52}}}
			b, _ := json.Marshal(fc)
			return string(b)
		}, "feature 1 (E54000902)", data.ErrInvalidGeometry},
		{"missing file", stp, nil, stp, nil},
		{"broken postcode file", "postcodes/cp/Data/CSV/aa.csv.gz", func(string) string { return "not gzip" }, "aa.csv.gz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, "testdata/data")
			dbDir := t.TempDir()
			db := filepath.Join(dbDir, "alliance.db")
			if _, err := Import(context.Background(), fixtureOptions(t, dir, db)); err != nil {
				t.Fatal(err)
			}
			before := fileSum(t, db)
			path := filepath.Join(dir, tt.file)
			if tt.write == nil {
				os.Remove(path)
			} else {
				old, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tt.write(string(old))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Import(context.Background(), fixtureOptions(t, dir, db))
			if err == nil {
				t.Fatal("import of broken data succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if fileSum(t, db) != before {
				t.Error("the previous database changed")
			}
			if left, _ := filepath.Glob(db + ".import-*"); len(left) > 0 {
				t.Errorf("files left beside the database: %v", left)
			}
			if _, err := Open(context.Background(), db, DefaultOptions); err != nil {
				t.Errorf("previous database no longer opens: %v", err)
			}
		})
	}
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(context.Background(), filepath.Join(dir, "missing.db"), DefaultOptions); err == nil {
		t.Error("opened a missing database")
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("this is not a database"), 0o644)
	if _, err := Open(context.Background(), junk, DefaultOptions); err == nil {
		t.Error("opened a file that is not SQLite")
	}
}

func TestImportCleansStaleFilesAndLocks(t *testing.T) {
	db := filepath.Join(t.TempDir(), "alliance.db")
	stale := db + ".import-123456"
	if err := os.WriteFile(stale, []byte("half an import killed with -9"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(context.Background(), fixtureOptions(t, "testdata/data", db)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale import file still there: %v", err)
	}
	unlock, err := lockImport(db)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := Import(context.Background(), fixtureOptions(t, "testdata/data", db)); err == nil || !strings.Contains(err.Error(), "another import") {
		t.Errorf("import while another holds the lock: %v", err)
	}
}
