//go:build !(js && wasm)

// browser_test.go — Skirmish in headless Chromium: the page loads the
// WebAssembly client, a player types a name and clicks Play, lands in a
// room, walks (as the server sees it, through a bot in the same room), and
// a second tab's player sees the first; then, back on the title screen,
// the first opens a private room and the second joins it by its code.
// Screenshots go to test-output/.

package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skirmish/bots"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

// The page's logical size; the viewport matches it, so page coordinates
// are the game's pixels.
const viewW, viewH = 1280, 960

func TestBrowserPlays(t *testing.T) {
	base, ctx, alice := gameTab(t, 4*time.Minute)
	out := outputDir(t, repoRoot(t))
	timing := joinGame(t, alice, base, "Alice", "playButton", "")
	t.Logf("Alice: first frame %.0f ms after navigation; in game %.0f ms after clicking Play", timing.firstFrame, timing.inGame)
	room := evalString(t, alice, `window.skirmish.room`)

	// A bot in the same room watches Alice through the server.
	watcher, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: "watcher"})
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	go watcher.Run(ctx)
	if got := watcher.Assignment().Room; got != room {
		t.Fatalf("the watcher landed in room %q, Alice is in %q", got, room)
	}
	aliceX := func(s *pb.State) (int32, bool) {
		for i := range s.Players {
			if p := &s.Players[i]; p.Name == "Alice" && p.F[pb.FieldAlive] == 1 {
				return p.F[pb.FieldX], true
			}
		}
		return 0, false
	}
	var startX int32
	waitCtx, waitCancel := context.WithTimeout(ctx, 30*time.Second)
	defer waitCancel()
	if err := watcher.WaitFor(waitCtx, func(s *pb.State, _ *bots.Stats) bool {
		x, ok := aliceX(s)
		startX = x
		return ok
	}); err != nil {
		t.Fatalf("the server never showed Alice alive to the watcher: %v", err)
	}

	// Hold a move key: left from the right half of the arena, else right.
	key, code, vk, dir := "d", "KeyD", int64(68), int32(1)
	if startX > viewW*8 {
		key, code, vk, dir = "a", "KeyA", int64(65), -1
	}
	keyEvent := func(typ input.DispatchKeyEventType) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: key, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk})
			return err
		})
	}
	if err := chromedp.Do(alice, keyEvent(input.DispatchKeyEventTypeKeyDown)); err != nil {
		t.Fatal(err)
	}
	const walk = 40 * 16 // 40 pixels, in sim units
	if err := watcher.WaitFor(waitCtx, func(s *pb.State, _ *bots.Stats) bool {
		x, ok := aliceX(s)
		return ok && (x-startX)*dir >= walk
	}); err != nil {
		t.Fatalf("holding %q did not move Alice on the server: %v", key, err)
	}
	if err := chromedp.Do(alice, keyEvent(input.DispatchKeyEventTypeKeyUp)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, alice, filepath.Join(out, "alice-walked.png"))

	// A second tab: Bob joins the same room, and each page shows the other.
	// One page draws at a time: Alice's waits hidden while Bob's is
	// driven, then the other way round.
	bob, cancelBob := chromedp.NewContext(alice)
	defer cancelBob()
	hideWindow(t, alice, true)
	joinGame(t, bob, base, "Bob", "playButton", "")
	if got := evalString(t, bob, `window.skirmish.room`); got != room {
		t.Fatalf("Bob landed in room %q, Alice is in %q", got, room)
	}
	for _, p := range []struct {
		name, other  string
		page, hidden context.Context
	}{{"Bob", "Alice", bob, nil}, {"Alice", "Bob", alice, bob}} {
		if p.hidden != nil {
			showOnly(t, p.page, p.hidden)
		}
		if _, err := chromedp.Run(p.page, chromedp.Poll[bool](
			fmt.Sprintf(`window.skirmish.players.includes(%q)`, p.other),
			chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Errorf("%s's page never showed %s: %v (players %s)", p.name, p.other, err,
				evalString(t, p.page, `JSON.stringify(window.skirmish.players)`))
		}
		// The page keeps receiving snapshots: progress, not 60 frames a second.
		before := evalInt(t, p.page, `window.skirmish.snapshots`)
		if _, err := chromedp.Run(p.page, chromedp.Poll[bool](
			fmt.Sprintf(`window.skirmish.snapshots >= %d`, before+30),
			chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Errorf("%s's page stopped receiving snapshots at %d: %v", p.name, before, err)
		}
		if c := evalInt(t, p.page, `window.skirmish.desyncs`); c != 0 {
			t.Errorf("%s's page counted %d desyncs", p.name, c)
		}
		if p.name == "Bob" {
			screenshot(t, bob, filepath.Join(out, "bob-sees-alice.png"))
		}
	}
	t.Logf("fps: Alice %.1f, Bob %.1f", evalFloat(t, alice, `window.skirmish.fps`), evalFloat(t, bob, `window.skirmish.fps`))

	// A private room, from the title screen (the same two pages and
	// server, rather than two pages of its own): Alice leaves her match
	// and opens one, its code shows, and Bob, typing that code, lands in
	// the same room.
	leaveToTitle(t, alice, "Alice")
	enterGame(t, alice, "Alice", "createButton", "")
	private := evalString(t, alice, `window.skirmish.code`)
	if len(private) != 5 {
		t.Fatalf("the private room's code is %q, want 5 characters", private)
	}
	showOnly(t, bob, alice)
	leaveToTitle(t, bob, "Bob")
	enterGame(t, bob, "Bob", "joinButton", strings.ToLower(private))
	if a, b := evalString(t, alice, `window.skirmish.room`), evalString(t, bob, `window.skirmish.room`); a != b {
		t.Fatalf("Alice is in private room %q, Bob in %q", a, b)
	} else if a == room {
		t.Fatalf("Alice's private room is the public room %q she left", room)
	}
	if got := evalString(t, bob, `window.skirmish.code`); got != private {
		t.Errorf("Bob's page shows code %q, want %q", got, private)
	}
	showOnly(t, alice, bob)
	if _, err := chromedp.Run(alice, chromedp.Poll[bool](`window.skirmish.players.includes("Bob")`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Errorf("Alice's page never showed Bob in the private room: %v", err)
	}
}

// newBrowser returns a chromedp context to make the test's tabs from
// (chromedp.NewContext of it, and of those tabs): each is a tab of a
// browser context of the test's own (fresh storage, cookies and cache, like
// a Chromium of its own), in the one headless Chromium the package's tests
// share (main_test.go). The tabs close when ctx ends or the test does.
func newBrowser(t *testing.T, ctx context.Context, chromium string) context.Context {
	t.Helper()
	b := sharedBrowser(t, chromium)
	created, err := cdp.Call(b, chromedp.FromContext(b).Browser, target.CreateBrowserContext, target.CreateBrowserContextParams{})
	if err != nil {
		t.Fatalf("create a browser context: %v", err)
	}
	id := created.BrowserContextID
	tabs, cancel := chromedp.NewContext(b, chromedp.WithExistingBrowserContext(id))
	stop := context.AfterFunc(ctx, cancel)
	t.Cleanup(func() {
		stop()
		cancel()
		dctx, dcancel := context.WithTimeout(b, 10*time.Second)
		defer dcancel()
		if _, err := cdp.Call(dctx, chromedp.FromContext(b).Browser, target.DisposeBrowserContext, target.DisposeBrowserContextParams{BrowserContextID: id}); err != nil && b.Err() == nil {
			t.Errorf("dispose of the browser context: %v", err)
		}
	})
	return tabs
}

// hideWindow minimizes the window of tab (hide true) or restores it. A
// minimized window's page is hidden: it gets no animation frames, so the
// game neither updates nor draws (its socket worker still receives), and
// a Poll on it waits until it is shown again. Software WebGL's frames are
// most of the machine's load, and two pages drawing at once each draw at
// about half the rate: a test that drives one page while another waits
// hides the waiting one.
func hideWindow(t *testing.T, tab context.Context, hide bool) {
	t.Helper()
	c := chromedp.FromContext(tab)
	w, err := cdp.Call(tab, c.Browser, cdpbrowser.GetWindowForTarget, cdpbrowser.GetWindowForTargetParams{TargetID: c.Target.TargetID})
	if err != nil {
		t.Fatalf("the tab's window: %v", err)
	}
	state := cdpbrowser.WindowStateNormal
	if hide {
		state = cdpbrowser.WindowStateMinimized
	}
	if _, err := cdp.Call(tab, c.Browser, cdpbrowser.SetWindowBounds, cdpbrowser.SetWindowBoundsParams{WindowID: w.WindowID, Bounds: &cdpbrowser.Bounds{WindowState: state}}); err != nil {
		t.Fatalf("set the tab's window %s: %v", state, err)
	}
}

// showOnly hides the window of hide and shows that of show (hideWindow).
func showOnly(t *testing.T, show, hide context.Context) {
	t.Helper()
	hideWindow(t, hide, true)
	hideWindow(t, show, false)
}

// pageTiming is how long the page took: from navigation to the first frame,
// and from the click on Play to the game (lobby call, dial, Welcome).
type pageTiming struct{ firstFrame, inGame float64 }

// joinGame opens the page in tab, types name (and code, if any) on the
// title screen, clicks the button named in window.skirmish (playButton,
// createButton or joinButton) and waits until the player is in a game.
func joinGame(t *testing.T, tab context.Context, base, name, button, code string) pageTiming {
	t.Helper()
	openTitle(t, tab, base, name)
	typeName(t, tab, name)
	clicked := enterGame(t, tab, name, button, code)
	v := evalFloats(t, tab, `[window.skirmish.firstFrameMs, window.skirmish.inGameMs]`, 2)
	return pageTiming{firstFrame: v[0], inGame: v[1] - clicked}
}

// enterGame, on the title screen of tab, types code into the code field
// (if any), clicks the button named in window.skirmish and waits until the
// player is in a game. It returns the page's clock at the click.
func enterGame(t *testing.T, tab context.Context, name, button, code string) (clicked float64) {
	t.Helper()
	if code != "" {
		clickRect(t, tab, name, `window.skirmish.codeField`)
		typeKeys(t, tab, name, code)
	}
	clicked = evalFloat(t, tab, `performance.now()`)
	clickRect(t, tab, name, `window.skirmish.`+button)
	waitFor(t, tab, name, `window.skirmish.state === "playing" && window.skirmish.snapshots > 10`, 60*time.Second)
	return clicked
}

// leaveToTitle presses Esc in tab's match and waits for the title screen.
func leaveToTitle(t *testing.T, tab context.Context, name string) {
	t.Helper()
	press(t, tab, key{"Escape", "Escape", 27})
	waitFor(t, tab, name, `window.skirmish.state === "title"`, 15*time.Second)
}

// openTitle opens the page in tab and waits for the title screen.
func openTitle(t *testing.T, tab context.Context, base, who string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("%s: open the page: %v", who, err)
	}
	waitFor(t, tab, who, `window.skirmish && window.skirmish.state === "title" && window.skirmish.firstFrameMs > 0`, 90*time.Second)
}

// typeName clicks into the name field (which focuses the game and
// selects what it holds), clears it and types name.
func typeName(t *testing.T, tab context.Context, name string) {
	t.Helper()
	clickRect(t, tab, name, `window.skirmish.nameField`)
	typeKeys(t, tab, name, kb.Backspace+name)
	waitFor(t, tab, name, fmt.Sprintf(`window.skirmish.name === %q`, name), 15*time.Second)
}

// typeKeys types keys (runes, kb's keys among them) into the page, each
// a key press as chromedp.KeyEvent makes it, but with the character sent
// with the key down, as a browser's own key press has it (two events, not
// three: each call into the page waits for its frame under way, a tenth of
// a second with software WebGL).
func typeKeys(t *testing.T, tab context.Context, who, keys string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, r := range keys {
			events := kb.Encode(r)
			if len(events) == 3 { // down, char, up
				down := *events[0]
				down.Text, down.UnmodifiedText = events[1].Text, events[1].UnmodifiedText
				events = []*input.DispatchKeyEventParams{&down, events[2]}
			}
			for _, e := range events {
				if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, *e); err != nil {
					return err
				}
			}
		}
		return nil
	})); err != nil {
		t.Fatalf("%s: type %q: %v", who, keys, err)
	}
}

// clickRect clicks the middle of the {x, y, w, h} that expr names.
func clickRect(t *testing.T, tab context.Context, who, expr string) {
	t.Helper()
	r := evalRect(t, tab, expr)
	if err := chromedp.Do(tab, chromedp.MouseClickXY(r[0]+r[2]/2, r[1]+r[3]/2)); err != nil {
		t.Fatalf("%s: click %s: %v", who, expr, err)
	}
}

// waitFor polls cond in tab for up to limit.
func waitFor(t *testing.T, tab context.Context, who, cond string, limit time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(limit))); err != nil {
		t.Fatalf("%s: waited %v for %s: %v (state %s, message %q)", who, limit, cond, err,
			evalString(t, tab, `window.skirmish ? window.skirmish.state : "no game"`),
			evalString(t, tab, `window.skirmish ? window.skirmish.message : ""`))
	}
}

// key is a keyboard key as the DevTools protocol names it.
type key struct {
	key, code string
	vk        int64
}

// dispatchKey sends one key event (down or up) to the page.
func dispatchKey(t *testing.T, tab context.Context, k key, typ input.DispatchKeyEventType) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: k.key, Code: k.code, WindowsVirtualKeyCode: k.vk, NativeVirtualKeyCode: k.vk})
		return err
	})); err != nil {
		t.Fatal(err)
	}
}

func evalString(t *testing.T, tab context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func evalFloat(t *testing.T, tab context.Context, expr string) float64 {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[float64](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func evalInt(t *testing.T, tab context.Context, expr string) int {
	return int(evalFloat(t, tab, expr))
}

// evalRect reads an {x, y, w, h} object.
func evalRect(t *testing.T, tab context.Context, expr string) [4]float64 {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[[4]float64](fmt.Sprintf(`(r => [r.x, r.y, r.w, r.h])(%s)`, expr)))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// outputDir is test-output/browser under root, where screenshots go.
func outputDir(t *testing.T, root string) string {
	t.Helper()
	out := filepath.Join(root, "test-output", "browser")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

func screenshot(t *testing.T, tab context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// findChromium returns the browser's path; without one the test skips, or
// fails when CI=true.
func findChromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found: install it with 'apt-get install -y chromium' (make test does, as root)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// wireBudget is the most the gzipped client may weigh, in bytes.
const wireBudget = 4e6

// startServer starts `skirmish serve` on a free loopback port with flags,
// serving the WebAssembly client (as `make run` serves it), and returns its
// base URL. The binary and the client are built once for the package's
// tests (main_test.go).
//
// The gzipped client must stay within wireBudget: what a player
// downloads before the title screen.
func startServer(t *testing.T, root string, flags ...string) string {
	t.Helper()
	dist, bin := clientDist(t, root), serverBinary(t, root)
	for _, name := range []string{"skirmish.wasm", "skirmish.wasm.gz"} {
		st, err := os.Stat(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %.2f MB", name, float64(st.Size())/1e6)
		if name == "skirmish.wasm.gz" && st.Size() > wireBudget {
			t.Errorf("the client is %.2f MB gzipped on the wire, over its %.0f MB budget (issue 14)", float64(st.Size())/1e6, float64(wireBudget)/1e6)
		}
	}
	return testkit.Run(t, bin, regexp.MustCompile(`open (http://\S+)/ to play`),
		append([]string{"serve", "--addr", "127.0.0.1:0", "--web", dist, "--log-level", "warn"}, flags...)...)
}
