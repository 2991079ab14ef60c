package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/nhs-geo/alliance/directory"
	"github.com/nhs-geo/alliance/internal/testenv"
)

// The web tests answer from the directory package's synthetic dataset
// (../directory/testdata/data, described by its sources.json), imported once per test binary.
var fixture testenv.Once[*directory.Snapshot]

func TestMain(m *testing.M) { testenv.Main(m) }

type staticSource struct{ s *directory.Snapshot }

func (s staticSource) Current() *directory.Snapshot { return s.s }

func fixtureSnapshot(t testing.TB) *directory.Snapshot {
	t.Helper()
	return fixture.Get(t, func(dir string) (*directory.Snapshot, error) {
		const data = "../directory/testdata/data"
		src, err := directory.ReadSources(filepath.Join(data, "sources.json"))
		if err != nil {
			return nil, err
		}
		db := filepath.Join(dir, "alliance.db")
		if _, err := directory.Import(context.Background(), directory.ImportOptions{DataDir: data, DBPath: db, Sources: &src}); err != nil {
			return nil, err
		}
		return directory.Open(context.Background(), db, directory.DefaultOptions)
	})
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
