package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// osEnv reads environment variables; tests pass a map instead.
type osEnv struct{}

func (osEnv) Lookup(k string) (string, bool) { return os.LookupEnv(k) }

type envLookup interface {
	Lookup(string) (string, bool)
}

// flagSet is a flag.FlagSet whose flags fall back to environment variables, named in -h.
type flagSet struct {
	*flag.FlagSet
	env  envLookup
	errs []error
}

func newFlagSet(name, summary string, env envLookup, stderr io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), env: env}
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: alliance %s [flags]\n\n%s\n\nFlags (each falls back to the environment variable shown):\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

func (fs *flagSet) envOr(key, def string) string {
	if v, ok := fs.env.Lookup(key); ok && v != "" {
		return v
	}
	return def
}

func envHelp(key, help string) string {
	if key == "" {
		return help
	}
	return help + " (env " + key + ")"
}

func (fs *flagSet) String(name, key, def, help string) *string {
	return fs.FlagSet.String(name, fs.envOr(key, def), envHelp(key, help))
}

func (fs *flagSet) Float(name, key string, def float64, help string) *float64 {
	v := def
	if s := fs.envOr(key, ""); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Errorf("%s=%q: not a number", key, s))
		}
		v = f
	}
	return fs.FlagSet.Float64(name, v, envHelp(key, help))
}

func (fs *flagSet) Int(name, key string, def int, help string) *int {
	v := def
	if s := fs.envOr(key, ""); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Errorf("%s=%q: not a whole number", key, s))
		}
		v = n
	}
	return fs.FlagSet.Int(name, v, envHelp(key, help))
}

func (fs *flagSet) Duration(name, key string, def time.Duration, help string) *time.Duration {
	v := def
	if s := fs.envOr(key, ""); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Errorf("%s=%q: not a duration such as 30s", key, s))
		}
		v = d
	}
	return fs.FlagSet.Duration(name, v, envHelp(key, help))
}

func (fs *flagSet) Bool(name, key string, def bool, help string) *bool {
	v := def
	if s := fs.envOr(key, ""); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Errorf("%s=%q: not true or false", key, s))
		}
		v = b
	}
	return fs.FlagSet.Bool(name, v, envHelp(key, help))
}

// parse parses args and reports bad environment values and stray arguments as usage errors.
func (fs *flagSet) parse(args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if len(fs.errs) > 0 {
		return usageError{fs.errs[0].Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (flags go before it? see 'alliance %s -h')", strings.Join(fs.Args(), " "), fs.Name())}
	}
	return nil
}

// Common flags.
const (
	defaultDB   = "var/alliance.db"
	defaultData = "../shared/data"
)

func (fs *flagSet) dbFlag() *string {
	return fs.String("db", "ALLIANCE_DB", defaultDB, "SQLite database file")
}

func (fs *flagSet) dataFlag() *string {
	return fs.String("data", "ALLIANCE_DATA", defaultData, "data directory (boundaries, postcodes; see README)")
}
