// spectate_test.go — spectators in cluster mode, with real processes on
// 127.0.0.1 (cluster_test.go's lobby, nodes and redis-server): POST
// /api/watch sends the spectator to the node that hosts the room, which
// shows it the room --spectate-delay late; the node's count reaches the
// lobby through Redis, and past --max-spectators the lobby answers 409.
// Also the flags' refusals.

package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

func TestClusterSpectator(t *testing.T) {
	c := newCluster(t, 2, false, nil, "--max-spectators", "1", "--spectate-delay", "1s")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	player, err := c.join(ctx, "Ada", "", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer player.Close()
	if err := playing(ctx, player, 30); err != nil {
		t.Fatal(err)
	}
	room, id := player.Assignment().Room, player.ID()
	sp, err := bots.Join(ctx, bots.Options{BaseURL: c.lobby.url, Watch: room})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	go sp.Run(ctx)
	if sp.Assignment().WSURL != player.Assignment().WSURL || !sp.Welcome().GetSpectator() || sp.ID() != 0 {
		t.Fatalf("spectator sent to %s (spectator %v, id %d); the room is on %s", sp.Assignment().WSURL, sp.Welcome().GetSpectator(), sp.ID(), player.Assignment().WSURL)
	}
	// It sees the player, a second (60 ticks) behind what the player sees.
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		var seen bool
		var tick uint32
		sp.View(func(s *pb.State, _ *bots.Stats) { seen, tick = s.Player(id) != nil, s.Tick })
		var now uint32
		player.View(func(s *pb.State, _ *bots.Stats) { now = s.Tick })
		return seen && tick+55 <= now, fmt.Sprintf("the spectator at tick %d (sees player %d: %v), the player at %d", tick, id, seen, now)
	})
	// The node's count reaches the lobby: a second spectator is refused.
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		_, err := bots.RequestWatch(ctx, http.DefaultClient, c.lobby.url, room)
		return err != nil && strings.Contains(err.Error(), "409"), "a second watch answered " + errText(err)
	})
	if err := sp.Err(); err != nil {
		t.Errorf("the spectator's connection ended: %v (kick %v)", err, sp.Kick())
	}
}

func TestSpectateFlagsRefuseOutOfRange(t *testing.T) {
	for _, args := range [][]string{
		{"--spectate-delay", "-1s"},
		{"--spectate-delay", "61s"},
		{"--max-spectators", "-2"},
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		f := newSpectateFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.spectating(); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v; want a refusal naming the flag", args, err)
		}
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	f := newSpectateFlags(fs)
	if err := fs.Parse([]string{"--spectate-delay", "10s", "--max-spectators", "-1"}); err != nil {
		t.Fatal(err)
	}
	if limit, delay, err := f.spectating(); err != nil || limit != -1 || delay != 10*time.Second {
		t.Errorf("valid flags: %d, %v, %v; want -1, 10s", limit, delay, err)
	}
}

func errText(err error) string {
	if err == nil {
		return "200"
	}
	return err.Error()
}
