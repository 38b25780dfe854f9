// predict.go — client-side prediction of the local player: the input
// history, sim.MovePlayer and sim.Shoot run ahead of the server,
// reconciliation against each snapshot's ack, and the smoothing of what a
// correction moves. client.go calls input for every Input and reconcile for
// every snapshot; the shots an input fires fly on in shots.go; view.go draws
// position plus offset.

package netcode

import (
	"math"
	"time"

	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// historyLen is how many inputs the predictor remembers: about four
// seconds at 60 Hz, far more than are ever unacknowledged. A power of two.
const historyLen = 256

// step is one numbered input and where the predictor put the player after it.
type step struct {
	seq  uint32
	in   sim.Input
	x, y int32
	// moved says whether the input moved the player (predictor.moves);
	// chained, that x, y are the step before's position so moved: then a
	// replay from the step before, with the same moves, would put the
	// player at x, y again (sim.MovePlayer depends on nothing else), and
	// reconcile leaves such a run as it is.
	moved, chained bool
}

// predictor runs the local player ahead of the server.
type predictor struct {
	m   *sim.Map
	cfg *sim.Config

	hist [historyLen]step // by seq % historyLen; hist for seq 0 is the Welcome's position
	seq  uint32           // of the last input numbered
	// me is the player after input seq: X, Y, and the cooldown (NextFire,
	// on the ticks of the inputs' predicted landing, as the server's).
	me       sim.Player
	last     sim.Input // the last input
	lastShot uint32    // the last input predicted to fire
	// anchor is the newest snapshot's tick when input 1 was made: until the
	// server accounts for an input, inputs are taken to land one per tick
	// after it.
	anchor int32

	// What the newest snapshot said.
	inState bool // the local player is in the state
	alive   bool
	base    uint32 // the last input slot the server's state includes: its ack
	tick    uint32
	match   pb.MatchInfo

	// The visual offset of the last corrections, decaying to zero over
	// smoothTime.
	off        blend
	smoothSnap float64
	smoothTime time.Duration

	corrections int
	lastError   int32
}

func newPredictor(m *sim.Map, cfg *sim.Config, opts *Options) predictor {
	return predictor{m: m, cfg: cfg, smoothSnap: float64(opts.SmoothSnap), smoothTime: opts.SmoothTime}
}

// moves reports whether the server will move the player with input seq,
// as far as the newest snapshot tells: the player is there and alive, and
// the tick that input should land on (one per tick after base's) is within
// a playing phase.
func (p *predictor) moves(seq uint32) bool {
	if !p.inState || !p.alive || p.match.Phase != pb.MatchPhase_MATCH_PHASE_PLAYING {
		return false
	}
	return int64(p.landing(seq)) <= int64(p.match.EndTick)
}

// landing is the tick input seq lands on, as far as the newest snapshot
// tells: one input slot per tick, the ack's on the snapshot's tick. Before
// the first ack, one per tick after the anchor.
func (p *predictor) landing(seq uint32) int32 {
	if p.base == 0 {
		return p.anchor + int32(seq)
	}
	return int32(p.tick + (seq - p.base))
}

// present is the tick the last input numbered is predicted to land on (before
// the first, the newest snapshot's): the predicted present, at which the
// local player and its shots are drawn.
func (p *predictor) present() int32 {
	if p.seq == 0 {
		return int32(p.tick)
	}
	return p.landing(p.seq)
}

// input numbers in, predicts its effect and returns its seq, and the
// projectile it fires as the server would (sim.Shoot, with ID 0) if it does.
func (p *predictor) input(in sim.Input) (seq uint32, shot sim.Projectile, fired bool) {
	p.seq++
	if p.seq == 1 {
		p.anchor = int32(p.tick)
	}
	moved := p.moves(p.seq)
	if moved {
		sim.MovePlayer(p.m, p.cfg, &p.me, in)
		p.me.Input, p.me.Aim = in, in.Aim
		if shot, fired = sim.Shoot(p.cfg, &p.me, p.present()); fired {
			p.lastShot = p.seq
		}
	}
	p.hist[p.seq%historyLen] = step{seq: p.seq, in: in, x: p.me.X, y: p.me.Y, moved: moved, chained: true}
	p.last = in
	return p.seq, shot, fired
}

// reconcile takes the newest snapshot: the local player's state sp (nil if
// absent) at tick, with the server's ack. The server fills one input slot
// per tick, input seq n in the n-th: when an input is late, its held input
// stands in for it and the ack moves on, and the late input is dropped when
// it comes with another behind it (server/tick.go). So the state accounts
// for exactly the inputs up to ack: base. reconcile replays the inputs
// after base from the server's position. A different
// position for base than predicted is a correction: counted, and shown by
// an offset that blends away, or at once if larger than smoothSnap.
// teleport (a spawn, respawn or death) is shown at once and is not a
// misprediction. The first ack tells the ticks inputs land on: reconcile
// returns how far that moves them from the anchor's guess, and moves the
// cooldown with them.
//
// lead is the snapshot's input_lead. At −k, for k up to
// simwire.MaxAmendBack, the server stood in for inputs ack−k+1..ack,
// which had not come, with the one before them; each, if it comes before
// k more slots are filled, amends its move, and a later snapshot holds it
// (simwire.Slots). So a state that agrees with the prediction up to
// ack−k, moved k times more as the stand-in moved it, is no
// misprediction: the prediction stands, and the next snapshot checks it.
func (p *predictor) reconcile(sp *pb.PlayerState, ack uint32, lead int32, tick uint32, match pb.MatchInfo, teleport bool, now time.Time) (shift int32) {
	guess, guessed := p.landing(p.seq), p.base == 0
	p.tick, p.match = tick, match
	if sp == nil {
		p.inState = false
		return 0
	}
	p.inState = true
	p.alive = sp.F[pb.FieldAlive] != 0
	p.me.ID = sim.PlayerID(sp.ID)
	// An ack beyond the last input numbered: this client fell behind its
	// slots, and the server stood in for inputs it has not made yet, with
	// the newest it had (at most simwire.MaxOwed of them, and only once it
	// had one). Predict those stand-ins as the last input held, without its
	// fire, so that held keys agree, and number the next input after them.
	if p.seq > 0 && ack > p.seq && ack-p.seq <= simwire.MaxOwed {
		standIn := p.last
		standIn.Buttons = 0 // a stand-in does not fire (simwire.FromStandIn)
		for p.seq < ack {
			p.input(standIn)
		}
	}
	p.base = min(ack, p.seq)
	base := p.base
	if guessed && base > 0 {
		shift = p.landing(p.seq) - guess
		p.me.NextFire += shift
	}
	sx, sy := sp.F[pb.FieldX], sp.F[pb.FieldY]
	if k := amendBack(lead); k > 0 && !teleport && p.amendable(base, k, sx, sy) {
		return shift
	}
	oldX, oldY := p.me.X, p.me.Y

	var errX, errY int32
	known := false
	if p.seq-base < historyLen {
		e := &p.hist[base%historyLen]
		if known = e.seq == base; known {
			errX, errY = sx-e.x, sy-e.y
		}
		if !known || errX != 0 || errY != 0 {
			e.seq, e.x, e.y, e.chained = base, sx, sy, false
		}
	}
	p.me.X, p.me.Y = sx, sy
	first := base + 1
	if p.seq-base >= historyLen {
		first = p.seq - historyLen + 1 // replayed from the server's position, not from the step before's
	}
	if known && errX == 0 && errY == 0 && p.chained(first) {
		// Where the prediction had the player at base, each input after it
		// moving as it did: a replay would put it where it is.
		p.me.X, p.me.Y = oldX, oldY
	} else {
		for s := first; s != p.seq+1; s++ {
			e := &p.hist[s%historyLen]
			e.moved, e.chained = p.moves(s), s != first || first == base+1
			if e.moved {
				sim.MovePlayer(p.m, p.cfg, &p.me, e.in)
			}
			e.x, e.y = p.me.X, p.me.Y
		}
	}
	if !known {
		errX, errY = p.me.X-oldX, p.me.Y-oldY
	}

	if teleport {
		p.off = blend{}
		return shift
	}
	if errX != 0 || errY != 0 {
		p.corrections++
		p.lastError = int32(math.Round(math.Hypot(float64(errX), float64(errY))))
	}
	if dx, dy := oldX-p.me.X, oldY-p.me.Y; dx != 0 || dy != 0 {
		p.off = p.off.add(float64(dx), float64(dy), now, p.smoothTime, p.smoothSnap)
	}
	return shift
}

// amendBack is, for a snapshot's input_lead, how many of its last slots
// the server stood in for after the newest input it had, and may still
// amend when their inputs come (simwire.Slots): −lead, up to
// simwire.MaxAmendBack; 0 for any other lead.
func amendBack(lead int32) int {
	if lead < 0 && -lead <= simwire.MaxAmendBack {
		return int(-lead)
	}
	return 0
}

// amendable reports whether (x, y), the server's position after its k
// stand-ins for inputs base−k+1..base (input base−k each time), is where
// the prediction had the player after input base−k, moved as the
// stand-ins moved it: all the server did differently waits for the
// amendments.
func (p *predictor) amendable(base uint32, k int, x, y int32) bool {
	back := uint32(k)
	if base <= back || p.seq-base >= historyLen-back {
		return false
	}
	from := &p.hist[(base-back)%historyLen]
	if from.seq != base-back {
		return false
	}
	q := p.me
	q.X, q.Y = from.x, from.y
	for s := base - back + 1; s != base+1; s++ {
		e := &p.hist[s%historyLen]
		if e.seq != s {
			return false
		}
		if e.moved {
			sim.MovePlayer(p.m, p.cfg, &q, from.in)
		}
	}
	return q.X == x && q.Y == y
}

// chained reports whether the steps from first to the last input numbered
// each hold the position a replay from the step before would give them:
// each was moved from the step before's position, and moves now as it
// moved then.
func (p *predictor) chained(first uint32) bool {
	for s := first; s != p.seq+1; s++ {
		if e := &p.hist[s%historyLen]; !e.chained || e.moved != p.moves(s) {
			return false
		}
	}
	return true
}

// blend is a visual offset that blends a correction away: (x, y) at `from`,
// shrinking along (1-u)² for u from 0 to 1 over a smoothing time, so it
// starts fast and lands softly, at exactly zero. The predicted player and
// the own shots (shots.go) each have one.
type blend struct {
	x, y float64
	from time.Time
}

// at is the offset at now, after d of smoothing.
func (b blend) at(now time.Time, d time.Duration) (float64, float64) {
	u := float64(now.Sub(b.from)) / float64(d)
	if u >= 1 {
		return 0, 0
	}
	f := (1 - max(u, 0)) * (1 - max(u, 0))
	return b.x * f, b.y * f
}

// add returns the offset at now with (dx, dy) more, blending from now; or
// none when that is farther than snap: the eye reads it as a jump anyway.
func (b blend) add(dx, dy float64, now time.Time, d time.Duration, snap float64) blend {
	x, y := b.at(now, d)
	x, y = x+dx, y+dy
	if math.Hypot(x, y) > snap {
		return blend{}
	}
	return blend{x: x, y: y, from: now}
}
