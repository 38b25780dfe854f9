// host.go — the lobby as a game node (skirmish node) sees it: a Host
// registers the node in the Store with its URL, capacity and load, beats
// every Heartbeat so the lobby keeps placing rooms on it, says when it
// drains and leaves, keeps its ticket Verifier loaded with the keys the
// lobbies publish (or pinned ones), confirms seats (Claim, Hold and Release, as
// ticket.Ledger) for rooms placed on it only, and reports its matches
// for the directory and the ratings. The lobby's side is nodes.go.

package lobby

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"skirmish/ticket"
)

const (
	defaultHostCapacity  = 256
	defaultHeartbeat     = time.Second
	defaultHeartbeatTTL  = 5 * time.Second
	defaultKeyRefresh    = time.Second
	maxHostIDLen         = 64
	minHeartbeatTTLRatio = 2 // the TTL must outlast this many heartbeats
)

// HostLoad is what a node reports in each heartbeat.
type HostLoad struct {
	Players, Rooms int
}

// HostOptions configures a Host. Store, ID, URL and Load are required;
// every other field has a default, noted beside it.
type HostOptions struct {
	Store Store  // the lobby's store; required
	ID    string // the node's name, unique among live nodes: 1..64 printable ASCII bytes; required
	URL   string // the WebSocket URL players reach it at, e.g. wss://game1.example.com:7000/ws; required
	// Load returns the players and rooms the node hosts now; it is called
	// once a heartbeat and must be cheap. Required.
	Load func() HostLoad

	// Capacity is how many players the node takes: the lobby places a
	// room on it only while the capacity of its rooms fits. Zero means 256.
	Capacity int
	// Heartbeat is how often the node tells the store it is alive. Zero
	// means 1 s.
	Heartbeat time.Duration
	// HeartbeatTTL is how long after its last beat the node is out of
	// rotation (and the lobby frees its rooms' seats). Zero means 5 s; it
	// must be at least twice Heartbeat.
	HeartbeatTTL time.Duration
	// Keys pins the public keys tickets must be signed with. Empty means
	// the keys the lobbies publish in the Store, read every KeyRefresh.
	Keys []ed25519.PublicKey
	// KeyRefresh is how often published keys are read again. Zero means 1 s.
	KeyRefresh time.Duration

	Logger *slog.Logger     // nil means slog.Default()
	Now    func() time.Time // nil means time.Now
}

func (o *HostOptions) fill() error {
	switch {
	case o.Store == nil:
		return errors.New("lobby: HostOptions.Store is required")
	case o.ID == "" || len(o.ID) > maxHostIDLen || !printable(o.ID):
		return fmt.Errorf("lobby: HostOptions.ID %q: want 1..%d printable ASCII bytes", o.ID, maxHostIDLen)
	case o.URL == "":
		return errors.New("lobby: HostOptions.URL is required")
	case o.Load == nil:
		return errors.New("lobby: HostOptions.Load is required")
	}
	setDefault(&o.Capacity, defaultHostCapacity)
	setDefault(&o.Heartbeat, defaultHeartbeat)
	setDefault(&o.HeartbeatTTL, defaultHeartbeatTTL)
	setDefault(&o.KeyRefresh, defaultKeyRefresh)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	switch {
	case o.Capacity < 1:
		return fmt.Errorf("lobby: HostOptions.Capacity is %d; want at least 1", o.Capacity)
	case o.Heartbeat < 0:
		return fmt.Errorf("lobby: HostOptions.Heartbeat is %v; want a positive duration", o.Heartbeat)
	case o.KeyRefresh < 0:
		return fmt.Errorf("lobby: HostOptions.KeyRefresh is %v; want a positive duration", o.KeyRefresh)
	case o.HeartbeatTTL < minHeartbeatTTLRatio*o.Heartbeat:
		return fmt.Errorf("lobby: HostOptions.HeartbeatTTL %v must be at least %d heartbeats (%v)", o.HeartbeatTTL, minHeartbeatTTLRatio, o.Heartbeat)
	}
	return nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// Host is a game node's link to the lobby. Make one with NewHost, call
// Start, and Leave when the node has drained. It is safe for concurrent
// use.
type Host struct {
	opts     HostOptions
	verifier *ticket.Verifier
	draining atomic.Bool
	beat     chan struct{} // capacity 1: beat now

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// NewHost returns a Host configured by opts, with defaults filled in.
func NewHost(opts HostOptions) (*Host, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	return &Host{opts: opts, verifier: ticket.NewVerifier(opts.Keys...), beat: make(chan struct{}, 1), stop: func() {}}, nil
}

// Verifier checks tickets with the keys the Host knows: pinned, or
// published by the lobbies (refreshed while the Host runs). Give it to the
// game server (server.Options.Verifier).
func (h *Host) Verifier() *ticket.Verifier { return h.verifier }

// ID is the node's name.
func (h *Host) ID() string { return h.opts.ID }

// Start registers the node with one heartbeat and reads the keys, then
// beats and refreshes them on goroutines of their own until Leave. A
// failure of that first step is returned (the store is unreachable, or no
// lobby published a key yet: the node would refuse every ticket); later
// failures are logged, and the node goes on trying.
func (h *Host) Start(ctx context.Context) error {
	// A node that starts hosts nothing: rooms an earlier process of the
	// same name left in the store (it was killed and restarted within
	// its heartbeat's lapse) are gone, and their seats with them.
	if n, err := h.opts.Store.Nodes(ctx, h.opts.Now()); err != nil {
		return err
	} else if slices.ContainsFunc(n, func(n Node) bool { return n.ID == h.opts.ID }) {
		h.opts.Logger.Warn("lobby: a live node has this node's name: taking its place and freeing its rooms (give every node its own --name)", "node", h.opts.ID)
	}
	if _, err := h.opts.Store.RemoveNode(ctx, h.opts.ID); err != nil {
		return err
	}
	if err := h.heartbeat(ctx); err != nil {
		return err
	}
	if len(h.opts.Keys) == 0 {
		if err := h.refreshKeys(ctx); err != nil {
			return err
		}
		if h.verifier.Keys() == 0 {
			h.opts.Logger.Warn("lobby: no lobby has published a ticket key yet; tickets are refused until one does")
		}
	}
	run, stop := context.WithCancel(context.Background())
	h.stop = stop
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		Repeat(run, h.opts.Logger, "node "+h.opts.ID+" heartbeat", h.opts.Heartbeat, h.beat, h.heartbeat)
	}()
	if len(h.opts.Keys) == 0 {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			Repeat(run, h.opts.Logger, "node "+h.opts.ID+" reading ticket keys", h.opts.KeyRefresh, nil, h.refreshKeys)
		}()
	}
	return nil
}

// Repeat runs step every interval, and whenever now fires, until ctx
// ends, each step bounded by a few seconds, logging the first failure of
// a run of them and the recovery (what names the step in the log). The
// Host's heartbeat and key refresh, the Lobby's key publishing and a
// community node's heartbeat (skirmish/lobby/nodeapi) run on it.
func Repeat(ctx context.Context, log *slog.Logger, what string, interval time.Duration, now <-chan struct{}, step func(context.Context) error) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-now:
		}
		sctx, cancel := context.WithTimeout(ctx, storeTimeout)
		err := step(sctx)
		cancel()
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil && !failing:
			failing = true
			log.Warn("lobby: "+what+" failing; retrying", "err", err)
		case err == nil && failing:
			failing = false
			log.Info("lobby: " + what + " works again")
		}
	}
}

// heartbeat records the node, live for HeartbeatTTL from now.
func (h *Host) heartbeat(ctx context.Context) error {
	load := h.opts.Load()
	return h.opts.Store.PutNode(ctx, Node{
		ID: h.opts.ID, URL: h.opts.URL, Capacity: h.opts.Capacity,
		Players: load.Players, Rooms: load.Rooms, Draining: h.draining.Load(),
		Expires: h.opts.Now().Add(h.opts.HeartbeatTTL),
	})
}

// refreshKeys loads the keys the lobbies publish into the Verifier.
func (h *Host) refreshKeys(ctx context.Context) error {
	raw, err := h.opts.Store.Keys(ctx, h.opts.Now())
	if err != nil {
		return err
	}
	LoadPublishedKeys(h.verifier, raw, h.opts.Logger)
	return nil
}

// LoadPublishedKeys puts the ticket keys the lobbies publish (raw, as
// Store.Keys lists them) in v. Keys that do not parse are skipped with a
// warning; none at all keeps the keys v has, since tickets signed with
// them are still good until the lobbies come back and publish again. A
// Host's key refresh and a community node's heartbeat
// (skirmish/lobby/nodeapi) call it.
func LoadPublishedKeys(v *ticket.Verifier, raw []string, log *slog.Logger) {
	keys := make([]ed25519.PublicKey, 0, len(raw))
	for _, s := range raw {
		k, err := ticket.ParseKey(s)
		if err != nil {
			log.Warn("lobby: skipping a published ticket key", "err", err)
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 && v.Keys() > 0 {
		return
	}
	v.SetKeys(keys)
}

// Drain marks the node draining: from its next heartbeat, sent now, the
// lobby places no new rooms on it and no new players in its rooms.
func (h *Host) Drain() {
	h.draining.Store(true)
	select {
	case h.beat <- struct{}{}:
	default:
	}
}

// Leave stops the heartbeats and takes the node out of the store with its
// rooms. Call it once the node has drained (or is about to exit anyway);
// Leave is safe to call more than once.
func (h *Host) Leave(ctx context.Context) error {
	h.stop()
	h.wg.Wait()
	n, err := h.opts.Store.RemoveNode(ctx, h.opts.ID)
	if err != nil {
		return err
	}
	h.opts.Logger.Info("lobby: node left the lobby", "node", h.opts.ID, "seats_freed", n)
	return nil
}

// Claim implements ticket.Ledger: it turns player's reservation in
// room into a connected seat, if room was placed on this node.
func (h *Host) Claim(ctx context.Context, room string, player uint64) error {
	return h.opts.Store.Claim(ctx, room, h.opts.ID, player, h.opts.Now())
}

// Hold implements ticket.Ledger: it holds the seat of a player whose
// connection dropped, in a room placed on this node, until until.
func (h *Host) Hold(ctx context.Context, room string, player uint64, until time.Time) error {
	return h.opts.Store.Hold(ctx, room, h.opts.ID, player, until)
}

// Release implements ticket.Ledger.
func (h *Host) Release(ctx context.Context, room string, player uint64) error {
	return h.opts.Store.Release(ctx, room, player)
}

// MatchStarted records when the match in room ends, for the directory.
// Wire it to server.Options.OnMatchStart.
func (h *Host) MatchStarted(room string, ends time.Time) {
	recordMatchStart(h.opts.Store, h.opts.Logger, room, ends)
}

// SpectatorsChanged records room's spectators, for POST /api/watch. Wire
// it to server.Options.OnSpectators.
func (h *Host) SpectatorsChanged(room string, spectators, limit int) {
	recordSpectators(h.opts.Store, h.opts.Logger, room, spectators, limit)
}

// MatchEnded rates the match that ended in room. Wire it to
// server.Options.OnMatchEnd.
func (h *Host) MatchEnded(room string, results []ticket.MatchResult) {
	RecordMatchEnd(h.opts.Store, h.opts.Logger, room, results, 1)
}
