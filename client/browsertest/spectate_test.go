//go:build !(js && wasm)

// spectate_test.go — watching in headless Chromium: /#watch=ROOM opens a
// live room of two bots as a spectator (window.skirmish.spectating, no
// player of its own), the ticks advance and both players show; Tab moves
// the camera to the other player, ] back (its zoomed view drawn at the
// screen's pixels, not enlarged), and an arrow key frees it; Esc
// goes back to the title, whose room list's Watch button watches the room
// again. Each step is bounded by 30 s once the page is up.

package browsertest

import (
	"fmt"
	"image"
	"image/color"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"skirmish/bots"
)

func TestBrowserWatchesALiveRoom(t *testing.T) {
	base, ctx, tab := gameTab(t, 4*time.Minute)
	out := outputDir(t, repoRoot(t))
	var room string
	for _, name := range []string{"Ann", "Ben"} {
		b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: name, Behavior: bots.Wander(), Seed: uint64(len(name) + len(room))})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		go b.Run(ctx)
		if room == "" {
			room = b.Assignment().Room
		} else if b.Assignment().Room != room {
			t.Fatalf("the bots landed in rooms %s and %s", room, b.Assignment().Room)
		}
	}

	if err := chromedp.Do(tab, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate(base+"/#watch="+room)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	// The WebAssembly download and compile come first (joinGame allows them 90 s).
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`window.skirmish && window.skirmish.state === "playing" && window.skirmish.spectating`,
		chromedp.WithPollingTimeout(90*time.Second))); err != nil {
		t.Fatalf("the page never watched room %s: %v (state %s, message %q)", room, err,
			evalString(t, tab, `String(window.skirmish && window.skirmish.state)`), evalString(t, tab, `String(window.skirmish && window.skirmish.message)`))
	}
	poll := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatalf("%s: %v (window.skirmish %s)", what, err, evalString(t, tab, `JSON.stringify(window.skirmish)`))
		}
	}
	if got := evalString(t, tab, `window.skirmish.room`); got != room {
		t.Errorf("the page watches room %q; want %q", got, room)
	}
	poll("both players visible", `window.skirmish.players.includes("Ann") && window.skirmish.players.includes("Ben")`)
	tick := evalInt(t, tab, `window.skirmish.tick`)
	poll("the ticks advance", fmt.Sprintf(`window.skirmish.tick >= %d`, tick+120))
	if id := evalInt(t, tab, `window.skirmish.playerId`); id != 0 {
		t.Errorf("a spectator's playerId is %d; want 0", id)
	}
	poll("the camera follows a player", `window.skirmish.following > 0 && ["Ann", "Ben"].includes(window.skirmish.followingName)`)

	// Tab: the other player. ]: back to the first (two players wrap round).
	first := evalInt(t, tab, `window.skirmish.following`)
	press := func(k key) {
		dispatchKey(t, tab, k, input.DispatchKeyEventTypeKeyDown)
		dispatchKey(t, tab, k, input.DispatchKeyEventTypeKeyUp)
	}
	press(key{"Tab", "Tab", 9})
	poll("Tab follows the next player", fmt.Sprintf(`window.skirmish.following > 0 && window.skirmish.following !== %d`, first))
	press(key{"]", "BracketRight", 221})
	poll("] follows the next player, round to the first", fmt.Sprintf(`window.skirmish.following === %d`, first))
	// The zoomed view is drawn at the screen's pixels (client/camera.go):
	// the followed player's health bar meets the floor with no blend
	// between, as no picture drawn at half the pixels and enlarged does.
	shot := screenshotImage(t, tab, filepath.Join(out, "spectator-follows.png"))
	if n := hardEdges(shot, colHealth, colFloor, colGrid); n < 20 {
		t.Errorf("%d pixels of a health bar's green meet the floor unblended; want at least 20: the zoomed view is enlarged, not drawn at the screen's pixels", n)
	}

	// An arrow key frees the camera: it follows nobody and moves.
	x := evalFloat(t, tab, `window.skirmish.cameraX`)
	right := key{"ArrowRight", "ArrowRight", 39}
	left := key{"ArrowLeft", "ArrowLeft", 37}
	k := right
	if x > viewW*16/2 {
		k = left
	}
	dispatchKey(t, tab, k, input.DispatchKeyEventTypeKeyDown)
	poll("an arrow key frees the camera", fmt.Sprintf(`window.skirmish.following === 0 && Math.abs(window.skirmish.cameraX - %f) > 800`, x))
	dispatchKey(t, tab, k, input.DispatchKeyEventTypeKeyUp)
	if n := evalInt(t, tab, `window.skirmish.desyncs`); n != 0 {
		t.Errorf("the spectator's page counted %d desyncs", n)
	}
	if state := evalString(t, tab, `window.skirmish.state`); state != "playing" {
		t.Errorf("after watching, the page is %q (message %q); want still playing", state, evalString(t, tab, `window.skirmish.message`))
	}
	screenshot(t, tab, filepath.Join(out, "spectator-free.png"))

	// Esc: back to the title, whose room list has the room with a Watch
	// button; clicking it watches again, without typing a name.
	esc := key{"Escape", "Escape", 27}
	press(esc)
	listed := fmt.Sprintf(`(window.skirmish.rooms || []).find(r => r.room === %q && r.watchable)`, room)
	poll("back on the title, the room listed as watchable", `window.skirmish.state === "title" && !!`+listed)
	if msg := evalString(t, tab, `window.skirmish.message`); msg != "You stopped watching." {
		t.Errorf("after Esc the title says %q; want %q", msg, "You stopped watching.")
	}
	screenshot(t, tab, filepath.Join(out, "title-watch.png"))
	clickRect(t, tab, "spectator", listed+".watch")
	poll("the Watch button watches the room", fmt.Sprintf(`window.skirmish.state === "playing" && window.skirmish.spectating && window.skirmish.room === %q && window.skirmish.players.length === 2`, room))
}

// The client's colours (client/draw.go, client/sprites): a health bar's
// green, and the floor and its grid.
var (
	colHealth = color.RGBA{0x5c, 0xd6, 0x5c, 0xff}
	colFloor  = color.RGBA{0x1d, 0x23, 0x2c, 0xff}
	colGrid   = color.RGBA{0x23, 0x2a, 0x35, 0xff}
)

// hardEdges counts the pixels of img of colour c beside one of a colour
// of bg, across or down (each within 4 a channel): a hard edge drawn at
// the screen's pixels has them all along it; a picture enlarged twice
// with linear filtering has a blend between any two colours that meet.
func hardEdges(img image.Image, c color.RGBA, bg ...color.RGBA) int {
	near := func(x, y int, want color.RGBA) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		d := func(v uint32, w uint8) bool { return max(int(v>>8), int(w))-min(int(v>>8), int(w)) <= 4 }
		return d(r, want.R) && d(g, want.G) && d(b, want.B)
	}
	onBG := func(x, y int) bool {
		for _, k := range bg {
			if near(x, y, k) {
				return true
			}
		}
		return false
	}
	n := 0
	r := img.Bounds()
	for y := r.Min.Y + 1; y < r.Max.Y-1; y++ {
		for x := r.Min.X + 1; x < r.Max.X-1; x++ {
			if near(x, y, c) && (onBG(x-1, y) || onBG(x+1, y) || onBG(x, y-1) || onBG(x, y+1)) {
				n++
			}
		}
	}
	return n
}
