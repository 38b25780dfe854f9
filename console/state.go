// state.go — GET /console/api/state: what the page shows, read at each
// call (the page polls once a second and keeps the history its charts
// draw): this process's rooms, players and recent kicks and refusals from
// its game server (console.go's Game), the nodes (this process, or the
// lobby's records with each node's own answer: nodes.go), and the kicks
// and refusals by reason from the metrics registry, the counters
// Prometheus scrapes.

package console

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"

	"skirmish/server"
)

// State is the console's view of its role.
type State struct {
	Role    string    `json:"role"`
	Node    string    `json:"node"` // this process among the nodes
	Time    time.Time `json:"time"`
	Rooms   []Room    `json:"rooms"`
	Nodes   []Node    `json:"nodes"`
	Players []Player  `json:"players"`
	// Disconnects counts the connections closed, by reason
	// (skirmish_disconnects_total: the server's kicks, and the clients'
	// own leaving); Refusals the handshakes refused
	// (skirmish_handshakes_rejected_total, by reason) and the lobby's
	// refused requests ("lobby " and the outcome of
	// skirmish_lobby_requests_total), since each process started.
	Disconnects map[string]float64 `json:"disconnects"`
	Refusals    map[string]float64 `json:"refusals"`
	Recent      []Event            `json:"recent"` // newest first
	Totals      Totals             `json:"totals"`
	Errors      []string           `json:"errors,omitempty"` // nodes that did not answer
}

// Room is one room and the node that hosts it.
type Room struct {
	server.RoomStats
	Node string `json:"node"`
}

// Player is one connected player and the node they play on.
type Player struct {
	server.PlayerInfo
	Node string `json:"node"`
}

// Event is one kick or refusal and the node it happened on.
type Event struct {
	server.Event
	Node string `json:"node"`
}

// Node is one game node: this process, or a lobby's record of one.
type Node struct {
	ID       string `json:"id"`
	URL      string `json:"url,omitempty"`
	Live     bool   `json:"live"`
	Draining bool   `json:"draining"`
	Players  int    `json:"players"`
	Rooms    int    `json:"rooms"`
	Capacity int    `json:"capacity,omitempty"`
	Self     bool   `json:"self,omitempty"` // this process
	// Community: a community node (lobby/nodeapi), shown from the lobby's
	// records only; the console takes no action on it.
	Community bool `json:"community,omitempty"`
}

// Totals sum the rooms: what the page's charts draw.
type Totals struct {
	Players     int     `json:"players"`
	Rooms       int     `json:"rooms"`
	BytesOut    int64   `json:"bytes_out_per_s"`
	Skipped     int64   `json:"snapshots_skipped_per_s"`
	Merged      int64   `json:"snapshots_merged_per_s"`
	TickP99     float64 `json:"tick_p99_ms"` // the worst room's
	Disconnects float64 `json:"disconnects"`
	Refusals    float64 `json:"refusals"`
	Draining    int     `json:"nodes_draining"`
	NodesLive   int     `json:"nodes_live"`
}

func (c *Console) serveState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, c.state(r))
}

// state reads everything the page shows, now.
func (c *Console) state(r *http.Request) State {
	st := State{Role: c.opts.Role, Node: c.opts.Node, Time: c.opts.Now(), Disconnects: map[string]float64{}, Refusals: map[string]float64{},
		Rooms: []Room{}, Nodes: []Node{}, Players: []Player{}, Recent: []Event{}} // [] in the JSON, not null
	if g := c.opts.Game; g != nil {
		st.add(c.opts.Node, g.RoomStats(), g.Players(), g.Recent())
		load := g.Load()
		st.Nodes = append(st.Nodes, Node{ID: c.opts.Node, Live: true, Draining: g.Draining(),
			Players: load.Players, Rooms: load.Rooms, Capacity: c.opts.Capacity, Self: true})
	}
	if c.opts.Metrics != nil {
		c.countReasons(&st)
	}
	if c.opts.Cluster != nil {
		c.cluster(r, &st)
	}
	st.total()
	return st
}

// add takes in one node's rooms, players and events.
func (st *State) add(node string, rooms []server.RoomStats, players []server.PlayerInfo, recent []server.Event) {
	for _, r := range rooms {
		st.Rooms = append(st.Rooms, Room{RoomStats: r, Node: node})
	}
	for _, p := range players {
		st.Players = append(st.Players, Player{PlayerInfo: p, Node: node})
	}
	for _, e := range recent {
		st.Recent = append(st.Recent, Event{Event: e, Node: node})
	}
}

// countReasons reads the kick and refusal counters of the registry.
func (c *Console) countReasons(st *State) {
	families, err := c.opts.Metrics.Gather()
	if err != nil && len(families) == 0 {
		st.Errors = append(st.Errors, "metrics: "+err.Error())
		return
	}
	for _, f := range families {
		switch f.GetName() {
		case "skirmish_disconnects_total":
			sumBy(f, "reason", "", st.Disconnects)
		case "skirmish_handshakes_rejected_total":
			sumBy(f, "reason", "", st.Refusals)
		case "skirmish_lobby_requests_total":
			sumBy(f, "outcome", "lobby ", st.Refusals)
			delete(st.Refusals, "lobby ok")
			delete(st.Refusals, "lobby canceled")
		}
	}
}

// sumBy adds f's counters into into, by the value of label, prefixed.
func sumBy(f *dto.MetricFamily, label, prefix string, into map[string]float64) {
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == label {
				into[prefix+l.GetValue()] += m.GetCounter().GetValue()
			}
		}
	}
}

// total sums the rooms and counts, and orders what the page lists.
func (st *State) total() {
	t := &st.Totals
	for _, r := range st.Rooms {
		t.Players += r.Players
		t.BytesOut += r.BytesOut
		t.Skipped += r.Skipped
		t.Merged += r.Merged
		t.TickP99 = max(t.TickP99, r.TickP99)
	}
	t.Rooms = len(st.Rooms)
	for _, v := range st.Disconnects {
		t.Disconnects += v
	}
	for _, v := range st.Refusals {
		t.Refusals += v
	}
	for _, n := range st.Nodes {
		if n.Live {
			t.NodesLive++
		}
		if n.Draining {
			t.Draining++
		}
	}
	slices.SortStableFunc(st.Recent, func(a, b Event) int { return b.At.Compare(a.At) })
	slices.SortStableFunc(st.Nodes, func(a, b Node) int { return strings.Compare(a.ID, b.ID) })
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // a write error: the caller left
}

// answer is what an action, or a refused call, says.
type answer struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, answer{Message: msg})
}
