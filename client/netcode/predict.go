// predict.go — client-side prediction of the local player: the input
// history, sim.MovePlayer run ahead of the server, reconciliation against
// each snapshot's ack, and the smoothing of what a correction moves.
// client.go calls input for every Input and reconcile for every snapshot;
// view.go draws position plus offset.

package netcode

import (
	"math"
	"time"

	pb "skirmish/proto"
	"skirmish/sim"
)

// historyLen is how many inputs the predictor remembers: about four
// seconds at 60 Hz, far more than are ever unacknowledged. A power of two.
const historyLen = 256

// step is one numbered input and where the predictor put the player after it.
type step struct {
	seq  uint32
	in   sim.Input
	x, y int32
}

// predictor runs the local player ahead of the server.
type predictor struct {
	m   *sim.Map
	cfg *sim.Config

	hist [historyLen]step // by seq % historyLen; hist for seq 0 is the Welcome's position
	seq  uint32           // of the last input numbered
	me   sim.Player       // X, Y after input seq
	last sim.Input        // the last input

	// What the newest snapshot said.
	present bool // the local player is in the state
	alive   bool
	base    uint32 // the last input slot the server's state includes: its ack
	tick    uint32
	match   pb.MatchInfo

	// The visual offset of the last corrections: off at offAt, decaying to
	// zero over smoothTime.
	offX, offY float64
	offAt      time.Time
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
	if !p.present || !p.alive || p.match.Phase != pb.MatchPhase_MATCH_PHASE_PLAYING {
		return false
	}
	return uint64(p.tick)+uint64(seq-p.base) <= uint64(p.match.EndTick)
}

// input numbers in, predicts its effect and returns its seq.
func (p *predictor) input(in sim.Input) uint32 {
	p.seq++
	if p.moves(p.seq) {
		sim.MovePlayer(p.m, p.cfg, &p.me, in)
	}
	p.hist[p.seq%historyLen] = step{seq: p.seq, in: in, x: p.me.X, y: p.me.Y}
	p.last = in
	return p.seq
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
// misprediction.
func (p *predictor) reconcile(sp *pb.PlayerState, ack, tick uint32, match pb.MatchInfo, teleport bool, now time.Time) {
	p.tick, p.match = tick, match
	if sp == nil {
		p.present = false
		return
	}
	p.present = true
	p.alive = sp.F[pb.FieldAlive] != 0
	// The ack runs ahead of the inputs sent when this client fell silent
	// for a few ticks; the state then covers all of them.
	p.base = min(ack, p.seq)
	base := p.base
	sx, sy := sp.F[pb.FieldX], sp.F[pb.FieldY]
	oldX, oldY := p.me.X, p.me.Y

	var errX, errY int32
	known := false
	if p.seq-base < historyLen {
		e := &p.hist[base%historyLen]
		if known = e.seq == base; known {
			errX, errY = sx-e.x, sy-e.y
		}
		e.seq, e.x, e.y = base, sx, sy
	}
	p.me.X, p.me.Y = sx, sy
	first := base + 1
	if p.seq-base >= historyLen {
		first = p.seq - historyLen + 1
	}
	for s := first; s != p.seq+1; s++ {
		e := &p.hist[s%historyLen]
		if p.moves(s) {
			sim.MovePlayer(p.m, p.cfg, &p.me, e.in)
		}
		e.x, e.y = p.me.X, p.me.Y
	}
	if !known {
		errX, errY = p.me.X-oldX, p.me.Y-oldY
	}

	if teleport {
		p.offX, p.offY = 0, 0
		return
	}
	if errX != 0 || errY != 0 {
		p.corrections++
		p.lastError = int32(math.Round(math.Hypot(float64(errX), float64(errY))))
	}
	if dx, dy := oldX-p.me.X, oldY-p.me.Y; dx != 0 || dy != 0 {
		ox, oy := p.offset(now)
		ox, oy = ox+float64(dx), oy+float64(dy)
		if math.Hypot(ox, oy) > p.smoothSnap {
			ox, oy = 0, 0
		}
		p.offX, p.offY, p.offAt = ox, oy, now
	}
}

// offset is the visual offset at now: the last one set, shrinking along
// (1-u)² for u from 0 to 1 over smoothTime, so it starts fast and lands
// softly, at exactly zero.
func (p *predictor) offset(now time.Time) (float64, float64) {
	u := float64(now.Sub(p.offAt)) / float64(p.smoothTime)
	if u >= 1 {
		return 0, 0
	}
	f := (1 - max(u, 0)) * (1 - max(u, 0))
	return p.offX * f, p.offY * f
}
