//go:build !(js && wasm)

// title_test.go — the title screen in headless Chromium (client/title.go,
// party.go, rooms.go, web/index.html), on one server and one browser, each
// player in a browser context of their own (their own localStorage): the
// name field starts empty, remembers the name after a reload and plays on
// Enter; a party of two made and joined from two pages (one reloaded,
// which finds its party again) lands in one room, twice;
// the room list shows a bot's room and its Join seats the player there;
// a browser without WebAssembly or WebGL 2 gets a page that says so.

package browsertest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skirmish/bots"
)

func TestBrowserTitleScreen(t *testing.T) {
	base, ctx, browser := gameTab(t, 3*time.Minute)
	out := outputDir(t, repoRoot(t))
	if err := chromedp.Do(browser); err != nil { // starts Chromium
		t.Fatal(err)
	}
	// A bot keeps a public room open for the room list.
	bot, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: "host", Behavior: bots.Idle})
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	go bot.Run(ctx)
	room := bot.Assignment().Room
	listed := fmt.Sprintf(`window.skirmish.rooms.find(r => r.room === %q && r.players + r.reserved >= 1 && r.capacity > 1)`, room)

	// newPage opens a tab in a browser context of its own, with script run
	// before the page's own (when not empty).
	newPage := func(t *testing.T, script string) context.Context {
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if script != "" {
			if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
				return err
			})); err != nil {
				t.Fatal(err)
			}
		}
		return tab
	}

	t.Run("NameField", func(t *testing.T) {
		ada := newPage(t, "")
		openTitle(t, ada, base, "Ada")
		if got := evalString(t, ada, `window.skirmish.name`); got != "" {
			t.Errorf("the name field starts with %q; want it empty", got)
		}
		screenshot(t, ada, filepath.Join(out, "title.png"))
		clickRect(t, ada, "Ada", `window.skirmish.nameField`)
		typeKeys(t, ada, "Ada", "Ada")
		waitFor(t, ada, "Ada", `window.skirmish.name === "Ada"`, 15*time.Second)
		if err := chromedp.Do(ada, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ada, "Ada", `window.skirmish.state === "playing" && window.skirmish.players.includes("Ada")`, 60*time.Second)

		// After a reload the name is there, selected: typing replaces it.
		if err := chromedp.Do(ada, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ada, "Ada", `window.skirmish && window.skirmish.state === "title" && window.skirmish.firstFrameMs > 0`, 90*time.Second)
		if name, sel := evalString(t, ada, `window.skirmish.name`), evalBool(t, ada, `window.skirmish.nameSelected`); name != "Ada" || !sel {
			t.Errorf("after a reload the name field shows %q (selected %v); want \"Ada\", selected", name, sel)
		}
		clickRect(t, ada, "Ada", `window.skirmish.nameField`)
		typeKeys(t, ada, "Ada", "Bo")
		waitFor(t, ada, "Ada", `window.skirmish.name === "Bo"`, 15*time.Second)
	})

	t.Run("Party", func(t *testing.T) {
		ada, bob := newPage(t, ""), newPage(t, "")
		openTitle(t, ada, base, "Ada")
		typeName(t, ada, "Ada")
		clickRect(t, ada, "Ada", `window.skirmish.partyButton`)
		waitFor(t, ada, "Ada", `window.skirmish.partyCode.length === 5 && window.skirmish.partyLeader`, 15*time.Second)
		code := evalString(t, ada, `window.skirmish.partyCode`)

		// One page draws at a time: the one the test drives (showOnly).
		hideWindow(t, ada, true)
		openTitle(t, bob, base, "Bob")
		typeName(t, bob, "Bob")
		clickRect(t, bob, "Bob", `window.skirmish.codeField`)
		typeKeys(t, bob, "Bob", strings.ToLower(code))
		clickRect(t, bob, "Bob", `window.skirmish.joinPartyButton`)
		waitFor(t, bob, "Bob", fmt.Sprintf(`window.skirmish.partyCode === %q && window.skirmish.partyMembers === 2 && !window.skirmish.partyLeader`, code), 15*time.Second)
		showOnly(t, ada, bob)
		waitFor(t, ada, "Ada", `window.skirmish.partyMembers === 2 && window.skirmish.partyNames.join() === "Ada,Bob"`, 15*time.Second)
		waitFor(t, ada, "Ada", "!!"+listed, 15*time.Second)
		screenshot(t, ada, filepath.Join(out, "title-party.png"))

		// The party belongs to the tab's lobby session: a reload finds it.
		showOnly(t, bob, ada)
		if err := chromedp.Do(bob, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, bob, "Bob", fmt.Sprintf(`window.skirmish && window.skirmish.state === "title" && window.skirmish.partyCode === %q && window.skirmish.partyMembers === 2 && window.skirmish.name === "Bob"`, code), 90*time.Second)

		// Bob's Play does nothing: the leader starts. Ada's takes both.
		clickRect(t, bob, "Bob", `window.skirmish.playButton`)
		waitFor(t, bob, "Bob", `window.skirmish.state === "title" && window.skirmish.message.includes("leader starts the match")`, 15*time.Second)
		showOnly(t, ada, bob)
		clickRect(t, ada, "Ada", `window.skirmish.playButton`)
		waitFor(t, ada, "Ada", `window.skirmish.state === "playing" && window.skirmish.snapshots > 10`, 60*time.Second)
		showOnly(t, bob, ada)
		waitFor(t, bob, "Bob", `window.skirmish.state === "playing" && window.skirmish.snapshots > 10`, 60*time.Second)
		if a, b := evalString(t, ada, `window.skirmish.room`), evalString(t, bob, `window.skirmish.room`); a != b {
			t.Fatalf("the party split: Ada is in room %q, Bob in %q", a, b)
		}
		waitFor(t, bob, "Bob", `window.skirmish.players.includes("Ada")`, 30*time.Second)
		showOnly(t, ada, bob)
		waitFor(t, ada, "Ada", `window.skirmish.players.includes("Bob")`, 30*time.Second)

		// Both leave to the title screen, still a party; the leader's next
		// Play takes both into a match again.
		esc := key{"Escape", "Escape", 27}
		for _, p := range []struct {
			name       string
			tab, other context.Context
		}{{"Bob", bob, ada}, {"Ada", ada, bob}} {
			showOnly(t, p.tab, p.other)
			dispatchKey(t, p.tab, esc, input.DispatchKeyEventTypeKeyDown)
			dispatchKey(t, p.tab, esc, input.DispatchKeyEventTypeKeyUp)
			waitFor(t, p.tab, p.name, `window.skirmish.state === "title" && window.skirmish.partyMembers === 2`, 15*time.Second)
		}
		both := `window.skirmish.state === "playing" && window.skirmish.players.includes("Ada") && window.skirmish.players.includes("Bob")`
		clickRect(t, ada, "Ada", `window.skirmish.playButton`)
		waitFor(t, ada, "Ada", `window.skirmish.state === "playing"`, 60*time.Second)
		showOnly(t, bob, ada) // Bob's page follows its party only when it runs
		waitFor(t, bob, "Bob", both, 60*time.Second)
		showOnly(t, ada, bob)
		waitFor(t, ada, "Ada", both, 30*time.Second)
	})

	t.Run("RoomList", func(t *testing.T) {
		// The page records the bodies it posts to /api/rooms/join.
		cara := newPage(t, `window.joins = []; { const f = window.fetch; window.fetch = function (url, opts) {
			if (String(url).endsWith("/api/rooms/join")) window.joins.push(opts && opts.body); return f.apply(this, arguments); }; }`)
		openTitle(t, cara, base, "Cara")
		typeName(t, cara, "Cara")
		waitFor(t, cara, "Cara", "!!"+listed, 30*time.Second)
		screenshot(t, cara, filepath.Join(out, "title-rooms.png"))
		clickRect(t, cara, "Cara", listed+".join")
		waitFor(t, cara, "Cara", `window.skirmish.state === "playing" && window.skirmish.players.includes("host")`, 60*time.Second)
		if got := evalString(t, cara, `window.skirmish.room`); got != room {
			t.Errorf("Join put Cara in room %q; the list's room is %q", got, room)
		}
		if got, want := evalString(t, cara, `JSON.stringify(window.joins)`), fmt.Sprintf(`[%q]`, fmt.Sprintf(`{"room":%q}`, room)); got != want {
			t.Errorf("the page posted %s to /api/rooms/join; want %s", got, want)
		}
	})

	// A browser that cannot run the game says what is wrong, in the page.
	for _, c := range []struct{ name, script, kind, says string }{
		{"NoWebAssembly", `delete globalThis.WebAssembly;`, "wasm", "cannot run WebAssembly"},
		{"NoWebGL", `{ const get = HTMLCanvasElement.prototype.getContext;
			HTMLCanvasElement.prototype.getContext = function (kind, ...rest) { return /webgl/.test(kind) ? null : get.call(this, kind, ...rest); }; }`, "webgl", "WebGL 2 is unavailable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := newPage(t, c.script)
			if err := chromedp.Do(tab, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate(base+"/")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, tab, c.name, fmt.Sprintf(`window.skirmishProblemKind === %q`, c.kind), 30*time.Second)
			got := evalString(t, tab, `document.getElementById("problem").innerText`)
			if tries := evalInt(t, tab, `document.querySelectorAll("#problem-try li").length`); !strings.Contains(got, c.says) || tries < 2 {
				t.Errorf("the page says %q (%d things to try); want it to say %q and at least two things to try", got, tries, c.says)
			}
			if evalBool(t, tab, `document.getElementById("problem").hidden || !!document.querySelector("canvas")`) {
				t.Error("the message is hidden, or a canvas was made")
			}
			screenshot(t, tab, filepath.Join(out, "problem-"+c.kind+".png"))
		})
	}
}

func evalBool(t *testing.T, tab context.Context, expr string) bool {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[bool](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
