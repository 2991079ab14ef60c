package data

import (
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhs-geo/alliance/internal/testenv"
)

func TestReadCodePointDirFixture(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			var got []CodePoint
			var progress [][2]int64
			err := ReadCodePointDir(filepath.Join("testdata", "codepoint"), func(cp CodePoint) error {
				got = append(got, cp)
				return nil
			}, WithWorkers(workers), WithProgress(func(done, total int64) { progress = append(progress, [2]int64{done, total}) }))
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"AB10 1AB", "AB43 1AJ", "AB10 1AF", "S1 1AA", "S1 2HE", "SW1A 1AA"}
			if len(got) != len(want) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			for i, cp := range got {
				if cp.Postcode != want[i] {
					t.Errorf("row %d: postcode %q, want %q", i, cp.Postcode, want[i])
				}
			}
			nc := got[1]
			if nc.Quality != 90 || nc.HasLocation || nc.Lon != 0 || nc.Lat != 0 || nc.Country != "S92000003" || nc.District != "" {
				t.Errorf("quality-90 row = %+v", nc)
			}
			s1 := got[3]
			if s1.Quality != 10 || !s1.HasLocation || s1.Easting != 435732 || s1.Northing != 387312 ||
				s1.Country != "E92000001" || s1.District != "E08000039" {
				t.Errorf("S1 1AA = %+v", s1)
			}
			if d := metres(s1.Lon, s1.Lat, -1.464300, 53.381460); d > 1 {
				t.Errorf("S1 1AA at %.6f,%.6f: %.1f m from expected", s1.Lon, s1.Lat, d)
			}
			// SW1A 1AA, Buckingham Palace: about 51.5010 N, 0.1416 W.
			if d := metres(got[5].Lon, got[5].Lat, -0.14160, 51.50101); d > 50 {
				t.Errorf("SW1A 1AA at %.6f,%.6f: %.0f m from Buckingham Palace", got[5].Lon, got[5].Lat, d)
			}
			if len(progress) < 2 {
				t.Fatalf("progress called %d times", len(progress))
			}
			total := progress[0][1]
			if progress[0][0] != 0 || progress[len(progress)-1] != [2]int64{total, total} || total <= 0 {
				t.Errorf("progress %v: want from 0 to %d", progress, total)
			}
			for i := 1; i < len(progress); i++ {
				if progress[i][0] < progress[i-1][0] || progress[i][1] != total {
					t.Errorf("progress not monotonic: %v", progress)
				}
			}
		})
	}
}

func TestReadCodePointDirMalformed(t *testing.T) {
	dir := filepath.Join("testdata", "codepoint-malformed")
	var got []string
	err := ReadCodePointDir(dir, func(cp CodePoint) error {
		got = append(got, cp.Postcode)
		return nil
	})
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, ErrMalformedRow) {
		t.Errorf("error %v does not wrap ErrMalformedRow", err)
	}
	file := filepath.Join(dir, "Data", "CSV", "s.csv.gz")
	want := file + ": line 3: expected 10 fields, got 9"
	if err.Error() != want {
		t.Errorf("error %q\nwant      %q", err, want)
	}
	var re *RowError
	if !errors.As(err, &re) || re.File != file || re.Line != 3 {
		t.Errorf("not a RowError for %s line 3: %#v", file, err)
	}
	// Every row before the malformed one was delivered, in order.
	if strings.Join(got, ",") != "AB10 1AB,AB43 1AJ,AB10 1AF,S1 1AA,S1 2HE" {
		t.Errorf("rows delivered before the error: %v", got)
	}
}

// writeCodePoint writes a Code-Point folder with the given files (name -> rows) under a temp dir.
func writeCodePoint(t *testing.T, files map[string][]string) string {
	t.Helper()
	dir := t.TempDir()
	csvDir := filepath.Join(dir, "Data", "CSV")
	if err := os.MkdirAll(csvDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, rows := range files {
		f, err := os.Create(filepath.Join(csvDir, name))
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		for _, r := range rows {
			fmt.Fprintln(zw, r)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return dir
}

func TestReadCodePointRowErrors(t *testing.T) {
	const good = `"S1 1AA",10,435732,387312,"E92000001","E19000001","E18000003","","E08000039","E05010862"`
	tests := []struct {
		name, row, want string
	}{
		{"too few fields", `"S1 1AA",10,435732,387312`, "expected 10 fields, got 4"},
		{"too many fields", good + `,"x"`, "expected 10 fields, got 11"},
		{"bad quality", strings.Replace(good, ",10,", ",x,", 1), `positional quality "x" is not a number`},
		{"negative easting", strings.Replace(good, "435732", "-5", 1), `easting "-5" is not a National Grid easting`},
		{"easting too big", strings.Replace(good, "435732", "7000001", 1), `easting "7000001" is not a National Grid easting`},
		{"northing too big", strings.Replace(good, "387312", "1300001", 1), `northing "1300001" is not a National Grid northing`},
		{"empty postcode", strings.Replace(good, `"S1 1AA"`, `""`, 1), "empty postcode"},
		{"partial postcode", strings.Replace(good, `"S1 1AA"`, `"S1"`, 1), `postcode "S1" is not a full postcode`},
		{"bad inward", strings.Replace(good, `"S1 1AA"`, `"S1 1AC"`, 1), `inward code 1AC: C is not used`},
		{"bad outward", strings.Replace(good, `"S1 1AA"`, `"Q1 1AA"`, 1), "no postcode starts with Q"},
		{"bad char", strings.Replace(good, `"S1 1AA"`, `"S1-1AA"`, 1), `unexpected character '-'`},
		{"unterminated quote", `"S1 1AA,10`, "unterminated quote"},
		{"stray quote", `S1 "1AA,10`, "stray quote"},
		{"garbage after quote", `"S1 1AA"x,10`, `unexpected 'x' after closing quote`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeCodePoint(t, map[string][]string{"s.csv.gz": {good, tt.row}})
			n := 0
			err := ReadCodePointDir(dir, func(CodePoint) error { n++; return nil })
			if !errors.Is(err, ErrMalformedRow) {
				t.Fatalf("error %v, want ErrMalformedRow", err)
			}
			if !strings.Contains(err.Error(), "s.csv.gz: line 2: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to name s.csv.gz line 2 and contain %q", err, tt.want)
			}
			if n != 1 {
				t.Errorf("%d rows delivered, want 1", n)
			}
		})
	}
}

func TestReadCodePointQuotedFields(t *testing.T) {
	dir := writeCodePoint(t, map[string][]string{"s.csv.gz": {
		`S1 1AA,10,435732,387312,E92000001,,,,"E08""000039",E05010862`,
		``,
	}})
	var got []CodePoint
	if err := ReadCodePointDir(dir, func(cp CodePoint) error { got = append(got, cp); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Postcode != "S1 1AA" || got[0].District != `E08"000039` || got[0].Country != "E92000001" {
		t.Errorf("got %+v", got)
	}
}

func TestReadCodePointDirErrors(t *testing.T) {
	t.Run("missing dir", func(t *testing.T) {
		if err := ReadCodePointDir(filepath.Join(t.TempDir(), "nope"), func(CodePoint) error { return nil }); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v, want not-exist", err)
		}
	})
	t.Run("no files", func(t *testing.T) {
		err := ReadCodePointDir(t.TempDir(), func(CodePoint) error { return nil })
		if !errors.Is(err, ErrNoFiles) {
			t.Errorf("error %v, want ErrNoFiles", err)
		}
	})
	t.Run("flat dir of csv.gz", func(t *testing.T) {
		dir := writeCodePoint(t, map[string][]string{"s.csv.gz": {`"S1 1AA",10,435732,387312,"E92000001","","","","E08000039",""`}})
		n := 0
		if err := ReadCodePointDir(filepath.Join(dir, "Data", "CSV"), func(CodePoint) error { n++; return nil }); err != nil || n != 1 {
			t.Errorf("n=%d err=%v", n, err)
		}
	})
	t.Run("not gzip", func(t *testing.T) {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "Data", "CSV"), 0o755)
		os.WriteFile(filepath.Join(dir, "Data", "CSV", "s.csv.gz"), []byte(`"S1 1AA",10`), 0o644)
		err := ReadCodePointDir(dir, func(CodePoint) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "s.csv.gz: not a gzip file") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("truncated gzip", func(t *testing.T) {
		rows := make([]string, 5000)
		for i := range rows {
			rows[i] = fmt.Sprintf(`"S1 %dAA",10,%d,387312,"E92000001","","","","E08000039",""`, i%10, 400000+i)
		}
		dir := writeCodePoint(t, map[string][]string{"s.csv.gz": rows})
		p := filepath.Join(dir, "Data", "CSV", "s.csv.gz")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, b[:len(b)/2], 0o644)
		err := ReadCodePointDir(dir, func(CodePoint) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "corrupt or truncated gzip") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("callback error stops", func(t *testing.T) {
		files := map[string][]string{}
		for _, name := range []string{"a", "b", "c", "d", "e"} {
			rows := make([]string, 20000)
			for i := range rows {
				rows[i] = fmt.Sprintf(`"S1 %dAA",10,%d,387312,"E92000001","","","","E08000039",""`, i%10, 400000+i)
			}
			files[name+".csv.gz"] = rows
		}
		dir := writeCodePoint(t, files)
		stop := errors.New("stop")
		n := 0
		start := time.Now()
		err := ReadCodePointDir(dir, func(CodePoint) error {
			n++
			if n == 10 {
				return stop
			}
			return nil
		}, WithWorkers(3))
		if err != stop {
			t.Errorf("error %v, want the callback's error as it is", err)
		}
		if n != 10 {
			t.Errorf("callback called %d times after returning an error", n)
		}
		t.Logf("stopped in %v", time.Since(start))
	})
}

// TestReadCodePointDirReal reads all of Code-Point Open and checks the counts the data's
// README gives.
func TestReadCodePointDirReal(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 1.7 million rows; skipped with -short")
	}
	dir := testenv.SharedData(t, "postcodes", "codepoint-open-2025-10")
	countries := map[string]int{}
	var n, noCoords int
	var last string
	prevFile := ""
	minLon, maxLon, minLat, maxLat := 180.0, -180.0, 90.0, -90.0
	start := time.Now()
	err := ReadCodePointDir(dir, func(cp CodePoint) error {
		n++
		countries[cp.Country]++
		if !cp.HasLocation {
			noCoords++
			return nil
		}
		// Rows of one area file stay together (area is the file name).
		area := strings.ToLower(cp.Postcode[:leadingLetters(cp.Postcode)])
		if area != prevFile {
			if area < prevFile {
				t.Fatalf("area %s after %s: files not in name order", area, prevFile)
			}
			prevFile = area
		}
		last = cp.Postcode
		minLon, maxLon = min(minLon, cp.Lon), max(maxLon, cp.Lon)
		minLat, maxLat = min(minLat, cp.Lat), max(maxLat, cp.Lat)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows in %v; last %s; lon %.3f..%.3f lat %.3f..%.3f", n, time.Since(start), last, minLon, maxLon, minLat, maxLat)
	if n != 1745849 {
		t.Errorf("%d rows, want 1,745,849", n)
	}
	if noCoords != 836 {
		t.Errorf("%d rows without coordinates, want 836", noCoords)
	}
	for c, want := range map[string]int{"E92000001": 1492125, "S92000003": 161476, "W92000004": 92248} {
		if countries[c] != want {
			t.Errorf("%s: %d rows, want %d", c, countries[c], want)
		}
	}
	if minLon < -8.7 || maxLon > 1.8 || minLat < 49.8 || maxLat > 60.9 {
		t.Errorf("positions outside Great Britain: lon %.3f..%.3f lat %.3f..%.3f", minLon, maxLon, minLat, maxLat)
	}
}

// BenchmarkReadCodePointDir reads and converts all of Code-Point Open:
//
//	go test -run XXX -bench ReadCodePointDir -benchtime 1x ./data/
func BenchmarkReadCodePointDir(b *testing.B) {
	dir := testenv.SharedData(b, "postcodes", "codepoint-open-2025-10")
	for b.Loop() {
		n := 0
		if err := ReadCodePointDir(dir, func(CodePoint) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "rows/op")
	}
}
