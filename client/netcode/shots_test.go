// shots_test.go covers shots.go through the Client, over the harness's
// link: an own shot is drawn in the frame whose input fired it, exactly
// where the server's projectile is at the present tick, and handed over to
// the server's with no double and no jump, at 0 and 100 ms round trip and
// 60 and 20 fps; a shot the server did not fire fades out; a shot that
// hits a player as drawn vanishes on the tick the server scores it; and
// hit and kill events wait until the picture shows them.

package netcode_test

import (
	"math"
	"testing"
	"time"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

// drawnShot is an own shot as one frame drew it.
type drawnShot struct {
	frame   int
	at      time.Time
	present int32
	// acked: the server had accounted for an input, so present is the
	// server's tick (before, the client can only guess which it is).
	acked bool
	// serverTick is the newest snapshot's.
	serverTick uint32
	netcode.ShotView
}

// frameRec is what the recorder keeps of every frame drawn.
type frameRec struct {
	present int32
	acked   bool
}

// shotRecorder records the own shots of every frame a harness draws, and
// which input fired each of the server's projectiles of the local player.
type shotRecorder struct {
	t      *testing.T
	h      *harness
	drawn  map[uint32][]drawnShot // by Seq
	frames []frameRec             // by frame number − 1
	inputs map[uint32]int         // the frame that made each input
	madeAt map[uint32]time.Time   // when it was made
	// fired maps the server's projectiles of the local player to the input
	// slot (seq) they were fired in, and the tick; slots maps each tick to
	// the slot it filled (an amendment fires a shot as of its slot's tick,
	// in a later Step: appeared has the tick whose state first held it).
	fired     map[uint32][2]uint32
	slots     map[uint32]uint32
	appeared  map[uint32]uint32
	lastID    uint32
	lastSeq   uint32
	handovers map[uint32]time.Time // by Seq: the first frame that drew it as the server's
	renderAt  map[uint32]time.Time // by Seq: the first frame whose render tick reached its fire tick
	faults    int
}

func newShotRecorder(t *testing.T, h *harness) *shotRecorder {
	r := &shotRecorder{t: t, h: h, drawn: map[uint32][]drawnShot{}, inputs: map[uint32]int{}, madeAt: map[uint32]time.Time{},
		fired: map[uint32][2]uint32{}, slots: map[uint32]uint32{}, appeared: map[uint32]uint32{}, handovers: map[uint32]time.Time{}, renderAt: map[uint32]time.Time{}}
	h.srv.states = map[uint32]*pb.State{}
	prev := h.srv.afterStep
	h.srv.afterStep = func(w *sim.World) {
		if prev != nil {
			prev(w)
		}
		r.slots[uint32(w.Tick)] = h.srv.seat.ack()
		for _, pr := range w.Projectiles {
			if pr.Owner == meID && pr.ID > r.lastID {
				r.lastID = pr.ID
				tick := uint32(pr.ExpiresAt - sim.DefaultConfig().ProjectileLifetimeTicks)
				r.fired[pr.ID] = [2]uint32{r.slots[tick], tick}
				r.appeared[pr.ID] = uint32(w.Tick)
			}
		}
	}
	h.afterFrame = r.frame
	return r
}

// errorf reports a fault, the first few in full.
func (r *shotRecorder) errorf(format string, args ...any) {
	r.t.Helper()
	if r.faults++; r.faults <= 5 {
		r.t.Errorf(format, args...)
	}
}

func (r *shotRecorder) frame(v *netcode.View) {
	h := r.h
	st := h.cl.Stats()
	seq := st.Seq
	r.frames = append(r.frames, frameRec{present: v.PresentTick, acked: st.Ack > 0})
	for s := r.lastSeq + 1; s <= seq; s++ {
		r.inputs[s], r.madeAt[s] = h.frames, h.now
	}
	r.lastSeq = seq
	seen := map[uint32]bool{}
	for _, s := range v.Shots {
		if !s.Own {
			continue
		}
		if s.Owner != uint32(meID) {
			r.errorf("own shot of player %d", s.Owner)
		}
		if s.Seq == 0 {
			r.errorf("frame %d: an own shot the client did not predict: %+v", h.frames, s)
			continue
		}
		if seen[s.Seq] {
			r.errorf("frame %d: two own shots of input %d", h.frames, s.Seq)
		}
		seen[s.Seq] = true
		d := r.drawn[s.Seq]
		if len(d) > 0 && d[len(d)-1].frame != h.frames-1 {
			r.errorf("shot of input %d drawn in frame %d, not in frame %d before it", s.Seq, h.frames, h.frames-1)
		}
		if s.ID != 0 {
			if _, ok := r.handovers[s.Seq]; !ok {
				r.handovers[s.Seq] = h.now
			}
		}
		r.drawn[s.Seq] = append(d, drawnShot{frame: h.frames, at: h.now, present: v.PresentTick, acked: st.Ack > 0, serverTick: st.ServerTick, ShotView: s})
	}
	for _, f := range r.fired {
		if _, ok := r.renderAt[f[0]]; !ok && v.RenderTick >= float64(f[1]) {
			r.renderAt[f[0]] = h.now
		}
	}
}

// truth returns where the server's projectile id is at tick, and whether
// it exists then; known is false when the server has not reached tick.
func (r *shotRecorder) truth(id uint32, tick int32) (x, y float64, exists, known bool) {
	st := r.h.srv.states[uint32(tick)]
	if st == nil {
		return 0, 0, false, false
	}
	for _, sh := range st.Shots {
		if sh.ID == id {
			return float64(sh.X), float64(sh.Y), true, true
		}
	}
	return 0, 0, false, true
}

// handoverFigures are what a run of the recorder measured.
type handoverFigures struct {
	shots                   int
	maxError, maxJump       float64       // units: drawn vs the server's at the present tick; frame to frame vs the flight
	firstDrawn              time.Duration // the largest time from an input that fired to the first frame that drew its shot
	handover, pastDrawn     time.Duration // mean time from the input to the handover, and to the first frame whose render tick reached the shot
	maxFramesLate, handedTo int
	// Faults: shots drawn that the server did not fire; frames that drew
	// one when the server's is gone, did not draw one the server's has,
	// drew one not handed over when the client had the server's; shots
	// handed to another projectile.
	notFired, goneDrawn, missing, notHanded, wrongID int
}

// check compares every frame's own shots with the server's projectiles at
// that frame's present tick: each of those, and only those, drawn once, at
// its place.
func (r *shotRecorder) check() handoverFigures {
	var f handoverFigures
	bySeq := map[uint32]uint32{}
	for id, fs := range r.fired {
		bySeq[fs[0]] = id
	}
	var handoverSum, pastSum time.Duration
	drawnIn := map[uint32]map[int]bool{} // by the server's projectile: the frames that drew it
	for seq, ds := range r.drawn {
		// The server's projectile this shot is: the one it was handed to, or
		// the one fired in its input's slot.
		id, ok := bySeq[seq]
		for _, d := range ds {
			if d.ID != 0 {
				id, ok = d.ID, true
			}
		}
		if _, fired := r.fired[id]; !ok || !fired {
			f.notFired++
			continue
		}
		drawnIn[id] = map[int]bool{}
		for _, d := range ds {
			drawnIn[id][d.frame] = true
		}
		f.shots++
		f.maxFramesLate = max(f.maxFramesLate, ds[0].frame-r.inputs[seq])
		f.firstDrawn = max(f.firstDrawn, ds[0].at.Sub(r.madeAt[seq]))
		if at, ok := r.handovers[seq]; ok {
			handoverSum += at.Sub(r.madeAt[seq])
			f.handedTo++
		}
		if at, ok := r.renderAt[r.fired[id][0]]; ok {
			pastSum += at.Sub(r.madeAt[seq])
		}
		for i, d := range ds {
			if d.ID != 0 && d.ID != id {
				f.wrongID++
			}
			if d.ID == 0 && d.serverTick >= r.appeared[id] {
				f.notHanded++
			}
			if !d.acked {
				continue
			}
			x, y, exists, known := r.truth(id, d.present)
			if known && !exists {
				f.goneDrawn++
			}
			if exists {
				f.maxError = max(f.maxError, math.Hypot(d.X-x, d.Y-y))
			}
			if i > 0 {
				// Between two frames the shot flies (present ticks apart)
				// steps of its velocity, which the truth gives.
				p := ds[i-1]
				x0, y0, e0, _ := r.truth(id, p.present)
				if e0 && exists && p.acked {
					jump := math.Hypot((d.X-p.X)-(x-x0), (d.Y-p.Y)-(y-y0))
					f.maxJump = max(f.maxJump, jump)
				}
			}
		}
	}
	// Every projectile the server fired is drawn in every frame whose
	// present tick it flies at.
	for id := range r.fired {
		for i, fr := range r.frames {
			if _, _, exists, _ := r.truth(id, fr.present); exists && fr.acked && !drawnIn[id][i+1] {
				f.missing++
			}
		}
	}
	if f.handedTo > 0 {
		f.handover = handoverSum / time.Duration(f.handedTo)
		f.pastDrawn = pastSum / time.Duration(f.handedTo)
	}
	return f
}

// fireWalk walks the local player in a square and fires in bursts: held
// for 20 inputs in every 50 (two shots at the default cooldown), the aim
// turning.
func fireWalk(seq uint32) sim.Input {
	in := sim.Input{Move: eightWays[seq/45%8], Aim: uint16(seq * 11 % sim.AimSteps)}
	if seq%50 < 20 {
		in.Buttons = sim.ButtonFire
	}
	return in
}

func TestOwnShotHandover(t *testing.T) {
	for _, tc := range []struct {
		name    string
		latency time.Duration
		fps     int
	}{
		{"RTT 0, 60 fps", -1, 60},
		{"RTT 0, 20 fps", -1, 20},
		{"RTT 100 ms, 60 fps", 50 * time.Millisecond, 60},
		{"RTT 100 ms, 20 fps", 50 * time.Millisecond, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, linkOptions{seed: 21, fps: tc.fps, latency: tc.latency})
			h.wish = fireWalk
			r := newShotRecorder(t, h)
			h.run(20 * time.Second)
			h.wish = func(uint32) sim.Input { return sim.Input{} }
			h.run(2 * time.Second) // the server reaches every present tick drawn
			f := r.check()
			st := h.cl.Stats()
			frame := time.Second / time.Duration(tc.fps)
			t.Logf("%d shots drawn (%d predicted, %d refused, %d unpredicted); drawn %v after the input at most (%d frames), "+
				"handed over %v after it, the server's reached the picture %v after it; error vs the server %.2f units, largest jump %.2f units; Stats latency %v (max %v); stand-ins %d",
				f.shots, st.OwnShots, st.OwnShotsRefused, st.OwnShotsUnpredicted, f.firstDrawn, f.maxFramesLate,
				f.handover, f.pastDrawn, f.maxError, f.maxJump, st.OwnShotLatency, st.OwnShotLatencyMax, h.srv.seat.standIns)
			if f.shots < 40 || f.handedTo < 20 {
				t.Errorf("%d shots drawn, %d handed over: too few to tell", f.shots, f.handedTo)
			}
			if f.notFired+f.goneDrawn+f.missing+f.notHanded+f.wrongID != 0 {
				t.Errorf("%d shots drawn that the server did not fire; frames that drew one when the server's was gone: %d, that did not draw one the server's had: %d, that drew one not handed over: %d; %d handed to another projectile",
					f.notFired, f.goneDrawn, f.missing, f.notHanded, f.wrongID)
			}
			if f.maxFramesLate != 0 {
				t.Errorf("a shot was first drawn %d frames after the one that made its input", f.maxFramesLate)
			}
			if st.OwnShotLatencyMax > frame || f.firstDrawn > frame {
				t.Errorf("own shot latency up to %v (in the harness %v), more than a frame (%v)", st.OwnShotLatencyMax, f.firstDrawn, frame)
			}
			if st.OwnShotsRefused != 0 || st.OwnShotsUnpredicted != 0 {
				t.Errorf("%d shots predicted, %d refused, %d unpredicted", st.OwnShots, st.OwnShotsRefused, st.OwnShotsUnpredicted)
			}
			if f.maxError > 0.5 || f.maxJump > 0.5 {
				t.Errorf("own shots drawn up to %.2f units from the server's and jumped up to %.2f units between frames; want neither", f.maxError, f.maxJump)
			}
			if st.Desyncs != 0 || st.Corrections != 0 {
				t.Errorf("%d desyncs, %d corrections", st.Desyncs, st.Corrections)
			}
		})
	}
}

// TestOwnShotHandoverBursts fires through a bursty, jittered uplink: a
// 20 fps browser whose sends arrive ±15 ms apart, making one input per
// update without the input clock (which would keep every input in time),
// so the server stands in for late inputs, which amend their slots a tick
// or two later and fire their shots as of them, in a snapshot a tick or
// two after the one the client predicted. Those shots are handed over all the
// same and blend back into place over Options.SmoothTime, which at 20 fps
// is two frames: no double, no shot the server fired left undrawn, and
// between two frames no step off the flight of more than the blend takes
// (less than the error, less than two ticks of flight; a frame flies
// three).
func TestOwnShotHandoverBursts(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 2, fps: 20, fixed: true, upJitter: 15 * time.Millisecond, downJitter: 12 * time.Millisecond})
	h.wish = fireWalk
	r := newShotRecorder(t, h)
	h.run(30 * time.Second)
	h.wish = func(uint32) sim.Input { return sim.Input{} }
	h.run(2 * time.Second)
	f := r.check()
	st := h.cl.Stats()
	step := float64(sim.DefaultConfig().ProjectileSpeed)
	t.Logf("%d shots drawn (%d predicted, %d refused, %d unpredicted), %d not fired, %d handed to another; frames drawing one when the server's was gone %d, not drawing one it had %d, not handed over %d; error vs the server %.0f units, largest jump %.0f units (a tick of flight: %.0f); stand-ins %d, dropped %d",
		f.shots, st.OwnShots, st.OwnShotsRefused, st.OwnShotsUnpredicted, f.notFired, f.wrongID, f.goneDrawn, f.missing, f.notHanded, f.maxError, f.maxJump, step, h.srv.seat.standIns, h.srv.seat.dropped)
	if s := h.srv.seat; s.amended < 50 {
		t.Fatalf("%d inputs amended their slots: the jitter did not test anything", s.amended)
	}
	if f.shots < 60 || f.notHanded != 0 || f.wrongID != 0 || st.OwnShotsUnpredicted != 0 || st.OwnShotsRefused != 0 {
		t.Errorf("%d shots drawn, %d frames drew one not handed over, %d handed to another projectile, %d unpredicted, %d refused",
			f.shots, f.notHanded, f.wrongID, st.OwnShotsUnpredicted, st.OwnShotsRefused)
	}
	// Where a shot fired a tick later hits a wall a tick later too, a frame
	// may draw it a tick short or long.
	if f.goneDrawn+f.missing > 5 {
		t.Errorf("%d frames drew a shot the server's was gone, %d did not draw one it had", f.goneDrawn, f.missing)
	}
	// An amended shot is fired as of its own tick, where the client drew
	// it: the error may be none; what there is blends away, in steps
	// smaller than it.
	if f.maxError > 3*step || f.maxJump > 2*step || f.maxJump > 0 && f.maxJump >= f.maxError {
		t.Errorf("own shots drawn up to %.0f units from the server's, jumping up to %.0f units between frames", f.maxError, f.maxJump)
	}
}

// refusedShot fires one shot, at input 120, through h, and returns every
// frame's drawing of it and when its input was made. The player stands
// where the shot flies east for more than half the arena: if it goes, the
// walls did not take it.
func refusedShot(t *testing.T, h *harness) (drawn []drawnShot, madeAt time.Time) {
	t.Helper()
	const fireSeq = 120
	h.wish = h.fireOnce(fireSeq)
	refuse := h.srv.afterStep
	h.srv.afterStep = func(w *sim.World) {
		if w.Tick == 2 {
			p := w.Player(meID)
			p.X, p.Y = 640*sim.UnitsPerPixel, 350*sim.UnitsPerPixel
		}
		refuse(w)
	}
	var lastSeq uint32
	h.afterFrame = func(v *netcode.View) {
		st := h.cl.Stats()
		if lastSeq < fireSeq && st.Seq >= fireSeq {
			madeAt = h.now
		}
		lastSeq = st.Seq
		for _, s := range v.Shots {
			if s.Own {
				drawn = append(drawn, drawnShot{frame: h.frames, at: h.now, ShotView: s})
			}
		}
	}
	h.run(5 * time.Second)
	for _, pr := range h.srv.w.Projectiles {
		t.Fatalf("the server fired %+v", pr)
	}
	return drawn, madeAt
}

// checkFade checks that a refused shot was drawn from the frame of its
// input, opaque, then faded out within fadeBy of its input, in frames one
// after the other, and was never handed over.
func checkFade(t *testing.T, h *harness, drawn []drawnShot, madeAt time.Time, fadeBy time.Duration) (fadeFrom time.Duration) {
	t.Helper()
	if len(drawn) == 0 {
		t.Fatal("the refused shot was never drawn")
	}
	if !drawn[0].at.Equal(madeAt) || drawn[0].Alpha != 1 {
		t.Errorf("first drawn at %v with alpha %v; its input was made at %v", drawn[0].at, drawn[0].Alpha, madeAt)
	}
	fadeFrom = -1
	for i, d := range drawn {
		if d.ID != 0 || d.Seq != 120 {
			t.Errorf("frame %d drew %+v", d.frame, d.ShotView)
		}
		if i > 0 && (d.frame != drawn[i-1].frame+1 || d.Alpha > drawn[i-1].Alpha) {
			t.Errorf("frame %d: alpha %v after %v in frame %d", d.frame, d.Alpha, drawn[i-1].Alpha, drawn[i-1].frame)
		}
		if d.Alpha < 1 && fadeFrom < 0 {
			fadeFrom = d.at.Sub(madeAt)
		}
	}
	last := drawn[len(drawn)-1]
	if fadeFrom < 0 || last.at.Sub(madeAt) > fadeBy {
		t.Errorf("drawn until %v after its input, fading from %v; want it gone by %v", last.at.Sub(madeAt), fadeFrom, fadeBy)
	}
	if st := h.cl.Stats(); st.OwnShots != 1 || st.OwnShotsRefused != 1 || st.OwnShotsUnpredicted != 0 {
		t.Errorf("%d own shots, %d refused, %d unpredicted; want 1 and 1", st.OwnShots, st.OwnShotsRefused, st.OwnShotsUnpredicted)
	}
	return fadeFrom
}

func TestRefusedShotFades(t *testing.T) {
	for _, tc := range []struct {
		name    string
		latency time.Duration
	}{{"RTT 0", -1}, {"RTT 100 ms", 50 * time.Millisecond}} {
		rtt := 2 * max(tc.latency, 0)
		t.Run(tc.name+", cooldown", func(t *testing.T) {
			// The server's cooldown runs long: it refuses the shot.
			h := newHarness(t, linkOptions{seed: 23, latency: tc.latency})
			h.srv.afterStep = func(w *sim.World) { w.Player(meID).NextFire = w.Tick + 1000 }
			drawn, madeAt := refusedShot(t, h)
			// The server accounts for shotSlack more inputs, then the fade.
			by := rtt + 10*tickDur + netcode.DefaultShotFadeTime
			from := checkFade(t, h, drawn, madeAt, by)
			t.Logf("drawn in %d frames, fading from %v after its input; gone by %v", len(drawn), from, drawn[len(drawn)-1].at.Sub(madeAt))
		})
	}
	t.Run("RTT 100 ms, dead", func(t *testing.T) {
		// The player dies on the server a tick before the shot's input
		// lands: the snapshot that says so refuses it at once.
		h := newHarness(t, linkOptions{seed: 24})
		h.srv.afterStep = func(w *sim.World) {
			if h.srv.seat.ack() == 119 {
				p := w.Player(meID)
				p.Alive, p.Health, p.RespawnAt = false, 0, w.Tick+120
			}
		}
		drawn, madeAt := refusedShot(t, h)
		by := 100*time.Millisecond + 3*tickDur + netcode.DefaultShotFadeTime
		from := checkFade(t, h, drawn, madeAt, by)
		t.Logf("drawn in %d frames, fading from %v after its input; gone by %v", len(drawn), from, drawn[len(drawn)-1].at.Sub(madeAt))
		if from > 100*time.Millisecond+3*tickDur {
			t.Errorf("the fade began %v after the input; the death was known a round trip after it", from)
		}
	})
}

// TestEventsWaitForThePicture checks that Events tells a hit or a kill
// only once the picture shows it, and no later: in the first frame whose
// render tick reaches its tick, with the victim's health as hit.
func TestEventsWaitForThePicture(t *testing.T) {
	h := newHarness(t, linkOptions{seed: 25, bots: 7, fire: true, downJitter: 12 * time.Millisecond})
	h.srv.states = map[uint32]*pb.State{}
	sent := 0
	h.srv.afterStep = func(w *sim.World) { sent += len(w.Events) }
	got, hits := 0, 0
	prevShown := -1.0
	h.afterFrame = func(v *netcode.View) {
		shown := math.Floor(v.RenderTick)
		for _, ev := range h.cl.Events() {
			got++
			if float64(ev.Tick) > shown || float64(ev.Tick) <= prevShown {
				t.Errorf("event %+v told in the frame drawn at tick %v (the frame before: %v)", ev, v.RenderTick, prevShown)
			}
			if ev.Kind != pb.EventKind_EVENT_KIND_HIT || ev.B == uint32(meID) {
				continue
			}
			hits++
			want := h.srv.states[uint32(shown)].Player(ev.B)
			for _, p := range v.Players {
				if p.ID == ev.B && want != nil && p.Health != want.F[pb.FieldHealth] {
					t.Errorf("hit on %d told with its health drawn at %d; at tick %v it was %d", ev.B, p.Health, shown, want.F[pb.FieldHealth])
				}
			}
		}
		prevShown = shown
	}
	h.run(90 * time.Second)
	h.afterFrame = nil
	t.Logf("%d events told of %d the server made, %d hits on others", got, sent, hits)
	if hits < 30 {
		t.Errorf("only %d hits: too few to tell", hits)
	}
	// The rest are the ones the picture has not reached yet.
	if late := sent - got; late < 0 || late > 20 {
		t.Errorf("%d events told, of %d made", got, sent)
	}
}

// TestOwnShotHitsWhatIsDrawn fires at a player standing still: the own
// shot vanishes in the first frame whose present tick is the tick the
// server scores the hit on, and the hit is told (Events, the target's
// health) only once the picture, drawn in the past, reaches that tick.
func TestOwnShotHitsWhatIsDrawn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		latency time.Duration
		fps     int
	}{{"RTT 0, 60 fps", -1, 60}, {"RTT 100 ms, 60 fps", 50 * time.Millisecond, 60}, {"RTT 100 ms, 20 fps", 50 * time.Millisecond, 20}} {
		t.Run(tc.name, func(t *testing.T) {
			const fireSeq, target = 120, 2
			h := newHarness(t, linkOptions{seed: 26, bots: 1, fps: tc.fps, latency: tc.latency})
			var hitTick uint32
			h.srv.afterStep = func(w *sim.World) {
				if w.Tick == 2 {
					p := w.Player(meID)
					p.X, p.Y = 640*sim.UnitsPerPixel, 350*sim.UnitsPerPixel
				}
				p := w.Player(target)
				p.X, p.Y = 900*sim.UnitsPerPixel, 350*sim.UnitsPerPixel
				for _, ev := range w.Events {
					if ev.Kind == sim.EventHit && ev.A == meID && hitTick == 0 {
						hitTick = uint32(w.Tick)
					}
				}
			}
			h.wish = h.fireOnce(fireSeq)
			var lastDrawn, firstGone int32 = -1, -1
			var goneAt, toldAt time.Time
			var toldTick float64
			healthBefore := int32(-1)
			h.afterFrame = func(v *netcode.View) {
				drawn := false
				for _, s := range v.Shots {
					drawn = drawn || s.Own
				}
				switch {
				case drawn && firstGone >= 0:
					t.Errorf("the shot drawn again at tick %d after it vanished at %d", v.PresentTick, firstGone)
				case drawn:
					lastDrawn = v.PresentTick
				case lastDrawn >= 0 && firstGone < 0:
					firstGone, goneAt = v.PresentTick, h.now
				}
				told := toldAt
				for _, ev := range h.cl.Events() {
					if ev.Kind == pb.EventKind_EVENT_KIND_HIT && ev.A == uint32(meID) {
						toldAt, toldTick = h.now, v.RenderTick
						for _, p := range v.Players {
							if p.ID == target && p.Health != healthBefore-sim.DefaultConfig().ProjectileDamage {
								t.Errorf("the hit told with the target's health drawn at %d, %d before", p.Health, healthBefore)
							}
						}
					}
				}
				for _, p := range v.Players {
					if p.ID == target && told.IsZero() && toldAt.IsZero() {
						if healthBefore < 0 {
							healthBefore = p.Health
						} else if p.Health != healthBefore {
							t.Errorf("the target's health drawn at %d before the hit was told", p.Health)
						}
					}
				}
			}
			h.run(4 * time.Second)
			t.Logf("hit on tick %d; the shot last drawn at present tick %d, gone at %d; the hit told %v after the shot vanished, at render tick %.2f",
				hitTick, lastDrawn, firstGone, toldAt.Sub(goneAt), toldTick)
			if hitTick == 0 || toldAt.IsZero() {
				t.Fatalf("no hit scored (tick %d) or told (%v)", hitTick, toldAt)
			}
			if lastDrawn >= int32(hitTick) || firstGone < int32(hitTick) || firstGone-lastDrawn > int32(sim.TickRate/tc.fps) {
				t.Errorf("the shot was last drawn at present tick %d and gone at %d; the server scored the hit on tick %d", lastDrawn, firstGone, hitTick)
			}
			if toldAt.Before(goneAt) || toldTick < float64(hitTick) {
				t.Errorf("the hit told at render tick %v, %v after the shot vanished", toldTick, toldAt.Sub(goneAt))
			}
			if st := h.cl.Stats(); st.OwnShots != 1 || st.OwnShotsRefused != 0 || st.OwnShotsUnpredicted != 0 {
				t.Errorf("%d own shots, %d refused, %d unpredicted", st.OwnShots, st.OwnShotsRefused, st.OwnShotsUnpredicted)
			}
		})
	}
}
