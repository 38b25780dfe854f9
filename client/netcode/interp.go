// interp.go — entity interpolation: a ring of the last snapshots' players,
// shots and match, and what they look like at a render tick that falls
// between two of them. client.go adds a sample per snapshot; view.go asks
// for the render tick the clock (clock.go) gives. The local player's own
// shots are not drawn from here but in the predicted present (shots.go).

package netcode

import (
	"math"

	pb "skirmish/proto"
	"skirmish/sim"
)

// ringLen is how many snapshots the ring keeps: about a second at 60 Hz,
// well beyond the longest interpolation delay.
const ringLen = 64

// sample is the replicated state at one tick. Its slices are reused when
// the ring comes round.
type sample struct {
	tick    uint32
	match   pb.MatchInfo
	players []pb.PlayerState
	shots   []pb.ShotState
}

// samples is the ring, oldest to newest; ticks strictly increase.
type samples struct {
	ring  [ringLen]sample
	first int // index of the oldest
	n     int
}

// at returns the i-th sample, 0 being the oldest.
func (h *samples) at(i int) *sample { return &h.ring[(h.first+i)%ringLen] }

func (h *samples) oldest() *sample { return h.at(0) }
func (h *samples) newest() *sample { return h.at(h.n - 1) }

// add records s as the newest sample; a sample of the same tick as the
// newest replaces it.
func (h *samples) add(s *pb.State) {
	var dst *sample
	switch {
	case h.n > 0 && h.newest().tick == s.Tick:
		dst = h.newest()
	case h.n < ringLen:
		h.n++
		dst = h.newest()
	default:
		h.first = (h.first + 1) % ringLen
		dst = h.newest()
	}
	dst.tick, dst.match = s.Tick, s.Match
	dst.players = append(reuse(dst.players, len(s.Players)), s.Players...)
	dst.shots = append(reuse(dst.shots, len(s.Shots)), s.Shots...)
}

// reuse returns s emptied with room for n elements, grown to twice n when
// short: each of the ring's slots grows on its own, and the headroom lets
// them all settle at a working size after a few allocations.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, 2*n)
	}
	return s[:0]
}

// bracket returns the samples a and b around tick r (a.tick ≤ r ≤ b.tick,
// consecutive in the ring) and where r lies between them, in [0, 1]. r is
// clamped into the ring's range. The ring must not be empty.
func (h *samples) bracket(r float64) (a, b *sample, frac float64) {
	if r <= float64(h.oldest().tick) {
		return h.oldest(), h.oldest(), 0
	}
	if r >= float64(h.newest().tick) {
		return h.newest(), h.newest(), 0
	}
	// Snapshots come a tick apart while nothing is skipped: the sample of
	// tick ⌊r⌋ is then as far from the oldest as its tick. Tried first, it
	// reads only the two samples the caller reads anyway; a ring with gaps
	// is searched.
	lo, hi := 0, h.n-1 // at(lo).tick < r < at(hi).tick
	if i := int(uint32(r) - h.oldest().tick); i < hi && h.at(i).tick <= uint32(r) && h.at(i+1).tick > uint32(r) {
		lo, hi = i, i+1
	}
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

// appendPlayers appends to dst the players of b, other than skip, as they
// are at frac of the way from a to b. Positions and aim are interpolated;
// health, scores and life are a's (they change at a tick, not between
// two), and a player that joined after a is drawn as b has it. A player
// whose move from a to b is impossible on foot (a respawn, a seat taken
// by someone new) stays at a until b is reached (follow). speed is the
// most a player moves per tick along an axis.
func appendPlayers(dst []PlayerView, a, b *sample, frac float64, skip uint32, speed int32) []PlayerView {
	i := 0
	reach := float64(speed) * float64(b.tick-a.tick)
	for k := range b.players {
		to := &b.players[k]
		if to.ID == skip {
			continue
		}
		from, walked := follow(a, &i, to, frac, reach)
		if from == nil {
			dst = append(dst, playerView(to))
			continue
		}
		v := playerView(from)
		if walked {
			v.X, v.Y = lerp(v.X, float64(to.F[pb.FieldX]), frac), lerp(v.Y, float64(to.F[pb.FieldY]), frac)
			v.Aim = lerpAim(v.Aim, float64(to.F[pb.FieldAim]), frac)
		}
		dst = append(dst, v)
	}
	return dst
}

// appendTargets appends to dst the players of b, other than skip, that
// appendPlayers draws alive at frac of the way from a to b, where it
// draws them, rounded to the sim's units: the targets an own shot is
// tested against (rewind.go), without the rest of each view.
func appendTargets(dst []sim.Player, a, b *sample, frac float64, skip uint32, speed int32) []sim.Player {
	i := 0
	reach := float64(speed) * float64(b.tick-a.tick)
	for k := range b.players {
		to := &b.players[k]
		if to.ID == skip {
			continue
		}
		p := to
		from, walked := follow(a, &i, to, frac, reach)
		if from != nil {
			p = from
		}
		if p.F[pb.FieldAlive] == 0 {
			continue
		}
		x, y := float64(p.F[pb.FieldX]), float64(p.F[pb.FieldY])
		if walked {
			x, y = lerp(x, float64(to.F[pb.FieldX]), frac), lerp(y, float64(to.F[pb.FieldY]), frac)
		}
		dst = append(dst, sim.Player{ID: sim.PlayerID(to.ID), X: int32(math.Round(x)), Y: int32(math.Round(y)), Alive: true})
	}
	return dst
}

// follow finds the player to of b in a, looking from a's index *i on (b's
// players are taken in ascending ids, as a's are; *i moves on): from is
// a's state of the same player (the same id and name) while frac is below
// 1, nil when a has none (it joined since) or b is reached; walked says
// that it went from a to b on foot, on no axis further than reach and alive
// or dead in both, so that its position and aim are interpolated.
func follow(a *sample, i *int, to *pb.PlayerState, frac, reach float64) (from *pb.PlayerState, walked bool) {
	for *i < len(a.players) && a.players[*i].ID < to.ID {
		*i++
	}
	if *i >= len(a.players) || frac >= 1 {
		return nil, false
	}
	if from = &a.players[*i]; from.ID != to.ID || from.Name != to.Name {
		return nil, false
	}
	ax, ay := float64(from.F[pb.FieldX]), float64(from.F[pb.FieldY])
	bx, by := float64(to.F[pb.FieldX]), float64(to.F[pb.FieldY])
	walked = from.F[pb.FieldAlive] == to.F[pb.FieldAlive] && math.Abs(bx-ax) <= reach && math.Abs(by-ay) <= reach
	return from, walked
}

// playerView is p as drawn, uninterpolated.
func playerView(p *pb.PlayerState) PlayerView {
	return PlayerView{
		ID:     p.ID,
		Name:   p.Name,
		X:      float64(p.F[pb.FieldX]),
		Y:      float64(p.F[pb.FieldY]),
		Aim:    float64(p.F[pb.FieldAim]),
		Health: p.F[pb.FieldHealth],
		Kills:  p.F[pb.FieldKills],
		Deaths: p.F[pb.FieldDeaths],
		Alive:  p.F[pb.FieldAlive] != 0,
	}
}

// player returns the player id of s, or nil.
func (s *sample) player(id uint32) *pb.PlayerState {
	lo, hi := 0, len(s.players)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.players[mid].ID < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(s.players) && s.players[lo].ID == id {
		return &s.players[lo]
	}
	return nil
}

// appendShots appends to dst the shots of s, other than skip's, moved
// along their straight line to tick r.
func appendShots(dst []ShotView, s *sample, r float64, skip uint32) []ShotView {
	dt := r - float64(s.tick)
	for k := range s.shots {
		sh := &s.shots[k]
		if sh.Owner == skip {
			continue
		}
		dst = append(dst, ShotView{
			ID:    sh.ID,
			Owner: sh.Owner,
			X:     float64(sh.X) + float64(sh.VX)*dt,
			Y:     float64(sh.Y) + float64(sh.VY)*dt,
			Alpha: 1,
		})
	}
	return dst
}

func lerp(a, b, f float64) float64 { return a + (b-a)*f }

// lerpAim interpolates between two aims the short way round, returning an
// aim in [0, AimSteps). Aims in range take no division: math.Mod would
// return its argument unchanged (it is called for the rest).
func lerpAim(a, b, f float64) float64 {
	d := b - a
	if d <= -sim.AimSteps || d >= sim.AimSteps {
		d = math.Mod(d, sim.AimSteps)
	}
	switch {
	case d > sim.AimSteps/2:
		d -= sim.AimSteps
	case d < -sim.AimSteps/2:
		d += sim.AimSteps
	}
	aim := a + d*f
	if aim < 0 || aim >= sim.AimSteps {
		aim = math.Mod(aim, sim.AimSteps)
	}
	if aim < 0 {
		aim += sim.AimSteps
	}
	return aim
}
