// options.go — Options and their defaults, filled and checked in one place.
// New (server.go) calls fill; nothing else reads a default.

package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/sim"
	"skirmish/ticket"
	"skirmish/ticklog"
)

const (
	defaultTickRate         = 60
	defaultRoomCapacity     = 16
	defaultReadMaxPayload   = 1024 // inputs are ~12 bytes; anything bigger is hostile
	defaultInputQueue       = 32   // ~0.5 s of inputs per player
	defaultFloodFactor      = 2    // sustained inputs above FloodFactor × TickRate are a flood
	defaultPingInterval     = 5 * time.Second
	defaultSilenceTimeout   = 15 * time.Second
	defaultStuckTimeout     = 3 * time.Second
	defaultHistory          = 16 // ticks of past states kept for deltas (~0.27 s)
	defaultChecksumEvery    = 60 // ticks between snapshot checksums
	defaultIdleRoomLifetime = 30 * time.Second
	defaultLedgerTimeout    = 5 * time.Second
	defaultResumeHold       = 30 * time.Second
	defaultMaxSpectators    = 32 // per room, apart from its seats

	maxTickRate   = 1000
	maxInputQueue = 1 << 16 // ~18 minutes of inputs at 60 Hz; the ring counts in uint32
	// maxSpectateDelay bounds SpectateDelay: the room keeps that many
	// ticks of states more (about 1 KB a tick for 16 players).
	maxSpectateDelay = time.Minute
)

// The caps per client address (addrlimit.go), exported for the flags
// that set them: a home network or a LAN party puts its players behind one
// address, far fewer than these at once, while a flood from one host is
// held to them.
const (
	DefaultMaxConnsPerAddr      = 64
	DefaultMaxHandshakesPerAddr = 16
)

// Options configures a Server. The zero value of every field means its
// default.
type Options struct {
	// Verifier checks join tickets. Required.
	Verifier *ticket.Verifier
	// NewGame makes the game of a new room. nil: the Skirmish sim with a seed
	// drawn from the room's name.
	NewGame func(room string) Game
	// TickRate is ticks per second. Default 60.
	TickRate int
	// RoomCapacity is the number of players a room holds. Default 16.
	RoomCapacity int
	// AllowedOrigins lists the Origin headers a browser may connect from, as
	// "scheme://host[:port]". Empty: same origin only. Requests without an
	// Origin (non-browser clients) are always allowed.
	AllowedOrigins []string
	// ReadMaxPayload is the largest frame a client may send; larger ones close
	// the connection with 1009. Default 1 KiB.
	ReadMaxPayload int
	// InputQueue is how many inputs may wait per player. Default 32.
	InputQueue int
	// FloodFactor × TickRate is the sustained input rate above which inputs
	// are dropped and, after a second of it, the client is closed with 1008.
	FloodFactor int
	// PingInterval is how often the server pings each connection. Default 5 s.
	PingInterval time.Duration
	// SilenceTimeout closes a connection nothing arrived on. Default 15 s.
	SilenceTimeout time.Duration
	// StuckTimeout drops a client whose writes have not completed for this
	// long. Default 3 s.
	StuckTimeout time.Duration
	// History is how many ticks of states a room keeps to encode deltas
	// from; a client further behind gets a full snapshot. Default 16:
	// a client's baseline is the last snapshot queued for it, at most
	// outboxDepth ticks before the latest unless its writes are stuck.
	History int
	// ChecksumEvery puts a state checksum in every Nth snapshot (1: all).
	// Default 60.
	ChecksumEvery int
	// IdleRoomLifetime closes a room that has had no player for this long.
	// Default 30 s.
	IdleRoomLifetime time.Duration
	// SocketWriteBuffer sets SO_SNDBUF on accepted connections, in bytes.
	// 0: the operating system's default.
	SocketWriteBuffer int
	// Logger receives the server's logs. nil: slog.Default().
	Logger *slog.Logger
	// Registerer receives the server's metrics. nil: a private registry,
	// served by Server.MetricsHandler.
	Registerer prometheus.Registerer
	// Ledger keeps the seats: the lobby (a lobby.Lobby, or a game node's
	// lobby.Host). The server hosts whatever room a valid ticket names,
	// opening it at its first claim, and confirms every connect and leave
	// to the Ledger (registry.go). Required.
	Ledger ticket.Ledger
	// LedgerTimeout bounds each call to the Ledger. Default 5 s.
	LedgerTimeout time.Duration
	// ResumeHold is how long the seat and the player of a player whose
	// connection dropped are held for them to come back to (hold.go): the
	// player stands in the world, the Ledger keeps the seat, and a new
	// ticket for it takes the player over with its id, place and score.
	// Default 30 s; negative: no holds (a dropped player leaves at once).
	ResumeHold time.Duration
	// MaxConnsPerAddr caps the WebSocket connections open (or being
	// opened) from one client address; MaxHandshakesPerAddr caps its
	// handshakes in progress. Past either the handshake is refused with
	// 429 and counted in skirmish_handshakes_rejected_total
	// (addrlimit.go). Default 64 and 16; negative: no cap. Loopback is
	// exempt unless LimitLoopback: the operator's own bots, or a proxy
	// that is not in TrustProxy and so makes every client one address.
	MaxConnsPerAddr      int
	MaxHandshakesPerAddr int
	LimitLoopback        bool
	// TrustProxy lists the proxies whose X-Forwarded-For names the client
	// (internal/clientaddr). nil: the client is the direct peer.
	TrustProxy []netip.Prefix
	// MaxSpectators is how many spectators (spectate.go) a room takes,
	// apart from its RoomCapacity seats; one more is refused at the
	// handshake with 409. Default 32; negative: none.
	MaxSpectators int
	// SpectateDelay is how far in the past spectators see the room: its
	// whole ticks at TickRate (a competitive room delays them, so that
	// watching a match tells its players nothing). Default 0: the
	// present, as players see it; at most a minute.
	SpectateDelay time.Duration
	// OnSpectators is told how many spectators a room has, and its
	// MaxSpectators, whenever that changes (the lobby answers POST
	// /api/watch with it). It runs on a goroutine of its own, one call at
	// a time with the latest count of each room, so it may block. nil:
	// nobody is told.
	OnSpectators func(room string, spectators, limit int)
	// OnMatchStart is told when a room's match starts and when it will end
	// at the latest (matchreport.go). It runs on a goroutine of its own,
	// so it may block. nil: nobody is told.
	OnMatchStart func(room string, ends time.Time)
	// OnMatchEnd gets every player's result when a room's match ends
	// (matchreport.go). It runs on a goroutine of its own, so it may
	// block. nil: nobody is told.
	OnMatchEnd func(room string, results []ticket.MatchResult)
	// Replays keeps the tick log of every match of every room
	// (record.go). nil: matches are not recorded.
	Replays *ticklog.Dir
	// Now reads the clock the server decides by: when ticks are due
	// (clock.go), ticket and seat expiry, idle rooms, the flood limit,
	// when the silence deadline moves, when a match will end. It is
	// called from any goroutine. nil: time.Now; tests feed made-up time.
	// Socket deadlines and the tick-duration metric stay on the real
	// clock (clock.go says why).
	Now func() time.Time
}

// fill applies the defaults and checks every field; an error names the
// field it refuses.
func (o *Options) fill() error {
	if o.Verifier == nil {
		return errors.New("server: Options.Verifier is required")
	}
	if o.Ledger == nil {
		return errors.New("server: Options.Ledger is required")
	}
	if o.NewGame == nil {
		o.NewGame = SimGames(sim.DefaultConfig())
	}
	setDefault(&o.TickRate, defaultTickRate)
	setDefault(&o.RoomCapacity, defaultRoomCapacity)
	setDefault(&o.ReadMaxPayload, defaultReadMaxPayload)
	setDefault(&o.InputQueue, defaultInputQueue)
	setDefault(&o.FloodFactor, defaultFloodFactor)
	setDefault(&o.PingInterval, defaultPingInterval)
	setDefault(&o.SilenceTimeout, defaultSilenceTimeout)
	setDefault(&o.StuckTimeout, defaultStuckTimeout)
	setDefault(&o.History, defaultHistory)
	setDefault(&o.ChecksumEvery, defaultChecksumEvery)
	setDefault(&o.IdleRoomLifetime, defaultIdleRoomLifetime)
	setDefault(&o.LedgerTimeout, defaultLedgerTimeout)
	setDefault(&o.ResumeHold, defaultResumeHold)
	setDefault(&o.MaxConnsPerAddr, DefaultMaxConnsPerAddr)
	setDefault(&o.MaxHandshakesPerAddr, DefaultMaxHandshakesPerAddr)
	setDefault(&o.MaxSpectators, defaultMaxSpectators)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	switch {
	case o.TickRate < 1 || o.TickRate > maxTickRate:
		return fmt.Errorf("server: Options.TickRate is %d; want 1..%d", o.TickRate, maxTickRate)
	case o.RoomCapacity < 1 || o.RoomCapacity > maxPlayers:
		return fmt.Errorf("server: Options.RoomCapacity is %d; want 1..%d", o.RoomCapacity, maxPlayers)
	case o.InputQueue < 1 || o.InputQueue > maxInputQueue || o.InputQueue&(o.InputQueue-1) != 0:
		return fmt.Errorf("server: Options.InputQueue is %d; want a power of two, 1..%d", o.InputQueue, maxInputQueue)
	case o.History < 2:
		return fmt.Errorf("server: Options.History is %d; want at least 2", o.History)
	case o.SpectateDelay < 0 || o.SpectateDelay > maxSpectateDelay:
		return fmt.Errorf("server: Options.SpectateDelay is %v; want 0 to %v", o.SpectateDelay, maxSpectateDelay)
	case o.SocketWriteBuffer < 0:
		return fmt.Errorf("server: Options.SocketWriteBuffer is %d; want 0 (the system's) or a size in bytes", o.SocketWriteBuffer)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"ReadMaxPayload", o.ReadMaxPayload}, {"FloodFactor", o.FloodFactor}, {"ChecksumEvery", o.ChecksumEvery}} {
		if f.v < 1 {
			return fmt.Errorf("server: Options.%s is %d; want at least 1", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{
		{"PingInterval", o.PingInterval}, {"SilenceTimeout", o.SilenceTimeout}, {"StuckTimeout", o.StuckTimeout},
		{"IdleRoomLifetime", o.IdleRoomLifetime}, {"LedgerTimeout", o.LedgerTimeout},
	} {
		if f.d <= 0 {
			return fmt.Errorf("server: Options.%s is %v; want a positive duration", f.name, f.d)
		}
	}
	for _, origin := range o.AllowedOrigins {
		if !isOrigin(origin) {
			return fmt.Errorf("server: Options.AllowedOrigins: %q is not an origin; want scheme://host[:port]", origin)
		}
	}
	return nil
}

// isOrigin reports whether s is an Origin header's value, scheme://host
// with an optional port, or that with a trailing slash.
func isOrigin(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != "" && u.User == nil &&
		(u.Path == "" || u.Path == "/") && u.RawQuery == "" && !u.ForceQuery && u.Fragment == ""
}

func setDefault[T int | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}
