// credential.go — a community game node's credential: what the operator
// signs (Issue) and the lobby checks (Verify). file.go keeps it on the
// node beside the node's private key; revoked.go is the lobby's list of
// credentials withdrawn before they expire.

package nodecred

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Wire format of a credential, version 1. The token is the base64url
// encoding, without padding, of these bytes (integers big-endian):
//
//	offset  size  field
//	0       1     version, 1
//	1       8     issued, unix seconds (signed)
//	9       8     expires, unix seconds (signed)
//	17      4     capacity, players, 1..MaxCapacity
//	21      2     rating weight, thousandths, 0..1000 (0: results ignored)
//	23      32    the node's Ed25519 public key
//	55      1     name length n, 1..MaxNameLen
//	56      n     name, printable ASCII ('!'..'~')
//	56+n    64    Ed25519 signature, by the operator's key, of signingContext
//	              followed by bytes [0, 56+n)
//
// The encoding is canonical: a token Verify accepts is the token Issue
// made.
const (
	version        = 1
	fixedLen       = 1 + 8 + 8 + 4 + 2 + ed25519.PublicKeySize + 1
	maxTokenLen    = fixedLen + MaxNameLen + ed25519.SignatureSize
	signingContext = "skirmish node credential\x00"
	weightScale    = 1000

	// MaxNameLen bounds a node's name; the lobby lists it as "c:" and the
	// name, within the 64 bytes a node id may have.
	MaxNameLen = 48
	// MaxCapacity bounds the players a credential may allow.
	MaxCapacity = 1 << 16
)

var tokenEncoding = base64.RawURLEncoding.Strict()

// Errors from Verify, wrapped with detail: test with errors.Is.
var (
	ErrMalformed = errors.New("nodecred: malformed credential")
	ErrForged    = errors.New("nodecred: credential not signed by the operator")
	ErrExpired   = errors.New("nodecred: credential expired")
)

// Credential is what the operator vouches for about one community node.
type Credential struct {
	Name     string            // the node's name: 1..MaxNameLen printable ASCII bytes
	Key      ed25519.PublicKey // the node's own key: it signs every request with its private half
	Capacity int               // the most players the lobby lets it take
	Issued   time.Time         // whole seconds
	Expires  time.Time         // refused from this instant on; whole seconds
	// RatingWeight is how far the node's match results move the ratings,
	// from 0 (ignored) to 1 (like an operator's node), in thousandths.
	RatingWeight float64
}

// check reports the first field that breaks the rules above.
func (c Credential) check() error {
	switch {
	case c.Name == "" || len(c.Name) > MaxNameLen || !printable(c.Name):
		return fmt.Errorf("name %q: want 1..%d printable ASCII bytes", c.Name, MaxNameLen)
	case len(c.Key) != ed25519.PublicKeySize:
		return fmt.Errorf("node key is %d bytes; want %d", len(c.Key), ed25519.PublicKeySize)
	case c.Capacity < 1 || c.Capacity > MaxCapacity:
		return fmt.Errorf("capacity %d: want 1..%d", c.Capacity, MaxCapacity)
	case !(c.RatingWeight >= 0 && c.RatingWeight <= 1):
		return fmt.Errorf("rating weight %v: want 0..1", c.RatingWeight)
	case !c.Expires.After(c.Issued):
		return fmt.Errorf("expires %s, not after it is issued (%s)", c.Expires.Format(time.RFC3339), c.Issued.Format(time.RFC3339))
	}
	return nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func (c Credential) appendPayload(b []byte) []byte {
	b = append(b, version)
	b = binary.BigEndian.AppendUint64(b, uint64(c.Issued.Unix()))
	b = binary.BigEndian.AppendUint64(b, uint64(c.Expires.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(c.Capacity))
	b = binary.BigEndian.AppendUint16(b, uint16(math.Round(c.RatingWeight*weightScale)))
	b = append(b, c.Key...)
	b = append(b, byte(len(c.Name)))
	return append(b, c.Name...)
}

func parsePayload(raw []byte) (Credential, []byte, error) {
	if len(raw) < fixedLen+1+ed25519.SignatureSize {
		return Credential{}, nil, fmt.Errorf("%d bytes; at least %d needed", len(raw), fixedLen+1+ed25519.SignatureSize)
	}
	if raw[0] != version {
		return Credential{}, nil, fmt.Errorf("unknown version %d", raw[0])
	}
	c := Credential{
		Issued:       time.Unix(int64(binary.BigEndian.Uint64(raw[1:])), 0),
		Expires:      time.Unix(int64(binary.BigEndian.Uint64(raw[9:])), 0),
		Capacity:     int(binary.BigEndian.Uint32(raw[17:])),
		RatingWeight: float64(binary.BigEndian.Uint16(raw[21:])) / weightScale,
		Key:          ed25519.PublicKey(append([]byte(nil), raw[23:23+ed25519.PublicKeySize]...)),
	}
	n := int(raw[fixedLen-1])
	if len(raw) != fixedLen+n+ed25519.SignatureSize {
		return Credential{}, nil, fmt.Errorf("%d bytes for a name of %d; want %d", len(raw), n, fixedLen+n+ed25519.SignatureSize)
	}
	c.Name = string(raw[fixedLen : fixedLen+n])
	if err := c.check(); err != nil {
		return Credential{}, nil, err
	}
	return c, raw[fixedLen+n:], nil
}

// Issue signs c with the operator's key and returns its token. Times are
// cut to whole seconds and the weight to thousandths.
func Issue(operator ed25519.PrivateKey, c Credential) (string, error) {
	if len(operator) != ed25519.PrivateKeySize {
		return "", fmt.Errorf("nodecred: operator key is %d bytes; want %d", len(operator), ed25519.PrivateKeySize)
	}
	c.Issued, c.Expires = c.Issued.Truncate(time.Second), c.Expires.Truncate(time.Second)
	if err := c.check(); err != nil {
		return "", fmt.Errorf("nodecred: cannot issue: %w", err)
	}
	payload := c.appendPayload(make([]byte, 0, maxTokenLen))
	sig := ed25519.Sign(operator, append([]byte(signingContext), payload...))
	return tokenEncoding.EncodeToString(append(payload, sig...)), nil
}

// Parse reads a token without checking its signature or expiry: what the
// node itself reads from its file. The lobby calls Verify.
func Parse(token string) (Credential, error) {
	c, _, _, err := parse(token)
	return c, err
}

// parse returns the credential in token, its signed payload and its
// signature.
func parse(token string) (Credential, []byte, []byte, error) {
	if len(token) > tokenEncoding.EncodedLen(maxTokenLen) {
		return Credential{}, nil, nil, fmt.Errorf("%w: %d characters; at most %d", ErrMalformed, len(token), tokenEncoding.EncodedLen(maxTokenLen))
	}
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil {
		return Credential{}, nil, nil, fmt.Errorf("%w: not unpadded base64url", ErrMalformed)
	}
	c, sig, err := parsePayload(raw)
	if err != nil {
		return Credential{}, nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return c, raw[:len(raw)-len(sig)], sig, nil
}

// Verify checks that token is a well-formed credential signed by one of
// the operator's keys and not expired at now, and returns it. Errors wrap
// ErrMalformed, ErrForged or ErrExpired. Revocation is the caller's
// (Revoked.Has).
func Verify(token string, operator []ed25519.PublicKey, now time.Time) (Credential, error) {
	c, payload, sig, err := parse(token)
	if err != nil {
		return Credential{}, err
	}
	msg := append([]byte(signingContext), payload...)
	signed := false
	for _, k := range operator {
		if ed25519.Verify(k, msg, sig) {
			signed = true
			break
		}
	}
	if !signed {
		return Credential{}, fmt.Errorf("%w (node %q)", ErrForged, c.Name)
	}
	if !now.Before(c.Expires) {
		return Credential{}, fmt.Errorf("%w at %s (node %q)", ErrExpired, c.Expires.Format(time.RFC3339), c.Name)
	}
	return c, nil
}

// Reason returns a short label for an error from Verify, for metrics.
func Reason(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrForged):
		return "forged"
	default:
		return "malformed"
	}
}
