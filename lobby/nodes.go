// nodes.go — the lobby's side of the game nodes (skirmish node), with
// Options.Nodes: which node a new room goes to (the least-loaded live node
// with room for it, never a draining one), which rooms may still take
// players (not those on a draining node), the WebSocket URL a ticket
// sends its player to (its room's node's), and the lobby's public key
// published for the nodes to verify tickets with. The nodes' side is
// host.go; the records are Store.PutNode and Store.Nodes.

package lobby

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"skirmish/ticket"
)

const (
	// keyTTL is how long a published ticket key stays valid unless the
	// lobby publishes it again; it does so every keyRepublish.
	keyTTL       = time.Minute
	keyRepublish = 10 * time.Second
)

// errNoNode answers a room that has no node to go to.
var errNoNode = errors.New("lobby: no game node can take a new room")

// placement is the nodes as one matcher pass (or one private room) sees
// them: live ones with their load, updated as the plan opens rooms.
type placement struct {
	nodes []*nodeLoad          // open nodes: live and not draining, by id
	byID  map[string]*nodeLoad // the same
}

type nodeLoad struct {
	Node
	seats     int // reserved and connected seats in its rooms, or the players it reports if more
	allocated int // the capacity of its rooms: what it may have to hold
}

// newPlacement weighs the live nodes by the rooms the store has on them.
func newPlacement(nodes []Node, rooms []Room) *placement {
	p := &placement{byID: make(map[string]*nodeLoad)}
	for _, n := range nodes {
		if n.Draining {
			continue
		}
		nl := &nodeLoad{Node: n}
		p.nodes = append(p.nodes, nl)
		p.byID[n.ID] = nl
	}
	for _, r := range rooms {
		if nl := p.byID[r.Node]; nl != nil {
			nl.seats += r.Reserved + r.Connected
			nl.allocated += r.Capacity
		}
	}
	for _, nl := range p.nodes {
		nl.seats = max(nl.seats, nl.Players)
	}
	return p
}

// takes reports whether a room on node may take more players: its node is
// live and not draining.
func (p *placement) takes(node string) bool { return p.byID[node] != nil }

// place picks the node for a new room of the given capacity for n
// players: the least loaded by seats for its capacity (then the fewest
// allocated seats, then by id) of those with capacity to spare for the
// whole room. It counts the room in, and returns "" and false if no node
// can take it.
func (p *placement) place(capacity, n int) (string, bool) {
	var best *nodeLoad
	for _, nl := range p.nodes {
		if nl.allocated+capacity > nl.Capacity {
			continue
		}
		if best == nil || compareLoad(nl, best) < 0 {
			best = nl
		}
	}
	if best == nil {
		return "", false
	}
	best.seats += n
	best.allocated += capacity
	return best.ID, true
}

// seat counts n more players into node's rooms.
func (p *placement) seat(node string, n int) {
	if nl := p.byID[node]; nl != nil {
		nl.seats += n
	}
}

func compareLoad(a, b *nodeLoad) int {
	// a.seats/a.Capacity against b.seats/b.Capacity, without division.
	if c := cmp.Compare(a.seats*b.Capacity, b.seats*a.Capacity); c != 0 {
		return c
	}
	if c := cmp.Compare(a.allocated*b.Capacity, b.allocated*a.Capacity); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// placementNow reads the nodes and rooms for one placement, remembering
// the nodes for nodeURL. Without Options.Nodes it is nil: every room is
// the lobby's own process's.
func (l *Lobby) placementNow(ctx context.Context, rooms []Room, now time.Time) (*placement, error) {
	if !l.opts.Nodes {
		return nil, nil
	}
	nodes, err := l.store.Nodes(ctx, now)
	if err != nil {
		return nil, err
	}
	l.rememberNodes(nodes)
	return newPlacement(nodes, rooms), nil
}

func (l *Lobby) rememberNodes(nodes []Node) {
	m := make(map[string]Node, len(nodes))
	for _, n := range nodes {
		m[n.ID] = n
	}
	l.nodes.Store(&m)
}

// wsURL is where the holder of seat connects: its node's URL, or the
// lobby's own (Options.WSURL) for a room of the lobby's process.
func (l *Lobby) wsURL(r *http.Request, seat Seat) (string, error) {
	if seat.Node == "" {
		return l.opts.WSURL(r), nil
	}
	if m := l.nodes.Load(); m != nil {
		if n, ok := (*m)[seat.Node]; ok {
			return n.URL, nil
		}
	}
	// A node this process has not seen yet: another process placed the room.
	nodes, err := l.store.Nodes(r.Context(), l.opts.Now())
	if err != nil {
		return "", err
	}
	l.rememberNodes(nodes)
	if i := slices.IndexFunc(nodes, func(n Node) bool { return n.ID == seat.Node }); i >= 0 {
		return nodes[i].URL, nil
	}
	return "", errNoNode
}

// publishKeys puts this lobby's public key in the store for the nodes now
// and every keyRepublish until Close. It runs on a goroutine of its own.
func (l *Lobby) publishKeys() {
	defer l.wg.Done()
	key := ticket.EncodeKey(l.opts.Signer.PublicKey())
	now := make(chan struct{}, 1)
	now <- struct{}{}
	Repeat(l.runCtx, l.opts.Logger, "publishing the ticket key", keyRepublish, now, func(ctx context.Context) error {
		return l.store.PutKey(ctx, key, l.opts.Now().Add(keyTTL))
	})
}
