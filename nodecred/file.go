// file.go — the credential file a community node keeps (--credential):
// its credential (credential.go) and its own private key, as two PEM
// blocks, written by `skirmish keygen --node` with mode 0600. New makes
// the key pair and the credential in one step.

package nodecred

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"time"
)

const (
	pemCredential = "SKIRMISH NODE CREDENTIAL"
	pemPrivateKey = "PRIVATE KEY"
)

// File is what a community node holds: the credential the operator
// issued it and the private half of the key the credential names.
type File struct {
	Token      string     // the credential as the lobby receives it
	Credential Credential // Token parsed; the lobby checks the signature
	Key        ed25519.PrivateKey
}

// New makes a node key pair and a credential for it, issued now by the
// operator's key and valid for valid, and returns the file's bytes.
func New(operator ed25519.PrivateKey, name string, capacity int, valid time.Duration, weight float64, now time.Time) ([]byte, Credential, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, Credential{}, fmt.Errorf("nodecred: generate a node key: %w", err)
	}
	token, err := Issue(operator, Credential{
		Name: name, Key: pub, Capacity: capacity, Issued: now, Expires: now.Add(valid), RatingWeight: weight,
	})
	if err != nil {
		return nil, Credential{}, err
	}
	f := File{Token: token, Key: priv}
	f.Credential, _ = Parse(token)
	raw, err := f.Marshal()
	return raw, f.Credential, err
}

// Marshal returns the file's bytes: the credential, then the private key
// in PKCS #8.
func (f File) Marshal() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(f.Key)
	if err != nil {
		return nil, fmt.Errorf("nodecred: node key: %w", err)
	}
	var b bytes.Buffer
	_ = pem.Encode(&b, &pem.Block{Type: pemCredential, Bytes: []byte(f.Token)})
	_ = pem.Encode(&b, &pem.Block{Type: pemPrivateKey, Bytes: der})
	return b.Bytes(), nil
}

// Load reads a credential file, and checks that its key is the one its
// credential names (not that the operator signed it: the lobby does).
func Load(path string) (File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("nodecred: %w", err)
	}
	f, err := Unmarshal(raw)
	if err != nil {
		return File{}, fmt.Errorf("nodecred: %s: %w", path, err)
	}
	return f, nil
}

// Unmarshal reads what Marshal wrote.
func Unmarshal(raw []byte) (File, error) {
	var f File
	for {
		var block *pem.Block
		block, raw = pem.Decode(raw)
		if block == nil {
			break
		}
		switch block.Type {
		case pemCredential:
			f.Token = string(bytes.TrimSpace(block.Bytes))
		case pemPrivateKey:
			key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return File{}, fmt.Errorf("node key: %w", err)
			}
			priv, ok := key.(ed25519.PrivateKey)
			if !ok {
				return File{}, fmt.Errorf("node key is a %T, not an Ed25519 key", key)
			}
			f.Key = priv
		}
	}
	if f.Token == "" || f.Key == nil {
		return File{}, fmt.Errorf("want a PEM %q block and a PEM %q block", pemCredential, pemPrivateKey)
	}
	c, err := Parse(f.Token)
	if err != nil {
		return File{}, err
	}
	if !c.Key.Equal(f.Key.Public()) {
		return File{}, fmt.Errorf("the private key is not the one credential %q names", c.Name)
	}
	f.Credential = c
	return f, nil
}
