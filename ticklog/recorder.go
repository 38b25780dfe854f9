// recorder.go — the room's side of recording: a Recorder watches one
// World, is told of its joins and leaves and of each Step, and appends what
// the Step applied to the current chunk (encode.go). A finished chunk goes
// to the Dir's writer goroutine (writer.go) through its bounded queue; when
// the queue is full the log is dropped and counted, never waited for.

package ticklog

import (
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"skirmish/sim"
)

// Recorder records the matches of one World. Only the goroutine that owns
// the World (a room's) calls its methods; none of them blocks but Close,
// and none allocates once its buffers have grown, except when a chunk
// buffer must be made because none is free.
type Recorder struct {
	d     *Dir
	w     *sim.World
	names func(id sim.PlayerID) string
	now   func() time.Time

	open    bool   // a log is being recorded
	dropped bool   // the open log was dropped: record nothing until the next
	serial  uint32 // counts this Recorder's logs
	seq     uint32 // chunks sent of the open log
	h       header
	chunk   *buffer
	inChunk int // ticks in chunk

	roster   []int32 // this tick's joins (id) and leaves (-id)
	amends   []byte  // this tick's amendments, encoded (Tick.amends)
	held     [sim.MaxPlayers + 1]sim.Input
	nameOf   [sim.MaxPlayers + 1]string
	saved    sim.Saved
	sc       scratch
	anyone   bool // a player was in the World during the open log
	tickBody []byte
}

// Recorder returns a Recorder of w's matches in room, as a room names it
// in Header.room, at tickRate ticks a second; names gives a player's name
// when it has joined (it is called in Stepped, after the joins of the
// tick); now is the wall clock for the header's times. If w is in a
// match, its log begins now.
func (d *Dir) Recorder(room string, w *sim.World, tickRate int, names func(sim.PlayerID) string, now func() time.Time) *Recorder {
	r := &Recorder{d: d, w: w, names: names, now: now, roster: make([]int32, 0, sim.MaxPlayers)}
	r.h.room, r.h.tickRate, r.h.config, r.h.keyframeEvery = room, tickRate, w.Config(), d.opts.KeyframeEvery
	for i := range w.Players {
		p := &w.Players[i]
		r.nameOf[p.ID] = names(p.ID)
	}
	if w.Match.Phase == sim.PhasePlaying {
		r.begin()
	}
	return r
}

// Joined records that the player id was added to the World.
func (r *Recorder) Joined(id sim.PlayerID) {
	r.roster = append(r.roster, int32(id))
	r.held[id] = sim.Input{}
	r.nameOf[id] = ""
	if r.open {
		r.h.players = append(r.h.players, summary{id: id, present: true})
		r.anyone = true
	}
}

// Leaving records that the player id is about to be removed from the
// World: its score is read now.
func (r *Recorder) Leaving(id sim.PlayerID) {
	r.roster = append(r.roster, -int32(id))
	if !r.open {
		return
	}
	for i := len(r.h.players) - 1; i >= 0; i-- {
		if s := &r.h.players[i]; s.id == id && s.present {
			if p := r.w.Player(id); p != nil {
				s.kills, s.deaths = p.Kills, p.Deaths
			}
			s.present = false
			break
		}
	}
}

// Amended records that the World just amended player id back Steps
// (sim.World.Amend, which accepted it: back is 1 or 2) with the input it
// now holds. The log keeps amendments in the order they were made, across
// players: a replay makes them in that order (a shot an amendment fires is
// numbered by it). For one player between two Steps, a log holds at most
// a back-2 amendment followed by a back-1 one, the order a server makes
// them in; a replay refuses any other.
//
// A back-1 amendment with the held input changed nothing if that input
// does not fire (the last Step moved the player by it from where the
// amendment starts), and is not recorded. One with a held input that fires
// is: after a back-2 amendment, whose redo of the last move held that fire
// back, it may fire. A back-2 amendment is always recorded: the Step
// before last may have moved the player by another input than the held
// one, so even the held input may change that move.
func (r *Recorder) Amended(id sim.PlayerID, back int) {
	p := r.w.Player(id)
	if p == nil || back == 1 && p.Input == r.held[id] && p.Input.Buttons&sim.ButtonFire == 0 {
		return
	}
	r.amends = appendAmend(r.amends, id, back, r.held[id], p.Input)
	r.held[id] = p.Input
}

// Stepped records the Step the World just took: the roster changes and
// amendments since the last one, the inputs it applied, its hash; it ends the log when the
// match ended, starts one when a match started, and sends the chunk when
// it holds Options.KeyframeEvery ticks.
func (r *Recorder) Stepped() {
	w := r.w
	for _, id := range r.roster {
		if id > 0 {
			r.nameOf[id] = r.names(sim.PlayerID(id))
		}
	}
	if r.open && !r.dropped {
		r.appendTick()
	}
	r.roster, r.amends = r.roster[:0], r.amends[:0]
	for i := range w.Players {
		p := &w.Players[i]
		r.held[p.ID] = p.Input
	}
	started, ended := false, false
	var winner sim.PlayerID
	for _, e := range w.Events {
		switch e.Kind {
		case sim.EventMatchEnd:
			ended, winner = true, e.A
		case sim.EventMatchStart:
			started = true
		}
	}
	switch {
	case r.open && ended:
		r.h.complete, r.h.winner = true, winner
		r.finish()
	case !r.open && started && w.Match.Phase == sim.PhasePlaying:
		r.begin()
	case r.open && !r.dropped && r.inChunk >= r.h.keyframeEvery:
		r.send(recordChunk, false)
		if !r.dropped {
			r.startChunk()
		}
	}
}

// appendTick appends this tick's Tick to the chunk.
func (r *Recorder) appendTick() {
	w := r.w
	b := r.tickBody[:0]
	b = appendFixed32(b, tickHash, uint32(w.Digest()))
	if len(r.roster) > 0 {
		r.sc.l[1] = r.sc.l[1][:0]
		for _, id := range r.roster {
			r.sc.l[1] = appendVarintZigZag(r.sc.l[1], id)
		}
		b = appendBytes(b, tickRoster, r.sc.l[1])
		for _, id := range r.roster {
			if id > 0 {
				r.sc.l[1] = appendName(r.sc.l[1][:0], sim.PlayerID(id), r.nameOf[id])
				b = appendBytes(b, tickNames, r.sc.l[1])
				r.named(sim.PlayerID(id))
			}
		}
	}
	if len(r.amends) > 0 {
		b = appendBytes(b, tickAmends, r.amends)
	}
	r.sc.l[1] = r.sc.l[1][:0]
	for i := range w.Players {
		p := &w.Players[i]
		if p.Input != r.held[p.ID] {
			r.sc.l[1] = appendChange(r.sc.l[1], p.ID, r.held[p.ID], p.Input)
		}
	}
	if len(r.sc.l[1]) > 0 {
		b = appendBytes(b, tickChanges, r.sc.l[1])
	}
	r.tickBody = b
	r.chunk.b = appendBytes(r.chunk.b, chunkTicks, b)
	r.inChunk++
	r.h.last = w.Tick
	if len(w.Players) > 0 {
		r.anyone = true
	}
}

// named gives the newest summary of id its name.
func (r *Recorder) named(id sim.PlayerID) {
	for i := len(r.h.players) - 1; i >= 0; i-- {
		if s := &r.h.players[i]; s.id == id {
			s.name = r.nameOf[id]
			return
		}
	}
}

// begin starts a log of the World's current match, from its state now.
func (r *Recorder) begin() {
	w := r.w
	r.open, r.dropped, r.anyone = true, false, len(w.Players) > 0
	r.serial++
	r.seq = 0
	r.h.match, r.h.first, r.h.last = w.Match.Number, w.Tick+1, w.Tick
	r.h.startMs, r.h.complete, r.h.winner = r.now().UnixMilli(), false, 0
	r.h.players = r.h.players[:0]
	for i := range w.Players {
		p := &w.Players[i]
		r.h.players = append(r.h.players, summary{id: p.ID, name: r.nameOf[p.ID], present: true})
		r.held[p.ID] = p.Input
	}
	r.startChunk()
}

// startChunk takes a buffer and starts a Chunk in it with a keyframe of
// the World's state now.
func (r *Recorder) startChunk() {
	r.chunk = r.d.buffer()
	r.inChunk = 0
	w := r.w
	r.chunk.b = appendInt(r.chunk.b, chunkFirstTick, w.Tick+1)
	w.Save(&r.saved)
	r.sc.l[0] = appendKeyframe(r.sc.l[0][:0], &r.sc, &r.saved, &r.nameOf)
	r.chunk.b = appendBytes(r.chunk.b, chunkKeyframe, r.sc.l[0])
}

// finish ends the open log: the last chunk, then the header, with every
// player still in the World scored now. A log nobody played in is
// dropped.
func (r *Recorder) finish() {
	r.open = false
	if r.dropped {
		r.d.recycle(r.chunk)
		r.chunk = nil
		return
	}
	if !r.anyone {
		r.d.recycle(r.chunk)
		r.chunk = nil
		r.d.abort(r, r.serial)
		return
	}
	if r.inChunk > 0 {
		r.send(recordChunk, false)
	} else {
		r.d.recycle(r.chunk)
	}
	r.chunk = nil
	for i := range r.h.players {
		s := &r.h.players[i]
		if p := r.w.Player(s.id); s.present && p != nil {
			s.kills, s.deaths = p.Kills, p.Deaths
		}
	}
	r.h.endMs = r.now().UnixMilli()
	b := r.d.buffer()
	b.b = appendHeader(b.b, &r.sc, &r.h)
	r.chunk = b
	r.send(recordHeader, true)
	r.chunk = nil
}

// send frames the chunk buffer as field n of a Record and queues it for
// the writer; last marks the header, which ends the log. A full queue
// drops the log.
func (r *Recorder) send(n protowire.Number, last bool) {
	r.chunk.frame(n)
	if !r.d.queue(message{rec: r, serial: r.serial, seq: r.seq, last: last, buf: r.chunk}) {
		r.dropped = true
		r.d.recycle(r.chunk)
	}
	r.chunk = nil
	r.seq++
}

// Close ends the recording as the room closes: a match still being played
// is written as it stands (Header.complete false). It waits for room in
// the writer's queue, up to Options.CloseWait.
func (r *Recorder) Close() {
	if r.open {
		r.finish()
	}
	r.d.closeRecorder(r)
}

// appendVarintZigZag appends v as a packed sint32 element.
func appendVarintZigZag(dst []byte, v int32) []byte {
	return protowire.AppendVarint(dst, protowire.EncodeZigZag(int64(v)))
}

// Abandon ends the recording without writing the match being played:
// after a crash, when the World may be half-way through a Step.
func (r *Recorder) Abandon() {
	if r.open && r.chunk != nil {
		r.d.recycle(r.chunk)
		r.chunk = nil
	}
	r.open = false
	r.d.closeRecorder(r)
}
