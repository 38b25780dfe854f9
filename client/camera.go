//go:build js && wasm

// camera.go — a spectator's camera (watch.go): it follows one player,
// Tab or ] for the next and [ for the previous, or pans free with the
// arrows or WASD; the world is drawn at zoom around its centre. A
// replay's camera (replaycam.go) follows through the same one. session.go
// moves it in update and draws through it; draw.go draws the world it
// frames.

package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skirmish/client/netcode"
	"skirmish/client/sprites"
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

type camera struct {
	follow uint32        // the player followed; 0: none (free, or nobody to follow)
	free   bool          // panned by hand
	x, y   float64       // the centre, in sim units
	world  *ebiten.Image // the arena and the world at one logical pixel a sim pixel (the screen's size)
	op     ebiten.DrawImageOptions
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

// track keeps the camera on the followed player where the last view drew
// them (the next one if they left), within the arena m.
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

// draw draws the arena and the world w into the camera's own image, the
// followed player ringed, and that onto dst at the camera's zoom around
// its centre. The camera moves, so every frame copies the whole arena
// back and covers the whole screen (dirty.go).
func (c *camera) draw(dst *ebiten.Image, a *arena, w *world, m *sim.Map, v *netcode.View) {
	if sw, sh := scr.size(); c.world == nil || c.world.Bounds().Dx() != sw || c.world.Bounds().Dy() != sh {
		if c.world != nil {
			c.world.Deallocate()
		}
		c.world = ebiten.NewImage(sw, sh)
	}
	dirty.everything()
	a.draw(c.world, m)
	w.draw(c.world, v)
	if p := c.following(v); p != nil && p.Alive {
		strokeCircle(c.world, float32(toScreen(p.X)), float32(toScreen(p.Y)), sprites.RingRadius+3, 2, colAccent)
	}
	c.op.GeoM.Reset()
	c.op.GeoM.Translate(-toScreen(c.x)*scr.k, -toScreen(c.y)*scr.k)
	c.op.GeoM.Scale(spectateZoom, spectateZoom)
	c.op.GeoM.Translate(screenW/2*scr.k, screenH/2*scr.k)
	c.op.Filter = ebiten.FilterLinear
	dst.DrawImage(c.world, &c.op)
	dirty.everything()
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
