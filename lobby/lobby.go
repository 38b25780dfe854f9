// lobby.go — the front door's wiring: Options and their defaults, New,
// Close and the routes. The handlers
// are in play.go, session.go, queue.go, private.go, party.go,
// directory.go and watch.go; the matcher in match.go; the game servers' side in
// ledger.go; all state in a Store (store.go).

package lobby

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"skirmish/internal/ratelimit"
	"skirmish/ticket"
)

const (
	defaultTicketTTL      = 15 * time.Second // a seat is held this long for its player to connect
	defaultMaxBodyBytes   = 4 << 10
	defaultMode           = "ffa"
	defaultModeCapacity   = 16
	defaultMaxPartySize   = 4
	defaultSessionTTL     = time.Hour
	defaultSessionGrace   = 24 * time.Hour
	defaultMatchInterval  = 100 * time.Millisecond
	defaultMaxWait        = 25 * time.Second
	defaultPlayWait       = 10 * time.Second
	defaultRatingWindow   = 100.0 // rating points either side, at once
	defaultWindowGrowth   = 50.0  // more rating points per second waited
	defaultWindowFullWait = 10 * time.Second
	defaultLoginRate      = 5.0 // logins per second per address, sustained
	defaultLoginBurst     = 50  // logins per address at once
	defaultNodeGrace      = 3 * time.Second

	storeTimeout = 5 * time.Second  // bounds store work no client request bounds
	minTicketTTL = time.Second      // tickets carry whole seconds
	maxTicketTTL = 10 * time.Minute // bounds the Verifier's memory of redeemed nonces
	maxCapacity  = 64               // the game server's limit on players per room
	wsPath       = "/ws"
)

// Options configures a Lobby. Signer and Store are required; every other
// field has a default, noted beside it.
type Options struct {
	Signer *ticket.Signer // mints tickets; required

	// Store holds all the lobby's state: sessions, the queues, rooms and
	// every seat in them (confirmed by the game servers through Claim and
	// Release, ledger.go), parties and ratings. NewMemoryStore for one
	// process, NewRedisStore for many. Required.
	Store Store
	// Nodes places every new room on a game node (skirmish node) that
	// registered in the Store, and sends each player to their room's
	// node; the lobby publishes its public key there for the nodes to
	// verify tickets with (nodes.go). False: the game server in this
	// process hosts every room (skirmish serve).
	Nodes bool
	// NodeGrace is how long the store must have been reachable before the
	// matcher drops nodes whose heartbeat lapsed: after an outage of the
	// store, or when the lobby starts, live nodes need a heartbeat or two
	// to show they are alive. Zero means 3 s; keep it longer than the
	// nodes' heartbeat interval (HostOptions.Heartbeat).
	NodeGrace time.Duration

	// TicketTTL is how long a seat is held for its player and how long
	// the ticket for it lasts. Zero means 15 s; otherwise it must be
	// between 1 s and 10 min.
	TicketTTL time.Duration

	// MaxBodyBytes caps a request body; larger bodies get 413. Zero means 4 KiB.
	MaxBodyBytes int64

	// WSURL returns the WebSocket URL handed to the client, without the
	// ticket. Nil derives it from the request: wss:// when r.TLS is set or
	// X-Forwarded-Proto is https, else ws://, then r.Host and "/ws".
	WSURL func(r *http.Request) string

	// Logger receives one record per request: info when a ticket is issued,
	// debug when the request is refused, warn when no seat could be had or
	// the store failed. Nil means slog.Default().
	Logger *slog.Logger

	// Now reads the clock. Nil means time.Now; tests inject made-up time.
	Now func() time.Time

	// Observe counts request outcomes, e.g. into a Prometheus counter. It
	// is called once per request on the handler's goroutine, concurrently,
	// and must not block. The outcome is one of "ok", "method",
	// "media_type", "too_large", "bad_request", "bad_name", "canceled",
	// "no_seat", "internal", "not_found", "unauthorized", "forbidden",
	// "conflict", "rate_limited" and "unavailable". Nil means no counting.
	Observe func(outcome string)

	// Modes maps each game mode to the capacity of its rooms (1..64). Nil
	// means {"ffa": 16}.
	Modes map[string]int
	// DefaultMode is the mode of POST /api/play and of queue requests that
	// name none. Empty means "ffa"; it must be one of Modes.
	DefaultMode string
	// MaxPartySize caps a party, leader included. Zero means 4; it must
	// fit the smallest mode's rooms.
	MaxPartySize int

	// SessionTTL is how long a session token lasts from login or refresh.
	// Zero means 1 h.
	SessionTTL time.Duration
	// SessionGrace is how long an expired session is remembered, so its
	// token is answered "expired" rather than "unknown". Zero means 24 h.
	SessionGrace time.Duration

	// MatchInterval is how often the matcher runs when nothing wakes it (a
	// new queue entry in this process wakes it at once), and how often a
	// lobby process looks for seats another process assigned to the
	// players waiting on it. Zero means 100 ms.
	MatchInterval time.Duration
	// MaxWait caps the wait of GET /api/queue?wait=N. Zero means 25 s.
	MaxWait time.Duration
	// PlayWait is how long POST /api/play waits for a seat before it
	// answers 503. Zero means 10 s.
	PlayWait time.Duration

	// RatingWindow is how far, in rating points, a room's mean rating may
	// be from a queue entry's at once; it grows by RatingWindowGrowth
	// points each second the entry waits, and after RatingWindowFull any
	// room with space will do. Zero means 100 points, 50 points/s, 10 s.
	RatingWindow       float64
	RatingWindowGrowth float64
	RatingWindowFull   time.Duration

	// LoginRate and LoginBurst limit POST /api/login, /api/play and
	// /api/watch per client address: LoginBurst at once, then LoginRate a
	// second. On the Redis store the limit holds across every lobby
	// process sharing it. Zero means 5/s and 50; a negative LoginRate
	// turns the limit off.
	LoginRate  float64
	LoginBurst int
	// TrustProxy lists the proxies whose X-Forwarded-For names the client
	// (internal/clientaddr). Nil: the client is the direct peer, and the
	// header is ignored.
	TrustProxy []netip.Prefix
	// LimitLoopback applies the login limit to loopback addresses too.
	// False exempts them: on loopback are the operator's own tools (a bot
	// swarm) or a reverse proxy, which must limit by the real client
	// address itself, since every client comes through it.
	LimitLoopback bool
}

// fill applies the defaults and validates; it is the one place defaults live.
func (o *Options) fill() error {
	if o.Signer == nil {
		return errors.New("lobby: Options.Signer is required")
	}
	if o.Store == nil {
		return errors.New("lobby: Options.Store is required")
	}
	if o.TicketTTL == 0 {
		o.TicketTTL = defaultTicketTTL
	}
	if o.TicketTTL < minTicketTTL || o.TicketTTL > maxTicketTTL {
		return fmt.Errorf("lobby: Options.TicketTTL is %v; want %v..%v", o.TicketTTL, minTicketTTL, maxTicketTTL)
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = defaultMaxBodyBytes
	}
	if o.MaxBodyBytes < 0 {
		return fmt.Errorf("lobby: Options.MaxBodyBytes is %d; want a positive limit", o.MaxBodyBytes)
	}
	if o.WSURL == nil {
		o.WSURL = deriveWSURL
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Observe == nil {
		o.Observe = func(string) {}
	}
	if o.Modes == nil {
		o.Modes = map[string]int{defaultMode: defaultModeCapacity}
	}
	if o.DefaultMode == "" {
		o.DefaultMode = defaultMode
	}
	smallest := maxCapacity
	for mode, capacity := range o.Modes {
		if !validMode(mode) {
			return fmt.Errorf("lobby: Options.Modes: mode %q: want 1..16 of a-z, 0-9, '-' and '_'", mode)
		}
		if capacity < 1 || capacity > maxCapacity {
			return fmt.Errorf("lobby: Options.Modes: mode %q has capacity %d; want 1..%d", mode, capacity, maxCapacity)
		}
		smallest = min(smallest, capacity)
	}
	if _, ok := o.Modes[o.DefaultMode]; !ok {
		return fmt.Errorf("lobby: Options.DefaultMode %q is not one of Options.Modes", o.DefaultMode)
	}
	setDefault(&o.MaxPartySize, defaultMaxPartySize)
	if o.MaxPartySize < 1 || o.MaxPartySize > smallest {
		return fmt.Errorf("lobby: Options.MaxPartySize is %d; want 1..%d (the smallest mode's capacity)", o.MaxPartySize, smallest)
	}
	setDefault(&o.SessionTTL, defaultSessionTTL)
	setDefault(&o.SessionGrace, defaultSessionGrace)
	setDefault(&o.MatchInterval, defaultMatchInterval)
	setDefault(&o.MaxWait, defaultMaxWait)
	setDefault(&o.PlayWait, defaultPlayWait)
	setDefault(&o.RatingWindow, defaultRatingWindow)
	setDefault(&o.RatingWindowGrowth, defaultWindowGrowth)
	setDefault(&o.RatingWindowFull, defaultWindowFullWait)
	setDefault(&o.LoginRate, defaultLoginRate)
	setDefault(&o.LoginBurst, defaultLoginBurst)
	setDefault(&o.NodeGrace, defaultNodeGrace)
	for name, d := range map[string]time.Duration{
		"SessionTTL": o.SessionTTL, "SessionGrace": o.SessionGrace, "MatchInterval": o.MatchInterval,
		"MaxWait": o.MaxWait, "PlayWait": o.PlayWait, "RatingWindowFull": o.RatingWindowFull, "NodeGrace": o.NodeGrace,
	} {
		if d < 0 {
			return fmt.Errorf("lobby: Options.%s is %v; want a positive duration", name, d)
		}
	}
	for name, v := range map[string]float64{"RatingWindow": o.RatingWindow, "RatingWindowGrowth": o.RatingWindowGrowth} {
		if !(v >= 0) { // NaN too
			return fmt.Errorf("lobby: Options.%s is %v; want rating points (it must not be negative)", name, v)
		}
	}
	switch {
	case o.LoginBurst < 1:
		return fmt.Errorf("lobby: Options.LoginBurst is %d; want at least 1", o.LoginBurst)
	case math.IsNaN(o.LoginRate) || math.IsInf(o.LoginRate, 0):
		return errors.New("lobby: Options.LoginRate must be a number")
	}
	return nil
}

func setDefault[T int | float64 | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// deriveWSURL is the default Options.WSURL. X-Forwarded-Proto may be set by
// anyone, but it only shapes the URL sent back to the same client.
func deriveWSURL(r *http.Request) string {
	scheme := "ws"
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	if r.TLS != nil || strings.EqualFold(strings.TrimSpace(proto), "https") {
		scheme = "wss"
	}
	return scheme + "://" + r.Host + wsPath
}

// Lobby is the HTTP front door. It is safe for concurrent use. A Lobby
// with a Store runs a matcher goroutine until Close.
type Lobby struct {
	opts    Options
	store   Store
	mux     *http.ServeMux
	limiter *ratelimit.Limiter // nil: no limit

	owner    string        // this process's name when it leads the matching
	wake     chan struct{} // capacity 1: a pass is wanted now; full means one is already wanted
	assigned notifier      // broadcast when the store's Changes moved: waiting players look again
	changes  uint64        // the last Changes seen, by the matcher goroutine
	passMu   sync.Mutex    // one matcher pass at a time in this process
	starved  bool          // under passMu: the last pass had entries no node could take
	// reachedSince, under passMu, is when the store was first reached
	// after the lobby started or the store last failed (match.go).
	reachedSince time.Time
	nodes        atomic.Pointer[map[string]Node] // the live nodes last read, by id (nodes.go)
	runCtx       context.Context
	stop         context.CancelFunc // ends runCtx: Close
	done         chan struct{}      // closed when the matcher has ended
	wg           sync.WaitGroup     // publishKeys
}

// New returns a Lobby configured by opts, with defaults filled in, and
// starts the matcher; call Close to stop it.
func New(opts Options) (*Lobby, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	l := &Lobby{
		opts:  opts,
		store: opts.Store,
		mux:   http.NewServeMux(),
		owner: fmt.Sprintf("lobby-%016x", randomUint64()),
		wake:  make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
	l.runCtx, l.stop = context.WithCancel(context.Background())
	if opts.LoginRate > 0 {
		l.limiter = ratelimit.New(ratelimit.Options{Rate: opts.LoginRate, Burst: opts.LoginBurst, MaxKeys: maxTrackedAddrs})
	}
	l.route("/api/play", methods{http.MethodPost: l.servePlay})
	l.route("/api/login", methods{http.MethodPost: l.serveLogin})
	l.route("/api/refresh", methods{http.MethodPost: l.authed(l.serveRefresh)})
	l.route("/api/queue", methods{
		http.MethodPost:   l.authed(l.serveEnqueue),
		http.MethodGet:    l.authed(l.serveQueueStatus),
		http.MethodDelete: l.authed(l.serveCancel),
	})
	l.route("/api/rooms", methods{http.MethodGet: l.serveDirectory, http.MethodPost: l.authed(l.serveCreateRoom)})
	l.route("/api/rooms/join", methods{http.MethodPost: l.authed(l.serveJoinRoom)})
	l.route("/api/party", methods{
		http.MethodPost:   l.authed(l.serveCreateParty),
		http.MethodGet:    l.authed(l.servePartyStatus),
		http.MethodDelete: l.authed(l.serveLeaveParty),
	})
	l.route("/api/party/join", methods{http.MethodPost: l.authed(l.serveJoinParty)})
	l.route("/api/replays", methods{http.MethodGet: l.serveReplays})
	l.route("/api/replays/{id}", methods{http.MethodGet: l.serveReplay})
	l.route("/api/watch", methods{http.MethodPost: l.serveWatch})
	go l.runMatcher()
	if opts.Nodes {
		l.wg.Add(1)
		go l.publishKeys()
	}
	l.mux.HandleFunc("/", l.serveNotFound)
	return l, nil
}

// Close stops the matcher and waits for it. Requests still being served
// go on; stop the HTTP server first. Close is safe to call more than once.
func (l *Lobby) Close() {
	l.stop()
	<-l.done
	l.wg.Wait()
}

// Handler returns the lobby's routes, all under /api/ (see doc.go). Every
// other path answers 404 in JSON, so mount it at "/api/" beside the game
// server's "/ws" and the client's files.
func (l *Lobby) Handler() http.Handler { return l.mux }

func (l *Lobby) serveNotFound(w http.ResponseWriter, r *http.Request) {
	l.refuse(w, r, http.StatusNotFound, "not_found", "no such endpoint: "+r.URL.Path)
}
