// cluster_test.go — scale-out with real processes on 127.0.0.1: one
// `skirmish lobby`, several `skirmish node`s and a real redis-server.
// Rooms spread over the nodes by load and each lives on exactly one; a
// node killed with -9 is out of rotation within 10 s and its players
// queue again onto the others; a node sent SIGTERM drains (no new rooms,
// its match plays out, its players are told and sent away) and exits 0;
// a Redis restart is survived without a room or a seat given twice.

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skirmish/bots"
	"skirmish/internal/redistest"
	"skirmish/internal/testkit"
	"skirmish/lobby"
	pb "skirmish/proto"
	"skirmish/ticket"
)

var (
	lobbyReady = regexp.MustCompile(`open (https?://\S+)/ to play`)
	nodeReady  = regexp.MustCompile(`players connect at (wss?://\S+) `)
)

// cluster is a lobby and its nodes on one redis-server.
type cluster struct {
	t     *testing.T
	bin   string
	redis *redistest.Server
	store lobby.Store
	lobby *proc
	nodes map[string]*proc
}

// newCluster starts Redis (persistent if asked), a lobby with the given
// extra flags, and nodes n1..nN with theirs.
func newCluster(t *testing.T, nodes int, persistent bool, lobbyFlags []string, nodeFlags ...string) *cluster {
	t.Helper()
	c := &cluster{t: t, bin: buildSkirmish(t), nodes: map[string]*proc{}}
	if persistent {
		c.redis = redistest.StartPersistent(t)
	} else {
		c.redis = redistest.Start(t)
	}
	opts, err := redis.ParseURL(c.redis.URL())
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	t.Cleanup(func() { rc.Close() })
	c.store = lobby.NewRedisStore(rc, lobby.RedisOptions{})
	c.lobby = startProc(t, c.bin, lobbyReady, append([]string{"lobby", "--addr", "127.0.0.1:0", "--redis", c.redis.URL(), "--log-level", "warn"}, lobbyFlags...)...)
	for i := 1; i <= nodes; i++ {
		c.startNode(fmt.Sprintf("n%d", i), nodeFlags...)
	}
	c.waitNodes(nodes)
	return c
}

func (c *cluster) startNode(name string, flags ...string) *proc {
	args := append([]string{"node", "--addr", "127.0.0.1:0", "--redis", c.redis.URL(), "--name", name, "--log-level", "warn"}, flags...)
	p := startProc(c.t, c.bin, nodeReady, args...)
	c.nodes[name] = p
	return p
}

// status is a node's GET /status.
func (c *cluster) status(name string) (nodeStatus, error) {
	var st nodeStatus
	base := strings.Replace(strings.TrimSuffix(c.nodes[name].url, "/ws"), "ws://", "http://", 1)
	resp, err := http.Get(base + "/status")
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

// live returns the nodes the store lists as live now, by id.
func (c *cluster) live() map[string]lobby.Node {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	nodes, err := c.store.Nodes(ctx, time.Now())
	if err != nil {
		c.t.Logf("reading nodes: %v", err)
		return nil
	}
	m := map[string]lobby.Node{}
	for _, n := range nodes {
		m[n.ID] = n
	}
	return m
}

func (c *cluster) waitNodes(n int) {
	c.t.Helper()
	testkit.WaitUntil(c.t, 20*time.Second, func() (bool, string) { return len(c.live()) == n, fmt.Sprintf("%d nodes registered", n) })
}

// roomsOnNodes checks that every room the store has lives on exactly the
// node the store names, and returns the store's rooms per node.
func (c *cluster) roomsOnNodes() map[string][]string {
	c.t.Helper()
	hosted := map[string]string{} // room → node that hosts it
	for name, p := range c.nodes {
		if p.gone() {
			continue
		}
		st, err := c.status(name)
		if err != nil {
			c.t.Fatalf("status of %s: %v", name, err)
		}
		for _, r := range st.Rooms {
			if other, ok := hosted[r.ID]; ok {
				c.t.Errorf("room %s hosted by both %s and %s", r.ID, other, name)
			}
			hosted[r.ID] = name
		}
	}
	rooms, err := c.store.Rooms(context.Background(), time.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	per := map[string][]string{}
	for _, r := range rooms {
		if h, ok := hosted[r.ID]; r.Connected > 0 && (!ok || h != r.Node) {
			c.t.Errorf("room %s with %d players is on node %q in the store, hosted by %q", r.ID, r.Connected, r.Node, h)
		}
		per[r.Node] = append(per[r.Node], r.ID)
	}
	return per
}

// join brings a bot in through the lobby, as the player of token (or a
// new guest if it is ""), retrying refusals (503 while no node can take a
// room, 409 while a dead node's seat is not yet freed) until within.
func (c *cluster) join(ctx context.Context, name, token string, within time.Duration) (*bots.Bot, error) {
	deadline := time.Now().Add(within)
	for {
		jctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		b, err := bots.Join(jctx, bots.Options{BaseURL: c.lobby.url, Name: name, Token: token, Behavior: bots.Idle})
		cancel()
		if err == nil {
			go b.Run(ctx)
			return b, nil
		}
		if time.Now().After(deadline) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond): // pacing the retries of a refused join
		}
	}
}

func (c *cluster) nodeOf(b *bots.Bot) string {
	for name, p := range c.nodes {
		if p.url == b.Assignment().WSURL {
			return name
		}
	}
	return ""
}

func playing(ctx context.Context, b *bots.Bot, snapshots int) error {
	return b.WaitFor(ctx, func(_ *pb.State, st *bots.Stats) bool { return st.Snapshots >= snapshots })
}

func TestClusterSpreadsRooms(t *testing.T) {
	c := newCluster(t, 3, false, nil, "--capacity", "128")
	out := filepath.Join(t.TempDir(), "swarm.json")
	swarm := exec.Command(c.bin, "bots", "--url", c.lobby.url, "--count", "200", "--ramp", "100",
		"--duration", "6s", "--behavior", "wander", "--json", out, "--quiet")
	swarm.Stderr = os.Stderr
	if err := swarm.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- swarm.Wait() }()
	t.Cleanup(func() { _ = swarm.Process.Kill() })

	// While all 200 play: every room on one node, spread by load.
	testkit.WaitUntil(t, 60*time.Second, func() (bool, string) {
		n := 0
		for name := range c.nodes {
			if st, err := c.status(name); err == nil {
				n += st.Load.Players
			}
		}
		return n == 200, fmt.Sprintf("%d of 200 players on the nodes", n)
	})
	per := c.roomsOnNodes()
	total := 0
	for name := range c.nodes {
		rooms := len(per[name])
		total += rooms
		t.Logf("node %s: %d rooms", name, rooms)
		if rooms < 3 || rooms > 6 {
			t.Errorf("node %s hosts %d rooms; want them spread: 13 rooms of 16 over 3 nodes", name, rooms)
		}
	}
	if total != 13 {
		t.Errorf("%d rooms for 200 players in rooms of 16; want 13", total)
	}

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("skirmish bots: %v", err)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the swarm did not end within 90 s")
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep bots.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Joined != 200 || rep.Failed != 0 || rep.Dropped != 0 || rep.Desyncs != 0 || len(rep.BandwidthPerBot) != 200 || rep.BandwidthPerBot[0] <= 0 {
		t.Errorf("swarm: joined %d, failed %d, dropped %d, desyncs %d, snapshots to %d bots (least %v B/s); want all 200 playing cleanly",
			rep.Joined, rep.Failed, rep.Dropped, rep.Desyncs, len(rep.BandwidthPerBot), rep.BandwidthPerBot)
	}
}

func TestClusterNodeKilled(t *testing.T) {
	c := newCluster(t, 3, false, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var (
		all    []*bots.Bot
		tokens = map[*bots.Bot]string{}
	)
	for i := range 20 { // 16 in a first room, 4 in a second, on another node
		token, err := bots.Login(ctx, http.DefaultClient, c.lobby.url, fmt.Sprintf("k%d", i))
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.join(ctx, fmt.Sprintf("k%d", i), token, 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b)
		tokens[b] = token
	}
	victim := c.nodeOf(all[0])
	var doomed, spared []*bots.Bot
	for _, b := range all {
		if err := playing(ctx, b, 30); err != nil {
			t.Fatalf("bot did not play: %v", err)
		}
		if c.nodeOf(b) == victim {
			doomed = append(doomed, b)
		} else {
			spared = append(spared, b)
		}
	}
	if len(doomed) != 16 || victim == "" {
		t.Fatalf("%d bots on the first room's node %q; want 16", len(doomed), victim)
	}

	killed := time.Now()
	if err := c.nodes[victim].cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-c.nodes[victim].exited
	// Its players see their connection fail: no kick, no desync.
	for _, b := range doomed {
		select {
		case <-b.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("a bot of the killed node did not see its connection end")
		}
		if b.Kick() != nil {
			t.Errorf("a bot of the killed node got a kick %v", b.Kick())
		}
	}
	// Out of rotation within 10 s.
	testkit.WaitUntil(t, 10*time.Second-time.Since(killed), func() (bool, string) {
		_, ok := c.live()[victim]
		return !ok, "the killed node out of rotation"
	})
	t.Logf("the killed node was out of rotation %v after kill -9", time.Since(killed).Round(10*time.Millisecond))
	// The same players queue again (refused while their dead seats are
	// held, which ends with the node's rotation) and land on the other
	// nodes.
	for _, b := range doomed {
		nb, err := c.join(ctx, "again", tokens[b], 20*time.Second)
		if err != nil {
			t.Fatalf("requeue after the node died: %v", err)
		}
		if nb.Assignment().PlayerID != b.Assignment().PlayerID {
			t.Fatalf("requeued as player %s; want the same player %s", nb.Assignment().PlayerID, b.Assignment().PlayerID)
		}
		if n := c.nodeOf(nb); n == victim || n == "" {
			t.Fatalf("requeued onto node %q; want a live one", n)
		}
		if err := playing(ctx, nb, 30); err != nil {
			t.Fatalf("requeued bot did not play: %v", err)
		}
	}
	for _, b := range spared {
		if b.Err() != nil {
			t.Errorf("a bot on a surviving node lost its connection: %v", b.Err())
		}
	}
	for node := range c.roomsOnNodes() {
		if node == victim {
			t.Errorf("the store still has rooms on the killed node")
		}
	}
}

func TestClusterNodeDrains(t *testing.T) {
	c := newCluster(t, 2, false, nil, "--match-length", "10s", "--drain-timeout", "60s")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var first []*bots.Bot
	for i := range 4 {
		b, err := c.join(ctx, fmt.Sprintf("d%d", i), "", 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if err := playing(ctx, b, 10); err != nil {
			t.Fatal(err)
		}
		first = append(first, b)
	}
	victim := c.nodeOf(first[0])
	p := c.nodes[victim]
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) { return c.live()[victim].Draining, "the node draining in the store" })
	// The lobby's metrics show it.
	metrics := testkit.Scrape(t, c.lobby.url+"/metrics")
	for series, want := range map[string]float64{"skirmish_nodes_live": 2, "skirmish_nodes_draining": 1, "skirmish_nodes_players": 4} {
		if got := testkit.Value(metrics, series); got != want {
			t.Errorf("the lobby's /metrics: %s %v; want %v", series, got, want)
		}
	}
	// Every player is told; newcomers go to the other node.
	for _, b := range first {
		testkit.WaitUntil(t, 10*time.Second, func() (bool, string) { return b.Notice() != "", "a notice for a player of the draining node" })
	}
	for i := range 4 {
		b, err := c.join(ctx, fmt.Sprintf("e%d", i), "", 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if n := c.nodeOf(b); n == victim {
			t.Fatalf("a new player was placed on the draining node %s", victim)
		}
	}
	// The match ends, the players are sent away, and the node exits 0.
	for _, b := range first {
		select {
		case <-b.Done():
		case <-time.After(40 * time.Second):
			t.Fatal("a player of the draining node was not sent away within 40 s")
		}
		if k := b.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_SHUTDOWN {
			t.Errorf("kick %v; want shutdown", k)
		}
		var sawEnd bool
		for _, e := range b.Events() {
			sawEnd = sawEnd || e.Kind == pb.EventKind_EVENT_KIND_MATCH_END
		}
		if !sawEnd {
			t.Error("a player was sent away before the match ended")
		}
	}
	wantExit0(t, p.exited, 30*time.Second, "the drained node")
	if _, ok := c.live()[victim]; ok {
		t.Error("the drained node is still listed")
	}
}

func TestClusterRedisOutage(t *testing.T) {
	// The lobby signs with a key from a file, and the nodes pin its public
	// half instead of reading the keys published in Redis.
	bin := buildSkirmish(t)
	keyFile := filepath.Join(t.TempDir(), "ticket.key")
	out, err := exec.Command(bin, "keygen", "--out", keyFile).CombinedOutput()
	m := regexp.MustCompile(`public key: (\S+)`).FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("keygen: %v, %s", err, out)
	}
	c := newCluster(t, 2, true, []string{"--key", keyFile}, "--lobby-key", string(m[1]))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var bs []*bots.Bot
	for i := range 8 {
		b, err := c.join(ctx, fmt.Sprintf("r%d", i), "", 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	// Redis is down for longer than a node's heartbeat lasts (5 s), then
	// back with its data: the nodes' heartbeats look lapsed, but the lobby
	// gives them time to beat again before it would drop their rooms.
	c.redis.Kill(t)
	<-time.After(6 * time.Second) // the outage itself, not a wait for a condition
	c.redis.Revive(t)
	restarted := time.Now()
	// Nodes beat again (their entries fresh after the restart) and the
	// lobby seats newcomers.
	testkit.WaitUntil(t, 15*time.Second, func() (bool, string) {
		live := c.live()
		for name := range c.nodes {
			if n, ok := live[name]; !ok || !n.Expires.After(restarted.Add(4*time.Second)) {
				return false, "both nodes beating after the restart"
			}
		}
		return true, "both nodes beating after the restart"
	})
	for i := range 8 {
		b, err := c.join(ctx, fmt.Sprintf("s%d", i), "", 30*time.Second)
		if err != nil {
			t.Fatalf("joining after the Redis restart: %v", err)
		}
		bs = append(bs, b)
	}
	// Everyone plays, the first ones never dropped and kept their seats,
	// and nothing was given twice: one seat per player, each room on one
	// node.
	seen := map[string]string{}
	for _, b := range bs {
		if err := playing(ctx, b, 60); err != nil {
			t.Fatalf("bot not playing after the restart: %v (connection: %v)", err, b.Err())
		}
		a := b.Assignment()
		if prev, ok := seen[a.PlayerID]; ok {
			t.Errorf("player %s seated twice: %s and %s", a.PlayerID, prev, a.Room)
		}
		seen[a.PlayerID] = a.Room
	}
	for _, b := range bs {
		if err := b.Err(); err != nil {
			t.Errorf("a player lost its connection across the Redis outage: %v", err)
		}
	}
	c.roomsOnNodes()
	rooms, err := c.store.Rooms(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	seated := 0
	for _, r := range rooms {
		seated += r.Connected + r.Reserved
	}
	if seated != len(bs) {
		t.Errorf("the store holds %d seats for %d players", seated, len(bs))
	}
}

func TestKeygen(t *testing.T) {
	bin := buildSkirmish(t)
	keyFile := filepath.Join(t.TempDir(), "ticket.key")
	out, err := exec.Command(bin, "keygen", "--out", keyFile).CombinedOutput()
	if err != nil {
		t.Fatalf("keygen: %v, %s", err, out)
	}
	fi, err := os.Stat(keyFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v, %v; want mode 0600", fi, err)
	}
	signer, err := ticket.LoadSigner(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := "public key: " + ticket.EncodeKey(signer.PublicKey()); !strings.Contains(string(out), want) {
		t.Errorf("keygen printed %q; want it to say %q", out, want)
	}
	if out, err := exec.Command(bin, "keygen", "--out", keyFile).CombinedOutput(); err == nil {
		t.Errorf("keygen overwrote an existing key file: %s", out)
	}
	for _, role := range []string{"lobby", "node"} {
		out, err := exec.Command(bin, role, "--addr", "127.0.0.1:0").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "--redis is required") {
			t.Errorf("%s without --redis: %v, %s; want a refusal naming --redis", role, err, out)
		}
	}
}
