package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/nhs-geo/alliance/directory"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

func runImport(ctx context.Context, args []string, env envLookup, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "Reads every boundary edition, the UK countries and Code-Point Open from the data\ndirectory into a new SQLite file, checks them, and renames it over the database only\nwhen complete: a failed import leaves the previous database as it was.", env, stderr)
	db := fs.dbFlag()
	dataDir := fs.dataFlag()
	skip := fs.Bool("skip-postcodes", "", false, "import the boundaries only")
	sources := fs.String("sources", "ALLIANCE_SOURCES", "", "JSON file listing the editions and their files (default: the built-in list, directory/sources.json)")
	progress := fs.Bool("progress", "", isTerminal(stderr), "show progress bars (default: when standard error is a terminal)")
	if err := fs.parse(args); err != nil {
		return err
	}
	opt := directory.ImportOptions{DataDir: *dataDir, DBPath: *db, SkipPostcodes: *skip}
	if *sources != "" {
		src, err := directory.ReadSources(*sources)
		if err != nil {
			return err
		}
		opt.Sources = &src
	}
	var bars *progressBars
	if *progress {
		bars = newProgressBars(stderr)
		opt.Progress = bars.update
	}
	rep, err := directory.Import(ctx, opt)
	if bars != nil {
		bars.wait(err == nil)
	}
	if err != nil {
		return fmt.Errorf("import failed, %s left as it was: %w", *db, err)
	}
	fmt.Fprintf(stderr, "imported %d layers and %d postcodes (%d located) into %s: %.1f MB in %s\n",
		len(rep.Layers), rep.Postcodes, rep.Located, rep.DBPath, float64(rep.Bytes)/1e6, rep.Duration.Round(10*time.Millisecond))
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBars shows one mpb bar per import stage.
type progressBars struct {
	p    *mpb.Progress
	mu   sync.Mutex
	bars map[string]*mpb.Bar
}

func newProgressBars(w io.Writer) *progressBars {
	return &progressBars{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40)), bars: map[string]*mpb.Bar{}}
}

func (pb *progressBars) update(stage string, done, total int64) {
	pb.mu.Lock()
	defer pb.mu.Unlock()
	b := pb.bars[stage]
	if b == nil {
		counter := decor.CountersNoUnit("%d / %d")
		if stage == "postcodes" {
			counter = decor.Counters(decor.SizeB1024(0), "% .1f / % .1f")
		}
		b = pb.p.AddBar(total,
			mpb.PrependDecorators(decor.Name(stage, decor.WC{W: 12, C: decor.DindentRight}), counter),
			mpb.AppendDecorators(decor.Percentage(decor.WC{W: 5}), decor.Name(" "), decor.Elapsed(decor.ET_STYLE_GO)))
		pb.bars[stage] = b
	}
	b.SetTotal(total, false)
	b.SetCurrent(done)
}

func (pb *progressBars) wait(ok bool) {
	pb.mu.Lock()
	for _, b := range pb.bars {
		if ok {
			b.SetTotal(-1, true)
		} else {
			b.Abort(false)
		}
	}
	pb.mu.Unlock()
	pb.p.Wait()
}
