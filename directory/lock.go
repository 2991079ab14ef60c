package directory

import (
	"fmt"
	"os"
)

// lockImport takes an exclusive lock beside the database so that two imports never race. The
// lock is the operating system's (lockFile, per platform), so a killed import never leaves it
// held.
func lockImport(dbPath string) (unlock func(), err error) {
	f, err := os.OpenFile(dbPath+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	release, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("another import into %s is running (%s is locked)", dbPath, f.Name())
	}
	return func() {
		release()
		f.Close()
	}, nil
}
