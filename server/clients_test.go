// clients_test.go covers nothing by itself: the test clients that misbehave on purpose (a gws client driven by hand, a hand-made WebSocket over raw TCP) and the names of the metrics they move, for hostile_test.go, handshake_test.go, fault_test.go and stuck_test.go; the stack they talk to, metric reads and waits are internal/testkit's.

package server_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"google.golang.org/protobuf/proto"

	"skirmish/bots"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

// ---- metrics ----

func eq(want float64) func(float64) bool { return func(v float64) bool { return v == want } }
func gt(min float64) func(float64) bool  { return func(v float64) bool { return v > min } }

const playersConnected = "skirmish_players_connected"

func disconnects(reason string) string {
	return `skirmish_disconnects_total{reason="` + reason + `"}`
}

// play asks the stack's lobby for a seat.
func play(t testing.TB, st *testkit.Stack, name string) bots.Assignment {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a, err := bots.RequestPlay(ctx, http.DefaultClient, st.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// joinBot joins one bot and runs it with behave until the test ends.
func joinBot(t testing.TB, st *testkit.Stack, name string, behave bots.Behavior) *bots.Bot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := bots.Join(ctx, bots.Options{BaseURL: st.URL, Name: name, Behavior: behave})
	if err != nil {
		t.Fatalf("bot %s: %v", name, err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done; b.Close() })
	return b
}

// snapshotsOf is how many snapshots b has applied.
func snapshotsOf(b *bots.Bot) (n int) {
	b.View(func(_ *pb.State, st *bots.Stats) { n = st.Snapshots })
	return n
}

// waitSnapshots waits until b has applied n more snapshots than now, and
// is still connected.
// expectServerClosed reads conn until the server's close ends the stream;
// still open after 5 s is a failure.
func expectServerClosed(t testing.TB, conn net.Conn, who string) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("the server did not close the %s client's socket", who)
	}
}

func waitSnapshots(t testing.TB, b *bots.Bot, n int, within time.Duration) {
	t.Helper()
	from := snapshotsOf(b)
	testkit.WaitUntil(t, within, func() (bool, string) {
		got := snapshotsOf(b) - from
		if err := b.Err(); err != nil {
			t.Fatalf("bot %d closed: %v (kick %v)", b.ID(), err, b.Kick())
		}
		return got >= n, fmt.Sprintf("bot %d applied %d of %d snapshots", b.ID(), got, n)
	})
}

// closeCode is the close code in an error from gws's OnClose; 0 if none.
func closeCode(err error) uint16 {
	var ce *gws.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return 0
}

// ---- a raw gws client that can misbehave ----

// wsClient is a WebSocket client the test drives by hand: it sends what
// the test writes and records what the server says, rebuilding the state.
type wsClient struct {
	conn *gws.Conn
	done chan struct{} // closed by OnClose

	mu        sync.Mutex
	id        uint32
	resumed   bool // the Welcome said so
	spectator bool // the Welcome said so
	state     pb.State
	snapshots int
	ack       uint32
	// onSnapshot, if set, is called with each snapshot's ack and
	// input_lead, on the read goroutine, c.mu held.
	onSnapshot func(ack uint32, lead int32)
	kick       *pb.Kick
	notices    []string // the Notices' messages
	noticeAt   int      // snapshots applied (the Welcome's included) when the first Notice came
	bad        error    // a server message that did not decode
	err        error    // why the connection ended
}

// dialWS connects to url with header; on a refused handshake it returns
// the HTTP response and the error.
func dialWS(t testing.TB, url string, header http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	c := &wsClient{done: make(chan struct{})}
	conn, resp, err := gws.NewClient(c, &gws.ClientOption{Addr: url, RequestHeader: header, ReadMaxPayloadSize: 1 << 20})
	if err != nil {
		return nil, resp, err
	}
	c.conn = conn
	go conn.ReadLoop()
	t.Cleanup(func() { _ = conn.WriteClose(1000, nil); <-c.done })
	return c, resp, nil
}

// dialPlay takes a seat through the lobby and connects to it.
func dialPlay(t testing.TB, st *testkit.Stack, name string) *wsClient {
	t.Helper()
	c, _, err := dialWS(t, play(t, st, name).DialURL(), nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

func (c *wsClient) OnOpen(*gws.Conn) {}

func (c *wsClient) OnClose(_ *gws.Conn, err error) {
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
	close(c.done)
}

func (c *wsClient) OnPing(conn *gws.Conn, p []byte) { _ = conn.WritePong(p) }
func (c *wsClient) OnPong(*gws.Conn, []byte)        {}

func (c *wsClient) OnMessage(_ *gws.Conn, m *gws.Message) {
	defer m.Close()
	raw := m.Bytes()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bad != nil {
		return
	}
	kind, body, err := pb.SplitServerMessage(raw)
	switch {
	case err != nil:
	case kind == pb.ServerWelcome:
		var msg pb.ServerMessage
		if err = proto.Unmarshal(raw, &msg); err == nil {
			c.id, c.resumed = msg.GetWelcome().GetPlayerId(), msg.GetWelcome().GetResumed()
			c.spectator = msg.GetWelcome().GetSpectator()
			body, err = proto.Marshal(msg.GetWelcome().GetState())
		}
		if err == nil {
			err = c.apply(body)
		}
	case kind == pb.ServerSnapshot:
		err = c.apply(body)
	case kind == pb.ServerKick:
		var msg pb.ServerMessage
		if err = proto.Unmarshal(raw, &msg); err == nil {
			c.kick = msg.GetKick()
		}
	case kind == pb.ServerNotice:
		var msg pb.ServerMessage
		if err = proto.Unmarshal(raw, &msg); err == nil {
			if len(c.notices) == 0 {
				c.noticeAt = c.snapshots
			}
			c.notices = append(c.notices, msg.GetNotice().GetMessage())
		}
	}
	c.bad = err
}

func (c *wsClient) apply(body []byte) error {
	info, _, err := c.state.Apply(body, nil)
	if err == nil {
		c.snapshots++
		c.ack = info.Ack
		if c.onSnapshot != nil {
			c.onSnapshot(info.Ack, info.Lead)
		}
	}
	return err
}

// send writes one binary frame.
func (c *wsClient) send(t testing.TB, b []byte) {
	t.Helper()
	if err := c.conn.WriteMessage(gws.OpcodeBinary, b); err != nil {
		t.Fatalf("send: %v", err)
	}
}

// view calls f under the client's lock.
func (c *wsClient) view(f func(c *wsClient)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c)
}

// closed waits for the connection to end and returns why, and what the
// server said before.
func (c *wsClient) closed(t testing.TB, within time.Duration) (error, *pb.Kick) {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(within):
		t.Fatalf("connection still open after %v", within)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bad != nil {
		t.Errorf("server sent a message that does not decode: %v", c.bad)
	}
	return c.err, c.kick
}

// ---- a hand-made WebSocket client, for what gws will not do ----

// rawDial dials the WebSocket URL u over plain TCP (control, if not nil,
// runs on the socket before connect) and performs the upgrade by hand.
func rawDial(t testing.TB, u string, control func(network, address string, c syscall.RawConn) error) (net.Conn, *bufio.Reader) {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	d := net.Dialer{Timeout: 5 * time.Second, Control: control}
	conn, err := d.Dial("tcp", pu.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	req := "GET " + pu.RequestURI() + " HTTP/1.1\r\nHost: " + pu.Host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %s", resp.Status)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, br
}

// appendFrame appends one masked, final client frame.
func appendFrame(dst []byte, opcode byte, payload []byte) []byte {
	dst = append(dst, 0x80|opcode)
	switch n := len(payload); {
	case n < 126:
		dst = append(dst, 0x80|byte(n))
	case n < 1<<16:
		dst = append(dst, 0x80|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	default:
		dst = append(dst, 0x80|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	mask := [4]byte{0x12, 0x34, 0x56, 0x78}
	dst = append(dst, mask[:]...)
	for i, b := range payload {
		dst = append(dst, b^mask[i%4])
	}
	return dst
}

// readFrame reads one server frame (unmasked, unfragmented).
func readFrame(br *bufio.Reader) (opcode byte, payload []byte, err error) {
	var h [2]byte
	if _, err = io.ReadFull(br, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var l [2]byte
		_, err = io.ReadFull(br, l[:])
		n = uint64(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		_, err = io.ReadFull(br, l[:])
		n = binary.BigEndian.Uint64(l[:])
	}
	if err != nil {
		return 0, nil, err
	}
	if n > 1<<20 {
		return 0, nil, fmt.Errorf("frame of %d bytes", n)
	}
	payload = make([]byte, n)
	_, err = io.ReadFull(br, payload)
	return h[0] & 0x0f, payload, err
}

// readUntilClose reads server frames until the close frame and returns its
// code and the Kick seen before it.
func readUntilClose(t testing.TB, conn net.Conn, br *bufio.Reader, within time.Duration) (uint16, *pb.Kick) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(within))
	var kick *pb.Kick
	frames := 0
	for {
		op, p, err := readFrame(br)
		if err != nil {
			t.Fatalf("after %d frames (kick %v), no close frame: %v", frames, kick, err)
		}
		frames++
		switch op {
		case 0x2:
			if kind, _, err := pb.SplitServerMessage(p); err == nil && kind == pb.ServerKick {
				var msg pb.ServerMessage
				if err := proto.Unmarshal(p, &msg); err != nil {
					t.Fatalf("kick: %v", err)
				}
				kick = msg.GetKick()
			}
		case 0x8:
			if len(p) < 2 {
				return 0, kick
			}
			return binary.BigEndian.Uint16(p), kick
		}
	}
}
