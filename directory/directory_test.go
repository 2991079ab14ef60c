package directory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReloadKeepsServingOnBadFile replaces the database with a broken file: Reload fails with
// an error and the directory keeps answering from the snapshot it had.
func TestReloadKeepsServingOnBadFile(t *testing.T) {
	db := fixtureDB(t)
	d, err := New(context.Background(), db, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	before := d.Current()
	if err := os.WriteFile(db, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Reload(context.Background()); err == nil {
		t.Fatal("reload of a broken file succeeded")
	}
	if d.Current() != before {
		t.Fatal("a failed reload replaced the snapshot")
	}
	if _, err := d.Current().LookupPostcode("AA1 1AA", ""); err != nil {
		t.Errorf("after a failed reload: %v", err)
	}
	// A good file again: the reload swaps in a new snapshot.
	good := fixtureDB(t)
	b, _ := os.ReadFile(good)
	if err := os.WriteFile(filepath.Join(filepath.Dir(db), "next.db"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(filepath.Dir(db), "next.db"), db); err != nil {
		t.Fatal(err)
	}
	if err := d.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d.Current() == before {
		t.Error("a good reload kept the old snapshot")
	}
}

// TestConcurrentReload looks up from several goroutines while the directory reloads: every
// answer comes whole from one snapshot (run it with -race: make race).
func TestConcurrentReload(t *testing.T) {
	db := fixtureDB(t)
	d, err := New(context.Background(), db, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				snap := d.Current()
				a, err := snap.LookupPostcode("AA1 1AA", "")
				if err == nil && a.Full.Dataset != snap.Checksum {
					err = errors.New("an answer names another dataset than its snapshot")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 5 {
		if err := d.Reload(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
