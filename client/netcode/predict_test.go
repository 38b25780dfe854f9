// predict_test.go covers predict.go through the Client: prediction makes
// no corrections on a steady link, held keys make none on a bursty one,
// a server-side move is corrected and smoothed (or snapped when large),
// and a respawn is shown at once without counting as a correction.

package netcode_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

// eightWays are the eight directions and standing still.
var eightWays = []uint8{
	sim.MoveUp, sim.MoveDown, sim.MoveLeft, sim.MoveRight,
	sim.MoveUp | sim.MoveLeft, sim.MoveUp | sim.MoveRight,
	sim.MoveDown | sim.MoveLeft, sim.MoveDown | sim.MoveRight, 0,
}

// randomWalk returns a wish that changes direction every minTicks to
// minTicks+spread inputs, and counts the changes in *changes.
func randomWalk(seed uint64, minTicks, spread uint32, changes *int) func(uint32) sim.Input {
	rng := rand.New(rand.NewPCG(seed, 0x3a1c))
	var cur sim.Input
	var until uint32
	return func(seq uint32) sim.Input {
		if seq >= until {
			cur.Move = eightWays[rng.IntN(len(eightWays))]
			until = seq + minTicks + rng.Uint32N(spread+1)
			*changes++
		}
		cur.Aim = uint16(seq * 5 % sim.AimSteps)
		return cur
	}
}

// countBlocked counts the server ticks in which a wall or the arena's edge
// stopped the local player on an axis it pressed.
func countBlocked(srv *testServer, blocked *int) {
	var lastX, lastY int32
	srv.afterStep = func(w *sim.World) {
		p := w.Player(meID)
		m := p.Input.Move
		if srv.seat.ack() > 0 && p.Alive {
			if (m&sim.MoveLeft != 0) != (m&sim.MoveRight != 0) && p.X == lastX ||
				(m&sim.MoveUp != 0) != (m&sim.MoveDown != 0) && p.Y == lastY {
				*blocked++
			}
		}
		lastX, lastY = p.X, p.Y
	}
}

// settle stops the local player and lets every input be acked, then checks
// that the drawn local player stands exactly where the server has it.
func settle(t *testing.T, h *harness) {
	t.Helper()
	h.wish = func(uint32) sim.Input { return sim.Input{} }
	h.run(time.Second)
	// A round trip's inputs, and a slow frame's burst twice over: the
	// server's queue holds that many when the burst has just come.
	if st, unacked := h.cl.Stats(), uint32(8+2*(sim.TickRate/h.fps-1)); st.Seq-st.Ack > unacked {
		t.Errorf("after settling: ack %d, seq %d: more than a round trip of inputs unacked (%d)", st.Ack, st.Seq, unacked)
	}
	me, p := local(t, &h.view), h.srv.me()
	if me.X != float64(p.X) || me.Y != float64(p.Y) {
		t.Errorf("after settling the local player is drawn at (%v, %v), the server has (%d, %d)", me.X, me.Y, p.X, p.Y)
	}
}

func TestPredictionSteadyLinkMakesNoCorrections(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 1, bots: 3, downJitter: 12 * time.Millisecond})
	changes, blocked := 0, 0
	h.wish = randomWalk(1, 10, 50, &changes)
	countBlocked(h.srv, &blocked)
	h.run(30 * time.Second)
	settle(t, h)

	st := h.cl.Stats()
	t.Logf("30 s walk: %d inputs, %d changes of direction, %d ticks against a wall; %d corrections; %d checksums, %d desyncs",
		st.Seq, changes, blocked, st.Corrections, st.Checksums, st.Desyncs)
	if st.Corrections != 0 {
		t.Errorf("%d corrections (last %d units) on a steady link, want 0", st.Corrections, st.LastCorrection)
	}
	if s := h.srv.seat; s.standIns+s.dropped+s.idle != 0 {
		t.Errorf("the steady uplink starved the server: %d stand-ins, %d dropped, %d idle", s.standIns, s.dropped, s.idle)
	}
	if changes < 40 || blocked < 100 {
		t.Errorf("the walk changed direction %d times and met walls in %d ticks; want at least 40 and 100", changes, blocked)
	}
	if st.Desyncs != 0 || st.Checksums < 150 {
		t.Errorf("%d desyncs in %d checksums", st.Desyncs, st.Checksums)
	}
}

func TestPredictionJitteredUplink(t *testing.T) {
	// A game drawing 20 frames a second runs its updates (here 54 a second,
	// as Ebiten manages when frames are slow) and sends their inputs
	// together; the uplink adds ±15 ms to each send. These test the slot
	// contract itself, so the client makes one Input per update (fixed)
	// without the input clock's steering, which would keep the server from
	// standing in (inputclock_test.go): six times a second the server has
	// no input.
	bursts := linkOptions{seed: 2, bots: 3, fps: 20, tps: 54, fixed: true, upJitter: 15 * time.Millisecond, downJitter: 12 * time.Millisecond}
	held := func(seq uint32) sim.Input {
		return sim.Input{Move: sim.MoveDown | sim.MoveRight, Aim: uint16(seq * 3 % sim.AimSteps)}
	}

	t.Run("bursts, held keys", func(t *testing.T) {
		h := newHarness(t, bursts)
		blocked := 0
		countBlocked(h.srv, &blocked)
		h.wish = held
		h.run(15 * time.Second)
		st, s := h.cl.Stats(), h.srv.seat
		t.Logf("held keys: %d inputs, %d ticks against a wall; server: %d stand-ins, %d dropped, %d idle; %d corrections",
			st.Seq, blocked, s.standIns, s.dropped, s.idle, st.Corrections)
		if st.Corrections != 0 {
			t.Errorf("%d corrections (last %d units) with held keys, want 0", st.Corrections, st.LastCorrection)
		}
		if s.standIns < 10 {
			t.Errorf("only %d stand-ins: the jitter did not test anything", s.standIns)
		}
		settle(t, h)
	})

	t.Run("bursts, changing keys", func(t *testing.T) {
		h := newHarness(t, bursts)
		changes := 0
		h.wish = randomWalk(2, 12, 24, &changes)
		h.run(30 * time.Second)
		st, s := h.cl.Stats(), h.srv.seat
		t.Logf("keys changing every 12-36 ticks: %d changes in %d inputs; server: %d stand-ins, %d dropped, %d idle; %d corrections (last %d units)",
			changes, st.Seq, s.standIns, s.dropped, s.idle, st.Corrections, st.LastCorrection)
		if st.Corrections > s.standIns {
			t.Errorf("%d corrections, more than the %d stand-ins that can cause them", st.Corrections, s.standIns)
		}
		if st.Corrections == 0 {
			t.Errorf("no corrections: stand-ins for changed keys must diverge")
		}
		settle(t, h)
	})

	t.Run("every input jittered, held keys", func(t *testing.T) {
		// 60 frames a second, each input sent alone with ±15 ms: an input
		// can now come late with nothing behind it; it amends its slot
		// (it is at most two ticks late), and the next slot's stand-in is
		// that input, so held keys still agree.
		h := newHarness(t, linkOptions{seed: 2, bots: 3, fixed: true, upJitter: 15 * time.Millisecond, downJitter: 12 * time.Millisecond})
		h.wish = held
		h.run(15 * time.Second)
		st, s := h.cl.Stats(), h.srv.seat
		t.Logf("held keys, inputs jittered one by one: server: %d stand-ins, %d dropped, %d idle; %d corrections (last %d units)",
			s.standIns, s.dropped, s.idle, st.Corrections, st.LastCorrection)
		if st.Corrections != 0 {
			t.Errorf("%d corrections (last %d units) with held keys, want 0", st.Corrections, st.LastCorrection)
		}
		if s.amended == 0 {
			t.Errorf("no input came late: the jitter did not test anything")
		}
		settle(t, h)
	})
}

// forcedCorrection moves the idle local player by dx on the server and
// returns, for every frame drawn after the client learnt of it, how long
// after and how far the drawn player was from the server's position.
func forcedCorrection(t *testing.T, h *harness, dx int32) (after []time.Duration, errs []float64) {
	t.Helper()
	before := h.cl.Stats().Corrections
	var at time.Time
	h.afterHandle = func() {
		if at.IsZero() && h.cl.Stats().Corrections > before {
			at = h.now
		}
	}
	h.afterFrame = func(v *netcode.View) {
		if at.IsZero() {
			return
		}
		me, p := local(t, v), h.srv.me()
		if me.Y != float64(p.Y) {
			t.Errorf("y drawn at %v, server %d", me.Y, p.Y)
		}
		after = append(after, h.now.Sub(at))
		errs = append(errs, math.Abs(me.X-float64(p.X)))
	}
	h.srv.afterStep = func(w *sim.World) {
		w.Player(meID).X += dx
		h.srv.afterStep = nil
	}
	h.run(time.Second)
	h.afterHandle, h.afterFrame = nil, nil
	if at.IsZero() {
		t.Fatalf("moving the player by %d was not corrected", dx)
	}
	return after, errs
}

func TestForcedCorrection(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 3, bots: 2, downJitter: 12 * time.Millisecond})
	h.run(2 * time.Second)
	if n := h.cl.Stats().Corrections; n != 0 {
		t.Fatalf("%d corrections before the test", n)
	}

	t.Run("small: smoothed", func(t *testing.T) {
		after, errs := forcedCorrection(t, h, 160)
		st := h.cl.Stats()
		if st.Corrections != 1 || st.LastCorrection != 160 {
			t.Errorf("corrections %d, last %d units; want 1 of 160", st.Corrections, st.LastCorrection)
		}
		t.Logf("visual error after the correction: %v at %v", errs[:8], after[:8])
		if errs[0] == 0 || errs[0] > 160 {
			t.Errorf("first frame after the correction is %v units off; want it blended from the old position", errs[0])
		}
		for i := range errs {
			switch {
			case i > 0 && errs[i] > errs[i-1]:
				t.Errorf("error grew from %v to %v at %v", errs[i-1], errs[i], after[i])
			case after[i] >= netcode.DefaultSmoothTime && errs[i] != 0:
				t.Errorf("error %v at %v, past the smoothing time", errs[i], after[i])
			case after[i] < netcode.DefaultSmoothTime/2 && errs[i] == 0:
				t.Errorf("no error left at %v: it was not smoothed", after[i])
			}
		}
	})

	t.Run("large: snapped", func(t *testing.T) {
		_, errs := forcedCorrection(t, h, 2000)
		st := h.cl.Stats()
		if st.Corrections != 2 || st.LastCorrection != 2000 {
			t.Errorf("corrections %d, last %d units; want 2, the last of 2000", st.Corrections, st.LastCorrection)
		}
		for i, e := range errs {
			if e != 0 {
				t.Fatalf("frame %d after a %d-unit correction is %v units off; want a snap", i, 2000, e)
			}
		}
	})
}

func TestRespawnIsNotACorrection(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 4, bots: 2, downJitter: 12 * time.Millisecond})
	h.srv.states = map[uint32]*pb.State{}
	h.wish = func(seq uint32) sim.Input {
		if seq/60%2 == 0 {
			return sim.Input{Move: sim.MoveRight}
		}
		return sim.Input{Move: sim.MoveLeft | sim.MoveUp}
	}
	h.run(2 * time.Second)

	var killedAt sim.Player
	h.srv.afterStep = func(w *sim.World) {
		p := w.Player(meID)
		p.Alive, p.Health, p.RespawnAt = false, 0, w.Tick+30
		p.Deaths++
		killedAt = *p
		h.srv.afterStep = nil
	}
	var v netcode.View
	sawDead, respawned := false, false
	h.afterHandle = func() {
		drawFrame(h.cl, h.now, &v)
		me := local(t, &v)
		switch {
		case !me.Alive:
			sawDead = true
			if me.X != float64(killedAt.X) || me.Y != float64(killedAt.Y) {
				t.Errorf("dead player drawn at (%v, %v), killed at (%d, %d)", me.X, me.Y, killedAt.X, killedAt.Y)
			}
		case sawDead && !respawned:
			respawned = true
			// Drawn exactly where the spawn point and the inputs since
			// predict it: no smoothing from where the player died.
			st := h.cl.Stats()
			sp := h.srv.states[st.ServerTick].Player(uint32(meID))
			want := sim.Player{X: sp.F[pb.FieldX], Y: sp.F[pb.FieldY]}
			cfg := h.cl.Config()
			for seq := st.Ack + 1; seq <= st.Seq; seq++ {
				sim.MovePlayer(cfg.Map, &cfg, &want, h.sent[seq])
			}
			if me.X != float64(want.X) || me.Y != float64(want.Y) {
				t.Errorf("respawned player drawn at (%v, %v), want (%d, %d)", me.X, me.Y, want.X, want.Y)
			}
		}
	}
	h.run(2 * time.Second)
	if !sawDead || !respawned {
		t.Fatalf("saw the death: %v, the respawn: %v", sawDead, respawned)
	}
	if st := h.cl.Stats(); st.Corrections != 0 {
		t.Errorf("%d corrections (last %d units) over a death and respawn, want 0", st.Corrections, st.LastCorrection)
	}
}
