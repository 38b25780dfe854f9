// api.go — the node API's paths and messages, which both sides share: the
// lobby's handlers (service.go, seats.go) read the requests and write the
// answers that the node's client (client.go) sends and reads. Every
// request is a POST with a JSON body, signed as auth.go says; every
// refusal is an errorResponse with its status.

package nodeapi

const (
	prefix         = "/node/v1/"
	pathRegister   = prefix + "register"    // beatRequest → beatResponse: first beat; frees what an earlier process of this node left
	pathHeartbeat  = prefix + "heartbeat"   // beatRequest → beatResponse: every second
	pathLeave      = prefix + "leave"       // {} → leaveResponse: out of rotation with its rooms
	pathClaim      = prefix + "claim"       // seatRequest → claimResponse
	pathRelease    = prefix + "release"     // seatRequest → {}
	pathHold       = prefix + "hold"        // holdRequest → {}
	pathMatchStart = prefix + "match-start" // matchStartRequest → {}
	pathMatchEnd   = prefix + "match-end"   // matchEndRequest → {}
)

// beatRequest is a node's heartbeat: where players reach it, how many it
// takes (at most its credential's capacity) and hosts, and whether it
// drains.
type beatRequest struct {
	URL      string `json:"url"` // ws:// or wss://, at most maxURLLen bytes
	Capacity int    `json:"capacity"`
	Players  int    `json:"players"`
	Rooms    int    `json:"rooms"`
	Draining bool   `json:"draining"`
}

// beatResponse tells the node its id in the lobby's records and the
// ticket keys the lobbies publish, for its Verifier.
type beatResponse struct {
	Node string   `json:"node"`
	Keys []string `json:"keys"`
}

type leaveResponse struct {
	SeatsFreed int `json:"seats_freed"`
}

// seatRequest names a seat: the player of a ticket in the room it names.
type seatRequest struct {
	Room   string `json:"room"`
	Player uint64 `json:"player"`
}

// holdRequest keeps a dropped player's seat until Until (Unix
// milliseconds), for them to come back to.
type holdRequest struct {
	seatRequest
	Until int64 `json:"until_ms"`
}

// claimResponse carries the lobby's receipt for the claimed seat
// (receipt.go): the node shows it with the player's match results.
type claimResponse struct {
	Receipt string `json:"receipt"`
}

// matchStartRequest says when the match in room ends, with the receipt of
// one seat there (any player's): it shows the room is the node's.
type matchStartRequest struct {
	Room     string `json:"room"`
	EndsInMs int64  `json:"ends_in_ms"` // from now: the two clocks need not agree
	Player   uint64 `json:"player"`
	Receipt  string `json:"receipt"`
}

type matchEndRequest struct {
	Room    string   `json:"room"`
	Results []result `json:"results"`
}

// result is one player's result, with the receipt the lobby gave when
// their seat was claimed on this node.
type result struct {
	Player  uint64 `json:"player"`
	Kills   int    `json:"kills"`
	Deaths  int    `json:"deaths"`
	Receipt string `json:"receipt"`
}

type empty struct{}

type errorResponse struct {
	Error  string `json:"error"`
	Reason string `json:"reason"` // a short label: the outcome the lobby counted
}
