// writer.go — the writer goroutine of a Dir (dir.go): it takes the
// chunks Recorders (recorder.go) queue, gzips each chunk as a member of
// its own onto its log's part file as it comes (one compressor for all
// the logs being recorded, so a room's log holds no compressor's memory
// between chunks), and when the header comes writes the finished file
// (header first, in a member of its own, then the chunks) under its id and
// hands it to the index. The queue is bounded (Options.Queue):
// a Recorder that finds it full drops its log; the writer notices the gap
// and throws the part away.

package ticklog

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// message is one thing a Recorder tells the writer.
type message struct {
	rec    *Recorder
	kind   messageKind
	serial uint32  // the Recorder's log
	seq    uint32  // the record's place in it: chunks 0, 1, …, then the header
	last   bool    // the header: the log is complete
	buf    *buffer // the framed record (nil for abort and close)
}

type messageKind uint8

const (
	msgRecord messageKind = iota // a chunk, or the header when last
	msgAbort                     // the log was not worth keeping
	msgClose                     // the Recorder is done
)

// part is a log being written.
type part struct {
	serial uint32
	next   uint32 // seq expected next
	path   string
	f      *os.File
	err    error // the first write error: the log is lost
}

// queue hands m to the writer without waiting; false when the queue is
// full. The log m belongs to is then dropped and counted.
func (d *Dir) queue(m message) bool {
	select {
	case d.q <- m:
		return true
	default:
		d.dropped.Add(1)
		d.opts.Logger.Warn("ticklog: writer queue full, dropping the match's log", "room", m.rec.h.room, "match", m.rec.h.match)
		return false
	}
}

// abort tells the writer to throw away the Recorder's log serial, if the
// queue has room; otherwise the writer throws it away when the Recorder's
// next log or its close comes.
func (d *Dir) abort(r *Recorder, serial uint32) {
	select {
	case d.q <- message{rec: r, kind: msgAbort, serial: serial}:
	default:
	}
}

// closeRecorder tells the writer r is done, waiting up to
// Options.CloseWait for room in the queue.
func (d *Dir) closeRecorder(r *Recorder) {
	t := time.NewTimer(d.opts.CloseWait)
	defer t.Stop()
	select {
	case d.q <- message{rec: r, kind: msgClose}:
	case <-t.C:
		d.opts.Logger.Warn("ticklog: writer queue full at a room's close", "room", r.h.room)
	case <-d.quit:
	}
}

// buffer returns a free chunk buffer, or a new one when none is free.
func (d *Dir) buffer() *buffer {
	var b *buffer
	select {
	case b = <-d.free:
	default:
		b = &buffer{b: make([]byte, 0, chunkCapacity)}
	}
	b.reset()
	return b
}

// recycle gives b back for another chunk (or to the collector, when
// enough are free).
func (d *Dir) recycle(b *buffer) {
	if b == nil {
		return
	}
	select {
	case d.free <- b:
	default:
	}
}

// compression is the logs' gzip level: the fastest. A 3-minute match of
// 16 bots is 5 % larger than at the default level (250.5 KB, not 237.4),
// for half the writer's CPU (2.8 µs a room tick, not 5 to 6).
const compression = gzip.BestSpeed

// chunkCapacity is a new chunk buffer's: ten seconds of 16 players (about 45 KB).
const chunkCapacity = 64 << 10

// write is the writer goroutine.
func (d *Dir) write() {
	defer close(d.done)
	parts := make(map[*Recorder]*part)
	for {
		select {
		case m := <-d.q:
			d.handle(parts, m)
		case <-d.quit:
			// Take what is queued, then throw away what is unfinished.
			for {
				select {
				case m := <-d.q:
					d.handle(parts, m)
					continue
				default:
				}
				break
			}
			for r, p := range parts {
				d.discard(p)
				delete(parts, r)
			}
			return
		}
	}
}

// handle takes one message.
func (d *Dir) handle(parts map[*Recorder]*part, m message) {
	defer d.recycle(m.buf)
	p := parts[m.rec]
	if p != nil && (p.serial != m.serial || m.kind != msgRecord || p.next != m.seq) {
		// A newer log, an abort, a close, or a gap where a record was
		// dropped: this log is over.
		d.discard(p)
		delete(parts, m.rec)
		p = nil
	}
	if m.kind != msgRecord {
		return
	}
	if p == nil {
		if m.seq != 0 {
			return // the rest of a dropped log
		}
		p = d.create(m.serial)
		parts[m.rec] = p
	}
	p.next++
	if !m.last {
		if p.err == nil {
			p.err = d.member(p.f, m.buf.b[m.buf.off:])
		}
		return
	}
	delete(parts, m.rec)
	if err := d.complete(p, m.buf.b[m.buf.off:]); err != nil {
		d.failed.Add(1)
		d.opts.Logger.Error("ticklog: writing a log", "room", m.rec.h.room, "err", err)
	}
}

// create opens the part file of a new log.
func (d *Dir) create(serial uint32) *part {
	d.parts++
	p := &part{serial: serial, path: filepath.Join(d.path, fmt.Sprintf("%s%d", partPrefix, d.parts))}
	p.f, p.err = os.Create(p.path)
	return p
}

// member writes b to f as one gzip member, with the writer's compressor.
func (d *Dir) member(f io.Writer, b []byte) error {
	if d.zw == nil {
		zw, err := gzip.NewWriterLevel(f, compression)
		if err != nil {
			return err
		}
		d.zw = zw
	} else {
		d.zw.Reset(f)
	}
	if _, err := d.zw.Write(b); err != nil {
		return err
	}
	return d.zw.Close()
}

// discard throws a part away.
func (d *Dir) discard(p *part) {
	if p.f != nil {
		p.f.Close()
	}
	os.Remove(p.path)
}

// complete writes the finished file of p: the header record in a gzip
// member of its own, then p's member of chunks; it names it by the header
// and adds it to the index.
func (d *Dir) complete(p *part, headerRecord []byte) error {
	defer d.discard(p)
	if p.err != nil {
		return p.err
	}
	h, err := decodeHeaderRecord(headerRecord)
	if err != nil {
		return err // our own encoding: a bug
	}
	id := d.newID(h)
	tmp := filepath.Join(d.path, id+tmpSuffix)
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = d.writeFile(f, p.f, headerRecord)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(d.path, id+FileSuffix))
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	st, err := os.Stat(filepath.Join(d.path, id+FileSuffix))
	if err != nil {
		return err
	}
	d.add(entryOf(id, h, st.Size()))
	d.written.Add(1)
	return nil
}

// writeFile writes the header member, then the chunks member from part.
func (d *Dir) writeFile(f *os.File, part *os.File, headerRecord []byte) error {
	if err := d.member(f, headerRecord); err != nil {
		return err
	}
	if _, err := part.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(f, part); err != nil {
		return err
	}
	return f.Sync()
}
