//go:build !(js && wasm)

// touch_test.go — a phone's game in headless Chromium, through the
// DevTools protocol's touch events: the player taps Play, pushes the
// virtual stick and moves, drags to aim, holds the fire button and fires;
// the shots are heard (window.skirmish.sounds counts them) once a gesture
// has started the audio, and not after M mutes it.

package browsertest

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The touch controls' places, as client/input.go lays them out.
const (
	fireButtonX, fireButtonY = viewW - 150, viewH - 170
	stickX, stickY           = 300, 600
	dragX, dragY             = 900, 400
)

func TestBrowserTouchPlays(t *testing.T) {
	base, _, tab := gameTab(t, 3*time.Minute)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate(base+"/"), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	poll(t, tab, `window.skirmish && window.skirmish.state === "title" && window.skirmish.firstFrameMs > 0`, "the title screen never came up")
	if evalBool(t, tab, `window.skirmish.audioStarted`) {
		t.Fatal("the audio started before any gesture")
	}

	// Tap the name field, type, tap Play.
	field := evalRect(t, tab, `window.skirmish.nameField`)
	tap(t, tab, field[0]+field[2]/2, field[1]+field[3]/2)
	if err := chromedp.Do(tab, chromedp.KeyEvent(kb.End+kb.Backspace+kb.Backspace+kb.Backspace+kb.Backspace+kb.Backspace+kb.Backspace), chromedp.KeyEvent("Tia")); err != nil {
		t.Fatal(err)
	}
	play := evalRect(t, tab, `window.skirmish.playButton`)
	tap(t, tab, play[0]+play[2]/2, play[1]+play[3]/2)
	poll(t, tab, `window.skirmish.state === "playing" && window.skirmish.snapshots > 10 && window.skirmish.x > 0`, "a tap on Play did not start a game")
	if !evalBool(t, tab, `window.skirmish.audioStarted`) {
		t.Error("the taps did not start the audio")
	}

	// Push the stick away from the nearer side wall and hold it.
	x0 := evalFloat(t, tab, `window.skirmish.x`)
	dir := 1.0
	if x0 > viewW/2*16 {
		dir = -1
	}
	stick := &input.TouchPoint{X: stickX, Y: stickY, ID: ptr(1.0)}
	touch(t, tab, input.DispatchTouchEventTypeTouchStart, stick)
	stick.X += 80 * dir
	touch(t, tab, input.DispatchTouchEventTypeTouchMove, stick)
	poll(t, tab, fmt.Sprintf(`(window.skirmish.x - %f) * %f >= 40 * 16`, x0, dir), "the stick did not move the player")

	// A second finger drags upwards on the right half: the aim turns north.
	drag := &input.TouchPoint{X: dragX, Y: dragY, ID: ptr(2.0)}
	touch(t, tab, input.DispatchTouchEventTypeTouchStart, stick, drag)
	drag.Y -= 100
	touch(t, tab, input.DispatchTouchEventTypeTouchMove, stick, drag)
	const north = 768 // of sim.AimSteps (1024), clockwise from east
	poll(t, tab, fmt.Sprintf(`window.skirmish.aim === %d`, north), "the drag did not aim")
	touch(t, tab, input.DispatchTouchEventTypeTouchEnd, stick) // the drag lifts

	// A third holds the fire button.
	shots := evalInt(t, tab, `window.skirmish.ownShots`)
	fire := &input.TouchPoint{X: fireButtonX, Y: fireButtonY, ID: ptr(3.0)}
	touch(t, tab, input.DispatchTouchEventTypeTouchStart, stick, fire)
	poll(t, tab, fmt.Sprintf(`window.skirmish.ownShots >= %d`, shots+3), "holding the fire button did not fire")
	poll(t, tab, `window.skirmish.sounds.fire > 0`, "no shot was heard")

	// M mutes: the shots go on, silent.
	if err := chromedp.Do(tab, chromedp.KeyEvent("m")); err != nil {
		t.Fatal(err)
	}
	poll(t, tab, `window.skirmish.muted === true`, "M did not mute")
	heard, shots := evalInt(t, tab, `window.skirmish.sounds.fire`), evalInt(t, tab, `window.skirmish.ownShots`)
	poll(t, tab, fmt.Sprintf(`window.skirmish.ownShots >= %d`, shots+3), "firing stopped")
	if got := evalInt(t, tab, `window.skirmish.sounds.fire`); got != heard {
		t.Errorf("muted, %d more shots were heard", got-heard)
	}
	touch(t, tab, input.DispatchTouchEventTypeTouchEnd)
	if d := evalInt(t, tab, `window.skirmish.desyncs`); d != 0 {
		t.Errorf("%d desyncs", d)
	}
	t.Logf("moved %.0f px by the stick; %d shots fired by the button, %d heard before muting; refused %d",
		math.Abs(evalFloat(t, tab, `window.skirmish.x`)-x0)/16, evalInt(t, tab, `window.skirmish.ownShots`), heard, evalInt(t, tab, `window.skirmish.ownShotsRefused`))
}

// touch sends one touch event with the fingers down after it.
func touch(t *testing.T, tab context.Context, typ input.DispatchTouchEventType, points ...*input.TouchPoint) {
	t.Helper()
	if points == nil {
		points = []*input.TouchPoint{}
	}
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: points})
		return err
	})); err != nil {
		t.Fatalf("touch %s: %v", typ, err)
	}
}

// tap puts a finger down at (x, y) and lifts it once the page has seen it
// (its next update).
func tap(t *testing.T, tab context.Context, x, y float64) {
	t.Helper()
	touch(t, tab, input.DispatchTouchEventTypeTouchStart, &input.TouchPoint{X: x, Y: y, ID: ptr(9.0)})
	since := evalFloat(t, tab, `window.skirmish.updated`)
	poll(t, tab, fmt.Sprintf(`window.skirmish.updated > %f`, since), "the page stopped updating")
	touch(t, tab, input.DispatchTouchEventTypeTouchEnd)
}

func poll(t *testing.T, tab context.Context, cond, failure string) {
	t.Helper()
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("%s: %v (state %s, message %q)", failure, err, evalString(t, tab, `window.skirmish.state`), evalString(t, tab, `window.skirmish.message`))
	}
}

func ptr[T any](v T) *T { return &v }
