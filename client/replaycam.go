//go:build js && wasm

// replaycam.go — a replay's camera (replay.go): Tab follows the next
// player, at twice a player's zoom around them and ringed, and after the
// last one the free camera, the whole arena at a player's zoom. It reads
// only the View replay.go filled; draw.go draws the world it frames.

package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"skirmish/client/netcode"
	"skirmish/client/sprites"
	"skirmish/sim"
)

// followZoom is how much closer than the whole arena the camera looks at
// a followed player: two logical pixels per sim pixel.
const followZoom = 2

type replayCam struct {
	follow uint32  // the player followed; 0: the free camera
	x, y   float64 // the centre when following, in sim units
	world  *ebiten.Image
}

// update cycles the camera on Tab and keeps it on the followed player;
// a followed player who left frees it. m is the arena the view stays in.
func (c *replayCam) update(v *netcode.View, m *sim.Map) {
	if inpututil.IsKeyJustPressed(ebiten.KeyTab) {
		c.follow = nextPlayer(v, c.follow)
	}
	p := c.following(v)
	if p == nil {
		c.follow = 0
		return
	}
	c.x, c.y = p.X, p.Y
	if m != nil {
		halfW, halfH := float64(screenW)/2/followZoom*sim.UnitsPerPixel, float64(screenH)/2/followZoom*sim.UnitsPerPixel
		c.x = min(max(c.x, halfW), float64(m.Width)-halfW)
		c.y = min(max(c.y, halfH), float64(m.Height)-halfH)
	}
}

// following is the followed player, nil for the free camera.
func (c *replayCam) following(v *netcode.View) *netcode.PlayerView {
	if c.follow == 0 {
		return nil
	}
	for i := range v.Players {
		if v.Players[i].ID == c.follow {
			return &v.Players[i]
		}
	}
	return nil
}

// followed is the followed player's id, 0 for the free camera.
func (c *replayCam) followed(v *netcode.View) uint32 {
	if p := c.following(v); p != nil {
		return p.ID
	}
	return 0
}

// draw draws the arena and the world: whole for the free camera, else
// into the camera's own image with the followed player ringed, and that
// onto dst at followZoom around the camera's centre.
func (c *replayCam) draw(dst *ebiten.Image, a *arena, w *world, m *sim.Map, v *netcode.View) {
	p := c.following(v)
	if p == nil {
		a.draw(dst, m)
		w.draw(dst, v)
		return
	}
	if c.world == nil {
		c.world = ebiten.NewImage(screenW, screenH)
	}
	c.world.Fill(colBackground)
	a.draw(c.world, m)
	w.draw(c.world, v)
	if p.Alive {
		vector.StrokeCircle(c.world, float32(toScreen(p.X)), float32(toScreen(p.Y)), sprites.RingRadius+1, 2, colAccent, true)
	}
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterLinear}
	op.GeoM.Translate(-toScreen(c.x), -toScreen(c.y))
	op.GeoM.Scale(followZoom, followZoom)
	op.GeoM.Translate(screenW/2, screenH/2)
	dst.DrawImage(c.world, op)
}

// nextPlayer is the id of the player after id in v's order (by id), the
// first when id is 0, and 0 (the free camera) after the last.
func nextPlayer(v *netcode.View, id uint32) uint32 {
	for i := range v.Players {
		if v.Players[i].ID > id {
			return v.Players[i].ID
		}
	}
	return 0
}
