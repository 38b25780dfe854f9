// state_test.go covers State (state.go): Hash sees every replicated field and ignores Serial; CopyFrom is a deep copy; Player finds each id.

package pb_test

import (
	"testing"

	pb "skirmish/proto"
)

func hashState() *pb.State {
	return &pb.State{Tick: 1000, Match: pb.MatchInfo{Number: 2, Phase: pb.MatchPhase_MATCH_PHASE_PLAYING, EndTick: 5000},
		Players: []pb.PlayerState{
			{ID: 1, Name: "ann", F: [pb.NumPlayerFields]int32{100, 200, 300, 90, 1, 3, 4}, Serial: 7},
			{ID: 4, Name: "bob", F: [pb.NumPlayerFields]int32{-5, 6, 7, 8, 0, 10, 11}, Serial: 8},
		},
		Shots: []pb.ShotState{{ID: 3, Owner: 1, X: 10, Y: 20, VX: 30, VY: -40}, {ID: 9, Owner: 4, X: 1, Y: 2, VX: 3, VY: 4}},
	}
}

func TestHashSeesEveryField(t *testing.T) {
	h0 := hashState().Hash()
	if h0 != hashState().Hash() {
		t.Fatal("Hash is not deterministic")
	}
	changes := map[string]func(s *pb.State){
		"tick":         func(s *pb.State) { s.Tick++ },
		"match number": func(s *pb.State) { s.Match.Number++ },
		"match phase":  func(s *pb.State) { s.Match.Phase = pb.MatchPhase_MATCH_PHASE_INTERMISSION },
		"end tick":     func(s *pb.State) { s.Match.EndTick++ },
		"player id":    func(s *pb.State) { s.Players[1].ID = 5 },
		"name":         func(s *pb.State) { s.Players[0].Name = "anne" },
		"name byte":    func(s *pb.State) { s.Players[0].Name = "anm" },
		"name moved":   func(s *pb.State) { s.Players[0].Name, s.Players[1].Name = "annb", "ob" },
		"player gone":  func(s *pb.State) { s.Players = s.Players[:1] },
		"shot id":      func(s *pb.State) { s.Shots[1].ID++ },
		"shot owner":   func(s *pb.State) { s.Shots[0].Owner++ },
		"shot x":       func(s *pb.State) { s.Shots[0].X++ },
		"shot y":       func(s *pb.State) { s.Shots[0].Y++ },
		"shot vx":      func(s *pb.State) { s.Shots[0].VX++ },
		"shot vy":      func(s *pb.State) { s.Shots[1].VY-- },
		"shot gone":    func(s *pb.State) { s.Shots = s.Shots[1:] },
		"no shots":     func(s *pb.State) { s.Shots = nil },
	}
	for f := range pb.NumPlayerFields {
		changes["player field "+string(rune('0'+f))] = func(s *pb.State) { s.Players[1].F[f]++ }
		changes["player field sign "+string(rune('0'+f))] = func(s *pb.State) { s.Players[0].F[f] = -s.Players[0].F[f] - 1 }
	}
	seen := map[uint64]string{h0: "unchanged"}
	for name, change := range changes {
		s := hashState()
		change(s)
		h := s.Hash()
		if other, dup := seen[h]; dup {
			t.Errorf("%s: hash %x same as %s", name, h, other)
		}
		seen[h] = name
	}

	s := hashState()
	s.Players[0].Serial, s.Players[1].Serial = 0, 12345
	if s.Hash() != h0 {
		t.Error("Hash depends on Serial")
	}
	if (&pb.State{}).Hash() == (&pb.State{Tick: 1}).Hash() {
		t.Error("the zero State hashes like tick 1")
	}
}

func TestCopyFromIsDeep(t *testing.T) {
	src := hashState()
	var dst pb.State
	dst.CopyFrom(src)
	h := src.Hash()
	if dst.Hash() != h || dst.Players[0] != src.Players[0] || dst.Players[1].Serial != 8 {
		t.Fatalf("copy differs: %+v", dst)
	}
	// Changing the source leaves the copy alone, and the other way round.
	src.Players[0].F[pb.FieldX] = 1
	src.Players[1].Name = "zed"
	src.Shots[0].X = 77
	src.Tick++
	src.Match.Number++
	if dst.Hash() != h {
		t.Fatal("the copy shares memory with its source")
	}
	want := hashState()
	want.Shots[0].VX = 999
	dst2 := *want // an independent target that the next CopyFrom reuses
	dst2.Players = append(make([]pb.PlayerState, 0, 10), want.Players...)
	dst2.Shots = append(make([]pb.ShotState, 0, 10), want.Shots...)
	dst2.Players = append(dst2.Players, pb.PlayerState{ID: 50})
	dst2.CopyFrom(&dst)
	if dst2.Hash() != h || len(dst2.Players) != 2 || cap(dst2.Players) != 10 {
		t.Fatalf("CopyFrom into a used State: %+v (cap %d)", dst2, cap(dst2.Players))
	}
	dst2.Players[0].F[pb.FieldY] = -1
	dst2.Shots[1].VY = -1
	if dst.Hash() != h || want.Shots[0].VX != 999 {
		t.Fatal("changing the copy changed its source")
	}

	var empty pb.State
	dst2.CopyFrom(&empty)
	if len(dst2.Players) != 0 || len(dst2.Shots) != 0 || dst2.Hash() != empty.Hash() {
		t.Fatalf("CopyFrom of the empty State: %+v", dst2)
	}
}

func TestResetAndPlayer(t *testing.T) {
	s := hashState()
	if p := s.Player(4); p == nil || p.Name != "bob" {
		t.Fatalf("Player(4) = %v", p)
	}
	if s.Player(2) != nil || s.Player(0) != nil || s.Player(5) != nil {
		t.Fatal("Player of an absent id is not nil")
	}
	s.Player(1).F[pb.FieldKills] = 40
	if s.Players[0].F[pb.FieldKills] != 40 {
		t.Fatal("Player does not point into the State")
	}
	s.Reset()
	if s.Hash() != (&pb.State{}).Hash() || cap(s.Players) != 2 {
		t.Fatalf("Reset: %+v", s)
	}
}

// TestPlayerFindsEachID looks up every id around rosters with and without
// gaps (the lookup's shortcut is for a roster without), against a scan.
func TestPlayerFindsEachID(t *testing.T) {
	rosters := [][]uint32{{}, {1}, {5}, {1, 2, 3, 4}, {3, 4, 5, 6, 7}, {1, 2, 4, 5, 6}, {2, 9, 10, 11}, {1, 3, 5, 7, 9, 11}}
	dense := make([]uint32, 16)
	for i := range dense {
		dense[i] = uint32(i + 1)
	}
	rosters = append(rosters, dense, append(append([]uint32{}, dense[:8]...), dense[9:]...))
	for _, ids := range rosters {
		var s pb.State
		for _, id := range ids {
			s.Players = append(s.Players, pb.PlayerState{ID: id})
		}
		for id := uint32(0); id <= 20; id++ {
			var want *pb.PlayerState
			for i := range s.Players {
				if s.Players[i].ID == id {
					want = &s.Players[i]
				}
			}
			if got := s.Player(id); got != want {
				t.Errorf("roster %v: Player(%d) = %v, want %v", ids, id, got, want)
			}
		}
	}
}
