//go:build !(js && wasm)

// console_test.go — the operator's console in headless Chromium, on a
// real `skirmish serve --admin-token` with fighting bots (no WebAssembly
// client needed, so it is quick): the page asks for the token, then shows
// the bots' room, its charts move, its Kick button, confirmed, kicks a bot
// (the bot is told "kicked by operator"), and the API refuses a call without the
// token and the page a wrong one. The screenshot goes to test-output/
// (the README's docs/console.png is one).

package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"skirmish/bots"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

const consoleToken = "browser-test-operator-token"

// TestConsole runs the console's tests, this file's and confirm_test.go's,
// one after the other. The console's pages draw no WebGL, so they run
// beside TestBrowserPlaysAReplay (both t.Parallel: together, after the
// package's other tests), whose page mostly waits for its match to be
// recorded, rather than after it.
func TestConsole(t *testing.T) {
	t.Parallel()
	t.Run("InBrowser", testConsoleInBrowser)
	t.Run("Confirms", testConsoleConfirms)
}

func testConsoleInBrowser(t *testing.T) {
	chromium := findChromium(t)
	root := repoRoot(t)
	base := startConsoleServer(t)
	out := filepath.Join(root, "test-output", "console")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	// Fighting bots in one room, and one that will be kicked.
	var fighters []*bots.Bot
	for i := range 5 {
		b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: fmt.Sprintf("bot%d", i), Behavior: bots.Fight(), Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		fighters = append(fighters, b)
		go b.Run(ctx)
		defer b.Close()
	}
	room := fighters[0].Assignment().Room
	victim := fighters[4]
	// A refused handshake, for the refusals table.
	if resp, err := http.Get(base + "/ws?ticket=forged"); err == nil {
		resp.Body.Close()
	}

	tab, cancelTab := chromedp.NewContext(newBrowser(t, ctx, chromium))
	defer cancelTab()
	const w, h = 1180, 900
	if err := chromedp.Do(tab, chromedp.EmulateViewport(w, h), chromedp.Navigate(base+"/console")); err != nil {
		t.Fatal(err)
	}
	poll := func(what, expr string, within time.Duration) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(within))); err != nil {
			t.Fatalf("%s: %v (status %q)", what, err, evalString(t, tab, `document.getElementById("status").textContent`))
		}
	}
	// No token yet: the page asks for it; a wrong one is refused.
	poll("the token form", `!document.getElementById("login").hidden`, 15*time.Second)
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#token"), "wrong"), chromedp.Click(chromedp.CSS("#open"))); err != nil {
		t.Fatal(err)
	}
	poll("a wrong token refused", `window.skirmishConsole.unauthorized >= 1 && !document.getElementById("login").hidden`, 10*time.Second)
	if got := evalString(t, tab, `sessionStorage.getItem("skirmish-console-token") || ""`); got != "" {
		t.Errorf("the page kept the refused token %q", got)
	}
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#token"), consoleToken), chromedp.Click(chromedp.CSS("#open"))); err != nil {
		t.Fatal(err)
	}
	poll("the bots' room in the rooms table",
		fmt.Sprintf(`[...document.querySelectorAll("#rooms td")].some(td => td.textContent === %q) && window.skirmishConsole.state.totals.players === 5`, room), 20*time.Second)
	if got := evalString(t, tab, `sessionStorage.getItem("skirmish-console-token")`); got != consoleToken {
		t.Errorf("sessionStorage holds %q; want the token", got)
	}
	if u := evalString(t, tab, `location.href`); strings.Contains(u, consoleToken) {
		t.Errorf("the token is in the page's URL %s", u)
	}

	// The charts move: new samples, a new line.
	points := `document.querySelector("#chart-bytes polyline").getAttribute("points")`
	before := evalString(t, tab, points)
	n := evalInt(t, tab, `window.skirmishConsole.samples`)
	poll("the charts moving", fmt.Sprintf(`window.skirmishConsole.samples >= %d && %s !== %q && window.skirmishConsole.state.totals.bytes_out_per_s > 0`, n+3, points, before), 15*time.Second)

	// Without the token the API refuses the same action the page makes.
	victimID := victim.Assignment().PlayerID
	kick := fmt.Sprintf(`/console/api/players/%s/kick`, victimID)
	code, err := chromedp.Run(tab, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q, {method: "POST"}).then(r => r.status)`, kick), chromedp.EvalAwaitPromise))
	if err != nil || code != http.StatusUnauthorized {
		t.Errorf("a kick without the token: %d, %v; want 401", code, err)
	}
	select {
	case <-victim.Done():
		t.Fatal("the victim left before the kick")
	default:
	}
	// With it, the page's Kick button, once confirmed, kicks the bot.
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(fmt.Sprintf(`button[data-player="%s"]`, victimID)))); err != nil {
		t.Fatal(err)
	}
	poll("the kick's confirmation", `document.getElementById("confirm").open && document.getElementById("confirmText").textContent.includes("bot4")`, 10*time.Second)
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#confirmYes"))); err != nil {
		t.Fatal(err)
	}
	poll("the kick answered", `window.skirmishConsole.lastAction && window.skirmishConsole.lastAction.status === 200`, 10*time.Second)
	select {
	case <-victim.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the kicked bot is still connected")
	}
	if k := victim.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_KICKED || k.GetMessage() != "kicked by operator" {
		t.Errorf("the bot was told %v; want KICKED, kicked by operator", k)
	}
	poll("the kick in the tables", `window.skirmishConsole.state.disconnects.operator === 1 && window.skirmishConsole.state.recent.some(e => e.reason === "operator")`, 10*time.Second)
	poll("a few more samples for the picture", fmt.Sprintf(`window.skirmishConsole.samples >= %d`, n+8), 15*time.Second)
	screenshot(t, tab, filepath.Join(out, "console.png"))
}

// startConsoleServer starts `skirmish serve` on a free loopback port with
// the console's token (from a file) and no web client, and returns its
// base URL.
func startConsoleServer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(consoleToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return testkit.Run(t, serverBinary(t, repoRoot(t)), regexp.MustCompile(`Operator console: (http://\S+)/console`),
		"serve", "--addr", "127.0.0.1:0", "--web", dir, "--log-level", "warn", "--admin-token-file", tokenFile)
}
