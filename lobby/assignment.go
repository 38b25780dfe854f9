// assignment.go — a held seat turned into the answer a client joins with:
// a ticket (ticket.go) signed for the player, the room and the seat's
// expiry, and the WebSocket URL to present it at. POST /api/play
// (play.go), GET /api/queue (queue.go) and the private rooms (private.go)
// all answer with it. Also the random ids and nonces the lobby mints.

package lobby

import (
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"strconv"
	"time"

	"skirmish/ticket"
)

// playResponse is the 200 answer of POST /api/play, and the heart of every
// other assignment. The client connects to WSURL + "?ticket=" +
// url.QueryEscape(Ticket) before ExpiresIn seconds pass. Its shape is
// fixed: bots and the browser client read it.
type playResponse struct {
	Ticket    string `json:"ticket"`
	WSURL     string `json:"ws_url"`
	Room      string `json:"room"`
	PlayerID  string `json:"player_id"`  // decimal: JavaScript numbers lose uint64 precision
	ExpiresIn int64  `json:"expires_in"` // whole seconds the ticket is valid for, at least
}

// assignedResponse is a seat handed out by the full lobby's endpoints.
type assignedResponse struct {
	Status string `json:"status"` // "assigned"
	playResponse
}

// ticket signs a ticket for player, called name, to take seat.
func (l *Lobby) ticket(r *http.Request, player uint64, name string, seat Seat) (playResponse, *refusal) {
	t := ticket.Ticket{PlayerID: player, Name: name, Room: seat.Room, Expires: seat.Until, Nonce: randomUint64()}
	if err := t.Check(); err != nil {
		l.opts.Logger.Error("lobby: a seat came back that cannot go in a ticket", "room", seat.Room, "err", err)
		return playResponse{}, &refusal{http.StatusInternalServerError, "internal", "internal error reserving a seat"}
	}
	url, err := l.wsURL(r, seat)
	if err != nil {
		l.opts.Logger.Warn("lobby: the node of a seat is unknown", "room", seat.Room, "node", seat.Node, "err", err)
		return playResponse{}, &refusal{http.StatusServiceUnavailable, "unavailable", "the game server of your room is gone; queue again"}
	}
	left := seat.Until.Sub(l.opts.Now())
	return playResponse{
		Ticket:    l.opts.Signer.Sign(t),
		WSURL:     url,
		Room:      seat.Room,
		PlayerID:  strconv.FormatUint(player, 10),
		ExpiresIn: max(int64(left/time.Second), 0),
	}, nil
}

// seatUntil is when a seat reserved now is freed unless claimed: TicketTTL
// on, rounded up to a whole second, as the ticket carries it.
func (l *Lobby) seatUntil(now time.Time) time.Time {
	return ceilSecond(now.Add(l.opts.TicketTTL))
}

// ceilSecond rounds t up to a whole second, so a ticket carrying whole
// seconds lasts at least as long as asked.
func ceilSecond(t time.Time) time.Time {
	if s := t.Truncate(time.Second); !s.Equal(t) {
		return s.Add(time.Second)
	}
	return t
}

// newPlayerID returns a random, non-zero player id.
func newPlayerID() uint64 {
	for {
		if id := randomUint64(); id != 0 {
			return id
		}
	}
}

// randomUint64 comes from crypto/rand so that ids and nonces cannot be
// guessed.
func randomUint64() uint64 {
	var b [8]byte
	// crypto/rand.Read never fails; on a broken system it crashes the program.
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}
