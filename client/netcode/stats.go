// stats.go — what the Client measures about its connection, for a network
// HUD and for tests: round trips (from client.go's Pongs), traffic and
// snapshot rates over the last second, and the netcode's own figures from
// predict.go, shots.go, inputclock.go and clock.go.

package netcode

import "time"

// Stats is a Client's connection at a glance. Rates are over the last
// whole second before the latest time the Client was given.
type Stats struct {
	RTT         time.Duration // round trip of the last Pong
	SmoothedRTT time.Duration // running mean of the round trips (weight 1/8, as TCP's SRTT)

	Snapshots       int     // snapshots applied, the Welcome's included
	SnapshotsPerSec float64 // the Welcome's included
	BytesInPerSec   float64 // of every frame Handle took
	BytesOutPerSec  float64 // of every frame Input and Ping returned
	ServerTick      uint32  // tick of the newest snapshot
	Seq, Ack        uint32  // the last input numbered, and the last the server accounted for

	// The input clock (inputclock.go): how early the server says inputs
	// arrive, in ticks: the newest input_lead; its trough, the mean of its
	// least in each of the last four 8-tick buckets (below 0, the clock
	// runs fast); its floor, the least over the last sixteen (about two
	// seconds; above 0, the clock runs slow); and how much faster than the
	// tick rate the clock runs (−0.05 to 0.05).
	InputLead   int32
	InputTrough float64
	InputFloor  int32
	Dilation    float64

	Corrections    int   // snapshots that put the local player elsewhere than predicted
	LastCorrection int32 // size of the last one, in sim units
	Checksums      int   // snapshots that carried a checksum
	Desyncs        int   // checksums that did not match the state rebuilt from snapshots

	// OwnShots counts the shots the local player's inputs fired as
	// predicted; OwnShotsRefused those of them drawn that the server did not
	// fire (they faded out); OwnShotsUnpredicted the server's shots of the
	// local player that no prediction had drawn (drawn from their snapshot on).
	OwnShots, OwnShotsRefused, OwnShotsUnpredicted int
	// OwnShotLatency is, for the last predicted own shot drawn, the time
	// from the Input that fired it to the first Advance that drew it: 0 when
	// the game draws the frame its input was made in. OwnShotLatencyMax is
	// the largest so far.
	OwnShotLatency, OwnShotLatencyMax time.Duration

	InterpDelay time.Duration // how far behind the server other players were drawn by the last Advance
	TargetDelay time.Duration // where that delay is heading: two intervals and the jitter, clamped
	Interval    time.Duration // running mean time between two snapshots
	Jitter      time.Duration // running mean deviation of that time from the ticks it spans
}

// counters are the Client's tallies behind Stats.
type counters struct {
	now                             time.Time // the latest time the Client was given
	epoch                           time.Time // the first
	started                         bool
	snapshots, checksums, desyncs   int
	rtt, srtt                       time.Duration
	bytesIn, bytesOut, snapshotRate window
}

// bucket is the number of the window bucket the latest time falls in.
func (c *counters) bucket() int64 { return int64(max(c.now.Sub(c.epoch), 0) / bucketLen) }

// seen records now as a time the Client was given.
func (c *counters) seen(now time.Time) {
	if !c.started {
		c.started, c.epoch, c.now = true, now, now
	}
	if now.After(c.now) {
		c.now = now
	}
}

func (c *counters) recordRTT(rtt time.Duration) {
	if c.srtt == 0 {
		c.srtt = rtt
	} else {
		c.srtt += (rtt - c.srtt) / 8
	}
	c.rtt = rtt
}

// Stats returns the connection's figures.
func (c *Client) Stats() Stats {
	st := Stats{
		RTT:             c.rtt,
		SmoothedRTT:     c.srtt,
		Snapshots:       c.snapshots,
		SnapshotsPerSec: float64(c.snapshotRate.sum(c.bucket())),
		BytesInPerSec:   float64(c.bytesIn.sum(c.bucket())),
		BytesOutPerSec:  float64(c.bytesOut.sum(c.bucket())),
		ServerTick:      c.state.Tick,
		Seq:             c.pred.seq,
		Ack:             c.pred.base,
		Corrections:     c.pred.corrections,
		LastCorrection:  c.pred.lastError,
		Checksums:       c.checksums,
		Desyncs:         c.desyncs,

		OwnShots:            c.own.predicted,
		OwnShotsRefused:     c.own.refused,
		OwnShotsUnpredicted: c.own.unpredicted,
		OwnShotLatency:      c.own.latency,
		OwnShotLatencyMax:   c.own.latencyMax,
	}
	if c.welcomed {
		st.InputLead, st.InputTrough, st.InputFloor, st.Dilation = c.inClock.lead, c.inClock.trough, c.inClock.floor, c.inClock.dilation
		st.InterpDelay = c.clock.renderDelay()
		st.TargetDelay = time.Duration(c.clock.delay())
		st.Interval = time.Duration(c.clock.interval)
		st.Jitter = time.Duration(c.clock.jitter)
	}
	return st
}

// A window counts something over the last second, in buckets of
// bucketLen: the one being filled and the windowBuckets whole ones before
// it. Buckets are numbered from the Client's first time.
const (
	bucketLen     = 100 * time.Millisecond
	windowBuckets = int(time.Second / bucketLen)
)

type window struct {
	buckets [windowBuckets + 1]int64
	current int64 // number of the bucket being filled
}

// roll makes bucket b the one being filled, emptying those it passes.
func (w *window) roll(b int64) {
	n := int64(len(w.buckets))
	if b-w.current >= n {
		w.buckets, w.current = [windowBuckets + 1]int64{}, b
		return
	}
	for w.current < b {
		w.current++
		w.buckets[w.current%n] = 0
	}
}

// add counts n in bucket b.
func (w *window) add(b int64, n int) {
	w.roll(b)
	w.buckets[w.current%int64(len(w.buckets))] += int64(n)
}

// sum is the count over the whole second before bucket b.
func (w *window) sum(b int64) int64 {
	w.roll(b)
	var s int64
	for i, v := range w.buckets {
		if int64(i) != w.current%int64(len(w.buckets)) {
			s += v
		}
	}
	return s
}
