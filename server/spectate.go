// spectate.go — spectators: a spectator's ticket (ticket.Ticket.Spectator,
// minted by the lobby's POST /api/watch) watches a room without a seat.
// The handshake (handshake.go) sends it here; the registry (registry.go)
// counts each room's spectators against Options.MaxSpectators, apart from
// its seats, and tells Options.OnSpectators; the room (tick.go) admits
// them after its players and sends them the bodies snapshot.go encodes for
// the whole arena, SpectateDelay late, shared by every client on the same
// baseline; an input from one is a kick (inbound.go).

package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"sync"

	pb "skirmish/proto"
	"skirmish/ticket"
)

// errNotHosted answers a spectator's ticket for a room this server does
// not run (yet, or any more): its players are elsewhere, or gone.
var errNotHosted = errors.New("server: room is not open on this server")

// errSpectatorsFull answers a spectator's ticket for a room that has
// Options.MaxSpectators of them.
var errSpectatorsFull = errors.New("server: room takes no more spectators")

var kickSpectator = &kick{pb.KickReason_KICK_REASON_SPECTATOR, 1008, "spectators send no inputs", "spectator_input"}

// serveSpectator is the rest of the handshake for a spectator's ticket t,
// which checked out, from addr (addrlimit.go): a place among the room's
// spectators, then the upgrade; it reports whether the connection was
// upgraded. Refusals: 404 for a room this server does not run, 409 for one
// with all its spectators.
func (s *Server) serveSpectator(w http.ResponseWriter, r *http.Request, t ticket.Ticket, addr netip.Addr) bool {
	rm, err := s.registry.watch(t.Room)
	switch {
	case errors.Is(err, errSpectatorsFull):
		s.refuse(w, r, http.StatusConflict, "spectators_full", err.Error())
		return false
	case err != nil:
		s.refuse(w, r, http.StatusNotFound, "no_room", err.Error())
		return false
	}
	conn, ok := s.upgrade(w, r)
	if !ok {
		s.registry.unwatch(rm)
		return false
	}
	c := newClient(s, rm, conn, t, addr)
	conn.Session().Store(sessionKey, c)
	s.track(c, true)
	s.metrics.connects.Inc()
	if !rm.offer(c) {
		c.kick(rm.refusal())
	}
	go conn.ReadLoop()
	return true
}

// watch counts a spectator in the room with the given id, if this server
// runs it and it has room for one more.
func (g *registry) watch(roomID string) (*room, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.hostedLocked(roomID)
	limit := max(g.s.opts.MaxSpectators, 0)
	switch {
	case g.closing || r == nil || r.failed:
		return nil, fmt.Errorf("%w: room %s (a room is watched on the server its players are in)", errNotHosted, roomID)
	case limit == 0:
		return nil, fmt.Errorf("%w: this server takes no spectators", errSpectatorsFull)
	case r.watchers >= limit:
		return nil, fmt.Errorf("%w: room %s has all the %d spectators it takes; try again later", errSpectatorsFull, roomID, limit)
	}
	r.watchers++
	g.s.reports.set(r.id, r.watchers)
	return r, nil
}

// unwatch gives a spectator's place back: it left, or never made it in.
func (g *registry) unwatch(r *room) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r.watchers--
	g.s.reports.set(r.id, r.watchers)
}

// spectatorInput answers an Input from a spectator: counted, logged, kicked.
func (c *client) spectatorInput() {
	c.s.metrics.spectatorInputs.Inc()
	c.s.opts.Logger.Warn("server: input from a spectator", "room", c.room.id, "spectator", c.ticket.PlayerID)
	c.kick(kickSpectator)
}

// admitSpectators takes the spectators that completed their handshake
// since the last tick; their Welcome goes out with the next snapshot they
// can be sent (broadcastSpectators).
func (r *room) admitSpectators() {
	for {
		select {
		case c := <-r.watch:
			c.base = 0
			r.spectators = append(r.spectators, c)
			r.s.metrics.spectators.Inc()
			r.s.opts.Logger.Info("server: spectator joined", "room", r.id, "spectator", c.ticket.PlayerID)
		default:
			return
		}
	}
}

// evictSpectators lets go of the spectators whose connection closed, and
// drops those that do not read, as evict does players (tick.go). The
// order of the others is kept: it is the order of the room's batches
// (outbound.go).
func (r *room) evictSpectators(now, stuckTicks int64) {
	kept := r.spectators[:0]
	for _, c := range r.spectators {
		c.dropIfStuck(now, stuckTicks)
		if c.closed.Load() {
			r.unseeSpectator(c)
			continue
		}
		kept = append(kept, c)
	}
	clear(r.spectators[len(kept):])
	r.spectators = kept
}

// unseeSpectator stops writing to an admitted spectator.
func (r *room) unseeSpectator(c *client) {
	c.out.stop()
	r.s.metrics.spectators.Dec()
	r.s.opts.Logger.Info("server: spectator left", "room", r.id, "spectator", c.ticket.PlayerID)
}

// closeSpectators kicks every admitted spectator, as the room ends.
func (r *room) closeSpectators(k *kick) {
	for _, c := range r.spectators {
		r.unseeSpectator(c)
		c.kick(k)
	}
	clear(r.spectators)
	r.spectators = r.spectators[:0]
}

// spectatorTick is the tick spectators are shown now: the latest, or
// delay ticks before it; false while the room is younger than its delay.
func (r *room) spectatorTick() (uint32, bool) {
	t := r.hist.tick
	if t <= r.delay {
		return 0, false
	}
	return t - r.delay, true
}

// broadcastSpectators queues every spectator's snapshot for this tick in
// out, after the players' (snapshot.go's broadcast): a Welcome saying
// spectator with the full state of the tick they are shown, then deltas.
// A body is encoded once per baseline and shared, with the players too
// when there is no delay.
func (r *room) broadcastSpectators(out *batch) {
	if len(r.spectators) == 0 {
		return
	}
	to, ok := r.spectatorTick()
	if !ok {
		return
	}
	for _, c := range r.spectators {
		if c.closed.Load() {
			continue
		}
		if c.out.full() {
			r.stats.skipped++
			out.add(c.out)
			continue
		}
		buf := c.out.nextBuf()
		if c.base == 0 {
			buf = pb.AppendWelcomeMessage(buf, r.spectatorHead, 0, 0, r.bodyTo(0, to))
		} else {
			buf = pb.AppendSnapshotMessage(buf, 0, 0, r.bodyTo(c.base, to))
		}
		c.base = to
		r.stats.messages++
		r.stats.bytes += len(buf)
		out.queue(c.out, buf, int64(r.hist.tick))
	}
}

// spectatorReports hands each room's spectator count to
// Options.OnSpectators on one goroutine of its own: the latest count of
// each room that changed, one call at a time, so a slow lobby delays the
// reports and never a handshake.
type spectatorReports struct {
	report func(room string, spectators, limit int) // nil: nobody is told
	limit  int

	mu      sync.Mutex
	pending map[string]int // rooms changed since the last reports, their latest count
	wake    chan struct{}  // capacity 1: full means reports are wanted already
}

func newSpectatorReports(opts *Options) *spectatorReports {
	return &spectatorReports{report: opts.OnSpectators, limit: opts.MaxSpectators,
		pending: make(map[string]int), wake: make(chan struct{}, 1)}
}

// set records room's count to be reported. It never blocks.
func (p *spectatorReports) set(room string, n int) {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	p.pending[room] = n
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run reports until quit closes, then closes done.
func (p *spectatorReports) run(quit <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	batch := make(map[string]int)
	for {
		select {
		case <-quit:
			return
		case <-p.wake:
		}
		p.mu.Lock()
		batch, p.pending = p.pending, batch
		p.mu.Unlock()
		for room, n := range batch {
			p.report(room, n, p.limit)
		}
		clear(batch)
	}
}

// dropIfStuck drops c when its oldest queued snapshot has waited
// stuckTicks to be written, at tick now (tick.go's evict).
func (c *client) dropIfStuck(now, stuckTicks int64) {
	if since, ok := c.out.oldest(); ok && !c.closed.Load() && now-since > stuckTicks {
		c.s.opts.Logger.Warn("server: dropping a client that does not read", "room", c.room.id, "player", c.ticket.PlayerID, "spectator", c.ticket.Spectator)
		c.drop("stuck")
	}
}
