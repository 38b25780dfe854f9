// operate.go — what an operator may do to a running server, from the
// console (console/): kick one player, close one room. Both take the
// ways the server already ends connections and rooms: a kick (conn.go)
// with its reason to the client, and a room's stop (room.go) after the
// registry (registry.go) has forgotten it, as a drained room is
// (drain.go). live.go holds what the console reads.

package server

import (
	"errors"
	"fmt"

	pb "skirmish/proto"
)

// Operator actions' errors: the player or room is not here.
var (
	ErrNoPlayer = errors.New("server: no such player connected")
	ErrNoRoom   = errors.New("server: no such room open")
)

var (
	// kickOperator: an operator removed the player, who should not come
	// back on their own.
	kickOperator = &kick{pb.KickReason_KICK_REASON_KICKED, 1008, "kicked by operator", "operator"}
	// kickRoomClosedByOperator: an operator closed the room.
	kickRoomClosedByOperator = &kick{pb.KickReason_KICK_REASON_ROOM_CLOSED, 1001, "room closed by operator", "operator_close"}
)

// Kick sends the player with the given lobby id a Kick (KICK_REASON_KICKED,
// "kicked by operator") and closes the connection (code 1008); the room
// removes the player at its next tick and the seat goes back to the
// lobby. It fails with ErrNoPlayer when the player is not connected. Any
// goroutine may call it; it does not block.
func (s *Server) Kick(player uint64) error {
	s.mu.Lock()
	var found *client
	for c := range s.conns {
		if c.ticket.PlayerID == player && !c.closed.Load() {
			found = c
			break
		}
	}
	s.mu.Unlock()
	if found == nil {
		return fmt.Errorf("%w: player %d", ErrNoPlayer, player)
	}
	s.opts.Logger.Info("server: kicked by operator", "room", found.room.id, "player", player, "name", found.ticket.Name)
	found.kick(kickOperator)
	return nil
}

// CloseRoom ends the room with the given id: the registry forgets it (a
// ticket for it opens a fresh room), and its goroutine kicks every player
// with KICK_REASON_ROOM_CLOSED, "room closed by operator", close code
// 1001, and ends. It fails with ErrNoRoom when there is no such room. Any
// goroutine may call it; it returns without waiting for the room to end.
func (s *Server) CloseRoom(id string) error {
	g := s.registry
	g.mu.Lock()
	r := g.hostedLocked(id)
	g.mu.Unlock()
	if r == nil {
		return fmt.Errorf("%w: %q", ErrNoRoom, id)
	}
	g.forget(r)
	s.opts.Logger.Info("server: room closed by operator", "room", id)
	r.stop(kickRoomClosedByOperator)
	return nil
}
