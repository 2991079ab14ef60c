package directory

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// realDataDir is ../shared/data beside the repository, or $ALLIANCE_DATA.
func realDataDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("ALLIANCE_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "boundaries")); err != nil {
		t.Skipf("real data not found at %s (set ALLIANCE_DATA to the folder described in README 'Data'): %v", dir, err)
	}
	return dir
}

var real struct {
	once sync.Once
	dir  string
	snap *Snapshot
	err  error
}

// realSnapshot imports the real data, postcodes included, once per test binary.
func realSnapshot(t testing.TB) *Snapshot {
	t.Helper()
	dataDir := realDataDir(t)
	real.once.Do(func() {
		real.dir, real.err = os.MkdirTemp("", "alliance-realdata-")
		if real.err != nil {
			return
		}
		db := filepath.Join(real.dir, "alliance.db")
		if _, real.err = Import(context.Background(), ImportOptions{DataDir: dataDir, DBPath: db}); real.err != nil {
			return
		}
		real.snap, real.err = Open(context.Background(), db, DefaultOptions)
	})
	if real.err != nil {
		t.Fatalf("real data: %v", real.err)
	}
	return real.snap
}

func TestMain(m *testing.M) {
	code := m.Run()
	if real.dir != "" {
		os.RemoveAll(real.dir)
	}
	if code != 0 {
		fmt.Fprintln(os.Stderr, "FAIL")
	}
	os.Exit(code)
}
