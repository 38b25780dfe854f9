// live_test.go — the README's Protocol section held against a real server:
// the stack `skirmish serve` runs (internal/testkit) on 127.0.0.1, players
// joining through /api/play over real WebSockets. The conformance corpus
// (conformance_test.go) is played by the functions a room composes; this
// checks, over the wire, the rules it takes from the server: the two ids,
// seats from 1 and the lowest free one reused, the Welcome, which
// snapshots carry a checksum, and a Pong.

package pb_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lxzan/gws"

	"skirmish/bots"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

// liveClient records every frame the server sends, and applies them.
type liveClient struct {
	conn *gws.Conn
	done chan struct{}

	mu     sync.Mutex
	frames [][]byte
	state  pb.State
	id     uint32
	pong   *pb.Pong
	err    error // the first frame that did not apply
}

func dialLive(t *testing.T, st *testkit.Stack, name string) (*liveClient, bots.Assignment) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a, err := bots.RequestPlay(ctx, http.DefaultClient, st.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	c := &liveClient{done: make(chan struct{})}
	conn, _, err := gws.NewClient(c, &gws.ClientOption{Addr: a.DialURL(), ReadMaxPayloadSize: 1 << 20})
	if err != nil {
		t.Fatalf("%s: dial: %v", name, err)
	}
	c.conn = conn
	go conn.ReadLoop()
	t.Cleanup(func() { c.leave() })
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.id != 0, name + " has no Welcome"
	})
	return c, a
}

// leave closes the connection and waits for the server's close.
func (c *liveClient) leave() {
	_ = c.conn.WriteClose(1000, nil)
	<-c.done
}

func (c *liveClient) OnOpen(*gws.Conn)                {}
func (c *liveClient) OnClose(*gws.Conn, error)        { close(c.done) }
func (c *liveClient) OnPing(conn *gws.Conn, p []byte) { _ = conn.WritePong(p) }
func (c *liveClient) OnPong(*gws.Conn, []byte)        {}
func (c *liveClient) OnMessage(_ *gws.Conn, m *gws.Message) {
	defer m.Close()
	frame := append([]byte(nil), m.Bytes()...)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frames = append(c.frames, frame)
	if c.err != nil {
		return
	}
	kind, body, err := pb.SplitServerMessage(frame)
	if err == nil && kind == pb.ServerWelcome {
		var w *pb.Welcome
		if w, body, err = pb.ReadWelcome(body); err == nil {
			c.id = w.GetPlayerId()
		}
	}
	if err == nil && kind == pb.ServerPong {
		c.pong, err = pb.ReadPong(body)
	}
	if err == nil && (kind == pb.ServerWelcome || kind == pb.ServerSnapshot) {
		_, _, err = c.state.Apply(body, nil)
	}
	c.err = err
}

// has reports whether the client's state holds player id named name.
func (c *liveClient) has(id uint32, name string) (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.state.Player(id)
	return p != nil && p.Name == name, fmt.Sprintf("at tick %d player %d is %+v, want %q", c.state.Tick, id, p, name)
}

// TestLiveServerKeepsTheProtocol: seats start at 1, a freed seat goes to
// the next player, /api/play's player_id is a uint64 in decimal and not
// the seat; the Welcome is version 1, full, acked 0, with a checksum; and
// a snapshot carries a checksum exactly when it is full or its tick is a
// multiple of 60, always the state's hash.
func TestLiveServerKeepsTheProtocol(t *testing.T) {
	t.Parallel()
	st := testkit.Start(t, nil)
	zoe, a := dialLive(t, st, "Zoë")
	if _, err := strconv.ParseUint(a.PlayerID, 10, 64); err != nil {
		t.Errorf("/api/play's player_id %q is not a uint64 in decimal: %v", a.PlayerID, err)
	}
	tokyo, _ := dialLive(t, st, "東京")
	if zoe.id != 1 || tokyo.id != 2 {
		t.Fatalf("seats %d and %d, want 1 and 2", zoe.id, tokyo.id)
	}
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) { return zoe.has(2, "東京") })
	tokyo.leave()
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		ok, _ := zoe.has(2, "東京")
		return !ok, "東京 is still in Zoë's state"
	})
	ada, _ := dialLive(t, st, "ada")
	if ada.id != 2 {
		t.Errorf("ada took seat %d, want 2, the lowest free", ada.id)
	}
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) { return zoe.has(2, "ada") })

	if err := zoe.conn.WriteMessage(gws.OpcodeBinary, pb.AppendPing(nil, 42)); err != nil {
		t.Fatal(err)
	}
	// Wait for a delta of a tick that is a multiple of 60.
	var start uint32
	zoe.mu.Lock()
	start = zoe.state.Tick
	zoe.mu.Unlock()
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		zoe.mu.Lock()
		defer zoe.mu.Unlock()
		return zoe.state.Tick >= (start/60+1)*60 && zoe.pong != nil, fmt.Sprintf("Zoë's state at tick %d, pong %v", zoe.state.Tick, zoe.pong)
	})
	zoe.leave()

	zoe.mu.Lock()
	defer zoe.mu.Unlock()
	if zoe.err != nil {
		t.Fatalf("a frame did not apply: %v", zoe.err)
	}
	if p := zoe.pong; p.GetClientTime() != 42 {
		t.Errorf("pong %v, want client_time 42", p)
	}
	var held pb.State
	checksums := 0
	for i, frame := range zoe.frames {
		kind, body, err := pb.SplitServerMessage(frame)
		if err != nil {
			t.Fatal(err)
		}
		if kind == pb.ServerWelcome {
			w, state, err := pb.ReadWelcome(body)
			if err != nil {
				t.Fatal(err)
			}
			if i != 0 || w.GetProtocolVersion() != 1 || !w.GetState().GetFull() || w.GetState().GetAck() != 0 {
				t.Errorf("frame %d: a Welcome of version %d, full %v, ack %d; want the first frame, version 1, full, ack 0",
					i, w.GetProtocolVersion(), w.GetState().GetFull(), w.GetState().GetAck())
			}
			body = state
		} else if kind != pb.ServerSnapshot {
			continue
		}
		info, _, err := held.Apply(body, nil)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if want := info.Full || info.Tick%60 == 0; (info.Checksum != 0) != want {
			t.Errorf("frame %d (tick %d, full %v): checksum %016x; want one: %v", i, info.Tick, info.Full, info.Checksum, want)
		}
		if info.Checksum != 0 {
			checksums++
			if info.Checksum != held.Hash() {
				t.Errorf("frame %d (tick %d): checksum %016x, state hashes %016x", i, info.Tick, info.Checksum, held.Hash())
			}
		}
	}
	if checksums < 2 {
		t.Errorf("%d checksums in %d frames; want the Welcome's and a multiple of 60's", checksums, len(zoe.frames))
	}
}
