// drain.go — the graceful way out for a node an operator is taking down:
// Drain stops the server from opening rooms (registry.go refuses those
// tickets, handshake.go answers 503), tells every player with a Notice,
// lets each room play its match to the end, then kicks the room's players
// with KICK_REASON_SHUTDOWN and closes it. Each room does its part on its
// own goroutine (drainTick, called by tick.go); Shutdown (server.go) is
// the fallback when the deadline comes first.

package server

import (
	"context"
	"time"

	"github.com/lxzan/gws"

	pb "skirmish/proto"
)

// drainNotice is the Notice every player gets when the drain starts, or
// right after their Welcome when they join during it.
const drainNotice = "This server is shutting down after this match. You will be asked to queue again."

// asyncWriter queues a frame on a connection without blocking, behind
// the frames queued before it and ahead of those queued after (a kick's):
// the client's *gws.Conn (tests plug in others). Any goroutine may call it.
type asyncWriter interface {
	WriteAsync(opcode gws.Opcode, payload []byte, callback func(error))
}

// drainKickGrace is how long a Drain whose ctx ended gives Shutdown's kicks
// to reach the players before it returns.
const drainKickGrace = time.Second

// Drain shuts the server down gracefully. From the call on it opens no
// room: a ticket for a room it does not host is refused with 503 ("server
// is draining"); a ticket for a seat in a room it hosts is still taken
// (the lobby may have reserved it just before).
// Every connected player gets a Notice saying the server shuts down after
// this match. Each room then closes when its match ends (its phase leaves
// playing), once every player holds the final state: its players are
// kicked with KICK_REASON_SHUTDOWN and close code 1001. A room without
// players, or between matches, closes at once.
//
// Drain returns nil once every room has closed and every connection is
// gone; the server is then shut down, as after Shutdown. If ctx ends first,
// Drain falls back to Shutdown (everyone still connected is kicked with
// KICK_REASON_SHUTDOWN at once), gives the kicks up to a second to go out,
// and returns ctx.Err(). Shutdown may be called during a Drain: it ends
// the rooms at once, and Drain returns when they are gone. Calling Drain
// again waits again. It may be called from any goroutine.
func (s *Server) Drain(ctx context.Context) error {
	rooms, first := s.registry.drain()
	if first {
		s.metrics.draining.Set(1)
		s.opts.Logger.Info("server: draining", "rooms", len(rooms))
	}
	if err := waitRooms(ctx, rooms); err != nil {
		s.opts.Logger.Warn("server: drain deadline: shutting down the rooms still playing", "err", err)
		grace, cancel := context.WithTimeout(context.WithoutCancel(ctx), drainKickGrace)
		defer cancel()
		_ = s.Shutdown(grace)
		return err
	}
	// Every room has closed (a drain opens none): stop the pinger, and
	// wait for the connections to go.
	if err := s.Shutdown(ctx); err != nil {
		return err
	}
	return s.waitConns(ctx)
}

// Draining reports whether Drain has been called.
func (s *Server) Draining() bool { return s.draining.Load() }

// drainTick is a room's part in a drain, on its goroutine, before the
// ticks that are due (tick.go): it tells each player once, as soon as their
// Welcome has been written; and it ends the room, returning true, when no
// player is left, or when the match is over and every player has been
// sent, and has taken, the snapshot that says so. Only while draining: the
// 60 Hz path otherwise pays one atomic load.
func (r *room) drainTick() bool {
	tick := r.hist.tick
	if st := r.hist.at(tick); st != nil && st.Match.Phase != pb.MatchPhase_MATCH_PHASE_PLAYING {
		r.matchOver = true // and stays over: the next match is not played
	}
	players, settled := len(r.joins), true
	for _, c := range r.clients {
		if c == nil || c.closed.Load() {
			continue
		}
		players++
		if c.base == 0 || c.out.pending() > 0 {
			settled = false // its Welcome or a later snapshot is still to be written
			continue
		}
		if !c.told {
			c.told = true
			// After the Welcome (written), before any kick (same queue).
			c.async.WriteAsync(gws.OpcodeBinary, r.s.notice, nil)
		}
		if c.base != tick {
			settled = false // it skipped the latest snapshot
		}
	}
	if players > 0 && !(r.matchOver && settled) {
		return false
	}
	r.s.opts.Logger.Info("server: room drained", "room", r.id, "players", players)
	r.s.registry.forget(r)
	r.stop(kickDrained)
	return true
}
