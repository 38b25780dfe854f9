//go:build js && wasm

// sharp.go — whether the game draws at the device's pixels (view.go: k up
// to the device pixel ratio) or at one pixel per logical pixel. Sharp is
// the default. H in a match turns it off and on, kept in localStorage;
// ?sharp=0 or ?sharp=1 in the page's URL chooses for that page. A renderer
// that cannot keep up (software WebGL fills k² times the pixels) drops to
// 1× by itself: a match drawn at more than 1× under slowFPS frames a
// second for slowChecks checks in a row goes to 1× for the rest of the
// page, and says so, unless the player chose sharp (the URL, or H).
// main.go's LayoutF asks it for the device pixel ratio to use.

package main

import (
	"fmt"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

const (
	sharpKey   = "skirmish.sharp" // in localStorage: "0" off, "1" on
	slowFPS    = 30               // frames a second under which a sharp match is slow
	checkEvery = 2 * time.Second
	slowChecks = 2 // checks in a row under slowFPS before dropping to 1×
)

type sharpness struct {
	on      bool // draw at the device's pixels
	chosen  bool // the player chose (the URL or H): never dropped by itself
	dropped bool // dropped to 1× for a slow renderer

	checked time.Time // the last frame-rate check, zero outside a match
	slow    int       // checks in a row under slowFPS at more than 1×

	note    string
	noteEnd time.Time
}

func newSharpness() *sharpness {
	s := &sharpness{on: true}
	if ls := js.Global().Get("localStorage"); ls.Truthy() {
		if v := ls.Call("getItem", sharpKey); v.Truthy() {
			s.on, s.chosen = v.String() != "0", true
		}
	}
	q := js.Global().Get("URLSearchParams").New(js.Global().Get("location").Get("search"))
	if v := q.Call("get", "sharp"); v.Truthy() {
		s.on, s.chosen = v.String() != "0", true
	}
	return s
}

// ratio is the device pixel ratio the game draws at: the device's, or 1.
func (s *sharpness) ratio() float64 {
	if !s.on {
		return 1
	}
	return ebiten.Monitor().DeviceScaleFactor()
}

// update reads H while a match is on screen (inPlay: the title screen's
// keys are typing), and checks the frame rate every checkEvery of one.
func (s *sharpness) update(inPlay bool, now time.Time) {
	if !inPlay {
		s.checked, s.slow = time.Time{}, 0
		return
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyH) {
		s.on, s.chosen, s.dropped = !s.on, true, false
		s.say(now)
		if ls := js.Global().Get("localStorage"); ls.Truthy() {
			v := "0"
			if s.on {
				v = "1"
			}
			ls.Call("setItem", sharpKey, v)
		}
	}
	switch {
	case s.checked.IsZero():
		s.checked = now // the match's first frames load and compile: not counted
	case now.Sub(s.checked) >= checkEvery:
		s.checked = now
		s.check(ebiten.ActualFPS(), now)
	}
}

// check takes the frame rate Ebiten measured over the last second.
func (s *sharpness) check(fps float64, now time.Time) {
	if !s.on || s.chosen || scr.k <= 1 || fps >= slowFPS {
		s.slow = 0
		return
	}
	if s.slow++; s.slow >= slowChecks {
		s.on, s.dropped, s.slow = false, true, 0
		s.note, s.noteEnd = fmt.Sprintf("drawing at 1× to keep up (%.0f frames a second sharp) · H for sharp", fps), now.Add(3*noteFor)
	}
}

// say shows what H chose.
func (s *sharpness) say(now time.Time) {
	s.note, s.noteEnd = "sharp drawing off (1×) · H for sharp", now.Add(noteFor)
	if s.on {
		s.note = "sharp drawing on (the screen's pixels) · H for 1×"
	}
}

func (s *sharpness) draw(dst *ebiten.Image, now time.Time) {
	if s.note != "" && now.Before(s.noteEnd) {
		drawText(dst, s.note, fontMedium, screenW/2, screenH-110, colText, alignCenter)
	}
}

// publish puts it in window.skirmish: sharp, and sharpDropped.
func (s *sharpness) publish(o js.Value) {
	o.Set("sharp", s.on)
	o.Set("sharpDropped", s.dropped)
}
