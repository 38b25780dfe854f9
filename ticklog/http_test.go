// The listing and the files over a real HTTP server, and retention: ids
// that are not a log's (paths among them) are 404, the newest N are kept,
// and logs older than the age limit go, also across a reopen.

package ticklog_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"skirmish/internal/testkit"
	"skirmish/sim"
	"skirmish/ticklog"
	"skirmish/ticklog/replayhttp"
)

// playMatches records n complete matches of 2 players in d.
func playMatches(t *testing.T, d *ticklog.Dir, n int) {
	t.Helper()
	r := newRoom(d, sim.Config{Seed: 4, MatchTicks: 2 * sim.TickRate, IntermissionTicks: 10, ScoreLimit: 1000}, 2)
	r.join(t, 1)
	r.join(t, 2)
	for ended := 0; ended < n; {
		r.step()
		for _, e := range r.w.Events {
			if e.Kind == sim.EventMatchEnd {
				ended++
			}
		}
	}
	r.rec.Close()
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func TestHTTPListsAndServes(t *testing.T) {
	d, _ := openDir(t, ticklog.Options{Logger: testkit.Quiet()})
	playMatches(t, d, 3)
	waitLogs(t, d, 3)
	mux := http.NewServeMux()
	replayhttp.Routes(mux, d, testkit.Quiet())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	res, body := get(t, srv.URL+"/api/replays")
	var list struct{ Replays []ticklog.Entry }
	if err := json.Unmarshal(body, &list); err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/replays: %d %s %q: %v", res.StatusCode, res.Header.Get("Content-Type"), body, err)
	}
	if len(list.Replays) != 3 || list.Replays[0].Match != 3 || list.Replays[2].Match != 1 {
		t.Fatalf("listed %+v; want matches 3, 2, 1", list.Replays)
	}
	e := list.Replays[1]
	if e.Room != "room-1" || !e.Complete || len(e.Players) != 2 || e.Players[0].Name != "player-1" || e.Ticks != 2*sim.TickRate || e.Start.IsZero() || e.Bytes == 0 {
		t.Fatalf("entry %+v", e)
	}

	res, body = get(t, srv.URL+"/api/replays/"+e.ID)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != replayhttp.ContentType || int64(len(body)) != e.Bytes {
		t.Fatalf("GET the log: %d %s, %d bytes of %d", res.StatusCode, res.Header.Get("Content-Type"), len(body), e.Bytes)
	}
	h, vr, err := ticklog.Verify(bytes.NewReader(body))
	if err != nil || h.GetMatch() != 2 || vr.Ticks != e.Ticks {
		t.Fatalf("the served log: match %d, %d ticks: %v", h.GetMatch(), vr.Ticks, err)
	}

	for _, id := range []string{"nope", "..%2f..%2fetc%2fpasswd", "%2e%2e", e.ID + ".tlog", "..", "a%00b", e.ID + "%2f.."} {
		res, body := get(t, srv.URL+"/api/replays/"+id)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /api/replays/%s: %d %q; want 404", id, res.StatusCode, body)
		}
		if id == "nope" && !bytes.Contains(body, []byte(`"error"`)) {
			t.Errorf("GET /api/replays/nope: %q; want a JSON error", body)
		}
	}
}

func TestRetentionKeepsNewest(t *testing.T) {
	var mu sync.Mutex
	var removed []string
	d, path := openDir(t, ticklog.Options{Keep: 2, OnRemove: func(id string) {
		mu.Lock()
		defer mu.Unlock()
		removed = append(removed, id)
	}})
	playMatches(t, d, 5)
	waitStats(t, d, 5)
	logs := d.List()
	if len(logs) != 2 || logs[0].Match != 5 || logs[1].Match != 4 {
		t.Fatalf("kept %+v; want matches 5 and 4", logs)
	}
	files, _ := filepath.Glob(filepath.Join(path, "*.tlog"))
	mu.Lock()
	defer mu.Unlock()
	if len(files) != 2 || len(removed) != 3 {
		t.Fatalf("files %v, removed %v; want 2 files, 3 removed", files, removed)
	}
}

func TestRetentionByAge(t *testing.T) {
	path := t.TempDir()
	d, err := ticklog.Open(path, ticklog.Options{Logger: testkit.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	playMatches(t, d, 2)
	waitStats(t, d, 2)
	d.Close()

	// Reopened a day later with a 12-hour limit: both are gone, at open.
	later := func() time.Time { return time.Now().Add(24 * time.Hour) }
	d, err = ticklog.Open(path, ticklog.Options{MaxAge: 12 * time.Hour, Now: later, Logger: testkit.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if l := d.List(); len(l) != 0 {
		t.Fatalf("listed %+v after a day with a 12-hour limit", l)
	}
	if files, _ := os.ReadDir(path); len(files) != 0 {
		t.Fatalf("files left: %v", files)
	}
}

func TestReopenIndexes(t *testing.T) {
	path := t.TempDir()
	d, err := ticklog.Open(path, ticklog.Options{Logger: testkit.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	playMatches(t, d, 3)
	waitStats(t, d, 3)
	before := d.List()
	d.Close()
	os.WriteFile(filepath.Join(path, "broken.tlog"), []byte("not a log"), 0o644)
	os.WriteFile(filepath.Join(path, ".part-7"), []byte("half a log"), 0o644)
	d, err = ticklog.Open(path, ticklog.Options{Logger: testkit.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	after := d.List()
	if len(after) != 3 || after[0].ID != before[0].ID || after[2].Players[1].Name != before[2].Players[1].Name {
		t.Fatalf("reopened: %+v; before %+v", after, before)
	}
	if _, err := os.Stat(filepath.Join(path, ".part-7")); !os.IsNotExist(err) {
		t.Fatalf("a part file left from before: %v", err)
	}
}

// waitStats waits until d has written n logs.
func waitStats(t *testing.T, d *ticklog.Dir, n uint64) {
	t.Helper()
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		w := d.Stats().Written
		return w >= n, fmt.Sprintf("%d logs written, want %d", w, n)
	})
}
