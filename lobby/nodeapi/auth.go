// auth.go — how a node's request is signed (the client, client.go) and
// checked (the lobby, service.go). Each request carries four headers:
//
//	Skirmish-Credential  the node's credential (nodecred), as issued
//	Skirmish-Date        the node's clock, unix milliseconds
//	Skirmish-Nonce       16 random bytes, base64url: never twice
//	Skirmish-Signature   base64url Ed25519 signature, by the node's key, of
//	                     requestContext, then method, path, hex SHA-256 of
//	                     the body, date and nonce, each ended by "\n"
//
// The lobby takes a request only if the credential is the operator's, not
// expired and not revoked, the signature is by the key it names, the date
// is within ClockSkew of its own clock, and the nonce was not seen in that
// window (so a captured request cannot be played again, here).

package nodeapi

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"
)

const (
	headerCredential = "Skirmish-Credential"
	headerDate       = "Skirmish-Date"
	headerNonce      = "Skirmish-Nonce"
	headerSignature  = "Skirmish-Signature"
	requestContext   = "skirmish node request\n"
	nonceBytes       = 16
)

var b64 = base64.RawURLEncoding.Strict()

// requestMessage is what the node signs for one request.
func requestMessage(method, path string, body []byte, date, nonce string) []byte {
	sum := sha256.Sum256(body)
	msg := make([]byte, 0, len(requestContext)+len(method)+len(path)+2*sha256.Size+len(date)+len(nonce)+5)
	msg = append(msg, requestContext...)
	for _, s := range []string{method, path, hex.EncodeToString(sum[:]), date, nonce} {
		msg = append(msg, s...)
		msg = append(msg, '\n')
	}
	return msg
}

// signRequest sets the four headers on req, whose body is body.
func signRequest(req *http.Request, body []byte, credential string, key ed25519.PrivateKey, now time.Time) error {
	n := make([]byte, nonceBytes)
	if _, err := rand.Read(n); err != nil {
		return err
	}
	nonce := b64.EncodeToString(n)
	date := strconv.FormatInt(now.UnixMilli(), 10)
	sig := ed25519.Sign(key, requestMessage(req.Method, req.URL.Path, body, date, nonce))
	req.Header.Set(headerCredential, credential)
	req.Header.Set(headerDate, date)
	req.Header.Set(headerNonce, nonce)
	req.Header.Set(headerSignature, b64.EncodeToString(sig))
	return nil
}

// signedBy checks r's signature (body is r's body) against key, and
// returns the request's date and nonce for the replay checks.
func signedBy(r *http.Request, body []byte, key ed25519.PublicKey) (date time.Time, nonce string, ok bool) {
	d, nonce := r.Header.Get(headerDate), r.Header.Get(headerNonce)
	ms, err := strconv.ParseInt(d, 10, 64)
	if err != nil || len(nonce) != b64.EncodedLen(nonceBytes) {
		return time.Time{}, "", false
	}
	sig, err := b64.DecodeString(r.Header.Get(headerSignature))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return time.Time{}, "", false
	}
	if !ed25519.Verify(key, requestMessage(r.Method, r.URL.Path, body, d, nonce), sig) {
		return time.Time{}, "", false
	}
	return time.UnixMilli(ms), nonce, true
}

// nonceSet remembers the nonces of accepted requests until their date
// falls out of the clock-skew window. Safe for concurrent use.
type nonceSet struct {
	mu        sync.Mutex
	seen      map[string]time.Time // nonce → when it may be forgotten
	max       int
	lastSweep int // len(seen) after the last sweep
}

func newNonceSet(max int) *nonceSet { return &nonceSet{seen: make(map[string]time.Time), max: max} }

// add records nonce, to be kept until forget, and reports false if it was
// seen already, or if the set is full of nonces still in their window.
func (s *nonceSet) add(nonce string, forget, now time.Time) (fresh, full bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until, ok := s.seen[nonce]; ok && now.Before(until) {
		return false, false
	}
	if len(s.seen) >= max(2*s.lastSweep, 1024) || len(s.seen) >= s.max {
		for k, until := range s.seen {
			if !now.Before(until) {
				delete(s.seen, k)
			}
		}
		s.lastSweep = len(s.seen)
		if len(s.seen) >= s.max {
			return false, true
		}
	}
	s.seen[nonce] = forget
	return true, false
}
