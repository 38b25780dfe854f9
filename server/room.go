// room.go — a room: the goroutine that owns one game, its clients (its
// players, and its spectators: spectate.go) and its snapshot history. The
// outside reaches it only through joins (bounded: full means the room is
// full), its spectators' and quit; inputs arrive through each
// client's lock-free queue (inbound.go). tick.go holds what one tick does,
// drain.go how a room ends with its match when the server drains.

package server

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
	"skirmish/simwire"
)

type room struct {
	s    *Server
	id   string
	game Game

	joins    chan *client  // capacity RoomCapacity; full: refuse the join
	watch    chan *client  // spectators' joins, capacity MaxSpectators; full: refuse
	quit     chan struct{} // closed by stop
	stopOnce sync.Once
	stopKick atomic.Pointer[kick] // what to tell players when quit closes
	done     chan struct{}        // closed when the goroutine has ended
	tick     atomic.Uint32        // latest tick, for pongs
	live     roomLive             // its figures, published once a second (live.go)

	// Guarded by the registry's mutex.
	seats     int
	watchers  int // spectators counted in (spectate.go)
	idleSince time.Time
	failed    bool

	// Owned by the room's goroutine.
	clients       []*client // by player id; nil: free
	serial        uint32    // counts joins, tells reused ids apart
	inputs        []PlayerInput
	slot          simwire.Slot // how collectInputs filled the slot it looks at
	hist          history
	enc           pb.Encoder
	bodies        []byte
	bodyIndex     []bodyRef
	events        []pb.EventInfo
	welcomeHead   []byte    // the Welcome fields every player of this room gets (pb.AppendWelcomeMessage)
	resumeHead    []byte    // the same, saying resumed, for a player taken over (hold.go)
	held          int       // players held (hold.go)
	spectators    []*client // admitted, in the order they came (spectate.go)
	spectatorHead []byte    // the same Welcome fields, saying spectator
	delay         uint32    // ticks spectators see the room late (Options.SpectateDelay)
	stats         roomStats
	durations     tickTimes // since the last publication (live.go)
	tickStart     time.Time // when the tick under way began, on the real clock (tick.go)
	matchOver     bool      // while draining: the match has ended (drain.go)

	rec *recordingGame // the game, when it is recorded (record.go)
}

// kick is what the server says before it closes a connection.
type kick struct {
	reason  pb.KickReason
	code    uint16 // WebSocket close code
	message string
	label   string // disconnect reason for metrics
}

var (
	kickShutdown   = &kick{pb.KickReason_KICK_REASON_SHUTDOWN, 1001, "server shutting down", "shutdown"}
	kickDrained    = &kick{pb.KickReason_KICK_REASON_SHUTDOWN, 1001, "The match is over and this server is shutting down: queue again.", "drain"}
	kickRoomClosed = &kick{pb.KickReason_KICK_REASON_ROOM_CLOSED, 1011, "room closed after an internal error", "room_closed"}
	kickIdle       = &kick{pb.KickReason_KICK_REASON_ROOM_CLOSED, 1001, "room closed", "room_closed"}
	kickRoomFull   = &kick{pb.KickReason_KICK_REASON_ROOM_CLOSED, 1013, "room is full", "room_full"}
	kickFlood      = &kick{pb.KickReason_KICK_REASON_FLOOD, 1008, "too many messages", "flood"}
	kickText       = &kick{pb.KickReason_KICK_REASON_PROTOCOL, 1003, "text frames are not part of the protocol", "protocol"}
	kickMalformed  = &kick{pb.KickReason_KICK_REASON_PROTOCOL, 1007, "not a valid ClientMessage", "protocol"}
)

func newRoom(s *Server, id string) (*room, error) {
	spectators := max(s.opts.MaxSpectators, 0)
	delay := uint32(s.opts.SpectateDelay * time.Duration(s.opts.TickRate) / time.Second)
	r := &room{
		s:          s,
		id:         id,
		game:       s.opts.NewGame(id),
		joins:      make(chan *client, s.opts.RoomCapacity),
		quit:       make(chan struct{}),
		done:       make(chan struct{}),
		clients:    make([]*client, s.opts.RoomCapacity+1),
		watch:      make(chan *client, max(spectators, 1)),
		spectators: make([]*client, 0, spectators),
		delay:      delay,
		// The delayed spectators' baselines are as far behind the present.
		hist: newHistory(s.opts.History + int(delay)),
		// Two seconds of ticks: a late room runs more than TickRate a second.
		durations: newTickTimes(2 * s.opts.TickRate),
	}
	r.game = r.recorded(r.game)
	wel := &pb.Welcome{ProtocolVersion: 1, Room: id, TickRate: uint32(s.opts.TickRate)}
	r.game.Describe(wel)
	head, err := proto.Marshal(wel)
	if err != nil {
		return nil, fmt.Errorf("server: room %s: welcome: %w", id, err)
	}
	r.welcomeHead = head
	wel.Resumed = true
	if r.resumeHead, err = proto.Marshal(wel); err != nil {
		return nil, fmt.Errorf("server: room %s: welcome: %w", id, err)
	}
	wel.Resumed, wel.Spectator = false, true
	if r.spectatorHead, err = proto.Marshal(wel); err != nil {
		return nil, fmt.Errorf("server: room %s: welcome: %w", id, err)
	}
	return r, nil
}

// offer hands a connected client to the room. It never blocks: false means
// the room cannot take it now (refusal says what to tell the client).
func (r *room) offer(c *client) bool {
	select {
	case <-r.quit:
		return false
	default:
	}
	joins := r.joins
	if c.ticket.Spectator {
		joins = r.watch
	}
	select {
	case joins <- c:
	default:
		return false
	}
	// The room may have ended between the two selects, after closeAll took
	// the last joins: then nobody else would ever admit or kick c. Take
	// back what waits and kick it (the room's goroutine may be taking some
	// too: each client goes to one of us).
	select {
	case <-r.quit:
		r.kickJoins(r.stopKick.Load())
	default:
	}
	return true
}

// refusal is what to tell a client that offer refused.
func (r *room) refusal() *kick {
	select {
	case <-r.quit:
		return r.stopKick.Load()
	default:
		return kickRoomFull
	}
}

// stop ends the room: its goroutine tells every player k (nil: the room
// closed) and exits. It returns at once; r.done closes when it is over.
func (r *room) stop(k *kick) {
	r.stopOnce.Do(func() {
		if k == nil {
			k = kickIdle
		}
		r.stopKick.Store(k)
		close(r.quit)
	})
}

// run is the room's goroutine.
func (r *room) run() {
	defer close(r.done)
	defer func() {
		if v := recover(); v != nil {
			r.s.opts.Logger.Error("server: room crashed", "room", r.id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			r.s.metrics.roomsCrashed.Inc()
			r.s.registry.markFailed(r)
			r.stop(kickRoomClosed) // offer refuses from now on
			r.closeAll(kickRoomClosed, true)
			r.endRecording(true)
			r.s.registry.roomEnded(r)
		}
	}()
	r.s.opts.Logger.Info("server: room open", "room", r.id)
	loop(r.s.opts.TickRate, r.s.opts.Now, r.quit, r.ticks)
	r.closeAll(r.stopKick.Load(), false)
	r.endRecording(false)
	r.s.registry.roomEnded(r)
	r.s.opts.Logger.Info("server: room closed", "room", r.id)
}

// closeAll kicks every client of the room, admitted or waiting, and lets
// its held players go (their seats go with the room: run). After a
// crash the game is not called again: it may panic once more, and nothing
// would recover that.
func (r *room) closeAll(k *kick, crashed bool) {
	for id, c := range r.clients {
		if c != nil && c.holding {
			if !crashed {
				r.game.RemovePlayer(c.id)
			}
			r.held--
			r.s.metrics.playersHeld.Dec()
			r.clients[id] = nil
			continue
		}
		if c != nil {
			if crashed {
				c.out.stop()
				r.s.metrics.playersConnected.Dec()
			} else {
				r.remove(c)
			}
			c.kick(k)
			r.clients[id] = nil
		}
	}
	r.closeSpectators(k)
	r.kickJoins(k)
}

// kickJoins kicks every client waiting to be admitted, players and
// spectators.
func (r *room) kickJoins(k *kick) {
	for {
		select {
		case c := <-r.joins:
			c.kick(k)
		case c := <-r.watch:
			c.kick(k)
		default:
			return
		}
	}
}
