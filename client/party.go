//go:build js && wasm

// party.go — the title screen's party (lobby/party.go): create one and
// show its invite code, join one by code, see who is in it (GET /api/party
// once a second), leave it. The leader's Play queues the whole party
// (POST /api/queue) and each member's page, seeing the party queued,
// follows with a session that waits for its own seat (seatParty,
// lobby_js.go), so the party lands in one room. The party belongs to the
// tab's lobby session (lobby_js.go), so a reloaded page finds its party
// again. title.go owns the buttons; the calls go through lobby_js.go.

package main

import (
	"image"
	"strconv"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// partyPoll is how often a party's page asks who is in it and whether the
// leader queued it.
const partyPoll = time.Second

// partyOp is a party call.
type partyOp int

const (
	opNone    partyOp = iota
	opCreate          // the tab's session (a login if need be), POST /api/party
	opJoin            // the tab's session, POST /api/party/join
	opRestore         // the tab's session after a reload: GET /api/party, quietly
	opPoll            // GET /api/party, and for a member GET /api/queue
	opLeave           // DELETE /api/party
	opQueue           // the leader's Play: POST /api/queue
)

// partyInfo is the party as the lobby last described it.
type partyInfo struct {
	code    string
	leader  string   // player id
	members []string // player ids, leader first
	names   []string // their display names
	max     int
	queued  bool // a member's poll: the leader queued the party (or its seat is assigned)
}

// partyResult is a party call's outcome.
type partyResult struct {
	op            partyOp
	info          partyInfo
	token, player string // the session a create or join used
	gone          bool   // the lobby says this player is in no party
	expired       bool   // the lobby no longer knows the session
	err           string
}

type party struct {
	in            bool
	token, player string // the lobby session the party was made or joined with
	name          string // the name it was made or joined with
	info          partyInfo
	busy          <-chan partyResult // the call in flight
	doing         partyOp            // which call that is
	want          partyOp            // Leave or Play clicked while a poll was in flight
	nextPoll      time.Time
	// follow is whether a member's page joins the leader's queue when it
	// sees it: false after leaving a search (Esc before the seat came)
	// until the party is seen out of the queue, so that search does not
	// start again.
	follow bool
}

func (p *party) leader() bool { return p.in && p.info.leader == p.player }

// start runs op. One call runs at a time: a click made while a poll is in
// flight waits for it, and one made during another click's call is
// dropped.
func (p *party) start(op partyOp, name, code string) {
	if p.busy != nil {
		if p.doing == opPoll && op != opPoll {
			p.want = op
		}
		return
	}
	ch := make(chan partyResult, 1)
	p.busy, p.doing = ch, op
	token, member := p.token, !p.leader()
	go func() {
		r := partyCall(op, token, name, code, member)
		r.op = op
		ch <- r
	}()
	if op == opCreate || op == opJoin || op == opRestore {
		p.name = name
	}
}

// restore looks for the party of the tab's lobby session, if it has one:
// after a reload the page shows it again.
func (p *party) restore() {
	token, player, name := storedSession()
	if token == "" || player == "" {
		return
	}
	p.token, p.player = token, player
	p.start(opRestore, name, "")
}

// back is told that a session ended and the title screen is up again;
// played is whether it got into a game, or ended while still searching.
func (p *party) back(now time.Time, played bool) {
	p.nextPoll = now
	if played {
		return
	}
	p.follow = false
	if p.leader() {
		// A search left before its seat came: take the party out of the
		// queue (a 404 or 409 when it is no longer in it is harmless).
		token := p.token
		go call("DELETE", "/api/queue", token)
	}
}

// update takes a call's result and polls; it returns the request for a
// session when the leader's Play went through or a member follows the
// party into the queue, and a message for the title screen, if any.
func (p *party) update(now time.Time) (req request, ok bool, msg string) {
	if p.busy == nil {
		if p.want != opNone {
			op := p.want
			p.want = opNone
			p.start(op, p.name, "")
		} else if p.in && !now.Before(p.nextPoll) {
			p.start(opPoll, p.name, "")
		}
		return req, false, ""
	}
	var r partyResult
	select {
	case r = <-p.busy:
		p.busy = nil
	default:
		return req, false, ""
	}
	p.nextPoll = now.Add(partyPoll)
	switch {
	case r.gone:
		wasLeader := p.leader()
		*p = party{}
		switch {
		case r.op == opRestore:
		case r.expired:
			msg = "Your party's lobby session expired: make or join a party again."
		case r.op == opPoll && !wasLeader:
			msg = "The party was disbanded: its leader left."
		}
		return req, false, msg
	case r.err != "":
		return req, false, "The lobby said: " + r.err
	}
	switch r.op {
	case opCreate, opJoin:
		p.in, p.token, p.player, p.follow = true, r.token, r.player, true
	case opRestore:
		p.in, p.follow = true, true
	case opQueue:
		return request{kind: seatParty, name: p.name, token: p.token}, true, ""
	}
	p.info = r.info
	if !p.leader() {
		if r.info.queued && p.follow {
			return request{kind: seatParty, name: p.name, token: p.token}, true, ""
		}
		if !r.info.queued {
			p.follow = true
		}
	}
	return req, false, ""
}

// partyCall makes one party call; member says whether to ask for the
// queue too when polling.
func partyCall(op partyOp, token, name, code string, member bool) partyResult {
	var out partyResult
	var r reply
	switch op {
	case opCreate, opJoin:
		for fresh := false; ; fresh = true {
			var failed reply
			if token, out.player, failed = sessionToken(name, fresh); failed.err != "" {
				return partyResult{err: failed.err}
			}
			if op == opCreate {
				r = call("POST", "/api/party", token)
			} else {
				r = call("POST", "/api/party/join", token, "code", code)
			}
			if r.status != 401 || fresh {
				break // else the session expired: a new one, once
			}
		}
		out.token = token
	case opPoll, opRestore:
		r = call("GET", "/api/party", token)
	case opLeave:
		r = call("DELETE", "/api/party", token)
		out.gone = r.err == "" || r.status == 404
		if !out.gone {
			out.err = r.err
		}
		return out
	case opQueue:
		r = call("POST", "/api/queue", token)
		if r.err != "" {
			out.err = r.err
		}
		return out
	}
	switch {
	case (op == opPoll || op == opRestore) && (r.status == 404 || r.status == 401):
		out.gone, out.expired = true, r.status == 401
		return out
	case r.err != "":
		out.err = r.err
		return out
	}
	out.info = partyInfo{code: jsString(r.v, "code"), leader: jsString(r.v, "leader"),
		members: jsStrings(r.v, "members"), names: jsStrings(r.v, "names"), max: jsInt(r.v, "max_size")}
	if (op == opPoll || op == opRestore) && member {
		q := call("GET", "/api/queue", token)
		s := jsString(q.v, "status")
		out.info.queued = q.err == "" && (s == "queued" || s == "assigned")
	}
	return out
}

// draw draws the party box inside r: the code to share, who is in it, and
// what Play does. title.go draws the Leave button over its top right.
func (p *party) draw(dst *ebiten.Image, r image.Rectangle) {
	fillRect(dst, r, colPanel)
	x, y := r.Min.X+20, r.Min.Y+14
	drawText(dst, "Party", fontMedium, x, y+6, colDim, alignLeft)
	drawText(dst, p.info.code, fontLarge, x+70, y, colAccent, alignLeft)
	drawText(dst, strconv.Itoa(len(p.info.members))+" of "+strconv.Itoa(p.info.max)+" players · friends join with this code", fontSmall, x, y+44, colDim, alignLeft)
	hint := "Waiting for the leader to press Play…"
	if p.leader() {
		hint = "You lead: Play takes the whole party into one room."
	}
	drawText(dst, hint, fontSmall, x, y+66, colText, alignLeft)
	y += 96
	for i, id := range p.info.members {
		who := "player …" + id[max(len(id)-4, 0):]
		if i < len(p.info.names) && p.info.names[i] != "" {
			who = p.info.names[i]
		}
		if id == p.player {
			who += " (you)"
		}
		if i == 0 {
			who += " · leader"
		}
		drawText(dst, who, fontMedium, x, y, colText, alignLeft)
		y += 26
	}
}
