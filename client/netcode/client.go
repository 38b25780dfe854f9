// client.go — the Client: one player's connection, from the socket's bytes
// to what the screen shows. Handle reads what the server sends (the rare
// messages with proto/messages.go's readers, the Welcome's arena and rules
// through simwire, snapshots through pb.State.Apply); Inputs, Input and
// Ping write what the client sends. The netcode itself is in predict.go
// (the local player), shots.go (its shots), inputclock.go (when inputs are
// made), clock.go (time) and interp.go (everyone else); view.go and
// stats.go report it.

package netcode

import (
	"fmt"
	"time"

	pb "skirmish/proto"
	"skirmish/sim"
	"skirmish/simwire"
)

// protocolVersion is the Welcome.protocol_version this package speaks.
const protocolVersion = 1

// maxTickRate bounds a Welcome's tick_rate: anything faster is not a
// Skirmish server.
const maxTickRate = 1000

// maxEvents bounds the events kept for a caller that does not collect
// them; the oldest go first.
const maxEvents = 1024

// Client is one player's view of a connection: everything between the
// socket and the screen. Create it with New when dialling, then pass it
// every frame the server sends (Handle), send what Input returns once per
// tick and what Ping returns about once a second, and draw what View
// fills in.
//
// Not safe for concurrent use: the caller serialises calls (a game calls
// it from its update loop). Every method takes the current time rather
// than reading a clock, so tests and replays can drive it.
type Client struct {
	opts Options

	// From the Welcome.
	welcomed  bool
	spectator bool // watching: no player of its own, no inputs (Welcome.spectator)
	id        uint32
	resumed   bool
	room      string
	tickRate  int
	arena     sim.Map
	cfg       sim.Config

	state  pb.State       // the newest replicated state
	events []pb.EventInfo // arrived and not yet returned by Events
	spare  []pb.EventInfo // what Events returned last time, reused next time
	err    error          // the first bad frame; the connection is over

	last  pb.SnapshotInfo // what the newest snapshot said besides the state
	fresh int             // how many of events, at its end, the newest snapshot brought

	kicked     bool
	kickReason pb.KickReason
	kickMsg    string

	noticed   bool
	noticeMsg string // the latest Notice

	pred    predictor
	own     ownShots
	clock   clock
	inClock inputClock
	// overdue holds, by seq % len, the seqs of the inputs Inputs made
	// overdue (inputclock.go's due) after a stall of its own: a stand-in
	// for one of them is this client's own doing.
	overdue [overdueRing]uint32
	ring    samples

	// What the last Advance prepared (view.go).
	frame View
	shown uint32  // the tick of the sample the picture shows: Events returns events up to it
	lag   float64 // how far the picture drew the others behind the present: the render lag
	past  pastTargets

	out, ping []byte                    // the frames Input, Inputs and Ping return
	spareSeqs []uint32                  // what UntrueHits returns
	batch     [pb.MaxInputs]pb.InputMsg // what Inputs sends
	pinged    bool
	pingEpoch time.Time // Ping's client_time counts nanoseconds from here

	counters
}

// New returns a Client for one connection, waiting for its Welcome.
func New(opts Options) *Client {
	c := &Client{opts: opts.withDefaults()}
	c.own = newOwnShots(&c.arena, &c.cfg, &c.opts)
	c.past = pastTargets{ring: &c.ring, me: &c.id, speed: &c.cfg.PlayerSpeed}
	return c
}

// Handle takes one frame the server sent (a ServerMessage: Welcome,
// Snapshot, Pong, Kick or Notice), received at now: the time it arrived,
// not the time it is handled, when the caller can tell (a game that drains
// its socket once a frame would otherwise read round trips a frame high;
// snapshots handled together at one time are taken as one arrival, see
// clock.go). It returns an error, wrapping
// pb.ErrMalformed when the bytes are at fault, for a frame that cannot be
// used: the caller should then close the connection (WebSocket code 1002).
// After an error every later frame returns it again.
func (c *Client) Handle(frame []byte, now time.Time) error {
	c.seen(now)
	c.bytesIn.add(c.bucket(), len(frame))
	if c.err != nil {
		return c.err
	}
	kind, body, err := pb.SplitServerMessage(frame)
	if err != nil {
		err = fmt.Errorf("netcode: %w", err)
	} else {
		switch kind {
		case pb.ServerWelcome:
			err = c.onWelcome(body, now)
		case pb.ServerSnapshot:
			if !c.welcomed {
				err = malformed("snapshot before the welcome")
			} else {
				err = c.onSnapshot(body, now, false)
			}
		case pb.ServerPong:
			err = c.onPong(body, now)
		case pb.ServerKick:
			err = c.onKick(body)
		case pb.ServerNotice:
			err = c.onNotice(body)
		}
	}
	c.err = err
	return err
}

// onWelcome sets the client up from the Welcome: who it is, the arena and
// rules for prediction (as simwire.Config reads them), and the first state.
func (c *Client) onWelcome(body []byte, now time.Time) error {
	if c.welcomed {
		return malformed("second welcome")
	}
	w, state, err := pb.ReadWelcome(body)
	switch {
	case err != nil:
		return fmt.Errorf("netcode: %w", err)
	case w.GetProtocolVersion() != protocolVersion:
		return fmt.Errorf("netcode: protocol version %d, this client speaks %d", w.GetProtocolVersion(), protocolVersion)
	case w.GetPlayerId() == 0 && !w.GetSpectator():
		return malformed("welcome: no player id")
	case w.GetPlayerId() != 0 && w.GetSpectator():
		return malformed("welcome: a spectator with player id %d", w.GetPlayerId())
	case w.GetTickRate() > maxTickRate:
		return malformed("welcome: tick rate %d", w.GetTickRate())
	case state == nil:
		return malformed("welcome: no state")
	}
	if c.cfg, err = simwire.Config(w, &c.arena); err != nil {
		return fmt.Errorf("netcode: %w", err)
	}
	c.id, c.resumed, c.room, c.tickRate = w.GetPlayerId(), w.GetResumed(), w.GetRoom(), int(w.GetTickRate())
	c.spectator = w.GetSpectator()
	if c.tickRate == 0 {
		c.tickRate = sim.TickRate
	}
	c.pred = newPredictor(&c.arena, &c.cfg, &c.opts)
	c.clock = newClock(c.tickRate, &c.opts)
	c.inClock = newInputClock(c.tickRate)
	if err := c.onSnapshot(state, now, true); err != nil {
		return err
	}
	c.welcomed = true
	return nil
}

// onSnapshot applies one Snapshot message (welcome: the Welcome's state)
// and hands it to the checksum, the interpolation ring, the clock and the
// predictor.
func (c *Client) onSnapshot(body []byte, now time.Time, welcome bool) error {
	prevTick, prevLead := c.state.Tick, c.last.Lead
	seen := len(c.events)
	info, events, err := c.state.Apply(body, c.events)
	c.events = events
	if err != nil {
		return fmt.Errorf("netcode: snapshot: %w", err)
	}
	c.last = info
	if !welcome && info.Tick < prevTick {
		return malformed("snapshot of tick %d after tick %d", info.Tick, prevTick)
	}
	c.snapshots++
	c.snapshotRate.add(c.bucket(), 1)
	if info.Checksum != 0 {
		c.checksums++
		if info.Checksum != c.state.Hash() {
			c.desyncs++
		}
	}
	c.ring.add(&c.state)
	c.past.changed()
	c.clock.arrive(info.Tick, now)
	switch {
	case welcome || info.Ack == 0:
		// Before its first input, the server's lead says nothing.
	case info.Lead < 0 && c.ownLate(info.Ack, info.Lead, now):
		c.inClock.excuse()
	default:
		c.inClock.report(info.Tick, info.Lead)
	}

	// A spawn, a respawn and a death move the player for reasons input does
	// not explain: shown at once, not counted as mispredictions.
	me := c.state.Player(c.id)
	teleport := welcome || me != nil && (me.F[pb.FieldAlive] != 0) != c.pred.alive
	for _, ev := range c.events[seen:] {
		if ev.Kind == pb.EventKind_EVENT_KIND_SPAWN && ev.A == c.id {
			teleport = true
		}
	}
	shift := c.pred.reconcile(me, info.Ack, info.Lead, info.Tick, c.state.Match, teleport, now)
	c.own.reconcile(&c.state, c.id, prevTick, amendBack(prevLead), shift, &c.pred, now)
	c.fresh = len(c.events) - seen
	if n := len(c.events); n > maxEvents {
		c.events = c.events[:copy(c.events, c.events[n-maxEvents:])]
	}
	c.fresh = min(c.fresh, len(c.events))
	return nil
}

// overdueRing is how many of the latest inputs made overdue the Client
// remembers: more than one call makes (maxBacklog).
const overdueRing = 64

// ownLate reports whether the stand-ins a snapshot reports at now (its
// lead < 0: the slots up to ack, from ack+lead+1, were stood in for) are
// this client's own doing, in a stall of its own (inputclock.go's
// stallGaps: longer than its frames' jitter, which the lead covers): the
// first of them was made overdue after such a stall, or is not made yet,
// although news of its slot has come back, and the client is in one now.
// No margin the input clock keeps would have helped.
func (c *Client) ownLate(ack uint32, lead int32, now time.Time) bool {
	first := ack - uint32(-lead) + 1
	return first > c.pred.seq && c.inClock.stalling(now) || c.overdue[first%overdueRing] == first
}

// onPong measures the round trip of the Ping it answers.
func (c *Client) onPong(body []byte, now time.Time) error {
	p, err := pb.ReadPong(body)
	if err != nil {
		return fmt.Errorf("netcode: %w", err)
	}
	if !c.pinged {
		return nil
	}
	sent := p.GetClientTime()
	elapsed := now.Sub(c.pingEpoch)
	if elapsed < 0 || sent > uint64(elapsed) {
		return nil // not one of ours: a Ping's time is never in the future
	}
	c.recordRTT(elapsed - time.Duration(sent))
	return nil
}

// onKick keeps what the server said when it kicked this client.
func (c *Client) onKick(body []byte) error {
	k, err := pb.ReadKick(body)
	if err != nil {
		return fmt.Errorf("netcode: %w", err)
	}
	c.kicked, c.kickReason, c.kickMsg = true, k.GetReason(), k.GetMessage()
	return nil
}

// onNotice keeps the latest Notice's message.
func (c *Client) onNotice(body []byte) error {
	n, err := pb.ReadNotice(body)
	if err != nil {
		return fmt.Errorf("netcode: %w", err)
	}
	c.noticed, c.noticeMsg = true, n.GetMessage()
	return nil
}

// Welcomed reports whether the Welcome has arrived. Before it, Input
// returns nil and View shows nothing.
func (c *Client) Welcomed() bool { return c.welcomed }

// Kick returns what the server said when it kicked this client, if it did:
// it sends a Kick just before closing the connection.
func (c *Client) Kick() (reason pb.KickReason, message string, ok bool) {
	return c.kickReason, c.kickMsg, c.kicked
}

// Notice returns the message of the latest Notice the server sent, if it
// sent one: text to show the player (the server sends one when it starts
// draining, to say the connection ends with the match).
func (c *Client) Notice() (message string, ok bool) {
	return c.noticeMsg, c.noticed
}

// Inputs runs the input clock to now: it makes every input due since the
// last call, each with wish, and returns the frame that sends them (an
// Input, or an Inputs message for several), valid until the next call;
// nil when none is due, before the Welcome, and always for a spectator
// (the server kicks a spectator that sends one). Call it from every update
// of the game, however many a second it manages: the clock, not the
// caller, decides how many inputs there are. It makes TickRate a second,
// run a few percent fast or slow as the snapshots' input_lead steers it
// (inputclock.go), at most pb.MaxInputs in one call: the rest come with the
// next calls (Ebiten runs up to five updates in a slow frame), and past
// 16 ticks behind (a hidden tab) they are not made: the server stands in.
// Those made so late that they would come after their slots repeat the
// last input, as the server's stand-ins would: a frame that took long
// costs the new wish a few ticks, never a correction.
func (c *Client) Inputs(wish sim.Input, now time.Time) []byte {
	c.seen(now)
	if !c.welcomed || c.spectator {
		return nil
	}
	n, overdue := c.inClock.due(now, len(c.batch))
	if n == 0 {
		return nil
	}
	for i := range n {
		in := wish
		if i < overdue {
			in = c.pred.last // what the server stands in with: see inputclock.go
		}
		c.batch[i] = c.input(in, now)
		if i < overdue && c.inClock.stalled {
			c.overdue[c.batch[i].Seq%overdueRing] = c.batch[i].Seq
		}
	}
	if n == 1 {
		c.out = pb.AppendInput(c.out[:0], c.batch[0])
	} else {
		c.out = pb.AppendInputs(c.out[:0], c.batch[:n])
	}
	c.bytesOut.add(c.bucket(), len(c.out))
	return c.out
}

// Input makes one input, now, with in, outside the input clock, and
// returns the frame that sends it, valid until the next call (nil before
// the Welcome, and for a spectator). It is for a caller that keeps its own tick, TickRate times
// a second; a game calls Inputs from its updates instead.
func (c *Client) Input(in sim.Input, now time.Time) []byte {
	c.seen(now)
	if !c.welcomed || c.spectator {
		return nil
	}
	c.out = pb.AppendInput(c.out[:0], c.input(in, now))
	c.bytesOut.add(c.bucket(), len(c.out))
	return c.out
}

// input numbers in (seq 1, 2, 3, …), sanitized as the server would,
// remembers it, moves the predicted local player by it, flies the own
// shots a tick and adds the one it fires, and returns it as the wire
// carries it. An input that fires carries its render lag, for the server's
// lag compensation: how many ticks behind the present the last Advance
// drew the others, the picture the shot is aimed in and flies in
// (skirmish.proto's render_lag, rewind.go); in.RenderLag is ignored.
func (c *Client) input(in sim.Input, now time.Time) pb.InputMsg {
	in, _ = in.Sanitize()
	lag := renderLag(c.lag)
	seq, shot, fired := c.pred.input(in)
	c.own.input(seq, shot, fired, c.pred.present(), lag, &c.past, now)
	msg := simwire.InputMsg(seq, in)
	msg.RenderLag = 0
	if in.Buttons&sim.ButtonFire != 0 {
		msg.RenderLag = uint32(lag)
	}
	return msg
}

// Ping returns a Ping frame to send, valid until the next call; the Pong
// that answers it measures the round trip (Stats). Send one about once a
// second. Its client_time is nanoseconds since this client's first Ping.
func (c *Client) Ping(now time.Time) []byte {
	c.seen(now)
	if !c.pinged {
		c.pinged, c.pingEpoch = true, now
	}
	c.ping = pb.AppendPing(c.ping[:0], uint64(max(now.Sub(c.pingEpoch), 0)))
	c.bytesOut.add(c.bucket(), len(c.ping))
	return c.ping
}

// Events returns the events (hits, kills, spawns, match start and end)
// that the picture has reached since the last call, oldest first, and
// forgets them: those of the ticks up to the snapshot the last Advance drew
// the other players at, so that no hit or kill is told before it is seen.
// The slice is valid until the next call. A caller that never calls it
// keeps only the last 1024.
func (c *Client) Events() []pb.EventInfo {
	n := 0
	for n < len(c.events) && c.events[n].Tick <= c.shown {
		n++
	}
	c.spare = append(c.spare[:0], c.events[:n]...)
	c.events = c.events[:copy(c.events, c.events[n:])]
	c.fresh = min(c.fresh, len(c.events))
	return c.spare
}

// UntrueHits returns the inputs, since the last call, whose own shot
// struck a player as drawn (and vanished there) and that the server then
// turned out not to have fired: the local player was already dead on the
// server, a kill that reaches its own screen a round trip late, or its
// cooldown had not run out. The hit the picture showed never was. The
// slice is valid until the next call; at most 16 wait for it.
func (c *Client) UntrueHits() []uint32 {
	c.spareSeqs = append(c.spareSeqs[:0], c.own.untrue...)
	c.own.untrue = c.own.untrue[:0]
	return c.spareSeqs
}

// PlayerID is the local player's id, from the Welcome (0 before it, and
// for a spectator).
func (c *Client) PlayerID() uint32 { return c.id }

// Resumed reports whether the Welcome said this connection took over the
// player the account already had in the room (the same one, after a
// dropped connection: the server's hold).
func (c *Client) Resumed() bool { return c.resumed }

// Spectator reports whether the Welcome said this connection watches: no
// player of its own (View has no Local player), no inputs.
func (c *Client) Spectator() bool { return c.spectator }

// Room is the room's name, from the Welcome.
func (c *Client) Room() string { return c.room }

// TickRate is the number of server ticks per second, from the Welcome
// (0 before it).
func (c *Client) TickRate() int { return c.tickRate }

// Map is the arena, from the Welcome, for drawing its walls; nil before
// the Welcome. The caller must not change it: prediction uses it.
func (c *Client) Map() *sim.Map {
	if !c.welcomed {
		return nil
	}
	return &c.arena
}

// Config is the rules, from the Welcome: the sim defaults with everything
// the Welcome's Rules carry (speeds, radius, health, cooldown, match length
// and score limit). Its Map is Map().
func (c *Client) Config() sim.Config { return c.cfg }

// malformed returns an error wrapping pb.ErrMalformed: the server's bytes
// are at fault.
func malformed(format string, args ...any) error {
	return fmt.Errorf("netcode: %w: "+format, append([]any{pb.ErrMalformed}, args...)...)
}

// State is the newest replicated state, as the snapshots rebuilt it (not
// what is drawn: View says that). It is valid until the next Handle and
// the caller must not change it: prediction and the checksum read it.
func (c *Client) State() *pb.State { return &c.state }

// LastSnapshot is what the newest snapshot said besides the state: its
// tick, whether it was full, the ack exactly as sent, and its checksum
// (0: none).
func (c *Client) LastSnapshot() pb.SnapshotInfo { return c.last }

// Arrived is the events the newest snapshot brought, as the server sent
// them, before the picture reaches them (Events returns them then): for a
// caller that counts what the server said, such as a bot. Valid until the
// next Handle or Events; the caller must not change it.
func (c *Client) Arrived() []pb.EventInfo { return c.events[len(c.events)-c.fresh:] }
