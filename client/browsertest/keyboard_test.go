//go:build !(js && wasm)

// keyboard_test.go — a phone types on the title screen (client/
// keyboard_js.go), through the DevTools protocol's touch events: a tap on
// the code field or the name field focuses an HTML input over it (what
// brings a phone's keyboard up), what is typed there is the field's text
// by the field's rules, Enter plays, and the name is remembered for the
// next visit. A tap elsewhere puts the input away.

package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestBrowserPhoneKeyboard(t *testing.T) {
	base, _, tab := gameTab(t, 3*time.Minute)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(viewW, viewH), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5})
		return err
	}), chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	const who = "Tove"
	waitFor(t, tab, who, `window.skirmish && window.skirmish.state === "title" && window.skirmish.firstFrameMs > 0`, 90*time.Second)
	focused := `document.activeElement.id === "field-input" && !document.activeElement.hidden`

	// The code field: its input takes the code's characters only.
	tapLogical(t, tab, `window.skirmish.codeField`)
	waitFor(t, tab, who, focused, 15*time.Second)
	if n := evalInt(t, tab, `document.activeElement.maxLength`); n != 5 {
		t.Errorf("the code's input takes %d characters; want 5", n)
	}
	typeKeys(t, tab, who, "ab1cd")
	waitFor(t, tab, who, `window.skirmish.typedCode === "ABCD" && document.activeElement.value === "ABCD"`, 15*time.Second)

	// A tap on the name field moves the input there: the name typed in it
	// is the player's.
	tapLogical(t, tab, `window.skirmish.nameField`)
	waitFor(t, tab, who, focused+` && document.activeElement.maxLength === 16`, 15*time.Second)
	typeKeys(t, tab, who, "T#ove")
	waitFor(t, tab, who, `window.skirmish.name === "Tove" && document.activeElement.value === "Tove"`, 15*time.Second)
	if got := evalString(t, tab, `window.skirmish.typedCode`); got != "ABCD" {
		t.Errorf("typing the name changed the code to %q", got)
	}
	// A tap off the fields (the heading) puts the input away; the name stays.
	tap(t, tab, viewW/2, 90)
	waitFor(t, tab, who, `document.getElementById("field-input").hidden && document.activeElement.tagName === "CANVAS"`, 15*time.Second)
	if got := evalString(t, tab, `window.skirmish.name`); got != who {
		t.Errorf("after the input went the name is %q; want %q", got, who)
	}

	// Back in the field, the name is there, selected: typing replaces it,
	// and the keyboard's Enter plays.
	tapLogical(t, tab, `window.skirmish.nameField`)
	waitFor(t, tab, who, focused+` && document.activeElement.value === "Tove" && document.activeElement.selectionEnd - document.activeElement.selectionStart === 4`, 15*time.Second)
	typeKeys(t, tab, who, "Tove"+kb.Enter)
	waitFor(t, tab, who, `window.skirmish.state === "playing" && window.skirmish.snapshots > 10 && window.skirmish.players.includes("Tove")`, 60*time.Second)
	if got := evalString(t, tab, `localStorage.getItem("skirmish.name")`); got != who {
		t.Errorf("localStorage remembers %q; want %q", got, who)
	}
	if evalBool(t, tab, `!document.getElementById("field-input").hidden`) {
		t.Error("the input is still up in the match")
	}
}
