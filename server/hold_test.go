// hold_test.go covers registry.go's side of a hold against the real lobby
// (a memory store) as its Ledger, without sockets: a new connection's
// claim of a held seat waits until the Ledger has the hold before it
// claims the seat again, so a reconnect quicker than the Hold call still
// leaves the seat connected, not a reservation that lapses under the
// player. resume_test.go has the rest, over real sockets.

package server

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/ticket"
)

// slowHolds is the lobby as a Ledger whose Hold calls wait for release.
type slowHolds struct {
	*lobby.Lobby
	release chan struct{}
}

func (l slowHolds) Hold(ctx context.Context, room string, player uint64, until time.Time) error {
	<-l.release
	return l.Lobby.Hold(ctx, room, player, until)
}

func TestResumeClaimWaitsForTheHold(t *testing.T) {
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	store := lobby.NewMemoryStore()
	lob, err := lobby.New(lobby.Options{Signer: signer, Store: store, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer lob.Close()
	ledger := slowHolds{lob, make(chan struct{})}
	s, err := New(Options{Verifier: ticket.NewVerifier(signer.PublicKey()), Logger: slog.New(slog.DiscardHandler), Ledger: ledger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	ctx := context.Background()
	now := time.Now()
	errs, err := store.Reserve(ctx, now, []lobby.Reservation{{Room: lobby.Room{ID: "r1", Mode: "ffa", Capacity: 4},
		Create: true, Members: []lobby.Member{{ID: 7}}, Until: now.Add(time.Minute)}})
	if err != nil || errs[0] != nil {
		t.Fatal(err, errs)
	}
	st, err := s.registry.claim(7, "r1")
	if err != nil {
		t.Fatal(err)
	}
	c := &client{ticket: ticket.Ticket{PlayerID: 7, Room: "r1"}, room: st.room}
	s.registry.attach(st, c)
	if !s.registry.dropped(c, true, now.Add(30*time.Second)) {
		t.Fatal("a holdable drop was not held")
	}

	claimed := make(chan error, 1)
	go func() {
		_, err := s.registry.claim(7, "r1")
		claimed <- err
	}()
	select {
	case err := <-claimed:
		t.Fatalf("the claim of a held seat returned (%v) before the Ledger had the hold", err)
	case <-time.After(50 * time.Millisecond): // the claim must still be waiting: a bound, not a synchronisation
	}
	close(ledger.release)
	if err := <-claimed; err != nil {
		t.Fatalf("claiming the held seat: %v", err)
	}
	if seat, err := store.Seat(ctx, 7, time.Now()); err != nil || !seat.Connected || seat.Room != "r1" {
		t.Errorf("the store's seat after the resume: %+v, %v; want connected in r1", seat, err)
	}
}
