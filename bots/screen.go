// screen.go — what a bot sees: the picture the netcode drew
// (netcode.View, as frame.go's draw reads it), as the state its behaviour
// picks inputs from, and the figures a player would feel from it: how long
// an own shot takes to appear, and which own shots hit a player as drawn,
// paired with the hits the server scored (bot.go hands over the server's
// events as they arrive). doc.go defines the figures.

package bots

import (
	"math"
	"slices"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

// Bounds of the screen's bookkeeping: own shots in flight (a cooldown of
// 12 ticks and a lifetime of 90 keep fewer than 8 up), and hits waiting
// for their other half.
const (
	maxTrackedShots = 32
	maxPending      = 16
	// pendingTicks is how long a screen hit waits for the server's (and a
	// server's for the screen's): the two sides of one hit are a round
	// trip and an interpolation delay apart at most, far less than this.
	pendingTicks = 2 * sim.TickRate
)

// screen is the bot's picture and what it makes of it. Guarded by the
// bot's lock.
type screen struct {
	view  *netcode.View // the netcode's, as the last frame drew it (nil before the first)
	state pb.State      // view as a pb.State: what the behaviour sees

	radius   float64 // players' hit radius, sim units
	speed    float64 // projectiles' speed, units a tick
	walk     float64 // players' speed, units a tick along an axis
	pairTick float64 // how far apart, in ticks, a screen hit and the server's may be: half a cooldown

	aims   [inputRing]uint32 // the aim of input seq, at seq % inputRing: an own shot's direction
	aim    uint32            // of the last input
	shots  []seenShot        // own shots the last frame drew
	hits   []pendingHit      // screen hits waiting for the server's
	scored []pendingHit      // server hits waiting for their screen hit
}

// seenShot is an own shot as the last frame drew it.
type seenShot struct {
	key    uint64  // its input's seq; for a shot nothing predicted, 1<<32 | its id
	x, y   float64 // where drawn
	tick   float64 // the tick it was drawn at: View.PresentTick
	vx, vy float64 // per tick, from its last two draws or its input's aim
	seen   bool    // drawn by the frame being looked at
	hit    bool    // it touched a player as drawn: counted, not again
	fading bool    // the server did not fire it: it hits nothing
}

// pendingHit is one side of a hit waiting for the other: a screen hit on
// victim at tick, or a server hit.
type pendingHit struct {
	victim uint32
	tick   float64
	seq    uint32 // a screen hit's own shot's input (0: unknown)
}

// welcome sets the screen up with the Welcome's rules.
func (s *screen) welcome(cfg sim.Config) {
	s.radius = float64(cfg.PlayerRadius)
	s.speed = float64(cfg.ProjectileSpeed)
	s.walk = float64(cfg.PlayerSpeed)
	s.pairTick = float64(cfg.FireCooldownTicks) / 2
}

// aimed records the aim of input seq, just made.
func (s *screen) aimed(seq, aim uint32) { s.aims[seq%inputRing], s.aim = aim, aim }

// serverEvents takes the events of a snapshot as they arrive: each hit the
// server scored for one of me's shots counts, and pairs with a screen hit
// on the same player if one is waiting.
func (s *screen) serverEvents(events []pb.EventInfo, me uint32, st *Stats) {
	for _, ev := range events {
		if ev.Kind != pb.EventKind_EVENT_KIND_HIT || ev.A != me || ev.B == me {
			continue
		}
		st.ServerHits++
		s.scored = expire(s.scored, float64(ev.Tick))
		if i := pairOf(s.hits, ev.B, float64(ev.Tick), s.pairTick); i >= 0 {
			s.hits = append(s.hits[:i], s.hits[i+1:]...)
			st.ScreenHitsScored++
		} else if len(s.scored) < maxPending {
			s.scored = append(s.scored, pendingHit{victim: ev.B, tick: float64(ev.Tick)})
		}
	}
}

// look takes the frame just drawn at now: the own shots it draws (a new
// predicted one takes its latency from the netcode's Stats into t; each
// one's path since the last frame, or for one gone, the rest of its way to
// the present, against the other players as drawn), then the picture as
// the behaviour's state.
func (s *screen) look(net *netcode.Client, t *timing, st *Stats) {
	v := s.view
	present := float64(v.PresentTick)
	for i := range s.shots {
		s.shots[i].seen = false
	}
	for i := range v.Shots {
		sh := &v.Shots[i]
		if !sh.Own {
			continue
		}
		k := s.shotIndex(shotKey(sh))
		if k < 0 {
			s.firstSeen(sh, net, t, st)
			continue
		}
		o := &s.shots[k]
		if dt := present - o.tick; dt > 0 {
			o.vx, o.vy = (sh.X-o.x)/dt, (sh.Y-o.y)/dt
		}
		o.fading = o.fading || sh.Alpha < 1
		s.strike(o, o.x, o.y, sh.X, sh.Y, present-o.tick, st)
		o.x, o.y, o.tick, o.seen = sh.X, sh.Y, present, true
	}
	kept := s.shots[:0]
	for _, o := range s.shots {
		if !o.seen {
			// Gone: it struck a player as drawn, met a wall or expired, or
			// the server did not fire it, somewhere on the way it would have
			// flown to the present.
			dt := max(present-o.tick, 0)
			s.strike(&o, o.x, o.y, o.x+o.vx*dt, o.y+o.vy*dt, dt, st)
			continue
		}
		kept = append(kept, o)
	}
	s.shots = kept
	s.hits = expire(s.hits, present)
	s.picture()
}

// shotKey tells own shots apart across frames: by the input that fired
// one, which stays when the server's projectile takes it over.
func shotKey(sh *netcode.ShotView) uint64 {
	if sh.Seq != 0 {
		return uint64(sh.Seq)
	}
	return 1<<32 | uint64(sh.ID)
}

// firstSeen starts tracking an own shot a frame draws for the first time;
// one the netcode predicted (its input known) brings the netcode's
// own-shot latency.
func (s *screen) firstSeen(sh *netcode.ShotView, net *netcode.Client, t *timing, st *Stats) {
	st.OwnShots++
	if sh.Seq != 0 {
		t.ownShot(net.Stats().OwnShotLatency)
	}
	// Its velocity, until a second frame draws it: along its input's aim
	// (for a shot nothing predicted, the last input's).
	aim := s.aim
	if sh.Seq != 0 {
		aim = s.aims[sh.Seq%inputRing]
	}
	dx, dy := sim.Dir(uint16(aim % sim.AimSteps))
	vx, vy := float64(dx)*s.speed/sim.DirScale, float64(dy)*s.speed/sim.DirScale
	if len(s.shots) >= maxTrackedShots {
		return
	}
	s.shots = append(s.shots, seenShot{key: shotKey(sh), x: sh.X, y: sh.Y, tick: float64(s.view.PresentTick), vx: vx, vy: vy,
		seen: true, fading: sh.Alpha < 1})
	s.strike(&s.shots[len(s.shots)-1], sh.X, sh.Y, sh.X, sh.Y, 0, st)
}

// shotIndex is the index of the tracked shot key, or -1.
func (s *screen) shotIndex(key uint64) int {
	for i := range s.shots {
		if s.shots[i].key == key {
			return i
		}
	}
	return -1
}

// strike tests o's drawn path from x0, y0 to x1, y1 over ticks ticks
// (unless it is fading out: the server did not fire it) against the other
// players alive as drawn: the first it touches is a screen hit, counted
// once per shot and paired with the server's hit on that player if one is
// waiting. A player drawn dead was killed by another's shot (an own shot's
// kill shows a render lag after the shot struck), and stops nothing on
// screen. A path of several ticks (a frame at 20 fps draws three) is
// tested a tick at a time, each against the players a tick further on
// their way from the frame before (s.state still holds its picture) to
// this one, as the eye follows them both: the shot and the players it
// passes keep the lag the two frames drew them with.
func (s *screen) strike(o *seenShot, x0, y0, x1, y1, ticks float64, st *Stats) {
	if o.hit || o.fading {
		return
	}
	v := s.view
	steps := max(int(math.Round(ticks)), 1)
	victim := uint32(0)
	for j := 1; j <= steps && victim == 0; j++ {
		f0, f1 := float64(j-1)/float64(steps), float64(j)/float64(steps)
		ax, ay := x0+(x1-x0)*f0, y0+(y1-y0)*f0
		bx, by := x0+(x1-x0)*f1, y0+(y1-y0)*f1
		best := math.Inf(1)
		for i := range v.Players {
			p := &v.Players[i]
			if p.Local || !p.Alive {
				continue
			}
			px, py := p.X, p.Y
			if was := s.state.Player(p.ID); was != nil && was.F[pb.FieldAlive] != 0 {
				// Unless it moved further than on foot (a respawn): then it is where it is.
				wx, wy := float64(was.F[pb.FieldX]), float64(was.F[pb.FieldY])
				if reach := s.walk*float64(steps) + 1; math.Abs(px-wx) <= reach && math.Abs(py-wy) <= reach {
					px, py = wx+(px-wx)*f1, wy+(py-wy)*f1
				}
			}
			if at, ok := touches(ax, ay, bx, by, px, py, s.radius); ok && at < best {
				victim, best = p.ID, at
			}
		}
	}
	if victim == 0 {
		return
	}
	o.hit = true
	st.ScreenHits++
	present := float64(v.PresentTick)
	s.scored = expire(s.scored, present)
	if i := pairOf(s.scored, victim, present, s.pairTick); i >= 0 {
		s.scored = append(s.scored[:i], s.scored[i+1:]...)
		st.ScreenHitsScored++
	} else if len(s.hits) < maxPending {
		seq := uint32(0)
		if o.key < 1<<32 {
			seq = uint32(o.key)
		}
		s.hits = append(s.hits, pendingHit{victim: victim, tick: present, seq: seq})
	}
}

// untrue takes back the screen hits, waiting for the server's, of the own
// shots of inputs seqs, which the server turned out not to have fired
// (netcode.Client.UntrueHits): the bot was already dead there. They count
// apart, as hits no lag compensation could score.
func (s *screen) untrue(seqs []uint32, st *Stats) {
	for _, seq := range seqs {
		for i, h := range s.hits {
			if h.seq == seq {
				s.hits = append(s.hits[:i], s.hits[i+1:]...)
				st.ScreenHitsUntrue++
				break
			}
		}
	}
}

// picture writes the view into the behaviour's state: players where they
// are drawn, the local one where it is predicted; shots where drawn.
func (s *screen) picture() {
	v, st := s.view, &s.state
	st.Tick, st.Match = v.Tick, v.Match
	// Written in place, field by field: a whole PlayerState built and
	// appended costs a copy of each, which showed in the swarm's profile.
	st.Players = slices.Grow(st.Players[:0], len(v.Players))[:len(v.Players)]
	for i := range v.Players {
		p, q := &v.Players[i], &st.Players[i]
		alive := int32(0)
		if p.Alive {
			alive = 1
		}
		q.ID, q.Serial = p.ID, 0
		if q.Name != p.Name {
			q.Name = p.Name
		}
		q.F[pb.FieldX], q.F[pb.FieldY], q.F[pb.FieldAim] = int32(math.Round(p.X)), int32(math.Round(p.Y)), int32(p.Aim)
		q.F[pb.FieldHealth], q.F[pb.FieldAlive], q.F[pb.FieldKills], q.F[pb.FieldDeaths] = p.Health, alive, p.Kills, p.Deaths
	}
	st.Shots = slices.Grow(st.Shots[:0], len(v.Shots))[:len(v.Shots)]
	for i := range v.Shots {
		sh := &v.Shots[i]
		st.Shots[i] = pb.ShotState{ID: sh.ID, Owner: sh.Owner, X: int32(math.Round(sh.X)), Y: int32(math.Round(sh.Y))}
	}
}

// touches reports whether the segment from x0, y0 to x1, y1 comes within
// r of cx, cy, and how far along it (0 to 1) it comes closest.
func touches(x0, y0, x1, y1, cx, cy, r float64) (float64, bool) {
	dx, dy := x1-x0, y1-y0
	at := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		at = min(max(((cx-x0)*dx+(cy-y0)*dy)/l2, 0), 1)
	}
	ex, ey := x0+at*dx-cx, y0+at*dy-cy
	return at, ex*ex+ey*ey <= r*r
}

// pairOf is the index in hits of one on victim within window ticks of
// tick, or -1.
func pairOf(hits []pendingHit, victim uint32, tick, window float64) int {
	for i, h := range hits {
		if h.victim == victim && math.Abs(h.tick-tick) <= window {
			return i
		}
	}
	return -1
}

// expire drops the hits that have waited pendingTicks before now (a
// tick).
func expire(hits []pendingHit, now float64) []pendingHit {
	kept := hits[:0]
	for _, h := range hits {
		if now-h.tick <= pendingTicks {
			kept = append(kept, h)
		}
	}
	return kept
}
