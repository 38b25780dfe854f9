// console_test.go — the console's API over real sockets, on a real stack
// (internal/testkit) with bots: off without a token (404); every API call
// refused without the token, with a wrong one, or with it in the URL's
// query (401); with it, the state shows the room and its players, and
// kick, close and drain act on the game server; a lobby's console lists
// the nodes its store records with each node's own rooms, forwards the
// actions to the node's console, shows a node that does not answer from
// its records, and never calls a community node's console. The page itself is tested in headless Chromium
// (client/browsertest).

package console_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/console"
	"skirmish/internal/testkit"
	"skirmish/lobby"
	"skirmish/lobby/nodeapi"
	pb "skirmish/proto"
)

const token = "s3cret-operator-token"

// serveConsole serves a console made with opts on a loopback port.
func serveConsole(t *testing.T, opts console.Options) string {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testkit.Quiet()
	}
	mux := http.NewServeMux()
	console.New(opts).Routes(mux)
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs.URL
}

// call makes one request with the given Authorization header ("" for
// none) and returns the status and the body.
func call(t *testing.T, method, url, auth string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func state(t *testing.T, base string) console.State {
	t.Helper()
	code, body := call(t, http.MethodGet, base+"/console/api/state", "Bearer "+token)
	if code != http.StatusOK {
		t.Fatalf("state: %d %s", code, body)
	}
	var st console.State
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("state: %v in %s", err, body)
	}
	return st
}

func join(t *testing.T, st *testkit.Stack, name string) *bots.Bot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	run, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Run(run) }()
	t.Cleanup(func() { stop(); <-done; b.Close() })
	return b
}

func TestConsoleOffWithoutToken(t *testing.T) {
	base := serveConsole(t, console.Options{Role: "serve"})
	for _, path := range []string{"/console", "/console/", "/console/api/state"} {
		if code, _ := call(t, http.MethodGet, base+path, "Bearer "); code != http.StatusNotFound {
			t.Errorf("GET %s with the console off: %d; want 404", path, code)
		}
	}
	if code, _ := call(t, http.MethodPost, base+"/console/api/nodes/x/drain", "Bearer anything"); code != http.StatusNotFound {
		t.Errorf("POST drain with the console off: %d; want 404", code)
	}
}

func TestConsoleNeedsTheToken(t *testing.T) {
	st := testkit.Start(t, nil)
	base := serveConsole(t, console.Options{Token: token, Role: "serve", Game: st.Server, Metrics: st.Metrics})
	if code, body := call(t, http.MethodGet, base+"/console", ""); code != http.StatusOK || !strings.Contains(body, "Skirmish console") {
		t.Fatalf("the page: %d; want 200 without a token (the API asks for it)", code)
	}
	for _, c := range []struct{ method, path, auth string }{
		{"GET", "/console/api/state", ""},
		{"GET", "/console/api/state", "Bearer wrong"},
		{"GET", "/console/api/state", "Bearer " + token + "x"},
		{"GET", "/console/api/state", "Basic " + token},
		{"GET", "/console/api/state", token},
		{"GET", "/console/api/state?token=" + token, ""},
		{"GET", "/console/api/state?access_token=" + token, "Bearer "},
		{"POST", "/console/api/rooms/r1/close", ""},
		{"POST", "/console/api/players/1/kick", "Bearer wrong"},
		{"POST", "/console/api/nodes/this%20process/drain", ""},
		{"GET", "/console/api/nothing", ""},
	} {
		code, body := call(t, c.method, base+c.path, c.auth)
		if code != http.StatusUnauthorized || !strings.Contains(body, "Authorization: Bearer") {
			t.Errorf("%s %s with %q: %d %s; want 401", c.method, c.path, c.auth, code, body)
		}
	}
	if code, _ := call(t, "GET", base+"/console/api/nothing", "Bearer "+token); code != http.StatusNotFound {
		t.Errorf("an unknown call with the token: %d; want 404", code)
	}
	if s := state(t, base); s.Role != "serve" || len(s.Nodes) != 1 || !s.Nodes[0].Self {
		t.Errorf("state %+v; want role serve, this process its one node", s)
	}
}

func TestConsoleActions(t *testing.T) {
	st := testkit.Start(t, nil)
	drained := make(chan struct{})
	base := serveConsole(t, console.Options{Token: token, Role: "serve", Game: st.Server, Metrics: st.Metrics, Capacity: 99,
		Drain: func() {
			go func() {
				defer close(drained)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_ = st.Server.Drain(ctx)
			}()
		}})
	ada, bob := join(t, st, "ada"), join(t, st, "bob")
	room := ada.Assignment().Room

	var s console.State
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		s = state(t, base)
		return len(s.Rooms) == 1 && s.Rooms[0].Players == 2 && s.Rooms[0].BytesOut > 0 && len(s.Players) == 2,
			"rooms " + toJSON(s.Rooms) + " players " + toJSON(s.Players)
	})
	if r := s.Rooms[0]; r.ID != room || r.Phase != "playing" || r.Node != "this process" || s.Totals.Players != 2 || s.Totals.BytesOut != r.BytesOut {
		t.Errorf("room %+v, totals %+v; want %s playing on this process, and totals that sum it", r, s.Totals, room)
	}
	if n := s.Nodes[0]; n.Players != 2 || n.Rooms != 1 || n.Capacity != 99 || n.Draining {
		t.Errorf("node %+v; want 2 players in 1 room of 99, live", n)
	}

	if code, body := call(t, "POST", base+"/console/api/players/"+ada.Assignment().PlayerID+"/kick", "Bearer "+token); code != http.StatusOK {
		t.Fatalf("kick: %d %s", code, body)
	}
	<-ada.Done()
	if k := ada.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_KICKED || k.GetMessage() != "kicked by operator" {
		t.Errorf("ada was told %v; want KICKED, kicked by operator", k)
	}
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		s = state(t, base)
		return s.Disconnects["operator"] == 1 && len(s.Recent) > 0, "disconnects " + toJSON(s.Disconnects)
	})
	if e := s.Recent[0]; e.Reason != "operator" || e.Name != "ada" || e.Node != "this process" {
		t.Errorf("latest event %+v; want ada's kick", e)
	}
	for _, c := range []struct {
		path string
		want int
	}{
		{"/console/api/players/" + ada.Assignment().PlayerID + "/kick", http.StatusNotFound},
		{"/console/api/players/ada/kick", http.StatusBadRequest},
		{"/console/api/rooms/nowhere/close", http.StatusNotFound},
		{"/console/api/nodes/elsewhere/drain", http.StatusNotFound},
	} {
		if code, body := call(t, "POST", base+c.path, "Bearer "+token); code != c.want {
			t.Errorf("POST %s: %d %s; want %d", c.path, code, body, c.want)
		}
	}
	if code, body := call(t, "POST", base+"/console/api/rooms/"+room+"/close", "Bearer "+token); code != http.StatusOK {
		t.Fatalf("close: %d %s", code, body)
	}
	<-bob.Done()
	if k := bob.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_ROOM_CLOSED || k.GetMessage() != "room closed by operator" {
		t.Errorf("bob was told %v; want ROOM_CLOSED, room closed by operator", k)
	}
	if code, body := call(t, "POST", base+"/console/api/nodes/this%20process/drain", "Bearer "+token); code != http.StatusAccepted {
		t.Fatalf("drain: %d %s", code, body)
	}
	select {
	case <-drained:
	case <-time.After(10 * time.Second):
		t.Fatal("the drain did not end")
	}
	if s = state(t, base); !s.Nodes[0].Draining || s.Totals.Draining != 1 {
		t.Errorf("nodes %+v after the drain; want this process draining", s.Nodes)
	}
	if code, body := call(t, "POST", base+"/console/api/nodes/this%20process/drain", "Bearer "+token); code != http.StatusOK || !strings.Contains(body, "already") {
		t.Errorf("drain again: %d %s; want 200, draining already", code, body)
	}
}

func TestLobbyConsoleReachesTheNodes(t *testing.T) {
	st := testkit.Start(t, nil)
	var drains atomic.Int32
	node := serveConsole(t, console.Options{Token: token, Role: "node", Node: "n1", Game: st.Server, Metrics: st.Metrics, Drain: func() { drains.Add(1) }})
	// A community node's console must never be called: it is not the
	// operator's, and would get the token.
	var called atomic.Int32
	stranger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called.Add(1)
		http.NotFound(w, r)
	}))
	t.Cleanup(stranger.Close)
	store := lobby.NewMemoryStore()
	ctx := context.Background()
	expires := time.Now().Add(time.Minute)
	for _, n := range []lobby.Node{
		{ID: "n1", URL: "ws" + strings.TrimPrefix(node, "http") + "/ws", Capacity: 50, Expires: expires},
		{ID: "n2", URL: "ws://127.0.0.1:1/ws", Capacity: 50, Expires: expires}, // nobody answers there
		{ID: nodeapi.IDPrefix + "friend", URL: "ws" + strings.TrimPrefix(stranger.URL, "http") + "/ws", Capacity: 8, Expires: expires},
	} {
		if err := store.PutNode(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	base := serveConsole(t, console.Options{Token: token, Role: "lobby", Cluster: store})
	ada := join(t, st, "ada")

	var s console.State
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		s = state(t, base)
		return len(s.Rooms) == 1 && len(s.Players) == 1, "rooms " + toJSON(s.Rooms) + " players " + toJSON(s.Players)
	})
	if len(s.Nodes) != 3 || !s.Nodes[0].Community || s.Nodes[1].ID != "n1" || s.Rooms[0].Node != "n1" || s.Players[0].Node != "n1" || s.Players[0].Name != "ada" {
		t.Errorf("nodes %s, rooms %s, players %s; want the community node, n1 and n2, ada's room on n1", toJSON(s.Nodes), toJSON(s.Rooms), toJSON(s.Players))
	}
	if len(s.Errors) != 1 || !strings.Contains(s.Errors[0], "node n2") {
		t.Errorf("errors %q; want n2's, which does not answer", s.Errors)
	}

	if code, body := call(t, "POST", base+"/console/api/players/"+ada.Assignment().PlayerID+"/kick", "Bearer "+token); code != http.StatusBadRequest {
		t.Errorf("a kick that names no node: %d %s; want 400", code, body)
	}
	if code, body := call(t, "POST", base+"/console/api/players/"+ada.Assignment().PlayerID+"/kick?node=n1", "Bearer "+token); code != http.StatusOK || !strings.Contains(body, "node n1: kicked player") {
		t.Fatalf("a kick forwarded to n1: %d %s", code, body)
	}
	<-ada.Done()
	if k := ada.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_KICKED {
		t.Errorf("ada was told %v; want KICKED", k)
	}
	for _, c := range []struct {
		path string
		want int
	}{
		{"/console/api/rooms/nowhere/close?node=n1", http.StatusNotFound}, // n1's answer, relayed
		{"/console/api/nodes/n9/drain", http.StatusNotFound},
		{"/console/api/nodes/n2/drain", http.StatusBadGateway},
		{"/console/api/nodes/n1/drain", http.StatusOK},
		{"/console/api/nodes/" + nodeapi.IDPrefix + "friend/drain", http.StatusForbidden},
		{"/console/api/players/1/kick?node=" + nodeapi.IDPrefix + "friend", http.StatusForbidden},
	} {
		if code, body := call(t, "POST", base+c.path, "Bearer "+token); code != c.want {
			t.Errorf("POST %s: %d %s; want %d", c.path, code, body, c.want)
		}
	}
	if n := called.Load(); n != 0 {
		t.Errorf("the community node's console was called %d times; want never", n)
	}
	if n := drains.Load(); n != 1 {
		t.Errorf("n1 was asked to drain %d times; want 1", n)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
