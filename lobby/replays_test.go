// The replay index on both backends (newest first, limited, by id,
// removed), and the lobby's GET /api/replays and /api/replays/{id}: the
// list covers every node's, and a log is a redirect to the node holding it.

package lobby_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"skirmish/lobby"
	"skirmish/ticklog"
)

func replayEntry(id, url string, start time.Time) ticklog.Entry {
	return ticklog.Entry{ID: id, Room: "r-" + id, Match: 1, Start: start, End: start.Add(time.Minute), URL: url,
		Players: []ticklog.PlayerEntry{{ID: 1, Name: "ann", Kills: 3}}, Winner: "ann", Complete: true}
}

func TestStoreReplays(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		must(t, s.PutReplay(ctx, replayEntry("b", "http://node-1:7000", t0.Add(time.Minute))))
		must(t, s.PutReplay(ctx, replayEntry("a", "http://node-2:7000", t0)))
		must(t, s.PutReplay(ctx, replayEntry("c", "http://node-1:7000", t0.Add(2*time.Minute))))
		got, err := s.Replays(ctx, 10)
		must(t, err)
		if len(got) != 3 || got[0].ID != "c" || got[1].ID != "b" || got[2].ID != "a" {
			t.Fatalf("replays %+v; want c, b, a", got)
		}
		if got[2].URL != "http://node-2:7000" || got[2].Players[0].Name != "ann" || !got[2].Start.Equal(t0) {
			t.Fatalf("entry read back as %+v", got[2])
		}
		if top, err := s.Replays(ctx, 2); err != nil || len(top) != 2 || top[1].ID != "b" {
			t.Fatalf("the newest 2: %+v, %v", top, err)
		}
		e, err := s.Replay(ctx, "b")
		if err != nil || e.URL != "http://node-1:7000" {
			t.Fatalf("Replay(b): %+v, %v", e, err)
		}
		must(t, s.RemoveReplay(ctx, "b"))
		must(t, s.RemoveReplay(ctx, "never"))
		_, err = s.Replay(ctx, "b")
		wantErr(t, "Replay of a removed log", err, lobby.ErrNotFound)
		if got, _ := s.Replays(ctx, 10); len(got) != 2 {
			t.Fatalf("after a removal: %+v", got)
		}
	})
}

func TestAPIReplays(t *testing.T) {
	a := newAPI(t, lobby.NewMemoryStore(), nil)
	rep := a.do(t, http.MethodGet, "/api/replays", "", "")
	if rep.status != http.StatusOK || string(rep.body) != "{\"replays\":[]}\n" {
		t.Fatalf("no replays: %d %s", rep.status, rep.body)
	}
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	must(t, a.store.PutReplay(ctx, replayEntry("m1", "http://node-1:7000", t0)))
	must(t, a.store.PutReplay(ctx, replayEntry("m2", "https://node-2.example/", t0.Add(time.Minute))))
	rep = a.do(t, http.MethodGet, "/api/replays", "", "")
	var list struct{ Replays []ticklog.Entry }
	if err := json.Unmarshal(rep.body, &list); err != nil || len(list.Replays) != 2 || list.Replays[0].ID != "m2" || list.Replays[1].URL != "http://node-1:7000" {
		t.Fatalf("listed %s: %v", rep.body, err)
	}

	a.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	rep = a.do(t, http.MethodGet, "/api/replays/m2", "", "")
	if rep.status != http.StatusTemporaryRedirect || rep.header.Get("Location") != "https://node-2.example/api/replays/m2" {
		t.Fatalf("GET /api/replays/m2: %d, Location %q", rep.status, rep.header.Get("Location"))
	}
	for _, id := range []string{"m3", "..%2fsecret", "m1.tlog"} {
		if rep := a.do(t, http.MethodGet, "/api/replays/"+id, "", ""); rep.status != http.StatusNotFound {
			t.Errorf("GET /api/replays/%s: %d %s; want 404", id, rep.status, rep.body)
		}
	}
}
