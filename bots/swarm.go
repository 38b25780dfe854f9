// swarm.go — a Swarm: thousands of bots in one process, for load tests.
// Bots join through the lobby at a steady rate (the ramp), play for a
// duration, and say goodbye. Each bot costs one goroutine, its connection's
// read loop, which only queues what arrives (bot.go, inbox.go); a few shard
// goroutines play every bot's frames, FPS a second, as browsers do
// (frame.go). Once a second Run collects every bot's counts and timing
// into a Second (report.go), and at the end into a Report.

package bots

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"sync"
	"time"

	"skirmish/internal/linksim"
	pb "skirmish/proto"
)

// Swarm defaults, filled in by NewSwarm.
const (
	defaultSwarmCount      = 16
	defaultSwarmDuration   = 30 * time.Second
	defaultRamp            = 200 // joins a second
	defaultJoinParallel    = 32
	defaultSwarmBehavior   = "fight"
	defaultSwarmReadBuffer = 1 << 10 // a snapshot is ~60 bytes; a Welcome takes a few reads
	defaultJoinTimeout     = 30 * time.Second
	defaultCloseTimeout    = 5 * time.Second
	defaultProgressEvery   = time.Second
	lobbyIdleTimeout       = 10 * time.Second // keep-alive of the joins' lobby connections
	maxErrorSamples        = 10
)

// SwarmOptions configures a Swarm. The zero value of a field means its
// default.
type SwarmOptions struct {
	// BaseURL is the lobby, e.g. http://127.0.0.1:8080. Required.
	BaseURL string
	// Count is how many bots join. Default 16.
	Count int
	// Duration is how long the whole swarm plays once every bot has joined:
	// the measurement window. Default 30 s.
	Duration time.Duration
	// Ramp is how many bots join per second. Default 200.
	Ramp float64
	// Behavior is what every bot does: "fight", "wander" or "idle".
	// Default "fight".
	Behavior string
	// Seed seeds the bots' randomness (bot i gets Seed+i).
	Seed uint64
	// TickRate is how many inputs each bot makes and sends a second: the
	// server's tick rate. Default 60.
	TickRate int
	// FPS is the frame rate every bot plays at (Options.FPS): each frame
	// one socket drain, TickRate/FPS updates back to back, one draw.
	// Default 60; at most 240.
	FPS int
	// JoinParallel bounds the joins in progress at once. Default 32.
	JoinParallel int
	// Shards is how many goroutines send the bots' inputs, each for its
	// share of the bots. Default GOMAXPROCS.
	Shards int
	// ReadBufferSize is each connection's read buffer. Default 1 KiB.
	ReadBufferSize int
	// InputsPerMessage is how many ticks' inputs each bot sends in one
	// frame (Options.InputsPerMessage). Default 1.
	InputsPerMessage int
	// Link is the simulated network every bot's game connection goes
	// through (Options.Link); bot i draws its jitter and stalls from
	// Link.Seed ^ (Seed+i). The zero Link: none.
	Link linksim.Link
	// Progress, if set, is called with each second's figures, on Run's
	// goroutine; it should return quickly.
	Progress func(Second)
	// HTTPClient calls the lobby. nil: one that keeps JoinParallel
	// connections alive. (The lobby limits logins per client address, but
	// not from loopback; against a remote lobby, raise its --login-rate.)
	HTTPClient *http.Client
}

func (o *SwarmOptions) fill() error {
	if o.BaseURL == "" {
		return errors.New("bots: SwarmOptions.BaseURL is required")
	}
	if o.Count <= 0 {
		o.Count = defaultSwarmCount
	}
	if o.Duration <= 0 {
		o.Duration = defaultSwarmDuration
	}
	if math.IsNaN(o.Ramp) {
		return errors.New("bots: SwarmOptions.Ramp is NaN; want joins a second")
	}
	if o.Ramp <= 0 {
		o.Ramp = defaultRamp
	}
	if o.Behavior == "" {
		o.Behavior = defaultSwarmBehavior
	}
	if _, err := BehaviorNamed(o.Behavior); err != nil {
		return err
	}
	if o.TickRate <= 0 {
		o.TickRate = defaultTickRate
	}
	if o.FPS == 0 {
		o.FPS = defaultFPS
	}
	if o.FPS < 0 || o.FPS > maxFPS {
		return fmt.Errorf("bots: SwarmOptions.FPS %d: want frames a second from 1 to %d", o.FPS, maxFPS)
	}
	if o.JoinParallel <= 0 {
		o.JoinParallel = defaultJoinParallel
	}
	if o.Shards <= 0 {
		o.Shards = runtime.GOMAXPROCS(0)
	}
	o.InputsPerMessage = min(max(o.InputsPerMessage, 1), pb.MaxInputs)
	if o.ReadBufferSize <= 0 {
		o.ReadBufferSize = defaultSwarmReadBuffer
	}
	if err := o.Link.Check(); err != nil {
		return fmt.Errorf("bots: SwarmOptions.Link: %w", err)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost: o.JoinParallel,
			IdleConnTimeout:     lobbyIdleTimeout,
		}}
	}
	return nil
}

// BehaviorNamed returns the constructor of the behaviour called name:
// "fight", "wander" or "idle".
func BehaviorNamed(name string) (func() Behavior, error) {
	switch name {
	case "fight":
		return Fight, nil
	case "wander":
		return Wander, nil
	case "idle":
		return func() Behavior { return Idle }, nil
	}
	return nil, fmt.Errorf("bots: unknown behaviour %q (want fight, wander or idle)", name)
}

// Swarm is a crowd of bots. Make one with NewSwarm and Run it once.
type Swarm struct {
	opts     SwarmOptions
	behavior func() Behavior
	start    time.Time

	mu      sync.Mutex // guards members, failed and the error samples
	members []*member
	failed  int
	errs    errorSamples

	shards []*shard
}

// member is one bot of the swarm and what the collector last saw of it.
type member struct {
	bot   *Bot
	index int
	rate  int // the server's tick rate: snapshots expected a second

	// Owned by Run's goroutine.
	snapshots int64 // Stats.Snapshots at the last collect
	bytes     int64
	seen      seen  // what the player saw, at the last collect
	gone      bool  // its connection ended before the swarm closed it
	winSnaps  int64 // snapshots received in the window
	winBytes  int64
	winTime   time.Duration // time connected in the window
}

// shard is one sending goroutine's share of the bots.
type shard struct {
	mu   sync.Mutex
	bots []*member
}

func (sh *shard) add(m *member) {
	sh.mu.Lock()
	sh.bots = append(sh.bots, m)
	sh.mu.Unlock()
}

func (sh *shard) list() []*member {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.bots
}

// NewSwarm checks opts and fills in its defaults.
func NewSwarm(opts SwarmOptions) (*Swarm, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	newBehavior, _ := BehaviorNamed(opts.Behavior)
	s := &Swarm{opts: opts, behavior: newBehavior}
	for range opts.Shards {
		s.shards = append(s.shards, &shard{})
	}
	return s, nil
}

// Options are the options the swarm runs with, defaults filled in.
func (s *Swarm) Options() SwarmOptions { return s.opts }

// Run joins the bots, lets them play for the duration once all have
// joined, closes every connection (close code 1000) and reports. It
// returns early, with the figures so far, when ctx ends; and an error
// only when no bot could join.
func (s *Swarm) Run(ctx context.Context) (*Report, error) {
	s.start = time.Now()
	col := newCollector(s)

	sendCtx, stopSending := context.WithCancel(context.Background())
	var sending sync.WaitGroup
	for i, sh := range s.shards {
		sending.Add(1)
		go func() {
			defer sending.Done()
			s.drive(sendCtx, sh, time.Duration(i)*time.Second/time.Duration(s.opts.FPS*len(s.shards)))
		}()
	}
	joinCtx, stopJoining := context.WithCancel(ctx)
	joinsDone := make(chan struct{})
	go func() {
		defer close(joinsDone)
		s.joinAll(joinCtx)
	}()

	// Progress comes every second from the start, then every second from
	// the opening of the window; the window ends with a progress line, on
	// the tick that falls at its end or else on its own.
	tick := time.NewTicker(defaultProgressEvery)
	pending, end, endAt := joinsDone, (<-chan time.Time)(nil), time.Time{}
	collected := false // the window's last interval is collected
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-pending:
			pending = nil
			if s.joinedCount() == 0 {
				done = true
				continue
			}
			s.progress(col.openWindow())
			tick.Reset(defaultProgressEvery)
			endAt, end = time.Now().Add(s.opts.Duration), time.After(s.opts.Duration)
		case <-end:
			done = true
		case <-tick.C:
			// Whether this is the window's last look is decided before it
			// is taken: a look takes time (longer on a loaded machine),
			// and the window ends where its last look starts.
			last := !endAt.IsZero() && time.Until(endAt) < defaultProgressEvery/10
			s.progress(col.collect())
			if last {
				done, collected = true, true
			}
		}
	}
	tick.Stop()
	stopJoining()
	<-joinsDone
	if !collected {
		s.progress(col.collect())
	}
	col.closeWindow()

	stopSending()
	sending.Wait()
	closed := s.closeAll()
	s.opts.HTTPClient.CloseIdleConnections()

	r := col.report(closed)
	if r.Joined == 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return r, fmt.Errorf("bots: no bot could join: %s", s.errs.first())
	}
	return r, nil
}

func (s *Swarm) joinedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.members)
}

func (s *Swarm) progress(sec Second) {
	if s.opts.Progress != nil {
		s.opts.Progress(sec)
	}
}

// joinAll starts bot i at start + i/Ramp, at most JoinParallel at once,
// and returns when every join has finished or ctx has ended.
func (s *Swarm) joinAll(ctx context.Context) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range s.opts.JoinParallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				s.join(ctx, i)
			}
		}()
	}
	defer wg.Wait()
	defer close(jobs)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := range s.opts.Count {
		due := s.start.Add(time.Duration(float64(i) / s.opts.Ramp * float64(time.Second)))
		timer.Reset(time.Until(due))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		select {
		case <-ctx.Done():
			return
		case jobs <- i:
		}
	}
}

// join brings bot i into the game and hands it to a shard.
func (s *Swarm) join(ctx context.Context, i int) {
	ctx, cancel := context.WithTimeout(ctx, defaultJoinTimeout)
	defer cancel()
	b, err := Join(ctx, Options{
		BaseURL:          s.opts.BaseURL,
		Name:             fmt.Sprintf("bot%d", i),
		Behavior:         s.behavior(),
		Seed:             s.opts.Seed + uint64(i),
		HTTPClient:       s.opts.HTTPClient,
		ReadBufferSize:   s.opts.ReadBufferSize,
		InputsPerMessage: s.opts.InputsPerMessage,
		Link:             s.opts.Link,
		FPS:              s.opts.FPS,
		DropEvents:       true,
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failed++
		s.errs.add("join: " + err.Error())
		return
	}
	// From now on its shard plays its frames; their pings spread over the
	// second.
	b.driven.Store(true)
	b.play.nextPing = time.Now().Add(time.Duration(i%s.opts.FPS) * pingEvery / time.Duration(s.opts.FPS))
	m := &member{bot: b, index: i, rate: b.TickRate()}
	s.members = append(s.members, m)
	s.shards[i%len(s.shards)].add(m)
}

// drive is a shard's goroutine: every frame, each of its bots plays one
// (frame.go): the socket drained, the updates due, the picture drawn.
// Shards start offset apart within a frame, so that the swarm's writes
// are spread out. A bot whose connection cannot take an input holds its
// shard up, as a player's client would be held up; the server reads
// inputs as they come, so this takes a server that has stopped reading.
func (s *Swarm) drive(ctx context.Context, sh *shard, offset time.Duration) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(offset):
	}
	t := time.NewTicker(time.Second / time.Duration(s.opts.FPS))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, m := range sh.list() {
			if !m.bot.closedNow() {
				// A refused write is counted in the bot's Stats.Errors, and
				// its read loop then ends and reports the connection.
				_ = m.bot.frame(time.Now(), s.opts.TickRate)
			}
		}
	}
}

// closeAll says goodbye on every connection still open and waits, for at
// most defaultCloseTimeout, until their read loops have ended. It returns
// how many it closed.
func (s *Swarm) closeAll() int {
	s.mu.Lock()
	members := s.members
	s.mu.Unlock()
	closed := 0
	for _, m := range members {
		if !m.bot.closedNow() {
			m.bot.Close()
			closed++
		}
	}
	deadline := time.NewTimer(defaultCloseTimeout)
	defer deadline.Stop()
	for _, m := range members {
		select {
		case <-m.bot.Done():
		case <-deadline.C:
			s.mu.Lock()
			s.errs.add("close: a connection did not end within " + defaultCloseTimeout.String())
			s.mu.Unlock()
			return closed
		}
	}
	return closed
}

// errorSamples keeps the first few distinct error messages and counts
// every one.
type errorSamples struct {
	counts map[string]int
	order  []string
}

func (e *errorSamples) add(msg string) {
	if e.counts == nil {
		e.counts = make(map[string]int)
	}
	if _, ok := e.counts[msg]; !ok {
		if len(e.order) >= maxErrorSamples {
			return
		}
		e.order = append(e.order, msg)
	}
	e.counts[msg]++
}

func (e *errorSamples) first() string {
	if len(e.order) == 0 {
		return "no error recorded"
	}
	return e.order[0]
}

func (e *errorSamples) list() []string {
	out := make([]string, 0, len(e.order))
	for _, m := range e.order {
		out = append(out, fmt.Sprintf("%s (×%d)", m, e.counts[m]))
	}
	return out
}
