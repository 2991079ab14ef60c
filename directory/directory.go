package directory

import (
	"context"
	"sync"
	"sync/atomic"
)

// Directory holds the current Snapshot and replaces it on Reload. Requests take the snapshot
// once (Current) and use it to the end, so a reload never mixes two datasets in one answer.
type Directory struct {
	path string
	opts Options
	cur  atomic.Pointer[Snapshot]
	mu   sync.Mutex // one reload at a time
}

// New opens the database at path.
func New(ctx context.Context, path string, opts Options) (*Directory, error) {
	d := &Directory{path: path, opts: opts}
	if err := d.Reload(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// Current is the snapshot to answer from.
func (d *Directory) Current() *Snapshot { return d.cur.Load() }

// Reload reads the database file again and swaps the new snapshot in. On error the current
// snapshot stays in service.
func (d *Directory) Reload(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := Open(ctx, d.path, d.opts)
	if err != nil {
		return err
	}
	d.cur.Store(s)
	return nil
}
