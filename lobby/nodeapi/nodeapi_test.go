package nodeapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"skirmish/internal/redistest"
	"skirmish/internal/testkit"
	"skirmish/lobby"
	"skirmish/lobby/nodeapi"
	"skirmish/nodecred"
	"skirmish/ticket"
)

// lobbySide is a node API Service on a real redis-server, served on a
// loopback port, with its log and metrics at hand.
type lobbySide struct {
	store    lobby.Store
	operator ed25519.PrivateKey
	svc      *nodeapi.Service
	url      string
	reg      *prometheus.Registry
	log      *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startLobbySide(t *testing.T, edit func(*nodeapi.Options)) *lobbySide {
	t.Helper()
	srv := redistest.Start(t)
	opts, err := redis.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	t.Cleanup(func() { rc.Close() })
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	l := &lobbySide{store: lobby.NewRedisStore(rc, lobby.RedisOptions{}), operator: priv, reg: prometheus.NewRegistry(), log: &lockedBuffer{}}
	o := nodeapi.Options{Store: l.store, Key: priv, Registerer: l.reg, Logger: slog.New(slog.NewTextHandler(l.log, nil))}
	if edit != nil {
		edit(&o)
	}
	l.svc, err = nodeapi.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.svc.Close)
	mux := http.NewServeMux()
	mux.Handle("/node/", l.svc.Handler())
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	l.url = hs.URL
	// A lobby publishes its ticket key, as lobby.Lobby does with Nodes.
	signer := ticket.NewSigner(priv)
	if err := l.store.PutKey(context.Background(), ticket.EncodeKey(signer.PublicKey()), time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return l
}

// credential issues a credential file for name, signed by key.
func credential(t *testing.T, key ed25519.PrivateKey, name string, capacity int, valid time.Duration, weight float64) nodecred.File {
	t.Helper()
	raw, _, err := nodecred.New(key, name, capacity, valid, weight, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f, err := nodecred.Unmarshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (l *lobbySide) client(t *testing.T, f nodecred.File, edit func(*nodeapi.ClientOptions)) *nodeapi.Client {
	t.Helper()
	o := nodeapi.ClientOptions{
		Lobby: l.url, File: f, URL: "ws://127.0.0.1:7999/ws", Load: func() lobby.HostLoad { return lobby.HostLoad{} },
		Heartbeat: 100 * time.Millisecond, Logger: testkit.Quiet(),
	}
	if edit != nil {
		edit(&o)
	}
	c, err := nodeapi.NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (l *lobbySide) metric(outcome string) float64 {
	return testkit.Value(testkit.Gather(l.reg), `skirmish_nodeapi_requests_total{outcome="`+outcome+`"}`)
}

// reserve opens room on node with a reservation for each player.
func (l *lobbySide) reserve(t *testing.T, room, node string, players ...uint64) {
	t.Helper()
	members := make([]lobby.Member, len(players))
	for i, p := range players {
		members[i] = lobby.Member{ID: p, Rating: 1500}
	}
	errs, err := l.store.Reserve(context.Background(), time.Now(), []lobby.Reservation{{
		Room:   lobby.Room{ID: room, Mode: "ffa", Capacity: 16, Node: node},
		Create: true, Members: members, Until: time.Now().Add(time.Minute),
	}})
	if err != nil || errs[0] != nil {
		t.Fatalf("reserve %s on %s: %v %v", room, node, err, errs)
	}
}

func (l *lobbySide) live(t *testing.T) map[string]lobby.Node {
	t.Helper()
	nodes, err := l.store.Nodes(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]lobby.Node{}
	for _, n := range nodes {
		m[n.ID] = n
	}
	return m
}

func refusedWith(t *testing.T, err error, status int, reason string) {
	t.Helper()
	var e *nodeapi.Error
	if !errors.As(err, &e) || e.Status != status || e.Reason != reason {
		t.Fatalf("err %v; want a refusal %d %s", err, status, reason)
	}
}

var bg = context.Background()

func TestCommunityNodeEnrolsClaimsAndReports(t *testing.T) {
	l := startLobbySide(t, nil)
	c := l.client(t, credential(t, l.operator, "game7", 32, time.Hour, 0.5), nil)
	if err := c.Start(bg); err != nil {
		t.Fatal(err)
	}
	n, ok := l.live(t)["c:game7"]
	if !ok || n.URL != "ws://127.0.0.1:7999/ws" || n.Capacity != 32 {
		t.Fatalf("live nodes %+v; want c:game7 at its URL with capacity 32", l.live(t))
	}
	if c.Verifier().Keys() != 1 {
		t.Fatalf("verifier has %d keys; want the lobby's one", c.Verifier().Keys())
	}
	l.reserve(t, "r1", "c:game7", 11, 12)
	// Heartbeats keep it live, and carry draining.
	c.Drain()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		return l.live(t)["c:game7"].Draining, "c:game7 draining in the store"
	})
	for _, p := range []uint64{11, 12} {
		if err := c.Claim(bg, "r1", p); err != nil {
			t.Fatalf("claim %d: %v", p, err)
		}
	}
	if s, err := l.store.Seat(bg, 11, time.Now()); err != nil || !s.Connected || s.Node != "c:game7" {
		t.Fatalf("seat of 11: %+v %v; want connected on c:game7", s, err)
	}
	c.MatchStarted("r1", time.Now().Add(90*time.Second))
	rooms, err := l.store.Rooms(bg, time.Now())
	if err != nil || len(rooms) != 1 || time.Until(rooms[0].MatchEnds) < 80*time.Second {
		t.Fatalf("rooms after the match started: %+v %v; want r1's match ending in about 90 s", rooms, err)
	}
	// Player 12 leaves as the match ends: the result still counts, by its receipt.
	if err := c.Release(bg, "r1", 12); err != nil {
		t.Fatal(err)
	}
	c.MatchEnded("r1", []ticket.MatchResult{{PlayerID: 11, Kills: 5}, {PlayerID: 12, Deaths: 5}})
	ratings, err := l.store.Ratings(bg, []uint64{11, 12})
	if err != nil {
		t.Fatal(err)
	}
	// A full-weight win from a new rating moves R by about 160 points
	// here; at weight 0.5 about half of that.
	win, loss := ratings[11].R-1500, 1500-ratings[12].R
	if win < 40 || win > 120 || loss < 40 || loss > 120 {
		t.Fatalf("ratings after a match at weight 0.5: %+v; want each moved about 80 points", ratings)
	}
	if err := c.Leave(bg); err != nil {
		t.Fatal(err)
	}
	if _, ok := l.live(t)["c:game7"]; ok {
		t.Fatal("c:game7 still live after Leave")
	}
	if _, err := l.store.Seat(bg, 11, time.Now()); !errors.Is(err, lobby.ErrNotFound) {
		t.Fatalf("seat of 11 after the node left: %v; want none", err)
	}
	if l.metric("ok") < 6 {
		t.Fatalf("ok requests counted: %v", l.metric("ok"))
	}
}

func TestIgnoredRatingsChangeNothing(t *testing.T) {
	l := startLobbySide(t, nil)
	c := l.client(t, credential(t, l.operator, "game8", 8, time.Hour, 0), nil)
	if err := c.Start(bg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Leave(bg) })
	l.reserve(t, "r1", "c:game8", 21, 22)
	for _, p := range []uint64{21, 22} {
		if err := c.Claim(bg, "r1", p); err != nil {
			t.Fatal(err)
		}
	}
	c.MatchEnded("r1", []ticket.MatchResult{{PlayerID: 21, Kills: 9}, {PlayerID: 22}})
	if ratings, err := l.store.Ratings(bg, []uint64{21, 22}); err != nil || len(ratings) != 0 {
		t.Fatalf("ratings %v %v after a match on a node whose ratings are ignored; want none", ratings, err)
	}
	if l.metric("ok") < 4 {
		t.Fatal("the report was not taken")
	}
}

func TestBadCredentialsAreRefused(t *testing.T) {
	revoked := filepath.Join(t.TempDir(), "revoked")
	if err := os.WriteFile(revoked, []byte("# none yet\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := startLobbySide(t, func(o *nodeapi.Options) { o.RevokedFile, o.RevokedReload = revoked, 50*time.Millisecond })
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)

	forged := l.client(t, credential(t, stranger, "game7", 8, time.Hour, 1), nil)
	refusedWith(t, forged.Start(bg), http.StatusUnauthorized, "credential_forged")

	// Valid for a second (to the whole second): refused once it lapses.
	expiring := credential(t, l.operator, "game7", 8, time.Second, 1)
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		err := l.client(t, expiring, func(o *nodeapi.ClientOptions) { o.Heartbeat = time.Hour }).Start(bg)
		var e *nodeapi.Error
		return errors.As(err, &e) && e.Reason == "credential_expired", "refused as expired: " + errString(err)
	})

	// A key that is not the credential's signs: the credential alone, copied, is no use.
	good := credential(t, l.operator, "game9", 8, time.Hour, 1)
	_, thief, _ := ed25519.GenerateKey(rand.Reader)
	copied := good
	copied.Key = thief
	refusedWith(t, l.client(t, copied, nil).Start(bg), http.StatusUnauthorized, "bad_signature")

	// Revoked by name while it runs: out of rotation with its rooms, then refused.
	c := l.client(t, good, nil)
	if err := c.Start(bg); err != nil {
		t.Fatal(err)
	}
	l.reserve(t, "r1", "c:game9", 31)
	if err := c.Claim(bg, "r1", 31); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(revoked, []byte("game9 # cheated\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		_, live := l.live(t)["c:game9"]
		return !live, "c:game9 out of rotation"
	})
	if _, err := l.store.Seat(bg, 31, time.Now()); !errors.Is(err, lobby.ErrNotFound) {
		t.Fatalf("seat in the revoked node's room: %v; want freed", err)
	}
	refusedWith(t, c.Start(bg), http.StatusForbidden, "revoked")
	for _, o := range []string{"credential_forged", "credential_expired", "bad_signature", "revoked"} {
		if l.metric(o) < 1 {
			t.Errorf("outcome %s not counted", o)
		}
	}
	if !strings.Contains(l.log.String(), "revoked node taken out of rotation") || !strings.Contains(l.log.String(), "outcome=credential_forged") {
		t.Errorf("log lacks the refusals:\n%s", l.log.String())
	}
	_ = c.Leave(bg)
}

func errString(err error) string {
	if err == nil {
		return "accepted"
	}
	return err.Error()
}

func TestClaimsOutsideItsRoomsAreRefused(t *testing.T) {
	l := startLobbySide(t, nil)
	c := l.client(t, credential(t, l.operator, "game7", 8, time.Hour, 1), nil)
	if err := c.Start(bg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Leave(bg) })
	// An operator's node n1 hosts r1, with player 41 connected.
	if err := l.store.PutNode(bg, lobby.Node{ID: "n1", URL: "ws://127.0.0.1:7001/ws", Capacity: 64, Expires: time.Now().Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	l.reserve(t, "r1", "n1", 41, 42)
	refusedWith(t, c.Claim(bg, "r1", 42), http.StatusForbidden, "wrong_node")
	if err := l.store.Claim(bg, "r1", "n1", 41, time.Now()); err != nil {
		t.Fatal(err)
	}
	refusedWith(t, c.Release(bg, "r1", 41), http.StatusForbidden, "wrong_node")
	if s, err := l.store.Seat(bg, 41, time.Now()); err != nil || !s.Connected {
		t.Fatalf("seat of 41 after the community node tried to free it: %+v %v", s, err)
	}
	refusedWith(t, c.Post(bg, "/node/v1/match-start", map[string]any{"room": "r1", "ends_in_ms": 1000}, &struct{}{}), http.StatusForbidden, "wrong_node")

	// Results: for a player it never had (no receipt, or another's).
	l.reserve(t, "r2", "c:game7", 43)
	if err := c.Claim(bg, "r2", 43); err != nil {
		t.Fatal(err)
	}
	for _, res := range []map[string]any{
		{"player": 41, "kills": 30, "deaths": 0, "receipt": ""},
		{"player": 41, "kills": 30, "deaths": 0, "receipt": strings.Repeat("A", 96)},
	} {
		err := c.Post(bg, "/node/v1/match-end", map[string]any{"room": "r2", "results": []any{res}}, &struct{}{})
		refusedWith(t, err, http.StatusForbidden, "foreign_result")
	}
	if r, _ := l.store.Ratings(bg, []uint64{41}); len(r) != 0 {
		t.Fatalf("player 41 rated from a node that never had them: %v", r)
	}
	if got := l.metric("wrong_node"); got != 3 {
		t.Errorf("wrong_node refusals counted %v; want 3", got)
	}
	if got := l.metric("foreign_result"); got != 2 {
		t.Errorf("foreign_result refusals counted %v; want 2", got)
	}
	log := l.log.String()
	if !strings.Contains(log, "level=WARN") || !strings.Contains(log, "outcome=wrong_node") || !strings.Contains(log, "outcome=foreign_result") {
		t.Errorf("log lacks the refusals as warnings:\n%s", log)
	}
	// Over its credential's capacity: refused at New on the node, and by the lobby.
	if _, err := nodeapi.NewClient(nodeapi.ClientOptions{Lobby: l.url, File: credential(t, l.operator, "x", 8, time.Hour, 1),
		URL: "ws://127.0.0.1:1/ws", Load: func() lobby.HostLoad { return lobby.HostLoad{} }, Capacity: 9}); err == nil {
		t.Error("a Client over its credential's capacity was made")
	}
	err := c.Post(bg, "/node/v1/heartbeat", map[string]any{"url": "ws://127.0.0.1:7999/ws", "capacity": 9}, &struct{}{})
	refusedWith(t, err, http.StatusForbidden, "over_capacity")
}

func TestFloodIsLimited(t *testing.T) {
	// The lobby's clock stands still: no token refills, however long the
	// requests take.
	frozen := time.Now()
	l := startLobbySide(t, func(o *nodeapi.Options) {
		o.Rate, o.Burst = 5, 10
		o.Now = func() time.Time { return frozen }
	})
	c := l.client(t, credential(t, l.operator, "game7", 8, time.Hour, 1), func(o *nodeapi.ClientOptions) { o.Heartbeat = time.Hour })
	if err := c.Start(bg); err != nil {
		t.Fatal(err)
	}
	limited := 0
	for range 30 {
		err := c.Post(bg, "/node/v1/heartbeat", map[string]any{"url": "ws://127.0.0.1:7999/ws", "capacity": 8}, &struct{}{})
		var e *nodeapi.Error
		switch {
		case err == nil:
		case errors.As(err, &e) && e.Status == http.StatusTooManyRequests:
			limited++
		default:
			t.Fatal(err)
		}
	}
	// 10 at once: of 30 sent, all but what is left of the burst (the
	// registration took one) are refused.
	if want := 30 - 9; limited != want || l.metric("rate_limited") != float64(limited) {
		t.Fatalf("%d of 30 limited (%v counted); want %d", limited, l.metric("rate_limited"), want)
	}
	// Another node's budget is its own.
	other := l.client(t, credential(t, l.operator, "game8", 8, time.Hour, 1), nil)
	if err := other.Start(bg); err != nil {
		t.Fatalf("another node, while game7 floods: %v", err)
	}
	_ = other.Leave(bg)
}

func TestForgedFloodIsLimited(t *testing.T) {
	frozen := time.Now() // the lobby's clock: nothing refills
	l := startLobbySide(t, func(o *nodeapi.Options) { o.Now = func() time.Time { return frozen } })
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	forged := l.client(t, credential(t, stranger, "game7", 8, time.Hour, 1), nil)
	good := l.client(t, credential(t, l.operator, "game8", 8, time.Hour, 1), func(o *nodeapi.ClientOptions) { o.Heartbeat = time.Hour })
	if err := good.Start(bg); err != nil {
		t.Fatal(err)
	}
	unauthorized, limited := 0, 0
	for range 60 {
		var e *nodeapi.Error
		if err := forged.Start(bg); !errors.As(err, &e) {
			t.Fatalf("a forged credential: %v", err)
		}
		switch e.Status {
		case http.StatusUnauthorized:
			unauthorized++
		case http.StatusTooManyRequests:
			limited++
		}
	}
	// 20 failures at once, then refused before any signature check.
	if unauthorized != 20 || limited != 40 || l.metric("auth_limited") != float64(limited) {
		t.Fatalf("%d refused as forged, %d limited (%v counted); want 20 forged and the other 40 limited", unauthorized, limited, l.metric("auth_limited"))
	}
	if warned := strings.Count(l.log.String(), "level=WARN msg=\"nodeapi: request refused\" outcome=auth_limited"); warned != 1 {
		t.Errorf("%d warnings of the limit in the log; want 1 for the stretch", warned)
	}
	// An enrolled node at the same address (a NAT, a proxy) is not held up.
	if err := good.Post(bg, "/node/v1/heartbeat", map[string]any{"url": "ws://127.0.0.1:7999/ws", "capacity": 8}, &struct{}{}); err != nil {
		t.Fatalf("an enrolled node at the flooding address: %v", err)
	}
	_ = good.Leave(bg)
}

func TestNotTheNodeAPI(t *testing.T) {
	l := startLobbySide(t, nil)
	c := l.client(t, credential(t, l.operator, "game7", 8, time.Hour, 1), func(o *nodeapi.ClientOptions) { o.Lobby = l.url + "/elsewhere" })
	err := c.Start(bg)
	refusedWith(t, err, http.StatusNotFound, "not_node_api")
	if !strings.Contains(err.Error(), "--key") {
		t.Fatalf("the refusal does not say what to check: %v", err)
	}
}

func TestReplayedAndUnsignedRequestsAreRefused(t *testing.T) {
	l := startLobbySide(t, nil)
	f := credential(t, l.operator, "game7", 8, time.Hour, 1)
	// Capture what the Client sends, then send it again.
	var captured *http.Request
	var body []byte
	capture := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		b, _ := readAll(r)
		captured, body = r.Clone(bg), b
		r.Body = nopCloser(b)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := l.client(t, f, func(o *nodeapi.ClientOptions) { o.HTTP = capture; o.Heartbeat = time.Hour })
	if err := c.Start(bg); err != nil {
		t.Fatal(err)
	}
	captured.Body = nopCloser(body)
	captured.RequestURI = ""
	resp, err := http.DefaultClient.Do(captured)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || l.metric("replayed") != 1 {
		t.Fatalf("replayed request: %s, %v counted; want 401 replayed", resp.Status, l.metric("replayed"))
	}
	// No credential at all.
	resp, err = http.Post(l.url+"/node/v1/heartbeat", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned request: %s; want 401", resp.Status)
	}
	// The same signed headers over another body.
	captured.Body = nopCloser([]byte(`{"url":"ws://evil.example/ws","capacity":8,"players":0,"rooms":0,"draining":false}`))
	captured.ContentLength = -1
	resp, err = http.DefaultClient.Do(captured)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || l.metric("bad_signature") != 1 {
		t.Fatalf("a signed request with its body changed: %s; want 401 bad_signature", resp.Status)
	}
	_ = c.Leave(bg)
}

// A community node holds a dropped player's seat through the lobby, for
// them to claim again, but only in its own rooms and not for ever.
func TestCommunityNodeHoldsADroppedSeat(t *testing.T) {
	l := startLobbySide(t, nil)
	c := l.client(t, credential(t, l.operator, "game7", 8, time.Hour, 1), nil)
	if err := c.Start(bg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Leave(bg) })
	l.reserve(t, "r1", "c:game7", 21)
	if err := c.Claim(bg, "r1", 21); err != nil {
		t.Fatal(err)
	}
	if err := c.Hold(bg, "r1", 21, time.Now().Add(30*time.Second)); err != nil {
		t.Fatalf("hold: %v", err)
	}
	if s, err := l.store.Seat(bg, 21, time.Now()); err != nil || s.Connected || s.Room != "r1" {
		t.Fatalf("seat of 21 while held: %+v %v; want a reservation in r1", s, err)
	}
	if err := c.Claim(bg, "r1", 21); err != nil {
		t.Fatalf("claim after the hold: %v", err)
	}
	refusedWith(t, c.Hold(bg, "r1", 21, time.Now().Add(time.Hour)), http.StatusBadRequest, "bad_request")
	refusedWith(t, c.Hold(bg, "r1", 22, time.Now().Add(time.Second)), http.StatusConflict, "no_seat")

	if err := l.store.PutNode(bg, lobby.Node{ID: "n1", URL: "ws://127.0.0.1:7001/ws", Capacity: 64, Expires: time.Now().Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	l.reserve(t, "r9", "n1", 31)
	if err := l.store.Claim(bg, "r9", "n1", 31, time.Now()); err != nil {
		t.Fatal(err)
	}
	refusedWith(t, c.Hold(bg, "r9", 31, time.Now().Add(time.Second)), http.StatusForbidden, "wrong_node")
	if s, err := l.store.Seat(bg, 31, time.Now()); err != nil || !s.Connected {
		t.Fatalf("seat of 31 after another node tried to hold it: %+v %v", s, err)
	}
}

// Behind a trusted proxy the limit on failed authentications is per
// forwarded address: one address's failures do not hold up another's.
func TestFailedAuthLimitTrustsOnlyTheProxy(t *testing.T) {
	l := startLobbySide(t, func(o *nodeapi.Options) { o.TrustProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	post := func(from string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, l.url+"/node/v1/heartbeat", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Forwarded-For", from)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	limited := false
	for range 60 {
		if post("203.0.113.7") == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("60 unsigned requests from 203.0.113.7 were never limited")
	}
	if code := post("203.0.113.8"); code != http.StatusUnauthorized {
		t.Fatalf("an unsigned request from another forwarded address: %d; want 401, not held up by 203.0.113.7's failures", code)
	}
}
