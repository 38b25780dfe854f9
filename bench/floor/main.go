// main.go — the floor server: flags, the two HTTP endpoints, the groups
// that write the snapshots (group.go) and shutdown on SIGINT or SIGTERM.

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lxzan/gws"

	pb "skirmish/proto"
)

// Floor defaults.
const (
	defaultBytes      = 64 // a 16-player snapshot is 50–70 bytes
	defaultGroup      = 16 // Skirmish's room capacity
	defaultRate       = 60 // Skirmish's tick rate
	maxClientFrame    = 1024
	shutdownGrace     = 5 * time.Second
	sessionConnection = "c"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	size := flag.Int("bytes", defaultBytes, "payload bytes of each snapshot message")
	group := flag.Int("group", defaultGroup, "connections per writing goroutine")
	rate := flag.Int("rate", defaultRate, "snapshots a second to each connection")
	flag.Parse()
	if err := run(*addr, *size, *group, *rate); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(addr string, size, groupSize, rate int) error {
	if size < 16 || groupSize < 1 || rate < 1 {
		return errors.New("--bytes must be at least 16, --group and --rate at least 1")
	}
	f := &floor{size: size, groupSize: groupSize, rate: rate, quit: make(chan struct{})}
	f.upgrader = gws.NewUpgrader(f, &gws.ServerOption{
		ReadMaxPayloadSize: maxClientFrame,
		ReadBufferSize:     maxClientFrame + 16,
		CheckUtf8Enabled:   true,
		HandshakeTimeout:   5 * time.Second,
	})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/play", f.play)
	mux.HandleFunc("GET /ws", f.serveWS)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	f.wsURL = "ws://" + ln.Addr().String() + "/ws"
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Printf("floor: listening on http://%s (%d-byte snapshots, %d Hz, groups of %d)\n", ln.Addr(), size, rate, groupSize)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	_ = hs.Shutdown(sctx)
	close(f.quit)
	f.wg.Wait()
	return nil
}

// floor is the server.
type floor struct {
	size, groupSize, rate int
	upgrader              *gws.Upgrader
	wsURL                 string
	quit                  chan struct{}
	wg                    sync.WaitGroup // the groups' goroutines

	mu      sync.Mutex // guards current and players
	current *group     // the group new connections join
	players int
}

// play answers POST /api/play as the lobby does, with a ticket nobody
// checks.
func (f *floor) play(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.players++
	id := f.players
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"ticket": "floor", "ws_url": f.wsURL, "room": "floor", "player_id": fmt.Sprint(id), "expires_in": 30,
	})
}

// serveWS upgrades and hands the connection to the group being filled.
func (f *floor) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := f.upgrader.Upgrade(w, r)
	if err != nil {
		return
	}
	c := &client{conn: conn}
	conn.Session().Store(sessionConnection, c)
	f.mu.Lock()
	if f.current == nil || f.current.full() {
		f.current = newGroup(f)
		f.wg.Add(1)
		go func(g *group) {
			defer f.wg.Done()
			g.run()
		}(f.current)
	}
	f.current.add(c)
	f.mu.Unlock()
	go conn.ReadLoop()
}

// client is one connection.
type client struct {
	conn    *gws.Conn
	id      uint32
	ack     atomic.Uint32 // seq of the last input received
	closed  atomic.Bool
	msg     pb.ClientMsg // owned by the read goroutine
	welcome bool         // owned by the group's goroutine
}

func clientOf(conn *gws.Conn) *client {
	v, _ := conn.Session().Load(sessionConnection)
	c, _ := v.(*client)
	return c
}

// OnOpen implements gws.Event.
func (f *floor) OnOpen(*gws.Conn) {}

// OnClose implements gws.Event: the group drops the client.
func (f *floor) OnClose(conn *gws.Conn, _ error) {
	if c := clientOf(conn); c != nil {
		c.closed.Store(true)
	}
}

// OnPing implements gws.Event.
func (f *floor) OnPing(conn *gws.Conn, p []byte) { _ = conn.WritePong(p) }

// OnPong implements gws.Event.
func (f *floor) OnPong(*gws.Conn, []byte) {}

// OnMessage implements gws.Event: an input's seq (a batch's last) becomes
// the ack; a ping
// gets its pong, written as Skirmish writes it.
func (f *floor) OnMessage(conn *gws.Conn, m *gws.Message) {
	defer m.Close()
	c := clientOf(conn)
	if c == nil || pb.DecodeClientMessage(m.Bytes(), &c.msg) != nil {
		return
	}
	switch c.msg.Kind {
	case pb.ClientInput:
		c.ack.Store(c.msg.Input.Seq)
	case pb.ClientInputs:
		c.ack.Store(c.msg.Inputs[c.msg.NInputs-1].Seq)
	case pb.ClientPing:
		b, err := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{ClientTime: c.msg.PingTime}}})
		if err == nil {
			conn.WriteAsync(gws.OpcodeBinary, b, nil)
		}
	}
}
