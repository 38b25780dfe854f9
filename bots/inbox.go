// inbox.go — what a bot's read goroutine does with a frame: stamp it with
// its arrival and queue it, as a browser's WebSocket queues messages until
// the game's next frame drains them. bot.go's drain hands the queue to the
// netcode, on the goroutine that drives the bot (frame.go) or, while
// nobody drives it, on the read goroutine itself.

package bots

import (
	"sync"
	"time"
)

// inbox is a queue of frames: their bytes back to back in one buffer,
// with where each ends and when it arrived. Two of each buffer take
// turns, so that a steady stream allocates nothing.
type inbox struct {
	mu     sync.Mutex
	data   []byte
	frames []inFrame

	// The buffers take hands back, for the next put (owned by the taker
	// until then).
	spareData   []byte
	spareFrames []inFrame
}

// inFrame is one queued frame: data[start:end] of its batch.
type inFrame struct {
	start, end int
	at         time.Time // when the read goroutine got it
}

// put queues a copy of frame, which arrived at at. Called by the read
// goroutine.
func (q *inbox) put(frame []byte, at time.Time) {
	q.mu.Lock()
	start := len(q.data)
	q.data = append(q.data, frame...)
	q.frames = append(q.frames, inFrame{start: start, end: len(q.data), at: at})
	q.mu.Unlock()
}

// take returns everything queued, oldest first, and empties the queue.
// What it returns is valid until the next take; the caller holds the
// bot's lock, so takes are serialised and frames keep their order.
func (q *inbox) take() ([]byte, []inFrame) {
	q.mu.Lock()
	defer q.mu.Unlock()
	data, frames := q.data, q.frames
	q.data, q.frames = q.spareData[:0], q.spareFrames[:0]
	q.spareData, q.spareFrames = data, frames
	return data, frames
}
