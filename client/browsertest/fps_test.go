//go:build !(js && wasm)

// fps_test.go — the game's frame rate against Ebiten's own floor, in one
// headless Chromium: an empty Ebiten program at the game's size
// (testdata/empty) in one tab, the game with seven fighting bots in the
// room in another. They take turns, three rounds of each, the other tab
// frozen meanwhile (Page.setWebLifecycleState), so that both see the same
// machine; each turn's frames are counted with requestAnimationFrame. The
// ratio is the median of the game's turns over the median of the empty
// program's (the README's contributor section has it).

package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"skirmish/bots"
)

// fpsSpan is how long each turn's frames are counted; fpsRounds, how
// many turns each page has.
const (
	fpsSpan   = 2 * time.Second
	fpsRounds = 3
)

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
	game, cancelGame := chromedp.NewContext(floor)
	defer cancelGame()
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

	var emptyFPS, gameFPS []float64
	for range fpsRounds {
		setFrozen(t, game, true)
		setFrozen(t, floor, false)
		emptyFPS = append(emptyFPS, pageFPS(t, floor))
		setFrozen(t, floor, true)
		setFrozen(t, game, false)
		// The game catches up with the snapshots of its frozen turn first.
		snaps := evalInt(t, game, `window.skirmish.snapshots`)
		if _, err := chromedp.Run(game, chromedp.Poll[bool](fmt.Sprintf(`window.skirmish.snapshots > %d && window.skirmish.state === "playing"`, snaps),
			chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatalf("the game did not come back from its frozen turn: %v (state %s)", err, evalString(t, game, `window.skirmish.state`))
		}
		gameFPS = append(gameFPS, pageFPS(t, game))
	}
	out := filepath.Join(root, "test-output", "browser")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	screenshot(t, game, filepath.Join(out, "frame-rate.png"))
	ratio := median(gameFPS) / median(emptyFPS)
	t.Logf("frame rate at %d×%d, 8 players: game %.1f fps (turns %.1f), empty Ebiten %.1f fps (turns %.1f): ratio %.2f",
		viewW, viewH, median(gameFPS), gameFPS, median(emptyFPS), emptyFPS, ratio)
	if slices.Min(gameFPS) <= 0 || slices.Min(emptyFPS) <= 0 {
		t.Fatalf("a page drew no frames in a turn: game %v, empty %v", gameFPS, emptyFPS)
	}
}

// setFrozen freezes the tab (no tasks, no frames) or lets it run again.
func setFrozen(t *testing.T, tab context.Context, frozen bool) {
	t.Helper()
	state := page.SetWebLifecycleStateStateActive
	if frozen {
		state = page.SetWebLifecycleStateStateFrozen
	}
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetWebLifecycleState, page.SetWebLifecycleStateParams{State: state})
		return err
	})); err != nil {
		t.Fatalf("set the tab's lifecycle state %s: %v", state, err)
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
