// party.go — parties: POST /api/party makes one with an invite code
// (codes.go), POST /api/party/join joins it by that code, GET /api/party
// shows it and DELETE /api/party leaves it (the leader leaving disbands
// it). The leader queues the whole party (queue.go); the matcher seats an
// entry only where all its members fit, so a party always lands in one
// room together. While the party is queued its members are fixed.

package lobby

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// partyResponse describes a party.
type partyResponse struct {
	Party   string   `json:"party"` // the party's id
	Code    string   `json:"code"`  // the invite code
	Leader  string   `json:"leader"`
	Members []string `json:"members"`  // player ids, leader first
	Names   []string `json:"names"`    // their display names, in the same order
	MaxSize int      `json:"max_size"` // members allowed, leader included
}

func (l *Lobby) partyAnswer(p Party) partyResponse {
	out := partyResponse{Party: p.ID, Code: p.Code, Leader: strconv.FormatUint(p.Leader, 10), MaxSize: l.opts.MaxPartySize, Names: p.Names}
	for _, id := range p.Members {
		out.Members = append(out.Members, strconv.FormatUint(id, 10))
	}
	return out
}

func (l *Lobby) serveCreateParty(w http.ResponseWriter, r *http.Request, s Session) {
	var req struct{}
	if ref := l.readJSON(w, r, &req, noFieldsBody, true); ref != nil {
		l.refuseWith(w, r, ref)
		return
	}
	p := Party{ID: fmt.Sprintf("p%016x", randomUint64()), Leader: s.PlayerID, Members: []uint64{s.PlayerID}, Names: []string{s.Name}}
	var err error
	for range codeAttempts {
		p.Code = newCode()
		if err = l.store.CreateParty(r.Context(), p); !errors.Is(err, ErrCodeTaken) {
			break
		}
	}
	if err != nil {
		l.fail(w, r, conflict(err))
		return
	}
	l.opts.Logger.Info("lobby: party made", "party", p.ID, "code", p.Code, "leader", s.PlayerID)
	l.ok(w, http.StatusCreated, l.partyAnswer(p))
}

func (l *Lobby) serveJoinParty(w http.ResponseWriter, r *http.Request, s Session) {
	code, ok := l.readCodeBody(w, r)
	if !ok {
		return
	}
	p, err := l.store.JoinParty(r.Context(), code, s.PlayerID, s.Name, l.opts.MaxPartySize)
	switch {
	case errors.Is(err, ErrNotFound):
		l.refuse(w, r, http.StatusNotFound, "not_found", "no party has the code "+code)
	case errors.Is(err, ErrPartyFull):
		l.refuse(w, r, http.StatusConflict, "conflict", fmt.Sprintf("party %s is full: it has all %d members", code, l.opts.MaxPartySize))
	case err != nil:
		l.fail(w, r, conflict(err))
	default:
		l.opts.Logger.Info("lobby: joined a party", "party", p.ID, "player", s.PlayerID)
		l.ok(w, http.StatusOK, l.partyAnswer(p))
	}
}

func (l *Lobby) servePartyStatus(w http.ResponseWriter, r *http.Request, s Session) {
	p, err := l.store.PartyOf(r.Context(), s.PlayerID)
	switch {
	case errors.Is(err, ErrNotFound):
		l.refuse(w, r, http.StatusNotFound, "not_found", "you are not in a party")
	case err != nil:
		l.fail(w, r, err)
	default:
		l.ok(w, http.StatusOK, l.partyAnswer(p))
	}
}

func (l *Lobby) serveLeaveParty(w http.ResponseWriter, r *http.Request, s Session) {
	p, err := l.store.LeaveParty(r.Context(), s.PlayerID)
	switch {
	case errors.Is(err, ErrNotFound):
		l.refuse(w, r, http.StatusNotFound, "not_found", "you are not in a party")
	case err != nil:
		l.fail(w, r, conflict(err))
	case p.Leader == s.PlayerID:
		l.opts.Logger.Info("lobby: party disbanded", "party", p.ID)
		l.ok(w, http.StatusOK, statusResponse{Status: "disbanded"})
	default:
		l.ok(w, http.StatusOK, statusResponse{Status: "left"})
	}
}
