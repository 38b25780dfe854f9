//go:build !(js && wasm)

// highdpi_test.go — the game on screens of two device pixels per CSS
// pixel, in headless Chromium (client/view.go): a 1280×960 window draws
// at 2560×1920, its text drawn at those pixels rather than stretched, and
// clicking Play by its rect still gets into the game, whose sharp drawing
// drops to 1× on a page too slow for it and comes back with H
// (client/sharp.go); a phone held
// upright (400×800 CSS pixels) letterboxes the game, and its taps, mapped
// through where the game sits on the page, reach the fields, Play and the
// fire button.

package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// throttleCPU slows the page's CPU rate times (1: not at all).
func throttleCPU(t *testing.T, tab context.Context, rate float64) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: rate})
		return err
	})); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserHighDPI(t *testing.T) {
	base, _, browser := gameTab(t, 4*time.Minute)
	out := outputDir(t, repoRoot(t))
	if err := chromedp.Do(browser); err != nil { // starts Chromium
		t.Fatal(err)
	}

	t.Run("Desktop", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		defer cancel()
		if err := chromedp.Do(tab, chromedp.EmulateViewport(viewW, viewH, chromedp.EmulateScale(2)), chromedp.Navigate(base+"/")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, "Hana", `window.skirmish && window.skirmish.state === "title" && window.skirmish.firstFrameMs > 0`, 90*time.Second)
		// The canvas's pixels and CSS pixels, the game's scale and pixels,
		// and where its logical screen sits, in one call into the page (at
		// 2× a page draws a few frames a second, and each call waits for one).
		sizes, err := chromedp.Run(tab, chromedp.Evaluate[struct {
			Canvas [4]float64 // width, height; clientWidth, clientHeight
			Scale  float64
			Pixels string
			View   [3]float64 // x, y, scale
		}](`(c => { const s = window.skirmish;
			return {Canvas: [c.width, c.height, c.clientWidth, c.clientHeight], Scale: s.scale, Pixels: s.pixels.join("x"), View: [s.view.x, s.view.y, s.view.scale]};
		})(document.querySelector("canvas"))`))
		if err != nil {
			t.Fatalf("read the page's sizes: %v", err)
		}
		if backing := sizes.Canvas; backing != [4]float64{2 * viewW, 2 * viewH, viewW, viewH} {
			t.Errorf("the canvas is %v×%v pixels for %v×%v CSS pixels; want twice as many", backing[0], backing[1], backing[2], backing[3])
		}
		if k, px := sizes.Scale, sizes.Pixels; k != 2 || px != "2560x1920" {
			t.Errorf("the game draws at scale %v, %s pixels; want 2, 2560x1920", k, px)
		}
		if v := sizes.View; v != [3]float64{0, 0, 1} {
			t.Errorf("the logical screen sits at %v, %v at %v CSS pixels a pixel; want 0, 0 at 1", v[0], v[1], v[2])
		}
		// The heading's glyphs are drawn at the device's pixels: a picture
		// drawn at 1280×960 and doubled would have every aligned 2×2 block
		// of one colour.
		shot := screenshotImage(t, tab, filepath.Join(out, "title-2x.png"))
		if b := shot.Bounds(); b.Dx() != 2*viewW || b.Dy() != 2*viewH {
			t.Fatalf("the screenshot is %v; want 2560×1920", b)
		}
		heading := image.Rect(2*440, 2*50, 2*840, 2*130) // "SKIRMISH" (title.go)
		if n, all := unevenBlocks(shot, heading); n < all/50 {
			t.Errorf("%d of the heading's %d 2×2 blocks hold more than one colour; the text looks stretched, not drawn at 2×", n, all)
		} else {
			t.Logf("%d of the heading's %d 2×2 blocks hold more than one colour", n, all)
		}

		// The desktop's mouse and keys type into the canvas, as at 1×, and
		// Play by its rect starts the game.
		typeName(t, tab, "Hana")
		if got := evalString(t, tab, `document.activeElement.tagName`); got != "CANVAS" {
			t.Errorf("after a click on the name field %s has the focus; want the canvas", got)
		}
		clickRect(t, tab, "Hana", `window.skirmish.playButton`)
		// The match draws at 2× from its first frames (polled from the
		// click), or has been drawn so: a slow page drops to 1× seconds into
		// the match (below), on a loaded machine before the match is up, and
		// it drops only from more than 1× (client/sharp.go's check).
		waitFor(t, tab, "Hana", `window.skirmish.state === "playing" && (window.skirmish.pixels.join("x") === "2560x1920" || window.skirmish.sharpDropped)`, 60*time.Second)
		screenshot(t, tab, filepath.Join(out, "match-2x.png"))
		waitFor(t, tab, "Hana", `window.skirmish.state === "playing" && window.skirmish.snapshots > 10 && window.skirmish.players.includes("Hana")`, 60*time.Second)

		// Sharp drawing (client/sharp.go). A renderer that cannot keep up
		// (under 30 frames a second) drops to 1× by itself. Software WebGL
		// at 2× is mostly that slow already; a page that is not (a fast
		// machine) has its CPU throttled 20×, which draws a few frames a
		// second at 2×. Throttled, every call into the page waits for its
		// slow frames: the throttle stays off where it is not needed.
		now := evalFloats(t, tab, `[window.skirmish.fps, window.skirmish.sharpDropped ? 1 : 0]`, 2)
		fps := now[0]
		throttled := fps >= 15 && now[1] == 0
		if throttled {
			throttleCPU(t, tab, 20)
		}
		waitFor(t, tab, "Hana", `window.skirmish.sharpDropped && !window.skirmish.sharp && window.skirmish.pixels.join("x") === "1280x960"`, 60*time.Second)
		t.Logf("sharp dropped to 1× (%.1f fps when the match was up; CPU throttled: %v)", fps, throttled)
		if throttled {
			throttleCPU(t, tab, 1)
		}
		// H chooses sharp again, kept for the next visit, and H once more 1×.
		press(t, tab, key{"h", "KeyH", 72})
		waitFor(t, tab, "Hana", `window.skirmish.sharp && !window.skirmish.sharpDropped && window.skirmish.scale === 2 && localStorage.getItem("skirmish.sharp") === "1"`, 15*time.Second)
		press(t, tab, key{"h", "KeyH", 72})
		waitFor(t, tab, "Hana", `!window.skirmish.sharp && window.skirmish.scale === 1 && localStorage.getItem("skirmish.sharp") === "0"`, 15*time.Second)
	})

	t.Run("Portrait", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		defer cancel()
		const w, h = 400, 800
		if err := chromedp.Do(tab, chromedp.EmulateViewport(w, h, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5})
				return err
			}), chromedp.Navigate(base+"/")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, "Ines", `window.skirmish && window.skirmish.state === "title" && window.skirmish.firstFrameMs > 0`, 90*time.Second)
		// The canvas's pixels, the game's scale, and where its logical
		// screen sits (x, y, scale), in one call into the page.
		sizes := evalFloats(t, tab, `(c => { const s = window.skirmish; return [c.width, c.height, s.scale, s.view.x, s.view.y, s.view.scale]; })(document.querySelector("canvas"))`, 6)
		if got := fmt.Sprintf("%vx%v", sizes[0], sizes[1]); got != "800x1600" {
			t.Errorf("the canvas is %s pixels; want 800x1600", got)
		}
		// 800 device pixels across is less than the logical 1280: the game
		// draws at 1280×960, and Ebiten fits it across the width, centred.
		if k := sizes[2]; k != 1 {
			t.Errorf("the game draws at scale %v; want 1", k)
		}
		v := sizes[3:]
		if want := [4]float64{0, (h - viewH*w/viewW) / 2, float64(w) / viewW, 0}; math.Abs(v[0]-want[0]) > 0.5 || math.Abs(v[1]-want[1]) > 0.5 || math.Abs(v[2]-want[2]) > 1e-3 {
			t.Errorf("the logical screen sits at %v, %v at %v CSS pixels a pixel; want %v, %v at %v", v[0], v[1], v[2], want[0], want[1], want[2])
		}
		screenshot(t, tab, filepath.Join(out, "title-portrait-2x.png"))

		// Play with no name: the tap reached Play, which says so.
		tapLogical(t, tab, `window.skirmish.playButton`)
		waitFor(t, tab, "Ines", `window.skirmish.message.startsWith("Type a name first")`, 15*time.Second)
		// The name field's input comes up where the field is drawn.
		tapLogical(t, tab, `window.skirmish.nameField`)
		waitFor(t, tab, "Ines", `document.activeElement.id === "field-input"`, 15*time.Second)
		field := evalRect(t, tab, `window.skirmish.nameField`)
		got := evalRect(t, tab, `(r => ({x: r.x, y: r.y, w: r.width, h: r.height}))(document.activeElement.getBoundingClientRect())`)
		for i, want := range [4]float64{v[0] + field[0]*v[2], v[1] + field[1]*v[2], field[2] * v[2], field[3] * v[2]} {
			if math.Abs(got[i]-want) > 1 {
				t.Errorf("the input sits at %v; the field is drawn at %v (x, y, w, h in CSS pixels)", got, want)
				break
			}
		}
		typeKeys(t, tab, "Ines", "Ines")
		waitFor(t, tab, "Ines", `window.skirmish.name === "Ines"`, 15*time.Second)
		tapLogical(t, tab, `window.skirmish.playButton`)
		waitFor(t, tab, "Ines", `window.skirmish.state === "playing" && window.skirmish.snapshots > 10 && window.skirmish.players.includes("Ines")`, 60*time.Second)
		if evalBool(t, tab, `!document.getElementById("field-input").hidden`) {
			t.Error("the input is still up in the match")
		}
		// The fire button, where the letterboxed game draws it, fires.
		shots := evalInt(t, tab, `window.skirmish.ownShots`)
		x, y := toPage(t, tab, fireButtonX, fireButtonY)
		fire := &input.TouchPoint{X: x, Y: y, ID: ptr(3.0)}
		touch(t, tab, input.DispatchTouchEventTypeTouchStart, fire)
		poll(t, tab, fmt.Sprintf(`window.skirmish.ownShots >= %d`, shots+3), "holding the fire button did not fire")
		touch(t, tab, input.DispatchTouchEventTypeTouchEnd)
		screenshot(t, tab, filepath.Join(out, "match-portrait-2x.png"))
	})
}

// toPage is where the logical point (x, y) is in the page, in CSS pixels
// (window.skirmish.view).
func toPage(t *testing.T, tab context.Context, x, y float64) (float64, float64) {
	t.Helper()
	v := evalRect(t, tab, `(v => ({x: v.x, y: v.y, w: v.scale, h: 0}))(window.skirmish.view)`)
	return v[0] + x*v[2], v[1] + y*v[2]
}

// tapLogical taps the middle of the logical {x, y, w, h} that expr names.
func tapLogical(t *testing.T, tab context.Context, expr string) {
	t.Helper()
	r := evalRect(t, tab, expr)
	x, y := toPage(t, tab, r[0]+r[2]/2, r[1]+r[3]/2)
	tap(t, tab, x, y)
}

// screenshotImage takes a screenshot, writes it to path and decodes it.
func screenshotImage(t *testing.T, tab context.Context, path string) image.Image {
	t.Helper()
	b, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return img
}

// unevenBlocks counts the 2×2 blocks, aligned on even pixels, of r in img
// whose four pixels are not all one colour, and all the blocks.
func unevenBlocks(img image.Image, r image.Rectangle) (n, all int) {
	for y := r.Min.Y &^ 1; y+1 < r.Max.Y; y += 2 {
		for x := r.Min.X &^ 1; x+1 < r.Max.X; x += 2 {
			all++
			c := img.At(x, y)
			if img.At(x+1, y) != c || img.At(x, y+1) != c || img.At(x+1, y+1) != c {
				n++
			}
		}
	}
	return n, all
}
