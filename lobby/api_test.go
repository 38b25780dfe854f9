// api_test.go — the fixture of the full lobby's HTTP tests: a lobby on a
// Store (store_test.go opens one of each backend) behind a real loopback
// server, with a made-up clock that tests move to expire seats and
// sessions, and helpers to log in, queue, await a seat and run a matcher
// pass. The tests are beside what they test: session_test.go,
// queue_test.go, match_test.go, private_test.go, party_test.go,
// directory_test.go, play_store_test.go, refusals_test.go,
// ratelimit_test.go and concurrency_test.go.

package lobby_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/ticket"
)

// apiEpoch is when the made-up clock of every api starts.
var apiEpoch = time.Date(2030, 1, 2, 3, 4, 5, 5e8, time.UTC)

// api is a full lobby behind a loopback HTTP server.
type api struct {
	srv      *httptest.Server
	client   *http.Client
	lobby    *lobby.Lobby
	store    lobby.Store
	clock    *clock
	verifier *ticket.Verifier
	outcomes *outcomes
}

// newAPI starts a lobby on store with rooms of four seats in mode "ffa"
// and eight in "big", a made-up clock half way through a second, and
// Observe wired to outcomes; edit may change the options.
func newAPI(t *testing.T, store lobby.Store, edit func(*lobby.Options)) *api {
	t.Helper()
	signer, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	a := &api{
		store:    store,
		clock:    &clock{now: apiEpoch},
		verifier: ticket.NewVerifier(signer.PublicKey()),
		outcomes: &outcomes{n: make(map[string]int)},
	}
	opts := lobby.Options{
		Signer:        signer,
		Store:         store,
		Logger:        slog.New(slog.DiscardHandler),
		Now:           a.clock.Now,
		Observe:       a.outcomes.observe,
		Modes:         map[string]int{"ffa": 4, "big": 8},
		MaxPartySize:  3,
		MatchInterval: 20 * time.Millisecond,
	}
	if edit != nil {
		edit(&opts)
	}
	a.lobby, err = lobby.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	a.srv = httptest.NewServer(a.lobby.Handler())
	a.client = a.srv.Client()
	t.Cleanup(func() {
		a.srv.Close()
		a.lobby.Close()
	})
	return a
}

// do sends a request with an optional bearer token and JSON body ("" for
// none) and reads the answer.
func (a *api) do(t testing.TB, method, path, token, body string) reply {
	t.Helper()
	rep, err := a.call(method, path, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// call is do for goroutines other than the test's: it returns its error.
func (a *api) call(method, path, token, body string) (reply, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// raw sends a request with any Content-Type ("" for none) and body (nil
// for none), for the tests of what the endpoints refuse.
func (a *api) raw(t testing.TB, method, path, contentType string, body io.Reader) reply {
	t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return send(t, a.client, req)
}

// play posts a JSON body to /api/play.
func (a *api) play(t testing.TB, body string) reply {
	t.Helper()
	return a.do(t, http.MethodPost, "/api/play", "", body)
}

// player is a logged-in guest.
type player struct {
	Token    string `json:"token"`
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	Expires  int64  `json:"expires_in"`
}

func (p player) id(t testing.TB) uint64 {
	t.Helper()
	id, err := strconv.ParseUint(p.PlayerID, 10, 64)
	if err != nil || id == 0 {
		t.Fatalf("player_id %q is not a non-zero decimal uint64", p.PlayerID)
	}
	return id
}

func (a *api) login(t testing.TB, name string) player {
	t.Helper()
	return decodeAs[player](t, a.do(t, http.MethodPost, "/api/login", "", `{"name":"`+name+`"}`), http.StatusOK)
}

// decodeAs checks rep's status and decodes its body strictly: an answer
// with a field the test does not know fails.
func decodeAs[T any](t testing.TB, rep reply, status int) T {
	t.Helper()
	var v T
	if rep.status != status {
		t.Fatalf("status %d (%s); want %d", rep.status, rep.body, status)
	}
	dec := json.NewDecoder(strings.NewReader(string(rep.body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("body %s: %v", rep.body, err)
	}
	return v
}

// wantRefusal checks an error answer's status and that its reason says want.
func wantRefusal(t testing.TB, what string, rep reply, status int, want string) {
	t.Helper()
	if rep.status != status {
		t.Errorf("%s: status %d (%s); want %d", what, rep.status, rep.body, status)
		return
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rep.body, &e); err != nil || !strings.Contains(e.Error, want) {
		t.Errorf("%s: reason %q; want it to say %q", what, rep.body, want)
	}
}

// assigned is the answer that hands out a seat.
type assigned struct {
	Status    string `json:"status"`
	Ticket    string `json:"ticket"`
	WSURL     string `json:"ws_url"`
	Room      string `json:"room"`
	PlayerID  string `json:"player_id"`
	ExpiresIn int64  `json:"expires_in"`
}

type queued struct {
	Status  string `json:"status"`
	Mode    string `json:"mode"`
	Players int    `json:"players"`
	Waited  int64  `json:"waited"`
}

// await long-polls until p is assigned a seat and returns it, checking
// that its ticket is valid for p in that room until the seat expires.
func (a *api) await(t testing.TB, p player) assigned {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		rep := a.do(t, http.MethodGet, "/api/queue?wait=5", p.Token, "")
		if strings.Contains(string(rep.body), `"queued"`) {
			continue
		}
		as := decodeAs[assigned](t, rep, http.StatusOK)
		tk, err := a.verifier.Verify(as.Ticket, a.clock.Now())
		if err != nil || as.Status != "assigned" || tk.Room != as.Room || tk.Name != p.Name || strconv.FormatUint(tk.PlayerID, 10) != p.PlayerID || as.PlayerID != p.PlayerID {
			t.Fatalf("assignment %+v, ticket %+v, %v; want a valid ticket for %+v", as, tk, err, p)
		}
		return as
	}
	t.Fatalf("%s was not assigned within 20 s", p.Name)
	return assigned{}
}

func (a *api) queue(t testing.TB, p player, body string) queued {
	t.Helper()
	return decodeAs[queued](t, a.do(t, http.MethodPost, "/api/queue", p.Token, body), http.StatusAccepted)
}

// pass runs one matcher pass.
func (a *api) pass(t testing.TB) int {
	t.Helper()
	n, err := a.lobby.MatchPass(bg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (a *api) rooms(t testing.TB) map[string]lobby.Room {
	t.Helper()
	rooms, err := a.store.Rooms(bg, a.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]lobby.Room)
	for _, r := range rooms {
		m[r.ID] = r
	}
	return m
}
