// collect.go — the swarm's once-a-second look at its bots (swarm.go): each
// bot's counts since the last look (what it saw as a player among them)
// and its timing histograms, summed into a Second, and during the
// measurement window into the totals of the Report (report.go).

package bots

import (
	"fmt"
	"math"
	"sort"
	"time"

	pb "skirmish/proto"
)

// collector is owned by Run's goroutine.
type collector struct {
	s    *Swarm
	last time.Time // of the previous collect

	window           bool
	winStart, winEnd time.Time

	dropped                            int
	winSnaps, winBytes                 int64
	winWant                            float64   // snapshots expected in the window
	winSeen                            seen      // what the players saw in the window
	gaps, late, rtt, input             Histogram // over the window
	hud, shot                          Histogram
	secGaps, secLate, secRTT, secInput Histogram // scratch, per collect
	secHUD, secShot                    Histogram
	totals                             Stats // summed over bots at the last collect
	seconds                            []Second
}

// seen is what players saw that a swarm sums: counts of Stats.
type seen struct {
	frames, corrections, standIns, ownShots, screenHits, scored, untrue, serverHits int
}

func seenOf(st *Stats) seen {
	return seen{st.Frames, st.Corrections, st.StandIns, st.OwnShots, st.ScreenHits, st.ScreenHitsScored, st.ScreenHitsUntrue, st.ServerHits}
}

// add adds what was seen between then and now to s.
func (s *seen) add(now, then seen) {
	s.frames += now.frames - then.frames
	s.corrections += now.corrections - then.corrections
	s.standIns += now.standIns - then.standIns
	s.ownShots += now.ownShots - then.ownShots
	s.screenHits += now.screenHits - then.screenHits
	s.scored += now.scored - then.scored
	s.untrue += now.untrue - then.untrue
	s.serverHits += now.serverHits - then.serverHits
}

func newCollector(s *Swarm) *collector {
	return &collector{s: s, last: s.start}
}

// openWindow collects what came before and starts the measurement window.
func (c *collector) openWindow() Second {
	sec := c.collect()
	c.window, c.winStart = true, c.last
	return sec
}

// closeWindow ends the measurement window at the last collect.
func (c *collector) closeWindow() {
	if c.window {
		c.window, c.winEnd = false, c.last
	}
}

// collect sums every bot's counts and timing since the last collect.
func (c *collector) collect() Second {
	now := time.Now()
	dt := now.Sub(c.last)
	c.last = now
	c.s.mu.Lock()
	members := c.s.members
	failed := c.s.failed
	c.s.mu.Unlock()

	c.secGaps.Reset()
	c.secLate.Reset()
	c.secRTT.Reset()
	c.secInput.Reset()
	c.secHUD.Reset()
	c.secShot.Reset()
	var totals Stats
	var sec seen
	var snaps, bytes int64
	connected := 0
	for _, m := range members {
		wasUp := !m.gone
		m.bot.collect(func(st *Stats, t *timing) {
			dSnaps, dBytes := int64(st.Snapshots)-m.snapshots, st.BytesIn-m.bytes
			snaps += dSnaps
			bytes += dBytes
			if c.window {
				m.winSnaps += dSnaps
				m.winBytes += dBytes
			}
			m.snapshots, m.bytes = int64(st.Snapshots), st.BytesIn
			cur := seenOf(st)
			sec.add(cur, m.seen)
			if c.window {
				c.winSeen.add(cur, m.seen)
			}
			m.seen = cur
			t.takeInto(&c.secGaps, &c.secLate, &c.secRTT, &c.secInput, &c.secHUD, &c.secShot)
			totals.add(st)
		})
		if c.window && wasUp {
			m.winTime += dt
			c.winWant += dt.Seconds() * float64(m.rate)
		}
		if m.bot.closedNow() {
			if !m.gone {
				m.gone = true
				c.dropped++
				c.s.mu.Lock()
				c.s.errs.add(m.bot.dropReason())
				c.s.mu.Unlock()
			}
		} else {
			connected++
		}
	}
	c.totals = totals
	if c.window {
		c.winSnaps += snaps
		c.winBytes += bytes
		c.gaps.Merge(&c.secGaps)
		c.late.Merge(&c.secLate)
		c.rtt.Merge(&c.secRTT)
		c.input.Merge(&c.secInput)
		c.hud.Merge(&c.secHUD)
		c.shot.Merge(&c.secShot)
	}

	secs := dt.Seconds()
	out := Second{
		T:         now.Sub(c.s.start).Seconds(),
		Window:    c.window,
		Connected: connected,
		Failed:    failed,
		Dropped:   c.dropped,
		Snapshots: snaps,
		GapP50:    ms(c.secGaps.Quantile(0.5)),
		GapP99:    ms(c.secGaps.Quantile(0.99)),
		LateP99:   ms(c.secLate.Quantile(0.99)),
		RTTP50:    ms(c.secRTT.Quantile(0.5)),
		RTTP99:    ms(c.secRTT.Quantile(0.99)),
		HUDRTTP50: ms(c.secHUD.Quantile(0.5)),
		ShotP50:   ms(c.secShot.Quantile(0.5)),
		ShotP99:   ms(c.secShot.Quantile(0.99)),

		ScreenHits:       sec.screenHits,
		ScreenHitsScored: sec.scored,
		ScreenHitsUntrue: sec.untrue,
		Desyncs:          totals.Desyncs,
		Errors:           failed + c.dropped + totals.Errors,
	}
	if secs > 0 {
		out.SnapshotsPerSec = float64(snaps) / secs
		if connected > 0 {
			out.SnapshotsPerBot = out.SnapshotsPerSec / float64(connected)
			out.BytesInPerBot = float64(bytes) / secs / float64(connected)
			out.FramesPerBot = float64(sec.frames) / secs / float64(connected)
			out.CorrectionsPerMinute = float64(sec.corrections) / (secs / 60) / float64(connected)
		}
	}
	c.seconds = append(c.seconds, out)
	return out
}

// add sums the counts of st into t.
func (t *Stats) add(st *Stats) {
	t.Snapshots += st.Snapshots
	t.Full += st.Full
	t.Checksums += st.Checksums
	t.Desyncs += st.Desyncs
	t.AckRegressions += st.AckRegressions
	t.TickRegressions += st.TickRegressions
	t.BytesIn += st.BytesIn
	for i := range t.Events {
		t.Events[i] += st.Events[i]
	}
	t.Pongs += st.Pongs
	t.Errors += st.Errors
	t.Notices += st.Notices
}

// dropReason says why a connection the swarm did not close ended.
func (b *Bot) dropReason() string {
	if k := b.Kick(); k != nil {
		return fmt.Sprintf("kicked: %s: %s", k.GetReason(), k.GetMessage())
	}
	return fmt.Sprintf("disconnected: %v", b.Err())
}

// report turns what was collected into the Report; closed is how many
// connections the swarm closed at the end.
func (c *collector) report(closed int) *Report {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &Report{
		URL:               s.opts.BaseURL,
		Behavior:          s.opts.Behavior,
		Count:             s.opts.Count,
		TickRate:          s.opts.TickRate,
		InputsPerMessage:  s.opts.InputsPerMessage,
		Link:              s.opts.Link.String(),
		LinkRTT:           ms(s.opts.Link.RoundTrip()),
		Started:           s.start,
		Joined:            len(s.members),
		Failed:            s.failed,
		Dropped:           c.dropped,
		Closed:            closed,
		Snapshots:         c.winSnaps,
		Expected:          int64(math.Round(c.winWant)),
		Gap:               quantilesOf(&c.gaps),
		Lateness:          quantilesOf(&c.late),
		RTT:               quantilesOf(&c.rtt),
		InputDelay:        quantilesOf(&c.input),
		GapHistogram:      c.gaps,
		LatenessHistogram: c.late,
		RTTHistogram:      c.rtt,
		InputHistogram:    c.input,
		HUDRTT:            quantilesOf(&c.hud),
		HUDRTTHistogram:   c.hud,
		OwnShotLatency:    quantilesOf(&c.shot),
		OwnShotHistogram:  c.shot,
		FPS:               s.opts.FPS,
		Corrections:       c.winSeen.corrections,
		StandIns:          c.winSeen.standIns,
		OwnShots:          c.winSeen.ownShots,
		ScreenHits:        c.winSeen.screenHits,
		ScreenHitsScored:  c.winSeen.scored,
		ScreenHitsUntrue:  c.winSeen.untrue,
		ServerHits:        c.winSeen.serverHits,
		Checksums:         c.totals.Checksums,
		Desyncs:           c.totals.Desyncs,
		FullSnapshots:     c.totals.Full,
		TickRegressions:   c.totals.TickRegressions,
		AckRegressions:    c.totals.AckRegressions,
		KillsSeen:         c.totals.Events[pb.EventKind_EVENT_KIND_KILL],
		HitsSeen:          c.totals.Events[pb.EventKind_EVENT_KIND_HIT],
		Errors:            s.failed + c.dropped + c.totals.Errors,
		ErrorSamples:      s.errs.list(),
		Seconds:           c.seconds,
	}
	if !c.winStart.IsZero() {
		r.RampSeconds = c.winStart.Sub(s.start).Seconds()
		r.WindowSeconds = c.winEnd.Sub(c.winStart).Seconds()
	}
	if r.Expected > 0 {
		r.Delivered = float64(r.Snapshots) / float64(r.Expected)
	}
	var botSeconds float64
	for _, m := range s.members {
		if t := m.winTime.Seconds(); t > 0 {
			botSeconds += t
			r.BandwidthPerBot = append(r.BandwidthPerBot, float64(m.winBytes)/t)
		}
	}
	sort.Float64s(r.BandwidthPerBot)
	if r.WindowSeconds > 0 {
		r.SnapshotsPerSecond = float64(c.winSnaps) / r.WindowSeconds
	}
	if botSeconds > 0 {
		r.SnapshotsPerBotPerSecond = float64(c.winSnaps) / botSeconds
		r.BytesInPerBotPerSecond = float64(c.winBytes) / botSeconds
		r.FramesPerBotPerSecond = float64(c.winSeen.frames) / botSeconds
		r.CorrectionsPerMinute = float64(c.winSeen.corrections) / (botSeconds / 60)
		r.StandInsPerMinute = float64(c.winSeen.standIns) / (botSeconds / 60)
	}
	r.HitFairness, _ = hitFairness(r.ScreenHitsScored, r.ScreenHits, r.ScreenHitsUntrue)
	r.ServerHitsNotSeen = max(r.ServerHits-r.ScreenHitsScored, 0)
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
