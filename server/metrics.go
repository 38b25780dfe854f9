// metrics.go — the server's Prometheus metrics. Per-connection counters
// are updated where things happen (inbound.go, conn.go, handshake.go); the
// per-tick, per-client ones are summed in the room and added once a second
// (roomStats), so the 60 Hz path touches no shared counter per client.

package server

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	playersConnected prometheus.Gauge
	playersHeld      prometheus.Gauge
	holds            prometheus.Counter
	resumed          prometheus.Counter
	holdsExpired     prometheus.Counter
	replaced         prometheus.Counter
	spectators       prometheus.Gauge
	spectatorInputs  prometheus.Counter
	rooms            prometheus.Gauge
	connects         prometheus.Counter
	disconnects      *prometheus.CounterVec
	rejected         *prometheus.CounterVec
	handshakes       prometheus.Gauge
	tickDuration     prometheus.Histogram
	tickLateness     prometheus.Histogram
	tickOverruns     prometheus.Counter
	writeTimes       writeTimes // a tick's writes: their wait, and when done (outbound.go)
	ticksSkipped     prometheus.Counter
	messagesIn       prometheus.Counter
	bytesIn          prometheus.Counter
	messagesOut      prometheus.Counter
	bytesOut         prometheus.Counter
	snapshotsSkipped prometheus.Counter
	snapshotsMerged  prometheus.Counter
	inputsDropped    *prometheus.CounterVec
	inputsClamped    prometheus.Counter
	inputSlots       [leadBands]prometheus.Counter // slots filled, by the input lead once filled (leadBand)
	inputsAmended    prometheus.Counter
	inputsLate       prometheus.Counter
	inputMargin      *marginHistogram // how early inputs arrive before their slots
	malformed        prometheus.Counter
	roomsCrashed     prometheus.Counter
	draining         prometheus.Gauge
	lagCompRewind    prometheus.Histogram
	lagCompClamped   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	counter := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: "skirmish", Name: name, Help: help})
		f(c)
		return c
	}
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "skirmish", Name: name, Help: help})
		f(g)
		return g
	}
	vec := func(name, help, label string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "skirmish", Name: name, Help: help}, []string{label})
		f(v)
		return v
	}
	hist := func(name, help string) prometheus.Histogram {
		h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "skirmish", Name: name, Help: help,
			Buckets: prometheus.ExponentialBuckets(25e-6, 2, 12)}) // 25 µs … 51 ms
		f(h)
		return h
	}
	return &metrics{
		playersConnected: gauge("players_connected", "Players seated in a room."),
		playersHeld:      gauge("players_held", "Players whose connection dropped, held in their room for them to come back to (--resume-hold)."),
		holds:            counter("holds_total", "Players held after their connection dropped."),
		resumed:          counter("resumed_total", "Players taken over by a new connection after a drop: the same player, back in the match."),
		holdsExpired:     counter("holds_expired_total", "Holds that ended without the player coming back: the player left the room."),
		replaced:         counter("replaced_total", "Connections kicked (replaced) because the same player connected again."),
		spectators:       gauge("spectators", "Spectators watching a room (no seat; --max-spectators a room)."),
		spectatorInputs:  counter("spectator_inputs_total", "Inputs sent by spectators: each one kicked (KICK_REASON_SPECTATOR)."),
		rooms:            gauge("rooms", "Rooms open."),
		connects:         counter("connects_total", "WebSocket connections accepted."),
		disconnects:      vec("disconnects_total", "Connections closed, by reason.", "reason"),
		rejected:         vec("handshakes_rejected_total", "Handshakes refused before the upgrade, by reason.", "reason"),
		handshakes:       gauge("handshakes_pending", "Handshakes between their request and the upgrade: the ticket checked, the seat claimed from the lobby."),
		tickDuration:     hist("tick_duration_seconds", "Time one room tick takes."),
		tickLateness:     hist("tick_lateness_seconds", "How late a room's due tick started."),
		writeTimes: writeTimes{
			wait: hist("snapshot_write_wait_seconds", "How long a room tick's snapshot writes waited for their goroutine to start, once the room handed them over."),
			written: hist("snapshots_written_seconds", "From the start of a room tick to the return of the last of its snapshot writes: "+
				"the tick, the writes' wait and the writes (add tick_lateness_seconds for how late after its due time)."),
		},
		tickOverruns:     counter("tick_overruns_total", "Ticks that started more than one tick late."),
		ticksSkipped:     counter("ticks_skipped_total", "Ticks a room gave up after falling behind."),
		messagesIn:       counter("messages_in_total", "WebSocket messages received."),
		bytesIn:          counter("bytes_in_total", "WebSocket payload bytes received."),
		messagesOut:      counter("messages_out_total", "Snapshots handed to connections."),
		bytesOut:         counter("bytes_out_total", "Snapshot bytes handed to connections."),
		snapshotsSkipped: counter("snapshots_skipped_total", "Snapshots not sent because the client's write queue was full."),
		snapshotsMerged:  counter("snapshots_merged_total", "Snapshots not sent because the room ran overdue ticks back to back: the last one's carried their changes."),
		inputsDropped:    vec("inputs_dropped_total", "Client messages dropped, by reason.", "reason"),
		inputsClamped:    counter("inputs_clamped_total", "Inputs with out-of-range values brought into range."),
		inputSlots: leadCounters(vec("input_slots_total", "Players' input slots filled, one a player a tick, by the input lead once filled "+
			"(Snapshot.input_lead): stood_in, the slot's input had not arrived and the newest stood in for it; 0, it came in time; 1, 2 and 3+, "+
			"the next inputs had come too and waited that many ticks early.", "lead")),
		inputsAmended: counter("inputs_amended_total", "Inputs that came up to two ticks late, after a stand-in had filled their slot: the player's moves from that slot on redone with them."),
		inputsLate:    counter("inputs_late_total", "Inputs that came after a stand-in had filled their slot, too late to amend it (dropped, the player idling that tick, their fire carried), or whose amendment the game refused while the player was in play (it spawned since)."),
		malformed:     counter("malformed_messages_total", "Frames that were not a valid ClientMessage."),
		roomsCrashed:  counter("rooms_crashed_total", "Rooms ended by a panic."),
		draining:      gauge("server_draining", "1 while the server drains: it opens no room, and each room closes when its match ends."),
		lagCompRewind: rewindHistogram(reg),
		inputMargin: newMarginHistogram(reg, "input_margin_seconds", "How long before its slot was filled each player input arrived: "+
			"negative when it came after (a stand-in filled the slot; the input amended it, or was dropped). An input clock keeps the least of them "+
			"a little below 0 (a tick late amends); how far above that the rest arrive is the input delay the link's and the machine's jitter cost."),
		lagCompClamped: counter("lag_comp_clamped_total", "Shots whose render lag was beyond the lag compensation window: judged at the window's edge."),
	}
}

// leadBands is how many bands of input lead input_slots_total counts.
const leadBands = 5

// leadBand is the band of input_slots_total a slot filled at lead counts
// in: stood in (< 0), 0, 1, 2 and 3 or more.
func leadBand(lead int32) int { return int(min(max(lead+1, 0), leadBands-1)) }

// leadCounters resolves input_slots_total's bands once, so that a flush
// looks no label up.
func leadCounters(v *prometheus.CounterVec) (c [leadBands]prometheus.Counter) {
	for i, name := range [leadBands]string{"stood_in", "0", "1", "2", "3+"} {
		c[i] = v.WithLabelValues(name)
	}
	return c
}

func rewindHistogram(reg prometheus.Registerer) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "skirmish", Name: "lag_comp_rewind_ticks",
		Help:    "How many ticks in the past each shot's targets were judged (0: the present), after clamping to the window.",
		Buckets: rewindBuckets})
	reg.MustRegister(h)
	return h
}

// roomStats sums a room's per-client counts between flushes.
type roomStats struct {
	margins  marginCounts // inputs' margins (simwire.Slot.Margin), by marginBuckets
	ticks    int
	messages int
	bytes    int
	skipped  int
	merged   int
	slots    [leadBands]int // input slots filled, by leadBand
	amended  int            // inputs that amended the stand-in of their slot
	late     int            // inputs dropped for coming after their slot
	lagComp  lagCompStats   // kept across flushes
}

// flush adds the sums, and what g counted of lag compensation
// (lagcomp.go), to the metrics about once a second; then it returns the
// sums it added, and true.
func (st *roomStats) flush(m *metrics, tickRate int, g Game) (roomStats, bool) {
	st.ticks++
	if st.ticks < tickRate {
		return roomStats{}, false
	}
	m.messagesOut.Add(float64(st.messages))
	m.bytesOut.Add(float64(st.bytes))
	m.snapshotsSkipped.Add(float64(st.skipped))
	m.snapshotsMerged.Add(float64(st.merged))
	for i, n := range st.slots {
		if n > 0 {
			m.inputSlots[i].Add(float64(n))
		}
	}
	m.inputsAmended.Add(float64(st.amended))
	m.inputsLate.Add(float64(st.late))
	m.inputMargin.add(&st.margins)
	st.lagComp.flush(m, g)
	sums := *st
	*st = roomStats{lagComp: st.lagComp}
	return sums, true
}

// marginBuckets are the upper bounds, in nanoseconds, of
// input_margin_seconds: from two ticks late (dropped, or amended) to a
// few ticks early, finest around 0, where an input clock keeps the least
// of them.
var marginBuckets = [...]int64{-33e6, -16e6, -8e6, -4e6, -2e6, 0, 2e6, 4e6, 6e6, 8e6, 10e6, 12e6, 16e6, 20e6, 25e6, 33e6, 50e6, 100e6}

// marginCounts is a room's count of margins by marginBuckets (the last
// past them all), and their sum, between flushes.
type marginCounts struct {
	n   [len(marginBuckets) + 1]uint64
	sum int64 // ns
}

// add counts a margin of ns nanoseconds: a binary search of the bounds,
// for the first at or over it.
func (c *marginCounts) add(ns int64) {
	lo, hi := 0, len(marginBuckets)
	for lo < hi {
		if mid := (lo + hi) / 2; marginBuckets[mid] < ns {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	c.n[lo]++
	c.sum += ns
}

// marginHistogram is input_margin_seconds: a Prometheus histogram that
// rooms add their marginCounts to once a second (roomStats.flush), where
// prometheus.Histogram would take one Observe per input from every room's
// goroutine.
type marginHistogram struct {
	desc *prometheus.Desc
	mu   sync.Mutex // held for an add or a Collect, about once a second a room
	n    [len(marginBuckets) + 1]uint64
	sum  float64 // seconds
}

func newMarginHistogram(reg prometheus.Registerer, name, help string) *marginHistogram {
	h := &marginHistogram{desc: prometheus.NewDesc(prometheus.BuildFQName("skirmish", "", name), help, nil, nil)}
	reg.MustRegister(h)
	return h
}

func (h *marginHistogram) add(c *marginCounts) {
	h.mu.Lock()
	for i, n := range c.n {
		h.n[i] += n
	}
	h.sum += float64(c.sum) / 1e9
	h.mu.Unlock()
}

// Describe and Collect make it a prometheus.Collector.
func (h *marginHistogram) Describe(ch chan<- *prometheus.Desc) { ch <- h.desc }

func (h *marginHistogram) Collect(ch chan<- prometheus.Metric) {
	h.mu.Lock()
	defer h.mu.Unlock()
	buckets, count := make(map[float64]uint64, len(marginBuckets)), uint64(0)
	for i, le := range marginBuckets {
		count += h.n[i]
		buckets[float64(le)/1e9] = count
	}
	count += h.n[len(marginBuckets)]
	ch <- prometheus.MustNewConstHistogram(h.desc, count, h.sum, buckets)
}
