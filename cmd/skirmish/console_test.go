// console_test.go — tests for console.go: the console's token from each
// of its flags, one at a time, and the line each role prints (the token
// only when it was made here, and never in the URL); and the console of a
// real cluster (a lobby, two nodes, Redis), which drains a node.

package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/console"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

func TestAdminToken(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte("  from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args       []string
		want, fail string
		made       bool
	}{
		{args: nil, want: ""},
		{args: []string{"--admin-token", "given"}, want: "given"},
		{args: []string{"--admin-token-file", file}, want: "from-a-file"},
		{args: []string{"--admin-token-random"}, made: true},
		{args: []string{"--admin-token-file", empty}, fail: "is empty"},
		{args: []string{"--admin-token-file", filepath.Join(dir, "none")}, fail: "--admin-token-file"},
		{args: []string{"--admin-token", "a", "--admin-token-random"}, fail: "give one of"},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		a := newAdminFlags(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		token, made, err := a.adminToken("serve")
		switch {
		case c.fail != "":
			if err == nil || !strings.Contains(err.Error(), c.fail) {
				t.Errorf("%q: %v; want an error saying %q", c.args, err, c.fail)
			}
		case err != nil:
			t.Errorf("%q: %v", c.args, err)
		case c.made && (len(token) != 2*adminTokenBytes || !made):
			t.Errorf("%q: token %q, made %v; want %d hex digits made here", c.args, token, made, 2*adminTokenBytes)
		case !c.made && (token != c.want || made):
			t.Errorf("%q: token %q, made %v; want %q", c.args, token, made, c.want)
		}
	}
	if line := consoleLine("http://127.0.0.1:8080", "", false); line != "" {
		t.Errorf("with the console off the role says %q; want nothing", line)
	}
	if line := consoleLine("http://127.0.0.1:8080", "abc", true); !strings.Contains(line, "http://127.0.0.1:8080/console (token abc)") {
		t.Errorf("a made token's line %q; want the URL, then the token beside it", line)
	}
	if line := consoleLine("http://127.0.0.1:8080", "secret", false); strings.Contains(line, "secret") {
		t.Errorf("a given token's line %q shows it", line)
	}
}

// TestClusterConsole: a lobby and two nodes on Redis, all with the same
// --admin-token. The lobby's console lists both nodes, with the room and
// the players of the node the bots play on, as that node's console tells
// it; draining that node from the lobby's console takes it out of
// rotation, its match plays out, its players are sent away (shutdown)
// and the node exits 0, as on SIGTERM.
func TestClusterConsole(t *testing.T) {
	const token = "cluster-console-token"
	admin := []string{"--admin-token", token}
	c := newCluster(t, 2, false, admin, append([]string{"--match-length", "10s", "--drain-timeout", "30s"}, admin...)...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var players []*bots.Bot
	for i := range 2 {
		b, err := c.join(ctx, fmt.Sprintf("c%d", i), "", 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		players = append(players, b)
	}
	node := c.nodeOf(players[0])
	if other := c.nodeOf(players[1]); other != node {
		t.Fatalf("the players landed on %s and %s; want one room", node, other)
	}

	call := func(method, path string, out any) int {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, c.lobby.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil {
			if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode
	}
	var st console.State
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		st = console.State{}
		call(http.MethodGet, "/console/api/state", &st)
		return len(st.Nodes) == 2 && len(st.Rooms) == 1 && len(st.Players) == 2 && len(st.Errors) == 0,
			fmt.Sprintf("nodes %+v, rooms %+v, players %+v, errors %q", st.Nodes, st.Rooms, st.Players, st.Errors)
	})
	if st.Role != "lobby" || st.Rooms[0].Node != node || st.Rooms[0].ID != players[0].Assignment().Room || st.Players[0].Node != node {
		t.Errorf("state %+v; want the lobby's view with the room on %s", st, node)
	}

	if code := call(http.MethodPost, "/console/api/nodes/"+node+"/drain", nil); code != http.StatusOK {
		t.Fatalf("drain %s from the lobby's console: %d", node, code)
	}
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) { return c.live()[node].Draining, "the node draining in the store" })
	for _, b := range players {
		select {
		case <-b.Done():
		case <-time.After(30 * time.Second):
			t.Fatal("a player of the drained node was not sent away")
		}
		if k := b.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_SHUTDOWN {
			t.Errorf("kick %v; want shutdown", k)
		}
	}
	wantExit0(t, c.nodes[node].exited, 20*time.Second, "the drained node")
}

// TestServeDrainsFromTheConsole: `skirmish serve` with a random token
// prints the console's URL and the token beside the game's; the console
// refuses a drain without the token, and with it serve drains (no player:
// at once) and exits 0.
func TestServeDrainsFromTheConsole(t *testing.T) {
	ready := regexp.MustCompile(`Operator console: (http://\S+/console \(token [0-9a-f]{32})\)`)
	p := startProc(t, buildSkirmish(t), ready, "serve", "--addr", "127.0.0.1:0", "--web", t.TempDir(), "--log-level", "warn", "--admin-token-random")
	base, token, _ := strings.Cut(p.url, "/console (token ")
	drain := func(auth string) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/console/api/nodes/this%20process/drain", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := drain(""); code != http.StatusUnauthorized {
		t.Fatalf("a drain without the token: %d; want 401", code)
	}
	if p.gone() {
		t.Fatal("serve exited on a refused drain")
	}
	if code := drain("Bearer " + token); code != http.StatusAccepted {
		t.Fatalf("a drain with the token: %d; want 202", code)
	}
	wantExit0(t, p.exited, 10*time.Second, "serve, drained")
}
