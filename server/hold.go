// hold.go — a dropped player comes back as themself. When a player's
// connection drops (conn.go's OnClose: anything but the client's own
// close 1000, or a kick other than for a stuck write), the registry
// (registry.go) holds the seat with the Ledger for Options.ResumeHold and
// the room holds the player: it stays in the world, standing still by the
// input-slot rule (tick.go: a silent player idles after simwire.MaxOwed
// stand-ins), and can be hit and score as anyone. A new connection for the
// same account (a new ticket from the lobby) takes the player over at
// admit: the same id, serial, position, health and score, with a Welcome
// whose full state says resumed; a connection still open is kicked with
// KICK_REASON_REPLACED. A hold that ends removes the player.
//
// The world sees nothing but what a room always does: the player's inputs
// (idle ones while held), and one leave when a hold ends. A tick log that
// records joins, leaves and inputs replays a hold as it was played.

package server

import (
	"errors"

	"github.com/lxzan/gws"

	pb "skirmish/proto"
	"skirmish/simwire"
)

var kickReplaced = &kick{pb.KickReason_KICK_REASON_REPLACED, 4000, "You connected again elsewhere: this connection was replaced.", "replaced"}

// holdable reports whether a connection that closed with label (closeLabel,
// or the server's reason) and err dropped, rather than ended: its player
// is held. The client's own close 1000 means the player left; the
// server's kicks end the connection on purpose, but a stuck write is a
// link too slow to keep up, which a new connection may well cure.
func holdable(label string, err error) bool {
	switch label {
	case "silent", "connection_lost", "stuck":
		return true
	case "client_close":
		var ce *gws.CloseError
		return errors.As(err, &ce) && ce.Code != 1000
	}
	return false
}

// hold keeps the player of c, whose connection dropped, in the world until
// c.holdUntil.
func (r *room) hold(c *client) {
	c.holding = true
	c.out.stop()
	r.held++
	m := r.s.metrics
	m.playersConnected.Dec()
	m.playersHeld.Inc()
	m.holds.Inc()
	r.s.opts.Logger.Info("server: player held", "room", r.id, "id", c.id, "name", c.ticket.Name, "until", c.holdUntil)
}

// expireHolds removes the held players whose hold has ended: a leave, at
// this tick. It reads the clock only while the room holds someone.
func (r *room) expireHolds() {
	if r.held == 0 {
		return
	}
	now := r.s.opts.Now()
	for id, c := range r.clients {
		if c != nil && c.holding && !now.Before(c.holdUntil) {
			r.letGo(c)
			r.clients[id] = nil
			r.s.metrics.holdsExpired.Inc()
			r.s.opts.Logger.Info("server: hold ended", "room", r.id, "id", c.id, "name", c.ticket.Name)
		}
	}
}

// letGo takes a held player out of the game and gives its seat up.
func (r *room) letGo(c *client) {
	r.game.RemovePlayer(c.id)
	c.holding = false
	r.held--
	r.s.metrics.playersHeld.Dec()
	r.s.registry.lapsed(c)
}

// takeOver hands c the player its account already has in the room, if it
// has one, and reports whether it did: a held one (resumed), one whose
// connection closed this tick, or one still connected, whose connection
// is kicked (replaced). c keeps the player's id and serial, and starts
// from a Welcome (base 0) with input slots of its own: its inputs count
// from 1.
func (r *room) takeOver(c *client) bool {
	m := r.s.metrics
	for id, old := range r.clients {
		if old == nil || old.ticket.PlayerID != c.ticket.PlayerID {
			continue
		}
		switch {
		case old.holding:
			r.held--
			m.playersHeld.Dec()
			m.playersConnected.Inc()
			m.resumed.Inc()
		case old.closed.Load():
			old.out.stop()
			m.resumed.Inc()
		default:
			old.out.stop()
			old.kick(kickReplaced)
			m.replaced.Inc()
		}
		c.id, c.serial, c.base, c.slots, c.resumed = old.id, old.serial, 0, simwire.Slots{}, true
		r.clients[id] = c
		r.s.opts.Logger.Info("server: player taken over", "room", r.id, "id", c.id, "name", c.ticket.Name, "was_held", old.holding)
		return true
	}
	return false
}
