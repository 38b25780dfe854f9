// histogram.go — Histogram, the fixed-size duration counter behind a
// swarm's figures (collect.go, report.go): cheap to record into, to merge
// and to reset, and exact enough to tell a 16.7 ms gap from a 17.4 ms one.

package bots

import (
	"encoding/json"
	"math/bits"
	"time"
)

// Histogram buckets: values below histLinear microseconds get one bucket
// each; above, every doubling is split into histSub buckets, so a bucket
// is at most 1/histSub (3 %) of its lower bound wide. The last bucket,
// from about 65 s, also holds everything longer.
const (
	histSubBits = 5
	histSub     = 1 << histSubBits
	histLinear  = 2 * histSub
	histBuckets = histLinear + (26-histSubBits-1)*histSub
)

// Histogram counts durations with microsecond resolution at the low end
// and 3 % relative resolution above 64 µs. The zero value is empty and
// ready; it is about 3 KB and never allocates. It is not safe for
// concurrent use.
type Histogram struct {
	counts [histBuckets]uint32
	n      uint64
	sum    time.Duration
	max    time.Duration
}

// histIndex is the bucket of d.
func histIndex(d time.Duration) int {
	us := uint64(max(d, 0) / time.Microsecond)
	if us < histLinear {
		return int(us)
	}
	e := bits.Len64(us) - 1 // us is in [2^e, 2^(e+1))
	sub := int(us>>(e-histSubBits)) & (histSub - 1)
	return min(histLinear+(e-histSubBits-1)*histSub+sub, histBuckets-1)
}

// histBounds is the range [lo, hi) of bucket i.
func histBounds(i int) (lo, hi time.Duration) {
	if i < histLinear {
		return time.Duration(i) * time.Microsecond, time.Duration(i+1) * time.Microsecond
	}
	e := (i-histLinear)/histSub + histSubBits + 1
	sub := (i - histLinear) % histSub
	width := time.Duration(1) << (e - histSubBits) * time.Microsecond
	lo = time.Duration(histSub+sub) * width
	return lo, lo + width
}

// Record counts one duration; negative ones count as zero.
func (h *Histogram) Record(d time.Duration) {
	h.counts[histIndex(d)]++
	h.n++
	h.sum += d
	h.max = max(h.max, d)
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// Reset empties h.
func (h *Histogram) Reset() { *h = Histogram{} }

// Count is the number of durations recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Max is the largest duration recorded.
func (h *Histogram) Max() time.Duration { return h.max }

// Mean is the average duration recorded (0 when empty).
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}

// Quantile is the duration below which a fraction q of the recorded ones
// fall: the middle of the bucket that holds it, never above Max. 0 when
// empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	if q >= 1 {
		return h.max
	}
	rank := uint64(q*float64(h.n) + 0.5)
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += uint64(c)
		if seen >= rank {
			lo, hi := histBounds(i)
			return min(lo+(hi-lo)/2, h.max)
		}
	}
	return h.max
}

// Bucket is one non-empty bucket of a Histogram: Count durations in
// [Lo, Hi).
type Bucket struct {
	Lo    time.Duration
	Hi    time.Duration
	Count uint64
}

// Buckets lists the non-empty buckets, shortest durations first.
func (h *Histogram) Buckets() []Bucket {
	var out []Bucket
	for i, c := range h.counts {
		if c > 0 {
			lo, hi := histBounds(i)
			out = append(out, Bucket{Lo: lo, Hi: hi, Count: uint64(c)})
		}
	}
	return out
}

// histogramJSON is a Histogram on the wire: microseconds and its non-empty
// buckets.
type histogramJSON struct {
	Count   uint64       `json:"count"`
	MeanUS  float64      `json:"mean_us"`
	MaxUS   float64      `json:"max_us"`
	Buckets [][3]float64 `json:"buckets"` // lo_us, hi_us, count
}

// MarshalJSON writes the count, mean, max and non-empty buckets, in
// microseconds.
func (h Histogram) MarshalJSON() ([]byte, error) {
	j := histogramJSON{Count: h.n, MeanUS: us(h.Mean()), MaxUS: us(h.max), Buckets: [][3]float64{}}
	for _, b := range h.Buckets() {
		j.Buckets = append(j.Buckets, [3]float64{us(b.Lo), us(b.Hi), float64(b.Count)})
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (h *Histogram) UnmarshalJSON(b []byte) error {
	var j histogramJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*h = Histogram{n: j.Count, max: fromUS(j.MaxUS), sum: fromUS(j.MeanUS) * time.Duration(j.Count)}
	for _, b := range j.Buckets {
		h.counts[histIndex(fromUS(b[0]))] += uint32(b[2])
	}
	return nil
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func fromUS(v float64) time.Duration { return time.Duration(v * float64(time.Microsecond)) }
