// The hand encoder (encode.go) and the generated decoder agree: a
// keyframe of a World in a fight reads back as exactly what Save wrote,
// lag compensation's window included (which World.Hash leaves out).

package ticklog

import (
	"reflect"
	"testing"

	"google.golang.org/protobuf/proto"

	"skirmish/proto/ticklogpb"
	"skirmish/sim"
)

func TestKeyframeRoundTrip(t *testing.T) {
	w := sim.New(sim.Config{Seed: 9})
	for id := sim.PlayerID(1); id <= 5; id++ {
		if err := w.AddPlayer(id); err != nil {
			t.Fatal(err)
		}
	}
	for tick := range 90 {
		in := make([]sim.PlayerInput, 0, 5)
		for i := range w.Players {
			p := &w.Players[i]
			in = append(in, sim.PlayerInput{ID: p.ID, Input: sim.Input{Move: uint8(tick/10+i) % 16, Aim: uint16(tick*37+i*200) % sim.AimSteps, Buttons: sim.ButtonFire, RenderLag: uint8(i * 3)}})
		}
		w.Step(in)
	}
	var want sim.Saved
	w.Save(&want)
	if len(want.Projectiles) == 0 || len(want.Past) == 0 {
		t.Fatalf("nothing to round-trip: %d projectiles, %d past positions", len(want.Projectiles), len(want.Past))
	}
	want.Pending = append(want.Pending, sim.Event{Kind: sim.EventSpawn, A: 3})
	var names [sim.MaxPlayers + 1]string
	names[2] = "two"
	var sc scratch
	b := appendKeyframe(nil, &sc, &want, &names)
	k := &ticklogpb.Keyframe{}
	if err := proto.Unmarshal(b, k); err != nil {
		t.Fatal(err)
	}
	var got sim.Saved
	if err := savedOf(k, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("keyframe read back as\n%+v\nwant\n%+v", got, want)
	}
	if n := k.GetNames(); len(n) != 5 || n[1].GetName() != "two" {
		t.Fatalf("names %v", n)
	}
}

func TestChangesRoundTrip(t *testing.T) {
	held := sim.Input{Move: sim.MoveUp, Aim: 1000, Buttons: sim.ButtonFire, RenderLag: 4}
	for _, in := range []sim.Input{
		{Move: sim.MoveUp, Aim: 10, Buttons: sim.ButtonFire, RenderLag: 4}, // aim across 0
		{Aim: 1000},
		{Move: sim.MoveDown | sim.MoveLeft, Aim: 488, RenderLag: 255},
		{Move: sim.MoveUp, Aim: 488, Buttons: sim.ButtonFire, RenderLag: 4}, // a turn of -512
	} {
		p := &Replay{World: sim.New(sim.Config{})}
		if err := p.World.AddPlayer(40); err != nil {
			t.Fatal(err)
		}
		p.World.Player(40).Input = held
		b := appendChange(nil, 40, held, in)
		c := &ticklogpb.Tick{}
		if err := proto.Unmarshal(appendBytes(nil, tickChanges, b), c); err != nil {
			t.Fatal(err)
		}
		if err := p.changes(c.GetChanges()); err != nil || len(p.inputs) != 1 || p.inputs[0] != (sim.PlayerInput{ID: 40, Input: in}) {
			t.Errorf("%+v from %+v: read back %+v: %v", in, held, p.inputs, err)
		}
	}
}
