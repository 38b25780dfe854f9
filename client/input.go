//go:build js && wasm

// input.go — keys, mouse and touch into one sim.Input per tick: WASD or
// arrows move, the mouse aims from the local player's drawn position, the
// left button or space fires. On a touch screen a finger put down on the
// left half is a virtual stick (the direction from where it landed moves),
// one put down on the right half aims by dragging (the direction of the
// drag from where it landed), and the fire button fires while held. The
// stick and the button are drawn once the screen has been touched.

package main

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"skirmish/client/netcode"
	"skirmish/sim"
)

// The touch controls, in logical pixels.
const (
	stickRadius = 90 // the knob's reach
	stickDead   = 14 // a drag shorter than this does not move
	aimDead     = 10 // nor aim
	fireX       = screenW - 150
	fireY       = screenH - 170
	fireRadius  = 80
)

// finger is a touch the controls follow, from where it landed.
type finger struct {
	id             ebiten.TouchID
	on             bool
	x0, y0, x1, y1 int
}

func (f *finger) follow() {
	if f.on {
		if inpututil.IsTouchJustReleased(f.id) {
			f.on = false
			return
		}
		f.x1, f.y1 = touchAt(f.id)
	}
}

type inputState struct {
	aim     uint16 // kept when the cursor sits on the player
	touched bool   // the screen has been touched: draw the controls
	stick   finger
	drag    finger
	fire    finger
	touches []ebiten.TouchID // reused by AppendJustPressedTouchIDs
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
	if me := localPlayer(v); me != nil && !st.touched {
		cx, cy := cursor()
		st.aimAlong(cx-toScreen(me.X), cy-toScreen(me.Y), 2)
	}
	st.readTouch(&in)
	in.Aim = st.aim
	return in
}

// aimAlong aims along (dx, dy) when it is longer than dead.
func (st *inputState) aimAlong(dx, dy, dead float64) {
	if dx*dx+dy*dy >= dead*dead {
		// Screen y grows downwards, so atan2 already turns clockwise from east.
		a := math.Atan2(dy, dx) / (2 * math.Pi) * sim.AimSteps
		st.aim = uint16(int(math.Round(a)+sim.AimSteps) % sim.AimSteps)
	}
}

// readTouch assigns new touches to the stick, the aim drag or the fire
// button, and adds what the held ones say to in.
func (st *inputState) readTouch(in *sim.Input) {
	st.stick.follow()
	st.drag.follow()
	st.fire.follow()
	st.touches = inpututil.AppendJustPressedTouchIDs(st.touches[:0])
	for _, id := range st.touches {
		st.touched = true
		x, y := touchAt(id)
		f := &st.drag
		switch dx, dy := x-fireX, y-fireY; {
		case dx*dx+dy*dy <= fireRadius*fireRadius:
			f = &st.fire
		case x < screenW/2:
			f = &st.stick
		}
		*f = finger{id: id, on: true, x0: x, y0: y, x1: x, y1: y}
	}
	if st.fire.on {
		in.Buttons |= sim.ButtonFire
	}
	if st.drag.on {
		st.aimAlong(float64(st.drag.x1-st.drag.x0), float64(st.drag.y1-st.drag.y0), aimDead)
	}
	if st.stick.on {
		in.Move |= stickMove(st.stick.x1-st.stick.x0, st.stick.y1-st.stick.y0)
	}
}

// stickMove is the eight-way move of a stick pushed by (dx, dy).
func stickMove(dx, dy int) uint8 {
	if dx*dx+dy*dy < stickDead*stickDead {
		return 0
	}
	// The octant, 0 east, clockwise (screen y grows downwards).
	o := int(math.Round(math.Atan2(float64(dy), float64(dx))/(math.Pi/4)+8)) % 8
	return [8]uint8{
		sim.MoveRight, sim.MoveRight | sim.MoveDown, sim.MoveDown, sim.MoveDown | sim.MoveLeft,
		sim.MoveLeft, sim.MoveLeft | sim.MoveUp, sim.MoveUp, sim.MoveUp | sim.MoveRight,
	}[o]
}

var (
	colTouch     = color.RGBA{0x60, 0x60, 0x60, 0x60}
	colTouchHeld = color.RGBA{0x90, 0x90, 0x90, 0x90}
)

// drawTouch draws the stick (where the finger landed, if held) and the
// fire button, once the screen has been touched.
func (st *inputState) drawTouch(dst *ebiten.Image) {
	if !st.touched {
		return
	}
	if s := st.stick; s.on {
		strokeCircle(dst, float32(s.x0), float32(s.y0), stickRadius, 3, colTouch)
		dirty.add(image.Rect(s.x0-stickRadius-40, s.y0-stickRadius-40, s.x0+stickRadius+40, s.y0+stickRadius+40))
		dx, dy := float64(s.x1-s.x0), float64(s.y1-s.y0)
		if l := math.Hypot(dx, dy); l > stickRadius {
			dx, dy = dx/l*stickRadius, dy/l*stickRadius
		}
		fillCircle(dst, float32(float64(s.x0)+dx), float32(float64(s.y0)+dy), 36, colTouchHeld)
	}
	clr := colTouch
	if st.fire.on {
		clr = colTouchHeld
	}
	fillCircle(dst, fireX, fireY, fireRadius, clr)
	dirty.add(image.Rect(fireX-fireRadius, fireY-fireRadius, fireX+fireRadius, fireY+fireRadius))
	drawText(dst, "FIRE", fontLarge, fireX, fireY-18, colText, alignCenter)
}

// tapped is where the left button was clicked or a finger put down this
// tick, in logical pixels, for the title screen's fields and buttons.
func tapped() (image.Point, bool) {
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		x, y := cursor()
		return image.Pt(int(x), int(y)), true
	}
	var ids [1]ebiten.TouchID
	if len(inpututil.AppendJustPressedTouchIDs(ids[:0])) > 0 {
		return image.Pt(touchAt(ids[0])), true
	}
	return image.Point{}, false
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
