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

	"skirmish/internal/linksim"
	pb "skirmish/proto"
)

// Bot defaults, filled in by Join.
const (
	defaultName           = "bot"
	defaultReadBufferSize = 4 << 10 // gws's own default
	maxServerMessage      = 1 << 20 // the largest frame a bot accepts (a Welcome is a few KB)
	defaultTickRate       = 60      // until a Welcome says otherwise
)

// Options configures a Bot. The zero value of a field means its default.
type Options struct {
	// BaseURL is the lobby, e.g. http://127.0.0.1:8080. Required.
	BaseURL string
	// Name is the display name. Default "bot".
	Name string
	// Behavior picks each tick's input. nil: Idle.
	Behavior Behavior
	// Seed seeds the behaviour's randomness.
	Seed uint64
	// HTTPClient calls the lobby. nil: http.DefaultClient.
	HTTPClient *http.Client
	// Token, from Login, makes the bot that player: it queues with POST
	// /api/queue and waits for its seat (as the browser's players do, and
	// as a player whose server went away queues again). Empty: a new guest
	// each time, through POST /api/play.
	Token string
	// TLSConfig is used to dial a wss:// URL. nil: the system's roots.
	TLSConfig *tls.Config
	// ReadBufferSize is the connection's read buffer, in bytes. Default
	// 4 KiB; a swarm of thousands uses less (a snapshot is ~60 bytes).
	ReadBufferSize int
	// DropEvents stops the bot from keeping events for Events; they are
	// still counted in Stats.Events. A swarm sets it: nobody reads them.
	DropEvents bool
	// InputsPerMessage is how many ticks' inputs Run and a swarm send in
	// one frame (an Inputs message): 2 sends 30 frames a second at 60 Hz,
	// each input made on its tick, for about a tick more input delay.
	// Default 1: a frame a tick, as the browser sends them. At most
	// pb.MaxInputs.
	InputsPerMessage int
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
	RTT             time.Duration // of the last pong
	Errors          int           // inputs or pings the connection refused
	Notices         int           // Notices received
}

// Bot is a headless player.
type Bot struct {
	opts   Options
	assign Assignment
	conn   *gws.Conn
	rng    *rand.Rand

	mu       sync.Mutex // guards the fields below
	id       uint32
	welcome  *pb.Welcome
	arena    *Arena
	state    pb.State
	stats    Stats
	timing   timing
	kick     *pb.Kick
	notice   string // the latest Notice's message
	closeErr error
	changed  chan struct{} // closed at the next snapshot; nil while nobody waits
	events   []pb.EventInfo

	welcomed chan struct{}
	closed   chan struct{}
	ended    atomic.Bool // closed is closed: cheaper to ask every tick

	// Owned by the goroutine that sends inputs.
	seq     uint32
	out     []byte
	pending []pb.InputMsg // made, not sent yet (InputsPerMessage > 1)
}

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
		welcomed: make(chan struct{}), closed: make(chan struct{})}
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
		b.Close()
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

// View calls f with the rebuilt state and the counts, under the bot's lock:
// f must not keep them.
func (b *Bot) View(f func(s *pb.State, st *Stats)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(&b.state, &b.stats)
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

// WaitFor returns once cond, checked under the bot's lock after every
// snapshot and notice, holds; or with an error when ctx ends or the
// connection does.
func (b *Bot) WaitFor(ctx context.Context, cond func(s *pb.State, st *Stats) bool) error {
	for {
		b.mu.Lock()
		if cond(&b.state, &b.stats) {
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

// Send sends one input, numbering it (with any Run gathered and has not
// sent yet). Send, Ping and Run must not be used concurrently: they share
// the bot's sequence number and buffers.
func (b *Bot) Send(in pb.InputMsg) error {
	b.mu.Lock()
	b.add(in)
	b.mu.Unlock()
	return b.flush()
}

// add numbers in, records when it was made, and gathers it to send. The
// caller holds b.mu.
func (b *Bot) add(in pb.InputMsg) {
	b.seq++
	in.Seq = b.seq
	b.timing.made(in.Seq, sinceEpoch())
	b.pending = append(b.pending, in)
}

// flush sends the inputs gathered, one Input or one Inputs frame.
func (b *Bot) flush() error {
	if len(b.pending) == 1 {
		b.out = pb.AppendInput(b.out[:0], b.pending[0])
	} else {
		b.out = pb.AppendInputs(b.out[:0], b.pending)
	}
	b.pending = b.pending[:0]
	return b.write(b.out)
}

// Seq is the seq of the last input sent.
func (b *Bot) Seq() uint32 { return b.seq }

// Ping asks for a pong; Stats.RTT measures it.
func (b *Bot) Ping() error {
	b.out = pb.AppendPing(b.out[:0], uint64(sinceEpoch()))
	return b.write(b.out)
}

// write sends one binary frame and counts a refusal.
func (b *Bot) write(p []byte) error {
	err := b.conn.WriteMessage(gws.OpcodeBinary, p)
	if err != nil {
		b.mu.Lock()
		b.stats.Errors++
		b.mu.Unlock()
	}
	return err
}

// TickRate is the server's tick rate, from the Welcome.
func (b *Bot) TickRate() int {
	if w := b.Welcome(); w.GetTickRate() > 0 {
		return int(w.GetTickRate())
	}
	return defaultTickRate
}

// Run sends one input per tick, chosen by the behaviour, until ctx ends or
// the connection does.
func (b *Bot) Run(ctx context.Context) error {
	t := time.NewTicker(time.Second / time.Duration(b.TickRate()))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-b.closed:
			return ErrClosed
		case <-t.C:
		}
		if err := b.step(false); err != nil {
			return err
		}
	}
}

// step makes the input the behaviour picks for this tick and sends it,
// with the ones before it when InputsPerMessage gathers several, then a
// ping if ping is set.
func (b *Bot) step(ping bool) error {
	b.mu.Lock()
	b.add(b.opts.Behavior(b.id, &b.state, b.arena, b.rng))
	b.mu.Unlock()
	if len(b.pending) >= b.opts.InputsPerMessage {
		if err := b.flush(); err != nil {
			return fmt.Errorf("bots: send: %w", err)
		}
	}
	if ping {
		if err := b.Ping(); err != nil {
			return fmt.Errorf("bots: ping: %w", err)
		}
	}
	return nil
}

// collect calls f with the bot's counts and timing, under the bot's lock:
// a swarm's look once a second (collect.go).
func (b *Bot) collect(f func(st *Stats, t *timing)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(&b.stats, &b.timing)
}

// closedNow reports whether the connection has ended.
func (b *Bot) closedNow() bool { return b.ended.Load() }

// Close says goodbye (close code 1000).
func (b *Bot) Close() {
	_ = b.conn.WriteClose(1000, nil)
}

// OnOpen implements gws.Event.
func (b *Bot) OnOpen(*gws.Conn) {}

// OnClose implements gws.Event.
func (b *Bot) OnClose(_ *gws.Conn, err error) {
	b.mu.Lock()
	if err == nil {
		err = ErrClosed
	}
	b.closeErr = err
	b.mu.Unlock()
	b.ended.Store(true)
	close(b.closed)
}

// OnPing implements gws.Event: answer, as browsers do.
func (b *Bot) OnPing(conn *gws.Conn, payload []byte) { _ = conn.WritePong(payload) }

// OnPong implements gws.Event.
func (b *Bot) OnPong(*gws.Conn, []byte) {}

// OnMessage implements gws.Event: apply what the server sent.
func (b *Bot) OnMessage(conn *gws.Conn, m *gws.Message) {
	defer m.Close()
	raw := m.Bytes()
	now := sinceEpoch()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stats.BytesIn += int64(len(raw))
	kind, body, err := pb.SplitServerMessage(raw)
	if err == nil {
		switch kind {
		case pb.ServerWelcome:
			err = b.onWelcome(body, now)
		case pb.ServerSnapshot:
			err = b.apply(body, now)
		case pb.ServerPong:
			err = b.onPong(body, now)
		case pb.ServerKick:
			err = b.onKick(body)
		case pb.ServerNotice:
			err = b.onNotice(body)
		}
	}
	if err != nil {
		b.closeErr = err
		_ = conn.WriteClose(1002, []byte("bad server message"))
	}
}

// onWelcome takes the Welcome that arrived at now: who the bot is, its
// arena (simwire's reading, as the browser's), the tick rate and the first
// state.
func (b *Bot) onWelcome(body []byte, now time.Duration) error {
	w, state, err := pb.ReadWelcome(body)
	if err != nil {
		return fmt.Errorf("bots: %w", err)
	}
	arena, err := NewArena(w)
	if err != nil {
		return fmt.Errorf("bots: %w", err)
	}
	b.welcome, b.id, b.arena = w, w.GetPlayerId(), arena
	rate := defaultTickRate
	if w.GetTickRate() > 0 {
		rate = int(w.GetTickRate())
	}
	b.timing.period = time.Second / time.Duration(rate)
	if err := b.apply(state, now); err != nil {
		return err
	}
	close(b.welcomed)
	return nil
}

// onPong measures the round trip of the Ping a Pong answers.
func (b *Bot) onPong(body []byte, now time.Duration) error {
	p, err := pb.ReadPong(body)
	if err != nil {
		return fmt.Errorf("bots: %w", err)
	}
	b.stats.Pongs++
	b.stats.RTT = now - time.Duration(p.GetClientTime())
	b.timing.roundTrip(b.stats.RTT)
	return nil
}

// onKick keeps what the server said when it kicked the bot.
func (b *Bot) onKick(body []byte) error {
	k, err := pb.ReadKick(body)
	if err != nil {
		return fmt.Errorf("bots: %w", err)
	}
	b.kick = k
	return nil
}

// onNotice keeps a Notice's message and wakes WaitFor.
func (b *Bot) onNotice(body []byte) error {
	n, err := pb.ReadNotice(body)
	if err != nil {
		return fmt.Errorf("bots: %w", err)
	}
	b.notice = n.GetMessage()
	b.stats.Notices++
	b.wake()
	return nil
}

// apply applies one snapshot body that arrived at now, and checks it.
func (b *Bot) apply(body []byte, now time.Duration) error {
	prevTick := b.state.Tick
	seen := len(b.events)
	info, events, err := b.state.Apply(body, b.events)
	if err != nil {
		return fmt.Errorf("bots: snapshot: %w", err)
	}
	if len(events) > maxEvents {
		events = append(events[:0], events[len(events)-maxEvents/2:]...)
		seen = len(events)
	}
	b.events = events
	if b.opts.DropEvents {
		b.events = events[:0]
	}
	b.timing.arrived(now, info.Tick)
	st := &b.stats
	st.Snapshots++
	if info.Full {
		st.Full++
	}
	if st.Snapshots > 1 && info.Tick <= prevTick {
		st.TickRegressions++
	}
	if info.Ack < st.LastAck {
		st.AckRegressions++
	}
	if info.Ack > st.LastAck {
		b.timing.acked(info.Ack, now)
	}
	st.LastAck = info.Ack
	if info.Checksum != 0 {
		st.Checksums++
		if info.Checksum != b.state.Hash() {
			st.Desyncs++
		}
	}
	for _, ev := range events[seen:] {
		if int(ev.Kind) < len(st.Events) {
			st.Events[ev.Kind]++
		}
	}
	b.wake()
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
