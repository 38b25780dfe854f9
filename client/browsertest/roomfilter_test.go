//go:build !(js && wasm)

// roomfilter_test.go — the room list's mode toggles (client/rooms.go), in
// headless Chromium. `skirmish serve` runs one mode, so the page is handed
// a directory of two (its fetch of GET /api/rooms answered in the page,
// fakeRoomDirectory): the toggles show, a mode's toggle lists that mode's
// rooms only, "all" lists them all again; a list of one mode shows no
// toggles. The checks (checkRoomModeFilter) run on the replay test's title
// screen while its match is recorded (replay_test.go): the same opening,
// and time the test waits anyway.

package browsertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// fakeRoomDirectory makes tab's pages, from its next one on, answer their
// own GET /api/rooms with window.directory: two modes' rooms, until a
// test sets another.
func fakeRoomDirectory(t *testing.T, tab context.Context) {
	t.Helper()
	const script = `window.directory = {rooms: [
		{room: "r1", mode: "ffa", players: 3, capacity: 16, phase: "playing", time_left: 100},
		{room: "d1", mode: "duel", players: 1, capacity: 2, phase: "between"},
		{room: "r2", mode: "ffa", players: 9, capacity: 16, phase: "playing", time_left: 50},
		{room: "d2", mode: "duel", players: 2, capacity: 2, phase: "playing", time_left: 20}]};
	{ const f = window.fetch; window.fetch = function (url, opts) {
		if (String(url).endsWith("/api/rooms") && (!opts || !opts.method || opts.method === "GET")) {
			return Promise.resolve(new Response(JSON.stringify(window.directory), {headers: {"Content-Type": "application/json"}}));
		}
		return f.apply(this, arguments); }; }`
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	})); err != nil {
		t.Fatal(err)
	}
}

// checkRoomModeFilter checks the mode toggles on the title screen of tab,
// opened after fakeRoomDirectory; it leaves the directory one mode's.
func checkRoomModeFilter(t *testing.T, tab context.Context, who string) {
	t.Helper()
	listed := `window.skirmish.rooms.map(r => r.room).join()`
	waitFor(t, tab, who, `window.skirmish.modes && window.skirmish.modes.map(m => m.mode).join() === ",duel,ffa" && `+listed+` === "r1,d1,r2,d2"`, 15*time.Second)
	screenshot(t, tab, outputDir(t, repoRoot(t))+"/title-modes.png")

	for _, c := range []struct{ mode, rooms string }{{"duel", "d1,d2"}, {"ffa", "r1,r2"}, {"", "r1,d1,r2,d2"}} {
		clickRect(t, tab, who, fmt.Sprintf(`window.skirmish.modes.find(m => m.mode === %q)`, c.mode))
		waitFor(t, tab, who, fmt.Sprintf(`window.skirmish.modeShown === %q && %s === %q`, c.mode, listed, c.rooms), 15*time.Second)
		if got := evalString(t, tab, `window.skirmish.rooms.map(r => r.mode).filter((m, i, a) => a.indexOf(m) === i).join()`); c.mode != "" && got != c.mode {
			t.Errorf("%s shown: the list has rooms of %q", c.mode, got)
		}
	}
	// The filter holds across the lists that follow (every 2 s).
	clickRect(t, tab, who, `window.skirmish.modes.find(m => m.mode === "duel")`)
	waitFor(t, tab, who, `window.skirmish.modeShown === "duel"`, 15*time.Second)
	if _, err := chromedp.Run(tab, chromedp.Evaluate[int](`window.directory.rooms.push({room: "d3", mode: "duel", players: 0, capacity: 2, phase: "between"})`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, who, listed+` === "d1,d2,d3"`, 15*time.Second)

	// One mode left: no toggles, every room listed.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[int](`(window.directory.rooms = window.directory.rooms.filter(r => r.mode === "ffa")).length`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, who, `window.skirmish.modes.length === 0 && window.skirmish.modeShown === "" && `+listed+` === "r1,r2"`, 15*time.Second)
}
