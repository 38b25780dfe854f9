// Replays in cluster mode, over real processes: two nodes with --replays
// record their rooms' matches and register them in Redis; the lobby lists
// both nodes' logs and sends a download to the node that keeps it; and
// skirmish replay verify checks the file, and refuses a truncated one.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skirmish/internal/testkit"
	"skirmish/ticklog"
)

func TestClusterListsReplays(t *testing.T) {
	c := newCluster(t, 0, false, nil)
	dirs := map[string]string{}
	for _, name := range []string{"n1", "n2"} {
		dirs[name] = filepath.Join(t.TempDir(), name)
		c.startNode(name, "--replays", dirs[name], "--match-length", "10s")
	}
	c.waitNodes(2)
	swarm := exec.Command(c.bin, "bots", "--url", c.lobby.url, "--count", "20", "--ramp", "100", "--duration", "11s", "--quiet")
	if err := swarm.Run(); err != nil {
		t.Fatalf("skirmish bots: %v", err)
	}

	// 20 players: a room of 16 and one of 4, on the two nodes (by load).
	var list struct{ Replays []ticklog.Entry }
	testkit.WaitUntil(t, 30*time.Second, func() (bool, string) {
		resp, err := http.Get(c.lobby.url + "/api/replays")
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		list.Replays = nil
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
			return false, err.Error()
		}
		urls := map[string]bool{}
		for _, e := range list.Replays {
			if e.Complete && e.Match == 1 {
				urls[e.URL] = true
			}
		}
		return len(urls) == 2, fmt.Sprintf("complete first matches listed from %d nodes: %+v", len(urls), list.Replays)
	})

	for _, e := range list.Replays {
		if !e.Complete {
			continue
		}
		resp, err := http.Get(c.lobby.url + "/api/replays/" + e.ID) // redirected to the node
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.String(), e.URL) {
			t.Fatalf("GET %s: %d from %s, %v", e.ID, resp.StatusCode, resp.Request.URL, err)
		}
		_, res, err := ticklog.Verify(bytes.NewReader(b))
		if err != nil || res.Ticks != 10*60 {
			t.Fatalf("%s from %s: %d ticks: %v", e.ID, e.URL, res.Ticks, err)
		}
		t.Logf("%s from %s: %d players, %d bytes, %d ticks verified", e.ID, e.URL, len(e.Players), len(b), res.Ticks)

		file := filepath.Join(t.TempDir(), e.ID+".tlog")
		os.WriteFile(file, b, 0o644)
		out, err := exec.Command(c.bin, "replay", "verify", file).CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte(": ok: room ")) {
			t.Fatalf("skirmish replay verify: %v\n%s", err, out)
		}
		os.WriteFile(file, b[:len(b)/2], 0o644)
		out, err = exec.Command(c.bin, "replay", "verify", file).CombinedOutput()
		if err == nil || !bytes.Contains(out, []byte("log is truncated")) {
			t.Fatalf("skirmish replay verify of half a log: %v\n%s", err, out)
		}
	}
}
