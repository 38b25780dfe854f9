//go:build js && wasm

// labels.go — text drawn once into an image and reused while it reads the
// same: a frame draws each string as one DrawImage (Ebiten packs the small
// images into one texture, so they batch) instead of laying out its glyphs
// again. draw.go's drawText and textSize use it; hud.go keeps the strings
// that change (the clock, the player's numbers) until they do.

package main

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// maxLabels bounds the cache: past it, the next frame starts it afresh.
const maxLabels = 256

type labelKey struct {
	face text.Face
	s    string
}

// label is one string rendered in white; drawText tints it. Its size is
// in screen pixels.
type label struct {
	img  *ebiten.Image
	w, h int
	op   ebiten.DrawImageOptions
}

type labelCache struct {
	m map[labelKey]*label
	k float64 // the screen's scale the labels were rendered at (view.go)
}

var labels = labelCache{m: map[labelKey]*label{}, k: 1}

// frame starts a frame: a full cache, or one rendered at another scale,
// is emptied before anything of this frame draws from it.
func (c *labelCache) frame() {
	if len(c.m) < maxLabels && c.k == scr.k {
		return
	}
	c.k = scr.k
	for k, l := range c.m {
		l.img.Deallocate()
		delete(c.m, k)
	}
}

// get returns s in f, rendering it the first time.
func (c *labelCache) get(s string, f text.Face) *label {
	k := labelKey{f, s}
	if l, ok := c.m[k]; ok {
		return l
	}
	w, h := text.Measure(s, f, 0)
	l := &label{w: int(math.Ceil(w)), h: int(math.Ceil(h))}
	l.img = ebiten.NewImage(max(l.w, 1), max(l.h, 1))
	text.Draw(l.img, s, f, &text.DrawOptions{})
	c.m[k] = l
	return l
}
