// lobby.go — the front door's wiring: Options and their defaults, the Seats
// interface through which seats are reserved, and the routes. The handler for
// POST /api/play is in play.go; the tickets it hands out are in ticket.go.

package lobby

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

const (
	defaultTicketTTL    = 30 * time.Second
	defaultMaxBodyBytes = 4 << 10
	minTicketTTL        = time.Second      // tickets carry whole seconds
	maxTicketTTL        = 10 * time.Minute // bounds the Verifier's memory of redeemed nonces
	wsPath              = "/ws"
)

// Seats is how the lobby reserves a seat; the game server's room registry
// implements it (in memory for the embedded default, Redis-backed later).
type Seats interface {
	// Reserve picks a room for player id and holds a seat there until the
	// ticket expires (until) or the player connects. It fills the fullest
	// room with space and opens a new room when none has any.
	//
	// It is called from HTTP handler goroutines, concurrently, and may block
	// for I/O; it should give up when ctx is done. The room id it returns
	// goes into the ticket and must be 1..64 printable ASCII bytes.
	Reserve(ctx context.Context, playerID uint64, until time.Time) (room string, err error)
}

// Options configures a Lobby. Signer and Seats are required; every other
// field has a default, noted beside it.
type Options struct {
	Signer *Signer // mints tickets; required
	Seats  Seats   // reserves seats; required

	// TicketTTL is how long a ticket, and the seat held for it, lasts.
	// Zero means 30 s; otherwise it must be between 1 s and 10 min.
	TicketTTL time.Duration

	// MaxBodyBytes caps a request body; larger bodies get 413. Zero means 4 KiB.
	MaxBodyBytes int64

	// WSURL returns the WebSocket URL handed to the client, without the
	// ticket. Nil derives it from the request: wss:// when r.TLS is set or
	// X-Forwarded-Proto is https, else ws://, then r.Host and "/ws".
	WSURL func(r *http.Request) string

	// Logger receives one record per request: info when a ticket is issued,
	// debug when the request is refused, warn when no seat could be had.
	// Nil means slog.Default().
	Logger *slog.Logger

	// Now reads the clock. Nil means time.Now; tests inject made-up time.
	Now func() time.Time

	// Observe counts request outcomes, e.g. into a Prometheus counter. It
	// is called once per request on the handler's goroutine, concurrently,
	// and must not block. The outcome is one of "ok", "method",
	// "media_type", "too_large", "bad_request", "bad_name", "canceled",
	// "no_seat", "internal" and "not_found". Nil means no counting.
	Observe func(outcome string)
}

// fill applies the defaults and validates; it is the one place defaults live.
func (o *Options) fill() error {
	if o.Signer == nil {
		return errors.New("lobby: Options.Signer is required")
	}
	if o.Seats == nil {
		return errors.New("lobby: Options.Seats is required")
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
	return nil
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

// Lobby is the HTTP front door. It is safe for concurrent use.
type Lobby struct {
	opts Options
	mux  *http.ServeMux
}

// New returns a Lobby configured by opts, with defaults filled in.
func New(opts Options) (*Lobby, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	l := &Lobby{opts: opts, mux: http.NewServeMux()}
	l.mux.HandleFunc("/api/play", l.servePlay)
	l.mux.HandleFunc("/", l.serveNotFound)
	return l, nil
}

// Handler returns the lobby's routes: POST /api/play (see play.go). Every
// other path answers 404 in JSON, so mount it at "/api/" beside the game
// server's "/ws" and the client's files.
func (l *Lobby) Handler() http.Handler { return l.mux }

func (l *Lobby) serveNotFound(w http.ResponseWriter, r *http.Request) {
	l.refuse(w, r, http.StatusNotFound, "not_found", "no such endpoint: "+r.URL.Path)
}
