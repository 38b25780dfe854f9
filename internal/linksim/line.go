// line.go — one direction of a shaped connection: a bounded queue of
// bytes, each run of them stamped with the moment it is due (shape.go's
// schedule). A source pushes (write: a caller's Write; readFrom: a
// goroutine reading the real socket) and a sink pulls (read: a caller's
// Read; writeTo: a goroutine writing the real socket), each waiting on
// one timer for the head's due time. conn.go puts two lines together.

package linksim

import (
	"io"
	"sync"
	"time"
)

const initialBuffer = 1 << 10 // a line's first ring; it doubles up to the window

// segment is a run of bytes that fall due together.
type segment struct {
	end uint64        // stream offset just past its last byte
	due time.Duration // when it may be delivered (package clock)
}

// line is one direction. One source and one sink at a time: conn.go
// serialises Reads and Writes; the goroutines are one each.
type line struct {
	mu     sync.Mutex
	sched  schedule
	window int

	buf        []byte // ring: stream offset o is at buf[o%len(buf)]
	head, tail uint64 // stream offsets of the first byte held and past the last
	segs       []segment
	s0, sn     int // ring of segments: the oldest at segs[s0], sn of them

	ended    bool          // the source has ended: no more bytes
	end      error         // what the sink gets after the last byte: io.EOF or the source's error
	endDue   time.Duration // when the end reaches the sink
	writeErr error         // what a write after the end gets
	sinkErr  error         // the sink has gone: what it, and a write, get; bytes are dropped

	wantRoom bool          // the source waits for room
	ready    chan struct{} // capacity 1: the sink may have something new to wait for
	room     chan struct{} // capacity 1: the source may have room, or nothing to wait for
	timer    *time.Timer   // the sink's wait for a due time
}

func newLine(sc schedule, window int) *line {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &line{
		sched: sc, window: window,
		buf:   make([]byte, min(initialBuffer, window)),
		segs:  make([]segment, 8),
		ready: make(chan struct{}, 1), room: make(chan struct{}, 1),
		timer: t,
	}
}

func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// --- the source's side ---

// write queues p, waiting for room while the window is full, until dl
// passes. Like a socket's Write it takes all of p or says why not.
func (l *line) write(p []byte, dl <-chan struct{}) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for {
		switch {
		case l.ended:
			return n, l.writeErr
		case l.sinkErr != nil:
			return n, l.sinkErr
		case isClosed(dl):
			return n, errDeadline
		}
		held := int(l.tail - l.head)
		if k := min(len(p)-n, l.window-held); k > 0 {
			if held+k > len(l.buf) {
				l.grow(held + k)
			}
			l.put(l.tail, p[n:n+k])
			l.commit(k, now())
			n += k
		}
		if n == len(p) {
			return n, nil
		}
		l.wantRoom = true
		l.mu.Unlock()
		select {
		case <-l.room:
		case <-dl:
		}
		l.mu.Lock()
	}
}

// readFrom queues what r reads, stamped as it arrives, until r fails
// (io.EOF included): that ends the line. Once the sink has gone it reads
// on and drops the bytes, so the far end is never held up by it.
func (l *line) readFrom(r io.Reader) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var discard []byte
	for {
		var into []byte
		if l.sinkErr != nil {
			if discard == nil {
				discard = make([]byte, initialBuffer)
			}
			into = discard
		} else {
			held := int(l.tail - l.head)
			if held == l.window {
				l.wantRoom = true
				l.mu.Unlock()
				<-l.room
				l.mu.Lock()
				continue
			}
			if 2*held > len(l.buf) && len(l.buf) < l.window {
				l.grow(2 * len(l.buf))
			}
			pos := int(l.tail % uint64(len(l.buf)))
			into = l.buf[pos:min(len(l.buf), pos+len(l.buf)-held)]
		}
		// Only this goroutine writes into the free part of the ring (and
		// grows it), so the read goes straight into it, unlocked.
		l.mu.Unlock()
		n, err := r.Read(into)
		l.mu.Lock()
		if n > 0 && l.sinkErr == nil {
			l.tail += uint64(n)
			l.commit(n, now())
		}
		if err != nil {
			l.finish(err, err)
			return
		}
	}
}

// finish ends the line: after the bytes held, the sink gets end (io.EOF
// for a clean end); a later write gets writeErr. It returns when the end
// is due. Called with l.mu held; finishing twice keeps the first end.
func (l *line) finish(end, writeErr error) time.Duration {
	if !l.ended {
		l.ended, l.end, l.writeErr = true, end, writeErr
		l.endDue = l.sched.due(now())
		poke(l.ready)
		poke(l.room)
	}
	return l.endDue
}

// finishNow is finish for a caller that does not hold l.mu.
func (l *line) finishNow(end, writeErr error) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.finish(end, writeErr)
}

// commit stamps the k bytes just put before l.tail with their due time.
// Called with l.mu held, after l.tail moved.
func (l *line) commit(k int, at time.Duration) {
	due := l.sched.due(at)
	wasEmpty := l.tail-uint64(k) == l.head
	if l.sn > 0 {
		if last := &l.segs[(l.s0+l.sn-1)%len(l.segs)]; last.due == due {
			last.end = l.tail
			return
		}
	}
	if l.sn == len(l.segs) {
		segs := make([]segment, 2*len(l.segs))
		for i := range l.sn {
			segs[i] = l.segs[(l.s0+i)%len(l.segs)]
		}
		l.segs, l.s0 = segs, 0
	}
	l.segs[(l.s0+l.sn)%len(l.segs)] = segment{end: l.tail, due: due}
	l.sn++
	// A sink waiting on an earlier head keeps its timer: only one waiting
	// on nothing needs waking.
	if wasEmpty {
		poke(l.ready)
	}
}

// put copies p into the ring at stream offset off, l.tail, and moves the
// tail past it.
func (l *line) put(off uint64, p []byte) {
	pos := int(off % uint64(len(l.buf)))
	k := copy(l.buf[pos:], p)
	copy(l.buf, p[k:])
	l.tail += uint64(len(p))
}

// grow makes the ring hold at least need bytes, doubling, up to the
// window. Called by the source only, with l.mu held: a sink writing out
// of the old ring unlocked still reads the same bytes there.
func (l *line) grow(need int) {
	size := len(l.buf)
	for size < need {
		size *= 2
	}
	buf := make([]byte, min(size, l.window))
	for off := l.head; off < l.tail; {
		pos := int(off % uint64(len(l.buf)))
		run := l.buf[pos:min(len(l.buf), pos+int(l.tail-off))]
		npos := int(off % uint64(len(buf)))
		k := copy(buf[npos:], run)
		copy(buf, run[k:])
		off += uint64(len(run))
	}
	l.buf = buf
}

// --- the sink's side ---

// await waits until bytes at the head are due, and returns where they
// start in the ring and how many follow without a wrap; or the end, once
// due; or why the sink cannot have them (gone, dl passed). Called with
// l.mu held; returns with it held.
func (l *line) await(dl <-chan struct{}) (pos, k int, err error) {
	for {
		if l.sinkErr != nil {
			return 0, 0, l.sinkErr
		}
		if isClosed(dl) {
			return 0, 0, errDeadline
		}
		t := now()
		wait := time.Duration(-1)
		switch {
		case l.head < l.tail:
			if seg := l.segs[l.s0]; seg.due > t {
				wait = seg.due - t
				break
			}
			end := l.segs[l.s0].end
			for i := 1; i < l.sn; i++ {
				seg := l.segs[(l.s0+i)%len(l.segs)]
				if seg.due > t {
					break
				}
				end = seg.end
			}
			pos = int(l.head % uint64(len(l.buf)))
			return pos, min(int(end-l.head), len(l.buf)-pos), nil
		case l.ended:
			if l.endDue <= t {
				return 0, 0, l.end
			}
			wait = l.endDue - t
		}
		var due <-chan time.Time
		if wait >= 0 {
			l.timer.Reset(wait)
			due = l.timer.C
		}
		l.mu.Unlock()
		select {
		case <-l.ready:
		case <-due:
		case <-dl:
		}
		l.timer.Stop()
		l.mu.Lock()
	}
}

// consume forgets the k bytes at the head: they were delivered. Called
// with l.mu held.
func (l *line) consume(k int) {
	l.head += uint64(k)
	for l.sn > 0 && l.segs[l.s0].end <= l.head {
		l.s0 = (l.s0 + 1) % len(l.segs)
		l.sn--
	}
	if l.wantRoom {
		l.wantRoom = false
		poke(l.room)
	}
}

// read copies into p the bytes due at the head, waiting for them until
// dl passes; after the last byte it returns the end (io.EOF).
func (l *line) read(p []byte, dl <-chan struct{}) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	pos, k, err := l.await(dl)
	if err != nil {
		return 0, err
	}
	n := copy(p, l.buf[pos:pos+k])
	l.consume(n)
	return n, nil
}

// writeTo writes the bytes to w as they fall due, until the end (nil for
// io.EOF) or a failed write: then the sink has gone and w's error is
// returned.
func (l *line) writeTo(w io.Writer) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		pos, k, err := l.await(nil)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		run := l.buf[pos : pos+k]
		l.mu.Unlock()
		n, err := w.Write(run)
		l.mu.Lock()
		if l.sinkErr != nil {
			return l.sinkErr // abandoned while writing
		}
		l.consume(n)
		if err != nil {
			l.abandon(err)
			return err
		}
	}
}

// abandon says the sink has gone with err: it drops what is held, and the
// sink and any write get err from now on. Called with l.mu held.
func (l *line) abandon(err error) {
	if l.sinkErr != nil {
		return
	}
	l.sinkErr = err
	l.head, l.s0, l.sn = l.tail, 0, 0
	poke(l.ready)
	poke(l.room)
}

// abandonNow is abandon for a caller that does not hold l.mu.
func (l *line) abandonNow(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.abandon(err)
}
