// nodes.go — a lobby's console reaching the game nodes it records
// (Options.Cluster): each live node's own console answers for its rooms,
// players and recent events (state.go merges them), and takes the
// operator's actions on them (actions.go forwards them), with the same
// token. A node's console is at its players' URL with http for ws: the
// record's ws://host:7000/ws is http://host:7000/console. A community
// node (skirmish/lobby/nodeapi: its id starts with nodeapi.IDPrefix) is
// someone else's: it is listed from the lobby's records, never called,
// and never sent the token.

package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"skirmish/lobby"
	"skirmish/lobby/nodeapi"
	"skirmish/server"
)

// maxNodeAnswer bounds what a node's console may answer.
const maxNodeAnswer = 8 << 20

// errNoNode answers an action on a node the lobby does not record.
var errNoNode = errors.New("console: no such live node")

// cluster adds the nodes the lobby records, and what each says of itself;
// a node that does not answer is shown from the lobby's records alone.
func (c *Console) cluster(r *http.Request, st *State) {
	ctx := r.Context()
	now := c.opts.Now()
	nodes, err := c.opts.Cluster.Nodes(ctx, now)
	if err != nil {
		st.Errors = append(st.Errors, "lobby store: "+err.Error())
		return
	}
	answers := make([]State, len(nodes))
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		if !community(n.ID) {
			wg.Go(func() { errs[i] = c.call(ctx, n, http.MethodGet, "/console/api/state", &answers[i]) })
		}
	}
	wg.Wait()
	var failed []string
	for i, n := range nodes {
		st.Nodes = append(st.Nodes, Node{ID: n.ID, URL: n.URL, Live: true, Draining: n.Draining,
			Players: n.Players, Rooms: n.Rooms, Capacity: n.Capacity, Community: community(n.ID)})
		if community(n.ID) {
			failed = append(failed, n.ID) // its rooms, from the lobby's records
			continue
		}
		if errs[i] != nil {
			st.Errors = append(st.Errors, fmt.Sprintf("node %s: %v", n.ID, errs[i]))
			failed = append(failed, n.ID)
			continue
		}
		a := &answers[i]
		for _, rm := range a.Rooms {
			st.Rooms = append(st.Rooms, Room{RoomStats: rm.RoomStats, Node: n.ID})
		}
		for _, p := range a.Players {
			st.Players = append(st.Players, Player{PlayerInfo: p.PlayerInfo, Node: n.ID})
		}
		for _, e := range a.Recent {
			st.Recent = append(st.Recent, Event{Event: e.Event, Node: n.ID})
		}
		for k, v := range a.Disconnects {
			st.Disconnects[k] += v
		}
		for k, v := range a.Refusals {
			st.Refusals[k] += v
		}
	}
	if len(failed) > 0 {
		c.roomsFromStore(ctx, now, failed, st)
	}
}

// roomsFromStore adds the rooms the lobby records on the given nodes:
// seats and match times, without a node's own figures.
func (c *Console) roomsFromStore(ctx context.Context, now time.Time, nodes []string, st *State) {
	rooms, err := c.opts.Cluster.Rooms(ctx, now)
	if err != nil {
		st.Errors = append(st.Errors, "lobby store: "+err.Error())
		return
	}
	for _, r := range rooms {
		if !contains(nodes, r.Node) {
			continue
		}
		rs := server.RoomStats{ID: r.ID, Players: r.Connected, Seats: r.Reserved + r.Connected, Capacity: r.Capacity}
		if !r.MatchEnds.IsZero() && r.MatchEnds.After(now) {
			rs.Phase, rs.TimeLeft = "playing", r.MatchEnds.Sub(now).Seconds()
		}
		st.Rooms = append(st.Rooms, Room{RoomStats: rs, Node: r.Node})
	}
}

// community reports whether the node with this id is a community node.
func community(id string) bool { return strings.HasPrefix(id, nodeapi.IDPrefix) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// node returns the live node the lobby records under id.
func (c *Console) node(ctx context.Context, id string) (lobby.Node, error) {
	nodes, err := c.opts.Cluster.Nodes(ctx, c.opts.Now())
	if err != nil {
		return lobby.Node{}, fmt.Errorf("console: lobby store: %w", err)
	}
	for _, n := range nodes {
		if n.ID == id {
			return n, nil
		}
	}
	return lobby.Node{}, fmt.Errorf("%w: %q", errNoNode, id)
}

// nodeError is a node console's refusal, relayed as it answered.
type nodeError struct {
	status int
	msg    string
}

func (e *nodeError) Error() string { return e.msg }

// errCommunity refuses to call a community node's console.
var errCommunity = errors.New("console: a community node is not the operator's: its console is not called, and it gets no token")

// call calls path on n's console with the operator's token, and decodes
// its answer into out. A refusal comes back as a *nodeError.
func (c *Console) call(ctx context.Context, n lobby.Node, method, path string, out any) error {
	if community(n.ID) {
		return errCommunity
	}
	base, err := consoleBase(n.URL)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.opts.Token)
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, maxNodeAnswer)
	if resp.StatusCode/100 != 2 {
		var a answer
		if json.NewDecoder(body).Decode(&a) != nil || a.Message == "" {
			a.Message = "node console answered " + resp.Status
		}
		return &nodeError{status: resp.StatusCode, msg: fmt.Sprintf("node %s: %s", n.ID, a.Message)}
	}
	if err := json.NewDecoder(body).Decode(out); err != nil {
		return fmt.Errorf("console: node %s's answer: %w", n.ID, err)
	}
	return nil
}

// consoleBase is where the console of the node whose players connect at
// wsURL is served: the same host, http(s) for ws(s), the path without
// its /ws.
func consoleBase(wsURL string) (string, error) {
	u, err := url.Parse(wsURL)
	if err != nil {
		return "", fmt.Errorf("console: node URL: %w", err)
	}
	switch u.Scheme {
	case "ws":
		u.Scheme = "http"
	case "wss":
		u.Scheme = "https"
	default:
		return "", fmt.Errorf("console: node URL %q: want ws:// or wss://", wsURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/ws")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return strings.TrimSuffix(u.String(), "/"), nil
}
