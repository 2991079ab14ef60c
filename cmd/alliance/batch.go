package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nhs-geo/alliance/directory"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

func runBatch(ctx context.Context, args []string, env envLookup, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("batch", "Reads a CSV with a header row and a postcode column and writes every row, in order,\nwith columns added: "+fmt.Sprint(directory.BatchColumns)+".\nRows that cannot be answered keep their place, with the reason in the error column.", env, stderr)
	db := fs.dbFlag()
	in := fs.String("in", "", "-", "input CSV file; - for standard input")
	out := fs.String("out", "", "-", "output CSV file; - for standard output")
	column := fs.String("column", "", "", "name of the postcode column (default: postcode, pcds, pcd, post_code or postal_code, any case)")
	edition := fs.String("edition", "ALLIANCE_EDITION", "", "edition, as `GET /api/v1/editions` lists them (default: the newest)")
	progress := fs.Bool("progress", "", isTerminal(stderr), "show a progress bar (default: when standard error is a terminal)")
	if err := fs.parse(args); err != nil {
		return err
	}
	snap, err := directory.Open(ctx, *db, directory.DefaultOptions)
	if err != nil {
		return err
	}
	var r io.Reader = stdin
	var size int64
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		r = f
	}
	counted := &countingReader{r: bufio.NewReaderSize(r, 1<<20)}
	var w io.Writer = stdout
	var outFile *os.File
	if *out != "-" {
		// Write beside the target and rename at the end: a failed batch leaves no half file.
		outFile, err = os.CreateTemp(filepath.Dir(*out), filepath.Base(*out)+".tmp-*")
		if err != nil {
			return err
		}
		defer os.Remove(outFile.Name())
		defer outFile.Close()
		w = outFile
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	opt := directory.BatchOptions{Column: *column, Edition: directory.Edition(*edition)}
	var p *mpb.Progress
	if *progress {
		p = mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(40))
		total := size
		if total == 0 {
			total = -1
		}
		bar := p.AddBar(total, mpb.PrependDecorators(decor.Name("batch", decor.WC{W: 7}), decor.Counters(decor.SizeB1024(0), "% .1f / % .1f")),
			mpb.AppendDecorators(decor.Percentage(decor.WC{W: 5}), decor.Name(" "), decor.AverageSpeed(decor.SizeB1024(0), "% .1f")))
		opt.Progress = func(int64) { bar.SetCurrent(counted.n) }
		defer func() { bar.SetTotal(-1, true); p.Wait() }()
	}
	rep, err := snap.Batch(ctx, counted, bw, opt)
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			return err
		}
		if err := os.Rename(outFile.Name(), *out); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "batch: %d rows, %d answered, %d with an error (edition %s)\n", rep.Rows, rep.Answered, rep.Errors, directory.Edition(*edition))
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
