// registry_test.go covers registry.go's claims against a Ledger without sockets: a refusal wraps both errNoSeat, which the handshake answers by, and the Ledger's own error, so errors.Is finds either.

package server

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"skirmish/ticket"
)

// errRoomFull is what a Ledger might refuse a claim with.
var errRoomFull = errors.New("test: room is full")

// refusingLedger refuses every claim with err.
type refusingLedger struct{ err error }

func (l refusingLedger) Claim(context.Context, string, uint64) error           { return l.err }
func (l refusingLedger) Release(context.Context, string, uint64) error         { return nil }
func (l refusingLedger) Hold(context.Context, string, uint64, time.Time) error { return nil }

func TestClaimWrapsLedgerRefusal(t *testing.T) {
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{
		Verifier: ticket.NewVerifier(signer.PublicKey()),
		Logger:   slog.New(slog.DiscardHandler),
		Ledger:   refusingLedger{errRoomFull},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	_, err = s.registry.claim(7, "r1")
	if !errors.Is(err, errNoSeat) || !errors.Is(err, errRoomFull) {
		t.Errorf("claim: %v; want it to wrap both errNoSeat and the Ledger's error", err)
	}
	if want := errNoSeat.Error() + ": " + errRoomFull.Error(); err.Error() != want {
		t.Errorf("claim: %q; want %q", err, want)
	}
}
