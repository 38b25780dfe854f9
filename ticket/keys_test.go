// keys_test.go — tests for keys.go: a signing key survives MarshalPEM and
// LoadSigner, a public key survives EncodeKey and ParseKey, and what is
// not a key is refused with the package's prefix.

package ticket_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skirmish/ticket"
)

func TestSignerKeyFile(t *testing.T) {
	s := testSigner(3)
	pem, err := s.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ticket.pem")
	if err := os.WriteFile(path, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := ticket.LoadSigner(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(loaded.PublicKey(), s.PublicKey()) || loaded.Sign(sampleTicket()) != s.Sign(sampleTicket()) {
		t.Error("the loaded key signs unlike the one written")
	}
	for name, content := range map[string]string{
		"not PEM":       "hello",
		"a certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"bad PKCS #8":   "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
	} {
		bad := filepath.Join(t.TempDir(), "bad.pem")
		if err := os.WriteFile(bad, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ticket.LoadSigner(bad); err == nil || !strings.HasPrefix(err.Error(), "ticket: key ") {
			t.Errorf("%s: LoadSigner = %v; want a ticket: key error", name, err)
		}
	}
	if _, err := ticket.LoadSigner(filepath.Join(t.TempDir(), "missing.pem")); err == nil || !strings.HasPrefix(err.Error(), "ticket: key") {
		t.Errorf("a missing file: LoadSigner = %v; want a ticket: key error", err)
	}
}

func TestPublicKeyText(t *testing.T) {
	pub := testSigner(4).PublicKey()
	got, err := ticket.ParseKey(ticket.EncodeKey(pub))
	if err != nil || !bytes.Equal(got, pub) {
		t.Fatalf("ParseKey(EncodeKey(k)) = %x, %v; want %x", got, err, pub)
	}
	for _, s := range []string{"", "not base64!", "AAAA"} {
		if _, err := ticket.ParseKey(s); err == nil || !strings.HasPrefix(err.Error(), "ticket: public key") {
			t.Errorf("ParseKey(%q) = %v; want a ticket: public key error", s, err)
		}
	}
}
