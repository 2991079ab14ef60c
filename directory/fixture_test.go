package directory

import (
	"context"
	"path/filepath"
	"testing"
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

// fixtureDB imports testdata/data into a new database and returns its path.
func fixtureDB(t testing.TB) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "alliance.db")
	if _, err := Import(context.Background(), fixtureOptions(t, "testdata/data", db)); err != nil {
		t.Fatalf("import fixture: %v", err)
	}
	return db
}

func fixtureSnapshot(t testing.TB) *Snapshot {
	t.Helper()
	s, err := Open(context.Background(), fixtureDB(t), DefaultOptions)
	if err != nil {
		t.Fatalf("open fixture: %v", err)
	}
	return s
}
