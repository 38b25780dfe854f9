// interp_test.go covers interp.go and clock.go through the Client: other
// players are drawn exactly on the segment between the two snapshots
// around the render tick, the render tick stays within the snapshots held
// and never goes backwards, shots fly on their line, and a late snapshot
// makes nobody jump.

package netcode_test

import (
	"math"
	"sort"
	"testing"
	"time"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

// ringLen mirrors the number of snapshots the Client keeps.
const ringLen = 64

// interpChecker checks every frame of a harness against the snapshots its
// client had taken by then.
type interpChecker struct {
	t     *testing.T
	h     *harness
	speed float64

	frames                int
	prevR                 float64
	prevAt                time.Time
	prev                  map[uint32]netcode.PlayerView
	held                  int     // frames drawn at the newest snapshot
	maxRate               float64 // largest render-clock speed seen, in ticks per tick of real time
	maxStep               float64 // largest move of a walking player between two frames, in units
	shots                 int     // shots checked
	lerped, teleports     int     // players drawn between two snapshots, and at one for a teleport
	minDelay, maxDelay    time.Duration
	delayChecksAfterStart time.Duration
}

func newInterpChecker(t *testing.T, h *harness) *interpChecker {
	c := &interpChecker{t: t, h: h, speed: float64(sim.DefaultConfig().PlayerSpeed), prev: map[uint32]netcode.PlayerView{},
		minDelay: time.Hour, delayChecksAfterStart: 2 * time.Second}
	h.srv.states = map[uint32]*pb.State{}
	h.afterFrame = c.check
	return c
}

func (c *interpChecker) check(v *netcode.View) {
	t, h := c.t, c.h
	t.Helper()
	d := h.delivered
	if len(d) == 0 {
		return
	}
	c.frames++
	r := v.RenderTick
	oldest, newest := d[max(0, len(d)-ringLen)], d[len(d)-1]
	if r < float64(oldest) || r > float64(newest) {
		t.Fatalf("render tick %v outside the snapshots held, [%d, %d]", r, oldest, newest)
	}
	if r == float64(newest) {
		c.held++
	}
	if c.frames > 1 {
		if r < c.prevR {
			t.Fatalf("render tick went back from %v to %v", c.prevR, r)
		}
		rate := (r - c.prevR) / (float64(h.now.Sub(c.prevAt)) / float64(tickDur))
		c.maxRate = max(c.maxRate, rate)
	}
	if h.now.Sub(h.start) > c.delayChecksAfterStart {
		st := h.cl.Stats()
		c.minDelay, c.maxDelay = min(c.minDelay, st.InterpDelay), max(c.maxDelay, st.InterpDelay)
	}

	i := sort.Search(len(d), func(i int) bool { return float64(d[i]) > r }) - 1 // last at or before r
	ta, tb := d[i], d[min(i+1, len(d)-1)]
	if float64(ta) == r {
		tb = ta
	}
	sa, sb := h.srv.states[ta], h.srv.states[tb]
	frac := 0.0
	if tb > ta {
		frac = (r - float64(ta)) / float64(tb-ta)
	}
	for k := range v.Players {
		p := &v.Players[k]
		if p.Local {
			continue
		}
		to := sb.Player(p.ID)
		if to == nil {
			t.Fatalf("player %d drawn, but not in the snapshot of tick %d", p.ID, tb)
		}
		from := sa.Player(p.ID)
		if from == nil {
			from = to
		}
		ax, ay, bx, by := float64(from.F[pb.FieldX]), float64(from.F[pb.FieldY]), float64(to.F[pb.FieldX]), float64(to.F[pb.FieldY])
		reach := c.speed * float64(tb-ta)
		if from.F[pb.FieldAlive] != to.F[pb.FieldAlive] || math.Abs(bx-ax) > reach || math.Abs(by-ay) > reach {
			c.teleports++
			if p.X != ax || p.Y != ay {
				t.Errorf("player %d teleporting from (%v, %v) at tick %d drawn at (%v, %v)", p.ID, ax, ay, ta, p.X, p.Y)
			}
		} else {
			c.lerped++
			wx, wy := ax+(bx-ax)*frac, ay+(by-ay)*frac
			if math.Abs(p.X-wx) > 1e-6 || math.Abs(p.Y-wy) > 1e-6 ||
				p.X < min(ax, bx) || p.X > max(ax, bx) || p.Y < min(ay, by) || p.Y > max(ay, by) {
				t.Errorf("player %d at render tick %v drawn at (%v, %v), not on the segment (%v, %v)–(%v, %v) of ticks %d–%d at %v",
					p.ID, r, p.X, p.Y, ax, ay, bx, by, ta, tb, frac)
			}
			if q, ok := c.prev[p.ID]; ok && q.Alive == p.Alive {
				step := max(math.Abs(p.X-q.X), math.Abs(p.Y-q.Y))
				c.maxStep = max(c.maxStep, step)
				if step > c.speed*(r-c.prevR)+1e-6 {
					t.Errorf("player %d jumped %v units while the render tick moved %v", p.ID, step, r-c.prevR)
				}
			}
		}
		c.prev[p.ID] = *p
	}
	if len(v.Shots) != len(sa.Shots) {
		t.Errorf("%d shots drawn at render tick %v, the snapshot of tick %d has %d", len(v.Shots), r, ta, len(sa.Shots))
	}
	for k := range v.Shots {
		s := &v.Shots[k]
		j := sort.Search(len(sa.Shots), func(j int) bool { return sa.Shots[j].ID >= s.ID })
		if j == len(sa.Shots) || sa.Shots[j].ID != s.ID {
			t.Errorf("shot %d drawn, not in the snapshot of tick %d", s.ID, ta)
			continue
		}
		want := sa.Shots[j]
		dt := r - float64(ta)
		if math.Abs(s.X-(float64(want.X)+float64(want.VX)*dt)) > 1e-6 || math.Abs(s.Y-(float64(want.Y)+float64(want.VY)*dt)) > 1e-6 || s.Owner != want.Owner {
			t.Errorf("shot %d drawn at (%v, %v) at render tick %v; at tick %d it was at (%d, %d) moving (%d, %d)", s.ID, s.X, s.Y, r, ta, want.X, want.Y, want.VX, want.VY)
		}
		c.shots++
	}
	c.prevR, c.prevAt = r, h.now
}

func TestInterpolation(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 5, bots: 7, fire: true, downJitter: 12 * time.Millisecond})
	c := newInterpChecker(t, h)
	h.run(20 * time.Second)
	st := h.cl.Stats()
	t.Logf("%d frames: %d players drawn between two snapshots, %d at a teleport, %d shots; render clock at most %.3f× real time; delay %v–%v (target %v: interval %v, jitter %v)",
		c.frames, c.lerped, c.teleports, c.shots, c.maxRate, c.minDelay, c.maxDelay, st.TargetDelay, st.Interval, st.Jitter)
	if c.lerped < 7000 || c.teleports == 0 || c.shots < 1000 {
		t.Errorf("the run drew %d interpolated players, %d teleports and %d shots: too few to tell", c.lerped, c.teleports, c.shots)
	}
	if c.maxRate > 1.1+1e-9 {
		t.Errorf("render clock ran at %.3f× real time, more than 1.1×", c.maxRate)
	}
	if c.minDelay < netcode.DefaultInterpDelayMin-time.Millisecond || c.maxDelay > 80*time.Millisecond {
		t.Errorf("interpolation delay ranged %v–%v; want about two snapshot intervals and the jitter", c.minDelay, c.maxDelay)
	}
	if st.Jitter < 3*time.Millisecond || st.Jitter > 12*time.Millisecond {
		t.Errorf("measured jitter %v for ±12 ms", st.Jitter)
	}
}

func TestLateSnapshot(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 6, bots: 7, downJitter: 12 * time.Millisecond})
	c := newInterpChecker(t, h)
	h.run(4 * time.Second)
	heldBefore, stepBefore := c.held, c.maxStep

	// Nothing the server sends for 150 ms arrives until the end of it.
	h.down.stall(h.now, 150*time.Millisecond)
	var lastArrival time.Time
	var maxGap time.Duration
	snapshots := h.cl.Stats().Snapshots
	h.afterHandle = func() {
		if n := h.cl.Stats().Snapshots; n != snapshots {
			snapshots = n
			if !lastArrival.IsZero() {
				maxGap = max(maxGap, h.now.Sub(lastArrival))
			}
			lastArrival = h.now
		}
	}
	h.run(4 * time.Second)
	if maxGap < 140*time.Millisecond {
		t.Fatalf("the longest gap between two snapshots was %v: none came late", maxGap)
	}
	st := h.cl.Stats()
	t.Logf("a %v gap: held %d frames at the newest snapshot (%d before it); largest move of a player between frames %.1f units (%.1f before); render clock at most %.3f× real time; delay now %v",
		maxGap, c.held, heldBefore, c.maxStep, stepBefore, c.maxRate, st.InterpDelay)
	if c.held <= heldBefore {
		t.Errorf("the render clock did not hold at the newest snapshot during the gap")
	}
	if c.maxRate > 1.1+1e-9 {
		t.Errorf("render clock ran at %.3f× real time, more than 1.1×: a jump", c.maxRate)
	}
	if limit := 1.1 * c.speed; c.maxStep > limit+1e-3 {
		t.Errorf("a player moved %v units between two frames, more than %v: a jump", c.maxStep, limit)
	}
}
