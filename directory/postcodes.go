package directory

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// postcodeKey packs a normalised postcode into a sortable integer: the outward code padded with
// spaces to four characters, then the inward code ("S1 2HE" → "S1  2HE"). Every postcode of an
// outcode, and of a sector, then lies in one contiguous run of the sorted table.
type postcodeKey uint64

func makePostcodeKey(outward, inward string) (postcodeKey, bool) {
	if len(outward) == 0 || len(outward) > 4 || len(inward) > 3 {
		return 0, false
	}
	var b [8]byte
	copy(b[:4], "    ")
	copy(b[:], outward)
	copy(b[4:7], "   ")
	copy(b[4:], inward)
	return postcodeKey(binary.BigEndian.Uint64(b[:])), true
}

// keyFor packs a normalised postcode such as "S1 2HE".
func keyFor(postcode string) (postcodeKey, bool) {
	out, in, ok := strings.Cut(postcode, " ")
	if !ok || len(in) != 3 {
		return 0, false
	}
	return makePostcodeKey(out, in)
}

func (k postcodeKey) String() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(k))
	return strings.TrimSpace(string(b[:4])) + " " + strings.TrimRight(string(b[4:7]), " ")
}

// prefixRange is the range of keys [lo, hi] that start with the first n bytes of k.
func prefixRange(k postcodeKey, n int) (lo, hi postcodeKey) {
	shift := uint(64 - 8*n)
	lo = k >> shift << shift
	return lo, lo | (1<<shift - 1)
}

// coordScale stores degrees as int32 in units of 1e-7° (about 1 cm).
const coordScale = 1e7

type postcodeRow struct {
	key      postcodeKey
	lon, lat int32
	quality  uint8
	located  bool
	country  uint16 // index into PostcodeTable.strings
	district uint16
}

// PostcodeRecord is what the data says of one postcode.
type PostcodeRecord struct {
	Postcode string  `json:"postcode"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	Located  bool    `json:"-"` // false for Code-Point rows of quality 90, which have no grid reference
	Quality  int     `json:"quality"`
	Country  string  `json:"country_code"`
	District string  `json:"district_code"`
}

// PostcodeTable holds every postcode in memory, sorted, for lookups in a few hundred
// nanoseconds and scans of an outcode or sector.
type PostcodeTable struct {
	rows    []postcodeRow
	strings []string
}

// Len is the number of postcodes, located or not.
func (t *PostcodeTable) Len() int {
	if t == nil {
		return 0
	}
	return len(t.rows)
}

func (t *PostcodeTable) record(r postcodeRow) PostcodeRecord {
	rec := PostcodeRecord{
		Located:  r.located,
		Quality:  int(r.quality),
		Country:  t.strings[r.country],
		District: t.strings[r.district],
	}
	if r.located {
		rec.Lat = float64(r.lat) / coordScale
		rec.Lon = float64(r.lon) / coordScale
	}
	return rec
}

// find returns the record of a normalised postcode.
func (t *PostcodeTable) find(postcode string) (PostcodeRecord, bool) {
	k, ok := keyFor(postcode)
	if !ok || t == nil {
		return PostcodeRecord{}, false
	}
	i, found := slices.BinarySearchFunc(t.rows, k, func(r postcodeRow, k postcodeKey) int {
		return cmpKey(r.key, k)
	})
	if !found {
		return PostcodeRecord{}, false
	}
	rec := t.record(t.rows[i])
	rec.Postcode = postcode // the same text, without building it again from the key
	return rec, true
}

func cmpKey(a, b postcodeKey) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// prefix returns the rows of every postcode whose key starts with the first n bytes of k.
func (t *PostcodeTable) prefix(k postcodeKey, n int) []postcodeRow {
	if t == nil {
		return nil
	}
	lo, hi := prefixRange(k, n)
	i := sort.Search(len(t.rows), func(i int) bool { return t.rows[i].key >= lo })
	j := sort.Search(len(t.rows), func(i int) bool { return t.rows[i].key > hi })
	return t.rows[i:j]
}

// postcodeBlock encodes the postcodes of one postcode area for the postcode_blocks table:
// a string table (countries and districts) then fixed-size rows, little-endian.
type postcodeBlockWriter struct {
	strings []string
	index   map[string]uint16
	rows    []postcodeRow
}

func (w *postcodeBlockWriter) intern(s string) uint16 {
	if i, ok := w.index[s]; ok {
		return i
	}
	if w.index == nil {
		w.index = map[string]uint16{}
	}
	i := uint16(len(w.strings))
	w.strings = append(w.strings, s)
	w.index[s] = i
	return i
}

func (w *postcodeBlockWriter) add(rec PostcodeRecord) error {
	k, ok := keyFor(rec.Postcode)
	if !ok {
		return fmt.Errorf("postcode %q cannot be packed", rec.Postcode)
	}
	if len(w.strings) >= math.MaxUint16-2 {
		return fmt.Errorf("too many distinct districts in one postcode area")
	}
	r := postcodeRow{key: k, quality: uint8(rec.Quality), located: rec.Located,
		country: w.intern(rec.Country), district: w.intern(rec.District)}
	if rec.Located {
		r.lon = int32(math.Round(rec.Lon * coordScale))
		r.lat = int32(math.Round(rec.Lat * coordScale))
	}
	w.rows = append(w.rows, r)
	return nil
}

const postcodeRowBytes = 8 + 4 + 4 + 1 + 1 + 2 + 2

func (w *postcodeBlockWriter) encode() []byte {
	slices.SortFunc(w.rows, func(a, b postcodeRow) int { return cmpKey(a.key, b.key) })
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(w.strings)))
	for _, s := range w.strings {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(w.rows)))
	for _, r := range w.rows {
		b = binary.LittleEndian.AppendUint64(b, uint64(r.key))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.lon))
		b = binary.LittleEndian.AppendUint32(b, uint32(r.lat))
		b = append(b, r.quality, boolByte(r.located))
		b = binary.LittleEndian.AppendUint16(b, r.country)
		b = binary.LittleEndian.AppendUint16(b, r.district)
	}
	return b
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// encodedBlock is one row of postcode_blocks, as read.
type encodedBlock struct {
	area string
	rows int
	data []byte
}

var errCorruptBlock = fmt.Errorf("corrupt postcode block")

// decodeBlocks builds the table from the blocks: first each block's string table, in order,
// into one shared list; then the rows of every block, in parallel, each into its own place.
// Blocks come in area order, which is key order, so the result is sorted.
func decodeBlocks(blocks []encodedBlock) (*PostcodeTable, error) {
	t := &PostcodeTable{}
	index := map[string]uint16{}
	locals := make([][]uint16, len(blocks))
	bodies := make([][]byte, len(blocks))
	offsets := make([]int, len(blocks)+1)
	for bi, blk := range blocks {
		b := blk.data
		n, k := binary.Uvarint(b)
		if k <= 0 || n > math.MaxUint16 {
			return nil, fmt.Errorf("block %s: %w", blk.area, errCorruptBlock)
		}
		b = b[k:]
		locals[bi] = make([]uint16, n)
		for i := range locals[bi] {
			l, k := binary.Uvarint(b)
			if k <= 0 || uint64(len(b)-k) < l {
				return nil, fmt.Errorf("block %s: %w", blk.area, errCorruptBlock)
			}
			s := string(b[k : k+int(l)])
			b = b[k+int(l):]
			g, ok := index[s]
			if !ok {
				if len(t.strings) >= math.MaxUint16 {
					return nil, fmt.Errorf("block %s: %w", blk.area, errCorruptBlock)
				}
				g = uint16(len(t.strings))
				t.strings = append(t.strings, s)
				index[s] = g
			}
			locals[bi][i] = g
		}
		rows, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) != rows*postcodeRowBytes || int(rows) != blk.rows {
			return nil, fmt.Errorf("block %s: %w", blk.area, errCorruptBlock)
		}
		bodies[bi] = b[k:]
		offsets[bi+1] = offsets[bi] + int(rows)
	}
	t.rows = make([]postcodeRow, offsets[len(blocks)])
	errs := make([]error, len(blocks))
	var wg sync.WaitGroup
	next := make(chan int, len(blocks))
	for bi := range blocks {
		next <- bi
	}
	close(next)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for bi := range next {
				errs[bi] = decodeRows(bodies[bi], locals[bi], t.rows[offsets[bi]:offsets[bi+1]])
			}
		}()
	}
	wg.Wait()
	for bi, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", blocks[bi].area, err)
		}
	}
	if !slices.IsSortedFunc(t.rows, func(a, b postcodeRow) int { return cmpKey(a.key, b.key) }) {
		slices.SortFunc(t.rows, func(a, b postcodeRow) int { return cmpKey(a.key, b.key) })
	}
	return t, nil
}

func decodeRows(b []byte, local []uint16, out []postcodeRow) error {
	for i := range out {
		c, d := binary.LittleEndian.Uint16(b[18:]), binary.LittleEndian.Uint16(b[20:])
		if int(c) >= len(local) || int(d) >= len(local) {
			return errCorruptBlock
		}
		out[i] = postcodeRow{
			key:      postcodeKey(binary.LittleEndian.Uint64(b)),
			lon:      int32(binary.LittleEndian.Uint32(b[8:])),
			lat:      int32(binary.LittleEndian.Uint32(b[12:])),
			quality:  b[16],
			located:  b[17] == 1,
			country:  local[c],
			district: local[d],
		}
		b = b[postcodeRowBytes:]
	}
	return nil
}
