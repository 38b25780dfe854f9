// decode.go — the reading half of the format (proto/ticklog.proto): a
// Reader takes a log's records apart with the generated code
// (proto/ticklogpb), checking the framing, the version and the order of
// the chunks. A file is never trusted: a truncated or corrupt one is an
// error that says so (ErrTruncated, ErrCorrupt), never a panic.
// replay.go turns what it reads back into sim calls; encode.go wrote it.

package ticklog

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/proto"

	"skirmish/proto/ticklogpb"
)

// Version is the format's version, Header.version. A reader reads every
// version from 1 on: 2 added Tick.amends, which a version 1 log has none
// of; 3 added amendments of the last two Steps (the back-2 bit of an
// amendment's leading number, amendBack2), which a version 2 log has none
// of, and which a replay refuses in one.
const Version = 3

// maxRecord bounds one record's length: a chunk of ten seconds of 64
// players is under 400 KB.
const maxRecord = 16 << 20

// Errors of reading a log. Each error a Reader returns wraps one of them.
var (
	ErrTruncated = errors.New("ticklog: log is truncated")
	ErrCorrupt   = errors.New("ticklog: log is corrupt")
	ErrVersion   = errors.New("ticklog: log is of an unknown format version")
	// ErrRules: the log was recorded under other sim rules than this
	// build's (Header.sim_rules, sim.RulesVersion); Replay and Verify
	// refuse it. Reading its records still works.
	ErrRules = errors.New("ticklog: log is of other sim rules")
)

// Reader reads a log: its Header, then its Chunks one by one.
type Reader struct {
	zr     *gzip.Reader
	br     *bufio.Reader
	h      *ticklogpb.Header
	next   int32 // first_tick the next chunk must have
	chunks int
	buf    []byte
}

// NewReader reads the header of the log r holds. Chunks follow with Next.
func NewReader(r io.Reader) (*Reader, error) { return open(r, true) }

// ReadHeader reads only the header of the log r holds: the first gzip
// member, which the writer keeps for it.
func ReadHeader(r io.Reader) (*ticklogpb.Header, error) {
	rd, err := open(r, false)
	if err != nil {
		return nil, err
	}
	return rd.h, nil
}

// open reads the header; multistream says whether the gzip members after
// the first are read too.
func open(r io.Reader, multistream bool) (*Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, gzipError(err)
	}
	zr.Multistream(multistream)
	rd := &Reader{zr: zr, br: bufio.NewReader(zr)}
	rec, err := rd.record()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: no header", ErrTruncated)
	}
	if err != nil {
		return nil, err
	}
	h := rec.GetHeader()
	if h == nil {
		return nil, fmt.Errorf("%w: the first record is not a header", ErrCorrupt)
	}
	if err := checkHeader(h); err != nil {
		return nil, err
	}
	rd.h, rd.next = h, h.GetFirstTick()
	return rd, nil
}

// Header returns the log's header.
func (r *Reader) Header() *ticklogpb.Header { return r.h }

// Next returns the next chunk, or io.EOF after the last one, which must
// end at the header's last_tick.
func (r *Reader) Next() (*ticklogpb.Chunk, error) {
	rec, err := r.record()
	if err == io.EOF {
		if r.next != r.h.GetLastTick()+1 {
			return nil, fmt.Errorf("%w: the chunks end before tick %d, the header's last", ErrTruncated, r.h.GetLastTick())
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	c := rec.GetChunk()
	switch {
	case c == nil:
		return nil, fmt.Errorf("%w: record %d is not a chunk", ErrCorrupt, r.chunks+1)
	case c.GetFirstTick() != r.next:
		return nil, fmt.Errorf("%w: chunk %d starts at tick %d, not %d", ErrCorrupt, r.chunks, c.GetFirstTick(), r.next)
	case c.GetKeyframe() == nil || c.GetKeyframe().GetTick() != c.GetFirstTick()-1:
		return nil, fmt.Errorf("%w: chunk %d has no keyframe of tick %d", ErrCorrupt, r.chunks, c.GetFirstTick()-1)
	case int64(c.GetFirstTick())+int64(len(c.GetTicks()))-1 > int64(r.h.GetLastTick()):
		return nil, fmt.Errorf("%w: chunk %d runs past the header's last tick %d", ErrCorrupt, r.chunks, r.h.GetLastTick())
	}
	r.chunks++
	r.next += int32(len(c.GetTicks()))
	return c, nil
}

// record reads one framed record; io.EOF at the end of the stream.
func (r *Reader) record() (*ticklogpb.Record, error) {
	n, err := binary.ReadUvarint(r.br)
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("%w: in a record's length", ErrTruncated)
	case err != nil:
		return nil, streamError(err)
	case n > maxRecord:
		return nil, fmt.Errorf("%w: a record of %d bytes (at most %d)", ErrCorrupt, n, maxRecord)
	}
	if cap(r.buf) < int(n) {
		r.buf = make([]byte, n)
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.br, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: in a record of %d bytes", ErrTruncated, n)
		}
		return nil, streamError(err)
	}
	rec := &ticklogpb.Record{}
	if err := proto.Unmarshal(b, rec); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return rec, nil
}

// decodeHeaderRecord decodes a framed header record the Recorder made.
func decodeHeaderRecord(b []byte) (*ticklogpb.Header, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) != n {
		return nil, fmt.Errorf("%w: header framing", ErrCorrupt)
	}
	rec := &ticklogpb.Record{}
	if err := proto.Unmarshal(b[k:], rec); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if rec.GetHeader() == nil {
		return nil, fmt.Errorf("%w: not a header", ErrCorrupt)
	}
	return rec.GetHeader(), nil
}

// checkHeader checks what the reader and the replay rely on.
func checkHeader(h *ticklogpb.Header) error {
	switch {
	case h.GetVersion() < 1 || h.GetVersion() > Version:
		return fmt.Errorf("%w: version %d (this reader knows %d)", ErrVersion, h.GetVersion(), Version)
	case h.GetConfig() == nil || h.GetTickRate() == 0:
		return fmt.Errorf("%w: header without config or tick rate", ErrCorrupt)
	case h.GetFirstTick() < 1 || h.GetLastTick() < h.GetFirstTick()-1:
		return fmt.Errorf("%w: header's ticks %d..%d", ErrCorrupt, h.GetFirstTick(), h.GetLastTick())
	}
	return nil
}

// gzipError wraps an error of opening the gzip stream.
func gzipError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %v", ErrTruncated, err)
	}
	return fmt.Errorf("%w: not a gzip stream: %v", ErrCorrupt, err)
}

// streamError wraps an error of reading the gzip stream.
func streamError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %v", ErrTruncated, err)
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}
