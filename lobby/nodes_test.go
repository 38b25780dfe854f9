// nodes_test.go — placement on game nodes (nodes.go) and the nodes' side
// (host.go), on each Store backend with a made-up clock: new rooms go to
// the least-loaded node, never to a draining one or past a node's
// capacity; tickets send players to their room's node, whose Host claims
// only its own rooms and verifies with the keys the lobby published; a
// node that stops beating takes its rooms with it and its players queue
// again.

package lobby_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"skirmish/internal/redistest"
	"skirmish/internal/testkit"
	"skirmish/lobby"
	"skirmish/ticket"
)

// startHost registers a node on the api's store with a fast heartbeat.
func startHost(t *testing.T, a *api, id string, capacity int) *lobby.Host {
	t.Helper()
	h, err := lobby.NewHost(lobby.HostOptions{
		Store: a.store, ID: id, URL: "ws://" + id + ".test:7000/ws", Capacity: capacity,
		Load:      func() lobby.HostLoad { return lobby.HostLoad{} },
		Heartbeat: 20 * time.Millisecond, KeyRefresh: 20 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), Now: a.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(bg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Leave(context.Background()) })
	return h
}

// waitNodes waits until the store lists the nodes with the given ids as
// live now, draining as given, and nothing else.
func waitNodes(t *testing.T, a *api, want map[string]bool) {
	t.Helper()
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		nodes, err := a.store.Nodes(bg, a.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		ok := len(nodes) == len(want)
		for _, n := range nodes {
			if d, in := want[n.ID]; !in || d != n.Draining {
				ok = false
			}
		}
		return ok, fmt.Sprintf("nodes %+v; want %v (id → draining)", nodes, want)
	})
}

func nodeAPI(t *testing.T, s lobby.Store) *api {
	return newAPI(t, s, func(o *lobby.Options) {
		o.Nodes = true
		o.PlayWait = 300 * time.Millisecond
	})
}

func TestNodesPlacement(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := nodeAPI(t, s) // ffa rooms of 4
		hosts := map[string]*lobby.Host{}
		for _, id := range []string{"a", "b", "c"} {
			hosts[id] = startHost(t, a, id, 8) // two rooms of 4 each
		}
		// Twelve players one after another: rooms fill in turn, each new
		// one on the least-loaded node.
		nodeOf := map[string]string{}
		for i := range 12 {
			p := a.login(t, "P"+strconv.Itoa(i))
			a.queue(t, p, "")
			as := a.await(t, p)
			r := a.rooms(t)[as.Room]
			if want := "ws://" + r.Node + ".test:7000/ws"; r.Node == "" || as.WSURL != want {
				t.Fatalf("P%d in %s on node %q with ws_url %q; want its node's URL %q", i, as.Room, r.Node, as.WSURL, want)
			}
			if prev, ok := nodeOf[as.Room]; ok && prev != r.Node {
				t.Fatalf("room %s moved from node %s to %s", as.Room, prev, r.Node)
			}
			nodeOf[as.Room] = r.Node
			// Only the room's node claims the seat.
			for id, h := range hosts {
				err := h.Claim(bg, as.Room, p.id(t))
				switch {
				case id == r.Node && err != nil:
					t.Fatalf("node %s claiming its own room: %v", id, err)
				case id != r.Node && !errors.Is(err, lobby.ErrWrongNode):
					t.Fatalf("node %s claiming room %s of node %s: %v; want ErrWrongNode", id, as.Room, r.Node, err)
				}
			}
		}
		perNode := map[string]int{}
		for _, n := range nodeOf {
			perNode[n]++
		}
		if len(nodeOf) != 3 || perNode["a"] != 1 || perNode["b"] != 1 || perNode["c"] != 1 {
			t.Fatalf("rooms on nodes %v; want one full room on each of a, b, c", nodeOf)
		}

		// b drains: no new room and no new player goes there.
		hosts["b"].Drain()
		waitNodes(t, a, map[string]bool{"a": false, "b": true, "c": false})
		for i := range 8 {
			p := a.login(t, "Q"+strconv.Itoa(i))
			a.queue(t, p, "")
			r := a.rooms(t)[a.await(t, p).Room]
			if r.Node == "b" {
				t.Fatalf("Q%d placed on draining node b (room %s)", i, r.ID)
			}
		}
		// a and c are now full (two rooms of 4 each): the next player
		// waits, and quick play says so.
		rep := a.do(t, http.MethodPost, "/api/play", "", `{"name":"Late"}`)
		wantRefusal(t, "play with every node full or draining", rep, http.StatusServiceUnavailable, "no seat")
		rep = a.do(t, http.MethodPost, "/api/rooms", a.login(t, "Host").Token, `{}`)
		wantRefusal(t, "private room with every node full", rep, http.StatusServiceUnavailable, "no game server")
	})
}

func TestNodesLapseAndLeave(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := nodeAPI(t, s)
		a.pass(t) // before any node: nothing to do, and no error
		live := startHost(t, a, "live", 64)
		// "dead" beats once, by hand, and never again.
		if err := s.PutNode(bg, lobby.Node{ID: "dead", URL: "ws://dead.test/ws", Capacity: 64, Expires: a.clock.Now().Add(5 * time.Second)}); err != nil {
			t.Fatal(err)
		}
		// With equal load, "dead" comes first by name.
		p := a.login(t, "Doomed")
		a.queue(t, p, "")
		as := a.await(t, p)
		if r := a.rooms(t)[as.Room]; r.Node != "dead" || as.WSURL != "ws://dead.test/ws" {
			t.Fatalf("first room %+v at %s; want on node dead", r, as.WSURL)
		}
		// Its heartbeat lapses: the next pass frees the room's seats, and
		// the player queues again onto the live node.
		a.clock.Advance(5 * time.Second)
		waitNodes(t, a, map[string]bool{"live": false})
		a.pass(t)
		if _, ok := a.rooms(t)[as.Room]; ok {
			t.Fatalf("room %s of a lapsed node still listed", as.Room)
		}
		a.queue(t, p, "")
		again := a.await(t, p)
		if r := a.rooms(t)[again.Room]; r.Node != "live" || again.Room == as.Room {
			t.Fatalf("requeued into %+v; want a new room on node live", r)
		}
		// The live node leaves (drained): its rooms go at once.
		if err := live.Leave(bg); err != nil {
			t.Fatal(err)
		}
		if rooms := a.rooms(t); len(rooms) != 0 {
			t.Fatalf("rooms after the last node left: %v", rooms)
		}
	})
}

func TestNodesVerifyPublishedKeys(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := nodeAPI(t, s)
		h := startHost(t, a, "n1", 64)
		// The lobby publishes at start; the host reads every 20 ms.
		testkit.WaitUntil(t, 10*time.Second, func() (bool, string) { return h.Verifier().Keys() > 0, "the host to read the lobby's published key" })
		p := a.login(t, "Kay")
		a.queue(t, p, "")
		as := a.await(t, p)
		if tk, err := h.Verifier().Redeem(as.Ticket, a.clock.Now()); err != nil || tk.Room != as.Room {
			t.Fatalf("the node redeemed the lobby's ticket: %+v, %v", tk, err)
		}
		// A node pinned to another key refuses the lobby's tickets.
		other, err := ticket.GenerateSigner()
		if err != nil {
			t.Fatal(err)
		}
		pinned, err := lobby.NewHost(lobby.HostOptions{Store: s, ID: "n2", URL: "ws://n2/ws", Load: func() lobby.HostLoad { return lobby.HostLoad{} },
			Keys: []ed25519.PublicKey{other.PublicKey()}, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pinned.Verifier().Verify(as.Ticket, a.clock.Now()); !errors.Is(err, ticket.ErrForged) {
			t.Fatalf("a node pinned to another key verified the ticket: %v", err)
		}
	})
}

func TestHostOptions(t *testing.T) {
	store := lobby.NewMemoryStore()
	load := func() lobby.HostLoad { return lobby.HostLoad{} }
	for name, o := range map[string]lobby.HostOptions{
		"no store":      {ID: "n", URL: "ws://n/ws", Load: load},
		"no id":         {Store: store, URL: "ws://n/ws", Load: load},
		"id with space": {Store: store, ID: "a b", URL: "ws://n/ws", Load: load},
		"no url":        {Store: store, ID: "n", Load: load},
		"no load":       {Store: store, ID: "n", URL: "ws://n/ws"},
		"short ttl":     {Store: store, ID: "n", URL: "ws://n/ws", Load: load, Heartbeat: time.Second, HeartbeatTTL: time.Second},
	} {
		if _, err := lobby.NewHost(o); err == nil {
			t.Errorf("%s: NewHost accepted %+v", name, o)
		}
	}
	for field, o := range map[string]lobby.HostOptions{
		"Capacity":   {Store: store, ID: "n", URL: "ws://n/ws", Load: load, Capacity: -1},
		"Heartbeat":  {Store: store, ID: "n", URL: "ws://n/ws", Load: load, Heartbeat: -time.Second},
		"KeyRefresh": {Store: store, ID: "n", URL: "ws://n/ws", Load: load, KeyRefresh: -time.Second},
	} {
		if _, err := lobby.NewHost(o); err == nil || !strings.HasPrefix(err.Error(), "lobby: HostOptions."+field+" is -1") {
			t.Errorf("negative %s: NewHost said %v; want an error naming the field and its value", field, err)
		}
	}
	if _, err := lobby.New(lobby.Options{Signer: mustSigner(t), Nodes: true}); err == nil {
		t.Error("lobby.New accepted Nodes without a Store")
	}
}

func mustSigner(t *testing.T) *ticket.Signer {
	t.Helper()
	s, err := ticket.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHostRestartFreesItsOldRooms(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		a := nodeAPI(t, s)
		startHost(t, a, "n1", 64)
		p := a.login(t, "Phoenix")
		a.queue(t, p, "")
		as := a.await(t, p)
		// The node process dies and a new one of the same name starts
		// before the old heartbeat lapsed: it hosts nothing yet, so the
		// old room and its seat go.
		h, err := lobby.NewHost(lobby.HostOptions{Store: s, ID: "n1", URL: "ws://n1.test:7000/ws",
			Load: func() lobby.HostLoad { return lobby.HostLoad{} }, Logger: slog.New(slog.DiscardHandler), Now: a.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Start(bg); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = h.Leave(context.Background()) })
		if _, ok := a.rooms(t)[as.Room]; ok {
			t.Fatalf("room %s of the node's earlier process is still in the store", as.Room)
		}
		a.queue(t, p, "") // the player is free to queue again
		if again := a.await(t, p); again.Room == as.Room {
			t.Fatalf("seated again in the old room %s", as.Room)
		}
	})
}

func TestRedisRoomIDsSurviveDataLoss(t *testing.T) {
	srv := redistest.Start(t)
	c := newRedisClient(t, srv)
	s := lobby.NewRedisStore(c, lobby.RedisOptions{})
	seen := map[string]bool{}
	var last int64
	for range 3 {
		id, err := s.NewRoomID(bg)
		if err != nil {
			t.Fatal(err)
		}
		seen[id] = true
		if last, err = strconv.ParseInt(strings.TrimPrefix(id, "r"), 36, 64); err != nil {
			t.Fatalf("room id %q: %v", id, err)
		}
	}
	if err := c.FlushAll(bg).Err(); err != nil { // what a restart without persistence does
		t.Fatal(err)
	}
	// The counter starts again from the clock in ms: as in production, the
	// clock has moved past the last id handed out (a few ms here).
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) { return time.Now().UnixMilli() > last, "the clock to pass the last room id" })
	for range 3 {
		id, err := s.NewRoomID(bg)
		if err != nil {
			t.Fatal(err)
		}
		if seen[id] {
			t.Fatalf("room id %s handed out again after Redis lost its data", id)
		}
	}
}

// flakyStore fails every call while down is set: a store that cannot be
// reached.
type flakyStore struct {
	lobby.Store
	down atomic.Bool
}

var errUnreachable = errors.New("store unreachable")

func (f *flakyStore) Lead(ctx context.Context, owner string, now time.Time, ttl time.Duration) (bool, error) {
	if f.down.Load() {
		return false, errUnreachable
	}
	return f.Store.Lead(ctx, owner, now, ttl)
}

func TestNodesSurviveAStoreOutage(t *testing.T) {
	s := &flakyStore{Store: lobby.NewMemoryStore()}
	a := newAPI(t, s, func(o *lobby.Options) {
		o.Nodes = true
		o.MatchInterval = time.Hour // passes by hand only
	})
	a.pass(t) // the store is reached at the clock's start
	if err := s.PutNode(bg, lobby.Node{ID: "n", URL: "ws://n/ws", Capacity: 64, Expires: a.clock.Now().Add(5 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	p := a.login(t, "Outage")
	a.queue(t, p, "")
	a.pass(t)
	room := a.await(t, p).Room
	// The store is out for 10 s: the node could not beat, and its
	// heartbeat looks lapsed when the store comes back.
	s.down.Store(true)
	if _, err := a.lobby.MatchPass(bg); !errors.Is(err, errUnreachable) {
		t.Fatalf("pass with the store down: %v", err)
	}
	a.clock.Advance(10 * time.Second)
	s.down.Store(false)
	a.pass(t)
	if _, ok := a.rooms(t)[room]; !ok {
		t.Fatal("the node's room was dropped the moment the store came back: the node had no chance to beat")
	}
	// The node never beats again: after the grace, it goes.
	a.clock.Advance(3 * time.Second)
	a.pass(t)
	if _, ok := a.rooms(t)[room]; ok {
		t.Fatal("a node that did not beat within the grace after the outage kept its room")
	}
}
