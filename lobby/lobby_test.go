// lobby_test.go — tests for lobby.go (options, defaults, routes, the
// ws_url), on the fixture of api_test.go, and what the tests share: a
// made-up clock, the outcomes Observe counts, a store that can be made to
// fail, and reading an answer.

package lobby_test

import (
	"context"
	"encoding/json"
	"errors"
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
)

// hookedStore is a memory store whose Enqueue and NewRoomID can be made
// to fail or stall first: the cases of POST /api/play where no seat, or
// no usable one, comes.
type hookedStore struct {
	lobby.Store
	enqueue func(ctx context.Context) error // nil: none
	roomID  func() (string, bool)           // a room id instead of the store's, when true
}

func (s *hookedStore) Enqueue(ctx context.Context, e lobby.Entry, now time.Time) error {
	if s.enqueue != nil {
		if err := s.enqueue(ctx); err != nil {
			return err
		}
	}
	return s.Store.Enqueue(ctx, e, now)
}

func (s *hookedStore) NewRoomID(ctx context.Context) (string, error) {
	if s.roomID != nil {
		if id, ok := s.roomID(); ok {
			return id, nil
		}
	}
	return s.Store.NewRoomID(ctx)
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

// reply is an HTTP answer, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func send(t testing.TB, c *http.Client, req *http.Request) reply {
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
	store := lobby.NewMemoryStore()
	for name, tc := range map[string]struct {
		opts lobby.Options
		want string
	}{
		"no signer":          {lobby.Options{Store: store}, "Signer is required"},
		"no store":           {lobby.Options{Signer: signer}, "Options.Store is required"},
		"negative TTL":       {lobby.Options{Signer: signer, Store: store, TicketTTL: -time.Second}, "TicketTTL is -1s"},
		"sub-second TTL":     {lobby.Options{Signer: signer, Store: store, TicketTTL: time.Millisecond}, "want 1s..10m0s"},
		"hour-long TTL":      {lobby.Options{Signer: signer, Store: store, TicketTTL: time.Hour}, "TicketTTL is 1h0m0s"},
		"negative body size": {lobby.Options{Signer: signer, Store: store, MaxBodyBytes: -1}, "MaxBodyBytes is -1"},
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
	l, err := lobby.New(lobby.Options{Signer: signer, Store: store})
	if err != nil {
		t.Fatalf("minimal options: %v", err)
	}
	l.Close()
	l.Close() // twice is fine
}

func TestNotFound(t *testing.T) {
	a := newAPI(t, lobby.NewMemoryStore(), nil)
	for _, path := range []string{"/", "/api/plays", "/api/play/extra", "/ws"} {
		rep := a.do(t, http.MethodPost, path, "", `{"name":"Ada"}`)
		if rep.status != http.StatusNotFound {
			t.Errorf("POST %s: status %d; want 404", path, rep.status)
			continue
		}
		if msg := errorText(t, rep); !strings.Contains(msg, path) {
			t.Errorf("POST %s: reason %q does not name the path", path, msg)
		}
	}
	if got := a.outcomes.count("not_found"); got != 4 {
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
	a := newAPI(t, lobby.NewMemoryStore(), nil)
	host := strings.TrimPrefix(a.srv.URL, "http://")
	for proto, want := range map[string]string{
		"":            "ws://" + host + "/ws",
		"http":        "ws://" + host + "/ws",
		"https":       "wss://" + host + "/ws",
		"HTTPS, http": "wss://" + host + "/ws",
	} {
		req, err := http.NewRequest(http.MethodPost, a.srv.URL+"/api/play", strings.NewReader(`{"name":"Ada"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		if got := wsURLOf(t, send(t, a.client, req)); got != want {
			t.Errorf("X-Forwarded-Proto %q: ws_url %q; want %q", proto, got, want)
		}
	}
}

func TestWSURLOverTLS(t *testing.T) {
	a := newAPI(t, lobby.NewMemoryStore(), nil)
	tlsSrv := httptest.NewTLSServer(a.srv.Config.Handler)
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
	a := newAPI(t, lobby.NewMemoryStore(), func(o *lobby.Options) {
		o.WSURL = func(*http.Request) string { return "wss://play.example/ws" }
	})
	if got := wsURLOf(t, a.play(t, `{"name":"Ada"}`)); got != "wss://play.example/ws" {
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
	store := &hookedStore{Store: lobby.NewMemoryStore(), enqueue: func(context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return errors.New("store down")
		}
		return nil
	}}
	a := newAPI(t, store, func(o *lobby.Options) { o.Logger = slog.New(logs) })
	a.play(t, `{"name":"Ada"}`)
	a.do(t, http.MethodGet, "/api/play", "", "")
	mu.Lock()
	fail = true
	mu.Unlock()
	a.play(t, `{"name":"Ada"}`)

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
