// registry.go — the rooms of one server. The lobby keeps the seats
// (Options.Ledger, a ticket.Ledger): the handshake (handshake.go) claims a
// ticket's seat with the Ledger, and the registry seats the player in the
// room the ticket names, opening it at its first claim; when the player
// leaves, the registry releases the seat to the Ledger; when their
// connection drops, it holds the seat with the Ledger while the room
// holds the player (hold.go), and a new connection for the seat takes it
// over. Only seat changes take the registry's lock: never a tick.
// matchreport.go wraps the game of each room it opens when match reports
// are wanted. While the server drains (drain.go) the registry opens no
// room, and each room leaves it when its match is over.

package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// errNoSeat answers a ticket whose seat is gone (expired, or its room closed).
var errNoSeat = errors.New("server: no seat reserved for this ticket")

// errDraining answers a ticket for a room this server does not host while
// it drains (drain.go): the lobby should send the player elsewhere.
var errDraining = errors.New("server: server is draining")

type registry struct {
	s *Server

	mu      sync.Mutex
	rooms   []*room          // in creation order
	seats   map[uint64]*seat // by player id: connected, being claimed, or held
	closing bool
}

// seat is one player's seat on this server, from its claim to its
// release. A new connection for a player who has one takes it over (the
// room hands it the player: hold.go). Guarded by the registry's mutex.
type seat struct {
	room   *room
	client *client // the connection that has it now; nil: none
	claims int     // handshakes that claimed it and have neither attached a client nor given up
	// waiting: its connection dropped and the room holds the player
	// (hold.go) until until; told is closed once the Ledger's Hold call
	// returned (nil: the Ledger was not asked: the seat is connected).
	waiting bool
	until   time.Time
	told    chan struct{}
	lapsed  bool // the room let the held player go while a claim was under way
}

func newRegistry(s *Server) *registry {
	return &registry{s: s, seats: make(map[uint64]*seat)}
}

// openLocked starts a room with the given id.
func (g *registry) openLocked(id string) (*room, error) {
	r, err := newRoom(g.s, id)
	if err != nil {
		return nil, err
	}
	if g.s.opts.OnMatchStart != nil || g.s.opts.OnMatchEnd != nil {
		r.game = &reportingGame{Game: r.game, room: r}
	}
	g.rooms = append(g.rooms, r)
	g.s.metrics.rooms.Inc()
	go r.run()
	return r, nil
}

// claim claims the seat with the Ledger, then seats the player in the
// room the ticket names, opening it if this server does not host it yet.
// A seat the Ledger granted but this server cannot give (shutting down,
// draining and not hosting the room, the room crashed or is full here)
// goes back to the Ledger. A player who has a seat here already takes it
// over (takeOverLocked). The handshake attaches its client to the seat
// returned, or gives it up with unclaim.
func (g *registry) claim(playerID uint64, roomID string) (*seat, error) {
	g.mu.Lock()
	if st := g.seats[playerID]; st != nil {
		defer g.mu.Unlock()
		if err := g.takeOverLocked(st, playerID, roomID); err != nil {
			return nil, err
		}
		return st, nil
	}
	refuse := g.s.draining.Load() && g.hostedLocked(roomID) == nil
	g.mu.Unlock()
	if refuse {
		// The seat can never be taken here: back to the Ledger, so that
		// the player may queue again at once, not when its hold runs out.
		go g.ledgerRelease(roomID, playerID)
		return nil, fmt.Errorf("%w: it opens no room", errDraining)
	}
	ctx, cancel := context.WithTimeout(context.Background(), g.s.opts.LedgerTimeout)
	defer cancel()
	if err := g.s.opts.Ledger.Claim(ctx, roomID, playerID); err != nil {
		return nil, fmt.Errorf("%w: %w", errNoSeat, err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweepLocked(g.s.opts.Now())
	var r *room
	err := errors.New("server: shutting down")
	switch {
	case g.closing:
	case g.s.draining.Load():
		if r = g.hostedLocked(roomID); r == nil {
			err = fmt.Errorf("%w: it opens no room", errDraining)
		} else {
			err = nil
		}
	default:
		r, err = g.hostLocked(roomID)
	}
	switch {
	case err != nil:
	case r.failed:
		err = fmt.Errorf("server: room %s closed after an internal error", roomID)
	case r.seats >= g.s.opts.RoomCapacity:
		err = fmt.Errorf("server: room %s is full on this server", roomID)
	case g.seats[playerID] != nil:
		err = fmt.Errorf("server: player %d is connected already", playerID)
	}
	if err != nil {
		go g.ledgerRelease(roomID, playerID)
		if errors.Is(err, errDraining) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", errNoSeat, err)
	}
	r.seats++
	r.idleSince = time.Time{}
	st := &seat{room: r, claims: 1}
	g.seats[playerID] = st
	return st, nil
}

// takeOverLocked claims st, the seat the player has here already, for a
// new connection. A connected one is this server's to give: the room
// kicks the old connection (replaced) when the new one arrives. A held
// one is claimed with the Ledger again, once the Ledger has the hold, with
// the lock let go meanwhile.
func (g *registry) takeOverLocked(st *seat, playerID uint64, roomID string) error {
	switch {
	case st.room.id != roomID:
		return fmt.Errorf("%w: player %d has a seat in room %s here", errNoSeat, playerID, st.room.id)
	case st.room.failed || g.closing:
		return fmt.Errorf("%w: room %s is closing", errNoSeat, roomID)
	}
	st.claims++
	told := st.told
	if told == nil {
		return nil
	}
	st.told = nil // a claim racing this one takes the seat from this one
	g.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), g.s.opts.LedgerTimeout)
	defer cancel()
	err := ctx.Err()
	select {
	case <-told:
		err = g.s.opts.Ledger.Claim(ctx, roomID, playerID)
	case <-ctx.Done():
	}
	g.mu.Lock()
	if err != nil {
		st.claims--
		st.told = told
		g.settleLocked(st, playerID)
		return fmt.Errorf("%w: %w", errNoSeat, err)
	}
	return nil
}

// attach gives a claimed seat to the handshake's client: from now on the
// seat follows its connection, and the close of the one before it no
// longer counts.
func (g *registry) attach(st *seat, c *client) {
	g.mu.Lock()
	defer g.mu.Unlock()
	st.claims--
	st.client, st.waiting, st.lapsed = c, false, false
}

// unclaim gives up a claimed seat whose connection never came (the
// upgrade failed): a seat of its own is released, one taken over is left
// as the claim found it.
func (g *registry) unclaim(playerID uint64, st *seat) {
	g.mu.Lock()
	defer g.mu.Unlock()
	st.claims--
	g.settleLocked(st, playerID)
}

// dropped is told that c's connection closed, and reports whether its
// seat is held (hold.go): when holdable says the drop may be, holds are
// on and the room is not closing. A seat nobody claims meanwhile is then
// held with the Ledger until until; otherwise it is released. The close
// of a connection that no longer has its seat (a newer one took it over)
// changes nothing.
func (g *registry) dropped(c *client, holdable bool, until time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := c.ticket.PlayerID
	st := g.seats[id]
	if st == nil || st.client != c {
		return false
	}
	st.client = nil
	if !holdable || g.s.opts.ResumeHold < 0 || g.closing || st.room.failed {
		g.settleLocked(st, id)
		return false
	}
	st.waiting, st.until = true, until
	g.settleLocked(st, id)
	return true
}

// lapsed is told by c's room that it let c's held player go (the hold
// ended, or the room did): the seat is released, unless a new connection
// has it or is claiming it.
func (g *registry) lapsed(c *client) {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := c.ticket.PlayerID
	st := g.seats[id]
	if st == nil || !st.waiting || st.room != c.room {
		return
	}
	st.waiting, st.lapsed = false, true
	g.settleLocked(st, id)
}

// roomEnded releases the seats of r that no connection has: the players
// r held, whose room is gone. Called by r's goroutine as it ends.
func (g *registry) roomEnded(r *room) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for id, st := range g.seats {
		if st.room == r && st.client == nil && st.claims == 0 {
			st.waiting = false
			g.settleLocked(st, id)
		}
	}
}

// settleLocked brings a seat that no connection has and none is claiming
// to where it belongs: held with the Ledger while its room holds the
// player, else released.
func (g *registry) settleLocked(st *seat, playerID uint64) {
	switch {
	case st.client != nil || st.claims > 0:
	case st.waiting && !st.lapsed:
		if st.told == nil {
			st.told = make(chan struct{})
			go g.ledgerHold(st.room.id, playerID, st.until, st.told)
		}
	default:
		if g.seats[playerID] == st {
			delete(g.seats, playerID)
		}
		r := st.room
		r.seats--
		if r.seats == 0 {
			r.idleSince = g.s.opts.Now()
		}
		go g.ledgerRelease(r.id, playerID)
	}
}

// hostLocked returns the room with the given id, opening it if there is
// none.
func (g *registry) hostLocked(id string) (*room, error) {
	if r := g.hostedLocked(id); r != nil {
		return r, nil
	}
	return g.openLocked(id)
}

// hostedLocked returns the room with the given id; nil if there is none.
func (g *registry) hostedLocked(id string) *room {
	for _, r := range g.rooms {
		if r.id == id {
			return r
		}
	}
	return nil
}

// ledgerRelease gives a seat back to the Ledger, on its own goroutine.
func (g *registry) ledgerRelease(roomID string, playerID uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), g.s.opts.LedgerTimeout)
	defer cancel()
	if err := g.s.opts.Ledger.Release(ctx, roomID, playerID); err != nil {
		g.s.opts.Logger.Warn("server: releasing a seat with the ledger failed", "room", roomID, "player", playerID, "err", err)
	}
}

// ledgerHold asks the Ledger to hold a seat until until, on its own
// goroutine, and closes told when the call has returned.
func (g *registry) ledgerHold(roomID string, playerID uint64, until time.Time, told chan struct{}) {
	defer close(told)
	ctx, cancel := context.WithTimeout(context.Background(), g.s.opts.LedgerTimeout)
	defer cancel()
	if err := g.s.opts.Ledger.Hold(ctx, roomID, playerID, until); err != nil {
		g.s.opts.Logger.Warn("server: holding a seat with the ledger failed", "room", roomID, "player", playerID, "err", err)
	}
}

// sweepLocked closes the rooms that stayed empty for IdleRoomLifetime, and
// the crashed ones once their players are gone.
func (g *registry) sweepLocked(now time.Time) {
	kept := g.rooms[:0]
	for _, r := range g.rooms {
		idle := r.seats == 0 && !r.idleSince.IsZero() && now.Sub(r.idleSince) > g.s.opts.IdleRoomLifetime
		if idle || r.failed && r.seats == 0 {
			r.stop(nil)
			g.s.metrics.rooms.Dec()
			continue
		}
		kept = append(kept, r)
	}
	clear(g.rooms[len(kept):])
	g.rooms = kept
}

// markFailed takes a crashed room out of rotation; its seats are released as
// its players are closed.
func (g *registry) markFailed(r *room) {
	g.mu.Lock()
	r.failed = true
	g.mu.Unlock()
}

// drain makes the server drain: from now on no room opens. It returns the
// rooms to wait for, and whether the drain started with this call.
func (g *registry) drain() (rooms []*room, first bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	first = g.s.draining.CompareAndSwap(false, true)
	return append([]*room(nil), g.rooms...), first
}

// forget takes a room whose match ended during a drain (called by the
// room's goroutine, as it ends), or that an operator closed (operate.go),
// out of the registry: while draining, tickets for it are refused from
// now on. Forgetting a room again does nothing.
func (g *registry) forget(r *room) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, x := range g.rooms {
		if x == r {
			g.rooms = slices.Delete(g.rooms, i, i+1)
			g.s.metrics.rooms.Dec()
			return
		}
	}
}

// shutdown refuses new seats and returns the rooms to stop.
func (g *registry) shutdown() []*room {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closing = true
	return append([]*room(nil), g.rooms...)
}

// RoomInfo describes one room, for the operator's eyes.
type RoomInfo struct {
	ID         string `json:"id"`
	Seats      int    `json:"seats"`
	Capacity   int    `json:"capacity"`
	Spectators int    `json:"spectators"` // watching, apart from the seats (spectate.go)
}

// Load is how busy a server is: what a node reports to its lobby.
type Load struct {
	Rooms      int `json:"rooms"`      // rooms open
	Players    int `json:"players"`    // connected players
	Spectators int `json:"spectators"` // connected spectators, not among the players (spectate.go)
}

// Load counts the open rooms, the connected players and spectators. It is cheap (two
// short locks, no allocation), for a heartbeat to call every second from
// any goroutine.
func (s *Server) Load() Load {
	g := s.registry
	g.mu.Lock()
	rooms := len(g.rooms)
	g.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	return Load{Rooms: rooms, Players: len(s.conns) - s.watching, Spectators: s.watching}
}

// Rooms lists the rooms and their connected players.
func (s *Server) Rooms() []RoomInfo {
	g := s.registry
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]RoomInfo, 0, len(g.rooms))
	for _, r := range g.rooms {
		out = append(out, RoomInfo{ID: r.id, Seats: r.seats, Capacity: s.opts.RoomCapacity, Spectators: r.watchers})
	}
	return out
}
