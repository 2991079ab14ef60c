package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// browser starts Debian's chromium headless with the flags this project requires, and
// records every request the page makes and every console message.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	console  []string
	shots    string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is not installed: .ci/run installs it (apt-get install chromium)")
		}
		t.Skip("chromium not installed (apt-get install chromium); the browser tests run in CI")
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(alloc)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel3)
	b := &browser{ctx: ctx, shots: filepath.Join("..", "..", "test-output", "browser")}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == "error" || m.IsException() || m.Type == "warning" {
				b.mu.Lock()
				b.console = append(b.console, m.String())
				b.mu.Unlock()
			}
		}
	}()
	if err := chromedp.Listen(ctx, func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.requests = append(b.requests, r.Request.URL)
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) do(t *testing.T, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	// Let the map settle: no zoom animation running, no layer still loading.
	settled := `!window.allianceMap || (!allianceMap._animatingZoom && !allianceMap.pendingLayers)`
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](settled, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Logf("screenshot %s: the map did not settle: %v", name, err)
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// answerShows waits until the answer panel's text contains want.
func (b *browser) answerShows(t *testing.T, step, want string) {
	t.Helper()
	js := fmt.Sprintf(`document.getElementById('answer').textContent.includes(%q)`, want)
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById('answer').textContent`))
		t.Fatalf("%s: the answer never showed %q; it shows %q (%v)", step, want, text, err)
	}
}

func (b *browser) eval(t *testing.T, js string) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](js)); err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
}

// TestMapPageInBrowser drives the map page as a person would, in headless Chromium against the
// real server: postcode search, a click on the map, the keyboard alone, an edition change, a
// Welsh postcode, phone width; no request leaves the server and the console stays clean.
func TestMapPageInBrowser(t *testing.T) {
	b := newBrowser(t)
	bin, db := setup(t)
	s := startServer(t, bin, db)
	layersDrawn := chromedp.Poll[bool](`document.querySelectorAll('#map svg path').length > 20`, chromedp.WithPollingTimeout(20*time.Second))

	t.Run("postcode search", func(t *testing.T) {
		b.do(t, "open", chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS("#postcode")))
		if _, err := chromedp.Run(b.ctx, layersDrawn); err != nil {
			t.Fatalf("the alliances were never drawn: %v", err)
		}
		b.screenshot(t, "1-start-desktop")
		// Everything the first view loaded, as sent over the wire (gzip where it applies).
		size, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce(function (a, e) { return a + e.transferSize; }, 0)`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("first load transferred %.0f KB", size/1024)
		if size > 500*1024 || size < 10*1024 {
			t.Errorf("first load transferred %.0f KB; the budget is 500 KB", size/1024)
		}
		start := time.Now()
		b.do(t, "search", chromedp.SendKeys(chromedp.CSS("#postcode"), "s1 2he"), chromedp.Click(chromedp.CSS("#search button[type=submit]")))
		b.answerShows(t, "S1 2HE", "South Yorkshire and Bassetlaw")
		t.Logf("answer shown %v after the search was submitted", time.Since(start).Round(time.Millisecond))
		b.answerShows(t, "S1 2HE", "NHS South Yorkshire Integrated Care Board")
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		if !strings.Contains(loc, "postcode=s1+2he") && !strings.Contains(loc, "postcode=s1%202he") {
			t.Errorf("the address bar does not keep the postcode: %s", loc)
		}
		b.screenshot(t, "2-postcode-S1-2HE")
		// The shared link survives a reload.
		b.do(t, "reload", chromedp.Reload())
		b.answerShows(t, "reload", "South Yorkshire and Bassetlaw")
	})

	t.Run("click on the map", func(t *testing.T) {
		b.do(t, "open", chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS("#map")))
		if _, err := chromedp.Run(b.ctx, layersDrawn); err != nil {
			t.Fatal(err)
		}
		b.eval(t, `allianceMap.setView([53.38, -1.47], 9, {animate: false}); true`)
		xy, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`(function () {
			var p = allianceMap.latLngToContainerPoint([53.38, -1.47]);
			var r = document.getElementById('map').getBoundingClientRect();
			return [r.left + p.x, r.top + p.y];
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		b.do(t, "click", chromedp.MouseClickXY(xy[0], xy[1]))
		b.answerShows(t, "click on Sheffield", "South Yorkshire and Bassetlaw")
		b.screenshot(t, "3-click-Sheffield")
	})

	t.Run("keyboard only", func(t *testing.T) {
		b.do(t, "open", chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS("#postcode")))
		focused := ""
		for i := 0; i < 12 && focused != "postcode"; i++ {
			b.do(t, "tab", chromedp.KeyEvent("\t"))
			focused, _ = chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		}
		if focused != "postcode" {
			t.Fatalf("Tab never reached the postcode box (focus on %q)", focused)
		}
		b.do(t, "type", chromedp.KeyEvent("LS1 1UR"), chromedp.KeyEvent("\r"))
		b.answerShows(t, "LS1 1UR by keyboard", "West Yorkshire and Harrogate")
		live, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById('answer').getAttribute('aria-live')`))
		if live != "polite" {
			t.Errorf("the answer is not announced: aria-live=%q", live)
		}
		b.screenshot(t, "4-keyboard-LS1-1UR")
	})

	t.Run("edition change moves Chesterfield", func(t *testing.T) {
		b.do(t, "open", chromedp.Navigate(s.base+"/?lat=53.235&lon=-1.421&edition=2017"))
		b.answerShows(t, "Chesterfield 2017", "South Yorkshire, Bassetlaw, North Derbyshire and Hardwick")
		b.screenshot(t, "5-Chesterfield-2017")
		b.eval(t, `var e = document.getElementById('edition'); e.value = '2021'; e.dispatchEvent(new Event('change')); true`)
		b.answerShows(t, "Chesterfield 2021", "East Midlands")
		b.screenshot(t, "6-Chesterfield-2021")
	})

	t.Run("location refused", func(t *testing.T) {
		b.do(t, "open", chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS("#locate")))
		// As a browser does when the user says no.
		b.eval(t, `navigator.geolocation.getCurrentPosition = function (ok, fail) { fail({code: 1, message: 'User denied Geolocation'}); }; true`)
		b.do(t, "locate", chromedp.Click(chromedp.CSS("#locate")))
		b.answerShows(t, "refused", "did not allow this page to use your location")
	})

	t.Run("Welsh postcode", func(t *testing.T) {
		b.do(t, "open", chromedp.Navigate(s.base+"/?postcode=CF10%201AA"))
		b.answerShows(t, "CF10 1AA", "England only")
		b.screenshot(t, "7-Wales-CF10-1AA")
	})

	t.Run("phone width", func(t *testing.T) {
		b.do(t, "phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2)), chromedp.Navigate(s.base+"/?postcode=S18%201"))
		b.answerShows(t, "S18 1 on a phone", "East Midlands")
		wide, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if wide {
			t.Error("the page scrolls sideways at 375 px")
		}
		b.screenshot(t, "8-phone-S18-1")
		b.do(t, "320", chromedp.EmulateViewport(320, 640), chromedp.Reload())
		b.answerShows(t, "S18 1 at 320 px", "East Midlands")
		wide, _ = chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if wide {
			t.Error("the page scrolls sideways at 320 px")
		}
	})

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.requests {
		if !strings.HasPrefix(u, s.base+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s, outside the server", u)
		}
	}
	if len(b.requests) < 10 {
		t.Errorf("only %d requests recorded: is the network listener working?", len(b.requests))
	}
	for _, m := range b.console {
		t.Errorf("console: %s", m)
	}
}

// TestMapPageWhenTilesFail serves the map with a tile server that does not answer: the page
// draws its own outlines and answers as before.
func TestMapPageWhenTilesFail(t *testing.T) {
	b := newBrowser(t)
	bin, db := setup(t)
	s := startServer(t, bin, db, "--tiles-url", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--tiles-attribution", "nowhere")
	b.do(t, "open", chromedp.Navigate(s.base+"/?postcode=M1%201AE"))
	b.answerShows(t, "M1 1AE with failing tiles", "Greater Manchester")
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelectorAll('#map svg path').length > 20`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("no outlines drawn without tiles: %v", err)
	}
	b.screenshot(t, "9-tiles-failing")
}
