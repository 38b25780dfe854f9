// stack.go — Skirmish on a loopback port for a test: Start serves the
// stack `skirmish serve` runs (internal/stack) on 127.0.0.1, with quiet
// logs and a metrics registry of its own, and stops it when the test
// ends. metrics.go reads the registry; wait.go waits on what it does.

package testkit

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"skirmish/internal/stack"
	"skirmish/lobby"
	"skirmish/server"
)

// stopTimeout bounds the stop of a stack at the end of its test.
const stopTimeout = 10 * time.Second

// Stack is a running stack.Stack: the lobby at URL/api/, the game server
// at URL/ws, and the game server's metrics at URL/metrics.
type Stack struct {
	*stack.Stack
	URL     string               // http://127.0.0.1:port
	Metrics *prometheus.Registry // the game server's metrics, and the lobby's if edit counts them there
}

// Start serves a stack on 127.0.0.1 until the test ends: the lobby in
// memory, the game server confirming its seats to it, each logging
// nowhere, the game server's metrics in Stack.Metrics. edit, if not nil,
// adjusts the options before stack.New sees them; a Logger or Registerer
// it sets is kept. At the end of the test the HTTP server stops, then the
// stack, within 10 s; a failed Shutdown fails the test.
func Start(t testing.TB, edit func(*stack.Options)) *Stack {
	t.Helper()
	reg := prometheus.NewRegistry()
	opts := stack.Options{
		Lobby:  lobby.Options{Logger: Quiet()},
		Server: server.Options{Logger: Quiet(), Registerer: reg},
	}
	if edit != nil {
		edit(&opts)
	}
	st, err := stack.New(opts)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	mux := http.NewServeMux()
	st.Routes(mux)
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Shutdown(context.Background())
		t.Fatalf("testkit: %v", err)
	}
	hs := &http.Server{Handler: mux}
	go hs.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		hs.Shutdown(ctx)
		if err := st.Shutdown(ctx); err != nil {
			t.Errorf("testkit: shutdown: %v", err)
		}
	})
	return &Stack{Stack: st, URL: "http://" + ln.Addr().String(), Metrics: reg}
}

// RoomSize makes the rooms of both sides hold n players: the game
// server's RoomCapacity and the capacity of the lobby's one mode, "ffa",
// whose parties may fill a room.
func RoomSize(o *stack.Options, n int) {
	o.Server.RoomCapacity = n
	o.Lobby.Modes = map[string]int{"ffa": n}
	o.Lobby.MaxPartySize = n
}
