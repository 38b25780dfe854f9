// serve_test.go — the real binary: `skirmish serve` on a free loopback
// port answers its endpoints, lets a bot play, and exits 0 on SIGTERM.

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"skirmish/bots"
	pb "skirmish/proto"
)

func TestServeEndToEnd(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "skirmish")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	urls := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`open (http://\S+)/ to play`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-exited:
		t.Fatalf("serve exited early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve printed no URL within 30 s")
	}

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
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not exit within 15 s of SIGTERM")
	}
}
