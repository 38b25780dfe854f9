package nodecred_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skirmish/nodecred"
	"skirmish/ticket"
)

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func operatorKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func issue(t *testing.T, op ed25519.PrivateKey, c nodecred.Credential) string {
	t.Helper()
	tok, err := nodecred.Issue(op, c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func sample(t testing.TB) nodecred.Credential {
	pub, _ := operatorKey(t)
	return nodecred.Credential{Name: "game7", Key: pub, Capacity: 64, Issued: t0, Expires: t0.Add(24 * time.Hour), RatingWeight: 0.25}
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	pub, priv := operatorKey(t)
	want := sample(t)
	got, err := nodecred.Verify(issue(t, priv, want), []ed25519.PublicKey{pub}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != want.Name || !got.Key.Equal(want.Key) || got.Capacity != 64 || !got.Expires.Equal(want.Expires) || got.RatingWeight != 0.25 {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestVerifyRefuses(t *testing.T) {
	pub, priv := operatorKey(t)
	otherPub, otherPriv := operatorKey(t)
	good := issue(t, priv, sample(t))
	raw := []byte(good)
	raw[len(raw)/2] ^= 1 // one character of the payload
	for _, tc := range []struct {
		name, token string
		keys        []ed25519.PublicKey
		now         time.Time
		want        error
		reason      string
	}{
		{"signed by another key", issue(t, otherPriv, sample(t)), []ed25519.PublicKey{pub}, t0, nodecred.ErrForged, "forged"},
		{"no operator key", good, nil, t0, nodecred.ErrForged, "forged"},
		{"expired", good, []ed25519.PublicKey{pub}, t0.Add(24 * time.Hour), nodecred.ErrExpired, "expired"},
		{"tampered", string(raw), []ed25519.PublicKey{pub}, t0, nil, ""},
		{"not base64", "!!!", []ed25519.PublicKey{pub}, t0, nodecred.ErrMalformed, "malformed"},
		{"empty", "", []ed25519.PublicKey{pub}, t0, nodecred.ErrMalformed, "malformed"},
		{"too long", strings.Repeat("A", 400), []ed25519.PublicKey{pub}, t0, nodecred.ErrMalformed, "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := nodecred.Verify(tc.token, tc.keys, tc.now)
			if err == nil {
				t.Fatal("accepted")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err %v; want %v", err, tc.want)
			}
			if tc.reason != "" && nodecred.Reason(err) != tc.reason {
				t.Fatalf("reason %q; want %q", nodecred.Reason(err), tc.reason)
			}
		})
	}
	if _, err := nodecred.Verify(issue(t, otherPriv, sample(t)), []ed25519.PublicKey{pub, otherPub}, t0); err != nil {
		t.Fatalf("a second operator key (rotation): %v", err)
	}
}

func TestIssueChecksFields(t *testing.T) {
	_, priv := operatorKey(t)
	for name, edit := range map[string]func(*nodecred.Credential){
		"empty name":      func(c *nodecred.Credential) { c.Name = "" },
		"space in name":   func(c *nodecred.Credential) { c.Name = "game 7" },
		"long name":       func(c *nodecred.Credential) { c.Name = strings.Repeat("n", nodecred.MaxNameLen+1) },
		"no capacity":     func(c *nodecred.Credential) { c.Capacity = 0 },
		"weight over 1":   func(c *nodecred.Credential) { c.RatingWeight = 1.5 },
		"already expired": func(c *nodecred.Credential) { c.Expires = c.Issued },
		"short key":       func(c *nodecred.Credential) { c.Key = c.Key[:8] },
	} {
		c := sample(t)
		edit(&c)
		if _, err := nodecred.Issue(priv, c); err == nil {
			t.Errorf("%s: issued", name)
		}
	}
}

func TestFileRoundTrip(t *testing.T) {
	pub, priv := operatorKey(t)
	raw, cred, err := nodecred.New(priv, "game7", 32, time.Hour, 0, t0)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "game7.cred")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := nodecred.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Credential.Name != "game7" || f.Credential.Capacity != 32 || !f.Credential.Key.Equal(cred.Key) || !f.Key.Public().(ed25519.PublicKey).Equal(cred.Key) {
		t.Fatalf("loaded %+v", f.Credential)
	}
	if _, err := nodecred.Verify(f.Token, []ed25519.PublicKey{pub}, t0); err != nil {
		t.Fatal(err)
	}
	// Another node's key beside this credential: refused at load.
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	f.Key = other
	swapped, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nodecred.Unmarshal(swapped); err == nil {
		t.Fatal("a credential with another key's private half loaded")
	}
	if _, err := nodecred.Unmarshal([]byte("not pem")); err == nil {
		t.Fatal("garbage loaded")
	}
}

func TestOperatorKeyFromLobbyKeyFile(t *testing.T) {
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := signer.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "lobby.pem")
	if err := os.WriteFile(path, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	priv, err := ticket.LoadPrivateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := nodecred.New(priv, "n1", 8, time.Hour, 1, t0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := nodecred.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nodecred.Verify(f.Token, []ed25519.PublicKey{signer.PublicKey()}, t0); err != nil {
		t.Fatalf("a credential signed with the lobby's key file: %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	pub, priv := operatorKey(f)
	good, _ := nodecred.Issue(priv, sample(f))
	f.Add(good)
	f.Add("")
	f.Add("AAAA")
	f.Add(good[:len(good)-3])
	f.Fuzz(func(t *testing.T, token string) {
		c, err := nodecred.Verify(token, []ed25519.PublicKey{pub}, t0)
		if err != nil {
			return
		}
		again, err := nodecred.Issue(priv, c)
		if err != nil || again != token {
			t.Fatalf("accepted %q, which Issue spells %q (%v)", token, again, err)
		}
	})
}
