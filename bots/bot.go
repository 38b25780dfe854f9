// bot.go — a Bot: one connection, the state it rebuilds from snapshots, and
// what it counts while doing so. gws calls the handler methods on the
// connection's read goroutine; Run sends inputs from the caller's (a
// swarm's shard goroutine does instead, swarm.go).

package bots

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"

	"skirmish/client/netcode"
	"skirmish/internal/linksim"
	pb "skirmish/proto"
)

// Bot defaults, filled in by Join.
const (
	defaultName           = "bot"
	defaultReadBufferSize = 4 << 10 // gws's own default
	maxServerMessage      = 1 << 20 // the largest frame a bot accepts (a Welcome is a few KB)
	defaultTickRate       = 60      // until a Welcome says otherwise
	defaultFPS            = 60      // a browser's frame rate on most screens
	maxFPS                = 240     // the fastest screens; beyond, frames without an update
	pingEvery             = time.Second
)

// Options configures a Bot. The zero value of a field means its default.
type Options struct {
	// BaseURL is the lobby, e.g. http://127.0.0.1:8080. Required.
	BaseURL string
	// Name is the display name. Default "bot".
	Name string
	// Behavior picks each update's input from what the bot sees. nil: Idle.
	Behavior Behavior
	// Seed seeds the behaviour's randomness.
	Seed uint64
	// HTTPClient calls the lobby. nil: http.DefaultClient.
	HTTPClient *http.Client
	// Watch, a room id from GET /api/rooms, makes the bot a spectator of
	// that room (POST /api/watch, RequestWatch): no seat, ID 0, and Run
	// sends no inputs (the netcode makes none), only pings. Token is then
	// unused.
	Watch string
	// Token, from Login, makes the bot that player: it asks POST /api/play
	// with the token, as the browser does, which gives it back the seat
	// it holds (a dropped bot comes back as itself: Drop) or quick-matches
	// it (as a player whose server went away queues again). Empty: a new
	// guest each time, through POST /api/play.
	Token string
	// Room, with a Token, seats the player in a private room instead of
	// the queue: NewRoom opens one (its code is in the Assignment), any
	// other value is the code of one to join. Empty: the queue.
	Room string
	// Leads, with a Token, is a party's leader (party.go): it queues the
	// party with POST /api/queue and waits for its seat. Led is a member
	// of a party whose leader queues for it: the bot only waits for its
	// seat. Neither: POST /api/play as the Token's player.
	Leads, Led bool
	// TLSConfig is used to dial a wss:// URL. nil: the system's roots.
	TLSConfig *tls.Config
	// ReadBufferSize is the connection's read buffer, in bytes. Default
	// 4 KiB; a swarm of thousands uses less (a snapshot is ~60 bytes).
	ReadBufferSize int
	// DropEvents stops the bot from keeping events for Events; they are
	// still counted in Stats.Events. A swarm sets it: nobody reads them.
	DropEvents bool
	// InputsPerMessage is how many inputs, at least, Run and a swarm
	// gather before they send them in one frame (an Inputs message): 2
	// sends 30 frames a second at 60 Hz, each input made when the input
	// clock says, for about a tick more input delay. Default 1: each
	// update's inputs as the netcode frames them, as the browser sends
	// them. At most pb.MaxInputs.
	InputsPerMessage int
	// FPS is the frame rate Run plays at, as a browser's frames do
	// (frame.go): each frame drains the socket once, runs TickRate/FPS
	// updates back to back, each giving the behaviour's wish to the
	// netcode's input clock and sending the inputs it makes, then draws.
	// Default 60; at most 240.
	FPS int
	// Link is the simulated network the game connection (the WebSocket)
	// goes through: a one-way delay each way, jitter and stalls
	// (internal/linksim), so Stats.RTT and the timing see what a player
	// on such a link sees. Its jitter and stalls are drawn from Link.Seed
	// ^ Seed. The lobby calls go through HTTPClient as they are. The zero
	// Link: none, the connection as it is.
	Link linksim.Link
}

// Stats is what a bot counted.
type Stats struct {
	Snapshots       int    // snapshots applied, the Welcome's included
	Full            int    // full snapshots among them
	Checksums       int    // snapshots that carried a checksum
	Desyncs         int    // checksums that did not match the rebuilt state
	LastAck         uint32 // seq of the last input the server applied
	AckRegressions  int    // snapshots whose ack went backwards
	TickRegressions int    // snapshots whose tick did not advance
	BytesIn         int64  // payload bytes received
	Events          [6]int // events seen, by pb.EventKind
	Pongs           int
	RTT             time.Duration // of the last pong, to its arrival on the socket
	Errors          int           // inputs or pings the connection refused
	Notices         int           // Notices received

	// What the player sees (frame.go, screen.go; doc.go defines them).
	Frames           int           // frames played
	Corrections      int           // the netcode's: snapshots that put the bot elsewhere than predicted
	StandIns         int           // snapshots whose ack moved on with a negative input lead: late inputs stood in for
	HUDRTT           time.Duration // the netcode's RTT, as the network HUD shows it
	OwnShots         int           // own projectiles drawn
	ScreenHits       int           // own shots that hit a player as drawn
	ScreenHitsScored int           // of those, hits the server scored too
	ScreenHitsUntrue int           // of those, hits of shots the server never fired (the bot was dead there): taken back
	ServerHits       int           // hits the server scored for the bot's shots
}

// Bot is a headless player: a connection, the browser's netcode
// (client/netcode) fed from it, and what it counts on the way.
type Bot struct {
	opts   Options
	assign Assignment
	conn   *gws.Conn
	rng    *rand.Rand

	in     inbox       // frames the read goroutine queued (inbox.go)
	driven atomic.Bool // Run or a swarm drains the inbox each frame; else the read goroutine does

	mu        sync.Mutex // guards the fields below
	net       *netcode.Client
	id        uint32
	welcome   *pb.Welcome
	arena     *Arena
	stats     Stats
	timing    timing
	screen    screen // what the bot sees (screen.go)
	lastTick  uint32 // of the newest snapshot
	confirmed uint32 // the newest input a snapshot confirmed (timing.acked)
	kick      *pb.Kick
	notice    string // the latest Notice's message
	closeErr  error
	changed   chan struct{} // closed at the next snapshot; nil while nobody waits
	pinged    bool
	pingEpoch time.Time // the first Ping's: a Pong's client_time counts from it
	events    []pb.EventInfo

	welcomed chan struct{}
	closed   chan struct{}
	ended    atomic.Bool // closed is closed: cheaper to ask every tick

	// Owned by the goroutine that drives the bot (frame.go).
	play driver
}

// NewRoom is Options.Room for a private room of the bot's own.
const NewRoom = "new"

// maxEvents bounds the events a bot keeps for Events.
const maxEvents = 4096

// ErrClosed is returned once the connection has ended.
var ErrClosed = errors.New("bots: connection closed")

// Join asks the lobby for a seat, connects, and returns once the Welcome
// has arrived.
func Join(ctx context.Context, opts Options) (*Bot, error) {
	if opts.Name == "" {
		opts.Name = defaultName
	}
	if opts.Behavior == nil {
		opts.Behavior = Idle
	}
	if opts.ReadBufferSize <= 0 {
		opts.ReadBufferSize = defaultReadBufferSize
	}
	opts.InputsPerMessage = min(max(opts.InputsPerMessage, 1), pb.MaxInputs)
	if opts.FPS == 0 {
		opts.FPS = defaultFPS
	}
	if opts.FPS < 0 || opts.FPS > maxFPS {
		return nil, fmt.Errorf("bots: Options.FPS %d: want frames a second from 1 to %d", opts.FPS, maxFPS)
	}
	if err := opts.Link.Check(); err != nil {
		return nil, fmt.Errorf("bots: Options.Link: %w", err)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	a, err := requestSeat(ctx, hc, opts)
	if err != nil {
		return nil, err
	}
	b := &Bot{opts: opts, assign: a, rng: rand.New(rand.NewPCG(opts.Seed, 0x5eed)),
		net: netcode.New(netcode.Options{}), welcomed: make(chan struct{}), closed: make(chan struct{})}
	copt := &gws.ClientOption{
		Addr:               a.DialURL(),
		ReadMaxPayloadSize: maxServerMessage,
		ReadBufferSize:     opts.ReadBufferSize,
		TlsConfig:          opts.TLSConfig,
	}
	if !opts.Link.IsZero() {
		link := opts.Link
		link.Seed ^= opts.Seed
		d := &linksim.Dialer{Link: link}
		copt.NewDialer = func() (gws.Dialer, error) { return d, nil }
	}
	conn, _, err := gws.NewClient(b, copt)
	if err != nil {
		return nil, fmt.Errorf("bots: dial: %w", err)
	}
	b.conn = conn
	go conn.ReadLoop()
	select {
	case <-b.welcomed:
		return b, nil
	case <-b.closed:
		return nil, fmt.Errorf("bots: closed before welcome: %w", b.Err())
	case <-ctx.Done():
		_ = b.conn.WriteClose(1000, nil) // goodbye, and cut: nobody waits for the answer
		return nil, ctx.Err()
	}
}

// Assignment is what the lobby answered.
func (b *Bot) Assignment() Assignment { return b.assign }

// ID is the bot's player id in its room.
func (b *Bot) ID() uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.id
}

// Welcome is the server's first message.
func (b *Bot) Welcome() *pb.Welcome {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.welcome
}

// View calls f with the state the netcode rebuilt from the snapshots (the
// newest, not the picture drawn) and the counts, under the bot's lock: f
// must not keep or change them.
func (b *Bot) View(f func(s *pb.State, st *Stats)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(b.net.State(), b.counted())
}

// Events returns the events seen so far and forgets them.
func (b *Bot) Events() []pb.EventInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	ev := b.events
	b.events = nil
	return ev
}

// Kick is what the server said when it closed the connection, if anything.
func (b *Bot) Kick() *pb.Kick {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.kick
}

// Notice is the message of the latest Notice the server sent ("" before
// one); Stats.Notices counts them.
func (b *Bot) Notice() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.notice
}

// Err is why the connection ended (nil while open).
func (b *Bot) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closeErr
}

// Done is closed when the connection has ended.
func (b *Bot) Done() <-chan struct{} { return b.closed }

// WaitFor returns once cond, given what View gives and checked under the
// bot's lock after every batch of frames the netcode takes, holds; or with
// an error when ctx ends or the connection does.
func (b *Bot) WaitFor(ctx context.Context, cond func(s *pb.State, st *Stats) bool) error {
	for {
		b.mu.Lock()
		if cond(b.net.State(), b.counted()) {
			b.mu.Unlock()
			return nil
		}
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-b.closed:
			return fmt.Errorf("bots: waiting: %w", ErrClosed)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// TickRate is the server's tick rate, from the Welcome.
func (b *Bot) TickRate() int {
	if w := b.Welcome(); w.GetTickRate() > 0 {
		return int(w.GetTickRate())
	}
	return defaultTickRate
}

// collect calls f with the bot's counts and timing, under the bot's lock:
// a swarm's look once a second (collect.go).
func (b *Bot) collect(f func(st *Stats, t *timing)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(b.counted(), &b.timing)
}

// closedNow reports whether the connection has ended.
func (b *Bot) closedNow() bool { return b.ended.Load() }

// closeWait bounds how long Close waits for the server to answer its
// close frame before it cuts the connection.
const closeWait = 10 * time.Second

// closeNormal is a close frame's payload: code 1000, no reason.
var closeNormal = []byte{1000 >> 8, 1000 & 0xff}

// Close says goodbye (close code 1000), the player leaves, as a browser's
// WebSocket closes: the close frame, then the server's answer ends the
// connection (Done). Cutting the socket at once instead would reset it
// under the snapshots still arriving, and a server that had not yet read
// the goodbye would see a lost connection. A server that does not answer
// within closeWait is cut off.
func (b *Bot) Close() {
	if err := b.conn.WriteMessage(gws.OpcodeCloseConnection, closeNormal); err != nil {
		_ = b.conn.NetConn().Close()
		return
	}
	go func() {
		t := time.NewTimer(closeWait)
		defer t.Stop()
		select {
		case <-b.closed:
		case <-t.C:
			_ = b.conn.NetConn().Close()
		}
	}()
}

// Drop cuts the connection without a goodbye, as a lost link does: the
// server holds the player (--resume-hold) for the same account to come
// back to (Options.Token).
func (b *Bot) Drop() {
	_ = b.conn.NetConn().Close()
}

// OnOpen implements gws.Event.
func (b *Bot) OnOpen(*gws.Conn) {}

// OnClose implements gws.Event: what is still queued goes to the netcode
// first, so that a Kick the server sent before closing is known once Done
// is closed.
func (b *Bot) OnClose(_ *gws.Conn, err error) {
	b.mu.Lock()
	b.drain()
	if err == nil {
		err = ErrClosed
	}
	if b.closeErr == nil {
		b.closeErr = err
	}
	b.mu.Unlock()
	b.ended.Store(true)
	close(b.closed)
}

// OnPing implements gws.Event: answer, as browsers do.
func (b *Bot) OnPing(conn *gws.Conn, payload []byte) { _ = conn.WritePong(payload) }

// OnPong implements gws.Event.
func (b *Bot) OnPong(*gws.Conn, []byte) {}

// OnMessage implements gws.Event, on the read goroutine: stamp and queue
// the frame, and hand it to the netcode at once while nobody drives the
// bot (a bot that only watches, or one between Runs).
func (b *Bot) OnMessage(_ *gws.Conn, m *gws.Message) {
	at := time.Now()
	b.in.put(m.Bytes(), at)
	m.Close()
	if !b.driven.Load() {
		b.mu.Lock()
		b.drain()
		b.mu.Unlock()
	}
}

// drain hands every queued frame to the netcode, each with its arrival,
// when the game looks (a frame's start, or the arrival itself while
// nobody drives the bot), and counts what they said. The caller holds the
// bot's lock.
func (b *Bot) drain() {
	data, frames := b.in.take()
	if len(frames) == 0 {
		return
	}
	for _, f := range frames {
		if b.closeErr != nil {
			break // the connection is being closed for a bad frame
		}
		b.handle(data[f.start:f.end], f.at)
	}
	b.wake()
}

// counted brings the counts the netcode keeps into b.stats, for whoever
// reads them: View, WaitFor's condition, a swarm's collect. (Once a
// look, not once a frame: it costs a call to Stats.) The caller holds the
// bot's lock.
func (b *Bot) counted() *Stats {
	st := b.net.Stats()
	b.stats.Checksums, b.stats.Desyncs, b.stats.Corrections = st.Checksums, st.Desyncs, st.Corrections
	return &b.stats
}

// handle gives one frame that arrived at at to the netcode, with that
// time, as the browser's socket stamps its frames (the game takes them
// later, at its next frame). A frame the netcode refuses closes the connection (1002),
// as the browser does.
func (b *Bot) handle(raw []byte, at time.Time) {
	b.stats.BytesIn += int64(len(raw))
	kind, body, err := pb.SplitServerMessage(raw)
	if err == nil {
		err = b.net.Handle(raw, at)
	}
	if err == nil {
		switch kind {
		case pb.ServerWelcome:
			err = b.onWelcome(body, at)
		case pb.ServerSnapshot:
			b.onSnapshot(at)
		case pb.ServerPong:
			err = b.onPong(body, at)
		case pb.ServerKick:
			reason, msg, _ := b.net.Kick()
			b.kick = &pb.Kick{Reason: reason, Message: msg}
		case pb.ServerNotice:
			b.notice, _ = b.net.Notice()
			b.stats.Notices++
		}
	}
	if err != nil {
		b.closeErr = fmt.Errorf("bots: %w", err)
		_ = b.conn.WriteClose(1002, []byte("bad server message"))
	}
}

// onWelcome takes the Welcome (its body) the netcode has just read: who
// the bot is, the arena its behaviour steers in (simwire's reading, as
// the netcode's), and the first state.
func (b *Bot) onWelcome(body []byte, at time.Time) error {
	w, _, err := pb.ReadWelcome(body)
	if err != nil {
		return err
	}
	arena, err := NewArena(w)
	if err != nil {
		return err
	}
	b.welcome, b.id, b.arena = w, b.net.PlayerID(), arena
	b.timing.period = time.Second / time.Duration(b.net.TickRate())
	b.screen.welcome(b.net.Config())
	b.onSnapshot(at)
	close(b.welcomed)
	return nil
}

// onSnapshot counts the snapshot the netcode has just applied, which
// arrived at at: its timing, its ack, its events, the own shots it fired.
func (b *Bot) onSnapshot(at time.Time) {
	info := b.net.LastSnapshot()
	arrived := at.Sub(epoch)
	b.timing.arrived(arrived, info.Tick)
	st := &b.stats
	st.Snapshots++
	if info.Full {
		st.Full++
	}
	if st.Snapshots > 1 && info.Tick <= b.lastTick {
		st.TickRegressions++
	}
	b.lastTick = info.Tick
	if info.Ack < st.LastAck {
		st.AckRegressions++
	}
	if info.Ack > st.LastAck && info.Lead < 0 {
		st.StandIns++
	}
	// The input the snapshot confirms: the ack, short of the slots it
	// stood in for (input_lead < 0), whose inputs had not come. A lead
	// below −ack (a hostile server's) would wrap: confirmed ≤ ack holds it.
	if confirmed := info.Ack - uint32(max(-info.Lead, 0)); confirmed > b.confirmed && confirmed <= info.Ack {
		b.timing.acked(confirmed, arrived)
		b.confirmed = confirmed
	}
	st.LastAck = info.Ack
	events := b.net.Arrived()
	for _, ev := range events {
		if int(ev.Kind) < len(st.Events) {
			st.Events[ev.Kind]++
		}
	}
	b.screen.serverEvents(events, b.id, st)
	if !b.opts.DropEvents {
		b.events = append(b.events, events...)
		if len(b.events) > maxEvents {
			b.events = append(b.events[:0], b.events[len(b.events)-maxEvents/2:]...)
		}
	}
}

// onPong records the round trip of the Ping a Pong that arrived at at
// answers (Stats.RTT, the timing's), and as the netcode measured it, the
// HUD's (Stats.HUDRTT): the same, while the netcode is given each frame's
// arrival as the browser's socket gives it.
func (b *Bot) onPong(body []byte, at time.Time) error {
	p, err := pb.ReadPong(body)
	if err != nil || !b.pinged {
		return err
	}
	st := &b.stats
	st.Pongs++
	st.RTT = max(at.Sub(b.pingEpoch)-time.Duration(p.GetClientTime()), 0)
	st.HUDRTT = b.net.Stats().RTT
	b.timing.roundTrip(st.RTT, st.HUDRTT)
	return nil
}

// wake wakes WaitFor's callers to check their condition again. Called
// under the bot's lock.
func (b *Bot) wake() {
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
}
