// snapshot_test.go covers snapshot.go: one delta body per distinct baseline, and that every client's body (delta from a skipped tick, full beyond History, Welcome) rebuilds exactly the room's state.

package server

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "skirmish/proto"
	"skirmish/sim"
)

// TestDeltasPerBaseline runs a room tick by tick and plays the writers by
// hand, so that its clients end up on different baselines: one takes every
// snapshot, one reads nothing for eight ticks (its queue fills, then it is
// skipped) while a player leaves and another joins under the same id and
// name, one misses more than History ticks (its next snapshot must be
// full), one joins late; at tick 37 three baselines meet (the last tick, a
// lagging one, and one beyond History). After every message taken the
// state the client rebuilt must hash like the room's state of that tick.
func TestDeltasPerBaseline(t *testing.T) {
	const history = 8
	r := newTestRoom(t, func(o *Options) { o.History = history; o.ChecksumEvery = 5 })

	type player struct {
		name   string
		c      *client
		v      viewer
		seq    uint32
		ack    uint32 // of the last snapshot taken
		fire   bool
		absent func(tick uint32) bool // ticks after which nothing is delivered
		fulls  int                    // full snapshots taken after the Welcome
	}
	never := func(uint32) bool { return false }
	steady := &player{name: "steady", fire: true, absent: never}
	lagging := &player{name: "lagging", absent: func(t uint32) bool { return t >= 7 && t < 15 || t >= 31 && t < 36 }}
	behind := &player{name: "behind", fire: true, absent: func(t uint32) bool { return t >= 20 && t < 20+history+8 }}
	leaver := &player{name: "twin", absent: never}
	quitter := &player{name: "quitter", absent: never}
	twin := &player{name: "twin", absent: never} // takes leaver's id, same name
	late := &player{name: "late", fire: true, absent: never}
	all := []*player{steady, lagging, behind, leaver, quitter}
	for _, p := range all {
		p.c = newTestClient(t, r, p.name, &mailbox{})
	}

	hashes := map[uint32]uint64{} // the room's state hash by tick
	var leaverID uint32
	replaced := false
	maxBodies := 0
	for tick := uint32(1); tick <= 60; tick++ {
		switch tick {
		case 12:
			leaverID = leaver.c.id
			leaver.c.closed.Store(true) // evicted by this step
		case 13:
			twin.c = newTestClient(t, r, twin.name, &mailbox{})
			all = append(all, twin)
		case 25:
			quitter.c.closed.Store(true)
		case 30:
			late.c = newTestClient(t, r, late.name, &mailbox{})
			all = append(all, late)
		}

		// Everyone still seated sends one input; directions change now
		// and then, the firing ones aim where they walk.
		var bases []uint32
		for i, p := range all {
			c := p.c
			if c.closed.Load() {
				continue
			}
			p.seq++
			dir := uint32(1 << ((int(tick)/16 + i) % 4))
			in := pb.InputMsg{Seq: p.seq, Move: dir, Aim: uint32(i * 128)}
			if p.fire {
				in.Buttons = uint32(sim.ButtonFire)
			}
			if !c.queue.push(&in, r.s.opts.Now().UnixNano()) {
				t.Fatalf("tick %d: %s: input queue full", tick, p.name)
			}
			if !c.out.full() {
				bases = append(bases, c.base) // 0 for one not yet admitted
			}
		}

		r.step(true)
		cur := r.hist.at(r.hist.tick)
		if cur == nil || cur.Tick != tick {
			t.Fatalf("tick %d: room captured %v", tick, cur)
		}
		hashes[tick] = cur.Hash()

		distinct := map[uint32]bool{}
		for _, b := range bases {
			if r.hist.at(b) == nil {
				b = 0
			}
			distinct[b] = true
		}
		maxBodies = max(maxBodies, len(r.bodyIndex))
		if len(r.bodyIndex) != len(distinct) {
			t.Errorf("tick %d: %d bodies encoded for %d distinct baselines %v", tick, len(r.bodyIndex), len(distinct), bases)
		}

		for _, p := range all {
			if p.c.closed.Load() || p.absent(tick) {
				continue
			}
			for _, msg := range deliver(p.c) {
				info, err := p.v.take(msg)
				if err != nil {
					t.Fatalf("tick %d: %s: %v", tick, p.name, err)
				}
				if kind, _, _ := pb.SplitServerMessage(msg); info.Full && kind == pb.ServerSnapshot {
					p.fulls++
				}
				if p == lagging && tick == 16 {
					// Its first delta after the lag goes from tick 9, when
					// leaver held the id twin holds now: same id, same name,
					// another player. It must say so (left, then joined).
					replaced = replacedIn(t, msg, leaverID)
				}
				want, ok := hashes[info.Tick]
				if !ok {
					t.Fatalf("tick %d: %s: snapshot of unknown tick %d", tick, p.name, info.Tick)
				}
				if got := p.v.state.Hash(); got != want {
					t.Fatalf("tick %d: %s: rebuilt state of tick %d hashes %x, room's %x", tick, p.name, info.Tick, got, want)
				}
				if info.Checksum != 0 && info.Checksum != want {
					t.Fatalf("tick %d: %s: checksum %x, room's %x", tick, p.name, info.Checksum, want)
				}
				// A late delivery carries the ack of when it was sent.
				if info.Ack == 0 || info.Ack < p.ack || info.Ack > p.c.slots.Ack() {
					t.Fatalf("tick %d: %s: ack %d after %d, room applied %d", tick, p.name, info.Ack, p.ack, p.c.slots.Ack())
				}
				p.ack = info.Ack
			}
		}
	}

	if twin.c.id != leaverID || twin.c.serial == leaver.c.serial {
		t.Fatalf("twin got id %d serial %d; leaver had id %d serial %d: the test wants a reused id", twin.c.id, twin.c.serial, leaverID, leaver.c.serial)
	}
	if !replaced {
		t.Errorf("lagging's delta from tick 10 did not replace player %d (left + joined)", leaverID)
	}
	if maxBodies < 3 {
		t.Errorf("at most %d bodies in one tick: the test wants clients on three baselines at once", maxBodies)
	}
	if steady.fulls != 0 || lagging.fulls != 0 || behind.fulls != 1 {
		t.Errorf("full snapshots after the Welcome: steady %d, lagging %d, behind %d; want 0, 0, 1", steady.fulls, lagging.fulls, behind.fulls)
	}
	final := r.hist.tick
	for _, p := range all {
		if p.c.closed.Load() {
			continue
		}
		if p.v.state.Tick != final || p.v.state.Hash() != hashes[final] {
			t.Errorf("%s ends at tick %d, room at %d", p.name, p.v.state.Tick, final)
		}
		if p.v.id != p.c.id {
			t.Errorf("%s: Welcome said id %d, room seated it as %d", p.name, p.v.id, p.c.id)
		}
	}
	if len(r.hist.at(final).Shots) == 0 {
		t.Errorf("no shots in flight at the end: the test wants shots in its deltas")
	}
}

// replacedIn reports whether the Snapshot in msg lists player id as left
// and as joined.
func replacedIn(t *testing.T, msg []byte, id uint32) bool {
	t.Helper()
	var m pb.ServerMessage
	if err := proto.Unmarshal(msg, &m); err != nil {
		t.Fatal(err)
	}
	snap := m.GetSnapshot()
	left, joined := slices.Contains(snap.GetLeft(), id), false
	for _, j := range snap.GetJoined() {
		joined = joined || j.GetId() == id
	}
	return left && joined
}

// TestLateTicksSendTheLastSnapshots: a room that runs overdue ticks back
// to back sends only the last sendLate ticks' snapshots, counts the others
// merged, and what those changed comes along: the client rebuilds the
// room's state each time, and the shots fired in a tick that sent nothing
// show up.
func TestLateTicksSendTheLastSnapshots(t *testing.T) {
	r := newTestRoom(t, nil)
	var v viewer
	c := newTestClient(t, r, "late", &mailbox{})
	r.step(true) // Welcome
	for _, msg := range deliver(c) {
		if _, err := v.take(msg); err != nil {
			t.Fatal(err)
		}
	}
	const run = sendLate + 2
	for seq := uint32(1); seq <= run; seq++ {
		c.queue.push(&pb.InputMsg{Seq: seq, Buttons: uint32(sim.ButtonFire)}, r.s.opts.Now().UnixNano())
	}
	first := r.hist.tick + 1
	r.ticks(run, 0, 0)
	msgs := deliver(c)
	if len(msgs) != sendLate {
		t.Fatalf("%d messages for %d ticks run back to back, want %d", len(msgs), run, sendLate)
	}
	for i, msg := range msgs {
		info, err := v.take(msg)
		if err != nil {
			t.Fatal(err)
		}
		want := r.hist.at(first + run - sendLate + uint32(i))
		if info.Tick != want.Tick || v.state.Hash() != want.Hash() {
			t.Fatalf("message %d: rebuilt tick %d hashing %x; want tick %d, %x", i, info.Tick, v.state.Hash(), want.Tick, want.Hash())
		}
		if info.Ack != want.Tick-first+1 {
			t.Errorf("message %d: ack %d, want %d", i, info.Ack, want.Tick-first+1)
		}
	}
	if r.stats.merged != run-sendLate {
		t.Errorf("%d snapshots counted merged, want %d", r.stats.merged, run-sendLate)
	}
	if len(v.state.Shots) == 0 {
		t.Error("no shots in the rebuilt state: the fire of the merged ticks is lost")
	}
}
