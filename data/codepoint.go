package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// CodePoint is one row of OS Code-Point Open.
type CodePoint struct {
	Postcode          string // normalised: upper case, single space before the 3-char inward code ("S1 2HE", "SW1A 1AA")
	Quality           int    // positional quality indicator; 90 = no coordinates
	Easting, Northing int    // British National Grid metres (0 when there are no coordinates)
	Country           string // E92000001, W92000004, S92000003
	District          string // Admin_district_code
	Ward              string // Admin_ward_code
	HasLocation       bool   // false for quality 90 (and for a 0,0 grid reference)
	Lon, Lat          float64
}

// QualityNoCoordinates is the Code-Point positional quality indicator of postcodes without
// coordinates.
const QualityNoCoordinates = 90

// Code-Point Open column positions (Doc/Code-Point_Open_Column_Headers.csv).
const (
	cpPostcode = iota
	cpQuality
	cpEasting
	cpNorthing
	cpCountry
	cpRegionalHA
	cpHA
	cpCounty
	cpDistrict
	cpWard
	cpColumns
)

// Option configures ReadCodePointDir.
type Option func(*readOptions)

type readOptions struct {
	progress func(done, total int64)
	workers  int
}

// WithProgress calls fn(done, total) as rows are delivered, with done and total in compressed
// bytes of input. It is called from the goroutine that calls the row callback: at the start
// (done 0), after every batch of rows, and at the end (done == total on success).
func WithProgress(fn func(done, total int64)) Option {
	return func(o *readOptions) { o.progress = fn }
}

// WithWorkers sets how many files are decompressed and parsed at once (default GOMAXPROCS).
func WithWorkers(n int) Option {
	return func(o *readOptions) { o.workers = n }
}

// CodePointFiles lists the Code-Point Open area files of dir in name order: dir/Data/CSV/*.csv.gz,
// or, when dir has no Data/CSV folder, dir/*.csv.gz.
func CodePointFiles(dir string) ([]string, error) {
	csvDir := filepath.Join(dir, "Data", "CSV")
	if st, err := os.Stat(csvDir); err != nil || !st.IsDir() {
		if st, err := os.Stat(dir); err != nil {
			return nil, err
		} else if !st.IsDir() {
			return nil, fmt.Errorf("%s: not a directory", dir)
		}
		csvDir = dir
	}
	files, err := gzFiles(csvDir, "*.csv.gz")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: %w: no Data/CSV/*.csv.gz (is this an OS Code-Point Open folder?)", dir, ErrNoFiles)
	}
	return files, nil
}

// gzFiles lists the regular files in dir matching pattern, sorted by name.
func gzFiles(dir, pattern string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, m := range matches { // Glob sorts
		if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
			files = append(files, m)
		}
	}
	return files, nil
}

// ReadCodePointDir reads every Data/CSV/*.csv.gz under dir (as they are, gzipped, no header)
// and calls fn for each row.
//
// It reads files concurrently (GOMAXPROCS, see WithWorkers) but calls fn from one goroutine;
// rows of a file stay in order; files in name order. A malformed row (wrong number of fields,
// bad number, grid reference outside the National Grid, invalid postcode) stops the read with
// a *RowError naming the file and line, wrapping ErrMalformedRow. An error returned by fn stops
// the read and is returned as it is. Postcodes are normalised ("S1 2HE") and grid references
// converted to WGS84 with OSGBToWGS84.
func ReadCodePointDir(dir string, fn func(CodePoint) error, opts ...Option) error {
	o := readOptions{workers: runtime.GOMAXPROCS(0)}
	for _, opt := range opts {
		opt(&o)
	}
	files, err := CodePointFiles(dir)
	if err != nil {
		return err
	}
	sizes := make([]int64, len(files))
	var total int64
	for i, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return err
		}
		sizes[i] = st.Size()
		total += st.Size()
	}
	if o.workers < 1 {
		o.workers = 1
	}
	o.workers = min(o.workers, len(files))

	chans := make([]chan cpChunk, len(files))
	for i := range chans {
		chans[i] = make(chan cpChunk, 4)
	}
	done := make(chan struct{})
	var next atomic.Int64
	var wg sync.WaitGroup
	for range o.workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				select {
				case <-done:
					close(chans[i])
					continue
				default:
				}
				readCodePointFile(files[i], chans[i], done)
				close(chans[i])
			}
		})
	}
	stop := func() {
		close(done)
		wg.Wait()
	}

	if o.progress != nil {
		o.progress(0, total)
	}
	var base int64
	for i := range files {
		for c := range chans[i] {
			if c.err != nil {
				stop()
				return c.err
			}
			for _, row := range c.rows {
				if err := fn(row); err != nil {
					stop()
					return err
				}
			}
			if o.progress != nil {
				o.progress(base+c.done, total)
			}
		}
		base += sizes[i]
	}
	wg.Wait()
	if o.progress != nil {
		o.progress(total, total)
	}
	return nil
}

// cpChunk is a batch of rows of one file, or the error that ended the file.
type cpChunk struct {
	rows []CodePoint
	done int64 // compressed bytes of the file consumed so far
	err  error
}

const cpChunkRows = 8192

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// readCodePointFile parses one gzipped Code-Point CSV into chunks sent on out, until done is
// closed. The caller closes out.
func readCodePointFile(path string, out chan<- cpChunk, done <-chan struct{}) {
	send := func(c cpChunk) bool {
		select {
		case out <- c:
			return true
		case <-done:
			return false
		}
	}
	fail := func(line int, kind error, cause error, format string, args ...any) {
		send(cpChunk{err: &RowError{File: path, Line: line, Kind: kind, Cause: cause, Reason: fmt.Sprintf(format, args...)}})
	}
	f, err := os.Open(path)
	if err != nil {
		send(cpChunk{err: err})
		return
	}
	defer f.Close()
	cr := &countingReader{r: f}
	zr, err := gzip.NewReader(bufio.NewReaderSize(cr, 64<<10))
	if err != nil {
		fail(0, nil, err, "not a gzip file: %v", err)
		return
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 64<<10)

	p := cpParser{intern: map[string]string{}}
	rows := make([]CodePoint, 0, cpChunkRows)
	pcs := make([]byte, 0, cpChunkRows*9) // the chunk's postcodes, one string for the lot
	var ends []int
	line := 0
	flush := func() bool {
		if len(rows) == 0 {
			return true
		}
		all := string(pcs)
		start := 0
		for i, end := range ends {
			rows[i].Postcode = all[start:end]
			start = end
		}
		ok := send(cpChunk{rows: rows, done: cr.n.Load()})
		rows = make([]CodePoint, 0, cpChunkRows)
		pcs = make([]byte, 0, cpChunkRows*9)
		ends = ends[:0]
		return ok
	}
	for {
		b, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			if flush() {
				fail(line+1, ErrMalformedRow, err, "line too long")
			}
			return
		case err != nil && err != io.EOF:
			// A corrupt or truncated stream: drop the partial line.
			if flush() {
				fail(line+1, nil, err, "reading after line %d: %v (corrupt or truncated gzip file?)", line, err)
			}
			return
		}
		if len(b) > 0 {
			line++
			b = bytes.TrimRight(b, "\r\n")
			if len(bytes.TrimSpace(b)) > 0 { // tolerate blank lines (e.g. at the end)
				row, pc, perr := p.parse(b, pcs)
				if perr != nil {
					if flush() { // deliver the rows before the bad one first
						fail(line, ErrMalformedRow, nil, "%v", perr)
					}
					return
				}
				pcs = pc
				ends = append(ends, len(pcs))
				rows = append(rows, row)
				if len(rows) == cpChunkRows && !flush() {
					return
				}
			}
		}
		if err == io.EOF {
			break
		}
	}
	flush()
}

// cpParser parses Code-Point rows, interning repeated codes.
type cpParser struct {
	fields [cpColumns][]byte
	intern map[string]string
}

func (p *cpParser) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := p.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	p.intern[s] = s
	return s
}

// parse reads one row; it appends the normalised postcode to pcs and returns the new slice.
func (p *cpParser) parse(line []byte, pcs []byte) (CodePoint, []byte, error) {
	var row CodePoint
	n, err := splitCSV(line, p.fields[:])
	if err != nil {
		return row, pcs, err
	}
	if n != cpColumns {
		return row, pcs, fmt.Errorf("expected %d fields, got %d", cpColumns, n)
	}
	pcs, err = appendNormalisedPostcode(pcs, p.fields[cpPostcode])
	if err != nil {
		return row, pcs, err
	}
	var ok bool
	if row.Quality, ok = atoi(p.fields[cpQuality]); !ok {
		return row, pcs, fmt.Errorf("positional quality %q is not a number", p.fields[cpQuality])
	}
	if row.Easting, ok = atoi(p.fields[cpEasting]); !ok || row.Easting > bngMaxEasting {
		return row, pcs, fmt.Errorf("easting %q is not a National Grid easting (0 to %d)", p.fields[cpEasting], bngMaxEasting)
	}
	if row.Northing, ok = atoi(p.fields[cpNorthing]); !ok || row.Northing > bngMaxNorthing {
		return row, pcs, fmt.Errorf("northing %q is not a National Grid northing (0 to %d)", p.fields[cpNorthing], bngMaxNorthing)
	}
	row.Country = p.str(p.fields[cpCountry])
	row.District = p.str(p.fields[cpDistrict])
	row.Ward = p.str(p.fields[cpWard])
	if row.Quality != QualityNoCoordinates && (row.Easting != 0 || row.Northing != 0) {
		row.HasLocation = true
		row.Lon, row.Lat = OSGBToWGS84(float64(row.Easting), float64(row.Northing))
	}
	return row, pcs, nil
}

// appendNormalisedPostcode validates a full postcode and appends its normalised form to dst.
func appendNormalisedPostcode(dst, b []byte) ([]byte, error) {
	var buf [MaxPostcodeInput]byte
	n := 0
	for _, c := range b {
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return dst, fmt.Errorf("postcode %q: unexpected character %q", b, c)
		}
		if n == len(buf) {
			return dst, fmt.Errorf("postcode %q is too long", b)
		}
		buf[n] = c
		n++
	}
	c := buf[:n]
	if n < 5 {
		if n == 0 {
			return dst, errors.New("empty postcode")
		}
		return dst, fmt.Errorf("postcode %q is not a full postcode", b)
	}
	out, in := c[:n-3], c[n-3:]
	if why := checkInward(in); why != "" {
		return dst, fmt.Errorf("postcode %q: %s", b, why)
	}
	if why := checkOutward(out); why != "" && !specialFull[string(c)] && string(out) != nhsPseudoOutward {
		return dst, fmt.Errorf("postcode %q: %s", b, why)
	}
	dst = append(dst, out...)
	dst = append(dst, ' ')
	return append(dst, in...), nil
}

// splitCSV splits one CSV line into fields (RFC 4180 quoting, no embedded newlines). It
// returns the number of fields found; fields beyond len(dst) are counted but not stored.
// Quoted fields with doubled quotes are unescaped into fresh memory.
func splitCSV(line []byte, dst [][]byte) (int, error) {
	n := 0
	i := 0
	for {
		var field []byte
		if i < len(line) && line[i] == '"' {
			j := i + 1
			var esc []byte
			for {
				k := bytes.IndexByte(line[j:], '"')
				if k < 0 {
					return n, fmt.Errorf("field %d: unterminated quote", n+1)
				}
				if j+k+1 < len(line) && line[j+k+1] == '"' { // doubled quote
					esc = append(esc, line[j:j+k+1]...)
					j += k + 2
					continue
				}
				if esc != nil {
					field = append(esc, line[j:j+k]...)
				} else {
					field = line[j : j+k]
				}
				i = j + k + 1
				break
			}
			if i < len(line) && line[i] != ',' {
				return n, fmt.Errorf("field %d: unexpected %q after closing quote", n+1, line[i])
			}
		} else {
			k := bytes.IndexByte(line[i:], ',')
			if k < 0 {
				k = len(line) - i
			}
			field = line[i : i+k]
			if bytes.IndexByte(field, '"') >= 0 {
				return n, fmt.Errorf("field %d: stray quote", n+1)
			}
			i += k
		}
		if n < len(dst) {
			dst[n] = field
		}
		n++
		if i >= len(line) {
			return n, nil
		}
		i++ // the comma
	}
}

// atoi parses a non-negative decimal integer of at most 9 digits (surrounding spaces allowed).
func atoi(b []byte) (int, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}
