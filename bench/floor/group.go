// group.go — a group of connections and the goroutine that writes their
// snapshots: tick n is due at start + n/rate, and a group that falls behind
// skips to the tick due now, as a Skirmish room does (server/clock.go).

package main

import (
	"sync"
	"time"

	"github.com/lxzan/gws"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
)

// Snapshot fields the floor writes (skirmish.proto), and the field it pads
// with: unknown to the protocol, so clients skip it.
const (
	snapTick    protowire.Number = 1
	snapPadding protowire.Number = 15
)

type group struct {
	f *floor

	mu      sync.Mutex // guards joined
	joined  []*client
	members int // joined so far, closed or not

	// Owned by the group's goroutine.
	clients []*client
	body    []byte
	out     []byte
}

func newGroup(f *floor) *group { return &group{f: f} }

// full reports whether the group has taken its share; the floor's lock
// is held.
func (g *group) full() bool { return g.members >= g.f.groupSize }

// add queues c; its Welcome goes out with the next tick. The floor's lock
// is held.
func (g *group) add(c *client) {
	g.members++
	c.id = uint32(g.members)
	g.mu.Lock()
	g.joined = append(g.joined, c)
	g.mu.Unlock()
}

// run is the group's goroutine.
func (g *group) run() {
	period := time.Second / time.Duration(g.f.rate)
	start := time.Now()
	timer := time.NewTimer(period)
	defer timer.Stop()
	for n := int64(1); ; {
		select {
		case <-g.f.quit:
			g.closeAll()
			return
		case <-timer.C:
		}
		g.tick(uint32(n))
		// Skip to the tick due now when behind; sleep until the next one.
		n = max(n+1, int64(time.Since(start)/period))
		timer.Reset(time.Until(start.Add(time.Duration(n) * period)))
	}
}

// tick writes tick's snapshot (or Welcome) to every open client in turn.
func (g *group) tick(tick uint32) {
	g.mu.Lock()
	g.clients = append(g.clients, g.joined...)
	g.joined = g.joined[:0]
	g.mu.Unlock()
	g.body = g.snapshotBody(g.body[:0], tick)
	live := g.clients[:0]
	for _, c := range g.clients {
		if c.closed.Load() {
			continue
		}
		live = append(live, c)
		if !c.welcome {
			c.welcome = true
			_ = c.conn.WriteMessage(gws.OpcodeBinary, welcome(c.id, tick, g.f.rate))
			continue
		}
		g.out = pb.AppendSnapshotMessage(g.out[:0], c.ack.Load(), 0, g.body)
		_ = c.conn.WriteMessage(gws.OpcodeBinary, g.out)
	}
	clear(g.clients[len(live):])
	g.clients = live
}

// snapshotBody is a Snapshot body of tick that changes nothing, padded so
// that the whole message, ack included, is f.size bytes.
func (g *group) snapshotBody(dst []byte, tick uint32) []byte {
	dst = protowire.AppendTag(dst, snapTick, protowire.VarintType)
	dst = protowire.AppendVarint(dst, uint64(tick))
	// ServerMessage tag and length (2), the ack's tag and a 2-byte seq (3),
	// the padding's tag and length (2).
	pad := max(g.f.size-len(dst)-7, 0)
	dst = protowire.AppendTag(dst, snapPadding, protowire.BytesType)
	dst = protowire.AppendVarint(dst, uint64(pad))
	for range pad {
		dst = append(dst, 0)
	}
	return dst
}

// floorArena is the empty field of the floor's Welcome: a client's netcode
// wants one (the bots play through it as the browser does).
var floorArena = &pb.Arena{Width: 1280 * 16, Height: 960 * 16}

// welcome is the first message: an empty world at tick.
func welcome(id, tick uint32, rate int) []byte {
	b, _ := proto.Marshal(&pb.ServerMessage{Msg: &pb.ServerMessage_Welcome{Welcome: &pb.Welcome{
		ProtocolVersion: 1, PlayerId: id, Room: "floor", TickRate: uint32(rate), Arena: floorArena,
		State: &pb.Snapshot{Tick: tick, Full: true},
	}}})
	return b
}

// closeAll says goodbye to every client (1001, going away).
func (g *group) closeAll() {
	g.mu.Lock()
	g.clients = append(g.clients, g.joined...)
	g.mu.Unlock()
	for _, c := range g.clients {
		_ = c.conn.WriteClose(1001, nil)
	}
}
