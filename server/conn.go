// conn.go — a client connection and the gws events that drive it. gws calls
// every method of handler on the connection's read goroutine, one at a
// time; none of them blocks. Messages go on to inbound.go; the room
// (tick.go) reads what they queue.

package server

import (
	"errors"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"

	pb "skirmish/proto"
	"skirmish/simwire"
	"skirmish/ticket"
)

const sessionKey = "client"

// client is one player's connection. Its fields are grouped by the
// goroutine that writes them, each group on cache lines of its own: the
// read goroutine writes msg and the limiter on every message, the room
// writes its fields every tick, and on two cores a line both write moves
// between them each time (false sharing).
type client struct {
	s      *Server
	room   *room
	conn   *gws.Conn
	ticket ticket.Ticket
	addr   netip.Addr // the client's, when capped (addrlimit.go); zero: not counted
	out    *outbox
	async  asyncWriter // conn; the drain's Notice goes through it (drain.go)
	queue  inputQueue
	since  time.Time // when it connected, by Options.Now

	closed atomic.Bool            // the read loop ended: the room removes (or holds) the player
	reason atomic.Pointer[string] // why the server closed it, for metrics
	// held says the registry holds the seat since the connection dropped:
	// the room holds the player until holdUntil (hold.go). Both are set
	// before closed, and read by the room after it.
	held      atomic.Bool
	holdUntil time.Time

	_ [cacheLine]byte

	// Owned by the read goroutine.
	limiter      floodLimiter
	msg          pb.ClientMsg
	deadlineFrom time.Time // when the read deadline was last pushed back

	_ [cacheLine]byte

	// Owned by the room's goroutine.
	id     uint32 // player id in the room; 0 until admitted
	serial uint32
	base   uint32        // tick of the last snapshot handed to the writer; 0: none yet
	slots  simwire.Slots // its input slots: what they ack (tick.go)
	told   bool          // was sent the drain's Notice (drain.go)
	// holding: the room holds this closed client's player (hold.go).
	holding bool
	// resumed: it took over the player its account already had in the
	// room (hold.go); its Welcome says so.
	resumed bool
}

// cacheLine is the size of a cache line on the machines the server runs
// on (amd64, arm64): what keeps the fields two goroutines write apart.
const cacheLine = 64

func newClient(s *Server, r *room, conn *gws.Conn, t ticket.Ticket, addr netip.Addr) *client {
	c := &client{s: s, room: r, conn: conn, async: conn, ticket: t, addr: addr, out: newOutbox(conn), since: s.opts.Now()}
	c.out.times = &s.metrics.writeTimes
	c.queue.init(s.opts.InputQueue)
	c.limiter.init(s.opts.TickRate*s.opts.FloodFactor, s.opts.TickRate)
	return c
}

// setReason records why the server is closing the connection; the first
// reason wins.
func (c *client) setReason(label string) {
	c.reason.CompareAndSwap(nil, &label)
}

// kick tells the client why and closes the connection, without blocking the
// caller: both writes go through gws's per-connection write queue. A client
// that does not read gets StuckTimeout to take them; then every write on
// the connection fails and it closes.
func (c *client) kick(k *kick) {
	c.setReason(k.label)
	b, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Kick{Kick: &pb.Kick{Reason: k.reason, Message: k.message}}})
	conn := c.conn
	_ = conn.NetConn().SetWriteDeadline(realDeadline(c.s.opts.StuckTimeout))
	if err != nil {
		_ = conn.NetConn().Close()
		return
	}
	conn.WriteAsync(gws.OpcodeBinary, b, func(error) {
		_ = conn.WriteClose(k.code, []byte(k.message))
	})
}

// drop closes the connection at once, without a goodbye: for a client that
// cannot be written to.
func (c *client) drop(label string) {
	c.setReason(label)
	_ = c.conn.NetConn().Close()
}

// handler receives the gws events of every connection of a Server.
type handler struct{ s *Server }

var _ gws.Event = handler{}

// clientOf is the client conn was upgraded for (nil: none).
func clientOf(conn *gws.Conn) *client {
	if ss, ok := conn.Session().(*session); ok {
		return ss.c.Load()
	}
	return nil
}

// session is a connection's gws.SessionStorage (server.go's NewSession):
// it holds the one value the server keeps there, its client under
// sessionKey, where gws's default takes a lock and a map lookup, on
// every message and ping, to find it.
type session struct{ c atomic.Pointer[client] }

var _ gws.SessionStorage = (*session)(nil)

func newSession() gws.SessionStorage { return new(session) }

func (ss *session) Len() int {
	if ss.c.Load() == nil {
		return 0
	}
	return 1
}

func (ss *session) Load(key string) (any, bool) {
	if c := ss.c.Load(); key == sessionKey && c != nil {
		return c, true
	}
	return nil, false
}

func (ss *session) Delete(key string) {
	if key == sessionKey {
		ss.c.Store(nil)
	}
}

// Store keeps a *client under sessionKey; it ignores anything else.
func (ss *session) Store(key string, value any) {
	if c, ok := value.(*client); ok && key == sessionKey {
		ss.c.Store(c)
	}
}

func (ss *session) Range(f func(key string, value any) bool) {
	if c := ss.c.Load(); c != nil {
		f(sessionKey, c)
	}
}

// OnOpen starts the silence timer.
func (h handler) OnOpen(conn *gws.Conn) {
	if c := clientOf(conn); c != nil {
		c.pushDeadline(h.s.opts.Now(), true)
	}
}

// OnClose holds or releases the seat, and lets the room hold or remove the
// player (hold.go says which drops are held).
func (h handler) OnClose(conn *gws.Conn, err error) {
	c := clientOf(conn)
	if c == nil {
		return
	}
	label := closeLabel(err)
	if p := c.reason.Load(); p != nil {
		label = *p
		h.s.recent.add(Event{At: h.s.opts.Now(), Kind: "kick", Reason: label, Room: c.room.id, Player: c.ticket.PlayerID, Name: c.ticket.Name})
	}
	until := h.s.opts.Now().Add(h.s.opts.ResumeHold)
	if c.ticket.Spectator {
		h.s.registry.unwatch(c.room) // spectate.go: no seat to hold
	} else if h.s.registry.dropped(c, holdable(label, err), until) {
		c.holdUntil = until
		c.held.Store(true)
	}
	c.closed.Store(true)
	h.s.closeConn(c.addr)
	h.s.metrics.disconnects.WithLabelValues(label).Inc()
	h.s.opts.Logger.Info("server: connection closed", "room", c.room.id, "player", c.ticket.PlayerID, "reason", label, "err", err)
	h.s.track(c, false) // last: Shutdown and Drain wait for it, and then find everything counted
}

// OnPing answers, as RFC 6455 asks, and counts as a sign of life. Pings
// count against the flood limit like messages: each answer is a write.
func (h handler) OnPing(conn *gws.Conn, payload []byte) {
	if c := clientOf(conn); c != nil {
		now := h.s.opts.Now()
		c.pushDeadline(now, false)
		if c.reason.Load() != nil || !c.withinRate(now) {
			return
		}
		conn.WriteAsync(gws.OpcodePong, append([]byte(nil), payload...), nil)
	}
}

// OnPong is a sign of life: browsers answer the server's pings with one.
func (h handler) OnPong(conn *gws.Conn, _ []byte) {
	if c := clientOf(conn); c != nil {
		c.pushDeadline(h.s.opts.Now(), false)
	}
}

// OnMessage hands the frame to inbound.go.
func (h handler) OnMessage(conn *gws.Conn, m *gws.Message) {
	defer m.Close()
	if c := clientOf(conn); c != nil {
		c.onMessage(m)
	}
}

// pushDeadline moves the silence deadline to SilenceTimeout from now, at
// most once a second (by Options.Now) unless forced. The deadline itself is
// the socket's, on the real clock (clock.go).
func (c *client) pushDeadline(now time.Time, force bool) {
	if !force && now.Sub(c.deadlineFrom) < time.Second {
		return
	}
	c.deadlineFrom = now
	_ = c.conn.SetReadDeadline(realDeadline(c.s.opts.SilenceTimeout))
}

// closeLabel names a disconnect the server did not choose.
func closeLabel(err error) string {
	var ce *gws.CloseError
	var ne interface{ Timeout() bool }
	switch {
	case errors.As(err, &ce):
		return "client_close"
	case errors.As(err, &ne) && ne.Timeout():
		return "silent"
	}
	if code, ok := err.(interface{ Uint16() uint16 }); ok && code.Uint16() == 1009 {
		return "too_big"
	}
	return "connection_lost"
}
