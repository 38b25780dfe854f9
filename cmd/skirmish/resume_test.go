// resume_test.go — a dropped player comes back as themself in cluster
// mode, with real processes on 127.0.0.1 (cluster_test.go's lobby, nodes
// and redis-server): the node holds the player, the hold lives in the
// Redis store, and the lobby sends the player's new ticket back to that
// node; a hold on a node that died is gone with it, and the player queues
// onto another node as today.

package main

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/testkit"
	pb "skirmish/proto"
)

func TestClusterResume(t *testing.T) {
	c := newCluster(t, 2, false, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	token, err := bots.Login(ctx, http.DefaultClient, c.lobby.url, "Ada")
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.join(ctx, "Ada", token, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := playing(ctx, first, 30); err != nil {
		t.Fatal(err)
	}
	node, id := c.nodeOf(first), first.ID()
	player, err := strconv.ParseUint(first.Assignment().PlayerID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	where := func(b *bots.Bot) (x, y int32) {
		id := b.ID()
		b.View(func(s *pb.State, _ *bots.Stats) {
			if p := s.Player(id); p != nil {
				x, y = p.F[pb.FieldX], p.F[pb.FieldY]
			}
		})
		return x, y
	}
	x, y := where(first)

	// The link is cut: the node holds the player, the store the seat.
	first.Drop()
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		seat, err := c.store.Seat(ctx, player, time.Now())
		return err == nil && !seat.Connected && seat.Node == node, "the store holding the seat on " + node
	})
	back, err := c.join(ctx, "Ada", token, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := playing(ctx, back, 30); err != nil {
		t.Fatal(err)
	}
	if n := c.nodeOf(back); n != node || back.ID() != id || !back.Welcome().GetResumed() {
		t.Errorf("back on node %q as player %d (resumed %v); want node %s, player %d, resumed", n, back.ID(), back.Welcome().GetResumed(), node, id)
	}
	if bx, by := where(back); bx != x || by != y {
		t.Errorf("back at (%d, %d); the player stood at (%d, %d)", bx, by, x, y)
	}
	if seat, err := c.store.Seat(ctx, player, time.Now()); err != nil || !seat.Connected {
		t.Errorf("the store's seat after the resume: %+v, %v; want connected", seat, err)
	}

	// Dropped again, and the node dies with the hold: the player queues
	// onto the other node, a new player there.
	back.Drop()
	testkit.WaitUntil(t, 10*time.Second, func() (bool, string) {
		seat, err := c.store.Seat(ctx, player, time.Now())
		return err == nil && !seat.Connected, "the store holding the seat again"
	})
	if err := c.nodes[node].cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-c.nodes[node].exited
	again, err := c.join(ctx, "Ada", token, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := playing(ctx, again, 30); err != nil {
		t.Fatal(err)
	}
	if n := c.nodeOf(again); n == node || n == "" || again.Welcome().GetResumed() {
		t.Errorf("after the holding node died: on node %q (resumed %v); want the other node, a new player", n, again.Welcome().GetResumed())
	}
}
