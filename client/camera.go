//go:build js && wasm

// camera.go — a spectator's camera (watch.go): it follows one player,
// Tab or ] for the next and [ for the previous, or pans free with the
// arrows or WASD; the world is drawn at zoom around its centre, straight
// onto the screen at its own pixels (draw.go's xform), as crisp as a
// match. A replay's camera (replaycam.go) follows through the same one.
// session.go moves it in update and draws through it; draw.go draws the
// world it frames.

package main

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skirmish/client/netcode"
	"skirmish/sim"
)

const (
	// spectateZoom is how much closer than the whole arena a spectator
	// looks: two logical pixels per sim pixel.
	spectateZoom = 2
	// panSpeed is how far the free camera moves an update, in logical
	// pixels of the screen.
	panSpeed = 12
)

// fontZoomed is the names' font through the camera: fontSmall, zoomed.
var fontZoomed = &font{size: fontSmall.size * spectateZoom}

type camera struct {
	follow uint32  // the player followed; 0: none (free, or nobody to follow)
	free   bool    // panned by hand
	x, y   float64 // the centre, in sim units
	w      world   // the players and shots, from a sheet at the zoomed scale
}

// update moves the camera by this update's keys, and onto the followed
// player where the last view drew it. m is the arena, which the view
// stays within.
func (c *camera) update(v *netcode.View, m *sim.Map) {
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyTab), inpututil.IsKeyJustPressed(ebiten.KeyBracketRight):
		c.free, c.follow = false, cycle(v, c.follow, 1)
	case inpututil.IsKeyJustPressed(ebiten.KeyBracketLeft):
		c.free, c.follow = false, cycle(v, c.follow, -1)
	}
	var dx, dy float64
	if pressed(ebiten.KeyW, ebiten.KeyArrowUp) {
		dy--
	}
	if pressed(ebiten.KeyS, ebiten.KeyArrowDown) {
		dy++
	}
	if pressed(ebiten.KeyA, ebiten.KeyArrowLeft) {
		dx--
	}
	if pressed(ebiten.KeyD, ebiten.KeyArrowRight) {
		dx++
	}
	if dx != 0 || dy != 0 {
		c.free = true
		step := float64(panSpeed) / spectateZoom * sim.UnitsPerPixel
		c.x, c.y = c.x+dx*step, c.y+dy*step
	}
	c.track(v, m)
}

// track keeps the camera on the followed player where v draws them (the
// next one if they left), within the arena m.
func (c *camera) track(v *netcode.View, m *sim.Map) {
	if !c.free {
		p := playerIn(v, c.follow)
		if p == nil {
			c.follow = cycle(v, c.follow, 1) // left, or none followed yet
			p = playerIn(v, c.follow)
		}
		if p != nil {
			c.x, c.y = p.X, p.Y
		}
	}
	if m != nil {
		halfW, halfH := float64(screenW)/2/spectateZoom*sim.UnitsPerPixel, float64(screenH)/2/spectateZoom*sim.UnitsPerPixel
		c.x = min(max(c.x, halfW), float64(m.Width)-halfW)
		c.y = min(max(c.y, halfH), float64(m.Height)-halfH)
	}
}

// following is the player the camera follows, nil when free or nobody.
func (c *camera) following(v *netcode.View) *netcode.PlayerView {
	if c.free {
		return nil
	}
	return playerIn(v, c.follow)
}

// draw draws the arena m and the world v, the followed player ringed,
// onto dst through the camera's xform, centred first on where v puts the
// followed player (update centred it on the last frame's view: at 10
// frames a second that is a frame's walk, 40 screen pixels, off centre).
// The camera moves, so every frame covers the whole screen (dirty.go):
// the rectangles drawn count for nothing.
func (c *camera) draw(dst *ebiten.Image, a *arena, m *sim.Map, v *netcode.View) {
	c.track(v, m)
	dirty.everything()
	x := c.xform()
	a.drawAt(dst, m, x)
	c.w.draw(dst, v, x, c.following(v))
}

// xform is where the camera puts the world: spectateZoom times the
// screen's scale, its centre in the middle of the screen, the origin on a
// whole screen pixel (which the arena's enlarged pixels need: draw.go).
func (c *camera) xform() xform {
	k := spectateZoom * scr.k
	return xform{k: k, dx: math.Round(screenW/2*scr.k - toScreen(c.x)*k), dy: math.Round(screenH/2*scr.k - toScreen(c.y)*k), names: fontZoomed}
}

// cycle is the id of the player after (step 1) or before (-1) id in v's
// order, wrapping round; the first (or last) when id is not there; 0 when
// v has nobody.
func cycle(v *netcode.View, id uint32, step int) uint32 {
	n := len(v.Players)
	if n == 0 {
		return 0
	}
	at := -1
	for i := range v.Players {
		if v.Players[i].ID == id {
			at = i
		}
	}
	switch {
	case at < 0 && step > 0:
		return v.Players[0].ID
	case at < 0:
		return v.Players[n-1].ID
	}
	return v.Players[((at+step)%n+n)%n].ID
}

// playerIn is the player with that id in v, or nil.
func playerIn(v *netcode.View, id uint32) *netcode.PlayerView {
	for i := range v.Players {
		if v.Players[i].ID == id {
			return &v.Players[i]
		}
	}
	return nil
}
