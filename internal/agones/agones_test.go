// agones_test.go — the lifecycle calls against the stand-in sidecar: each
// is one POST of {} to its path and moves the state; FromEnv reads
// AGONES_SDK_HTTP_PORT; errors carry the status and a bounded part of the
// body; a hung sidecar costs one Timeout. Shared helpers are at the end.

package agones_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"skirmish/internal/agones"
	"skirmish/internal/agones/agonestest"
	"skirmish/internal/testkit"
)

// bound is how long a test waits for anything before it fails.
const bound = 10 * time.Second

func TestLifecycleCalls(t *testing.T) {
	sidecar := agonestest.Start(t)
	sdk := agones.New(sidecar.URL(), agones.Options{Logger: testkit.Quiet()})
	ctx := testContext(t)
	if got := sidecar.State(); got != "Scheduled" {
		t.Fatalf("the stand-in starts in %q, want Scheduled", got)
	}
	steps := []struct {
		name      string
		call      func(context.Context) error
		path      string
		wantState string
	}{
		{"Ready", sdk.Ready, "/ready", "Ready"},
		{"Health", sdk.Health, "/health", "Ready"},
		{"Allocate", sdk.Allocate, "/allocate", "Allocated"},
		{"Shutdown", sdk.Shutdown, "/shutdown", "Shutdown"},
	}
	for i, st := range steps {
		if err := st.call(ctx); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		calls := sidecar.Calls()
		if len(calls) != i+1 {
			t.Fatalf("%s: the sidecar saw %d requests in all, want %d (one a call):\n%s", st.name, len(calls), i+1, sidecar)
		}
		c := calls[i]
		if c.Method != http.MethodPost || c.Path != st.path || c.Body != "{}" || c.ContentType != "application/json" {
			t.Errorf("%s sent %s %s, Content-Type %q, body %q; want POST %s, application/json, {}",
				st.name, c.Method, c.Path, c.ContentType, c.Body, st.path)
		}
		if got := sidecar.State(); got != st.wantState {
			t.Errorf("after %s the state is %q, want %q", st.name, got, st.wantState)
		}
	}
	gs, err := sdk.GameServer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if gs.Status.State != agones.StateShutdown {
		t.Errorf("GameServer says state %q after Shutdown, want %q", gs.Status.State, agones.StateShutdown)
	}
}

func TestFromEnv(t *testing.T) {
	t.Run("unset", func(t *testing.T) {
		t.Setenv(agones.EnvHTTPPort, "")
		os.Unsetenv(agones.EnvHTTPPort)
		if sdk, ok := agones.FromEnv(); ok || sdk != nil {
			t.Errorf("FromEnv() = %v, %v without %s; want nil, false", sdk, ok, agones.EnvHTTPPort)
		}
	})
	t.Run("empty", func(t *testing.T) {
		t.Setenv(agones.EnvHTTPPort, "")
		if _, ok := agones.FromEnv(); ok {
			t.Errorf("FromEnv() is on with %s empty; want off", agones.EnvHTTPPort)
		}
	})
	t.Run("port", func(t *testing.T) {
		sidecar := agonestest.Start(t)
		t.Setenv(agones.EnvHTTPPort, strconv.Itoa(sidecar.Port()))
		sdk, ok := agones.FromEnv()
		if !ok {
			t.Fatalf("FromEnv() is off with %s=%d", agones.EnvHTTPPort, sidecar.Port())
		}
		if want := "http://localhost:" + strconv.Itoa(sidecar.Port()); sdk.URL() != want {
			t.Errorf("URL() = %q, want %q", sdk.URL(), want)
		}
		if err := sdk.Ready(testContext(t)); err != nil {
			t.Fatalf("Ready through localhost: %v", err)
		}
		if n := sidecar.Count("/ready"); n != 1 {
			t.Errorf("the sidecar saw %d POST /ready, want 1", n)
		}
	})
	for _, bad := range []string{"abc", "0", "70000", "9358x"} {
		t.Run("bad "+bad, func(t *testing.T) {
			t.Setenv(agones.EnvHTTPPort, bad)
			sdk, ok := agones.FromEnv()
			if !ok || sdk == nil {
				t.Fatalf("FromEnv() is off with %s=%q; want on, with the mistake reported by its calls", agones.EnvHTTPPort, bad)
			}
			err := sdk.Ready(testContext(t))
			if err == nil || !strings.Contains(err.Error(), agones.EnvHTTPPort) || !strings.Contains(err.Error(), strconv.Quote(bad)) {
				t.Errorf("Ready with %s=%q: %v; want an error naming the variable and its value", agones.EnvHTTPPort, bad, err)
			}
		})
	}
}

func TestStatusError(t *testing.T) {
	sidecar := agonestest.Start(t)
	sdk := agones.New(sidecar.URL(), agones.Options{Logger: testkit.Quiet()})
	sidecar.Fail("/ready", http.StatusInternalServerError)
	err := sdk.Ready(testContext(t))
	var se *agones.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("Ready on a failing sidecar: %v (%T); want a *agones.StatusError", err, err)
	}
	if se.Code != 500 || se.Method != "POST" || se.Path != "/ready" || !strings.Contains(se.Body, "fails on purpose") {
		t.Errorf("StatusError %+v; want POST /ready, 500, the body's message", *se)
	}
	for _, want := range []string{"agones:", "POST /ready", "500", "fails on purpose"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if got := sidecar.State(); got != "Scheduled" {
		t.Errorf("a failed Ready moved the state to %q", got)
	}
	// The other calls are not affected.
	if err := sdk.Allocate(testContext(t)); err != nil {
		t.Errorf("Allocate: %v", err)
	}
}

func TestErrorBodiesAreBounded(t *testing.T) {
	huge := strings.Repeat("x", 2<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ready":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("sidecar\n  not\tready " + huge))
		case "/gameserver":
			_, _ = w.Write([]byte(`{"status":{"address":"` + huge + `"}}`))
		}
	}))
	t.Cleanup(srv.Close)
	sdk := agones.New(srv.URL, agones.Options{Logger: testkit.Quiet()})
	ctx := testContext(t)

	err := sdk.Ready(ctx)
	var se *agones.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusServiceUnavailable {
		t.Fatalf("Ready: %v; want a 503 StatusError", err)
	}
	if len(err.Error()) > 400 || !strings.HasPrefix(se.Body, "sidecar not ready xxx") || !strings.HasSuffix(se.Body, "…") {
		t.Errorf("error of %d bytes, body %.40q…; want the start of the body on one line, cut short", len(err.Error()), se.Body)
	}
	if _, err := sdk.GameServer(ctx); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("GameServer with a 2 MiB answer: %v; want an error saying it is too big", err)
	}
	notJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("not json")) }))
	t.Cleanup(notJSON.Close)
	sdk = agones.New(notJSON.URL, agones.Options{Logger: testkit.Quiet()})
	if _, err := sdk.GameServer(ctx); err == nil || !strings.Contains(err.Error(), "GET /gameserver") {
		t.Errorf("GameServer with an answer that is not JSON: %v; want an error naming the request", err)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: frees the handlers
	sdk := agones.New(srv.URL, agones.Options{Timeout: 50 * time.Millisecond, Logger: testkit.Quiet()})
	errc := make(chan error, 1)
	go func() { errc <- sdk.Health(context.Background()) }()
	select {
	case err := <-errc:
		var ne net.Error
		if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("Health on a hung sidecar: %v; want a timeout", err)
		}
	case <-time.After(bound):
		t.Fatalf("Health on a hung sidecar did not return within %v with a 50 ms timeout", bound)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	sdk := agones.New(url, agones.Options{Logger: testkit.Quiet()})
	err = sdk.Shutdown(testContext(t))
	if err == nil || !strings.HasPrefix(err.Error(), "agones: POST /shutdown:") {
		t.Errorf("Shutdown with no sidecar: %v; want an error naming the package and the call", err)
	}
}

// testContext is a context that ends with the test, or after bound.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	t.Cleanup(cancel)
	return ctx
}

// logRecorder is a slog.Handler that keeps each record's level and
// message, for tests that count what was logged.
type logRecorder struct {
	mu      sync.Mutex
	lines   []logLine
	changed chan struct{} // closed and replaced at every record
}

type logLine struct {
	level slog.Level
	msg   string
}

func newLogRecorder() *logRecorder { return &logRecorder{changed: make(chan struct{})} }

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, logLine{r.Level, r.Message})
	close(h.changed)
	h.changed = make(chan struct{})
	return nil
}

// count is how many records of level have msg in their message.
func (h *logRecorder) count(level slog.Level, msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, l := range h.lines {
		if l.level == level && strings.Contains(l.msg, msg) {
			n++
		}
	}
	return n
}

// waitFor waits until n records of level have msg in their message.
func (h *logRecorder) waitFor(ctx context.Context, level slog.Level, msg string, n int) error {
	for {
		h.mu.Lock()
		changed := h.changed
		h.mu.Unlock()
		if h.count(level, msg) >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("no " + level.String() + " log with " + strconv.Quote(msg) + ": " + ctx.Err().Error())
		case <-changed:
		}
	}
}
