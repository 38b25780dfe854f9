// serve_test.go — the real binary: `skirmish serve` on a free loopback
// port answers its endpoints, lets a bot play, and exits 0 on SIGTERM; with
// --redis it keeps the lobby's state in a real redis-server.

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skirmish/bots"
	"skirmish/internal/redistest"
	pb "skirmish/proto"
)

// startServe runs `bin serve` on a free loopback port, with any extra
// flags, until the test ends. It returns the base URL it printed, the
// process, and where its exit status arrives.
func startServe(t *testing.T, bin string, flags ...string) (string, *exec.Cmd, <-chan error) {
	t.Helper()
	p := startProc(t, bin, lobbyReady, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, flags...)...)
	return p.url, p.cmd, p.exited
}

func TestServeEndToEnd(t *testing.T) {
	base, cmd, exited := startServe(t, buildSkirmish(t))

	for path, want := range map[string]string{
		"/healthz": "ok",
		"/metrics": "skirmish_players_connected",
		"/":        "Skirmish",
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, want 200 containing %q", path, resp.StatusCode, want)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: "smoke", Behavior: bots.Wander()})
	if err != nil {
		t.Fatal(err)
	}
	go b.Run(ctx)
	if err := b.WaitFor(ctx, func(_ *pb.State, st *bots.Stats) bool { return st.Snapshots >= 60 && st.LastAck > 0 }); err != nil {
		t.Fatalf("bot did not play: %v", err)
	}

	// SIGTERM: the bot is told the server is going away, and the process exits 0.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.Done():
	case <-time.After(15 * time.Second):
		t.Fatal("the bot's connection was not closed on shutdown")
	}
	if k := b.Kick(); k.GetReason() != pb.KickReason_KICK_REASON_SHUTDOWN {
		t.Errorf("kick = %v, want reason shutdown", k)
	}
	wantExit0(t, exited, 15*time.Second, "serve, after SIGTERM,")
}

func TestServeWithRedis(t *testing.T) {
	srv := redistest.Start(t)
	base, cmd, exited := startServe(t, buildSkirmish(t), "--redis", srv.URL())

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: "smoke", Behavior: bots.Wander()})
	if err != nil {
		t.Fatal(err)
	}
	go b.Run(ctx)
	if err := b.WaitFor(ctx, func(_ *pb.State, st *bots.Stats) bool { return st.Snapshots >= 30 }); err != nil {
		t.Fatalf("bot did not play: %v", err)
	}
	// The seat is in Redis, connected, and the room is in the directory.
	opts, err := redis.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	room := b.Assignment().Room
	if v, err := rc.HGet(ctx, "skirmish:seats:"+room, b.Assignment().PlayerID).Result(); err != nil || v != "0" {
		t.Errorf("Redis seat of the bot: %q, %v; want 0 (connected)", v, err)
	}
	resp, err := http.Get(base + "/api/rooms")
	if err != nil {
		t.Fatal(err)
	}
	var dir struct {
		Rooms []struct {
			Room    string `json:"room"`
			Players int    `json:"players"`
		} `json:"rooms"`
	}
	err = json.NewDecoder(resp.Body).Decode(&dir)
	resp.Body.Close()
	if err != nil || len(dir.Rooms) != 1 || dir.Rooms[0].Room != room || dir.Rooms[0].Players != 1 {
		t.Errorf("directory %+v, %v; want %s with the bot", dir, err, room)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wantExit0(t, exited, 15*time.Second, "serve, after SIGTERM,")
}

func TestServeRefusesUnreachableRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	out, err := exec.Command(buildSkirmish(t), "serve", "--addr", "127.0.0.1:0", "--redis", "redis://"+addr+"/0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "serve: --redis "+addr) {
		t.Errorf("serve with no Redis: %v, %s; want a failure naming --redis", err, out)
	}
}

// TestServeDebugAddr: --debug-addr serves the profiler on its own listener
// and nowhere else, and the serving roles run with GOGC at gcPercent unless
// the environment sets it.
func TestServeDebugAddr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	debugAddr := ln.Addr().String()
	ln.Close()
	bin := buildSkirmish(t)
	base, _, _ := startServe(t, bin, "--debug-addr", debugAddr)
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get("http://" + debugAddr + "/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("GET /debug/pprof/ on --debug-addr: %d, want 200 listing the profiles", code)
	}
	if code, body := get(base + "/debug/pprof/"); code == 200 && strings.Contains(body, "goroutine") {
		t.Error("the public address serves the profiler")
	}
	if _, body := get(base + "/metrics"); !strings.Contains(body, fmt.Sprintf("\ngo_gc_gogc_percent %d\n", gcPercent)) {
		t.Errorf("/metrics does not show go_gc_gogc_percent %d", gcPercent)
	}

	p := startProcEnv(t, bin, lobbyReady, []string{"GOGC=100"}, "serve", "--addr", "127.0.0.1:0", "--log-level", "warn")
	if _, body := get(p.url + "/metrics"); !strings.Contains(body, "\ngo_gc_gogc_percent 100\n") {
		t.Error("GOGC=100 in the environment: /metrics does not show go_gc_gogc_percent 100")
	}
}

// TestNodeDebugAddr: a node serves the profiler on --debug-addr too.
func TestNodeDebugAddr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	debugAddr := ln.Addr().String()
	ln.Close()
	c := newCluster(t, 0, false, nil)
	c.startNode("n1", "--debug-addr", debugAddr)
	resp, err := http.Get("http://" + debugAddr + "/debug/pprof/")
	if err != nil {
		t.Fatalf("GET /debug/pprof/ on the node's --debug-addr: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "goroutine") {
		t.Errorf("GET /debug/pprof/ on the node's --debug-addr: %d, want 200 listing the profiles", resp.StatusCode)
	}
}
