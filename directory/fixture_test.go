package directory

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
)

// fixtureSources reads testdata/data/sources.json, which describes the synthetic data beside
// it (see testdata/README.md); the web package's tests read the same file.
func fixtureSources(t testing.TB) *Sources {
	t.Helper()
	s, err := ReadSources("testdata/data/sources.json")
	if err != nil {
		t.Fatal(err)
	}
	return &s
}

func fixtureOptions(t testing.TB, dataDir, db string) ImportOptions {
	return ImportOptions{DataDir: dataDir, DBPath: db, Sources: fixtureSources(t)}
}

// fixtureDB imports testdata/data into a new database of the test's own, for tests that change it.
func fixtureDB(t testing.TB) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "alliance.db")
	if _, err := Import(context.Background(), fixtureOptions(t, "testdata/data", db)); err != nil {
		t.Fatalf("import fixture: %v", err)
	}
	return db
}

var fixture testenv.Once[*Snapshot]

// fixtureSnapshot is the fixture, imported and opened once per test binary; tests only read it.
func fixtureSnapshot(t testing.TB) *Snapshot {
	t.Helper()
	return fixture.Get(t, func(dir string) (*Snapshot, error) {
		db := filepath.Join(dir, "alliance.db")
		if _, err := Import(context.Background(), fixtureOptions(t, "testdata/data", db)); err != nil {
			return nil, fmt.Errorf("import fixture: %w", err)
		}
		return Open(context.Background(), db, DefaultOptions)
	})
}

func TestMain(m *testing.M) { testenv.Main(m) }
