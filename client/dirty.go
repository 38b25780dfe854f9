//go:build js && wasm

// dirty.go — what a frame drew over the arena. The screen is not cleared
// between frames (main.go), so the next frame of a match copies back from
// the arena image only the rectangles this one drew on, not the whole
// screen: software WebGL's frame is bound by the pixels it fills, and the
// arena is most of them. draw.go's arena consumes the list; drawText, the
// world's batch and every other drawing over a match add to it; a
// drawing that covers the screen (an overlay) asks for all of it. The
// rectangles are in the screen's pixels (view.go), as the arena image's.

package main

import (
	"image"
	"math"
)

type dirtyRects struct {
	rects []image.Rectangle
	all   bool
}

// dirty is the current frame's list.
var dirty dirtyRects

// add records that the logical rectangle r was drawn on.
func (d *dirtyRects) add(r image.Rectangle) {
	if !d.all {
		d.addScreen(scr.out(r))
	}
}

// addScreen records that r, in screen pixels, was drawn on, with a margin
// of two logical pixels for the edges' anti-aliasing.
func (d *dirtyRects) addScreen(r image.Rectangle) {
	if !d.all {
		d.rects = append(d.rects, r.Inset(-int(math.Ceil(2*scr.k))))
	}
}

// addF records the float rectangle from (x0, y0) to (x1, y1), in screen
// pixels.
func (d *dirtyRects) addF(x0, y0, x1, y1 float32) {
	d.addScreen(image.Rect(int(x0)-1, int(y0)-1, int(x1)+2, int(y1)+2))
}

// everything records that the whole screen was drawn on.
func (d *dirtyRects) everything() {
	d.all = true
	d.rects = d.rects[:0]
}

// take hands over the list (and whether it is the whole screen) and
// starts a new one.
func (d *dirtyRects) take(into []image.Rectangle) ([]image.Rectangle, bool) {
	into, all := append(into[:0], d.rects...), d.all
	d.rects, d.all = d.rects[:0], false
	return into, all
}
