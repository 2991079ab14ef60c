package directory

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
)

// BatchOptions configures Batch.
type BatchOptions struct {
	// Column is the header of the postcode column; empty picks the first of "postcode",
	// "pcds", "pcd", "post_code", "postal_code" (any case), else the only column.
	Column  string
	Edition Edition
	// Progress, when set, is called every few thousand rows with the rows done so far.
	Progress func(rows int64)
}

// BatchReport counts what Batch did.
type BatchReport struct {
	Edition  Edition `json:"edition"`
	Rows     int     `json:"rows"`
	Answered int     `json:"answered"`
	Errors   int     `json:"errors"`
}

// BatchColumns are the columns Batch appends to every row.
var BatchColumns = []string{"country", "cancer_alliance_code", "cancer_alliance_name", "footprint_code", "footprint_name",
	"nhs_region_code", "nhs_region_name", "match", "error", "cancer_alliance_2024_code", "cancer_alliance_2024_name"}

var postcodeHeaders = []string{"postcode", "pcds", "pcd", "post_code", "postal_code", "pcd2"}

// Batch copies the CSV from r to w, every row in order, with BatchColumns added. A row whose
// postcode cannot be answered keeps its place, with the reason in the error column. Malformed
// CSV stops the batch with an error naming the line.
func (s *Snapshot) Batch(ctx context.Context, r io.Reader, w io.Writer, opt BatchOptions) (BatchReport, error) {
	var rep BatchReport
	info, err := s.Edition(opt.Edition)
	if err != nil {
		return rep, err
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return rep, invalid("empty_csv", "the CSV is empty: it needs a header row with a postcode column")
	}
	if err != nil {
		return rep, csvError(err)
	}
	col, err := postcodeColumn(header, opt.Column)
	if err != nil {
		return rep, err
	}
	cw := csv.NewWriter(w)
	out := make([]string, 0, len(header)+len(BatchColumns))
	out = append(append(out, header...), BatchColumns...)
	if err := cw.Write(out); err != nil {
		return rep, err
	}
	rep.Edition = info.ID
	cr.ReuseRecord = false // a chunk of records is kept while it is answered
	recs := make([][]string, 0, batchChunk)
	added := make([]batchRow, batchChunk)
	for {
		recs = recs[:0]
		var readErr error
		for len(recs) < batchChunk {
			rec, err := cr.Read()
			if err != nil {
				readErr = err
				break
			}
			recs = append(recs, rec)
		}
		s.answerChunk(info, recs, col, added[:len(recs)])
		for i, rec := range recs {
			rep.Rows++
			if added[i][8] == "" {
				rep.Answered++
			} else {
				rep.Errors++
			}
			out = append(append(out[:0], rec...), added[i][:]...)
			if err := cw.Write(out); err != nil {
				return rep, err
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			cw.Flush()
			return rep, csvError(readErr)
		}
		if err := ctx.Err(); err != nil {
			cw.Flush()
			return rep, err
		}
		if opt.Progress != nil {
			opt.Progress(int64(rep.Rows))
		}
	}
	cw.Flush()
	if opt.Progress != nil {
		opt.Progress(int64(rep.Rows))
	}
	return rep, cw.Error()
}

// batchRow is the columns Batch adds to one row (BatchColumns).
type batchRow [11]string

// batchChunk is how many rows Batch reads before answering them, shared among the processors;
// each row's answer is independent of the others, and they are written in order.
const batchChunk = 4096

// answerChunk answers the postcode column of every record into added, in parallel.
func (s *Snapshot) answerChunk(info EditionInfo, recs [][]string, col int, added []batchRow) {
	workers := min(runtime.GOMAXPROCS(0), (len(recs)+255)/256)
	per := (len(recs) + max(workers, 1) - 1) / max(workers, 1)
	var wg sync.WaitGroup
	for lo := 0; lo < len(recs); lo += per {
		hi := min(lo+per, len(recs))
		wg.Go(func() {
			b := batcher{s: s, info: info}
			for i := lo; i < hi; i++ {
				b.row(recs[i][col], &added[i])
			}
		})
	}
	wg.Wait()
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return invalid("malformed_csv", "malformed CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return err
}

func postcodeColumn(header []string, want string) (int, error) {
	norm := func(s string) string { return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))) }
	if want != "" {
		for i, h := range header {
			if norm(h) == norm(want) {
				return i, nil
			}
		}
		return 0, invalid("no_postcode_column", "the CSV has no column %q; its columns are %s", want, strings.Join(header, ", "))
	}
	for _, cand := range postcodeHeaders {
		for i, h := range header {
			if norm(h) == cand {
				return i, nil
			}
		}
	}
	if len(header) == 1 {
		return 0, nil
	}
	return 0, invalid("no_postcode_column", "no postcode column found among %s: name it with --column", strings.Join(header, ", "))
}

type batcher struct {
	s    *Snapshot
	info EditionInfo
	blk  answerBlock // reused: each answer is read into the columns before the next
}

// row answers one postcode as the added columns, through the same path as every other caller
// (Snapshot.resolve): an error or a statement is that path's message. The batch answers full
// postcodes only; an outcode or a sector is refused with a pointer to where it is answered.
func (b *batcher) row(raw string, out *batchRow) {
	c := out[:]
	clear(c)
	pc, err := parsePostcode(raw)
	if err == nil {
		switch k := queryKind(pc); k {
		case QueryOutcode, QuerySector:
			err = invalid("partial_postcode", "%s is %s, not a full postcode: the batch answers full postcodes (ask /api/v1/%ss/%s for its areas and shares)",
				pc.Normalised, map[string]string{QueryOutcode: "an outcode", QuerySector: "a sector"}[k], k, pc.Normalised)
		}
	}
	var res PostcodeResult
	if err == nil {
		res, err = b.s.resolve(pc, b.info, false, &b.blk)
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Message: err.Error()}
		}
		c[8] = e.Message
		return
	}
	ans := res.Full
	if ans.Country != nil {
		c[0] = ans.Country.Name
	}
	for _, m := range ans.Areas {
		switch m.Type {
		case CancerAlliance:
			c[1], c[2], c[7] = m.Code, m.Name, m.Match
			if m.Since2024 != nil {
				c[9], c[10] = m.Since2024.Code, m.Since2024.Name
			}
		case b.info.Footprint():
			c[3], c[4] = m.Code, m.Name
		case NHSRegion:
			c[5], c[6] = m.Code, m.Name
		}
	}
	if c[1] == "" {
		c[8] = ans.Statement
	}
}
