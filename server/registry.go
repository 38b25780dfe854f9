// registry.go — the rooms of one server and the seats reserved in them.
// The lobby reserves a seat (Reserve, through lobby.Seats), the handshake
// (handshake.go) claims it with the ticket, and the room releases it when the
// player leaves. Only seat changes take the registry's lock: never a tick.

package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// errNoSeat answers a ticket whose seat is gone (expired, or its room closed).
var errNoSeat = errors.New("server: no seat reserved for this ticket")

type seat struct {
	room      *room
	until     time.Time // reservation expiry while not connected
	connected bool
}

type registry struct {
	s *Server

	mu      sync.Mutex
	rooms   []*room // in creation order
	seats   map[uint64]*seat
	nextID  int
	closing bool
}

func newRegistry(s *Server) *registry {
	return &registry{s: s, seats: make(map[uint64]*seat)}
}

// Reserve implements lobby.Seats: it holds a seat for playerID until the
// given time in the fullest room with space, opening a room when none has
// any. It is called from HTTP handler goroutines.
func (g *registry) Reserve(ctx context.Context, playerID uint64, until time.Time) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return "", errors.New("server: shutting down")
	}
	if _, ok := g.seats[playerID]; ok {
		return "", fmt.Errorf("server: player %d already holds a seat", playerID)
	}
	g.sweepLocked(time.Now())
	var best *room
	for _, r := range g.rooms {
		if r.seats < g.s.opts.RoomCapacity && !r.failed && (best == nil || r.seats > best.seats) {
			best = r
		}
	}
	if best == nil {
		g.nextID++
		r, err := newRoom(g.s, fmt.Sprintf("r%d", g.nextID))
		if err != nil {
			return "", err
		}
		best = r
		g.rooms = append(g.rooms, best)
		g.s.metrics.rooms.Inc()
		go best.run()
	}
	best.seats++
	best.idleSince = time.Time{}
	g.seats[playerID] = &seat{room: best, until: until}
	return best.id, nil
}

// claim turns a reservation into a connected seat, for the room the ticket
// names.
func (g *registry) claim(playerID uint64, roomID string, now time.Time) (*room, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	st, ok := g.seats[playerID]
	if !ok || st.connected || st.room.id != roomID || st.room.failed || now.After(st.until) {
		return nil, errNoSeat
	}
	st.connected = true
	return st.room, nil
}

// release frees a player's seat: the player left, or never made it in.
func (g *registry) release(playerID uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if st, ok := g.seats[playerID]; ok {
		delete(g.seats, playerID)
		st.room.seats--
		if st.room.seats == 0 {
			st.room.idleSince = time.Now()
		}
	}
}

// sweepLocked frees reservations nobody claimed in time and closes rooms
// that stayed empty for IdleRoomLifetime.
func (g *registry) sweepLocked(now time.Time) {
	for id, st := range g.seats {
		if !st.connected && now.After(st.until) {
			delete(g.seats, id)
			st.room.seats--
			if st.room.seats == 0 {
				st.room.idleSince = now
			}
		}
	}
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

// Rooms lists the rooms and their taken or reserved seats.
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
