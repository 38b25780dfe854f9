// client.go — the node's side of the node API: a Client is what a
// community node (skirmish node --lobby --credential) keeps instead of a
// lobby.Host. It registers and beats every Heartbeat over HTTP, each
// request signed with the node's key (auth.go), keeps its ticket Verifier
// loaded with the keys each beat's answer lists, claims and releases
// seats (a ticket.Ledger), keeps the lobby's receipt for each claimed
// seat and sends them with the match results. The lobby's side is
// service.go and seats.go.

package nodeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"skirmish/lobby"
	"skirmish/nodecred"
	"skirmish/ticket"
)

const (
	defaultHeartbeat  = time.Second
	defaultTimeout    = 5 * time.Second
	maxAnswerBytes    = 64 << 10
	receiptAfterLeave = time.Minute // a released seat's receipt is kept this long, for a result reported late
)

// ClientOptions configures a Client. Lobby, File, URL and Load are
// required; every other field has a default, noted beside it.
type ClientOptions struct {
	Lobby string        // the lobby's base URL, e.g. https://lobby.example.com; required
	File  nodecred.File // the node's credential and key (nodecred.Load); required
	URL   string        // the WebSocket URL players reach the node at; required
	// Load returns the players and rooms the node hosts now; called once a
	// heartbeat, it must be cheap. Required.
	Load func() lobby.HostLoad

	// Capacity is how many players the node takes. Zero means the
	// credential's; more than the credential's is an error.
	Capacity  int
	Heartbeat time.Duration // how often it beats; zero means 1 s
	Timeout   time.Duration // bounds each request; zero means 5 s
	// HTTP sends the requests. Nil means a client of its own.
	HTTP   *http.Client
	Logger *slog.Logger     // nil means slog.Default()
	Now    func() time.Time // nil means time.Now
}

func (o *ClientOptions) fill() error {
	switch {
	case o.Lobby == "":
		return errors.New("nodeapi: ClientOptions.Lobby is required")
	case o.File.Token == "" || o.File.Key == nil:
		return errors.New("nodeapi: ClientOptions.File is required (nodecred.Load)")
	case o.URL == "":
		return errors.New("nodeapi: ClientOptions.URL is required")
	case o.Load == nil:
		return errors.New("nodeapi: ClientOptions.Load is required")
	}
	setDefault(&o.Capacity, o.File.Credential.Capacity)
	setDefault(&o.Heartbeat, defaultHeartbeat)
	setDefault(&o.Timeout, defaultTimeout)
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: o.Timeout}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Lobby = strings.TrimSuffix(o.Lobby, "/")
	switch {
	case o.Capacity < 1 || o.Capacity > o.File.Credential.Capacity:
		return fmt.Errorf("nodeapi: capacity %d: the credential allows 1..%d", o.Capacity, o.File.Credential.Capacity)
	case o.Heartbeat < 0 || o.Timeout < 0:
		return errors.New("nodeapi: ClientOptions.Heartbeat and Timeout must be positive")
	}
	return nil
}

// Client is a community node's link to the lobby. Make one with
// NewClient, call Start, and Leave when the node has drained. It is safe
// for concurrent use.
type Client struct {
	opts     ClientOptions
	verifier *ticket.Verifier
	draining atomic.Bool
	beatNow  chan struct{} // capacity 1

	mu       sync.Mutex
	receipts map[string]map[uint64]*receipt // room → player → the lobby's receipt

	stop context.CancelFunc
	wg   sync.WaitGroup
}

type receipt struct {
	token    string
	released time.Time // zero while the seat is held
}

// NewClient returns a Client configured by opts, with defaults filled in.
func NewClient(opts ClientOptions) (*Client, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	return &Client{
		opts: opts, verifier: ticket.NewVerifier(), beatNow: make(chan struct{}, 1),
		receipts: make(map[string]map[uint64]*receipt), stop: func() {},
	}, nil
}

// Verifier checks tickets with the keys the lobby lists in each
// heartbeat's answer. Give it to the game server (server.Options.Verifier).
func (c *Client) Verifier() *ticket.Verifier { return c.verifier }

// ID is the node's id in the lobby's records.
func (c *Client) ID() string { return IDPrefix + c.opts.File.Credential.Name }

// Start registers the node and reads the ticket keys, then beats on a
// goroutine of its own until Leave. A failure to register is returned (the
// lobby is unreachable, or refuses the credential); later failures are
// logged, and the node goes on trying.
func (c *Client) Start(ctx context.Context) error {
	if err := c.beat(ctx, pathRegister); err != nil {
		return err
	}
	cred := c.opts.File.Credential
	c.opts.Logger.Info("nodeapi: registered with the lobby", "node", c.ID(), "lobby", c.opts.Lobby,
		"capacity", c.opts.Capacity, "credential_expires", cred.Expires, "rating_weight", cred.RatingWeight)
	if c.verifier.Keys() == 0 {
		c.opts.Logger.Warn("nodeapi: no lobby has published a ticket key yet; tickets are refused until one does")
	}
	run, stop := context.WithCancel(context.Background())
	c.stop = stop
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		lobby.Repeat(run, c.opts.Logger, "node "+c.ID()+" heartbeat to the lobby", c.opts.Heartbeat, c.beatNow,
			func(ctx context.Context) error { return c.beat(ctx, pathHeartbeat) })
	}()
	return nil
}

// beat sends one heartbeat (or the registration) and loads the keys its
// answer lists.
func (c *Client) beat(ctx context.Context, path string) error {
	load := c.opts.Load()
	var out beatResponse
	err := c.call(ctx, path, beatRequest{
		URL: c.opts.URL, Capacity: c.opts.Capacity, Players: load.Players, Rooms: load.Rooms, Draining: c.draining.Load(),
	}, &out)
	if err != nil {
		return err
	}
	lobby.LoadPublishedKeys(c.verifier, out.Keys, c.opts.Logger)
	return nil
}

// Drain marks the node draining: from its next heartbeat, sent now, the
// lobby places no new rooms on it and no new players in its rooms.
func (c *Client) Drain() {
	c.draining.Store(true)
	select {
	case c.beatNow <- struct{}{}:
	default:
	}
}

// Leave stops the heartbeats and takes the node out of the lobby's
// records with its rooms. Safe to call more than once.
func (c *Client) Leave(ctx context.Context) error {
	c.stop()
	c.wg.Wait()
	var out leaveResponse
	if err := c.call(ctx, pathLeave, empty{}, &out); err != nil {
		return err
	}
	c.opts.Logger.Info("nodeapi: node left the lobby", "node", c.ID(), "seats_freed", out.SeatsFreed)
	return nil
}

// Claim implements ticket.Ledger: the lobby turns player's reservation in
// room into a connected seat if it placed room on this node, and the
// Client keeps its receipt for the player's results.
func (c *Client) Claim(ctx context.Context, room string, player uint64) error {
	var out claimResponse
	if err := c.call(ctx, pathClaim, seatRequest{Room: room, Player: player}, &out); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	seats := c.receipts[room]
	if seats == nil {
		seats = make(map[uint64]*receipt)
		c.receipts[room] = seats
	}
	seats[player] = &receipt{token: out.Receipt}
	return nil
}

// Release implements ticket.Ledger. The seat's receipt is kept a minute
// more: the match may have ended as the player left, and its results be
// on their way.
func (c *Client) Release(ctx context.Context, room string, player uint64) error {
	now := c.opts.Now()
	c.mu.Lock()
	if r := c.receipts[room][player]; r != nil {
		r.released = now
	}
	c.forgetLocked(now)
	c.mu.Unlock()
	return c.call(ctx, pathRelease, seatRequest{Room: room, Player: player}, &empty{})
}

// Hold implements ticket.Ledger: the lobby keeps the dropped player's
// seat as a reservation on this node until until. Its receipt stays, for
// the same player's claim when they come back.
func (c *Client) Hold(ctx context.Context, room string, player uint64, until time.Time) error {
	req := holdRequest{seatRequest: seatRequest{Room: room, Player: player}, Until: until.UnixMilli()}
	return c.call(ctx, pathHold, req, &empty{})
}

// forgetLocked drops the receipts of seats released over
// receiptAfterLeave ago.
func (c *Client) forgetLocked(now time.Time) {
	for room, seats := range c.receipts {
		for p, r := range seats {
			if !r.released.IsZero() && now.Sub(r.released) > receiptAfterLeave {
				delete(seats, p)
			}
		}
		if len(seats) == 0 {
			delete(c.receipts, room)
		}
	}
}

// MatchStarted tells the lobby when the match in room ends, for its
// directory, with the receipt of a seat there. Wire it to server.Options.OnMatchStart; it blocks for at
// most Timeout and logs a failure.
func (c *Client) MatchStarted(room string, ends time.Time) {
	req := matchStartRequest{Room: room, EndsInMs: max(ends.Sub(c.opts.Now()), 0).Milliseconds()}
	c.mu.Lock()
	for p, r := range c.receipts[room] { // any seat's receipt shows the room is this node's
		req.Player, req.Receipt = p, r.token
		break
	}
	c.mu.Unlock()
	if req.Receipt == "" {
		c.opts.Logger.Warn("nodeapi: no receipt for a seat in the room; its match start is not reported", "room", room)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.Timeout)
	defer cancel()
	if err := c.call(ctx, pathMatchStart, req, &empty{}); err != nil {
		c.opts.Logger.Warn("nodeapi: reporting a match start failed", "room", room, "err", err)
	}
}

// MatchEnded reports the results of the match that ended in room, each
// with its seat's receipt (a player without one, which the lobby would
// refuse, is left out and logged). Wire it to server.Options.OnMatchEnd;
// it blocks for at most Timeout and logs a failure.
func (c *Client) MatchEnded(room string, results []ticket.MatchResult) {
	req := matchEndRequest{Room: room, Results: make([]result, 0, len(results))}
	c.mu.Lock()
	for _, r := range results {
		rc := c.receipts[room][r.PlayerID]
		if rc == nil {
			c.opts.Logger.Warn("nodeapi: no receipt for a player's seat; their result is not reported", "room", room, "player", r.PlayerID)
			continue
		}
		req.Results = append(req.Results, result{Player: r.PlayerID, Kills: r.Kills, Deaths: r.Deaths, Receipt: rc.token})
	}
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.Timeout)
	defer cancel()
	if err := c.call(ctx, pathMatchEnd, req, &empty{}); err != nil {
		c.opts.Logger.Warn("nodeapi: reporting a match end failed", "room", room, "players", len(req.Results), "err", err)
	}
}

// Error is the lobby's refusal of a request.
type Error struct {
	Status int    // the HTTP status
	Reason string // the lobby's label, e.g. "wrong_node", "rate_limited"
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("nodeapi: the lobby refused: %d %s: %s", e.Status, e.Reason, e.Msg)
}

// call sends one signed request and decodes the answer into out.
func (c *Client) call(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("nodeapi: %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opts.Lobby+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("nodeapi: %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if err := signRequest(req, body, c.opts.File.Token, c.opts.File.Key, c.opts.Now()); err != nil {
		return fmt.Errorf("nodeapi: %s: signing: %w", path, err)
	}
	resp, err := c.opts.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("nodeapi: %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return fmt.Errorf("nodeapi: %s: reading the answer: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e errorResponse
		if json.Unmarshal(raw, &e) != nil || e.Reason == "" {
			// Not the node API's answer: a lobby without --key, or a proxy.
			e = errorResponse{Reason: "not_node_api", Error: fmt.Sprintf("%s answered %q: is the node API served there (skirmish lobby --key)?", c.opts.Lobby+path, firstLine(raw))}
		}
		return &Error{Status: resp.StatusCode, Reason: e.Reason, Msg: e.Error}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("nodeapi: %s: the answer: %w", path, err)
	}
	return nil
}

// firstLine is the start of an answer that is not the node API's, for the
// log.
func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}
