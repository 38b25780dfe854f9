// frame.go — a bot plays as a browser at N frames a second does
// (client/session.go): each frame drains the socket once (bot.go's drain:
// every frame that arrived since the last goes to the netcode, with the
// time it arrived), then runs the updates due, back to back, each giving
// the behaviour's wish, from what the last frame drew, to the netcode's
// input clock and sending the inputs it makes, a ping
// about once a second, and then draws: netcode.Advance and View, which
// screen.go looks at. Run drives one bot; a swarm's shard goroutines drive many
// (swarm.go). The frames go out after the bot's lock is released.

package bots

import (
	"context"
	"fmt"
	"time"

	"github.com/lxzan/gws"

	pb "skirmish/proto"
	"skirmish/simwire"
)

// maxCatchUp is the most updates one frame runs after the bot fell behind
// (a shard goroutine held up, a stalled write), in seconds of updates:
// beyond it the updates are dropped, as a game skips them after a hidden
// tab or a long pause.
const maxCatchUp = time.Second / 4

// driver is what the goroutine that drives a bot owns: its update clock,
// its next ping, and the frames to send.
type driver struct {
	start   time.Time // the update clock's origin: update n is due at start + n/rate
	updates int64     // run so far
	seq     uint32    // of the last input made; the netcode numbers them the same

	nextPing time.Time

	out     []byte // this frame's frames to send, back to back
	ends    []int  // where each ends in out
	msg     pb.ClientMsg
	pending []pb.InputMsg // made, not sent yet (InputsPerMessage > 1)
}

// due is how many updates to run in a frame at now, at rate a second for
// a bot drawing fps frames a second: those whose time has come, the first
// frame doing one frame's share, at most maxCatchUp's worth.
func (p *driver) due(now time.Time, rate, fps int) int {
	tick := time.Second / time.Duration(rate)
	if p.start.IsZero() {
		p.start = now.Add(-time.Second / time.Duration(fps))
	}
	// Rounded: frames that come a little early or late still run their
	// share, TickRate/FPS on average and in a steady stream.
	due := int64((now.Sub(p.start) + tick/2) / tick)
	if limit := int64(maxCatchUp / tick); due-p.updates > limit {
		p.updates = due - limit
	}
	n := max(due-p.updates, 0)
	p.updates += n
	return int(n)
}

// queue adds a frame to send once the lock is released.
func (p *driver) queue(frame []byte) {
	p.out = append(p.out, frame...)
	p.ends = append(p.ends, len(p.out))
}

// frame plays one frame at now, with rate updates a second (the server's
// tick rate) at the bot's FPS, and sends what it made. It returns the
// first write the connection refused.
func (b *Bot) frame(now time.Time, rate int) error {
	b.mu.Lock()
	b.playFrame(now, rate)
	b.mu.Unlock()
	return b.send()
}

// playFrame is frame's work under the bot's lock: the drain, the updates
// due, the ping, the draw and the look at it; the frames made wait in
// b.play for send.
func (b *Bot) playFrame(now time.Time, rate int) {
	p := &b.play
	b.drain()
	n := p.due(now, rate, b.opts.FPS)
	for range n {
		b.update(now)
	}
	if n > 0 && !now.Before(p.nextPing) {
		p.nextPing = now.Add(pingEvery)
		p.queue(b.ping(now))
	}
	// The end of the last update and the draw, as client/session.go does:
	// the netcode moves to now, the HUD takes the events the picture has
	// reached (counted as they arrived, bot.go), the draw reads the View.
	b.net.Advance(now)
	b.net.Events()
	b.screen.untrue(b.net.UntrueHits(), &b.stats)
	b.screen.view = b.net.Prepared()
	b.screen.look(b.net, &b.timing, &b.stats)
	b.stats.Frames++
}

// update is one update: the behaviour's wish, from the picture last
// drawn, goes to the netcode's input clock, which makes every input due
// (none to eight: client/session.go's Inputs). The caller holds the bot's
// lock.
func (b *Bot) update(now time.Time) {
	in := b.opts.Behavior(b.id, &b.screen.state, b.arena, b.rng)
	b.made(b.net.Inputs(simwire.Input(in), now), now)
}

// made takes a frame of inputs the netcode made at now (nil: none): each
// input is recorded (when it was made, for input→ack; its aim, for the own
// shot it may fire) and the frame queued as it is, or its inputs gathered
// until InputsPerMessage of them go in one Inputs frame. The caller holds
// the bot's lock.
func (b *Bot) made(frame []byte, now time.Time) {
	if frame == nil {
		return
	}
	p := &b.play
	if err := pb.DecodeClientMessage(frame, &p.msg); err != nil {
		p.queue(frame) // not the netcode's input frame: it goes as it is
		return
	}
	ins := p.msg.Inputs[:p.msg.NInputs]
	if p.msg.Kind == pb.ClientInput {
		ins = []pb.InputMsg{p.msg.Input}
	}
	for _, in := range ins {
		p.seq = in.Seq
		b.timing.made(in.Seq, now.Sub(epoch))
		b.screen.aimed(in.Seq, in.Aim)
	}
	if b.opts.InputsPerMessage == 1 {
		p.queue(frame)
		return
	}
	p.pending = append(p.pending, ins...)
	if len(p.pending) >= b.opts.InputsPerMessage {
		p.flush()
	}
}

// flush queues the inputs gathered, at most pb.MaxInputs a frame.
func (p *driver) flush() {
	for len(p.pending) > 0 {
		n := min(len(p.pending), pb.MaxInputs)
		if n == 1 {
			p.out = pb.AppendInput(p.out, p.pending[0])
		} else {
			p.out = pb.AppendInputs(p.out, p.pending[:n])
		}
		p.ends = append(p.ends, len(p.out))
		p.pending = p.pending[n:]
	}
	p.pending = p.pending[:0]
}

// send writes the queued frames, in order, and counts a refusal.
func (b *Bot) send() error {
	p := &b.play
	var err error
	start := 0
	for _, end := range p.ends {
		if werr := b.conn.WriteMessage(gws.OpcodeBinary, p.out[start:end]); werr != nil && err == nil {
			err = werr
			b.mu.Lock()
			b.stats.Errors++
			b.mu.Unlock()
		}
		start = end
	}
	p.out, p.ends = p.out[:0], p.ends[:0]
	return err
}

// Send makes in the bot's next input, now and outside the input clock
// (netcode.Client.Input), and sends it (with any gathered and not sent
// yet). Send, Ping and Run must not be used concurrently: they share the
// bot's numbering and buffers.
func (b *Bot) Send(in pb.InputMsg) error {
	b.mu.Lock()
	now := time.Now()
	b.made(b.net.Input(simwire.Input(in), now), now)
	b.play.flush()
	b.mu.Unlock()
	return b.send()
}

// Seq is the seq of the last input sent.
func (b *Bot) Seq() uint32 { return b.play.seq }

// Ping asks for a pong; Stats.RTT and Stats.HUDRTT measure it.
func (b *Bot) Ping() error {
	b.mu.Lock()
	b.play.queue(b.ping(time.Now()))
	b.mu.Unlock()
	return b.send()
}

// Run plays frames at Options.FPS, TickRate updates a second, until ctx
// ends or the connection does. While it runs it drains the socket itself
// each frame; when it returns, the read goroutine hands frames to the
// netcode again as they come.
func (b *Bot) Run(ctx context.Context) error {
	b.driven.Store(true)
	defer b.undrive()
	rate := b.TickRate()
	t := time.NewTicker(time.Second / time.Duration(b.opts.FPS))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-b.closed:
			return ErrClosed
		case <-t.C:
		}
		if err := b.frame(time.Now(), rate); err != nil {
			return fmt.Errorf("bots: send: %w", err)
		}
	}
}

// ping is the netcode's Ping frame at now; the first one's now is when
// the Pongs' client_time counts from. The caller holds the bot's lock.
func (b *Bot) ping(now time.Time) []byte {
	if !b.pinged {
		b.pinged, b.pingEpoch = true, now
	}
	return b.net.Ping(now)
}

// undrive gives the socket back to the read goroutine, with what is
// queued.
func (b *Bot) undrive() {
	b.driven.Store(false)
	b.mu.Lock()
	b.drain()
	b.mu.Unlock()
}
