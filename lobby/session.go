// session.go — who you are: POST /api/login turns a display name into a
// session token and a stable player id, POST /api/refresh extends it, and
// authenticate checks the token every other endpoint needs (http.go wraps
// them with it). Sessions live in the Store under the token's SHA-256, so
// the store never holds a usable token. Logins are rate limited per
// address (ratelimit.go).

package lobby

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// tokenBytes is the entropy of a session token; tokens are its unpadded
// base64url form, tokenLen characters.
const (
	tokenBytes = 32
	tokenLen   = 43
)

// tokenEncoding is strict, so that each token has one spelling.
var tokenEncoding = base64.RawURLEncoding.Strict()

// loginResponse answers POST /api/login and /api/refresh. The client sends
// "Authorization: Bearer <token>" with every other call until ExpiresIn
// seconds pass, refreshing before then to keep the same player id.
type loginResponse struct {
	Token     string `json:"token"`
	PlayerID  string `json:"player_id"` // decimal, like every player id the lobby sends
	Name      string `json:"name"`
	ExpiresIn int64  `json:"expires_in"`
}

func (l *Lobby) serveLogin(w http.ResponseWriter, r *http.Request) {
	if !l.allowLogin(w, r) {
		return
	}
	name, ok := l.readName(w, r)
	if !ok {
		return
	}
	token := newToken()
	s := Session{Key: tokenKey(token), PlayerID: newPlayerID(), Name: name}
	l.saveSession(w, r, token, s)
}

func (l *Lobby) serveRefresh(w http.ResponseWriter, r *http.Request, s Session) {
	var req struct{}
	if ref := l.readJSON(w, r, &req, noFieldsBody, true); ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	token, _ := bearerToken(r) // authenticate checked it
	l.saveSession(w, r, token, s)
}

// saveSession stores s with a fresh expiry and answers with its token.
func (l *Lobby) saveSession(w http.ResponseWriter, r *http.Request, token string, s Session) {
	now := l.opts.Now()
	s.Expires = now.Add(l.opts.SessionTTL)
	if err := l.store.PutSession(r.Context(), s, now, l.opts.SessionGrace); err != nil {
		l.fail(w, r, err)
		return
	}
	l.opts.Logger.Info("lobby: session issued", "player", s.PlayerID, "name", s.Name, "expires", s.Expires, "remote", r.RemoteAddr)
	l.ok(w, http.StatusOK, loginResponse{
		Token:     token,
		PlayerID:  strconv.FormatUint(s.PlayerID, 10),
		Name:      s.Name,
		ExpiresIn: int64(l.opts.SessionTTL / time.Second),
	})
}

// authenticate returns the session of the request's bearer token, or why
// there is none: a refusal (401), or a store failure.
func (l *Lobby) authenticate(r *http.Request) (Session, error) {
	token, ref := bearerToken(r)
	if ref != nil {
		return Session{}, ref
	}
	s, err := l.store.Session(r.Context(), tokenKey(token))
	if errors.Is(err, ErrNotFound) {
		return Session{}, refused(http.StatusUnauthorized, "unauthorized", "unknown session token; log in again with POST /api/login")
	}
	if err != nil {
		return Session{}, err
	}
	if !l.opts.Now().Before(s.Expires) {
		return Session{}, refused(http.StatusUnauthorized, "unauthorized",
			"session token expired at %s; log in again with POST /api/login", s.Expires.UTC().Format(time.RFC3339))
	}
	return s, nil
}

// bearerToken reads "Authorization: Bearer <token>" and checks the
// token's form.
func bearerToken(r *http.Request) (string, *refusal) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", refused(http.StatusUnauthorized, "unauthorized",
			`missing session token: send "Authorization: Bearer <token>" with the token from POST /api/login`)
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", refused(http.StatusUnauthorized, "unauthorized", `the Authorization header must be "Bearer <token>"`)
	}
	token = strings.TrimSpace(token)
	if len(token) != tokenLen {
		return "", refused(http.StatusUnauthorized, "unauthorized", "session token is malformed: want %d characters", tokenLen)
	}
	if _, err := tokenEncoding.DecodeString(token); err != nil {
		return "", refused(http.StatusUnauthorized, "unauthorized", "session token is malformed: not unpadded base64url")
	}
	return token, nil
}

// newToken returns a fresh random session token.
func newToken() string {
	var b [tokenBytes]byte
	// crypto/rand.Read never fails; on a broken system it crashes the program.
	_, _ = rand.Read(b[:])
	return tokenEncoding.EncodeToString(b[:])
}

// tokenKey is what the store keeps a session under: the token's SHA-256.
func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
