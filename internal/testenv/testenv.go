// Package testenv is what the tests of every package share: where the reference data is, a
// clear skip where it is absent, and values built once per test binary (an imported database,
// say) in a folder removed when the tests end. It is the standard library's internal/testenv in
// spirit, and imports nothing of ours, so any package's tests may use it.
package testenv

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// DataDir is the shared reference data folder: $ALLIANCE_DATA, else shared/data beside the
// module's root (../shared/data from the repository).
func DataDir() string {
	if d := os.Getenv("ALLIANCE_DATA"); d != "" {
		return d
	}
	return filepath.Join(moduleRoot(), "..", "shared", "data")
}

// BenchDir holds the benchmark point sets: $ALLIANCE_BENCH, else shared/bench beside DataDir.
func BenchDir() string {
	if d := os.Getenv("ALLIANCE_BENCH"); d != "" {
		return d
	}
	return filepath.Join(DataDir(), "..", "bench")
}

// SharedData is the path of sub under DataDir; it skips tb, naming the path and the setting,
// when that path is absent, so a test that needs the real data says why it did not run.
func SharedData(tb testing.TB, sub ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{DataDir()}, sub...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("reference data absent: %s (%v); set ALLIANCE_DATA to the shared data folder (README, 'Data')", p, err)
	}
	return p
}

// moduleRoot is the nearest folder at or above the working directory holding go.mod (a
// test's working directory is its package's folder); "." when there is none.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}

var (
	dirsMu sync.Mutex
	dirs   []string
)

// Main runs a package's tests and then removes the folders its Once values made. Call it from
// TestMain: func TestMain(m *testing.M) { testenv.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	dirsMu.Lock()
	for _, d := range dirs {
		os.RemoveAll(d)
	}
	dirsMu.Unlock()
	os.Exit(code)
}

// Once is a value built at most once per test binary, such as a database imported from a
// fixture, shared by every test that asks for it.
type Once[T any] struct {
	once sync.Once
	val  T
	err  error
}

// Get returns the value, building it on first use with build in a new temporary folder that
// Main removes at the end. A build that failed fails every test that asks for the value.
func (o *Once[T]) Get(tb testing.TB, build func(dir string) (T, error)) T {
	tb.Helper()
	o.once.Do(func() {
		dir, err := os.MkdirTemp("", "alliance-test-")
		if err != nil {
			o.err = err
			return
		}
		dirsMu.Lock()
		dirs = append(dirs, dir)
		dirsMu.Unlock()
		o.val, o.err = build(dir)
	})
	if o.err != nil {
		tb.Fatal(o.err)
	}
	return o.val
}
