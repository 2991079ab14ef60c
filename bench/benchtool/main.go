// Command benchtool does the measuring and the reporting for bench/run.sh (`make bench`):
//
//	benchtool points    -db DB -out DIR SET...    this service's index in-process, a CSV pass, orb's naive test
//	benchtool http      -addr A -out DIR SET...   the same points over HTTP, one connection
//	benchtool coldstart -bin B -db DB -runs N     process start to /readyz answering, and VmRSS
//	benchtool wait      -url U                    until U answers 200 (bounded)
//	benchtool freeport                            a free TCP port on 127.0.0.1
//	benchtool report    -dir DIR -o FILE          docs/benchmarks.md from everything in DIR
//
// A SET is name=path to one of the shared point files (gzipped CSV, id,lon,lat[,…]). Every
// timing and every answer goes to files in DIR so that the report compares them in one place.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	cmds := map[string]func([]string) error{
		"points":    cmdPoints,
		"http":      cmdHTTP,
		"coldstart": cmdColdStart,
		"wait":      cmdWait,
		"freeport":  cmdFreePort,
		"report":    cmdReport,
	}
	cmd, ok := cmds[os.Args[1]]
	if !ok {
		usage()
	}
	if err := cmd(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "benchtool %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchtool points|http|coldstart|wait|freeport|report [flags] (see bench/benchtool/main.go)")
	os.Exit(2)
}
