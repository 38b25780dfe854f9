//go:build js && wasm

// input.go — keys and mouse into one sim.Input per tick: WASD or arrows
// move, the mouse aims from the local player's drawn position, the left
// button or space fires.

package main

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"skirmish/client/netcode"
	"skirmish/sim"
)

type inputState struct {
	aim uint16 // kept when the cursor sits on the player
}

// read returns this tick's input. v is the last drawn view, for where the
// local player is on screen.
func (st *inputState) read(v *netcode.View) sim.Input {
	var in sim.Input
	if pressed(ebiten.KeyW, ebiten.KeyArrowUp) {
		in.Move |= sim.MoveUp
	}
	if pressed(ebiten.KeyS, ebiten.KeyArrowDown) {
		in.Move |= sim.MoveDown
	}
	if pressed(ebiten.KeyA, ebiten.KeyArrowLeft) {
		in.Move |= sim.MoveLeft
	}
	if pressed(ebiten.KeyD, ebiten.KeyArrowRight) {
		in.Move |= sim.MoveRight
	}
	if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) || ebiten.IsKeyPressed(ebiten.KeySpace) {
		in.Buttons |= sim.ButtonFire
	}
	if me := localPlayer(v); me != nil {
		cx, cy := ebiten.CursorPosition()
		dx, dy := float64(cx)-toScreen(me.X), float64(cy)-toScreen(me.Y)
		if dx*dx+dy*dy >= 4 {
			// Screen y grows downwards, so atan2 already turns clockwise from east.
			a := math.Atan2(dy, dx) / (2 * math.Pi) * sim.AimSteps
			st.aim = uint16(int(math.Round(a)+sim.AimSteps) % sim.AimSteps)
		}
	}
	in.Aim = st.aim
	return in
}

func pressed(keys ...ebiten.Key) bool {
	for _, k := range keys {
		if ebiten.IsKeyPressed(k) {
			return true
		}
	}
	return false
}

// localPlayer is the local player in v, or nil.
func localPlayer(v *netcode.View) *netcode.PlayerView {
	for i := range v.Players {
		if v.Players[i].Local {
			return &v.Players[i]
		}
	}
	return nil
}
