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

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"skirmish/bots"
)

// fpsSpan is how long each page's frames are counted.
const fpsSpan = 3 * time.Second

// countGL wraps WebGL's draw and framebuffer calls with counters before
// the page's own scripts run: calls a frame do not depend on the load.
const countGL = `window.glCalls = {draws: 0, targets: 0};
for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
	for (const [name, key] of [["drawElements", "draws"], ["drawArrays", "draws"], ["bindFramebuffer", "targets"]]) {
		const f = proto[name];
		proto[name] = function (...args) { window.glCalls[key]++; return f.apply(this, args); };
	}
}`

// countFPS is the page's frames a second over fpsSpan, counted in
// requestAnimationFrame (the callbacks the page's own frames run in), and
// its WebGL draw calls and framebuffer binds a frame.
const countFPS = `new Promise(done => {
	let n = 0, t0 = 0, d0 = 0, b0 = 0;
	const f = t => {
		if (n++ === 0) { t0 = t; d0 = glCalls.draws; b0 = glCalls.targets; }
		if (t - t0 < %d) { requestAnimationFrame(f); return; }
		done([(n - 1) * 1000 / (t - t0), (glCalls.draws - d0) / (n - 1), (glCalls.targets - b0) / (n - 1)]);
	};
	requestAnimationFrame(f);
})`

// frames is what pageFPS counted.
type frames struct{ fps, draws, targets float64 }

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
	countingGL(t, floor)
	if err := chromedp.Do(floor, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate(empty+"/")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(floor, chromedp.Poll[bool](`window.emptyReady === true`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the empty program never drew: %v", err)
	}
	empty1 := pageFPS(t, floor)

	game, cancelGame := chromedp.NewContext(floor)
	countingGL(t, game)
	joinGame(t, game, base, "Ada", "playButton", "")
	botsInRoom(t, ctx, base, evalString(t, game, `window.skirmish.room`), 7, "fighter", bots.Fight)
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
	ratio := gameFPS.fps / ((empty1.fps + empty2.fps) / 2)
	t.Logf("frame rate at %d×%d, 8 players: game %.1f fps, empty Ebiten %.1f and %.1f fps: ratio %.2f; WebGL a frame: game %.1f draws, %.1f framebuffer binds; empty %.1f draws, %.1f binds",
		viewW, viewH, gameFPS.fps, empty1.fps, empty2.fps, ratio, gameFPS.draws, gameFPS.targets, empty2.draws, empty2.targets)
	if gameFPS.fps <= 0 || empty1.fps <= 0 || empty2.fps <= 0 {
		t.Fatalf("a page drew no frames: game %.1f fps, empty %.1f and %.1f", gameFPS.fps, empty1.fps, empty2.fps)
	}
	if gameFPS.draws < 1 {
		t.Fatalf("the game drew its frames with %.1f WebGL draw calls each: the counters saw nothing", gameFPS.draws)
	}
}

// pageFPS counts the tab's frames over fpsSpan.
func pageFPS(t *testing.T, tab context.Context) frames {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[[3]float64](fmt.Sprintf(countFPS, fpsSpan.Milliseconds()), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("count frames: %v", err)
	}
	return frames{v[0], v[1], v[2]}
}

// countingGL makes the tab count its WebGL calls from its next page on.
func countingGL(t *testing.T, tab context.Context) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: countGL})
		return err
	})); err != nil {
		t.Fatalf("install the WebGL counters: %v", err)
	}
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
