// service.go — the lobby's side of the node API: Options, New, the routes
// and the pipeline every request goes through (size, the address's
// failed authentications, signature and credential as auth.go says,
// revocation as revoke.go keeps it, the node's rate limit, limit.go, a
// strict JSON body) before its handler in seats.go
// runs. Refusals are answered with a status and a reason, counted in
// skirmish_nodeapi_requests_total and logged.

package nodeapi

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/internal/clientaddr"
	"skirmish/internal/ratelimit"
	"skirmish/lobby"
	"skirmish/nodecred"
)

const (
	defaultRate          = 100.0 // requests per second per node, sustained: 50 player sessions a second (claim, release)
	defaultBurst         = 500   // requests per node at once: a full node's players connecting together
	defaultHeartbeatTTL  = 5 * time.Second
	defaultClockSkew     = 30 * time.Second
	defaultMaxBodyBytes  = 64 << 10
	defaultRevokedReload = 5 * time.Second

	maxNonces    = 1 << 20 // bounds the replay memory: ~60 s of requests at the node limits
	maxBuckets   = 100_000 // bounds each limiter: one bucket per credential name, or per address
	maxCreds     = 10_000  // bounds the credentials remembered as verified
	storeTimeout = 5 * time.Second
	// IDPrefix starts the id a community node has in the lobby's records,
	// before its credential's name, so that it never takes the name of an
	// operator's node (which would free that node's rooms).
	IDPrefix = "c:"
)

// Options configures a Service. Store and Key are required; every other
// field has a default, noted beside it.
type Options struct {
	Store lobby.Store // the lobby's store; required
	// Key is the operator's key, the lobby's ticket key (skirmish lobby
	// --key): a credential must be signed with it, and the seat receipts
	// are. Every lobby process that serves the node API needs the same
	// one. Required.
	Key ed25519.PrivateKey
	// RevokedFile lists revoked credentials (nodecred.ParseRevoked); it
	// is read again every RevokedReload when it changed. "" revokes none.
	RevokedFile   string
	RevokedReload time.Duration // zero means 5 s

	// Rate and Burst limit each node's requests: Rate a second, Burst at
	// once; more get 429. Zero means 100 and 500.
	Rate  float64
	Burst int
	// HeartbeatTTL is how long after its last heartbeat a node stays in
	// rotation. Zero means 5 s.
	HeartbeatTTL time.Duration
	// ClockSkew is how far a request's date may be from the lobby's
	// clock. Zero means 30 s.
	ClockSkew time.Duration
	// MaxBodyBytes caps a request body; larger get 413. Zero means 64 KiB.
	MaxBodyBytes int64
	// TrustProxy lists the proxies whose X-Forwarded-For names the
	// caller, for the limit on failed authentications per address
	// (internal/clientaddr). Nil: the caller is the direct peer.
	TrustProxy []netip.Prefix

	Logger     *slog.Logger          // nil means slog.Default()
	Registerer prometheus.Registerer // nil: no metrics
	Now        func() time.Time      // nil means time.Now
}

func (o *Options) fill() error {
	switch {
	case o.Store == nil:
		return errors.New("nodeapi: Options.Store is required")
	case len(o.Key) != ed25519.PrivateKeySize:
		return errors.New("nodeapi: Options.Key is required: the operator's Ed25519 key (skirmish lobby --key)")
	}
	setDefault(&o.Rate, defaultRate)
	setDefault(&o.Burst, defaultBurst)
	setDefault(&o.HeartbeatTTL, defaultHeartbeatTTL)
	setDefault(&o.ClockSkew, defaultClockSkew)
	setDefault(&o.MaxBodyBytes, defaultMaxBodyBytes)
	setDefault(&o.RevokedReload, defaultRevokedReload)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rate < 0 || o.Burst < 1 || o.HeartbeatTTL < 0 || o.ClockSkew < 0 || o.MaxBodyBytes < 0 || o.RevokedReload < 0 {
		return errors.New("nodeapi: Options: Rate, Burst, HeartbeatTTL, ClockSkew, MaxBodyBytes and RevokedReload must be positive")
	}
	return nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Service serves the node API for community nodes. Make one with New,
// mount Handler at /node/ on the lobby's server, and Close it when the
// lobby stops. It is safe for concurrent use.
type Service struct {
	opts     Options
	pub      ed25519.PublicKey
	mux      *http.ServeMux
	nonces   *nonceSet
	limiter  *ratelimit.Limiter // by credential name
	failures *ratelimit.Limiter // failed authentications, by client address
	creds    credCache
	revoked  atomic.Pointer[nodecred.Revoked]
	requests *prometheus.CounterVec

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// New returns a Service configured by opts; with a RevokedFile it reads
// it now (an error if it cannot) and watches it until Close.
func New(opts Options) (*Service, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	s := &Service{
		opts: opts, pub: opts.Key.Public().(ed25519.PublicKey), mux: http.NewServeMux(),
		nonces: newNonceSet(maxNonces), limiter: newLimiter(opts.Rate, opts.Burst), failures: newLimiter(authFailRate, authFailBurst),
		creds: credCache{m: make(map[string]nodecred.Credential)},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "skirmish", Name: "nodeapi_requests_total",
			Help: "Requests of community game nodes to the lobby's node API, by outcome (ok, or why refused).",
		}, []string{"outcome"}),
		stop: func() {},
	}
	if opts.Registerer != nil {
		if err := opts.Registerer.Register(s.requests); err != nil {
			return nil, fmt.Errorf("nodeapi: metrics: %w", err)
		}
	}
	if opts.RevokedFile != "" {
		w, err := s.loadRevoked()
		if err != nil {
			return nil, err
		}
		ctx, stop := context.WithCancel(context.Background())
		s.stop = stop
		s.wg.Add(1)
		go s.watchRevoked(ctx, w)
	}
	s.route(pathRegister, s.register)
	s.route(pathHeartbeat, s.heartbeat)
	s.route(pathLeave, s.leave)
	s.route(pathClaim, s.claim)
	s.route(pathRelease, s.release)
	s.route(pathHold, s.hold)
	s.route(pathMatchStart, s.matchStart)
	s.route(pathMatchEnd, s.matchEnd)
	return s, nil
}

// Handler serves the node API's paths, under /node/v1/.
func (s *Service) Handler() http.Handler { return s.mux }

// Close stops watching the revoked list.
func (s *Service) Close() {
	s.stop()
	s.wg.Wait()
}

// node is the caller of one request: a community node whose credential
// and signature checked out.
type node struct {
	id   string // IDPrefix + the credential's name: its id in the store
	cred nodecred.Credential
}

// refusal is a request the lobby answers with an error.
type refusal struct {
	status  int
	outcome string
	msg     string
	warn    bool // the node misbehaved (not merely a race): logged at warn level
}

func (r *refusal) Error() string { return r.msg }

func refuse(status int, outcome, format string, args ...any) *refusal {
	return &refusal{status: status, outcome: outcome, msg: fmt.Sprintf(format, args...)}
}

// offence is a refusal for something an honest node never does.
func offence(outcome, format string, args ...any) *refusal {
	r := refuse(http.StatusForbidden, outcome, format, args...)
	r.warn = true
	return r
}

// handler serves one checked request; body is its JSON, still to decode.
// It returns what to answer, or a refusal, or another error (the store
// failed: 503).
type handler func(ctx context.Context, n node, body []byte) (any, error)

// route serves path with h, behind the checks every request passes.
func (s *Service) route(path string, h handler) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		n, body, ref := s.admit(w, r)
		if ref == nil {
			out, err := h(r.Context(), n, body)
			if err == nil {
				s.requests.WithLabelValues("ok").Inc()
				writeJSON(w, http.StatusOK, out)
				return
			}
			if !errors.As(err, &ref) {
				s.opts.Logger.Warn("nodeapi: store failed", "path", path, "node", n.id, "err", err)
				w.Header().Set("Retry-After", "1")
				ref = refuse(http.StatusServiceUnavailable, "unavailable", "the lobby cannot reach its storage right now; try again shortly")
			}
		}
		s.refused(w, r, n, ref)
	})
}

// admit reads r's body and authenticates it (authenticate); a request
// from an address whose requests failed authentication too often is
// refused before any signature check, unless its credential is one that
// verified already.
func (s *Service) admit(w http.ResponseWriter, r *http.Request) (node, []byte, *refusal) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return node{}, nil, refuse(http.StatusMethodNotAllowed, "method", "method %s not allowed; use POST", r.Method)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return node{}, nil, refuse(http.StatusRequestEntityTooLarge, "too_large", "nodeapi: body over %d bytes", s.opts.MaxBodyBytes)
		}
		return node{}, nil, refuse(http.StatusBadRequest, "bad_request", "nodeapi: reading the body: %v", err)
	}
	now := s.opts.Now()
	addr := r.RemoteAddr
	if a := clientaddr.From(r, s.opts.TrustProxy); a.IsValid() {
		addr = a.String()
	}
	if s.creds.known(r.Header.Get(headerCredential), now) {
		// An enrolled node's credential costs no signature check: others'
		// failures from its address (a NAT, a proxy) do not hold it up.
	} else if empty, wait, tell := s.failures.Empty(addr, now); empty {
		return node{}, nil, limited(w, wait, tell, "auth_limited", "nodeapi: too many failed authentications from this address")
	}
	n, ref := s.authenticate(w, r, body, now)
	if ref != nil && ref.status == http.StatusUnauthorized {
		s.failures.Take(addr, now)
	}
	return n, body, ref
}

// authenticate runs the checks of auth.go on r, then the revoked list, the
// node's rate limit and the replay check, and returns the caller.
func (s *Service) authenticate(w http.ResponseWriter, r *http.Request, body []byte, now time.Time) (node, *refusal) {
	token := r.Header.Get(headerCredential)
	if token == "" {
		return node{}, refuse(http.StatusUnauthorized, "unauthenticated", "nodeapi: no %s header: the node API is for enrolled game nodes", headerCredential)
	}
	cred, err := s.creds.verify(token, s.pub, now)
	if err != nil {
		var claimed node // the name it claims, for the log
		if c, err := nodecred.Parse(token); err == nil {
			claimed.id = IDPrefix + c.Name
		}
		return claimed, &refusal{status: http.StatusUnauthorized, outcome: "credential_" + nodecred.Reason(err), msg: err.Error(), warn: true}
	}
	n := node{id: IDPrefix + cred.Name, cred: cred}
	if s.revoked.Load().Has(cred) {
		return n, offence("revoked", "nodeapi: the credential of node %q is revoked", cred.Name)
	}
	date, nonce, ok := signedBy(r, body, cred.Key)
	if !ok {
		return n, &refusal{status: http.StatusUnauthorized, outcome: "bad_signature", msg: "nodeapi: the request is not signed by the credential's key", warn: true}
	}
	if d := now.Sub(date); d > s.opts.ClockSkew || d < -s.opts.ClockSkew {
		return n, refuse(http.StatusUnauthorized, "stale", "nodeapi: the request's date is %v from the lobby's clock; at most %v allowed (check the node's clock)", d.Round(time.Millisecond), s.opts.ClockSkew)
	}
	if ok, wait, tell := s.limiter.Take(cred.Name, now); !ok {
		return n, limited(w, wait, tell, "rate_limited", fmt.Sprintf("nodeapi: node %q is over its %.0f requests a second", cred.Name, s.opts.Rate))
	}
	fresh, full := s.nonces.add(nonce, date.Add(s.opts.ClockSkew), now)
	switch {
	case full:
		w.Header().Set("Retry-After", "1")
		return n, refuse(http.StatusServiceUnavailable, "busy", "nodeapi: too many requests in flight at the lobby; try again shortly")
	case !fresh:
		return n, &refusal{status: http.StatusUnauthorized, outcome: "replayed", msg: "nodeapi: the request's nonce was used before", warn: true}
	}
	return n, nil
}

// limited is a 429 with Retry-After, logged at warn level only when tell
// (once in a stretch of them): a flood must not flood the log too.
func limited(w http.ResponseWriter, wait time.Duration, tell bool, outcome, msg string) *refusal {
	w.Header().Set("Retry-After", strconv.FormatInt(max(1, int64(math.Ceil(wait.Seconds()))), 10))
	return &refusal{status: http.StatusTooManyRequests, outcome: outcome, msg: msg, warn: tell}
}

// credCache remembers the credentials that verified, by token, so that
// each request of a node costs one signature check (its own), not two.
// Only the operator's credentials get in; at maxCreds it starts over.
type credCache struct {
	mu sync.Mutex
	m  map[string]nodecred.Credential
}

// known reports whether token is a credential that verified and has not
// expired.
func (c *credCache) known(token string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	cred, ok := c.m[token]
	return ok && now.Before(cred.Expires)
}

// verify is nodecred.Verify with the cache.
func (c *credCache) verify(token string, pub ed25519.PublicKey, now time.Time) (nodecred.Credential, error) {
	c.mu.Lock()
	cred, ok := c.m[token]
	c.mu.Unlock()
	if ok && now.Before(cred.Expires) {
		return cred, nil
	}
	cred, err := nodecred.Verify(token, []ed25519.PublicKey{pub}, now)
	if err != nil {
		return cred, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCreds {
		clear(c.m)
	}
	c.m[token] = cred
	c.mu.Unlock()
	return cred, nil
}

// decode reads body, strictly, into dst.
func decode(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return refuse(http.StatusBadRequest, "bad_request", "nodeapi: body: %v", err)
	}
	if dec.More() {
		return refuse(http.StatusBadRequest, "bad_request", "nodeapi: body: data after the JSON object")
	}
	return nil
}

// refused counts, logs and writes a refusal: at warn level when the node
// did what an honest one never does, else at debug level.
func (s *Service) refused(w http.ResponseWriter, r *http.Request, n node, ref *refusal) {
	s.requests.WithLabelValues(ref.outcome).Inc()
	level := slog.LevelDebug
	if ref.warn {
		level = slog.LevelWarn
	}
	s.opts.Logger.LogAttrs(r.Context(), level, "nodeapi: request refused",
		slog.String("outcome", ref.outcome), slog.Int("status", ref.status), slog.String("reason", ref.msg),
		slog.String("node", n.id), slog.String("path", r.URL.Path), slog.String("remote", r.RemoteAddr))
	writeJSON(w, ref.status, errorResponse{Error: ref.msg, Reason: ref.outcome})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// detached is a context for store work that must finish even though the
// node hung up.
func detached() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), storeTimeout)
}
