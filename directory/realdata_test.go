package directory

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
)

var real testenv.Once[*Snapshot]

// realSnapshot imports the real data, postcodes included, once per test binary.
func realSnapshot(t testing.TB) *Snapshot {
	t.Helper()
	dataDir := testenv.SharedData(t)
	return real.Get(t, func(dir string) (*Snapshot, error) {
		db := filepath.Join(dir, "alliance.db")
		if _, err := Import(context.Background(), ImportOptions{DataDir: dataDir, DBPath: db}); err != nil {
			return nil, fmt.Errorf("real data: %w", err)
		}
		return Open(context.Background(), db, DefaultOptions)
	})
}
