// seats.go — the node API's handlers, each run by service.go once the
// request is admitted: a community node registers and beats (checked
// against its credential's capacity), leaves, claims and releases seats
// (only in rooms the lobby placed on it: its own records decide), and
// reports its matches (results only for players it holds a receipt for,
// receipt.go; ratings moved by its credential's weight). A receipt for
// any seat in a room shows the room is the node's: a room lives on one
// node all its life, and room ids never repeat (Store.NewRoomID), so the
// match reports need no look-up of the room.

package nodeapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"skirmish/lobby"
	"skirmish/ticket"
)

const (
	maxURLLen      = 256
	maxRoomLen     = 64
	maxMatchLength = time.Hour // a match-start's ends_in_ms at most
	maxRoomPlayers = 64        // results in one report at most: the game server's room limit
	maxScore       = 1 << 20   // kills or deaths a result may claim
)

func (s *Service) register(ctx context.Context, n node, body []byte) (any, error) {
	var req beatRequest
	if err := s.checkBeat(n, body, &req); err != nil {
		return nil, err
	}
	// Whatever an earlier process of this node left (it was killed and
	// restarted within its heartbeat's lapse) is gone, seats and all.
	freed, err := s.opts.Store.RemoveNode(ctx, n.id)
	if err != nil {
		return nil, err
	}
	out, err := s.beat(ctx, n, req)
	if err == nil {
		s.opts.Logger.Info("nodeapi: community node registered", "node", n.id, "url", req.URL,
			"capacity", req.Capacity, "rating_weight", n.cred.RatingWeight, "expires", n.cred.Expires, "seats_freed", freed)
	}
	return out, err
}

func (s *Service) heartbeat(ctx context.Context, n node, body []byte) (any, error) {
	var req beatRequest
	if err := s.checkBeat(n, body, &req); err != nil {
		return nil, err
	}
	return s.beat(ctx, n, req)
}

// checkBeat decodes a heartbeat and checks it against the credential.
func (s *Service) checkBeat(n node, body []byte, req *beatRequest) error {
	if err := decode(body, req); err != nil {
		return err
	}
	u, err := url.Parse(req.URL)
	switch {
	case len(req.URL) > maxURLLen || err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "":
		return refuse(http.StatusBadRequest, "bad_request", "nodeapi: url %.64q: want a ws:// or wss:// URL of at most %d bytes", req.URL, maxURLLen)
	case req.Capacity < 1 || req.Players < 0 || req.Rooms < 0:
		return refuse(http.StatusBadRequest, "bad_request", "nodeapi: capacity must be positive, players and rooms not negative")
	case req.Capacity > n.cred.Capacity:
		return offence("over_capacity", "nodeapi: node %q asks for %d players; its credential allows %d", n.cred.Name, req.Capacity, n.cred.Capacity)
	}
	return nil
}

// beat records the node live until HeartbeatTTL from the lobby's clock,
// and answers with the published ticket keys.
func (s *Service) beat(ctx context.Context, n node, req beatRequest) (any, error) {
	now := s.opts.Now()
	err := s.opts.Store.PutNode(ctx, lobby.Node{
		ID: n.id, URL: req.URL, Capacity: req.Capacity, Players: req.Players, Rooms: req.Rooms,
		Draining: req.Draining, Expires: now.Add(s.opts.HeartbeatTTL),
	})
	if err != nil {
		return nil, err
	}
	keys, err := s.opts.Store.Keys(ctx, now)
	if err != nil {
		return nil, err
	}
	return beatResponse{Node: n.id, Keys: keys}, nil
}

func (s *Service) leave(ctx context.Context, n node, body []byte) (any, error) {
	if err := decode(body, &empty{}); err != nil {
		return nil, err
	}
	freed, err := s.opts.Store.RemoveNode(ctx, n.id)
	if err != nil {
		return nil, err
	}
	s.opts.Logger.Info("nodeapi: community node left", "node", n.id, "seats_freed", freed)
	return leaveResponse{SeatsFreed: freed}, nil
}

// checkSeat decodes a seat request.
func checkSeat(body []byte, req *seatRequest) error {
	if err := decode(body, req); err != nil {
		return err
	}
	return req.check()
}

// check refuses a seat request without a room or a player.
func (req seatRequest) check() error {
	if err := checkRoom(req.Room); err != nil {
		return err
	}
	if req.Player == 0 {
		return refuse(http.StatusBadRequest, "bad_request", "nodeapi: player is required")
	}
	return nil
}

func checkRoom(room string) error {
	if room == "" || len(room) > maxRoomLen {
		return refuse(http.StatusBadRequest, "bad_request", "nodeapi: room: want 1..%d bytes", maxRoomLen)
	}
	return nil
}

// claim turns a reservation into a connected seat, if the room was placed
// on this node, and answers with the receipt for it.
func (s *Service) claim(ctx context.Context, n node, body []byte) (any, error) {
	var req seatRequest
	if err := checkSeat(body, &req); err != nil {
		return nil, err
	}
	now := s.opts.Now()
	err := s.opts.Store.Claim(ctx, req.Room, n.id, req.Player, now)
	switch {
	case errors.Is(err, lobby.ErrWrongNode):
		return nil, offence("wrong_node", "nodeapi: node %q claimed player %d's seat in room %s, which the lobby did not place on it", n.cred.Name, req.Player, req.Room)
	case errors.Is(err, lobby.ErrNoSeat):
		return nil, refuse(http.StatusConflict, "no_seat", "nodeapi: player %d holds no reservation in room %s (expired, or connected already)", req.Player, req.Room)
	case err != nil:
		return nil, err
	}
	return claimResponse{Receipt: signReceipt(s.opts.Key, n.id, req.Room, req.Player, now)}, nil
}

// release frees a seat of a room on this node; a seat in another node's
// room is refused, and one that is not there is nothing to do.
func (s *Service) release(ctx context.Context, n node, body []byte) (any, error) {
	var req seatRequest
	if err := checkSeat(body, &req); err != nil {
		return nil, err
	}
	seat, err := s.opts.Store.Seat(ctx, req.Player, s.opts.Now())
	switch {
	case errors.Is(err, lobby.ErrNotFound) || (err == nil && seat.Room != req.Room):
		return empty{}, nil
	case err != nil:
		return nil, err
	case seat.Node != n.id:
		return nil, offence("wrong_node", "nodeapi: node %q released player %d's seat in room %s, which the lobby did not place on it", n.cred.Name, req.Player, req.Room)
	}
	if err := s.opts.Store.Release(ctx, req.Room, req.Player); err != nil {
		return nil, err
	}
	return empty{}, nil
}

// maxHold bounds how long a node may hold a dropped player's seat, as
// skirmish node's --resume-hold does: a node cannot keep seats for ever.
const maxHold = 10 * time.Minute

// hold keeps a dropped player's connected seat in a room of this node as
// a reservation until the time asked, at most maxHold from now.
func (s *Service) hold(ctx context.Context, n node, body []byte) (any, error) {
	var req holdRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if err := req.check(); err != nil {
		return nil, err
	}
	now := s.opts.Now()
	until := time.UnixMilli(req.Until)
	if !until.After(now) || until.Sub(now) > maxHold {
		return nil, refuse(http.StatusBadRequest, "bad_request", "nodeapi: until: want within %v from now", maxHold)
	}
	err := s.opts.Store.Hold(ctx, req.Room, n.id, req.Player, until)
	switch {
	case errors.Is(err, lobby.ErrWrongNode):
		return nil, offence("wrong_node", "nodeapi: node %q held player %d's seat in room %s, which the lobby did not place on it", n.cred.Name, req.Player, req.Room)
	case errors.Is(err, lobby.ErrNoSeat):
		return nil, refuse(http.StatusConflict, "no_seat", "nodeapi: player %d holds no connected seat in room %s", req.Player, req.Room)
	case err != nil:
		return nil, err
	}
	return empty{}, nil
}

// matchStart records when the match in a room of this node ends, shown by
// the receipt of one of its seats.
func (s *Service) matchStart(ctx context.Context, n node, body []byte) (any, error) {
	var req matchStartRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if err := checkRoom(req.Room); err != nil {
		return nil, err
	}
	if req.EndsInMs < 0 || req.EndsInMs > maxMatchLength.Milliseconds() {
		return nil, refuse(http.StatusBadRequest, "bad_request", "nodeapi: ends_in_ms %d: want 0..%d", req.EndsInMs, maxMatchLength.Milliseconds())
	}
	if !checkReceipt(s.pub, req.Receipt, n.id, req.Room, req.Player) {
		return nil, offence("wrong_node", "nodeapi: node %q reported a match in room %s without a receipt for a seat there: the lobby did not place it on it", n.cred.Name, req.Room)
	}
	ends := s.opts.Now().Add(time.Duration(req.EndsInMs) * time.Millisecond)
	if err := s.opts.Store.SetMatch(ctx, req.Room, ends); err != nil {
		return nil, err
	}
	return empty{}, nil
}

// matchEnd rates a match from its results, every one of which must carry
// the lobby's receipt for that player's seat in that room on this node,
// and marks the room between matches.
func (s *Service) matchEnd(ctx context.Context, n node, body []byte) (any, error) {
	var req matchEndRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if err := checkRoom(req.Room); err != nil {
		return nil, err
	}
	if len(req.Results) > maxRoomPlayers {
		return nil, refuse(http.StatusBadRequest, "bad_request", "nodeapi: %d results; a room has at most %d players", len(req.Results), maxRoomPlayers)
	}
	results := make([]ticket.MatchResult, 0, len(req.Results))
	seen := make(map[uint64]bool, len(req.Results))
	for _, r := range req.Results {
		switch {
		case r.Player == 0 || seen[r.Player]:
			return nil, refuse(http.StatusBadRequest, "bad_request", "nodeapi: results: player %d missing or given twice", r.Player)
		case r.Kills < 0 || r.Deaths < 0 || r.Kills > maxScore || r.Deaths > maxScore:
			return nil, refuse(http.StatusBadRequest, "bad_request", "nodeapi: results: player %d's kills and deaths must be 0..%d", r.Player, maxScore)
		case !checkReceipt(s.pub, r.Receipt, n.id, req.Room, r.Player):
			return nil, offence("foreign_result", "nodeapi: node %q reported a result for player %d in room %s, who never held a seat there on it", n.cred.Name, r.Player, req.Room)
		}
		seen[r.Player] = true
		results = append(results, ticket.MatchResult{PlayerID: r.Player, Kills: r.Kills, Deaths: r.Deaths})
	}
	if len(results) == 0 {
		return empty{}, nil // nothing shows the room is this node's, and there is nothing to rate
	}
	lobby.RecordMatchEnd(s.opts.Store, s.opts.Logger, req.Room, results, n.cred.RatingWeight)
	return empty{}, nil
}
