//go:build !unix && !windows

package directory

import (
	"errors"
	"os"
)

// lockFile, where the system has no file locks (wasm, plan9), refuses a second import
// while the marker file exists; an import killed there leaves the marker, to be removed by hand.
func lockFile(f *os.File) (release func(), err error) {
	marker := f.Name() + ".held"
	m, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, errors.New("locked")
	}
	m.Close()
	return func() { os.Remove(marker) }, nil
}
