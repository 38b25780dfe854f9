// ticket_test.go — tests for ticket.go: signing and verifying tickets, each
// way a token can be refused, Reason, and FuzzVerify, which feeds
// Verify hostile tokens. Redeem is tested in redeem_test.go.

package ticket_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"skirmish/ticket"
)

// t0 is the made-up "now" of the ticket tests.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// testSigner returns a Signer with a fixed key, so that fuzz seeds stay valid.
func testSigner(seed byte) *ticket.Signer {
	return ticket.NewSigner(ed25519.NewKeyFromSeed(make32(seed)))
}

func make32(b byte) []byte {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = b
	}
	return s
}

func sampleTicket() ticket.Ticket {
	return ticket.Ticket{
		PlayerID: 0xdeadbeefcafe,
		Name:     "Ada Lovelace",
		Room:     "r1",
		Expires:  t0.Add(30 * time.Second),
		Nonce:    0x0123456789abcdef,
	}
}

func sameTicket(a, b ticket.Ticket) bool {
	return a.PlayerID == b.PlayerID && a.Name == b.Name && a.Room == b.Room &&
		a.Expires.Equal(b.Expires) && a.Nonce == b.Nonce && a.Spectator == b.Spectator
}

func TestTicketRoundTrip(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	for _, want := range []ticket.Ticket{
		sampleTicket(),
		{PlayerID: 1, Name: "x", Room: "!", Expires: t0.Add(time.Second), Nonce: 0},
		{PlayerID: ^uint64(0), Name: "渡辺渡辺渡辺渡辺渡辺渡辺渡辺渡辺", Room: strings.Repeat("~", 64), Expires: t0.Add(time.Hour), Nonce: ^uint64(0)},
		{PlayerID: 7, Name: "watcher", Room: "r1", Expires: t0.Add(time.Second), Nonce: 9, Spectator: true},
	} {
		token := s.Sign(want)
		if strings.ContainsAny(token, "+/=") {
			t.Errorf("token %q is not unpadded base64url", token)
		}
		got, err := v.Verify(token, t0)
		if err != nil {
			t.Fatalf("Verify(Sign(%+v)): %v", want, err)
		}
		if !sameTicket(got, want) {
			t.Errorf("Verify(Sign(%+v)) = %+v", want, got)
		}
		if again := s.Sign(got); again != token {
			t.Errorf("signing the verified ticket gave %q; want the same token %q", again, token)
		}
	}
}

// TestSpectatorTicketIsItsOwnKind: a spectator's ticket differs from the
// player's with the same fields in its first byte only, and changing that
// byte of a signed ticket breaks the signature: a seat cannot be watched
// with, nor a watch played with.
func TestSpectatorTicketIsItsOwnKind(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	seat := sampleTicket()
	watch := seat
	watch.Spectator = true
	a, _ := base64.RawURLEncoding.DecodeString(s.Sign(seat))
	b, _ := base64.RawURLEncoding.DecodeString(s.Sign(watch))
	if a[0] != 1 || b[0] != 2 || string(a[1:len(a)-64]) != string(b[1:len(b)-64]) {
		t.Fatalf("kinds %d and %d, payloads %x and %x; want 1 and 2, the rest alike", a[0], b[0], a[1:len(a)-64], b[1:len(b)-64])
	}
	swapped := append([]byte{2}, a[1:]...)
	if _, err := v.Verify(base64.RawURLEncoding.EncodeToString(swapped), t0); !errors.Is(err, ticket.ErrForged) {
		t.Errorf("a player's ticket turned spectator: %v; want ErrForged", err)
	}
}

func TestTicketExpiresInWholeSeconds(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	in := sampleTicket()
	in.Expires = t0.Add(1500 * time.Millisecond)
	got, err := v.Verify(s.Sign(in), t0)
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(time.Second); !got.Expires.Equal(want) {
		t.Errorf("Expires = %v; want %v (truncated to the second)", got.Expires, want)
	}
}

func TestVerifyExpired(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	tk := sampleTicket()
	token := s.Sign(tk)
	if _, err := v.Verify(token, tk.Expires.Add(-time.Nanosecond)); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	for _, now := range []time.Time{tk.Expires, tk.Expires.Add(time.Hour)} {
		_, err := v.Verify(token, now)
		if !errors.Is(err, ticket.ErrExpired) {
			t.Errorf("Verify at %v: %v; want ErrExpired", now, err)
		}
	}
}

func TestVerifyForged(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	token := s.Sign(sampleTicket())
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}

	cases := map[string]string{
		"signed with another key": testSigner(2).Sign(sampleTicket()),
	}
	// Flip one bit in each field and in the signature.
	for name, off := range map[string]int{"player id": 1, "nonce": 9, "expiry": 20, "name": 26, "signature": len(raw) - 1} {
		b := append([]byte(nil), raw...)
		b[off] ^= 0x02
		cases["flipped bit in "+name] = base64.RawURLEncoding.EncodeToString(b)
	}
	for name, forged := range cases {
		_, err := v.Verify(forged, t0)
		if !errors.Is(err, ticket.ErrForged) {
			t.Errorf("%s: Verify = %v; want ErrForged", name, err)
		}
	}
}

func TestVerifyMissing(t *testing.T) {
	v := ticket.NewVerifier(testSigner(1).PublicKey())
	if _, err := v.Verify("", t0); !errors.Is(err, ticket.ErrMissing) {
		t.Errorf("Verify(\"\") = %v; want ErrMissing", err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	token := s.Sign(sampleTicket())
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	enc := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	withByte := func(off int, c byte) string {
		b := append([]byte(nil), raw...)
		b[off] = c
		return enc(b)
	}

	cases := map[string]string{
		"standard base64 alphabet": base64.StdEncoding.EncodeToString(raw),
		"not base64":               "this is not a ticket!",
		"padded":                   token + "==",
		"line break inside":        token[:10] + "\n" + token[10:],
		"non-zero trailing bits":   trailingBitsSet(t, s),
		"far too long":             strings.Repeat("A", 10000),
		"truncated to 1 byte":      enc(raw[:1]),
		"truncated mid-signature":  enc(raw[:len(raw)-1]),
		"truncated mid-name":       enc(raw[:28]),
		"one byte extra":           enc(append(append([]byte(nil), raw...), 0)),
		"unknown kind 0":           withByte(0, 0),
		"unknown kind 3":           withByte(0, 3),
		"zero name length":         withByte(25, 0),
		"name length past the end": withByte(25, 250),
	}
	// The token's base64 cut anywhere must be refused as malformed, never
	// panic and never pass.
	for n := 1; n < len(token); n++ {
		if _, err := v.Verify(token[:n], t0); !errors.Is(err, ticket.ErrMalformed) {
			t.Errorf("token cut to %d characters: Verify = %v; want ErrMalformed", n, err)
		}
	}
	for name, bad := range cases {
		_, err := v.Verify(bad, t0)
		if !errors.Is(err, ticket.ErrMalformed) {
			t.Errorf("%s: Verify = %v; want ErrMalformed", name, err)
		}
	}
}

// trailingBitsSet returns a valid token whose last character carries
// padding bits, with one of those bits set: same bytes, another spelling.
func trailingBitsSet(t *testing.T, s *ticket.Signer) string {
	tk := sampleTicket()
	tk.Name = "Ada Lovelac" // makes the raw length 104, not a multiple of 3
	token := s.Sign(tk)
	if len(token)%4 == 0 {
		t.Fatalf("token of %d characters has no padding bits", len(token))
	}
	last := strings.IndexByte(alphabet, token[len(token)-1])
	return token[:len(token)-1] + string(alphabet[last|1])
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func TestSignPanicsOnUnsignableTicket(t *testing.T) {
	s := testSigner(1)
	for name, mutate := range map[string]func(*ticket.Ticket){
		"zero player id":      func(t *ticket.Ticket) { t.PlayerID = 0 },
		"empty name":          func(t *ticket.Ticket) { t.Name = "" },
		"untrimmed name":      func(t *ticket.Ticket) { t.Name = " Ada" },
		"long name":           func(t *ticket.Ticket) { t.Name = strings.Repeat("a", 300) },
		"bad name character":  func(t *ticket.Ticket) { t.Name = "Ada!" },
		"empty room":          func(t *ticket.Ticket) { t.Room = "" },
		"long room":           func(t *ticket.Ticket) { t.Room = strings.Repeat("r", 65) },
		"room with a space":   func(t *ticket.Ticket) { t.Room = "r 1" },
		"room with non-ASCII": func(t *ticket.Ticket) { t.Room = "räum" },
	} {
		tk := sampleTicket()
		mutate(&tk)
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s: Sign did not panic", name)
				} else if !strings.HasPrefix(r.(string), "ticket: cannot sign: ") {
					t.Errorf("%s: panic %q lacks the ticket prefix", name, r)
				}
			}()
			s.Sign(tk)
		}()
	}
}

func TestKeyLengthsChecked(t *testing.T) {
	for name, f := range map[string]func(){
		"NewSigner":   func() { ticket.NewSigner(make([]byte, 10)) },
		"NewVerifier": func() { ticket.NewVerifier(make([]byte, 10)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with a 10-byte key did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestGenerateSigner(t *testing.T) {
	a, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	b, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	if a.PublicKey().Equal(b.PublicKey()) {
		t.Fatal("two generated signers share a key")
	}
	token := a.Sign(sampleTicket())
	if _, err := ticket.NewVerifier(a.PublicKey()).Verify(token, t0); err != nil {
		t.Errorf("own verifier: %v", err)
	}
	if _, err := ticket.NewVerifier(b.PublicKey()).Verify(token, t0); !errors.Is(err, ticket.ErrForged) {
		t.Errorf("other verifier: %v; want ErrForged", err)
	}
}

func TestReason(t *testing.T) {
	for err, want := range map[error]string{
		nil:                     "ok",
		ticket.ErrMissing:       "missing",
		ticket.ErrMalformed:     "malformed",
		ticket.ErrForged:        "forged",
		ticket.ErrExpired:       "expired",
		ticket.ErrReused:        "reused",
		errors.New("something"): "other",
		errors.Join(ticket.ErrExpired, errors.New("x")): "expired",
	} {
		if got := ticket.Reason(err); got != want {
			t.Errorf("Reason(%v) = %q; want %q", err, got, want)
		}
	}
	for _, err := range []error{ticket.ErrMissing, ticket.ErrMalformed, ticket.ErrForged, ticket.ErrExpired, ticket.ErrReused} {
		if !strings.HasPrefix(err.Error(), "ticket: ") {
			t.Errorf("error %q lacks the ticket prefix", err)
		}
	}
}

// FuzzVerify feeds Verify arbitrary tokens: it must never panic, must
// classify every refusal, and whatever it accepts must be exactly the token
// that signing the returned ticket gives.
func FuzzVerify(f *testing.F) {
	s := testSigner(1)
	v := ticket.NewVerifier(s.PublicKey())
	valid := s.Sign(sampleTicket())
	raw, _ := base64.RawURLEncoding.DecodeString(valid)
	for _, seed := range []string{
		valid,
		s.Sign(ticket.Ticket{PlayerID: 1, Name: "x", Room: "!", Expires: t0.Add(time.Second)}),
		s.Sign(ticket.Ticket{PlayerID: 1, Name: "x", Room: "!", Expires: t0.Add(time.Second), Spectator: true}),
		testSigner(2).Sign(sampleTicket()),
		valid[:len(valid)/2],
		base64.RawURLEncoding.EncodeToString(raw[:len(raw)-64]),
		"",
		"A",
		"not a ticket",
		strings.Repeat("_", 300),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		got, err := v.Verify(token, t0)
		if err != nil {
			if reason := ticket.Reason(err); reason == "other" {
				t.Fatalf("Verify(%q) error %v has no ticket reason", token, err)
			}
			return
		}
		if again := s.Sign(got); again != token {
			t.Fatalf("Verify accepted %q as %+v, which signs as %q", token, got, again)
		}
		back, err := v.Verify(s.Sign(got), t0)
		if err != nil || !sameTicket(back, got) {
			t.Fatalf("re-signed ticket %+v verifies as %+v, %v", got, back, err)
		}
	})
}
