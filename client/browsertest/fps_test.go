//go:build !(js && wasm)

// fps_test.go — the game's frame rate against Ebiten's own floor, in one
// headless Chromium: an empty Ebiten program at the game's size
// (testdata/empty), then the game with seven fighting bots in the room,
// then the empty program again. Each page's frames are counted over the
// same span with requestAnimationFrame; the ratio is the game's over the
// mean of the two empty runs (the README's contributor section has it).
// The floor is measured on both sides of the game because the machine's
// load moves it; only one page runs at a time.

package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"skirmish/bots"
)

// fpsSpan is how long each page's frames are counted.
const fpsSpan = 3 * time.Second

// countFPS is the page's frames a second over fpsSpan, counted in
// requestAnimationFrame (the callbacks the page's own frames run in).
const countFPS = `new Promise(done => {
	let n = 0, t0 = 0;
	const f = t => { if (n++ === 0) t0 = t; if (t - t0 < %d) requestAnimationFrame(f); else done((n - 1) * 1000 / (t - t0)); };
	requestAnimationFrame(f);
})`

func TestBrowserFrameRate(t *testing.T) {
	chromium := findChromium(t)
	root := repoRoot(t)
	base := startServer(t, root)
	empty := serveEmpty(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	alloc := newBrowser(t, ctx, chromium)

	floor, cancelFloor := chromedp.NewContext(alloc)
	defer cancelFloor()
	if err := chromedp.Do(floor, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate(empty+"/")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(floor, chromedp.Poll[bool](`window.emptyReady === true`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the empty program never drew: %v", err)
	}
	empty1 := pageFPS(t, floor)

	game, cancelGame := chromedp.NewContext(floor)
	joinGame(t, game, base, "Ada", "playButton", "")
	room := evalString(t, game, `window.skirmish.room`)
	for i := range 7 {
		b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: fmt.Sprintf("fighter%d", i), Behavior: bots.Fight()})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		go b.Run(ctx)
		if got := b.Assignment().Room; got != room {
			t.Fatalf("bot %d landed in room %q, the player is in %q", i, got, room)
		}
	}
	if _, err := chromedp.Run(game, chromedp.Poll[bool](`window.skirmish.players.length >= 8`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the page never showed the seven bots: %v", err)
	}
	gameFPS := pageFPS(t, game)
	out := filepath.Join(root, "test-output", "browser")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	screenshot(t, game, filepath.Join(out, "frame-rate.png"))
	cancelGame()

	empty2 := pageFPS(t, floor)
	ratio := gameFPS / ((empty1 + empty2) / 2)
	t.Logf("frame rate at %d×%d, 8 players: game %.1f fps, empty Ebiten %.1f and %.1f fps: ratio %.2f", viewW, viewH, gameFPS, empty1, empty2, ratio)
	if gameFPS <= 0 || empty1 <= 0 || empty2 <= 0 {
		t.Fatalf("a page drew no frames: game %.1f fps, empty %.1f and %.1f", gameFPS, empty1, empty2)
	}
}

// pageFPS counts the tab's frames over fpsSpan.
func pageFPS(t *testing.T, tab context.Context) float64 {
	t.Helper()
	fps, err := chromedp.Run(tab, chromedp.Evaluate[float64](fmt.Sprintf(countFPS, fpsSpan.Milliseconds()), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("count frames: %v", err)
	}
	return fps
}

// serveEmpty builds testdata/empty to WebAssembly and serves it with its
// page and wasm_exec.js on a loopback port.
func serveEmpty(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "empty.wasm"), "./client/browsertest/testdata/empty")
	build.Dir, build.Env = root, append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the empty program: %v\n%s", err, out)
	}
	for src, dst := range map[string]string{
		filepath.Join(root, "client", "browsertest", "testdata", "empty", "index.html"): "index.html",
		filepath.Join(string(goroot[:len(goroot)-1]), "lib", "wasm", "wasm_exec.js"):    "wasm_exec.js",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL
}
