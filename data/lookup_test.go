package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/nhs-geo/alliance/internal/testenv"
)

func TestLookupKey(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"LSOA11CD", "LSOA11CD", true},
		{"lsoa11cd", "LSOA11CD", true},
		{"\ufeffLSOA11CD ", "LSOA11CD", true},
		{"CCG21CDH", "CCG21CDH", true},
		{"CAL21NM", "CAL21NM", true},
		{"lsoa11_code", "LSOA11CD", true},
		{"icb22_name", "ICB22NM", true},
		{"sicbl22_code_h", "SICBL22CDH", true},
		{"icb24_code_nhs", "ICB24CDH", true},
		{"ltla22_code", "LAD22CD", true},
		{"LTLA22NM", "LAD22NM", true},
		{"lad_code", "LADCD", true},
		{"FID", "FID", false},
		{"ObjectId", "OBJECTID", false},
		{"LSOA11NMW", "LSOA11NMW", false},
		{"LADCD", "LADCD", false}, // yearless one-word keys are only understood by Column
		{"PCD", "PCD", false},
		{"21CD", "21CD", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := LookupKey(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LookupKey(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReadLookupONS(t *testing.T) {
	l, err := ReadLookupFile(filepath.Join("testdata", "lookup", "lsoa11-ccg21-stp21-cal21-lad21.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.Header, ","); got != "LSOA11CD,LSOA11NM,CCG21CD,CCG21CDH,CCG21NM,STP21CD,STP21NM,CAL21CD,CAL21NM,LAD21CD,LAD21NM,FID" {
		t.Errorf("header %s", got)
	}
	if l.Raw[0] != "LSOA11CD" {
		t.Errorf("raw header %q: BOM not removed", l.Raw[0])
	}
	if len(l.Rows) != 4 {
		t.Fatalf("%d rows, want 4", len(l.Rows))
	}
	// A blank line is skipped; a quoted name spans two lines.
	if want := []int{2, 3, 4, 6}; !slices.Equal(l.Lines, want) {
		t.Errorf("lines %v, want %v", l.Lines, want)
	}
	if l.Rows[2][1] != "Bassetlaw 001A" {
		t.Errorf("name %q not trimmed", l.Rows[2][1])
	}
	if l.Rows[3][4] != "NHS Brent, Harrow and Hillingdon CCG (multi-line\nname)" || l.Rows[3][8] != "RM Partners, West London" {
		t.Errorf("quoted fields %q, %q", l.Rows[3][4], l.Rows[3][8])
	}
	// Repeated values share memory.
	if a, b := l.Rows[0][6], l.Rows[1][6]; a != b || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Errorf("%q and %q do not share memory", a, b)
	}
	tests := []struct {
		key  string
		want int
	}{
		{"LAD", 9}, {"lad", 9}, {"LADCD", 9}, {"LAD21CD", 9}, {"lad21_code", 9}, {"ltla21_code", 9}, {"LADNM", 10},
		{"CAL", 7}, {"CALNM", 8}, {"CCGCDH", 3}, {"ccg21cdh", 3}, {"LSOA", 0}, {"FID", 11}, {"fid", 11},
	}
	for _, tt := range tests {
		if got, err := l.Column(tt.key); got != tt.want || err != nil {
			t.Errorf("Column(%q) = %d, %v; want %d", tt.key, got, err, tt.want)
		}
	}
	for _, key := range []string{"ICB", "LAD22CD", "LSOA11NMW", "OBJECTID", "SICBLCDH"} {
		if c, err := l.Column(key); c != -1 || !errors.Is(err, ErrMissingColumn) {
			t.Errorf("Column(%q) = %d, %v; want ErrMissingColumn", key, c, err)
		} else if !strings.HasPrefix(err.Error(), l.File+": line 1: no column") {
			t.Errorf("Column(%q): error %q", key, err)
		}
	}
	cols, err := l.Columns("LSOA", "CAL", "LAD")
	if err != nil || !slices.Equal(cols, []int{0, 7, 9}) {
		t.Errorf("Columns = %v, %v", cols, err)
	}
	if _, err := l.Columns("LSOA", "ICB"); !errors.Is(err, ErrMissingColumn) {
		t.Errorf("Columns with a missing key: %v", err)
	}
}

func TestReadLookupGeographr(t *testing.T) {
	l, err := ReadLookupFile(filepath.Join("testdata", "lookup", "lsoa11-sicbl22-icb22-lad22.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.Header, ","); got != "LSOA11NM,LSOA11CD,SICBL22NM,SICBL22CD,SICBL22CDH,ICB22NM,ICB22CD,ICB22CDH,LAD22NM,LAD22CD" {
		t.Errorf("header %s", got)
	}
	if l.Raw[9] != "ltla22_code" {
		t.Errorf("raw %q", l.Raw[9])
	}
	cols, err := l.Columns("LSOA", "SICBL", "ICB", "ICBCDH", "LAD", "LADNM")
	if err != nil || !slices.Equal(cols, []int{1, 3, 6, 7, 9, 8}) {
		t.Fatalf("Columns = %v, %v", cols, err)
	}
	r := l.Rows[1]
	if r[1] != "E01007321" || r[7] != "QF7" || r[9] != "E08000039" || l.Lines[1] != 3 {
		t.Errorf("row %q line %d", r, l.Lines[1])
	}
}

func TestReadLookupErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		wantErr   error
		wantMsg   string
	}{
		{"empty", "", ErrMissingColumn, "x.csv: empty file"},
		{"no code column", "FID,NAME\n1,a\n", ErrMissingColumn, `x.csv: line 1: header "FID,NAME" has no ONS code column`},
		{"header only", "LSOA11CD,LAD21CD\n", ErrNoRows, "x.csv: header but no data rows"},
		{"repeated column", "LSOA11CD,lsoa11_code\nE1,E1\n", ErrMalformedRow, `x.csv: line 1: columns 1 ("LSOA11CD") and 2 ("lsoa11_code") are both LSOA11CD`},
		{"short row", "LSOA11CD,LAD21CD\nE1,E2\nE3\n", ErrMalformedRow, "x.csv: line 3: wrong number of fields"},
		{"bare quote", "LSOA11CD,LAD21CD\nE1,\"E2\n", ErrMalformedRow, "x.csv: line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadLookup(strings.NewReader(tt.doc), "x.csv")
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v\nwant %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
	t.Run("ambiguous yearless key", func(t *testing.T) {
		l, err := ReadLookup(strings.NewReader("LSOA11CD,LSOA21CD,LAD22CD\nE1,E2,E3\n"), "x.csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Column("LSOA"); !errors.Is(err, ErrAmbiguousProperty) || !strings.Contains(err.Error(), "matches columns LSOA11CD, LSOA21CD; give the year") {
			t.Errorf("error %v", err)
		}
		if c, err := l.Column("LSOA21CD"); c != 1 || err != nil {
			t.Errorf("Column(LSOA21CD) = %d, %v", c, err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, err := ReadLookupFile(filepath.Join(t.TempDir(), "nope.csv.gz")); err == nil {
			t.Error("no error")
		}
	})
	t.Run("truncated gzip", func(t *testing.T) {
		b := gzipBytes(t, "LSOA11CD,LAD21CD\n"+strings.Repeat("E01000001,E09000001\n", 2000))
		_, err := ReadLookup(strings.NewReader(string(b[:len(b)/2])), "x.csv.gz")
		if err == nil || !strings.Contains(err.Error(), "corrupt or truncated") {
			t.Errorf("error %v", err)
		}
	})
}

// TestReadLookupReal reads the three ONS LSOA lookups of the shared data and checks the row
// counts the README gives and that each LSOA has one row.
func TestReadLookupReal(t *testing.T) {
	tests := []struct {
		file                string
		rows                int
		keys                []string
		hasLAD              bool
		lsoaKey, parentKeys string
	}{
		{"lsoa11-ccg21-stp21-cal21-lad21.csv.gz", 32844, []string{"LSOA11CD", "CCG21CD", "STP21CD", "CAL21CD", "LAD21CD", "LAD21NM"}, true, "LSOA", "CCG,STP,CAL,LAD"},
		{"lsoa11-sicbl22-icb22-lad22.csv.gz", 32844, []string{"LSOA11CD", "SICBL22CD", "SICBL22CDH", "ICB22CD", "ICB22CDH", "LAD22CD"}, true, "LSOA", "SICBL,ICB,LAD"},
		{"lsoa21-sicbl24-icb24.csv.gz", 33755, []string{"LSOA21CD", "SICBL24CD", "ICB24CD", "ICB24CDH"}, false, "LSOA", "SICBL,ICB"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := testenv.SharedData(t, "lookups", tt.file)
			start := time.Now()
			l, err := ReadLookupFile(path)
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			if len(l.Rows) != tt.rows {
				t.Errorf("%d rows, want %d", len(l.Rows), tt.rows)
			}
			for _, k := range tt.keys {
				if _, err := l.Column(k); err != nil {
					t.Error(err)
				}
			}
			if _, err := l.Column("LAD"); (err == nil) != tt.hasLAD {
				t.Errorf("Column(LAD): %v", err)
			}
			lsoa, err := l.Column(tt.lsoaKey)
			if err != nil {
				t.Fatal(err)
			}
			seen := make(map[string]bool, len(l.Rows))
			for i, r := range l.Rows {
				if !strings.HasPrefix(r[lsoa], "E01") || seen[r[lsoa]] {
					t.Fatalf("line %d: LSOA %q not a new English LSOA code", l.Lines[i], r[lsoa])
				}
				seen[r[lsoa]] = true
			}
			var counts []string
			for _, k := range strings.Split(tt.parentKeys, ",") {
				c, err := l.Column(k)
				if err != nil {
					t.Fatal(err)
				}
				distinct := map[string]bool{}
				for _, r := range l.Rows {
					if r[c] == "" {
						t.Fatalf("empty %s", l.Header[c])
					}
					distinct[r[c]] = true
				}
				counts = append(counts, l.Header[c]+" "+strconv.Itoa(len(distinct)))
			}
			t.Logf("%s: %d rows in %v; header %s; distinct %s", tt.file, len(l.Rows), took.Round(time.Millisecond),
				strings.Join(l.Header, ","), strings.Join(counts, ", "))
		})
	}
}

// BenchmarkReadLookup reads the ONS LSOA11 -> CCG21 -> STP21 -> CAL21 -> LAD21 lookup (32,844
// rows, gzipped):
//
//	go test -run XXX -bench ReadLookup -benchmem ./data/
func BenchmarkReadLookup(b *testing.B) {
	path := testenv.SharedData(b, "lookups", "lsoa11-ccg21-stp21-cal21-lad21.csv.gz")
	for b.Loop() {
		l, err := ReadLookupFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(l.Rows)), "rows/op")
	}
}

// gzipBytes returns doc gzipped.
func gzipBytes(tb testing.TB, doc string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(doc)); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
