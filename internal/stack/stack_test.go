// stack_test.go — tests for stack.go: a stack comes up with nothing
// given and goes down twice; options either side refuses stop New (and
// leave nothing running); the game server's match reports reach the
// lobby first, then whoever else asked. The stack under load is tested
// through internal/testkit, by server/, bots/ and cmd/skirmish.

package stack

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/server"
)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestNewAndShutdown(t *testing.T) {
	st, err := New(Options{Lobby: lobby.Options{Logger: quiet()}, Server: server.Options{Logger: quiet()}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Signer == nil || st.Store == nil || st.Lobby == nil || st.Server == nil {
		t.Fatalf("stack %+v lacks a part", st)
	}
	mux := http.NewServeMux()
	st.Routes(mux)
	for path, want := range map[string]int{"/api/rooms": http.StatusOK, "/ws": http.StatusUnauthorized} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d; want %d", path, rec.Code, want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range 2 {
		if err := st.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown %d: %v", i+1, err)
		}
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	for name, tc := range map[string]struct {
		opts Options
		want string
	}{
		"lobby":  {Options{Lobby: lobby.Options{TicketTTL: time.Hour, Logger: quiet()}}, "lobby: Options.TicketTTL"},
		"server": {Options{Lobby: lobby.Options{Logger: quiet()}, Server: server.Options{TickRate: 5000, Logger: quiet()}}, "server: Options.TickRate"},
	} {
		if st, err := New(tc.opts); err == nil || st != nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: New = %v, %v; want an error saying %q", name, st, err, tc.want)
		}
	}
}

func TestAfterCallsInOrder(t *testing.T) {
	var calls []string
	first := func(room string, n int) { calls = append(calls, "lobby "+room) }
	then := func(room string, n int) { calls = append(calls, "then "+room) }
	after(first, then)("r1", 0)
	after(first, nil)("r2", 0)
	if got := strings.Join(calls, ", "); got != "lobby r1, then r1, lobby r2" {
		t.Errorf("calls: %s; want the lobby first, then the other, and the lobby alone without one", got)
	}
}
