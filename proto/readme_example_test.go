// readme_example_test.go — the README's worked snapshot (section Protocol,
// "A worked snapshot"): the states and events it shows, encoded by
// Encoder.AppendSnapshot and AppendSnapshotMessage, must give the bytes
// and the hashes the README prints, so the example cannot drift from the
// code. The conformance corpus (conformance_test.go) covers the rest.

package pb_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	pb "skirmish/proto"
)

// exampleStates are the README's baseline (tick 118) and the state at tick
// 120 it is brought to: 東京 (2) left at 119 and Bob took seat 2 at 120;
// Zoë (1) walked east twice, turned, fired shot 10 and was hit by ada's
// (3) shot 7 at 119; ada's shot 8 ran out of time.
func exampleStates() (base, cur *pb.State, events []pb.EventInfo) {
	match := pb.MatchInfo{Number: 1, Phase: pb.MatchPhase_MATCH_PHASE_PLAYING, EndTick: 420}
	base = &pb.State{Tick: 118, Match: match,
		Players: []pb.PlayerState{
			{ID: 1, Name: "Zoë", F: [pb.NumPlayerFields]int32{9664, 4096, 0, 100, 1, 0, 0}, Serial: 1},
			{ID: 2, Name: "東京", F: [pb.NumPlayerFields]int32{14000, 8000, 512, 50, 1, 1, 0}, Serial: 2},
			{ID: 3, Name: "ada", F: [pb.NumPlayerFields]int32{12800, 4096, 512, 100, 1, 0, 1}, Serial: 3},
		},
		Shots: []pb.ShotState{
			{ID: 7, Owner: 3, X: 10100, Y: 4096, VX: -192, VY: 0},
			{ID: 8, Owner: 3, X: 12000, Y: 5000, VX: 0, VY: 192},
		},
	}
	cur = &pb.State{Tick: 120, Match: match,
		Players: []pb.PlayerState{
			{ID: 1, Name: "Zoë", F: [pb.NumPlayerFields]int32{9760, 4096, 768, 75, 1, 0, 0}, Serial: 1},
			{ID: 2, Name: "Bob", F: [pb.NumPlayerFields]int32{1280, 1280, 0, 100, 1, 0, 0}, Serial: 4},
			{ID: 3, Name: "ada", F: [pb.NumPlayerFields]int32{12800, 4096, 512, 100, 1, 0, 1}, Serial: 3},
		},
		Shots: []pb.ShotState{
			{ID: 10, Owner: 1, X: 9760, Y: 3680, VX: 0, VY: -192},
		},
	}
	events = []pb.EventInfo{
		{Tick: 119, Kind: pb.EventKind_EVENT_KIND_HIT, A: 3, B: 1, Value: 25},
		{Tick: 120, Kind: pb.EventKind_EVENT_KIND_SPAWN, A: 2},
	}
	return base, cur, events
}

// TestReadmeWorkedSnapshot: the README shows the bytes the encoder makes
// for the example and the hashes of both states, and the bytes bring the
// baseline to the state at tick 120.
func TestReadmeWorkedSnapshot(t *testing.T) {
	base, cur, events := exampleStates()
	var enc pb.Encoder
	frame := pb.AppendSnapshotMessage(nil, 64, 1, enc.AppendSnapshot(nil, base, cur, events, true))

	var held pb.State
	held.CopyFrom(base)
	kind, body, err := pb.SplitServerMessage(frame)
	if err != nil || kind != pb.ServerSnapshot {
		t.Fatalf("kind %v, err %v", kind, err)
	}
	info, got, err := held.Apply(body, nil)
	if err != nil {
		t.Fatal(err)
	}
	if held.Hash() != cur.Hash() || info.Checksum != cur.Hash() || len(got) != len(events) {
		t.Fatalf("applied: hash %016x, checksum %016x, %d events; want %016x and %d events", held.Hash(), info.Checksum, len(got), cur.Hash(), len(events))
	}

	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for what, want := range map[string]string{
		"the frame":              fmt.Sprintf("%x", frame),
		"the baseline's hash":    fmt.Sprintf("%016x", base.Hash()),
		"the new state's hash":   fmt.Sprintf("%016x", cur.Hash()),
		"the checksum, decimal":  fmt.Sprint(cur.Hash()),
		"the empty state's hash": fmt.Sprintf("%016x", (&pb.State{}).Hash()),
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md's worked snapshot does not show %s, %s: update it", what, want)
		}
	}
}
