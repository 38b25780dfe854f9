//go:build js && wasm

// view.go — the screen's pixels against the game's logical ones. The game
// lays out, hit-tests and draws in logical pixels (the arena's 1280×960,
// main.go); Layout makes the screen k times that, k the device pixels the
// game covers per logical pixel, at least 1 and at most the device pixel
// ratio: 1 at a device pixel ratio of 1 (nothing changes there), 2 in a
// 1280×960 window at a ratio of 2, so that text and shapes are drawn at
// the device's pixels instead of being stretched. Ebiten letterboxes the
// screen into the canvas (portrait too). The helpers here take logical
// coordinates and draw at k; the pointer's positions come back divided by
// it. draw.go's drawText and fillRect, the arena and the world's batch
// scale the same way; what was rendered at another k (the fonts' faces,
// labels.go's labels, the arena) is rendered again when k changes.

package main

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// kSteps: k is a whole number of 64ths, so that the screen's size, k
// times 1280×960 (multiples of 20×15), is a whole number of pixels and
// Ebiten never stretches it by a sliver less than 1 (which would filter
// it soft); a window resized by a pixel mostly keeps its k.
const kSteps = 64

// pixels is the current scale.
type pixels struct {
	k   float64 // screen pixels per logical pixel
	k32 float32
}

var scr = pixels{k: 1, k32: 1}

// screenScale is k for a window of w×h CSS pixels at device pixel ratio
// dpr: the device pixels a letterboxed 1280×960 covers, per logical
// pixel, rounded down to a 64th, within [1, dpr].
func screenScale(w, h, dpr float64) float64 {
	if dpr <= 1 {
		return 1
	}
	fit := min(math.Floor(w*dpr)/screenW, math.Floor(h*dpr)/screenH)
	k := math.Floor(min(fit, dpr)*kSteps) / kSteps
	return max(k, 1)
}

// set changes the scale; it reports whether it changed.
func (p *pixels) set(k float64) bool {
	if k == p.k {
		return false
	}
	p.k, p.k32 = k, float32(k)
	return true
}

// out is the screen rectangle that covers logical r.
func (p *pixels) out(r image.Rectangle) image.Rectangle {
	if p.k == 1 {
		return r
	}
	return image.Rect(int(math.Floor(float64(r.Min.X)*p.k)), int(math.Floor(float64(r.Min.Y)*p.k)),
		int(math.Ceil(float64(r.Max.X)*p.k)), int(math.Ceil(float64(r.Max.Y)*p.k)))
}

// logical is n screen pixels in logical ones, rounded up.
func (p *pixels) logical(n int) int {
	if p.k == 1 {
		return n
	}
	return int(math.Ceil(float64(n) / p.k))
}

// size is the screen's size in pixels.
func (p *pixels) size() (int, int) {
	return int(math.Ceil(screenW * p.k)), int(math.Ceil(screenH * p.k))
}

// cursor is the mouse's position, in logical pixels.
func cursor() (float64, float64) {
	x, y := ebiten.CursorPosition()
	return float64(x) / scr.k, float64(y) / scr.k
}

// touchAt is where touch id is, in logical pixels.
func touchAt(id ebiten.TouchID) (int, int) {
	x, y := ebiten.TouchPosition(id)
	if scr.k == 1 {
		return x, y
	}
	return int(float64(x) / scr.k), int(float64(y) / scr.k)
}

// fillRectF fills the logical rectangle at (x, y), w by h.
func fillRectF(dst *ebiten.Image, x, y, w, h float32, clr color.Color) {
	k := scr.k32
	vector.FillRect(dst, x*k, y*k, w*k, h*k, clr, false)
}

// strokeRect outlines logical r, width wide.
func strokeRect(dst *ebiten.Image, r image.Rectangle, width float32, clr color.Color) {
	k := scr.k32
	vector.StrokeRect(dst, float32(r.Min.X)*k, float32(r.Min.Y)*k, float32(r.Dx())*k, float32(r.Dy())*k, width*k, clr, false)
}

// fillCircle fills the logical circle at (x, y), radius r.
func fillCircle(dst *ebiten.Image, x, y, r float32, clr color.Color) {
	k := scr.k32
	vector.FillCircle(dst, x*k, y*k, r*k, clr, true)
}

// strokeCircle outlines the logical circle at (x, y), radius r, width wide.
func strokeCircle(dst *ebiten.Image, x, y, r, width float32, clr color.Color) {
	k := scr.k32
	vector.StrokeCircle(dst, x*k, y*k, r*k, width*k, clr, true)
}
