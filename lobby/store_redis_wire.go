// store_redis_wire.go — the records of the Redis store (store_redis.go)
// as its Lua scripts (lua/) read and write them: player ids as decimal
// strings, times as unix milliseconds, ratings as strings so Lua passes
// them on unrounded; and the scripts' refusal codes as store errors.

package lobby

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Wire forms of the records, as the scripts read them.

type redisSession struct {
	Player  string `json:"player"`
	Name    string `json:"name"`
	Expires int64  `json:"expires"`
}

type redisMember struct {
	ID     string `json:"id"`
	Rating string `json:"rating"`
}

type redisEntry struct {
	ID       string        `json:"id"`
	Mode     string        `json:"mode"`
	Members  []redisMember `json:"members"`
	Enqueued string        `json:"enqueued"` // ms, a string so Lua passes it on unrounded
}

type redisRoomSpec struct {
	ID       string `json:"id"`
	Mode     string `json:"mode"`
	Capacity int    `json:"capacity"`
	Private  bool   `json:"private"`
	Code     string `json:"code"`
	Node     string `json:"node"`
}

type redisReservation struct {
	Room    redisRoomSpec `json:"room"`
	Create  bool          `json:"create"`
	Entry   string        `json:"entry"`
	Members []redisMember `json:"members"`
	Until   string        `json:"until"`
	Leader  string        `json:"leader"`
}

type redisRoom struct {
	ID        string `json:"id"`
	Mode      string `json:"mode"`
	Capacity  string `json:"capacity"`
	Private   string `json:"private"`
	Code      string `json:"code"`
	MatchEnds string `json:"match_ends"`
	Reserved  int    `json:"reserved"`
	Connected int    `json:"connected"`
	RatingSum string `json:"rating_sum"`
	Node      string `json:"node"`
	// Absent until the game server reports spectators.
	Spectators     string `json:"spectators"`
	SpectatorLimit string `json:"spectator_limit"`
}

type redisParty struct {
	ID      string   `json:"id"`
	Code    string   `json:"code"`
	Leader  string   `json:"leader"`
	Members []string `json:"members"`
	Names   []string `json:"names"` // as Members; missing in parties stored before names were
}

func toRedisMembers(ms []Member) []redisMember {
	out := make([]redisMember, len(ms))
	for i, m := range ms {
		out[i] = redisMember{ID: idString(m.ID), Rating: strconv.FormatFloat(m.Rating, 'g', -1, 64)}
	}
	return out
}

func (e redisEntry) entry() (Entry, error) {
	out := Entry{ID: e.ID, Mode: e.Mode, Members: make([]Member, len(e.Members))}
	for i, m := range e.Members {
		id, err := strconv.ParseUint(m.ID, 10, 64)
		if err != nil {
			return Entry{}, err
		}
		r, err := strconv.ParseFloat(m.Rating, 64)
		if err != nil {
			return Entry{}, err
		}
		out.Members[i] = Member{ID: id, Rating: r}
	}
	enq, err := strconv.ParseInt(e.Enqueued, 10, 64)
	if err != nil {
		return Entry{}, err
	}
	out.Enqueued = time.UnixMilli(enq)
	return out, nil
}

func decodeEntry(raw string) (Entry, error) {
	var re redisEntry
	if err := json.Unmarshal([]byte(raw), &re); err != nil {
		return Entry{}, err
	}
	return re.entry()
}

func (r redisRoom) room() (Room, error) {
	capacity, err := strconv.Atoi(r.Capacity)
	if err != nil {
		return Room{}, err
	}
	ends, err := strconv.ParseInt(r.MatchEnds, 10, 64)
	if err != nil {
		return Room{}, err
	}
	sum, err := strconv.ParseFloat(r.RatingSum, 64)
	if err != nil {
		return Room{}, err
	}
	out := Room{ID: r.ID, Mode: r.Mode, Capacity: capacity, Private: r.Private == "1", Code: r.Code,
		Reserved: r.Reserved, Connected: r.Connected, MatchEnds: fromMS(ends), Node: r.Node}
	for _, f := range []struct {
		raw string
		v   *int
	}{{r.Spectators, &out.Spectators}, {r.SpectatorLimit, &out.SpectatorLimit}} {
		if f.raw == "" {
			continue
		}
		if *f.v, err = strconv.Atoi(f.raw); err != nil {
			return Room{}, err
		}
	}
	if n := r.Reserved + r.Connected; n > 0 {
		out.Rating = sum / float64(n)
	}
	return out, nil
}

func (p redisParty) party() (Party, error) {
	out := Party{ID: p.ID, Code: p.Code, Members: make([]uint64, len(p.Members)), Names: make([]string, len(p.Members))}
	copy(out.Names, p.Names)
	var err error
	if out.Leader, err = strconv.ParseUint(p.Leader, 10, 64); err != nil {
		return Party{}, err
	}
	for i, m := range p.Members {
		if out.Members[i], err = strconv.ParseUint(m, 10, 64); err != nil {
			return Party{}, err
		}
	}
	return out, nil
}

func decodeParty(raw string) (Party, error) {
	var rp redisParty
	if err := json.Unmarshal([]byte(raw), &rp); err != nil {
		return Party{}, err
	}
	return rp.party()
}

// scriptError turns a script's refusal code ("seated r5") into a store
// error, or reports a code it does not know.
func scriptError(code string) error {
	word, detail, _ := strings.Cut(code, " ")
	switch word {
	case "ok":
		return nil
	case "seated":
		return seatedError(detail)
	case "queued":
		return queuedError(detail)
	case "entry_gone":
		return ErrEntryGone
	case "room_gone":
		return ErrRoomGone
	case "room_exists":
		return ErrRoomExists
	case "room_full":
		return ErrRoomFull
	case "code_taken":
		return ErrCodeTaken
	case "not_found":
		return ErrNotFound
	case "in_party":
		return ErrInParty
	case "party_full":
		return ErrPartyFull
	case "party_queued":
		return ErrPartyQueued
	case "not_leader":
		return ErrNotLeader
	case "node_gone":
		return fmt.Errorf("%w: node %s", ErrNodeGone, detail)
	}
	return fmt.Errorf("lobby: redis script answered %q", code)
}
