//go:build js && wasm

// replaycam.go — a replay's camera (replay.go): Tab follows the next
// player, through the spectator's camera (camera.go: zoomed around them
// and ringed), and after the last one shows the whole arena at a
// player's zoom. Its keys are only Tab: the arrows seek and [ ] set the
// speed in a replay. It reads only the View replay.go filled.

package main

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skirmish/client/netcode"
	"skirmish/sim"
)

type replayCam struct {
	cam camera // follows cam.follow; 0: the whole arena
}

// update cycles the camera on Tab and keeps it on the followed player;
// a followed player who left shows the whole arena. m is the arena the
// view stays in.
func (c *replayCam) update(v *netcode.View, m *sim.Map) {
	if inpututil.IsKeyJustPressed(ebiten.KeyTab) {
		c.cam.follow = nextPlayer(v, c.cam.follow)
	}
	if playerIn(v, c.cam.follow) == nil {
		c.cam.follow = 0
		return
	}
	c.cam.track(v, m)
}

// following is the followed player, nil for the whole arena.
func (c *replayCam) following(v *netcode.View) *netcode.PlayerView {
	if c.cam.follow == 0 {
		return nil
	}
	return c.cam.following(v)
}

// followed is the followed player's id, 0 for the whole arena.
func (c *replayCam) followed(v *netcode.View) uint32 {
	if p := c.following(v); p != nil {
		return p.ID
	}
	return 0
}

// draw draws the arena and the world: whole when no one is followed, else
// through the spectator's camera.
func (c *replayCam) draw(dst *ebiten.Image, a *arena, w *world, m *sim.Map, v *netcode.View) {
	if c.following(v) == nil {
		a.draw(dst, m)
		w.draw(dst, v, plain(), nil)
		return
	}
	c.cam.draw(dst, a, m, v)
}

// nextPlayer is the id of the player after id in v's order (by id), the
// first when id is 0, and 0 (the whole arena) after the last.
func nextPlayer(v *netcode.View, id uint32) uint32 {
	for i := range v.Players {
		if v.Players[i].ID > id {
			return v.Players[i].ID
		}
	}
	return 0
}
