package main

import (
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// copyDB gives a test its own copy of the imported database to damage.
func copyDB(t *testing.T, db string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "alliance.db")
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestImportKilled kills `alliance import` with SIGKILL part way through: the previous database
// must stay as it was and keep serving; the next import cleans up and succeeds.
func TestImportKilled(t *testing.T) {
	bin, shared := setup(t)
	db := copyDB(t, shared)
	before := sum(t, db)
	cmd := exec.Command(bin, "import", "--data", realDataDir(t), "--db", db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the new file is being written, then kill.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m, _ := filepath.Glob(db + ".import-*"); len(m) > 0 {
			if st, err := os.Stat(m[0]); err == nil && st.Size() > 4<<20 {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("import never started writing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if sum(t, db) != before {
		t.Fatal("the database changed after the import was killed")
	}
	s := startServer(t, bin, db)
	if status, body := s.get(t, "/api/v1/postcodes/S12HE"); status != 200 || alliance(body) != "South Yorkshire and Bassetlaw" {
		t.Errorf("after a killed import: %d %v", status, body)
	}
	if code, _, errs := runCLI(t, bin, "", "import", "--data", realDataDir(t), "--db", db, "--skip-postcodes"); code != 0 {
		t.Fatalf("import after the kill: %s", errs)
	}
	if left, _ := filepath.Glob(db + ".import-*"); len(left) > 0 {
		t.Errorf("stale files after the next import: %v", left)
	}
}

// TestImportDiskFull runs the import with a file-size limit far below the database's size, as
// a full disk would stop it: it must fail with a clear error and leave the database intact.
func TestImportDiskFull(t *testing.T) {
	bin, shared := setup(t)
	db := copyDB(t, shared)
	before := sum(t, db)
	// ulimit -f counts 1024-byte blocks: 8 MB, well short of the ~150 MB database.
	cmd := exec.Command("bash", "-c", `ulimit -f 8192 && exec "$0" import --data "$1" --db "$2"`, bin, realDataDir(t), db)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("import within an 8 MB file limit succeeded: %s", out)
	}
	msg := string(out)
	if !strings.Contains(msg, "import failed") || !strings.Contains(msg, "left as it was") {
		t.Errorf("unclear error for the operator: %s", msg)
	}
	if sum(t, db) != before {
		t.Fatal("the database changed after a failed import")
	}
	if left, _ := filepath.Glob(db + ".import-*"); len(left) > 0 {
		t.Errorf("files left behind: %v", left)
	}
}
