// registry.go — the rooms of one server. The lobby keeps the seats
// (Options.Ledger, a ticket.Ledger): the handshake (handshake.go) claims a
// ticket's seat with the Ledger, and the registry seats the player in the
// room the ticket names, opening it at its first claim; when the player
// leaves, the room gives the seat back and the registry releases it to
// the Ledger. Only seat changes take the registry's lock: never a tick.
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
	seats   map[uint64]*room // connected players' rooms, by player id
	closing bool
}

func newRegistry(s *Server) *registry {
	return &registry{s: s, seats: make(map[uint64]*room)}
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
// goes back to the Ledger.
func (g *registry) claim(playerID uint64, roomID string) (*room, error) {
	g.mu.Lock()
	_, connected := g.seats[playerID]
	refuse := g.s.draining.Load() && g.hostedLocked(roomID) == nil
	g.mu.Unlock()
	if connected {
		return nil, fmt.Errorf("%w: player %d is connected already", errNoSeat, playerID)
	}
	if refuse {
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
	g.seats[playerID] = r
	return r, nil
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

// release frees a player's seat: the player left, or never made it in.
func (g *registry) release(playerID uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r, ok := g.seats[playerID]
	if !ok {
		return
	}
	delete(g.seats, playerID)
	r.seats--
	if r.seats == 0 {
		r.idleSince = g.s.opts.Now()
	}
	go g.ledgerRelease(r.id, playerID)
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

// forget takes a room whose match ended during a drain out of the
// registry: tickets for it are refused from now on. Called once, by the
// room's goroutine, as it ends.
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
	ID       string `json:"id"`
	Seats    int    `json:"seats"`
	Capacity int    `json:"capacity"`
}

// Load is how busy a server is: what a node reports to its lobby.
type Load struct {
	Rooms   int `json:"rooms"`   // rooms open
	Players int `json:"players"` // connected players
}

// Load counts the open rooms and the connected players. It is cheap (two
// short locks, no allocation), for a heartbeat to call every second from
// any goroutine.
func (s *Server) Load() Load {
	g := s.registry
	g.mu.Lock()
	rooms := len(g.rooms)
	g.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	return Load{Rooms: rooms, Players: len(s.conns)}
}

// Rooms lists the rooms and their connected players.
func (s *Server) Rooms() []RoomInfo {
	g := s.registry
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]RoomInfo, 0, len(g.rooms))
	for _, r := range g.rooms {
		out = append(out, RoomInfo{ID: r.id, Seats: r.seats, Capacity: s.opts.RoomCapacity})
	}
	return out
}
