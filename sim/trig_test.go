// Tests of trig.go and the generated trig_table.go against math.Sin and math.Cos.

package sim_test

import (
	"math"
	"testing"

	"skirmish/sim"
)

func TestDirMatchesMathWithinOne(t *testing.T) {
	for a := 0; a < sim.AimSteps; a++ {
		dx, dy := sim.Dir(uint16(a))
		angle := float64(a) * 2 * math.Pi / sim.AimSteps
		wantX := math.Cos(angle) * sim.DirScale
		wantY := math.Sin(angle) * sim.DirScale
		if math.Abs(float64(dx)-wantX) > 1 || math.Abs(float64(dy)-wantY) > 1 {
			t.Fatalf("Dir(%d) = (%d, %d); want (%.2f, %.2f) ±1", a, dx, dy, wantX, wantY)
		}
	}
}

func TestDirOrientation(t *testing.T) {
	for _, tc := range []struct {
		aim    uint16
		dx, dy int32
	}{
		{0, sim.DirScale, 0},                     // east
		{sim.AimSteps / 4, 0, sim.DirScale},      // south: clockwise on screen, +Y down
		{sim.AimSteps / 2, -sim.DirScale, 0},     // west
		{3 * sim.AimSteps / 4, 0, -sim.DirScale}, // north
		{sim.AimSteps, sim.DirScale, 0},          // wraps
	} {
		if dx, dy := sim.Dir(tc.aim); dx != tc.dx || dy != tc.dy {
			t.Errorf("Dir(%d) = (%d, %d); want (%d, %d)", tc.aim, dx, dy, tc.dx, tc.dy)
		}
	}
}

func TestDirIsSymmetric(t *testing.T) {
	for a := 0; a < sim.AimSteps/2; a++ {
		dx, dy := sim.Dir(uint16(a))
		ox, oy := sim.Dir(uint16(a + sim.AimSteps/2))
		if ox != -dx || oy != -dy {
			t.Fatalf("Dir(%d) = (%d, %d) but the opposite Dir = (%d, %d)", a, dx, dy, ox, oy)
		}
	}
}
