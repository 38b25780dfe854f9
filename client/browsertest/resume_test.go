//go:build !(js && wasm)

// resume_test.go — the browser comes back as itself (client/session.go,
// lobby_js.go; server/hold.go): the page plays through a loopback proxy
// (internal/linksim's, unshaped), the proxy is cut and started again on
// the same port, and the page reconnects with the session it keeps in
// sessionStorage: window.skirmish shows the same player in the same room,
// resumed, and the overlay's notice "Back in your match.".

package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"skirmish/internal/linksim"
)

func TestBrowserResumesAfterADrop(t *testing.T) {
	base, _, tab := gameTab(t, 3*time.Minute)
	upstream := strings.TrimPrefix(base, "http://")
	proxy, err := linksim.Listen("127.0.0.1:0", upstream, linksim.Link{})
	if err != nil {
		t.Fatal(err)
	}
	addr := proxy.Addr()
	t.Cleanup(func() { _ = proxy.Close() })

	joinGame(t, tab, "http://"+addr, "Erin", "playButton", "")
	id, room := evalInt(t, tab, `window.skirmish.playerId`), evalString(t, tab, `window.skirmish.room`)

	// The link is cut (every connection through the proxy, at once), and
	// comes back on the same address.
	if err := proxy.Close(); err != nil {
		t.Fatal(err)
	}
	if proxy, err = linksim.Listen(addr, upstream, linksim.Link{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](
		`window.skirmish.state === "playing" && window.skirmish.resumed && window.skirmish.notice === "Back in your match."`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the page did not come back into its match: %v (state %s, notice %q, message %q)", err,
			evalString(t, tab, `window.skirmish.state`), evalString(t, tab, `window.skirmish.notice`), evalString(t, tab, `window.skirmish.message`))
	}
	if gotID, gotRoom := evalInt(t, tab, `window.skirmish.playerId`), evalString(t, tab, `window.skirmish.room`); gotID != id || gotRoom != room {
		t.Errorf("back as player %d in room %s; want player %d in %s", gotID, gotRoom, id, room)
	}
	if n := evalInt(t, tab, `window.skirmish.players.filter(n => n === "Erin").length`); n != 1 {
		t.Errorf("the page shows Erin %d times; want once", n)
	}
}
