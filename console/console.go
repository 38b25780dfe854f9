// console.go — the operator's console: its options, the interfaces it
// reads a serving role through (Game: the game server; Cluster: the
// lobby's node and room records), the routes and the token check. The
// page is web/index.html; state.go builds what the page shows, actions.go
// does what the operator asks, nodes.go reaches the game nodes' consoles
// from a lobby's.

package console

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skirmish/lobby"
	"skirmish/server"
)

// defaultNodeTimeout bounds one call from a lobby's console to a node's.
const defaultNodeTimeout = 2 * time.Second

//go:embed web/index.html
var web embed.FS

// Game is the game server of the process: *server.Server. The console
// calls it on HTTP goroutines; every method must be safe for that and
// must not block on a room's tick.
type Game interface {
	RoomStats() []server.RoomStats
	Players() []server.PlayerInfo
	Recent() []server.Event
	Load() server.Load
	Draining() bool
	Kick(player uint64) error
	CloseRoom(id string) error
}

// Cluster is the lobby's records of the game nodes and the rooms placed
// on them: a lobby.Store. Its methods may block on I/O until ctx ends.
type Cluster interface {
	Nodes(ctx context.Context, now time.Time) ([]lobby.Node, error)
	Rooms(ctx context.Context, now time.Time) ([]lobby.Room, error)
}

// Options configures a console. With an empty Token the console is off.
type Options struct {
	// Token is the operator's secret: every API call must carry it as
	// "Authorization: Bearer <Token>". Empty: the console is off and
	// every path answers 404.
	Token string
	// Role names the serving role, for the page: "serve", "node" or
	// "lobby".
	Role string
	// Node is this process's name among the nodes: a node's --name, or
	// "" for "this process".
	Node string
	// Capacity is how many players this process's game server takes, for
	// the node list; 0: not shown.
	Capacity int
	// Game is this process's game server; nil for a lobby.
	Game Game
	// Cluster, for a lobby, is its store: the console lists the nodes
	// it records and asks each node's console for its rooms and players,
	// and forwards the operator's actions to the node concerned. nil: this
	// process is the only node.
	Cluster Cluster
	// Metrics is the process's registry: the console counts kicks and
	// refusals by reason from it, as Prometheus scrapes them. nil: none.
	Metrics prometheus.Gatherer
	// Drain starts draining this process, as SIGTERM does a node: it must
	// return at once. nil: this role cannot be drained from the console.
	Drain func()
	// Client calls the nodes' consoles (with Cluster). nil: a client
	// whose calls time out after 2 s.
	Client *http.Client
	// Logger gets a line per operator action. nil: slog.Default().
	Logger *slog.Logger
	// Now is the clock. nil: time.Now.
	Now func() time.Time
}

func (o *Options) fill() {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: defaultNodeTimeout}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Node == "" {
		o.Node = selfNode
	}
}

// selfNode names this process among the nodes when it has no name.
const selfNode = "this process"

// Console serves the page at /console and its API under /console/api/.
type Console struct {
	opts  Options
	token [sha256.Size]byte
	mux   *http.ServeMux
}

// New makes the console. Mount Handler at /console and /console/.
func New(opts Options) *Console {
	opts.fill()
	c := &Console{opts: opts, token: sha256.Sum256([]byte(opts.Token)), mux: http.NewServeMux()}
	c.mux.HandleFunc("GET /console", c.servePage)
	c.mux.HandleFunc("GET /console/{$}", c.servePage)
	c.mux.Handle("GET /console/api/state", c.authed(c.serveState))
	c.mux.Handle("POST /console/api/rooms/{room}/close", c.authed(c.serveCloseRoom))
	c.mux.Handle("POST /console/api/players/{player}/kick", c.authed(c.serveKick))
	c.mux.Handle("POST /console/api/nodes/{node}/drain", c.authed(c.serveDrain))
	c.mux.Handle("/console/api/", c.authed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such console call: "+r.Method+" "+r.URL.Path)
	}))
	return c
}

// Routes mounts the console on mux at /console and /console/.
func (c *Console) Routes(mux *http.ServeMux) {
	mux.Handle("/console", c)
	mux.Handle("/console/", c)
}

// ServeHTTP serves the console, or 404 for everything when it is off.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.opts.Token == "" {
		http.NotFound(w, r)
		return
	}
	c.mux.ServeHTTP(w, r)
}

func (c *Console) servePage(w http.ResponseWriter, r *http.Request) {
	page, err := web.ReadFile("web/index.html")
	if err != nil {
		http.Error(w, "console: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	_, _ = w.Write(page)
}

// errToken answers an API call without the operator's token.
var errToken = errors.New("console: this call needs the operator's token: Authorization: Bearer <token>")

// authed lets h run only for a request that carries the token in its
// Authorization header (never the URL), compared in constant time.
func (c *Console) authed(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(given)))
		if !ok || subtle.ConstantTimeCompare(sum[:], c.token[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="skirmish console"`)
			writeError(w, http.StatusUnauthorized, errToken.Error())
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	})
}
