// session_test.go — sessions (session.go) against the one-process stack
// (internal/testkit): a party's leader and member, each in a session of
// its own, land in one room and play their whole length; a private room's
// guest joins its host by code (join.go, party.go).

package bots_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/testkit"
)

// sessions plays one session per option set at once and returns them,
// each checked to have played one game to its end; it may be called from
// any goroutine (it fails the test with Errorf).
func sessions(t *testing.T, opts ...bots.SessionOptions) []bots.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out := make([]bots.Session, len(opts))
	errs := make([]error, len(opts))
	var wg sync.WaitGroup
	for i, o := range opts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = bots.PlaySession(ctx, o)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("session %d: %v", i, err)
		} else if s := out[i]; len(s.Games) != 1 || len(s.Ends) != 0 || s.Played < opts[i].Length/2 || s.Stats.Desyncs != 0 {
			t.Errorf("session %d: %d games, ends %q, played %v of %v, %d desyncs; want one game played to its end", i, len(s.Games), s.Ends, s.Played, opts[i].Length, s.Stats.Desyncs)
		}
	}
	return out
}

func login(t *testing.T, base, name string) string {
	t.Helper()
	token, err := bots.Login(context.Background(), http.DefaultClient, base, name)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func TestPartySessionsLandTogether(t *testing.T) {
	base := testkit.Start(t, nil).URL
	ctx := context.Background()
	leader, member := login(t, base, "ada"), login(t, base, "bob")
	code, err := bots.CreateParty(ctx, http.DefaultClient, base, leader)
	if err != nil {
		t.Fatal(err)
	}
	if err := bots.JoinParty(ctx, http.DefaultClient, base, member, code); err != nil {
		t.Fatal(err)
	}
	s := sessions(t,
		bots.SessionOptions{Options: bots.Options{BaseURL: base, Name: "ada", Token: leader, Leads: true}, Length: 1500 * time.Millisecond},
		bots.SessionOptions{Options: bots.Options{BaseURL: base, Name: "bob", Token: member, Led: true}, Length: 1500 * time.Millisecond},
	)
	if t.Failed() {
		return
	}
	if a, b := s[0].Games[0].Room, s[1].Games[0].Room; a != b {
		t.Errorf("the party played in rooms %s and %s; want one", a, b)
	}
	if err := bots.LeaveParty(ctx, http.DefaultClient, base, leader); err != nil {
		t.Errorf("the leader disbanding: %v", err)
	}
}

func TestPrivateRoomSessions(t *testing.T) {
	base := testkit.Start(t, nil).URL
	host := bots.SessionOptions{Options: bots.Options{BaseURL: base, Name: "ada", Token: login(t, base, "ada"), Room: bots.NewRoom}, Length: time.Second}
	codes := make(chan string, 1)
	host.Joined = func(b *bots.Bot) { codes <- b.Assignment().Code }
	var hosted []bots.Session
	done := make(chan struct{})
	go func() {
		defer close(done)
		hosted = sessions(t, host)
	}()
	var code string
	select {
	case code = <-codes:
	case <-time.After(10 * time.Second):
		t.Fatal("the host got no room")
	}
	if code == "" {
		t.Fatal("the private room's assignment has no code")
	}
	guest := sessions(t, bots.SessionOptions{Options: bots.Options{BaseURL: base, Name: "bob", Token: login(t, base, "bob"), Room: code}, Length: 500 * time.Millisecond})
	<-done
	if !t.Failed() && hosted[0].Games[0].Room != guest[0].Games[0].Room {
		t.Errorf("host in room %s, guest in %s; want the code's room", hosted[0].Games[0].Room, guest[0].Games[0].Room)
	}
}
