// lobby_test.go — tests for lobby.go (options, defaults, routes, the ws_url)
// and the fixture that play_test.go shares: a real httptest.Server on
// loopback in front of a Lobby whose Seats tracks room capacity.

package lobby_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/ticket"
)

// roomSeats is a small room registry: rooms of a fixed capacity, each seat
// held until its ticket expires. Like the real one, it fills the fullest
// room with space and opens a new room when none has any.
type roomSeats struct {
	capacity int
	now      func() time.Time

	mu    sync.Mutex
	rooms []*seatRoom // in the order opened
}

type seatRoom struct {
	id    string
	holds map[uint64]time.Time // player id → held until
}

func (s *roomSeats) Reserve(ctx context.Context, playerID uint64, until time.Time) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var best *seatRoom
	for _, r := range s.rooms {
		for id, u := range r.holds {
			if !now.Before(u) {
				delete(r.holds, id)
			}
		}
		if len(r.holds) < s.capacity && (best == nil || len(r.holds) > len(best.holds)) {
			best = r
		}
	}
	if best == nil {
		best = &seatRoom{id: fmt.Sprintf("r%d", len(s.rooms)+1), holds: make(map[uint64]time.Time)}
		s.rooms = append(s.rooms, best)
	}
	if _, dup := best.holds[playerID]; dup {
		return "", fmt.Errorf("player %d already holds a seat in %s", playerID, best.id)
	}
	best.holds[playerID] = until
	return best.id, nil
}

// held returns how many seats each room holds, by room id.
func (s *roomSeats) held() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int)
	for _, r := range s.rooms {
		m[r.id] = len(r.holds)
	}
	return m
}

// holdUntil returns until when player id's seat is held, and in which room.
func (s *roomSeats) holdUntil(id uint64) (string, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rooms {
		if u, ok := r.holds[id]; ok {
			return r.id, u
		}
	}
	return "", time.Time{}
}

// seatsFunc adapts a function to Seats, for the failure cases.
type seatsFunc func(ctx context.Context, playerID uint64, until time.Time) (string, error)

func (f seatsFunc) Reserve(ctx context.Context, playerID uint64, until time.Time) (string, error) {
	return f(ctx, playerID, until)
}

// clock is a made-up clock the tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// outcomes counts what Options.Observe reports.
type outcomes struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *outcomes) observe(outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[outcome]++
}

func (o *outcomes) count(outcome string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n[outcome]
}

// fixture is a lobby behind a loopback HTTP server.
type fixture struct {
	srv      *httptest.Server
	clock    *clock
	seats    *roomSeats
	verifier *ticket.Verifier
	outcomes *outcomes
}

// newFixture starts a lobby with rooms of four seats, a made-up clock that
// starts half way through a second, and Observe wired to f.outcomes; edit
// may change the options before New sees them.
func newFixture(t *testing.T, edit func(*lobby.Options)) *fixture {
	t.Helper()
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		clock:    &clock{now: time.Date(2030, 1, 2, 3, 4, 5, 5e8, time.UTC)},
		verifier: ticket.NewVerifier(signer.PublicKey()),
		outcomes: &outcomes{n: make(map[string]int)},
	}
	f.seats = &roomSeats{capacity: 4, now: f.clock.Now}
	opts := lobby.Options{
		Signer:  signer,
		Seats:   f.seats,
		Logger:  slog.New(slog.DiscardHandler),
		Now:     f.clock.Now,
		Observe: f.outcomes.observe,
	}
	if edit != nil {
		edit(&opts)
	}
	l, err := lobby.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(l.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// reply is an HTTP answer, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request to path on f's server and reads the answer.
func (f *fixture) do(t *testing.T, method, path, contentType string, body io.Reader) reply {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return send(t, f.srv.Client(), req)
}

func send(t *testing.T, c *http.Client, req *http.Request) reply {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// play posts a JSON body to /api/play.
func (f *fixture) play(t *testing.T, body string) reply {
	t.Helper()
	return f.do(t, http.MethodPost, "/api/play", "application/json", strings.NewReader(body))
}

// errorText checks that rep is a JSON error answer and returns its reason.
func errorText(t *testing.T, rep reply) string {
	t.Helper()
	if ct := rep.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("error Content-Type = %q; want JSON", ct)
	}
	var e struct {
		Error string `json:"error"`
	}
	dec := json.NewDecoder(strings.NewReader(string(rep.body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Error == "" {
		t.Fatalf("error body %q is not {\"error\": \"...\"}: %v", rep.body, err)
	}
	return e.Error
}

func TestNewValidatesOptions(t *testing.T) {
	signer := mustSigner(t)
	seats := seatsFunc(func(context.Context, uint64, time.Time) (string, error) { return "r1", nil })
	store := lobby.NewMemoryStore()
	for name, tc := range map[string]struct {
		opts lobby.Options
		want string
	}{
		"no signer":          {lobby.Options{Seats: seats}, "Signer is required"},
		"no seats":           {lobby.Options{Signer: signer}, "Seats or Options.Store is required"},
		"seats and store":    {lobby.Options{Signer: signer, Seats: seats, Store: lobby.NewMemoryStore()}, "not both"},
		"negative TTL":       {lobby.Options{Signer: signer, Seats: seats, TicketTTL: -time.Second}, "TicketTTL is -1s"},
		"sub-second TTL":     {lobby.Options{Signer: signer, Seats: seats, TicketTTL: time.Millisecond}, "want 1s..10m0s"},
		"hour-long TTL":      {lobby.Options{Signer: signer, Seats: seats, TicketTTL: time.Hour}, "TicketTTL is 1h0m0s"},
		"negative body size": {lobby.Options{Signer: signer, Seats: seats, MaxBodyBytes: -1}, "MaxBodyBytes is -1"},
		"bad mode name":      {lobby.Options{Signer: signer, Store: store, Modes: map[string]int{"Free For All": 16}}, `mode "Free For All": want 1..16 of a-z`},
		"mode of no seats":   {lobby.Options{Signer: signer, Store: store, Modes: map[string]int{"ffa": 0}}, "capacity 0; want 1..64"},
		"mode of 65 seats":   {lobby.Options{Signer: signer, Store: store, Modes: map[string]int{"ffa": 65}}, "capacity 65; want 1..64"},
		"default not a mode": {lobby.Options{Signer: signer, Store: store, Modes: map[string]int{"duel": 2}}, `DefaultMode "ffa" is not one of Options.Modes`},
		"party over a room":  {lobby.Options{Signer: signer, Store: store, Modes: map[string]int{"duel": 2}, DefaultMode: "duel"}, "MaxPartySize is 4; want 1..2"},
		"negative wait":      {lobby.Options{Signer: signer, Store: store, MaxWait: -time.Second}, "MaxWait is -1s"},
		"negative window":    {lobby.Options{Signer: signer, Store: store, RatingWindow: -1}, "must not be negative"},
		"window of NaN":      {lobby.Options{Signer: signer, Store: store, RatingWindow: math.NaN()}, "RatingWindow is NaN"},
		"negative growth":    {lobby.Options{Signer: signer, Store: store, RatingWindowGrowth: -1}, "RatingWindowGrowth is -1"},
		"negative burst":     {lobby.Options{Signer: signer, Store: store, LoginBurst: -1}, "LoginBurst is -1"},
	} {
		l, err := lobby.New(tc.opts)
		if err == nil || l != nil {
			t.Errorf("%s: New = %v, %v; want an error", name, l, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "lobby: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q; want the lobby prefix and %q", name, err, tc.want)
		}
	}
	if _, err := lobby.New(lobby.Options{Signer: signer, Seats: seats}); err != nil {
		t.Errorf("minimal options: %v", err)
	}
	l, err := lobby.New(lobby.Options{Signer: signer, Store: store})
	if err != nil {
		t.Fatalf("minimal options with a store: %v", err)
	}
	l.Close()
	l.Close() // twice is fine
	// The minimal lobby has no store to confirm seats to.
	if l, err := lobby.New(lobby.Options{Signer: signer, Seats: seats}); err != nil || l.Claim(context.Background(), "r1", 1) == nil {
		t.Errorf("Claim on a lobby without a Store: want an error")
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/", "/api/plays", "/api/play/extra", "/ws"} {
		rep := f.do(t, http.MethodPost, path, "application/json", strings.NewReader(`{"name":"Ada"}`))
		if rep.status != http.StatusNotFound {
			t.Errorf("POST %s: status %d; want 404", path, rep.status)
			continue
		}
		if msg := errorText(t, rep); !strings.Contains(msg, path) {
			t.Errorf("POST %s: reason %q does not name the path", path, msg)
		}
	}
	if got := f.outcomes.count("not_found"); got != 4 {
		t.Errorf("observed %d not_found outcomes; want 4", got)
	}
}

func wsURLOf(t *testing.T, rep reply) string {
	t.Helper()
	if rep.status != http.StatusOK {
		t.Fatalf("status %d: %s", rep.status, rep.body)
	}
	var r struct {
		WSURL string `json:"ws_url"`
	}
	if err := json.Unmarshal(rep.body, &r); err != nil {
		t.Fatal(err)
	}
	return r.WSURL
}

func TestWSURLDerived(t *testing.T) {
	f := newFixture(t, nil)
	host := strings.TrimPrefix(f.srv.URL, "http://")
	for proto, want := range map[string]string{
		"":            "ws://" + host + "/ws",
		"http":        "ws://" + host + "/ws",
		"https":       "wss://" + host + "/ws",
		"HTTPS, http": "wss://" + host + "/ws",
	} {
		req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/api/play", strings.NewReader(`{"name":"Ada"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		if got := wsURLOf(t, send(t, f.srv.Client(), req)); got != want {
			t.Errorf("X-Forwarded-Proto %q: ws_url %q; want %q", proto, got, want)
		}
	}
}

func TestWSURLOverTLS(t *testing.T) {
	f := newFixture(t, nil)
	tlsSrv := httptest.NewTLSServer(f.srv.Config.Handler)
	defer tlsSrv.Close()
	req, err := http.NewRequest(http.MethodPost, tlsSrv.URL+"/api/play", strings.NewReader(`{"name":"Ada"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	want := "wss://" + strings.TrimPrefix(tlsSrv.URL, "https://") + "/ws"
	if got := wsURLOf(t, send(t, tlsSrv.Client(), req)); got != want {
		t.Errorf("ws_url over TLS = %q; want %q", got, want)
	}
}

func TestWSURLOption(t *testing.T) {
	f := newFixture(t, func(o *lobby.Options) {
		o.WSURL = func(*http.Request) string { return "wss://play.example/ws" }
	})
	if got := wsURLOf(t, f.play(t, `{"name":"Ada"}`)); got != "wss://play.example/ws" {
		t.Errorf("ws_url = %q; want the one Options.WSURL gives", got)
	}
}

// logRecords collects log records, for the logging test.
type logRecords struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecords) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecords) WithGroup(string) slog.Handler            { return h }
func (h *logRecords) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// levels returns the level of each record, by message.
func (h *logRecords) levels() map[string]slog.Level {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := make(map[string]slog.Level)
	for _, r := range h.records {
		m[r.Message] = r.Level
	}
	return m
}

func TestLogsEachOutcome(t *testing.T) {
	logs := &logRecords{}
	fail := false
	var mu sync.Mutex
	f := newFixture(t, func(o *lobby.Options) {
		o.Logger = slog.New(logs)
		seats := o.Seats
		o.Seats = seatsFunc(func(ctx context.Context, id uint64, until time.Time) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return "", errors.New("registry down")
			}
			return seats.Reserve(ctx, id, until)
		})
	})
	f.play(t, `{"name":"Ada"}`)
	f.do(t, http.MethodGet, "/api/play", "", nil)
	mu.Lock()
	fail = true
	mu.Unlock()
	f.play(t, `{"name":"Ada"}`)

	want := map[string]slog.Level{
		"lobby: ticket issued":           slog.LevelInfo,
		"lobby: request refused":         slog.LevelDebug,
		"lobby: seat reservation failed": slog.LevelWarn,
	}
	got := logs.levels()
	for msg, level := range want {
		if l, ok := got[msg]; !ok || l != level {
			t.Errorf("log %q: level %v (logged: %v); want %v", msg, l, ok, level)
		}
	}
}
