// store.go — the one interface behind which all lobby state lives, and the
// records it keeps. Two backends implement it with the same behaviour:
// store_memory.go (one process, the embedded default) and store_redis.go
// (many lobby and game processes sharing one Redis). The lobby's handlers
// (session.go, queue.go, private.go, party.go, directory.go), the matcher
// (match.go) and the game servers' seat ledger (ledger.go) are its callers.

package lobby

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Store errors. Backends return them (possibly wrapped, with detail) so the
// handlers can answer each with its own status; any other error means the
// store itself failed (503).
var (
	ErrNotFound    = errors.New("lobby: not found")
	ErrSeated      = errors.New("lobby: player already holds a seat")
	ErrQueued      = errors.New("lobby: player already queued")
	ErrEntryGone   = errors.New("lobby: queue entry no longer queued")
	ErrRoomFull    = errors.New("lobby: room is full")
	ErrRoomGone    = errors.New("lobby: room no longer exists")
	ErrRoomExists  = errors.New("lobby: room already exists")
	ErrCodeTaken   = errors.New("lobby: code already taken")
	ErrNoSeat      = errors.New("lobby: no seat reserved")
	ErrInParty     = errors.New("lobby: player already in a party")
	ErrPartyFull   = errors.New("lobby: party is full")
	ErrPartyQueued = errors.New("lobby: party is queued")
	ErrNotLeader   = errors.New("lobby: not the matchmaker now")
	ErrNodeGone    = errors.New("lobby: game node is gone or draining")
	ErrWrongNode   = errors.New("lobby: room lives on another game node")
)

// Store holds sessions, ratings, the queue, rooms with their seats, and
// parties. Every method is safe for concurrent use, from any number of
// goroutines and, for shared backends, processes; each is one atomic step
// (a Redis Lua script or transaction, a mutex in memory), so two requests
// racing for one seat cannot both win it. Methods may block on I/O and
// give up when ctx is done. Times are passed in (now), never read from a
// clock inside the store, so tests drive made-up time through every
// backend alike.
type Store interface {
	// PutSession stores s under its Key, replacing any session there, and
	// keeps it until grace after it expires (so that an expired token can
	// be told from an unknown one for a while), counting from now.
	PutSession(ctx context.Context, s Session, now time.Time, grace time.Duration) error
	// Session returns the session stored under key, expired or not, or
	// ErrNotFound.
	Session(ctx context.Context, key string) (Session, error)

	// Ratings returns the stored ratings of the given players; players
	// never rated are missing from the map.
	Ratings(ctx context.Context, ids []uint64) (map[uint64]Rating, error)
	// UpdateRatings reads the ratings of ids, passes them to update and
	// stores what update returns, atomically: if another writer changed
	// one of them in between, it starts over. update may run more than
	// once and must not keep the map.
	UpdateRatings(ctx context.Context, ids []uint64, update func(map[uint64]Rating) map[uint64]Rating) error

	// Enqueue adds e to the queue of e.Mode. It fails with ErrQueued if a
	// member is already queued and ErrSeated if one holds a seat that has
	// not expired at now.
	Enqueue(ctx context.Context, e Entry, now time.Time) error
	// Dequeue takes the entry with the given id out of the queue and
	// returns it, or fails with ErrNotFound.
	Dequeue(ctx context.Context, id string) (Entry, error)
	// Queue returns the oldest limit entries queued for mode (all of them
	// if limit is 0), oldest first.
	Queue(ctx context.Context, mode string, limit int) ([]Entry, error)
	// QueuedEntry returns the entry player is queued in, or ErrNotFound.
	QueuedEntry(ctx context.Context, player uint64) (Entry, error)

	// NewRoomID returns a room id never returned before by this store.
	NewRoomID(ctx context.Context) (string, error)
	// Reserve applies each reservation in order, each atomically, and
	// returns one error per reservation (nil: done); the second result
	// is a failure of the store itself. Expired seats of the target room
	// are freed first. A reservation fails, and changes nothing, with
	// ErrEntryGone (its Entry is no longer queued), ErrQueued (a member
	// is queued while Entry is empty), ErrSeated, ErrRoomGone (the room
	// does not exist and Create is false), ErrRoomExists (Create, but it
	// does), ErrCodeTaken (Create, and Room.Code names another room),
	// ErrRoomFull (fewer than len(Members) seats free: never over-fill),
	// ErrNodeGone (Create names a Room.Node that is not live, or drains)
	// or ErrNotLeader (Leader is set but does not lead, see Lead).
	Reserve(ctx context.Context, now time.Time, rs []Reservation) ([]error, error)
	// Seat returns the seat player holds, or ErrNotFound if none, or
	// only one that expired at now.
	Seat(ctx context.Context, player uint64, now time.Time) (Seat, error)
	// Claim turns player's reservation in room into a connected seat, for
	// the game node named node ("" for the lobby's own process). It fails
	// with ErrWrongNode if the room lives on another node, and with
	// ErrNoSeat if there is no reservation, it expired at now, or it is
	// already connected.
	Claim(ctx context.Context, room, node string, player uint64, now time.Time) error
	// Hold turns player's connected seat in room back into a reservation
	// that lasts until until, for the game node named node ("" for the
	// lobby's own process): the player's connection dropped, and the node
	// holds their player for them to come back to (Claim connects the seat
	// again; Expire frees it at until, and ExpireNodes or RemoveNode with
	// the node). It fails with ErrWrongNode if the room lives on another
	// node, and with ErrNoSeat if the player holds no connected seat there.
	Hold(ctx context.Context, room, node string, player uint64, until time.Time) error
	// Release frees player's seat in room, reserved or connected; a room
	// left without seats is deleted. Releasing a seat that is not there
	// does nothing.
	Release(ctx context.Context, room string, player uint64) error
	// Expire frees every reservation that expired at now, deleting rooms
	// left without seats, and forgets the published keys expired at now;
	// it returns how many seats it freed.
	Expire(ctx context.Context, now time.Time) (int, error)
	// Rooms returns every room with its seats counted at now (expired
	// reservations not counted).
	Rooms(ctx context.Context, now time.Time) ([]Room, error)
	// RoomByCode returns the private room with the given code, counted
	// at now, or ErrNotFound.
	RoomByCode(ctx context.Context, code string, now time.Time) (Room, error)
	// SetMatch records when the match in room ends (zero: between
	// matches). A room that does not exist is left alone.
	SetMatch(ctx context.Context, room string, ends time.Time) error
	// SetSpectators records how many spectators watch room and how many
	// its game server takes (negative: none), as the game server reports
	// them. A room that does not exist is left alone.
	SetSpectators(ctx context.Context, room string, spectators, limit int) error

	// CreateParty stores p, led by p.Leader, its only member, called
	// p.Names[0] (if given). It fails with ErrInParty if the leader is in
	// a party and ErrCodeTaken if another party has p.Code.
	CreateParty(ctx context.Context, p Party) error
	// JoinParty adds player, called name, to the party with the given
	// code and returns it. Joining one's own party again changes nothing.
	// It fails with ErrNotFound, ErrInParty (another party),
	// ErrPartyQueued (the leader is queued) or ErrPartyFull (max members
	// already).
	JoinParty(ctx context.Context, code string, player uint64, name string, max int) (Party, error)
	// LeaveParty takes player out of their party and returns the party as
	// it was; when the leader leaves, the party is disbanded. It fails
	// with ErrNotFound or ErrPartyQueued.
	LeaveParty(ctx context.Context, player uint64) (Party, error)
	// PartyOf returns the party player is in, or ErrNotFound.
	PartyOf(ctx context.Context, player uint64) (Party, error)

	// Changes returns a number that grows whenever a queue entry leaves
	// the queue, seated or taken out, and whenever seats are reserved:
	// one cheap read tells a lobby process whether its waiting players
	// should look again.
	Changes(ctx context.Context) (uint64, error)

	// PutNode records n, a game node's heartbeat: it is live until
	// n.Expires unless it beats again. A node that stops beating goes out
	// of rotation, and ExpireNodes deletes its rooms.
	PutNode(ctx context.Context, n Node) error
	// ExpireNodes drops the game nodes whose heartbeat lapsed at now, with
	// every seat of their rooms (deleting those rooms), and returns how
	// many seats it freed.
	ExpireNodes(ctx context.Context, now time.Time) (int, error)
	// RemoveNode takes the node with the given id out of rotation now,
	// with every seat of its rooms (it drained, or is leaving), and
	// returns how many seats it freed. Removing an unknown node does
	// nothing.
	RemoveNode(ctx context.Context, id string) (int, error)
	// Nodes returns the game nodes live at now (draining ones too),
	// ordered by ID.
	Nodes(ctx context.Context, now time.Time) ([]Node, error)

	// PutKey publishes a lobby's ticket-verifying public key (base64)
	// until expires; republishing extends it. Game nodes accept tickets
	// signed with any key published and not expired.
	PutKey(ctx context.Context, key string, expires time.Time) error
	// Keys returns the keys published and not expired at now.
	Keys(ctx context.Context, now time.Time) ([]string, error)

	// Lead makes owner the matchmaker for ttl, or extends its turn, and
	// reports whether owner leads. One lobby process at a time matches;
	// the others stand by and take over within ttl if it stops.
	Lead(ctx context.Context, owner string, now time.Time, ttl time.Duration) (bool, error)
	// ReplayStore keeps the index of the nodes' match logs (replays.go).
	ReplayStore
}

// Errors with detail: the store adds the room or player concerned.

func seatedError(room string) error { return fmt.Errorf("%w in room %s", ErrSeated, room) }

func queuedError(entry string) error { return fmt.Errorf("%w (entry %s)", ErrQueued, entry) }

func wrongNodeError(room, node string) error {
	if node == "" {
		node = "the lobby's own process"
	}
	return fmt.Errorf("%w: room %s is hosted by %s", ErrWrongNode, room, node)
}

// sortRooms orders rooms by id, shortest first, so that "r9" comes before
// "r10": both backends list rooms in this order.
func sortRooms(rooms []Room) {
	slices.SortFunc(rooms, func(a, b Room) int {
		if c := cmp.Compare(len(a.ID), len(b.ID)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Session is a logged-in guest.
type Session struct {
	Key      string    // SHA-256 of the token, hex; the token itself is never stored
	PlayerID uint64    // stable for the session's life
	Name     string    // as ValidName returned it
	Expires  time.Time // the token is refused from this instant on
}

// Member is one player of a queue entry or a reservation, with the
// rating the matcher placed them by.
type Member struct {
	ID     uint64  `json:"id"`
	Rating float64 `json:"rating"`
}

// Entry is one ticket in the matchmaking queue: a player, or a party that
// must land in one room together.
type Entry struct {
	ID       string    `json:"id"` // the leader's player id, in decimal
	Mode     string    `json:"mode"`
	Members  []Member  `json:"members"`  // leader first
	Enqueued time.Time `json:"enqueued"` // the queue's order
}

// rating is the mean rating of the entry's members.
func (e Entry) rating() float64 {
	var sum float64
	for _, m := range e.Members {
		sum += m.Rating
	}
	return sum / float64(max(len(e.Members), 1))
}

// Room is a game room as the lobby sees it: its kind, its capacity and
// the seats held in it.
type Room struct {
	ID        string
	Mode      string
	Capacity  int
	Private   bool
	Code      string    // private rooms: the join code
	Reserved  int       // seats held for players who have not connected yet
	Connected int       // seats of connected players
	Rating    float64   // mean rating of the seated players (0: none)
	MatchEnds time.Time // zero: unknown, or between matches
	Node      string    // the game node hosting it; "" for the lobby's own process
	// Spectators watch the room without a seat; SpectatorLimit is how many
	// its game server takes (0: not reported yet; negative: none). Both
	// as the game server last reported them (SetSpectators).
	Spectators     int
	SpectatorLimit int
}

// Watchable reports whether one more spectator may be sent to the room,
// as far as its game server's last report says.
func (r Room) Watchable() bool {
	return r.SpectatorLimit == 0 || r.Spectators < r.SpectatorLimit
}

// Free is the number of seats still open.
func (r Room) Free() int { return r.Capacity - r.Reserved - r.Connected }

// Reservation asks for seats for Members in Room until Until.
type Reservation struct {
	Room    Room      // with Create: the room to open (ID, Mode, Capacity, Private, Code, Node)
	Create  bool      // open Room; it must not exist yet
	Entry   string    // the queue entry the members come from, taken out on success; "" for none
	Members []Member  // the players to seat
	Until   time.Time // the seats are freed at this instant unless claimed
	// Leader, when set, is the matcher that planned this reservation: it
	// is refused unless Leader still leads when it is applied, so a
	// matcher that lost its turn mid-pass cannot commit a stale plan.
	Leader string
}

// Seat is a seat a player holds.
type Seat struct {
	Room      string
	Node      string    // the game node hosting Room; "" for the lobby's own process
	Until     time.Time // zero once connected
	Connected bool
}

// Node is a game server process (skirmish node) hosting rooms the lobby
// places on it, as its last heartbeat described it.
type Node struct {
	ID       string    `json:"id"`       // unique among live nodes
	URL      string    `json:"url"`      // the WebSocket URL players connect to, e.g. wss://host:7000/ws
	Capacity int       `json:"capacity"` // players it can host
	Players  int       `json:"players"`  // players connected to it
	Rooms    int       `json:"rooms"`    // rooms it hosts
	Draining bool      `json:"draining"` // finishing its matches; takes no new rooms or players
	Expires  time.Time `json:"-"`        // out of rotation at this instant unless it beats again
}

// Party is players who queue together. The leader queues for all.
type Party struct {
	ID      string   `json:"id"`
	Code    string   `json:"code"`
	Leader  uint64   `json:"leader"`
	Members []uint64 `json:"members"` // leader first, then in the order they joined
	Names   []string `json:"names"`   // display names: Names[i] is Members[i]'s
}

// firstName is names[0], or "" for none.
func firstName(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// Rating is a Glicko-2 rating on the Glicko scale (see rating.go).
type Rating struct {
	R   float64 `json:"r"`   // rating, 1500 for a new player
	RD  float64 `json:"rd"`  // rating deviation: how unsure R is
	Vol float64 `json:"vol"` // volatility: how erratic the player's results are
}
