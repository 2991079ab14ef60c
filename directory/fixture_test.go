package directory

import (
	"context"
	"path/filepath"
	"testing"
)

// fixtureEditions describe the synthetic data in testdata/data (see testdata/README.md).
var fixtureEditions = []EditionInfo{
	{ID: "2021", Title: "test 2021", ValidFrom: "2021-04-01", Description: "two alliances split at lon -1", Caveats: []string{},
		Layers: []LayerSource{
			{Type: CancerAlliance, File: "boundaries/2021/alliances.geojson", Prefixes: []string{"cal"}, Features: 2},
			{Type: STP, File: "boundaries/2021/stp.geojson", Prefixes: []string{"stp"}, Features: 2},
		}},
	{ID: "2023", Title: "test 2023", ValidFrom: "2023-04-01", Description: "the alliance border moves to lon -0.5", Caveats: []string{"synthetic"},
		Layers: []LayerSource{
			{Type: CancerAlliance, File: "boundaries/2023/alliances.geojson", Prefixes: []string{"cal"}, Features: 2},
			{Type: ICB, File: "boundaries/2023/icb.geojson", Prefixes: []string{"icb"}, Features: 2},
			{Type: NHSRegion, File: "boundaries/2023/regions.geojson", Prefixes: []string{"nhser"}, Features: 1},
		}},
}

var fixtureCountries = LayerSource{Type: Country, File: "boundaries/countries/countries.geojson", Prefixes: []string{"ctry"}, Features: 4}

func fixtureOptions(dataDir, db string) ImportOptions {
	return ImportOptions{DataDir: dataDir, DBPath: db, Editions: fixtureEditions, Countries: fixtureCountries, PostcodeDir: "postcodes/cp"}
}

// fixtureDB imports testdata/data into a new database and returns its path.
func fixtureDB(t testing.TB) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "alliance.db")
	if _, err := Import(context.Background(), fixtureOptions("testdata/data", db)); err != nil {
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
