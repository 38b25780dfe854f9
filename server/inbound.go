// inbound.go — what a client sends, on its connection's read goroutine
// (conn.go): decode, validate, rate-limit, then queue inputs for the room
// (tick.go takes one per tick; an Inputs message queues several) or answer
// pings. Every bad frame gets a
// close code, a log line and a metric.

package server

import (
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"

	pb "skirmish/proto"
)

func (c *client) onMessage(m *gws.Message) {
	now := c.s.opts.Now()
	c.pushDeadline(now, false)
	met := c.s.metrics
	met.messagesIn.Inc()
	met.bytesIn.Add(float64(m.Data.Len()))
	if c.reason.Load() != nil {
		return // already being closed
	}
	if m.Opcode != gws.OpcodeBinary {
		c.s.opts.Logger.Warn("server: text frame", "player", c.ticket.PlayerID)
		c.kick(kickText)
		return
	}
	if !c.withinRate(now) {
		return
	}
	if err := pb.DecodeClientMessage(m.Bytes(), &c.msg); err != nil {
		met.malformed.Inc()
		c.s.opts.Logger.Warn("server: malformed message", "player", c.ticket.PlayerID, "err", err)
		c.kick(kickMalformed)
		return
	}
	if c.ticket.Spectator && c.msg.Kind != pb.ClientPing {
		c.spectatorInput() // spectate.go
		return
	}
	switch c.msg.Kind {
	case pb.ClientInput:
		c.input(c.msg.Input, now)
	case pb.ClientInputs:
		// Each input past the first counts against the flood limit as a
		// message would: batching saves frames, not the limit.
		c.limiter.charge(c.msg.NInputs - 1)
		for _, in := range c.msg.Inputs[:c.msg.NInputs] {
			c.input(in, now)
		}
	case pb.ClientPing:
		b, _ := pb.MarshalServer(&pb.ServerMessage{Msg: &pb.ServerMessage_Pong{Pong: &pb.Pong{
			ClientTime: c.msg.PingTime, Tick: c.room.tick.Load(),
		}}})
		c.conn.WriteAsync(gws.OpcodeBinary, b, nil)
	}
}

// input queues one input for the room, in range, with the time it
// arrived (its slot's fill time, tick.go, minus it is its margin).
func (c *client) input(in pb.InputMsg, now time.Time) {
	met := c.s.metrics
	in, clamped := c.room.game.Sanitize(in)
	if clamped {
		met.inputsClamped.Inc()
	}
	if !c.queue.push(&in, now.UnixNano()) {
		met.inputsDropped.WithLabelValues("queue_full").Inc()
	}
}

// withinRate applies the flood limit to a message or ping frame arriving
// at now: false means drop it (counted), and a client that keeps flooding
// is kicked.
func (c *client) withinRate(now time.Time) bool {
	if c.limiter.allow(now) {
		return true
	}
	c.s.metrics.inputsDropped.WithLabelValues("flood").Inc()
	if c.limiter.flooding() {
		c.s.opts.Logger.Warn("server: input flood", "player", c.ticket.PlayerID)
		c.kick(kickFlood)
	}
	return false
}

// floodLimiter is a GCRA token bucket: rate messages a second, bursts of up
// to one second's worth. A client whose excess reaches perSecondLimit drops
// within one second is flooding.
type floodLimiter struct {
	interval time.Duration // between messages at the allowed rate
	burst    time.Duration // how far ahead of schedule a client may be
	tat      time.Time     // theoretical arrival time of the next message
	limit    int           // drops per window that make a flood
	window   time.Time     // start of the current drop-counting window
	drops    int
}

func (l *floodLimiter) init(rate, perSecondLimit int) {
	l.interval = time.Second / time.Duration(rate)
	l.burst = time.Second
	l.limit = perSecondLimit
}

// allow reports whether a message arriving at now is within the rate.
func (l *floodLimiter) allow(now time.Time) bool {
	if l.tat.Before(now) {
		l.tat = now
	}
	if l.tat.Sub(now) > l.burst {
		if now.Sub(l.window) > time.Second {
			l.window, l.drops = now, 0
		}
		l.drops++
		return false
	}
	l.tat = l.tat.Add(l.interval)
	return true
}

// charge counts n more messages as arrived: the next ones are refused
// sooner.
func (l *floodLimiter) charge(n int) {
	l.tat = l.tat.Add(time.Duration(n) * l.interval)
}

// flooding reports whether the drops of the current window make a flood.
func (l *floodLimiter) flooding() bool { return l.drops >= l.limit }

// inputQueue is a bounded single-producer (the read goroutine),
// single-consumer (the room's goroutine) ring of inputs and their arrival
// times. Lock-free: the 60 Hz path takes no lock. It is its client's
// simwire.Queue: the room fills the client's input slots from it
// (tick.go).
type inputQueue struct {
	buf        []pb.InputMsg
	at         []int64       // buf[i] arrived at[i], Unix nanoseconds (Options.Now)
	head, tail atomic.Uint32 // pop at head, push at tail; tail-head = length
}

func (q *inputQueue) init(n int) { q.buf, q.at = make([]pb.InputMsg, n), make([]int64, n) }

// push appends in, which arrived at at (Unix nanoseconds); false when the
// queue is full (the input is dropped).
func (q *inputQueue) push(in *pb.InputMsg, at int64) bool {
	t := q.tail.Load()
	if t-q.head.Load() == uint32(len(q.buf)) {
		return false
	}
	i := t & uint32(len(q.buf)-1)
	q.buf[i], q.at[i] = *in, at
	q.tail.Store(t + 1)
	return true
}

// Len is the number of queued inputs. The room's goroutine calls it.
func (q *inputQueue) Len() int { return int(q.tail.Load() - q.head.Load()) }

// Pop takes the oldest input into dst and returns when it arrived. The
// room's goroutine calls it.
func (q *inputQueue) Pop(dst *pb.InputMsg) (at int64, ok bool) {
	h := q.head.Load()
	if h == q.tail.Load() {
		return 0, false
	}
	i := h & uint32(len(q.buf)-1)
	*dst, at = q.buf[i], q.at[i]
	q.head.Store(h + 1)
	return at, true
}
