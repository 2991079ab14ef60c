package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestDataDirFollowsEnvironment(t *testing.T) {
	t.Setenv("ALLIANCE_DATA", "/somewhere/data")
	if got := DataDir(); got != "/somewhere/data" {
		t.Errorf("DataDir() = %q with ALLIANCE_DATA set", got)
	}
	if got, want := BenchDir(), filepath.Join("/somewhere", "bench"); got != want {
		t.Errorf("BenchDir() = %q, want %q", got, want)
	}
}

func TestDataDirDefaultsBesideModule(t *testing.T) {
	t.Setenv("ALLIANCE_DATA", "")
	got := DataDir()
	if filepath.Base(got) != "data" || filepath.Base(filepath.Dir(got)) != "shared" {
		t.Fatalf("DataDir() = %q, want …/shared/data", got)
	}
	if _, err := os.Stat(filepath.Join(moduleRoot(), "go.mod")); err != nil {
		t.Errorf("moduleRoot() = %q has no go.mod", moduleRoot())
	}
}

func TestSharedDataSkipsWhenAbsent(t *testing.T) {
	t.Setenv("ALLIANCE_DATA", t.TempDir())
	var skipped bool
	t.Run("absent", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		SharedData(t, "no-such-file")
		t.Error("SharedData returned for a missing path")
	})
	if !skipped {
		t.Error("SharedData did not skip for a missing path")
	}
}

func TestOnceBuildsOnceAndKeepsFolder(t *testing.T) {
	var o Once[string]
	builds := 0
	build := func(dir string) (string, error) {
		builds++
		return dir, os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o644)
	}
	a, b := o.Get(t, build), o.Get(t, build)
	if builds != 1 || a != b {
		t.Fatalf("built %d times, values %q and %q", builds, a, b)
	}
	if _, err := os.Stat(filepath.Join(a, "x")); err != nil {
		t.Fatal(err)
	}
}

func TestOnceFailureFailsEveryCaller(t *testing.T) {
	var o Once[int]
	builds := 0
	build := func(string) (int, error) { builds++; return 0, errors.New("boom") }
	for range 2 {
		tb := &recorder{TB: t}
		func() {
			defer func() { recover() }()
			o.Get(tb, build)
		}()
		if !tb.failed {
			t.Error("Get after a failed build did not fail the caller")
		}
	}
	if builds != 1 {
		t.Errorf("built %d times, want 1", builds)
	}
}

// recorder stops at Fatal instead of ending the test, to observe it.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.failed = true
	panic("fatal")
}
