// redeem_test.go — tests for redeem.go: a ticket redeems once, concurrent
// redeems of one ticket have one winner, and expired nonces are forgotten.

package ticket_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skirmish/ticket"
)

func TestRedeemOnce(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	tk := sampleTicket()
	token := s.Sign(tk)

	got, err := v.Redeem(token, t0)
	if err != nil || !sameTicket(got, tk) {
		t.Fatalf("first Redeem = %+v, %v; want %+v", got, err, tk)
	}
	_, err = v.Redeem(token, t0.Add(time.Second))
	if !errors.Is(err, ticket.ErrReused) || ticket.Reason(err) != "reused" {
		t.Fatalf("second Redeem: %v; want ErrReused", err)
	}
	if _, err := v.Verify(token, t0); err != nil {
		t.Errorf("Verify after Redeem: %v; Verify must stay a pure check", err)
	}

	other := tk
	other.Nonce++
	if _, err := v.Redeem(s.Sign(other), t0); err != nil {
		t.Errorf("a ticket with another nonce: %v", err)
	}
	if _, err := v.Redeem(token, tk.Expires); !errors.Is(err, ticket.ErrExpired) {
		t.Errorf("Redeem after expiry: %v; want ErrExpired", err)
	}
}

func TestRedeemRefusesWhatVerifyRefuses(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	for token, want := range map[string]error{
		"":                                 ticket.ErrMissing,
		"%%%":                              ticket.ErrMalformed,
		testSigner(2).Sign(sampleTicket()): ticket.ErrForged,
	} {
		if _, err := v.Redeem(token, t0); !errors.Is(err, want) {
			t.Errorf("Redeem(%q) = %v; want %v", token, err, want)
		}
	}
	if n := v.RememberedNonces(); n != 0 {
		t.Errorf("refused tickets left %d nonces behind", n)
	}
}

func TestRedeemConcurrentOneWinner(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	token := s.Sign(sampleTicket())
	var wins, reused atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := v.Redeem(token, t0)
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, ticket.ErrReused):
				reused.Add(1)
			default:
				t.Errorf("Redeem: %v", err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 || reused.Load() != 49 {
		t.Errorf("%d wins and %d reuses; want 1 and 49", wins.Load(), reused.Load())
	}
}

func TestRedeemForgetsExpiredNonces(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	const n = 1000
	for i := range n {
		tk := sampleTicket()
		tk.Nonce = uint64(i)
		tk.Expires = t0.Add(time.Duration(1+i%10) * time.Second) // out of order
		if _, err := v.Redeem(s.Sign(tk), t0); err != nil {
			t.Fatal(err)
		}
	}
	if got := v.RememberedNonces(); got != n {
		t.Fatalf("remembered %d nonces; want %d", got, n)
	}

	// At t0+5s the tickets expiring at 1..5 s are gone: half of them.
	late := sampleTicket()
	late.Nonce = n
	late.Expires = t0.Add(time.Minute)
	if _, err := v.Redeem(s.Sign(late), t0.Add(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got, want := v.RememberedNonces(), n/2+1; got != want {
		t.Errorf("after 5 s: remembered %d nonces; want %d", got, want)
	}

	late.Nonce++
	if _, err := v.Redeem(s.Sign(late), t0.Add(11*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := v.RememberedNonces(); got != 2 {
		t.Errorf("after every short ticket expired: remembered %d nonces; want 2", got)
	}
}
