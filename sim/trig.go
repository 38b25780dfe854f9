// Stage: geometry helpers. Integer directions from aim angles, shared by movement
// (move.go) and firing (projectile.go). The table itself is generated into trig_table.go.

package sim

//go:generate go run ./internal/trigtable -o trig_table.go

// AimSteps is the number of distinct aim angles. Aim 0 points east (+X); angles grow
// clockwise on screen, where +Y points down: AimSteps/4 is south, AimSteps/2 west and
// 3*AimSteps/4 north.
const AimSteps = 1024

// DirScale is the fixed-point scale of the vectors returned by Dir: a unit vector has
// length DirScale.
const DirScale = 1 << dirShift

const (
	dirShift    = 14
	quarterTurn = AimSteps / 4
)

// Dir returns the unit vector of aim, scaled by DirScale, in screen coordinates (+Y down).
// Aim is taken modulo AimSteps. The values come from a quarter-wave sine table, so Dir is
// exact to the table's rounding (±1) and bit-identical on every platform.
func Dir(aim uint16) (dx, dy int32) {
	a := int(aim) % AimSteps
	return sine(a + quarterTurn), sine(a)
}

// sine returns sin(a·2π/AimSteps)·DirScale for any a >= 0.
func sine(a int) int32 {
	a %= AimSteps
	i := a % quarterTurn
	switch a / quarterTurn {
	case 0:
		return sineTable[i]
	case 1:
		return sineTable[quarterTurn-i]
	case 2:
		return -sineTable[i]
	default:
		return -sineTable[quarterTurn-i]
	}
}

// scale returns v·s/DirScale rounded to nearest, halves away from zero, so that opposite
// directions give lengths of exactly opposite sign.
func scale(v, s int32) int32 {
	if v < 0 {
		return -scale(-v, s)
	}
	return (v*s + DirScale/2) >> dirShift
}
