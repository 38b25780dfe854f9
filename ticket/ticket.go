// ticket.go — signed join tickets: the lobby (lobby/assignment.go) mints
// one per seat with a Signer, and one per spectator (lobby/watch.go), and
// the game server (server/handshake.go) checks it with a Verifier. Verify is the pure check; Redeem, in
// redeem.go, adds the single-use rule. Names inside tickets obey names.go;
// keys.go reads and writes the keys.

package ticket

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"skirmish/playername"
)

// Wire format of a ticket, version 1. The token is the base64url encoding,
// without padding, of these bytes (integers big-endian):
//
//	offset   size  field
//	0        1     kind: 1 a player's ticket (a seat), 2 a spectator's (no seat)
//	1        8     player id, non-zero
//	9        8     nonce
//	17       8     expiry, unix seconds (signed)
//	25       1     name length n, 1..64
//	26       n     name, UTF-8, exactly as ValidName returns it
//	26+n     1     room length m, 1..64
//	27+n     m     room id, printable ASCII ('!'..'~')
//	27+n+m   64    Ed25519 signature of signingContext followed by bytes [0, 27+n+m)
//
// The encoding is canonical: a token Verify accepts is exactly the token
// Sign produces for the returned Ticket.
const (
	kindByte       = 1 // the first byte of a player's ticket; a spectator's is kindByte+1
	maxNameBytes   = playername.MaxRunes * utf8.UTFMax
	maxRoomBytes   = 64
	fixedFieldsLen = 1 + 8 + 8 + 8
	minTicketLen   = fixedFieldsLen + 1 + 1 + 1 + 1 + ed25519.SignatureSize
	maxTicketLen   = fixedFieldsLen + 1 + maxNameBytes + 1 + maxRoomBytes + ed25519.SignatureSize
	signingContext = "skirmish lobby ticket\x00"
)

// tokenEncoding is URL-safe so a token can sit in the WebSocket URL query,
// and strict so that each ticket has one spelling.
var tokenEncoding = base64.RawURLEncoding.Strict()

// Errors from Verify and Redeem. Verify wraps them with detail, so test
// with errors.Is; Reason turns them into short labels.
var (
	ErrMissing   = errors.New("ticket: missing")
	ErrMalformed = errors.New("ticket: malformed")
	ErrForged    = errors.New("ticket: signature invalid")
	ErrExpired   = errors.New("ticket: expired")
	ErrReused    = errors.New("ticket: already used")
)

// Ticket is a reservation of one seat for one player, signed by the lobby,
// or, with Spectator, the right to watch a room without a seat.
type Ticket struct {
	PlayerID uint64    // stable id minted by the lobby (random, non-zero); a spectator's names the watcher
	Name     string    // display name, as returned by ValidName
	Room     string    // room the seat is reserved in (or to watch): 1..64 printable ASCII bytes
	Expires  time.Time // the ticket is refused from this instant on; whole unix seconds
	Nonce    uint64    // random; makes every ticket unique, so reuse can be detected
	// Spectator says the holder watches Room: no seat, no player in the
	// world, no inputs (server/spectate.go). The game server keeps a
	// separate limit of spectators per room.
	Spectator bool
}

// Check reports why t cannot be signed (Sign would panic), or nil: a
// lobby checks a seat's ticket before it signs it.
func (t Ticket) Check() error {
	if err := t.check(); err != nil {
		return fmt.Errorf("ticket: %w", err)
	}
	return nil
}

// check is Check without the package prefix. Sign and Verify share it, so
// whatever Verify accepts can be signed again.
func (t Ticket) check() error {
	if t.PlayerID == 0 {
		return errors.New("player id is zero")
	}
	if len(t.Name) > maxNameBytes {
		return fmt.Errorf("name is %d bytes; at most %d allowed", len(t.Name), maxNameBytes)
	}
	if name, err := ValidName(t.Name); err != nil || name != t.Name {
		return fmt.Errorf("name %q is not a valid display name", t.Name)
	}
	if len(t.Room) == 0 || len(t.Room) > maxRoomBytes {
		return fmt.Errorf("room id is %d bytes; want 1..%d", len(t.Room), maxRoomBytes)
	}
	for i := 0; i < len(t.Room); i++ {
		if c := t.Room[i]; c < '!' || c > '~' {
			return fmt.Errorf("room id %q has a byte outside printable ASCII", t.Room)
		}
	}
	return nil
}

// appendPayload appends the signed part of t's wire form (all but the
// signature) to b.
func (t Ticket) appendPayload(b []byte) []byte {
	kind := byte(kindByte)
	if t.Spectator {
		kind++
	}
	b = append(b, kind)
	b = binary.BigEndian.AppendUint64(b, t.PlayerID)
	b = binary.BigEndian.AppendUint64(b, t.Nonce)
	b = binary.BigEndian.AppendUint64(b, uint64(t.Expires.Unix()))
	b = append(b, byte(len(t.Name)))
	b = append(b, t.Name...)
	b = append(b, byte(len(t.Room)))
	return append(b, t.Room...)
}

// parsePayload reads the fields of a decoded token and returns the ticket
// and the length of the signed payload, which the signature follows. Every
// read is bounds-checked: raw is hostile.
func parsePayload(raw []byte) (Ticket, int, error) {
	if len(raw) < minTicketLen {
		return Ticket{}, 0, fmt.Errorf("%d bytes; at least %d needed", len(raw), minTicketLen)
	}
	if raw[0] != kindByte && raw[0] != kindByte+1 {
		return Ticket{}, 0, fmt.Errorf("unknown kind %d", raw[0])
	}
	t := Ticket{
		PlayerID:  binary.BigEndian.Uint64(raw[1:]),
		Nonce:     binary.BigEndian.Uint64(raw[9:]),
		Expires:   time.Unix(int64(binary.BigEndian.Uint64(raw[17:])), 0).UTC(),
		Spectator: raw[0] == kindByte+1,
	}
	rest := raw[fixedFieldsLen:]
	name, rest, ok := cutField(rest)
	if !ok {
		return Ticket{}, 0, errors.New("name runs past the end")
	}
	room, rest, ok := cutField(rest)
	if !ok {
		return Ticket{}, 0, errors.New("room id runs past the end")
	}
	t.Name, t.Room = string(name), string(room)
	if len(rest) != ed25519.SignatureSize {
		return Ticket{}, 0, fmt.Errorf("signature is %d bytes; want %d", len(rest), ed25519.SignatureSize)
	}
	if err := t.check(); err != nil {
		return Ticket{}, 0, err
	}
	return t, len(raw) - ed25519.SignatureSize, nil
}

// cutField splits a one-byte length prefix and that many bytes off b.
func cutField(b []byte) (field, rest []byte, ok bool) {
	if len(b) < 1 || len(b)-1 < int(b[0]) {
		return nil, nil, false
	}
	n := int(b[0]) + 1
	return b[1:n], b[n:], true
}

// signedMessage is what the signature covers: the payload behind a context
// string, so a ticket signature can never be mistaken for another use of the
// same key.
func signedMessage(payload []byte) []byte {
	return append([]byte(signingContext), payload...)
}

// Signer mints tickets. Only the lobby holds one; it is safe for concurrent
// use.
type Signer struct {
	priv ed25519.PrivateKey
}

// NewSigner returns a Signer for priv, which it copies. It panics if priv is
// not ed25519.PrivateKeySize bytes long.
func NewSigner(priv ed25519.PrivateKey) *Signer {
	if len(priv) != ed25519.PrivateKeySize {
		panic(fmt.Sprintf("ticket: ed25519 private key is %d bytes; want %d", len(priv), ed25519.PrivateKeySize))
	}
	return &Signer{priv: append(ed25519.PrivateKey(nil), priv...)}
}

// GenerateSigner returns a Signer with a fresh random key. It suits the
// embedded default, where lobby and game server share one process and the
// Verifier is made from PublicKey; tickets die with the process.
func GenerateSigner() (*Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("ticket: generate a key: %w", err)
	}
	return &Signer{priv: priv}, nil
}

// PublicKey returns the key a Verifier needs to check this Signer's tickets.
func (s *Signer) PublicKey() ed25519.PublicKey {
	return append(ed25519.PublicKey(nil), s.priv.Public().(ed25519.PublicKey)...)
}

// Sign returns t as a URL-safe token (see the wire format above). Signing is
// deterministic: the same ticket gives the same token.
//
// Sign panics if t breaks the Ticket field rules (zero PlayerID, a name
// ValidName would reject or change, a room id that is not 1..64 printable
// ASCII bytes): such a ticket could never be verified, so minting one is a
// bug in the caller.
func (s *Signer) Sign(t Ticket) string {
	if err := t.check(); err != nil {
		panic("ticket: cannot sign: " + err.Error())
	}
	payload := t.appendPayload(make([]byte, 0, maxTicketLen))
	sig := ed25519.Sign(s.priv, signedMessage(payload))
	return tokenEncoding.EncodeToString(append(payload, sig...))
}

// Verifier checks tickets with the lobby's public keys only: a server that
// holds one can verify tickets but never mint them. It accepts a ticket
// signed with any of its keys (several lobby processes, each with its own
// key, or a key being rotated). It is safe for concurrent use.
type Verifier struct {
	keys atomic.Pointer[[]ed25519.PublicKey]
	used nonceSet // see redeem.go
}

// NewVerifier returns a Verifier for keys, which it copies. With no keys
// it refuses every ticket as forged until SetKeys gives it some. It
// panics if a key is not ed25519.PublicKeySize bytes long.
func NewVerifier(keys ...ed25519.PublicKey) *Verifier {
	v := &Verifier{used: newNonceSet()}
	v.SetKeys(keys)
	return v
}

// SetKeys replaces the keys v accepts, copying them; tickets already
// redeemed stay redeemed. It panics if a key is not
// ed25519.PublicKeySize bytes long.
func (v *Verifier) SetKeys(keys []ed25519.PublicKey) {
	own := make([]ed25519.PublicKey, len(keys))
	for i, k := range keys {
		if len(k) != ed25519.PublicKeySize {
			panic(fmt.Sprintf("ticket: ed25519 public key is %d bytes; want %d", len(k), ed25519.PublicKeySize))
		}
		own[i] = append(ed25519.PublicKey(nil), k...)
	}
	v.keys.Store(&own)
}

// Keys returns how many keys v accepts.
func (v *Verifier) Keys() int { return len(*v.keys.Load()) }

// Verify decodes token and checks its form, its signature and its expiry
// against now. It has no side effects; see Redeem for the single-use check.
// Errors wrap ErrMissing, ErrMalformed, ErrForged or
// ErrExpired.
func (v *Verifier) Verify(token string, now time.Time) (Ticket, error) {
	if token == "" {
		return Ticket{}, ErrMissing
	}
	if len(token) > tokenEncoding.EncodedLen(maxTicketLen) {
		return Ticket{}, fmt.Errorf("%w: %d characters; at most %d", ErrMalformed, len(token), tokenEncoding.EncodedLen(maxTicketLen))
	}
	raw, err := tokenEncoding.DecodeString(token)
	if err != nil || len(token) != tokenEncoding.EncodedLen(len(raw)) {
		// The length test catches the CR and LF that the decoder skips.
		return Ticket{}, fmt.Errorf("%w: not unpadded base64url", ErrMalformed)
	}
	t, n, err := parsePayload(raw)
	if err != nil {
		return Ticket{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !v.signedByOne(signedMessage(raw[:n]), raw[n:]) {
		return Ticket{}, ErrForged
	}
	if !now.Before(t.Expires) {
		return Ticket{}, fmt.Errorf("%w at %s", ErrExpired, t.Expires.Format(time.RFC3339))
	}
	return t, nil
}

func (v *Verifier) signedByOne(msg, sig []byte) bool {
	for _, k := range *v.keys.Load() {
		if ed25519.Verify(k, msg, sig) {
			return true
		}
	}
	return false
}

// Reason returns a short, fixed label for an error from Verify or
// Redeem, for metric labels and logs: "missing", "malformed", "forged",
// "expired", "reused", or "other" for anything else. A nil error is "ok".
func Reason(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrMissing):
		return "missing"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrForged):
		return "forged"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrReused):
		return "reused"
	default:
		return "other"
	}
}
