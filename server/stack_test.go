// stack_test.go — a real Skirmish on a loopback port for the tests: lobby,
// game server and their mux, exactly as `skirmish serve` wires them.

package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/server"
	"skirmish/ticket"
)

type stack struct {
	URL    string // http://127.0.0.1:port
	Server *server.Server
	Signer *ticket.Signer
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// startStack serves a lobby and a game server on 127.0.0.1; tweak adjusts
// the server's options. Everything stops when the test ends.
func startStack(t testing.TB, tweak func(*server.Options)) *stack {
	t.Helper()
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	opts := server.Options{Verifier: ticket.NewVerifier(signer.PublicKey()), Logger: quietLogger()}
	if tweak != nil {
		tweak(&opts)
	}
	srv, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	lob, err := lobby.New(lobby.Options{Signer: signer, Seats: srv.Seats(), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", lob.Handler())
	mux.Handle("/ws", srv)
	mux.Handle("/metrics", srv.MetricsHandler())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: mux}
	go hs.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return &stack{URL: "http://" + ln.Addr().String(), Server: srv, Signer: signer}
}
