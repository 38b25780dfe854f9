// Stage: input. What one player asks for in one tick, and how hostile values are made safe.
// Step (step.go) sanitizes every Input before it is stored and applied; MovePlayer (move.go)
// and fire (projectile.go) read it.

package sim

// Move flags of Input.Move: an 8-way axis input. Opposing flags cancel each other.
const (
	MoveUp    uint8 = 1
	MoveDown  uint8 = 2
	MoveLeft  uint8 = 4
	MoveRight uint8 = 8
	MoveMask  uint8 = MoveUp | MoveDown | MoveLeft | MoveRight
)

// Button flags of Input.Buttons.
const (
	ButtonFire uint8 = 1
	ButtonMask uint8 = ButtonFire
)

// Input is what one player asks for in one tick.
type Input struct {
	Move    uint8  // MoveUp | MoveDown | MoveLeft | MoveRight
	Aim     uint16 // [0, AimSteps), see Dir for the orientation
	Buttons uint8  // ButtonFire
	// RenderLag is how many ticks before the tick of this input the other players were on
	// the shooter's screen when it asked to fire: a shot fired with it is judged that far
	// in the past, at most Config.LagCompTicks (lagcomp.go). Any value is valid.
	RenderLag uint8
}

// PlayerInput addresses an Input to a player for one Step.
type PlayerInput struct {
	ID    PlayerID
	Input Input
}

// Sanitize masks unknown Move and Buttons bits and clamps Aim to AimSteps-1. RenderLag
// needs nothing: fire clamps it to the window, and counts that (lagcomp.go).
// The bool reports whether anything was changed, so a server can count suspicious input.
func (in Input) Sanitize() (Input, bool) {
	out := Input{
		Move:      in.Move & MoveMask,
		Aim:       min(in.Aim, AimSteps-1),
		Buttons:   in.Buttons & ButtonMask,
		RenderLag: in.RenderLag,
	}
	return out, out != in
}
