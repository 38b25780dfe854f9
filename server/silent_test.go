// silent_test.go — a player whose inputs stop (the connection open, but
// nothing more arrives on it: a half-open socket, a frozen tab) stops
// moving after the stand-ins simwire.Slots allows, over a real socket; it
// does not walk on with its last input until SilenceTimeout (15 s) closes
// the connection.

package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/lxzan/gws"

	"skirmish/internal/stack"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
	"skirmish/server"
	"skirmish/sim"
	"skirmish/simwire"
)

// openArena is a game with no walls and one spawn in the middle, so that a
// walking player meets nothing for seconds.
func openArena(o *server.Options) {
	o.NewGame = func(string) server.Game {
		return server.NewSimGame(sim.Config{
			Seed: 1,
			Map: &sim.Map{Width: 1280 * sim.UnitsPerPixel, Height: 960 * sim.UnitsPerPixel,
				Spawns: []sim.Point{{X: 640 * sim.UnitsPerPixel, Y: 480 * sim.UnitsPerPixel}}},
		})
	}
}

// holdKeys sends in, numbered from 1, at 60 a second by the time passed
// (the inputs due at each 1/120 s), until stop is called; stop returns the
// last seq sent.
func holdKeys(t *testing.T, c *wsClient, in pb.InputMsg) (stop func() uint32) {
	quit, done := make(chan struct{}), make(chan uint32)
	go func() {
		start, seq := time.Now(), uint32(0)
		tick := time.NewTicker(time.Second / (2 * sim.TickRate))
		defer tick.Stop()
		for {
			select {
			case <-quit:
				done <- seq
				return
			case <-tick.C:
			}
			for due := uint32(time.Since(start) * sim.TickRate / time.Second); seq < due; {
				seq++
				in.Seq = seq
				if err := c.conn.WriteMessage(gws.OpcodeBinary, pb.AppendInput(nil, in)); err != nil {
					t.Errorf("send: %v", err)
					done <- seq
					return
				}
			}
		}
	}()
	return func() uint32 { close(quit); return <-done }
}

func TestSilentPlayerStops(t *testing.T) {
	st := testkit.Start(t, func(o *stack.Options) { openArena(&o.Server) })
	c := dialPlay(t, st, "silent")
	var startX int32
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var p *pb.PlayerState
		c.view(func(c *wsClient) { p = c.state.Player(c.id) })
		if p == nil || p.F[pb.FieldAlive] == 0 {
			return false, "no Welcome with the player alive in it"
		}
		startX = p.F[pb.FieldX]
		return true, ""
	})
	speed := sim.DefaultConfig().PlayerSpeed

	// Walk right for a quarter of a second, then fall silent.
	stop := holdKeys(t, c, pb.InputMsg{Move: uint32(sim.MoveRight)})
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		var x int32
		c.view(func(c *wsClient) { x = c.state.Player(c.id).F[pb.FieldX] })
		return x-startX >= 15*speed, fmt.Sprintf("walked %d units", x-startX)
	})
	last := stop()

	// Where the player was when the server applied the last input sent, and
	// where it is 60 and 120 ticks after that.
	type seen struct {
		tick uint32
		x    int32
	}
	var atLast seen
	var after []seen
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		var s seen
		var ack uint32
		c.view(func(c *wsClient) { s, ack = seen{c.state.Tick, c.state.Player(c.id).F[pb.FieldX]}, c.ack })
		if atLast.tick == 0 && ack >= last {
			atLast = s
		}
		if atLast.tick != 0 && (len(after) == 0 && s.tick >= atLast.tick+60 || len(after) == 1 && s.tick >= atLast.tick+120) {
			after = append(after, s)
		}
		return len(after) == 2, fmt.Sprintf("tick %d, ack %d of %d sent", s.tick, ack, last)
	})
	walkedOn := after[0].x - atLast.x
	t.Logf("%d inputs sent; after the last: %d units more in 60 ticks (%d ticks' walk), %d more in the next 60",
		last, walkedOn, walkedOn/speed, after[1].x-after[0].x)
	if walkedOn > (simwire.MaxOwed+1)*speed {
		t.Errorf("the silent player walked %d units (%d ticks) after its last input; want at most the %d stand-ins", walkedOn, walkedOn/speed, simwire.MaxOwed)
	}
	if after[1].x != after[0].x {
		t.Errorf("the silent player still walks: %d units from tick %d to %d", after[1].x-after[0].x, after[0].tick, after[1].tick)
	}
	select {
	case <-c.done:
		t.Fatal("the connection closed")
	default:
	}
}
