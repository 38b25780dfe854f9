// dir.go — a directory of tick logs: its options, the index of the logs
// it holds (read from their headers at open, added to by the writer,
// writer.go), retention (keep the newest N, drop those older than D), and
// the files by id for replayhttp. Recorders (recorder.go) are made from it.

package ticklog

import (
	"compress/gzip"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"skirmish/proto/ticklogpb"
)

const (
	defaultKeyframeEvery = 10 * 60 // ticks: ten seconds at 60 Hz
	defaultQueue         = 64      // chunks waiting for the writer: ten minutes of one room, or ten seconds of 64 rooms
	defaultCloseWait     = 2 * time.Second

	tmpSuffix  = ".tmp"
	partPrefix = ".part-"
)

// Options configures a Dir. The zero value of every field means its
// default.
type Options struct {
	// Keep is how many logs the directory keeps: the newest. 0: all.
	Keep int
	// MaxAge removes logs that ended longer ago. 0: never.
	MaxAge time.Duration
	// KeyframeEvery is the number of ticks between two keyframes, and the
	// length of a chunk. Default 600 (10 s at 60 Hz).
	KeyframeEvery int
	// Queue is how many records may wait for the writer goroutine; a
	// Recorder that finds it full drops its log (Stats.Dropped). Default 64.
	Queue int
	// CloseWait bounds how long a closing Recorder waits for room in the
	// queue for its last records. Default 2 s.
	CloseWait time.Duration
	// OnAdd is told of every log the directory holds (at Open, then as the
	// writer adds them, on its goroutine), and OnRemove of every log
	// retention removes (on the writer's goroutine, or List's caller's, so
	// possibly at once): a cluster node registers them with the lobby.
	// They must not block for long. nil: nobody is told.
	OnAdd    func(Entry)
	OnRemove func(id string)
	// Logger receives the directory's logs. nil: slog.Default().
	Logger *slog.Logger
	// Now is the clock retention goes by. nil: time.Now.
	Now func() time.Time
}

func (o *Options) fill() error {
	if o.KeyframeEvery == 0 {
		o.KeyframeEvery = defaultKeyframeEvery
	}
	if o.Queue == 0 {
		o.Queue = defaultQueue
	}
	if o.CloseWait == 0 {
		o.CloseWait = defaultCloseWait
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	switch {
	case o.Keep < 0:
		return fmt.Errorf("ticklog: Options.Keep is %d; want 0 (all) or more", o.Keep)
	case o.MaxAge < 0:
		return fmt.Errorf("ticklog: Options.MaxAge is %v; want 0 (forever) or more", o.MaxAge)
	case o.KeyframeEvery < 1:
		return fmt.Errorf("ticklog: Options.KeyframeEvery is %d; want at least 1", o.KeyframeEvery)
	case o.Queue < 1:
		return fmt.Errorf("ticklog: Options.Queue is %d; want at least 1", o.Queue)
	case o.CloseWait < 0:
		return fmt.Errorf("ticklog: Options.CloseWait is %v; want a duration", o.CloseWait)
	}
	return nil
}

// Entry describes one log of a directory: what GET /api/replays lists.
type Entry struct {
	ID       string        `json:"id"`
	Room     string        `json:"room"`
	Match    int           `json:"match"`
	Players  []PlayerEntry `json:"players"`
	Winner   string        `json:"winner,omitempty"` // the winner's name; empty: none, or not complete
	Complete bool          `json:"complete"`         // the match ended; false: the room closed first
	Start    time.Time     `json:"start"`
	End      time.Time     `json:"end"`
	Ticks    int           `json:"ticks"`
	Bytes    int64         `json:"bytes"`
	// URL is where the log is served, for a lobby that lists the logs of
	// many nodes: the node's base URL. Empty: here.
	URL string `json:"url,omitempty"`
}

// PlayerEntry is one player of a log.
type PlayerEntry struct {
	ID     uint32 `json:"id"`
	Name   string `json:"name"`
	Kills  int    `json:"kills"`
	Deaths int    `json:"deaths"`
}

// Stats counts what a Dir did since Open.
type Stats struct {
	Written uint64 // logs written
	Dropped uint64 // logs dropped because the writer's queue was full
	Failed  uint64 // logs lost to a file error
}

// Dir is a directory of tick logs and the goroutine that writes them.
type Dir struct {
	path string
	opts Options

	q    chan message
	free chan *buffer
	quit chan struct{}
	done chan struct{}
	once sync.Once

	parts uint64       // part files made; the writer's goroutine's
	zw    *gzip.Writer // the writer's compressor, for every member

	dropped, written, failed atomic.Uint64

	mu      sync.Mutex
	entries []Entry // by Start, oldest first
}

// Open opens (creating it if need be) the directory path, indexes the
// logs in it, applies retention and starts the writer. Close stops it.
func Open(path string, opts Options) (*Dir, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("ticklog: %w", err)
	}
	d := &Dir{
		path: path, opts: opts,
		q:    make(chan message, opts.Queue),
		free: make(chan *buffer, opts.Queue+16),
		quit: make(chan struct{}),
		done: make(chan struct{}),
	}
	files, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("ticklog: %w", err)
	}
	for _, f := range files {
		name := f.Name()
		switch {
		case strings.HasPrefix(name, partPrefix) || strings.HasSuffix(name, tmpSuffix):
			os.Remove(filepath.Join(path, name)) // a log that was being written when the process stopped
		case strings.HasSuffix(name, FileSuffix) && validID(strings.TrimSuffix(name, FileSuffix)):
			id := strings.TrimSuffix(name, FileSuffix)
			e, err := readEntry(filepath.Join(path, name), id)
			if err != nil {
				opts.Logger.Warn("ticklog: skipping a log that does not read", "file", name, "err", err)
				continue
			}
			d.entries = append(d.entries, e)
		}
	}
	slices.SortStableFunc(d.entries, func(a, b Entry) int { return a.Start.Compare(b.Start) })
	for _, e := range d.entries {
		if opts.OnAdd != nil {
			opts.OnAdd(e)
		}
	}
	d.prune()
	go d.write()
	return d, nil
}

// Close stops the writer once it has written what is queued; logs still
// being recorded are lost. Close the Recorders first.
func (d *Dir) Close() {
	d.once.Do(func() { close(d.quit) })
	<-d.done
}

// Stats returns the counts since Open.
func (d *Dir) Stats() Stats {
	return Stats{Written: d.written.Load(), Dropped: d.dropped.Load(), Failed: d.failed.Load()}
}

// List returns the logs, newest first, after applying retention.
func (d *Dir) List() []Entry {
	d.prune()
	d.mu.Lock()
	defer d.mu.Unlock()
	out := slices.Clone(d.entries)
	slices.Reverse(out)
	return out
}

// FileSuffix ends the name of a log's file: its id, then this.
const FileSuffix = ".tlog"

// ErrNoLog is the error of OpenLog for an id the directory does not hold.
var ErrNoLog = errors.New("ticklog: no such log")

// OpenLog opens the file of the log id.
func (d *Dir) OpenLog(id string) (*os.File, Entry, error) {
	if !validID(id) {
		return nil, Entry{}, ErrNoLog
	}
	d.mu.Lock()
	i := slices.IndexFunc(d.entries, func(e Entry) bool { return e.ID == id })
	var e Entry
	if i >= 0 {
		e = d.entries[i]
	}
	d.mu.Unlock()
	if i < 0 {
		return nil, Entry{}, ErrNoLog
	}
	f, err := os.Open(filepath.Join(d.path, id+FileSuffix))
	if err != nil {
		return nil, Entry{}, fmt.Errorf("ticklog: %w", err)
	}
	return f, e, nil
}

// add puts a new log in the index and applies retention.
func (d *Dir) add(e Entry) {
	d.mu.Lock()
	d.entries = append(d.entries, e)
	slices.SortStableFunc(d.entries, func(a, b Entry) int { return a.Start.Compare(b.Start) })
	d.mu.Unlock()
	if d.opts.OnAdd != nil {
		d.opts.OnAdd(e)
	}
	d.prune()
}

// prune removes the logs beyond Options.Keep (the oldest) and those that
// ended before Options.MaxAge.
func (d *Dir) prune() {
	d.mu.Lock()
	var gone []Entry
	if d.opts.MaxAge > 0 {
		cut := d.opts.Now().Add(-d.opts.MaxAge)
		kept := d.entries[:0]
		for _, e := range d.entries {
			if e.End.Before(cut) {
				gone = append(gone, e)
			} else {
				kept = append(kept, e)
			}
		}
		d.entries = kept
	}
	if n := len(d.entries) - d.opts.Keep; d.opts.Keep > 0 && n > 0 {
		gone = append(gone, d.entries[:n]...)
		d.entries = slices.Delete(d.entries, 0, n)
	}
	d.mu.Unlock()
	for _, e := range gone {
		if err := os.Remove(filepath.Join(d.path, e.ID+FileSuffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
			d.opts.Logger.Warn("ticklog: retention", "id", e.ID, "err", err)
		}
		if d.opts.OnRemove != nil {
			d.opts.OnRemove(e.ID)
		}
	}
}

// idPattern is what a log's id is made of: the characters newID writes.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// validID reports whether id can name a log: it has no path in it.
func validID(id string) bool { return idPattern.MatchString(id) }

// ValidID reports whether id can name a log (for a lobby that lists the
// logs of nodes and must not pass on a path).
func ValidID(id string) bool { return validID(id) }

// newID names a new log: its start time (UTC), its room (letters, digits,
// '-' and '_' kept, others '_', at most 40), its match; a counter if that
// is taken. Only the writer's goroutine calls it.
func (d *Dir) newID(h *ticklogpb.Header) string {
	room := []byte(h.GetRoom())
	if len(room) > 40 {
		room = room[:40]
	}
	for i, c := range room {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			room[i] = '_'
		}
	}
	base := fmt.Sprintf("%s-%s-m%d", time.UnixMilli(h.GetStartUnixMs()).UTC().Format("20060102-150405"), room, h.GetMatch())
	id := base
	for n := 2; ; n++ {
		if _, err := os.Stat(filepath.Join(d.path, id+FileSuffix)); errors.Is(err, os.ErrNotExist) {
			return id
		}
		id = fmt.Sprintf("%s-%d", base, n)
	}
}

// entryOf is the index entry of a log.
func entryOf(id string, h *ticklogpb.Header, size int64) Entry {
	e := Entry{
		ID: id, Room: h.GetRoom(), Match: int(h.GetMatch()), Complete: h.GetComplete(),
		Start: time.UnixMilli(h.GetStartUnixMs()).UTC(), End: time.UnixMilli(h.GetEndUnixMs()).UTC(),
		Ticks: int(h.GetLastTick() - h.GetFirstTick() + 1), Bytes: size,
		Players: []PlayerEntry{},
	}
	for _, p := range h.GetPlayers() {
		e.Players = append(e.Players, PlayerEntry{ID: p.GetId(), Name: p.GetName(), Kills: int(p.GetKills()), Deaths: int(p.GetDeaths())})
		if h.GetComplete() && p.GetId() == h.GetWinner() {
			e.Winner = p.GetName()
		}
	}
	return e
}

// readEntry reads the index entry of the log file path.
func readEntry(path, id string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Entry{}, err
	}
	h, err := ReadHeader(f)
	if err != nil {
		return Entry{}, err
	}
	return entryOf(id, h, st.Size()), nil
}
