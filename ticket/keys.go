// keys.go — the keys of ticket.go's Signer and Verifier as files and as
// text. A lobby's signing key is an Ed25519 private key in a PKCS #8 PEM
// file (`skirmish keygen` writes one; `openssl genpkey -algorithm ed25519`
// too), so that several lobby processes can sign alike; its public half
// travels as standard base64, published in the lobby's Store
// (lobby.Store.PutKey) for the game nodes, or pinned on a node's command
// line.

package ticket

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

const pemPrivateKey = "PRIVATE KEY"

// LoadSigner reads a Signer's key from a PKCS #8 PEM file.
func LoadSigner(path string) (*Signer, error) {
	priv, err := LoadPrivateKey(path)
	if err != nil {
		return nil, err
	}
	return NewSigner(priv), nil
}

// LoadPrivateKey reads the Ed25519 private key of a PKCS #8 PEM file, the
// lobby's key that LoadSigner makes a Signer of: the operator also signs
// game node credentials with it (skirmish/nodecred).
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ticket: key: %w", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != pemPrivateKey {
		return nil, fmt.Errorf("ticket: key %s: not a PEM %q block", path, pemPrivateKey)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("ticket: key %s: %w", path, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("ticket: key %s: a %T, not an Ed25519 key", path, key)
	}
	return priv, nil
}

// MarshalPEM returns the Signer's private key as a PKCS #8 PEM block, the
// form LoadSigner reads. Keep it secret: whoever holds it mints tickets.
func (s *Signer) MarshalPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(s.priv)
	if err != nil {
		return nil, fmt.Errorf("ticket: key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
}

// EncodeKey writes a public key as standard base64, the form the Store
// publishes and ParseKey reads.
func EncodeKey(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// ParseKey reads a public key written by EncodeKey.
func ParseKey(s string) (ed25519.PublicKey, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("ticket: public key %q: %w", s, err)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("ticket: public key is not 32 bytes of Ed25519")
	}
	return ed25519.PublicKey(raw), nil
}
