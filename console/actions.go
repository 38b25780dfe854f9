// actions.go — what the operator does from the console: close a room,
// kick a player, drain a node. In a serving role with a game server
// (console.go's Game) each goes to it: server.Server's CloseRoom and Kick,
// and Options.Drain (the role's own drain: server.Server.Drain, after the
// node leaves the lobby's rotation for a node). In a lobby each goes to
// the console of the node concerned (nodes.go), with the operator's token.

package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"skirmish/server"
)

// serveCloseRoom: POST /console/api/rooms/{room}/close[?node=ID].
func (c *Console) serveCloseRoom(w http.ResponseWriter, r *http.Request) {
	room := r.PathValue("room")
	if c.opts.Game == nil {
		c.forward(w, r, r.URL.Query().Get("node"), "/console/api/rooms/"+url.PathEscape(room)+"/close", room)
		return
	}
	err := c.opts.Game.CloseRoom(room)
	c.did(w, r, err, "closed room "+room)
}

// serveKick: POST /console/api/players/{player}/kick[?node=ID].
func (c *Console) serveKick(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("player"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "console: a player id is a decimal number")
		return
	}
	if c.opts.Game == nil {
		c.forward(w, r, r.URL.Query().Get("node"), "/console/api/players/"+strconv.FormatUint(id, 10)+"/kick", "")
		return
	}
	c.did(w, r, c.opts.Game.Kick(id), fmt.Sprintf("kicked player %d", id))
}

// serveDrain: POST /console/api/nodes/{node}/drain.
func (c *Console) serveDrain(w http.ResponseWriter, r *http.Request) {
	node := r.PathValue("node")
	if c.opts.Game == nil {
		c.forward(w, r, node, "/console/api/nodes/"+url.PathEscape(node)+"/drain", "")
		return
	}
	switch {
	case node != c.opts.Node:
		writeError(w, http.StatusNotFound, fmt.Sprintf("console: this process is node %q, not %q", c.opts.Node, node))
	case c.opts.Drain == nil:
		writeError(w, http.StatusConflict, "console: this role cannot be drained from the console")
	case c.opts.Game.Draining():
		writeJSON(w, http.StatusOK, answer{OK: true, Message: "node " + node + " is draining already"})
	default:
		c.opts.Logger.Info("console: operator drains the node", "node", node, "remote", r.RemoteAddr)
		c.opts.Drain()
		writeJSON(w, http.StatusAccepted, answer{OK: true, Message: "node " + node + " drains: no new rooms; each room closes when its match ends"})
	}
}

// did answers an action on this process's game server.
func (c *Console) did(w http.ResponseWriter, r *http.Request, err error, what string) {
	switch {
	case errors.Is(err, server.ErrNoRoom), errors.Is(err, server.ErrNoPlayer):
		writeError(w, http.StatusNotFound, err.Error())
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		c.opts.Logger.Info("console: operator "+what, "node", c.opts.Node, "remote", r.RemoteAddr)
		writeJSON(w, http.StatusOK, answer{OK: true, Message: what})
	}
}

// forward passes a lobby's action to the console of node (for a room
// without one named, the node the lobby placed room on) and relays its
// answer.
func (c *Console) forward(w http.ResponseWriter, r *http.Request, node, path, room string) {
	ctx := r.Context()
	if c.opts.Cluster == nil {
		writeError(w, http.StatusNotFound, "console: no game server and no nodes here")
		return
	}
	if node == "" && room != "" {
		node = c.roomNode(ctx, room)
	}
	if node == "" {
		writeError(w, http.StatusBadRequest, "console: name the node (?node=ID)")
		return
	}
	n, err := c.node(ctx, node)
	if err != nil {
		status := http.StatusServiceUnavailable
		if errors.Is(err, errNoNode) {
			status = http.StatusNotFound
		}
		writeError(w, status, err.Error())
		return
	}
	var a answer
	err = c.call(ctx, n, http.MethodPost, path, &a)
	var ne *nodeError
	switch {
	case errors.Is(err, errCommunity):
		writeError(w, http.StatusForbidden, err.Error())
	case errors.As(err, &ne):
		writeError(w, ne.status, ne.msg)
	case err != nil:
		writeError(w, http.StatusBadGateway, err.Error())
	default:
		c.opts.Logger.Info("console: operator action forwarded", "node", node, "path", path, "remote", r.RemoteAddr)
		writeJSON(w, http.StatusOK, answer{OK: true, Message: "node " + node + ": " + a.Message})
	}
}

// roomNode is the node the lobby placed room on; "" if it has no such room.
func (c *Console) roomNode(ctx context.Context, room string) string {
	rooms, err := c.opts.Cluster.Rooms(ctx, c.opts.Now())
	if err != nil {
		return ""
	}
	for _, r := range rooms {
		if r.ID == room {
			return r.Node
		}
	}
	return ""
}
