// spectator_test.go covers a spectator's connection in client.go: a
// Welcome saying spectator, with player id 0, sets the client up with no
// player of its own; it makes no inputs, draws every player as another,
// and a spectator's Welcome naming a player is malformed.

package netcode_test

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/sim"
)

// asSpectator rewrites a Welcome frame as a spectator's, with player id id.
func asSpectator(t *testing.T, frame []byte, id uint32) []byte {
	t.Helper()
	var m pb.ServerMessage
	if err := proto.Unmarshal(frame, &m); err != nil {
		t.Fatal(err)
	}
	m.GetWelcome().Spectator, m.GetWelcome().PlayerId = true, id
	return marshal(t, &m)
}

func TestSpectatorWelcome(t *testing.T) {
	srv := newTestServer(t, 9, 2, false)
	c := netcode.New(netcode.Options{})
	if err := c.Handle(asSpectator(t, srv.step(), 0), t0); err != nil {
		t.Fatal(err)
	}
	if !c.Welcomed() || !c.Spectator() || c.PlayerID() != 0 {
		t.Fatalf("welcomed %v, spectator %v, player %d; want a spectator with no player", c.Welcomed(), c.Spectator(), c.PlayerID())
	}
	for i := range 30 {
		now := t0.Add(tickDur * time.Duration(i+1))
		if f := c.Inputs(sim.Input{Move: sim.MoveUp, Buttons: sim.ButtonFire}, now); f != nil {
			t.Fatalf("a spectator made input frame %x", f)
		}
		if f := c.Input(sim.Input{Move: sim.MoveUp}, now); f != nil {
			t.Fatalf("a spectator made input frame %x outside the clock", f)
		}
		if err := c.Handle(srv.step(), now); err != nil {
			t.Fatal(err)
		}
	}
	var v netcode.View
	drawFrame(c, t0.Add(31*tickDur), &v)
	if len(v.Players) != 3 || v.Me != 0 {
		t.Fatalf("a spectator's view: %d players, me %d; want all 3, me 0", len(v.Players), v.Me)
	}
	for _, p := range v.Players {
		if p.Local {
			t.Errorf("player %d drawn as the spectator's own", p.ID)
		}
	}
	if st := c.Stats(); st.Desyncs != 0 || st.Checksums == 0 {
		t.Errorf("checksums %d, desyncs %d; want some, none", st.Checksums, st.Desyncs)
	}

	bad := netcode.New(netcode.Options{})
	if err := bad.Handle(asSpectator(t, newTestServer(t, 9, 2, false).step(), 3), t0); !errors.Is(err, pb.ErrMalformed) {
		t.Errorf("a spectator's Welcome naming player 3: %v; want malformed", err)
	}
}
