// spectate_room_test.go — spectators inside one room, tick by tick
// (spectate.go): with SpectateDelay they are shown the world exactly that
// many ticks late, state, events and checksums alike, and nothing before
// the room is that old; without it they get the players' own bodies; and
// a tick with delayed spectators allocates nothing.

package server

import (
	"slices"
	"testing"
	"time"

	pb "skirmish/proto"
	"skirmish/ticket"
)

// newTestSpectator makes a spectator of r that writes to w and queues its
// join, as newTestClient does a player.
func newTestSpectator(tb testing.TB, r *room, w frameWriter) *client {
	tb.Helper()
	c := &client{s: r.s, room: r, ticket: ticket.Ticket{PlayerID: 1000 + uint64(len(r.spectators)+len(r.watch)), Name: "spectator", Room: r.id, Spectator: true}, out: newOutbox(w)}
	c.queue.init(r.s.opts.InputQueue)
	if _, ok := w.(*mailbox); ok {
		c.out.write = func() {}
	}
	if !r.offer(c) {
		tb.Fatal("room refused a spectator")
	}
	return c
}

// positions are the players' places at one tick, by id.
type positions map[uint32][2]int32

func positionsOf(s *pb.State) positions {
	out := positions{}
	for _, p := range s.Players {
		out[p.ID] = [2]int32{p.F[pb.FieldX], p.F[pb.FieldY]}
	}
	return out
}

func samePositions(a, b positions) bool {
	if len(a) != len(b) {
		return false
	}
	for id, p := range a {
		if b[id] != p {
			return false
		}
	}
	return true
}

func TestSpectatorsSeeTheRoomDelayed(t *testing.T) {
	for _, delay := range []uint32{0, 30} {
		m := newMovingRoom(t, 3, func(o *Options) {
			longMatches(o)
			o.SpectateDelay = time.Duration(delay) * time.Second / 60
		})
		past := map[uint32]positions{m.r.hist.tick: positionsOf(m.r.hist.at(m.r.hist.tick))}
		var happened []pb.EventInfo // the room's events, tick by tick
		record := func() { happened = append(happened, m.r.hist.events[m.r.hist.slot(m.r.hist.tick)]...) }
		record()
		spec := newTestSpectator(t, m.r, &mailbox{})
		var v viewer
		welcomed, shownFrom := false, uint32(0)
		for range 120 {
			m.tick()
			now := m.r.hist.tick
			past[now] = positionsOf(m.r.hist.at(now))
			record()
			msgs := deliver(spec)
			if now <= delay {
				if len(msgs) != 0 {
					t.Fatalf("delay %d: at tick %d the spectator was sent %d messages; want none before the room is %d ticks old", delay, now, len(msgs), delay)
				}
				continue
			}
			if len(msgs) != 1 {
				t.Fatalf("delay %d: at tick %d the spectator was sent %d messages; want 1", delay, now, len(msgs))
			}
			kind, _, _ := pb.SplitServerMessage(msgs[0])
			if !welcomed {
				w, _, err := pb.ReadWelcome(mustBody(t, msgs[0]))
				if err != nil || kind != pb.ServerWelcome || !w.GetSpectator() || w.GetPlayerId() != 0 {
					t.Fatalf("delay %d: first message kind %d, welcome %v, %v; want a Welcome saying spectator, player 0", delay, kind, w, err)
				}
				welcomed, shownFrom = true, now-delay
			}
			info, err := v.take(msgs[0]) // checks the checksums too
			if err != nil {
				t.Fatalf("delay %d: tick %d: %v", delay, now, err)
			}
			if info.Tick != now-delay || info.Ack != 0 {
				t.Fatalf("delay %d: at tick %d the spectator was shown tick %d (ack %d); want tick %d, ack 0", delay, now, info.Tick, info.Ack, now-delay)
			}
			if got, want := positionsOf(&v.state), past[info.Tick]; !samePositions(got, want) || len(got) != 3 {
				t.Fatalf("delay %d: tick %d as the spectator has it: %v; the room had %v", delay, info.Tick, got, want)
			}
		}
		if !welcomed {
			t.Fatalf("delay %d: the spectator was never welcomed", delay)
		}
		// The events too, as late: those of the ticks it was shown, from
		// its Welcome's on.
		var want []pb.EventInfo
		for _, ev := range happened {
			if ev.Tick >= shownFrom && ev.Tick <= m.r.hist.tick-delay {
				want = append(want, ev)
			}
		}
		if !slices.Equal(v.events, want) {
			t.Errorf("delay %d: the spectator was told %v; the room's events of its ticks were %v", delay, v.events, want)
		}
		if delay > 0 && len(want) == 0 {
			t.Errorf("delay %d: no event in the ticks shown, so the test shows nothing: want the spawns of tick 1", delay)
		}
		spec.out.stop()
	}
}

// mustBody is a ServerMessage's body.
func mustBody(t *testing.T, msg []byte) []byte {
	t.Helper()
	_, body, err := pb.SplitServerMessage(msg)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// newWatchedRoom is a movingRoom of players watched by watchers
// spectators delay late, each writing to a countingWriter, warmed up
// until every ring slot's slices have grown; tick runs one room tick and
// waits for every writer.
func newWatchedRoom(tb testing.TB, players, watchers int, delay time.Duration) (m *movingRoom, specs []*client, tick func()) {
	tb.Helper()
	m = newMovingRoom(tb, players, func(o *Options) {
		longMatches(o)
		o.SpectateDelay = delay
	})
	for range watchers {
		specs = append(specs, newTestSpectator(tb, m.r, &countingWriter{}))
	}
	tb.Cleanup(func() {
		for _, c := range specs {
			c.out.stop()
		}
	})
	tick = func() { m.tick(); waitIdle(specs) }
	for range 4 * len(m.r.hist.states) {
		tick()
	}
	return m, specs, tick
}

// TestTickWithDelayedSpectatorsDoesNotAllocate holds the 60 Hz path to zero
// allocations with spectators watching half a second late, as
// TestTickDoesNotAllocate does for players.
func TestTickWithDelayedSpectatorsDoesNotAllocate(t *testing.T) {
	_, specs, tick := newWatchedRoom(t, 16, 4, 500*time.Millisecond)
	if got := specs[0].out.conn.(*countingWriter).messages; got == 0 {
		t.Fatal("the spectators were sent nothing")
	}
	if n := testing.AllocsPerRun(200, tick); n != 0 {
		t.Errorf("%v allocations per tick of 16 moving players and 4 delayed spectators, want 0", n)
	}
}
