//go:build !(js && wasm)

// main_test.go — what the package's tests share, made once a run: the
// skirmish binary, the WebAssembly client (or the one the Makefile built,
// named by SKIRMISH_CLIENT_DIST), and one headless Chromium, in which each
// test's tabs get a browser context of their own (newBrowser); gameTab,
// the opening most tests share.

package browsertest

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

	"github.com/chromedp/chromedp"
)

// clientDistEnv names a directory that holds a client built with the
// Makefile's recipe (`make client`: skirmish.wasm, its gzip, index.html and
// wasm_exec.js). `make test` sets it to the client/dist it has just built;
// without it the package builds its own.
const clientDistEnv = "SKIRMISH_CLIENT_DIST"

// workDir is the run's temporary directory: the builds and Chromium's
// profile. TestMain removes it.
var workDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "browsertest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workDir = dir
	code := m.Run()
	stopBrowser()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// gameTab is the opening most tests share: `skirmish serve` with flags
// (startServer) and a tab in a browser context of the test's own
// (gameBrowser), not yet opened on a page.
func gameTab(t *testing.T, limit time.Duration, flags ...string) (base string, ctx, tab context.Context) {
	t.Helper()
	base, ctx, browser := gameBrowser(t, limit, flags...)
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	return base, ctx, tab
}

// gameBrowser starts `skirmish serve` with flags and returns its base URL,
// a context that ends after limit or with the test, and a browser context
// of the test's own to make tabs from (newBrowser), whose tabs close when
// that context ends.
func gameBrowser(t *testing.T, limit time.Duration, flags ...string) (base string, ctx, browser context.Context) {
	t.Helper()
	chromium := findChromium(t)
	base = startServer(t, repoRoot(t), flags...)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return base, ctx, newBrowser(t, ctx, chromium)
}

// once is a build made by the first test that needs it; a failed build
// fails that test and every later one.
type once struct {
	sync.Once
	path string
	err  error
}

var builtBinary, builtClient once

// serverBinary returns the path of cmd/skirmish, built once.
func serverBinary(t *testing.T, root string) string {
	t.Helper()
	builtBinary.Do(func() {
		builtBinary.path = filepath.Join(workDir, "skirmish")
		builtBinary.err = run(root, "go", "build", "-o", builtBinary.path, "./cmd/skirmish")
	})
	if builtBinary.err != nil {
		t.Fatal(builtBinary.err)
	}
	return builtBinary.path
}

// clientDist returns the directory of the WebAssembly client: the one that
// clientDistEnv names, or one built once with the Makefile's recipe.
func clientDist(t *testing.T, root string) string {
	t.Helper()
	builtClient.Do(func() {
		if dist := os.Getenv(clientDistEnv); dist != "" {
			builtClient.path = dist
			for _, name := range []string{"skirmish.wasm", "skirmish.wasm.gz", "index.html", "wasm_exec.js"} {
				if _, err := os.Stat(filepath.Join(dist, name)); err != nil {
					builtClient.err = fmt.Errorf("%s=%s: %w (make client builds it)", clientDistEnv, dist, err)
					return
				}
			}
			return
		}
		builtClient.path = filepath.Join(workDir, "dist")
		builtClient.err = run(root, "make", "-s", "client", "CLIENT_DIST="+builtClient.path)
	})
	if builtClient.err != nil {
		t.Fatal(builtClient.err)
	}
	return builtClient.path
}

// run runs a build command in dir.
func run(dir, name string, args ...string) error {
	c := exec.Command(name, args...)
	c.Dir = dir
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// browser is the Chromium the tests share: a chromedp context whose first
// Run started it, and what stops it.
var browser struct {
	mu   sync.Mutex
	ctx  context.Context
	stop func()
}

// sharedBrowser returns the shared Chromium's context, starting it (again,
// if it died) with the flags that work here.
func sharedBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	browser.mu.Lock()
	defer browser.mu.Unlock()
	if browser.ctx != nil && browser.ctx.Err() == nil {
		return browser.ctx
	}
	if browser.stop != nil {
		browser.stop()
	}
	profile, err := os.MkdirTemp(workDir, "chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(viewW, viewH),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	browser.ctx, browser.stop = ctx, func() { cancel(); cancelAlloc() }
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// stopBrowser stops the shared Chromium, if one started.
func stopBrowser() {
	browser.mu.Lock()
	defer browser.mu.Unlock()
	if browser.stop != nil {
		browser.stop()
	}
}
