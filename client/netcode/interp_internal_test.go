// interp_internal_test.go checks interp.go's shortcuts against what they
// stand for: lerpAim against the wrap by math.Mod, appendTargets against
// the players appendPlayers draws alive, bracket against a binary search.

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

// bracketSearch is bracket as a plain binary search says it.
func bracketSearch(h *samples, r float64) (a, b *sample, frac float64) {
	if r <= float64(h.oldest().tick) {
		return h.oldest(), h.oldest(), 0
	}
	if r >= float64(h.newest().tick) {
		return h.newest(), h.newest(), 0
	}
	lo, hi := 0, h.n-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if float64(h.at(mid).tick) <= r {
			lo = mid
		} else {
			hi = mid
		}
	}
	a, b = h.at(lo), h.at(hi)
	return a, b, (r - float64(a.tick)) / float64(b.tick-a.tick)
}

func TestBracketIsTheBinarySearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, gaps := range []int{0, 2, 8} { // one tick in gaps skipped, on average (0: none)
		var h samples
		var st pb.State
		st.Tick = 1000
		for n := range 3 * ringLen {
			st.Tick++
			if gaps > 0 && rng.IntN(gaps) == 0 {
				st.Tick += uint32(1 + rng.IntN(3))
			}
			h.add(&st)
			if n%5 == 0 && rng.IntN(2) == 0 {
				h.add(&st) // the same tick again replaces the newest
			}
			lo, hi := float64(h.oldest().tick), float64(h.newest().tick)
			rs := []float64{lo - 1, lo, lo + 0.5, hi - 0.5, hi, hi + 1, math.Floor(hi) - 0.25}
			for range 20 {
				rs = append(rs, lo-2+rng.Float64()*(hi-lo+4))
			}
			for _, r := range rs {
				a, b, f := h.bracket(r)
				wa, wb, wf := bracketSearch(&h, r)
				if a != wa || b != wb || math.Float64bits(f) != math.Float64bits(wf) {
					t.Fatalf("gaps %d, ring %d..%d: bracket(%v) = %d, %d, %v; the search says %d, %d, %v",
						gaps, h.oldest().tick, h.newest().tick, r, a.tick, b.tick, f, wa.tick, wb.tick, wf)
				}
			}
		}
	}
}
