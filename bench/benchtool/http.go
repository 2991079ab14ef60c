package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cmdHTTP asks a running server for every point of every set, one request after another on
// one kept-alive connection, edition 2021 (for cal21) and 2023 (for icb23 and sicbl23: one
// request answers both), and writes the answers and the mean round trip per request.
func cmdHTTP(args []string) error {
	fs := flag.NewFlagSet("http", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "the server")
	out := fs.String("out", ".", "folder for answers and times.txt")
	fs.Parse(args)
	sets, err := parseSets(fs.Args())
	if err != nil {
		return err
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1, DisableCompression: true},
	}
	editions := []struct {
		id     string
		layers map[string]string // area type in the answer → bench layer name
	}{
		{"2021", map[string]string{"cancer-alliance": "cal21"}},
		{"2023", map[string]string{"icb": "icb23", "sub-icb": "sicbl23"}},
	}
	type answer struct {
		Areas []struct{ Code, Type, Match string }
	}
	for _, s := range sets {
		for _, ed := range editions {
			files := map[string]*strings.Builder{}
			for _, name := range ed.layers {
				files[name] = &strings.Builder{}
			}
			var total time.Duration
			statuses := map[int]int{}
			for i, p := range s.Text {
				url := "http://" + *addr + "/api/v1/lookup?lat=" + p[0] + "&lon=" + p[1] + "&edition=" + ed.id
				start := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					return err
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				total += time.Since(start)
				if err != nil {
					return err
				}
				statuses[resp.StatusCode]++
				var a answer
				if resp.StatusCode == http.StatusOK {
					if err := json.Unmarshal(body, &a); err != nil {
						return fmt.Errorf("%s: %v", url, err)
					}
				} else if resp.StatusCode != http.StatusNotFound {
					return fmt.Errorf("%s: %d %s", url, resp.StatusCode, body)
				}
				got := map[string][2]string{}
				for _, m := range a.Areas {
					if name, ok := ed.layers[m.Type]; ok {
						got[name] = [2]string{m.Code, m.Match}
					}
				}
				for name, b := range files {
					fmt.Fprintf(b, "%s,%s,%s\n", s.IDs[i], got[name][0], got[name][1])
				}
			}
			for name, b := range files {
				if err := os.WriteFile(filepath.Join(*out, fmt.Sprintf("http_%s_%s.csv", s.Name, name)), []byte(b.String()), 0o644); err != nil {
					return err
				}
				if err := appendTime(*out, "http", s.Name, name, usPer(total, len(s.Text))); err != nil {
					return err
				}
			}
			fmt.Fprintf(os.Stderr, "  %s edition %s: %d requests, statuses %v\n", s.Name, ed.id, len(s.Text), statuses)
		}
	}
	return nil
}

// cmdColdStart starts `alliance serve` runs times on an existing database and measures the
// time from the process's start to /readyz answering 200, and its VmRSS then.
func cmdColdStart(args []string) error {
	fs := flag.NewFlagSet("coldstart", flag.ExitOnError)
	bin := fs.String("bin", "bin/alliance", "the alliance binary")
	db := fs.String("db", "var/alliance.db", "an imported database")
	runs := fs.Int("runs", 5, "starts; the median counts")
	out := fs.String("out", ".", "folder for coldstart.txt")
	logf := fs.String("log", os.DevNull, "the servers' stderr")
	fs.Parse(args)
	var ms []float64
	var rss []int
	for range *runs {
		port, err := freePort()
		if err != nil {
			return err
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		logFile, err := os.OpenFile(*logf, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		cmd := exec.Command(*bin, "serve", "--addr", addr, "--db", *db)
		cmd.Stdout, cmd.Stderr = logFile, logFile
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		werr := waitReady("http://"+addr+"/readyz", 60*time.Second)
		took := time.Since(start)
		r, _ := vmRSS(cmd.Process.Pid)
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logFile.Close()
		if werr != nil {
			return werr
		}
		ms = append(ms, float64(took.Microseconds())/1e3)
		rss = append(rss, r)
	}
	slices.Sort(ms)
	slices.Sort(rss)
	f, err := os.Create(filepath.Join(*out, "coldstart.txt"))
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "coldstart_ms_median %.1f\ncoldstart_ms_min %.1f\ncoldstart_ms_max %.1f\ncoldstart_runs %d\nrss_ready_kb %d\n",
		ms[len(ms)/2], ms[0], ms[len(ms)-1], len(ms), rss[len(rss)/2])
	return f.Close()
}

func waitReady(url string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer 200 within %v", url, limit)
		case <-time.After(time.Millisecond):
		}
	}
}

func vmRSS(pid int) (kb int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, errors.New("no VmRSS")
}

func cmdWait(args []string) error {
	fs := flag.NewFlagSet("wait", flag.ExitOnError)
	url := fs.String("url", "", "URL that must answer 200")
	limit := fs.Duration("timeout", 60*time.Second, "give up after")
	fs.Parse(args)
	return waitReady(*url, *limit)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func cmdFreePort([]string) error {
	p, err := freePort()
	if err != nil {
		return err
	}
	fmt.Println(p)
	return nil
}
