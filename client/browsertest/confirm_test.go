//go:build !(js && wasm)

// confirm_test.go — the operator's console asks before it acts
// (console/web/index.html's dialog): a Close cancelled and a Drain
// dismissed with Escape leave the room and the node as they were; a Close
// confirmed closes the room, and its players are told so. TestConsole
// (console_test.go) runs it.

package browsertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"skirmish/bots"
	pb "skirmish/proto"
)

func testConsoleConfirms(t *testing.T) {
	chromium := findChromium(t)
	base := startConsoleServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var players []*bots.Bot
	for i := range 2 {
		b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: fmt.Sprintf("bot%d", i), Behavior: bots.Idle})
		if err != nil {
			t.Fatal(err)
		}
		players = append(players, b)
		go b.Run(ctx)
		defer b.Close()
	}
	room := players[0].Assignment().Room

	tab, cancelTab := chromedp.NewContext(newBrowser(t, ctx, chromium))
	defer cancelTab()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1180, 900), chromedp.Navigate(base+"/console")); err != nil {
		t.Fatal(err)
	}
	poll := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("%s: %v (status %q)", what, err, evalString(t, tab, `document.getElementById("status").textContent`))
		}
	}
	click := func(sel string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	poll("the token form", `!document.getElementById("login").hidden`)
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#token"), consoleToken), chromedp.Click(chromedp.CSS("#open"))); err != nil {
		t.Fatal(err)
	}
	listed := fmt.Sprintf(`!!window.skirmishConsole.state && window.skirmishConsole.state.rooms.some(r => r.id === %q && r.players === 2)`, room)
	poll("the bots' room", listed)
	dialog := `document.getElementById("confirm")`
	text := dialog + `.querySelector("#confirmText").textContent`
	// settled waits for two more polls of the state, then checks that no
	// action was sent and the room is still there, with both players.
	settled := func(what string) {
		t.Helper()
		n := evalInt(t, tab, `window.skirmishConsole.samples`)
		poll(what+": the page polling on", fmt.Sprintf(`window.skirmishConsole.samples >= %d`, n+2))
		if evalBool(t, tab, `window.skirmishConsole.lastAction !== null`) || !evalBool(t, tab, listed) {
			t.Fatalf("%s: the console acted (last action %s) or the room went", what, evalString(t, tab, `JSON.stringify(window.skirmishConsole.lastAction)`))
		}
		for _, b := range players {
			select {
			case <-b.Done():
				t.Fatalf("%s: a bot was disconnected (%v)", what, b.Kick())
			default:
			}
		}
	}

	// Close, then Cancel: nothing happens.
	closeButton := fmt.Sprintf(`button[data-room=%q]`, room)
	click(closeButton)
	poll("the close's question", fmt.Sprintf(`%s.open && %s.includes("Close room %s?") && %s.includes("2 players")`, dialog, text, room, text))
	if got := evalString(t, tab, `window.skirmishConsole.confirming`); got != "Close room "+room {
		t.Errorf("the dialog's button reads %q; want %q", got, "Close room "+room)
	}
	click("#confirmNo")
	poll("the dialog closed", "!"+dialog+".open")
	settled("Close cancelled")

	// Drain, then Escape: the node drains not.
	click(`button[data-node]`)
	poll("the drain's question", fmt.Sprintf(`%s.open && %s.startsWith("Drain node ")`, dialog, text))
	if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	poll("the dialog dismissed", "!"+dialog+".open")
	settled("Drain dismissed")
	if evalBool(t, tab, `window.skirmishConsole.state.nodes.some(n => n.draining)`) {
		t.Error("a dismissed drain drained the node")
	}

	// Close, then confirm: the room closes, its players told why.
	click(closeButton)
	poll("the close's question again", dialog+".open")
	click("#confirmYes")
	poll("the close answered", `window.skirmishConsole.lastAction && window.skirmishConsole.lastAction.status === 200`)
	for _, b := range players {
		select {
		case <-b.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("a bot in the closed room is still connected")
		}
		if k := b.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_ROOM_CLOSED || k.GetMessage() != "room closed by operator" {
			t.Errorf("a bot was told %v; want ROOM_CLOSED, room closed by operator", k)
		}
	}
	poll("the room gone from the table", fmt.Sprintf(`!window.skirmishConsole.state.rooms.some(r => r.id === %q)`, room))
}
