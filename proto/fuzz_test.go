// fuzz_test.go fuzzes the readers of untrusted bytes: DecodeClientMessage (server side, input.go), State.Apply (client side,
// snapshot.go), and SplitServerMessage with the rare messages' readers (client side, messages.go).

package pb_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
)

func FuzzDecodeClientMessage(f *testing.F) {
	for _, in := range sampleInputs {
		f.Add(pb.AppendInput(nil, in))
	}
	for _, ct := range samplePings {
		f.Add(pb.AppendPing(nil, ct))
	}
	f.Add(unknowns(pb.AppendInput(nil, pb.InputMsg{Seq: 3})))
	f.Add(pb.AppendInputs(nil, sampleInputs[:3]))
	f.Add(pb.AppendInputs(nil, sampleInputs))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var m pb.ClientMsg
		err := pb.DecodeClientMessage(b, &m)
		gen, genErr := genClient(b)
		if err != nil {
			if !errors.Is(err, pb.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			// Only bytes the generated code rejects too, or that hold no message.
			// Inputs with no input or too many are ours to refuse.
			refusedInputs := gen.Kind == pb.ClientInputs && (gen.NInputs == 0 || gen.NInputs > pb.MaxInputs)
			if genErr == nil && gen.Kind != pb.ClientNone && !refusedInputs {
				t.Fatalf("rejected (%v) what the generated code reads as %+v", err, gen)
			}
			return
		}
		// The generated code agrees, but for saturation: it truncates.
		if genErr != nil || gen.Kind != m.Kind || gen.PingTime != m.PingTime || gen.NInputs != m.NInputs {
			t.Fatalf("decoded %+v; generated code: %+v, %v", m, gen, genErr)
		}
		sameInput := func(a, g pb.InputMsg) {
			for _, p := range [][2]uint32{{a.Seq, g.Seq}, {a.Move, g.Move}, {a.Aim, g.Aim}, {a.Buttons, g.Buttons}, {a.RenderLag, g.RenderLag}} {
				if p[0] != p[1] && p[0] != math.MaxUint32 {
					t.Fatalf("decoded %+v, generated code %+v", a, g)
				}
			}
		}
		sameInput(m.Input, gen.Input)
		for i := range m.NInputs {
			sameInput(m.Inputs[i], gen.Inputs[i])
		}
		var again []byte
		switch m.Kind {
		case pb.ClientInput:
			again = pb.AppendInput(nil, m.Input)
		case pb.ClientPing:
			again = pb.AppendPing(nil, m.PingTime)
		case pb.ClientInputs:
			again = pb.AppendInputs(nil, m.Inputs[:m.NInputs])
		default:
			t.Fatalf("decoded OK with kind %d", m.Kind)
		}
		var m2 pb.ClientMsg
		if err := pb.DecodeClientMessage(again, &m2); err != nil || m2 != m {
			t.Fatalf("re-encoded %+v as % x, decoded %+v, %v", m, again, m2, err)
		}
	})
}

// fuzzSeeds returns the state FuzzApply applies to (as a client holds it)
// and real snapshots for it: a full one, deltas from it to later states, an
// empty delta.
func fuzzSeeds() (base *pb.State, seeds [][]byte) {
	var enc pb.Encoder
	w := newWorld(99)
	for range 5 {
		w.step()
	}
	server := snapshotOf(&w.st)
	seeds = append(seeds, enc.AppendSnapshot(nil, nil, server, w.events, true))
	for range 8 {
		w.step()
		seeds = append(seeds, enc.AppendSnapshot(nil, server, &w.st, w.events, w.rng.IntN(2) == 0))
	}
	seeds = append(seeds, enc.AppendSnapshot(nil, server, server, nil, false))
	return clientOf(server), seeds
}

func FuzzApply(f *testing.F) {
	base, seeds := fuzzSeeds()
	for _, b := range seeds {
		f.Add(b)
	}
	f.Add(unknowns(field(nil, 1, uint64(base.Tick))))
	var enc pb.Encoder
	f.Fuzz(func(t *testing.T, b []byte) {
		s := clientOf(base)
		info, evs, err := s.Apply(b, nil)
		if err != nil {
			if !errors.Is(err, pb.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		for i := 1; i < len(s.Players); i++ {
			if s.Players[i-1].ID >= s.Players[i].ID {
				t.Fatalf("players not sorted by unique id: %+v", s.Players)
			}
		}
		for i := 1; i < len(s.Shots); i++ {
			if s.Shots[i-1].ID >= s.Shots[i].ID {
				t.Fatalf("shots not sorted by unique id: %+v", s.Shots)
			}
		}
		if s.Tick != info.Tick || !info.Full && info.Tick < base.Tick {
			t.Fatalf("tick %d after Apply of tick %d to %d (full %v)", s.Tick, info.Tick, base.Tick, info.Full)
		}
		// What Apply accepts is a Snapshot to the generated code too (names
		// aside: Apply does not check that they are UTF-8)...
		var sn pb.Snapshot
		if err := proto.Unmarshal(b, &sn); err != nil && !strings.Contains(err.Error(), "UTF-8") {
			t.Fatalf("Apply accepted what the generated code rejects: %v", err)
		}
		// ... and whatever state it made, the encoder can say again.
		from := clientOf(base)
		var prev *pb.State = from
		if info.Full {
			prev, from = nil, &pb.State{}
		}
		again := enc.AppendSnapshot(nil, prev, s, evs, true)
		info2, evs2, err := from.Apply(again, nil)
		if err != nil {
			t.Fatalf("re-encoded state does not apply: %v", err)
		}
		if from.Hash() != s.Hash() || info2.Checksum != s.Hash() || !slices.Equal(evs, evs2) {
			t.Fatalf("re-encoded state differs:\n got %+v\nwant %+v", from, s)
		}
	})
}

// TestFuzzApplySeeds keeps FuzzApply's seeds honest: each is a snapshot
// that applies to its base and matches its checksum.
func TestFuzzApplySeeds(t *testing.T) {
	base, seeds := fuzzSeeds()
	for i, b := range seeds {
		s := clientOf(base)
		info, _, err := s.Apply(b, nil)
		if err != nil || info.Checksum != 0 && info.Checksum != s.Hash() {
			t.Errorf("seed %d: %v, checksum %x, hash %x", i, err, info.Checksum, s.Hash())
		}
	}
}

// FuzzReadServerMessage splits any frame and reads the rare message in it:
// the readers may refuse it, with ErrMalformed, never panic; what they
// accept is what the generated code reads, and reads again the same once
// written.
func FuzzReadServerMessage(f *testing.F) {
	head := welcomeHead(f)
	base, seeds := fuzzSeeds()
	var enc pb.Encoder
	f.Add(pb.AppendWelcomeMessage(nil, head, 9, 31, enc.AppendSnapshot(nil, nil, base, nil, true)))
	f.Add(pb.AppendWelcomeMessage(nil, head, 9, 31, seeds[1]))
	for _, m := range rareMessages {
		b, err := pb.MarshalServer(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(unknowns(b))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		kind, body, err := pb.SplitServerMessage(frame)
		if err != nil || kind == pb.ServerSnapshot {
			return // FuzzApply's
		}
		m, err := readBody(kind, body)
		if err != nil {
			if !errors.Is(err, pb.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if w, ok := m.(*pb.Welcome); ok {
			_, state, _ := pb.ReadWelcome(body)
			var sn pb.Snapshot
			if (state == nil) != (w.State == nil) || proto.Unmarshal(state, &sn) != nil || !proto.Equal(&sn, w.State) && w.State != nil {
				t.Fatalf("welcome state %x does not say %v", state, w.GetState())
			}
		}
		again, err := proto.Marshal(m)
		if err != nil {
			t.Fatalf("read %v, which does not marshal: %v", m, err)
		}
		m2, err := readBody(kind, again)
		if err != nil || !proto.Equal(m, m2) {
			t.Fatalf("read %v; written again and read: %v, %v", m, m2, err)
		}
	})
}
