// bench_test.go — what a bot costs its swarm per second of play, on a
// stream a server would send (a room of 16 fighting players, the player
// under test's inputs acked 6 behind, as over 100 ms): the frames a
// second at 60 and 20 fps through the netcode (drain, updates, draw, the
// screen's figures), against the bot's work before it drove the netcode
// (apply each snapshot, check its checksum, one input a tick from the
// state). One op is one bot-second; SwarmSecond plays 512 bots in turn,
// each cold in the cache when its frame comes, as in a swarm.

package bots

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"skirmish/client/netcode"
	pb "skirmish/proto"
	"skirmish/server"
	"skirmish/sim"
)

// benchLag is how many inputs behind the newest the stream's acks run;
// benchLead the input lead it reports, the input clock's target, so that
// the clock neither speeds up nor slows down.
const (
	benchLag  = 6
	benchLead = 1
)

// stream is a room of 16 fighting players, as the server encodes it for
// player 1.
type stream struct {
	game      server.Game
	enc       pb.Encoder
	prev, cur pb.State
	events    []pb.EventInfo
	head      []byte
	body      []byte
	arena     *Arena
	fighters  []Behavior
	rng       *rand.Rand
	inputs    []server.PlayerInput
	welcomed  bool
	made      int64 // inputs the bot under test has made, as the stream assumes
}

func newStream(tb testing.TB) *stream {
	s := &stream{game: server.NewSimGame(sim.DefaultConfig()), rng: rand.New(rand.NewPCG(1, 2))}
	for id := uint32(1); id <= 16; id++ {
		if err := s.game.AddPlayer(id); err != nil {
			tb.Fatal(err)
		}
		s.fighters = append(s.fighters, Fight())
	}
	wel := &pb.Welcome{ProtocolVersion: 1, Room: "bench", TickRate: sim.TickRate}
	s.game.Describe(wel)
	head, err := proto.Marshal(wel)
	if err != nil {
		tb.Fatal(err)
	}
	arena, err := NewArena(wel)
	if err != nil {
		tb.Fatal(err)
	}
	s.head, s.arena = head, arena
	return s
}

// next runs a tick and appends the frame player 1 gets to dst.
func (s *stream) next(dst []byte) []byte {
	s.inputs = s.inputs[:0]
	for i, f := range s.fighters {
		id := uint32(i + 1)
		s.inputs = append(s.inputs, server.PlayerInput{ID: id, Input: f(id, &s.cur, s.arena, s.rng)})
	}
	s.game.Step(s.inputs)
	s.events = s.game.Capture(&s.cur, s.events[:0])
	s.made++ // the bot under test makes an input a tick
	ack := uint32(max(s.made-benchLag, 0))
	if !s.welcomed {
		s.welcomed = true
		s.body = s.enc.AppendSnapshot(s.body[:0], nil, &s.cur, s.events, true)
		dst = pb.AppendWelcomeMessage(dst, s.head, 1, ack, s.body)
	} else {
		s.body = s.enc.AppendSnapshot(s.body[:0], &s.prev, &s.cur, s.events, s.cur.Tick%sim.TickRate == 0)
		dst = pb.AppendSnapshotMessage(dst, ack, benchLead, s.body)
	}
	s.prev.CopyFrom(&s.cur)
	return dst
}

// second is the next second of frames, each valid until the next call.
func (s *stream) second(buf []byte, frames [][]byte) ([]byte, [][]byte) {
	buf, frames = buf[:0], frames[:0]
	var ends []int
	for range sim.TickRate {
		buf = s.next(buf)
		ends = append(ends, len(buf))
	}
	start := 0
	for _, end := range ends {
		frames = append(frames, buf[start:end])
		start = end
	}
	return buf, frames
}

func BenchmarkBotSecond(b *testing.B) {
	for _, fps := range []int{60, 20} {
		b.Run("netcode/fps="+strconv.Itoa(fps), func(b *testing.B) { benchNetcodeBot(b, fps) })
	}
	b.Run("before-netcode", benchApplyBot)
}

// BenchmarkSwarmSecond is BotSecond's bot at 60 fps, 512 of them taking
// turns as a swarm's shard plays them: each bot's frame after every
// other's, its state cold in the cache by then. They all take the same
// stream (each is player 1 of its own copy of the room), after two
// seconds of it off the clock. One op is one second of the 512 bots; the
// figures to read are ns/bot-second and, on a machine shared with other
// work, cpu-ns/bot-second (the process's CPU time: the bots', the
// runtime's and the garbage collector's, not the time others ran).
func BenchmarkSwarmSecond(b *testing.B) { benchBots(b, 60, 512, 2) }

// benchNetcodeBot is one bot at fps; one op, one bot-second.
func benchNetcodeBot(b *testing.B, fps int) { benchBots(b, fps, 1, 0) }

// benchBots plays count bots at fps on one stream, every frame each bot's
// in turn, warm seconds off the clock and then b.N seconds.
func benchBots(b *testing.B, fps, count, warm int) {
	s := newStream(b)
	now := time.Now()
	var buf []byte
	var frames [][]byte
	buf, frames = s.second(buf, frames)
	bots := make([]*Bot, count)
	for i := range bots {
		bot := &Bot{opts: Options{Behavior: Fight(), FPS: fps, InputsPerMessage: 1, DropEvents: true},
			net: netcode.New(netcode.Options{}), rng: rand.New(rand.NewPCG(3, uint64(4+i))),
			welcomed: make(chan struct{}), closed: make(chan struct{})}
		bot.driven.Store(true)
		for _, fr := range frames { // the Welcome and the rest of its second
			bot.in.put(fr, now)
		}
		bot.drain()
		if !bot.net.Welcomed() || bot.closeErr != nil {
			b.Fatalf("welcomed %v: %v", bot.net.Welcomed(), bot.closeErr)
		}
		bots[i] = bot
	}
	perFrame := sim.TickRate / fps
	var hist [6]Histogram
	second := func() {
		for f := range fps {
			now = now.Add(time.Second / time.Duration(fps))
			for _, bot := range bots {
				for _, fr := range frames[f*perFrame : (f+1)*perFrame] {
					bot.in.put(fr, now)
				}
				bot.playFrame(now, sim.TickRate)
				bot.play.out, bot.play.ends = bot.play.out[:0], bot.play.ends[:0]
			}
		}
		for _, bot := range bots { // the swarm's look once a second (collect.go)
			bot.timing.takeInto(&hist[0], &hist[1], &hist[2], &hist[3], &hist[4], &hist[5])
		}
	}
	for range warm {
		buf, frames = s.second(buf, frames)
		second()
	}
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	cpuOK := true
	for range b.N {
		b.StopTimer()
		buf, frames = s.second(buf, frames)
		c0, ok0 := processCPU()
		b.StartTimer()
		second()
		c1, ok1 := processCPU()
		cpu, cpuOK = cpu+c1-c0, cpuOK && ok0 && ok1
	}
	b.StopTimer()
	if count > 1 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*count), "ns/bot-second")
		if cpuOK {
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*count), "cpu-ns/bot-second")
		}
	}
	for _, bot := range bots {
		if st := *bot.counted(); st.Desyncs != 0 || st.Frames < (warm+b.N)*fps || st.Snapshots < (warm+b.N)*sim.TickRate {
			b.Fatalf("stats %+v after %d bot-seconds", st, warm+b.N)
		}
	}
}

// benchApplyBot is the bot's work before the netcode: each snapshot
// applied and its checksum checked, an input a tick from the state.
func benchApplyBot(b *testing.B) {
	s := newStream(b)
	var buf []byte
	var frames [][]byte
	buf, frames = s.second(buf, frames)
	// The Welcome's state, read as the netcode reads it; the bot applied
	// the rest of the second's snapshots on top.
	welcome := netcode.New(netcode.Options{})
	if err := welcome.Handle(frames[0], time.Now()); err != nil {
		b.Fatal(err)
	}
	var state pb.State
	state.CopyFrom(welcome.State())
	var events []pb.EventInfo
	var out []byte
	fight, rng := Fight(), rand.New(rand.NewPCG(3, 4))
	apply := func(frames [][]byte) {
		for _, fr := range frames {
			_, body, err := pb.SplitServerMessage(fr)
			if err != nil {
				b.Fatal(err)
			}
			info, ev, err := state.Apply(body, events[:0])
			if err != nil {
				b.Fatal(err)
			}
			events = ev
			if info.Checksum != 0 && info.Checksum != state.Hash() {
				b.Fatal("desync")
			}
			out = pb.AppendInput(out[:0], fight(1, &state, s.arena, rng))
		}
	}
	apply(frames[1:])
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		buf, frames = s.second(buf, frames)
		b.StartTimer()
		apply(frames)
	}
}
