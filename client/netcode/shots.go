// shots.go — the local player's own shots, drawn with the local player in
// the predicted present: predicted when an input fires (predict.go says
// which), flown one tick per input with the sim's own rules (sim.Fly)
// against the other players as drawn, handed over to the server's
// projectile when a snapshot brings it, and faded out when the server did
// not fire. client.go calls input from Input and reconcile from every
// snapshot; view.go draws them (advance, appendTo).

package netcode

import (
	"time"

	pb "skirmish/proto"
	"skirmish/sim"
)

// shotSlack is how many ticks the tick a server's shot was fired on may
// differ from the tick the client predicted its input to land on, and
// still be the same shot; and how many inputs past a predicted shot's the
// server must have accounted for before the client gives up on it. The
// server's input slots (server/tick.go) move a late input's fire button to
// the next input that arrives in time, at most maxOwed (6) slots later.
const shotSlack = 6

// maxUntrue bounds the untrue hits kept for a caller that never asks.
const maxUntrue = 16

// ownShot is one of the local player's projectiles, as drawn.
type ownShot struct {
	seq uint32 // the input that fired it; 0 if the server fired one the client did not predict
	id  uint32 // the server's projectile, once handed over; 0 before

	pr      sim.Projectile // at the predicted present
	flying  bool           // pr is still in the air at the present
	struck  bool           // it hit a player as drawn: hidden for good
	refused bool           // the server did not fire it: fading out since fadeFrom
	seen    bool           // in the newest snapshot (reconcile's bookkeeping)

	fadeFrom time.Time
	off      blend     // what the last handover or re-anchoring moved, blending away
	firedAt  time.Time // when the Input that fired it was called
	shown    bool      // drawn by an Advance, its latency counted
}

// visible reports whether s is drawn.
func (s *ownShot) visible() bool { return s.flying && !s.struck }

// ownShots are the local player's shots, oldest first.
type ownShots struct {
	m   *sim.Map
	cfg *sim.Config

	list []ownShot
	// lead is the newest snapshot's tick less its ack at the last
	// reconcile: while it holds, a shot handed over flies on exactly as
	// re-anchoring would put it.
	lead int32

	smoothTime time.Duration
	smoothSnap float64
	fadeTime   time.Duration

	predicted, refused, unpredicted int
	latency, latencyMax             time.Duration
	// untrue are the seqs of shots that struck a player as drawn and that
	// the server then turned out not to have fired: hits the picture
	// showed that never were (Client.UntrueHits).
	untrue []uint32
}

func newOwnShots(m *sim.Map, cfg *sim.Config, opts *Options) ownShots {
	return ownShots{m: m, cfg: cfg, smoothTime: opts.SmoothTime, smoothSnap: float64(opts.SmoothSnap), fadeTime: opts.ShotFadeTime}
}

// input runs the projectile stage of tick, the predicted landing of the
// input numbered seq: every own shot in the air flies one tick, then the
// one that input fired (if fired, with render lag lag), as the server's
// Step does. Each is tested against the other players where the server
// will test it: its render lag before tick, as past has them.
func (o *ownShots) input(seq uint32, shot sim.Projectile, fired bool, tick, lag int32, past *pastTargets, now time.Time) {
	for i := range o.list {
		if s := &o.list[i]; s.flying {
			o.fly(s, past, tick)
		}
	}
	if !fired {
		return
	}
	o.predicted++
	shot.Rewind = lag
	o.list = append(o.list, ownShot{seq: seq, pr: shot, flying: true, firedAt: now})
	o.fly(&o.list[len(o.list)-1], past, tick)
}

// fly is one tick of s's flight, against the others where they were its
// render lag before tick.
func (o *ownShots) fly(s *ownShot, past *pastTargets, tick int32) {
	victim, flies := sim.Fly(o.m, o.cfg.PlayerRadius, &s.pr, past.at(tick-s.pr.Rewind), tick)
	s.flying = flies
	s.struck = s.struck || victim >= 0
}

// reconcile takes the newest snapshot's own shots (st's shots of player
// me) after the predictor took the snapshot: p has its tick, its ack
// (base), and the inputs since. prevTick is the tick of the snapshot
// before, amended how many of its last slots the server may have amended
// since (amendBack of its lead): their shots are fired as of their ticks.
// Every own shot of the server's is handed to the predicted shot
// whose input landed on the tick it was fired on (or near it); one that
// none predicted is drawn from now on. Each is then re-anchored: the
// server's projectile flown on to the present, against walls only, and
// what that moves blended away. A predicted shot that the server did not
// fire is refused: at once when the server's state says it cannot have
// (the player dead or the match over), or once the server has accounted
// for shotSlack inputs past it. shift is how far the first ack moved the
// ticks inputs land on (predictor.reconcile): the predicted shots' expiry
// moves with them.
func (o *ownShots) reconcile(st *pb.State, me uint32, prevTick uint32, amended int, shift int32, p *predictor, now time.Time) {
	for i := range o.list {
		if o.list[i].id == 0 {
			o.list[i].pr.ExpiresAt += shift
		}
	}
	tick := int32(p.tick)
	present := p.present()
	// The ticks the snapshot's new shots were fired on: since the last
	// snapshot's, and the amended slots' before it.
	lo, hi := int32(prevTick)+1-int32(amended), tick
	lead := tick - int32(p.base)
	moved := lead != o.lead
	o.lead = lead
	for i := range o.list {
		o.list[i].seen = false
	}
	for k := range st.Shots {
		sh := &st.Shots[k]
		if sh.Owner != me {
			continue
		}
		s := o.byID(sh.ID)
		if s == nil {
			s = o.handOver(sh, lo, hi, p)
		} else if !moved {
			s.seen = true
			continue
		}
		s.seen = true
		o.reanchor(s, sh, tick, present, now)
	}

	playing := p.inState && p.match.Phase == pb.MatchPhase_MATCH_PHASE_PLAYING
	n := 0 // the shots kept, o.list[:n]: each moved only when one before it went
	for i := range o.list {
		s := &o.list[i]
		switch {
		case s.id != 0 && !s.seen:
			continue // gone on the server: it hit, expired, or the match ended
		case s.id == 0 && s.seq != 0 && !s.refused &&
			(!playing || s.seq > p.base && !p.moves(s.seq) || p.base >= s.seq+shotSlack):
			if s.visible() {
				o.refused++
			} else if s.struck && len(o.untrue) < maxUntrue {
				o.untrue = append(o.untrue, s.seq)
			}
			s.refused, s.fadeFrom = true, now
		}
		if s.refused && !s.visible() {
			continue
		}
		if n != i {
			o.list[n] = *s
		}
		n++
	}
	o.list = o.list[:n]
}

// byID is the own shot handed over to the server's projectile id, or nil.
func (o *ownShots) byID(id uint32) *ownShot {
	for i := range o.list {
		if o.list[i].id == id {
			return &o.list[i]
		}
	}
	return nil
}

// handOver finds the predicted shot a new projectile of the server's is,
// fired on a tick in [lo, hi], and hands it over; or, if none is, adds it
// as a shot the client did not predict. Its cooldown tells the
// predictor's: the server's next shot comes a cooldown after this one.
func (o *ownShots) handOver(sh *pb.ShotState, lo, hi int32, p *predictor) *ownShot {
	var best *ownShot
	bestDist := int32(shotSlack + 1)
	for i := range o.list {
		s := &o.list[i]
		if s.id != 0 || s.seq == 0 || s.refused {
			continue
		}
		land := p.landing(s.seq) // on the newest snapshot's count of ticks
		if d := max(lo-land, land-hi, 0); d < bestDist {
			best, bestDist = s, d
		}
	}
	if best == nil {
		o.unpredicted++
		o.list = append(o.list, ownShot{id: sh.ID, shown: true})
		best = &o.list[len(o.list)-1]
		best.pr.ExpiresAt = hi + o.cfg.ProjectileLifetimeTicks
		p.me.NextFire = max(p.me.NextFire, hi+o.cfg.FireCooldownTicks)
		return best
	}
	fired := min(max(p.landing(best.seq), lo), hi)
	best.id = sh.ID
	best.pr.ExpiresAt = fired + o.cfg.ProjectileLifetimeTicks
	if best.seq == p.lastShot {
		p.me.NextFire = fired + o.cfg.FireCooldownTicks
	}
	return best
}

// reanchor puts s where the server's projectile sh, at tick, will be at
// the present: flown on against walls and the arena's bounds (whom it hits
// the server decides, and a hit as drawn stays one). What that moves a
// shot in the air is blended away, or snapped if too far.
func (o *ownShots) reanchor(s *ownShot, sh *pb.ShotState, tick, present int32, now time.Time) {
	pr := sim.Projectile{ID: sh.ID, Owner: sim.PlayerID(sh.Owner), X: sh.X, Y: sh.Y, VX: sh.VX, VY: sh.VY, ExpiresAt: s.pr.ExpiresAt, Rewind: s.pr.Rewind}
	flies := true
	for t := tick + 1; t <= present && flies; t++ {
		_, flies = sim.Fly(o.m, o.cfg.PlayerRadius, &pr, nil, t)
	}
	switch dx, dy := s.pr.X-pr.X, s.pr.Y-pr.Y; {
	case !s.visible() || !flies:
		s.off = blend{}
	case dx != 0 || dy != 0:
		s.off = s.off.add(float64(dx), float64(dy), now, o.smoothTime, o.smoothSnap)
	}
	s.pr, s.flying = pr, flies
}

// advance is the own shots' part of a Client's Advance at now: a refused
// shot that has faded out goes, and a predicted shot drawn for the first
// time counts its latency, from the Input that fired it.
func (o *ownShots) advance(now time.Time) {
	n := 0 // as in reconcile
	for i := range o.list {
		s := &o.list[i]
		if s.refused && (!s.visible() || now.Sub(s.fadeFrom) >= o.fadeTime) {
			continue
		}
		if !s.shown && s.visible() {
			s.shown = true
			o.latency = max(now.Sub(s.firedAt), 0)
			o.latencyMax = max(o.latencyMax, o.latency)
		}
		if n != i {
			o.list[n] = *s
		}
		n++
	}
	o.list = o.list[:n]
}

// appendTo appends the own shots drawn at now to dst.
func (o *ownShots) appendTo(dst []ShotView, now time.Time) []ShotView {
	for i := range o.list {
		s := &o.list[i]
		if !s.visible() {
			continue
		}
		ox, oy := s.off.at(now, o.smoothTime)
		alpha := 1.0
		if s.refused {
			alpha = 1 - float64(now.Sub(s.fadeFrom))/float64(o.fadeTime)
		}
		dst = append(dst, ShotView{ID: s.id, Owner: uint32(s.pr.Owner), Seq: s.seq, Own: true,
			X: float64(s.pr.X) + ox, Y: float64(s.pr.Y) + oy, Alpha: min(max(alpha, 0), 1)})
	}
	return dst
}
