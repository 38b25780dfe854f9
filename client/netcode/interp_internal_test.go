// interp_internal_test.go checks interp.go's shortcuts against what they
// stand for: lerpAim against the wrap by math.Mod, appendTargets against
// the players appendPlayers draws alive.

package netcode

import (
	"math"
	"math/rand/v2"
	"testing"

	pb "skirmish/proto"
	"skirmish/sim"
)

// lerpAimMod is lerpAim as math.Mod says it.
func lerpAimMod(a, b, f float64) float64 {
	d := math.Mod(b-a, sim.AimSteps)
	switch {
	case d > sim.AimSteps/2:
		d -= sim.AimSteps
	case d < -sim.AimSteps/2:
		d += sim.AimSteps
	}
	aim := math.Mod(a+d*f, sim.AimSteps)
	if aim < 0 {
		aim += sim.AimSteps
	}
	return aim
}

func TestLerpAimIsTheModWrap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	aims := []float64{0, 1, 511, 512, 513, 1023, -1, -1024, 1024, 1025, 2047, 5000, -5000, math.MaxInt32, math.MinInt32}
	for range 2000 {
		aims = append(aims, float64(rng.IntN(sim.AimSteps)))
	}
	fracs := []float64{0, 0.25, 0.5, 0.999, 1}
	for range 20 {
		fracs = append(fracs, rng.Float64())
	}
	for i, a := range aims {
		for _, b := range aims[max(i-40, 0):min(i+40, len(aims))] {
			for _, f := range fracs {
				got, want := lerpAim(a, b, f), lerpAimMod(a, b, f)
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("lerpAim(%v, %v, %v) = %v; math.Mod's wrap says %v", a, b, f, got, want)
				}
			}
		}
	}
}

// randomSample is a sample at tick of players with ids from 1 to 16, some
// missing, alive or dead, near the positions of prev (if any) or anywhere.
func randomSample(rng *rand.Rand, tick uint32, prev *sample) *sample {
	s := &sample{tick: tick}
	for id := uint32(1); id <= 16; id++ {
		if rng.IntN(8) == 0 {
			continue
		}
		p := pb.PlayerState{ID: id, Name: "p"}
		if rng.IntN(10) == 0 {
			p.Name = "someone new"
		}
		p.F[pb.FieldX], p.F[pb.FieldY] = rng.Int32N(20000), rng.Int32N(15000)
		if prev != nil && rng.IntN(4) != 0 {
			if q := prev.player(id); q != nil {
				p.F[pb.FieldX], p.F[pb.FieldY] = q.F[pb.FieldX]+rng.Int32N(121)-60, q.F[pb.FieldY]+rng.Int32N(121)-60
			}
		}
		p.F[pb.FieldAim] = rng.Int32N(sim.AimSteps)
		if rng.IntN(5) != 0 {
			p.F[pb.FieldAlive] = 1
		}
		s.players = append(s.players, p)
	}
	return s
}

func TestAppendTargetsAreThePlayersDrawnAlive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const speed = 40
	for range 2000 {
		a := randomSample(rng, 100, nil)
		b := randomSample(rng, 100+uint32(1+rng.IntN(3)), a)
		if rng.IntN(10) == 0 {
			b = a
		}
		frac := rng.Float64()
		if rng.IntN(10) == 0 {
			frac = float64(rng.IntN(2))
		}
		skip := uint32(rng.IntN(18))
		var want []sim.Player
		for _, v := range appendPlayers(nil, a, b, frac, skip, speed) {
			if v.Alive {
				want = append(want, sim.Player{ID: sim.PlayerID(v.ID), X: int32(math.Round(v.X)), Y: int32(math.Round(v.Y)), Alive: true})
			}
		}
		got := appendTargets(nil, a, b, frac, skip, speed)
		if len(got) != len(want) {
			t.Fatalf("frac %v, skip %d: %d targets, want the %d players drawn alive:\n%+v\n%+v", frac, skip, len(got), len(want), got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("frac %v, skip %d: target %d is %+v, drawn %+v", frac, skip, i, got[i], want[i])
			}
		}
	}
}
