// link_test.go — the tests' network and clock: two pipes with latency and
// seeded jitter that keep order as TCP does, between the test server
// (server_test.go) and a Client, and a harness that runs server ticks,
// deliveries and client frames in time order on made-up time.

package netcode_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

// tickDur is one server tick.
const tickDur = time.Second / sim.TickRate

// packet is what one write puts on the wire: frames that travel together.
type packet struct {
	at     time.Time
	frames [][]byte
	tick   uint32 // the snapshot tick, for downlink packets that carry one
}

// pipe is one direction of a connection: every packet takes latency plus
// a uniform jitter in [-jitter, jitter], but never overtakes the one
// before it. Packets sent during a stall are held until it ends.
type pipe struct {
	latency, jitter     time.Duration
	rng                 *rand.Rand
	queue               []packet
	last                time.Time
	stallFrom, stallEnd time.Time
}

func newPipe(seed uint64, latency, jitter time.Duration) pipe {
	return pipe{latency: latency, jitter: jitter, rng: rand.New(rand.NewPCG(seed, 0x11d))}
}

// send puts copies of frames on the wire at now as one packet.
func (p *pipe) send(now time.Time, tick uint32, frames ...[]byte) {
	at := now.Add(p.latency)
	if p.jitter > 0 {
		at = at.Add(time.Duration(p.rng.Int64N(int64(2*p.jitter+1))) - p.jitter)
	}
	if !now.Before(p.stallFrom) && now.Before(p.stallEnd) {
		at = p.stallEnd.Add(p.latency)
	}
	if at.Before(p.last) {
		at = p.last
	}
	p.last = at
	pk := packet{at: at, tick: tick}
	for _, f := range frames {
		pk.frames = append(pk.frames, slices.Clone(f))
	}
	p.queue = append(p.queue, pk)
}

// stall holds everything sent in [from, from+d) until from+d.
func (p *pipe) stall(from time.Time, d time.Duration) {
	p.stallFrom, p.stallEnd = from, from.Add(d)
}

// harness runs a Client against a test server over two pipes.
type harness struct {
	t        testing.TB
	srv      *testServer
	cl       *netcode.Client
	up, down pipe
	start    time.Time
	now      time.Time

	ticks   int // server ticks run
	frames  int // client frames run
	updates int // client updates run
	// fps is the client's frame rate and tps its update rate, as Ebiten
	// runs a game: each frame runs the updates due (tps/fps of them, back
	// to back), then draws. Each update reads the wish and calls Inputs
	// (or, with fixed, makes one Input); what a frame makes is sent
	// together.
	fps, tps     int
	fixed        bool
	clientOffset time.Duration // client frames start this long after the server's first tick
	// With frameJitter each frame lasts 1/fps ± up to frameJitter (seeded),
	// and the updates it runs are Ebiten's count: the ticks of real time
	// since the last frame, rounded, at most five (the rest of a long frame
	// is lost); tps is then ignored.
	frameJitter time.Duration
	frameRNG    *rand.Rand
	nextFrame   time.Time
	prevFrame   time.Time
	unconsumed  time.Duration // Ebiten's real time not yet run as updates
	nextPing    time.Time
	// With drainPerFrame the client handles what arrived at its next
	// frame, as a game draining its socket once a frame does: with each
	// frame's arrival time, or with the frame's time if stampAtDrain.
	drainPerFrame, stampAtDrain bool
	inbox                       []packet

	// wish gives the local player's input for the input numbered n (from 1).
	wish func(n uint32) sim.Input
	// sent holds every input sent, by seq, and madeAt when it was made.
	sent   map[uint32]sim.Input
	madeAt map[uint32]time.Time
	// inputDelays lists, for every input the server took for its own slot
	// or to amend it (the tick after), the time from its making to that
	// tick; frameDelays the same for the
	// first input each frame made, the one that carries a new wish first.
	inputDelays, frameDelays []time.Duration
	firstOfFrame             map[uint32]bool
	// delivered lists the ticks of the snapshots the client has taken, in order.
	delivered []uint32
	view      netcode.View

	// afterFrame runs after every client frame's View; afterHandle after
	// every frame the client handles.
	afterFrame  func(v *netcode.View)
	afterHandle func()
}

// linkOptions describes a connection.
type linkOptions struct {
	seed                 uint64
	bots                 int
	fire                 bool
	fps                  int
	latency              time.Duration // one way, each way: 0 means 50 ms, a negative none
	tps                  int           // updates a second; 0: 60
	frameJitter          time.Duration // see harness
	fixed                bool          // one Input per update instead of Inputs
	upJitter, downJitter time.Duration
	// drainPerFrame and stampAtDrain: see harness.
	drainPerFrame, stampAtDrain bool
}

// newHarness connects a Client with o.latency each way.
func newHarness(t testing.TB, o linkOptions) *harness {
	if o.fps == 0 {
		o.fps = sim.TickRate
	}
	switch {
	case o.latency == 0:
		o.latency = 50 * time.Millisecond
	case o.latency < 0:
		o.latency = 0
	}
	if o.tps == 0 {
		o.tps = sim.TickRate
	}
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	h := &harness{
		t:             t,
		srv:           newTestServer(t, o.seed, o.bots, o.fire),
		cl:            netcode.New(netcode.Options{}),
		up:            newPipe(o.seed+1, o.latency, o.upJitter),
		down:          newPipe(o.seed+2, o.latency, o.downJitter),
		start:         start,
		now:           start,
		fps:           o.fps,
		tps:           o.tps,
		fixed:         o.fixed,
		drainPerFrame: o.drainPerFrame,
		stampAtDrain:  o.stampAtDrain,
		clientOffset:  7 * time.Millisecond,
		frameJitter:   o.frameJitter,
		frameRNG:      rand.New(rand.NewPCG(o.seed, 0xf7a)),
		nextPing:      start,
		wish:          func(uint32) sim.Input { return sim.Input{} },
		sent:          map[uint32]sim.Input{},
		madeAt:        map[uint32]time.Time{},
		firstOfFrame:  map[uint32]bool{},
	}
	h.srv.clock = func() time.Time { return h.now }
	return h
}

// run advances made-up time by d, doing everything due on the way in time
// order; at equal times: uplink deliveries, the server tick, downlink
// deliveries, the client frame.
func (h *harness) run(d time.Duration) {
	end := h.now.Add(d)
	for {
		serverAt := h.start.Add(time.Duration(h.ticks+1) * tickDur)
		clientAt := h.start.Add(h.clientOffset + time.Duration(h.frames)*time.Second/time.Duration(h.fps))
		if h.frameJitter > 0 {
			if h.nextFrame.IsZero() {
				h.nextFrame = clientAt
			}
			clientAt = h.nextFrame
		}
		next, what := serverAt, 1
		if len(h.up.queue) > 0 && !h.up.queue[0].at.After(next) {
			next, what = h.up.queue[0].at, 0
		}
		if len(h.down.queue) > 0 && h.down.queue[0].at.Before(next) {
			next, what = h.down.queue[0].at, 2
		}
		if clientAt.Before(next) {
			next, what = clientAt, 3
		}
		if next.After(end) {
			h.now = end
			return
		}
		h.now = next
		switch what {
		case 0:
			h.toServer()
		case 1:
			h.ticks++
			frame := h.srv.step()
			for _, took := range append(h.srv.seat.amending[:], h.srv.seat.took) {
				if at, ok := h.madeAt[took]; ok && took != 0 {
					h.inputDelays = append(h.inputDelays, h.now.Sub(at))
					if h.firstOfFrame[took] {
						h.frameDelays = append(h.frameDelays, h.now.Sub(at))
					}
				}
			}
			h.down.send(h.now, uint32(h.srv.w.Tick), frame)
		case 2:
			h.toClient()
		case 3:
			h.clientFrame()
		}
	}
}

// toServer delivers the next uplink packet.
func (h *harness) toServer() {
	pk := h.up.queue[0]
	h.up.queue = h.up.queue[1:]
	for _, f := range pk.frames {
		var m pb.ClientMsg
		if err := pb.DecodeClientMessage(f, &m); err != nil {
			h.t.Fatalf("server: %v", err)
		}
		switch m.Kind {
		case pb.ClientInput:
			h.srv.arrive(m.Input)
		case pb.ClientInputs:
			h.srv.arrive(m.Inputs[:m.NInputs]...)
		case pb.ClientPing:
			h.down.send(h.now, 0, h.srv.pong(m.PingTime))
		}
	}
}

// toClient delivers the next downlink packet, or with drainPerFrame puts
// it in the inbox for the next frame.
func (h *harness) toClient() {
	pk := h.down.queue[0]
	h.down.queue = h.down.queue[1:]
	if h.drainPerFrame {
		h.inbox = append(h.inbox, pk)
		return
	}
	h.handle(pk, pk.at)
}

// handle gives the client a packet's frames, received at.
func (h *harness) handle(pk packet, at time.Time) {
	for _, f := range pk.frames {
		if err := h.cl.Handle(f, at); err != nil {
			h.t.Fatalf("client: %v", err)
		}
		if h.afterHandle != nil {
			h.afterHandle()
		}
	}
	if pk.tick != 0 {
		h.delivered = append(h.delivered, pk.tick)
	}
}

// clientFrame is one frame of the game: the socket drained (with
// drainPerFrame), its updates (inputs, a ping once a second), then Advance
// (the end of its updates) and View (its draw).
func (h *harness) clientFrame() {
	h.frames++
	defer func() { h.prevFrame = h.now }()
	for _, pk := range h.inbox {
		at := pk.at
		if h.stampAtDrain {
			at = h.now
		}
		h.handle(pk, at)
	}
	h.inbox = h.inbox[:0]
	var frames [][]byte
	h.firstOfFrame[h.cl.Stats().Seq+1] = true
	updates := h.frames * h.tps / h.fps
	if h.frameJitter > 0 {
		updates = h.updates + h.ebitenUpdates()
	}
	for ; h.updates < updates; h.updates++ {
		first := h.cl.Stats().Seq + 1
		in := h.wish(first)
		var f []byte
		if h.fixed {
			f = h.cl.Input(in, h.now)
		} else {
			f = h.cl.Inputs(in, h.now)
		}
		if f == nil {
			continue
		}
		for seq := first; seq <= h.cl.Stats().Seq; seq++ {
			h.sent[seq], h.madeAt[seq] = in, h.now
		}
		frames = append(frames, slices.Clone(f)) // Input and Inputs reuse their buffer
	}
	if h.cl.Welcomed() && !h.now.Before(h.nextPing) {
		frames = append(frames, h.cl.Ping(h.now))
		h.nextPing = h.now.Add(time.Second)
	}
	if len(frames) > 0 {
		h.up.send(h.now, 0, frames...)
	}
	drawFrame(h.cl, h.now, &h.view)
	if h.afterFrame != nil {
		h.afterFrame(&h.view)
	}
}

// ebitenUpdates is how many updates Ebiten runs in the frame at h.now, as
// its clock counts them (internal/clock in Ebiten v2.10): the real time
// since the last frame, capped at five ticks, rounded to ticks, the rest
// kept for the next; and it schedules the next frame.
func (h *harness) ebitenUpdates() int {
	period := time.Second / time.Duration(h.fps)
	h.nextFrame = h.now.Add(period + time.Duration(h.frameRNG.Int64N(int64(2*h.frameJitter+1))) - h.frameJitter)
	if h.frames == 1 {
		return 1
	}
	h.unconsumed = min(h.unconsumed+h.now.Sub(h.prevFrame), 5*tickDur)
	n := max(int((h.unconsumed+tickDur/2)/tickDur), 0)
	h.unconsumed -= time.Duration(n) * tickDur
	return n
}

// fireOnce returns a wish that fires (aiming east, standing) in the first
// update that makes input seq or a later one, and never again: that
// update's inputs all fire, and the cooldown makes one shot of them.
func (h *harness) fireOnce(seq uint32) func(uint32) sim.Input {
	fired := false
	return func(n uint32) sim.Input {
		for s := seq; !fired && s < n; s++ {
			fired = h.sent[s].Buttons != 0
		}
		if n >= seq && !fired {
			return sim.Input{Aim: 0, Buttons: sim.ButtonFire}
		}
		return sim.Input{}
	}
}

// drawFrame is what a game does once per frame: Advance from its update,
// View from its draw.
func drawFrame(c *netcode.Client, now time.Time, v *netcode.View) {
	c.Advance(now)
	c.View(v)
}

// local returns the local player in v, failing the test if absent.
func local(t testing.TB, v *netcode.View) *netcode.PlayerView {
	t.Helper()
	for i := range v.Players {
		if v.Players[i].Local {
			return &v.Players[i]
		}
	}
	t.Fatal("no local player in the view")
	return nil
}
