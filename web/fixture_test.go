package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/nhs-geo/alliance/directory"
)

// The web tests answer from the directory package's synthetic dataset
// (../directory/testdata/data, described by its sources.json), imported once per test binary.
var fixture struct {
	once sync.Once
	dir  string
	snap *directory.Snapshot
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{fixture.dir, realFixture.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

type staticSource struct{ s *directory.Snapshot }

func (s staticSource) Current() *directory.Snapshot { return s.s }

func fixtureSnapshot(t testing.TB) *directory.Snapshot {
	t.Helper()
	fixture.once.Do(func() {
		const data = "../directory/testdata/data"
		src, err := directory.ReadSources(filepath.Join(data, "sources.json"))
		if err != nil {
			fixture.err = err
			return
		}
		fixture.dir, fixture.err = os.MkdirTemp("", "alliance-web-")
		if fixture.err != nil {
			return
		}
		db := filepath.Join(fixture.dir, "alliance.db")
		if _, err := directory.Import(context.Background(), directory.ImportOptions{DataDir: data, DBPath: db, Sources: &src}); err != nil {
			fixture.err = err
			return
		}
		fixture.snap, fixture.err = directory.Open(context.Background(), db, directory.DefaultOptions)
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.snap
}

// fixtureServer is a Server over the fixture dataset with quiet logs.
func fixtureServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return New(staticSource{fixtureSnapshot(t)}, cfg)
}

// serve runs one request through h and returns the recorded response.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
