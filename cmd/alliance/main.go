// Command alliance imports the NHS boundary and postcode data into SQLite, answers lookups from
// the command line and serves the HTTP API and map page.
//
//	alliance import   build the database from the data directory
//	alliance serve    serve the API and the map page
//	alliance lookup   answer one point or postcode, as JSON
//	alliance batch    add alliance and footprint columns to a CSV of postcodes
//	alliance quality  write the data-quality report of the organisation data
//	alliance version  print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "alliance:", err)
		}
		var ue usageError
		if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `alliance: which NHS Cancer Alliance and Integrated Care System covers a place in England

Usage:
  alliance import  [flags]   build the SQLite database from the data directory
  alliance serve   [flags]   serve the JSON API and the map page
  alliance lookup  [flags]   look up --lat/--lon or --postcode and print JSON
  alliance batch   [flags]   add alliance and footprint columns to a CSV of postcodes
  alliance quality [flags]   write the data-quality report of the organisation data (Markdown)
  alliance version           print the version

Run 'alliance COMMAND -h' for the flags of a command.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	env := osEnv{}
	switch args[0] {
	case "import":
		return runImport(ctx, args[1:], env, stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], env, stderr)
	case "lookup":
		return runLookup(ctx, args[1:], env, stdin, stdout, stderr)
	case "batch":
		return runBatch(ctx, args[1:], env, stdin, stdout, stderr)
	case "quality":
		return runQuality(ctx, args[1:], env, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "alliance", version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}
