// store_node_test.go — the contract of the game nodes and published keys
// in every Store backend (store.go): heartbeats, placement refusals, the
// node check at claim, and what happens to a node's rooms when it stops
// beating or leaves.

package lobby_test

import (
	"slices"
	"testing"
	"time"

	"skirmish/lobby"
)

func node(id string, expires time.Time) lobby.Node {
	return lobby.Node{ID: id, URL: "ws://127.0.0.1:7000/ws#" + id, Capacity: 64, Expires: expires}
}

func onNode(id, nodeID string) lobby.Room {
	r := room(id, 4)
	r.Node = nodeID
	return r
}

func TestStoreNodesHeartbeat(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		must(t, s.PutNode(bg, node("b", at0.Add(5*time.Second))))
		a := node("a", at0.Add(3*time.Second))
		a.Players, a.Rooms = 7, 1
		must(t, s.PutNode(bg, a))
		nodes, err := s.Nodes(bg, at0)
		must(t, err)
		if len(nodes) != 2 || nodes[0].ID != "a" || nodes[1].ID != "b" {
			t.Fatalf("Nodes = %+v; want a, b in order", nodes)
		}
		if got := nodes[0]; got.URL != a.URL || got.Capacity != 64 || got.Players != 7 || got.Rooms != 1 || !got.Expires.Equal(a.Expires) {
			t.Errorf("node a = %+v; want %+v", got, a)
		}
		// A lapsed heartbeat leaves the list at its expiry, exactly.
		if nodes, _ := s.Nodes(bg, at0.Add(3*time.Second)); len(nodes) != 1 || nodes[0].ID != "b" {
			t.Errorf("Nodes at a's expiry = %+v; want only b", nodes)
		}
		// Beating again extends it, and carries the new figures.
		a.Expires, a.Draining = at0.Add(10*time.Second), true
		must(t, s.PutNode(bg, a))
		nodes, err = s.Nodes(bg, at0.Add(6*time.Second))
		must(t, err)
		if len(nodes) != 1 || nodes[0].ID != "a" || !nodes[0].Draining {
			t.Errorf("Nodes after b lapsed and a beat again = %+v; want a, draining", nodes)
		}
	})
}

func TestStoreRoomsOnNodes(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		until := at0.Add(15 * time.Second)
		must(t, s.PutNode(bg, node("a", at0.Add(5*time.Second))))
		drain := node("d", at0.Add(5*time.Second))
		drain.Draining = true
		must(t, s.PutNode(bg, drain))

		wantErr(t, "a room on an unknown node", reserve(t, s, at0, lobby.Reservation{Room: onNode("r1", "x"), Create: true, Members: members(1), Until: until}), lobby.ErrNodeGone)
		wantErr(t, "a room on a draining node", reserve(t, s, at0, lobby.Reservation{Room: onNode("r1", "d"), Create: true, Members: members(1), Until: until}), lobby.ErrNodeGone)
		wantErr(t, "a room on a lapsed node", reserve(t, s, at0.Add(5*time.Second), lobby.Reservation{Room: onNode("r1", "a"), Create: true, Members: members(1), Until: until}), lobby.ErrNodeGone)
		if rooms := roomsByID(t, s, at0); len(rooms) != 0 {
			t.Fatalf("refused reservations left rooms: %v", rooms)
		}

		must(t, reserve(t, s, at0, lobby.Reservation{Room: onNode("r1", "a"), Create: true, Members: members(1, 2), Until: until}))
		must(t, reserve(t, s, at0, lobby.Reservation{Room: room("r2", 4), Create: true, Members: members(3), Until: until}))
		if r := roomsByID(t, s, at0)["r1"]; r.Node != "a" {
			t.Errorf("r1 = %+v; want on node a", r)
		}
		if st, err := s.Seat(bg, 1, at0); err != nil || st.Room != "r1" || st.Node != "a" {
			t.Errorf("Seat(1) = %+v, %v; want r1 on a", st, err)
		}
		if st, err := s.Seat(bg, 3, at0); err != nil || st.Node != "" {
			t.Errorf("Seat(3) = %+v, %v; want r2 on no node", st, err)
		}
		// Only the node that hosts the room claims its seats.
		wantErr(t, "claim by another node", s.Claim(bg, "r1", "b", 1, at0), lobby.ErrWrongNode)
		wantErr(t, "claim by the lobby's process", s.Claim(bg, "r1", "", 1, at0), lobby.ErrWrongNode)
		wantErr(t, "claim of a lobby room by a node", s.Claim(bg, "r2", "a", 3, at0), lobby.ErrWrongNode)
		must(t, s.Claim(bg, "r1", "a", 1, at0))
		must(t, s.Claim(bg, "r2", "", 3, at0))

		// The node stops beating: ExpireNodes frees every seat on it,
		// connected or reserved, and the room and node go; other rooms stay.
		if n, err := s.Expire(bg, at0.Add(5*time.Second)); err != nil || n != 0 {
			t.Errorf("Expire = %d, %v; want 0: the nodes are ExpireNodes' business", n, err)
		}
		n, err := s.ExpireNodes(bg, at0.Add(5*time.Second))
		must(t, err)
		if n != 2 {
			t.Errorf("ExpireNodes after node a lapsed freed %d seats; want 2", n)
		}
		rooms := roomsByID(t, s, at0.Add(5*time.Second))
		if _, ok := rooms["r1"]; ok || len(rooms) != 1 {
			t.Errorf("rooms after node a lapsed: %v; want only r2", rooms)
		}
		if _, err := s.Seat(bg, 1, at0.Add(5*time.Second)); err == nil {
			t.Error("player 1 still holds a seat on a lapsed node")
		}
		// Its players can queue again at once.
		must(t, s.Enqueue(bg, entry(1, "ffa", at0.Add(5*time.Second)), at0.Add(5*time.Second)))
		// The node comes back (a restart): it is a new node as far as rooms go.
		must(t, s.PutNode(bg, node("a", at0.Add(20*time.Second))))
		must(t, reserve(t, s, at0.Add(6*time.Second), lobby.Reservation{Room: onNode("r3", "a"), Create: true, Members: members(5), Until: until}))
	})
}

func TestStoreRemoveNode(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		until := at0.Add(15 * time.Second)
		must(t, s.PutNode(bg, node("a", at0.Add(time.Hour))))
		must(t, s.PutNode(bg, node("b", at0.Add(time.Hour))))
		must(t, reserve(t, s, at0, lobby.Reservation{Room: onNode("r1", "a"), Create: true, Members: members(1, 2), Until: until}))
		must(t, reserve(t, s, at0, lobby.Reservation{Room: onNode("r2", "a"), Create: true, Members: members(3), Until: until}))
		must(t, reserve(t, s, at0, lobby.Reservation{Room: onNode("r3", "b"), Create: true, Members: members(4), Until: until}))
		must(t, s.Claim(bg, "r1", "a", 1, at0))
		n, err := s.RemoveNode(bg, "a")
		must(t, err)
		if n != 3 {
			t.Errorf("RemoveNode freed %d seats; want 3", n)
		}
		rooms := roomsByID(t, s, at0)
		if len(rooms) != 1 || rooms["r3"].Node != "b" {
			t.Errorf("rooms after a left: %v; want only r3 on b", rooms)
		}
		nodes, err := s.Nodes(bg, at0)
		must(t, err)
		if len(nodes) != 1 || nodes[0].ID != "b" {
			t.Errorf("Nodes after a left = %+v; want b", nodes)
		}
		if n, err := s.RemoveNode(bg, "nobody"); err != nil || n != 0 {
			t.Errorf("RemoveNode(unknown) = %d, %v; want 0, nil", n, err)
		}
		wantErr(t, "a room on a removed node", reserve(t, s, at0, lobby.Reservation{Room: onNode("r4", "a"), Create: true, Members: members(9), Until: until}), lobby.ErrNodeGone)
	})
}

func TestStoreKeys(t *testing.T) {
	forEachStore(t, func(t *testing.T, s lobby.Store) {
		must(t, s.PutKey(bg, "k2", at0.Add(time.Minute)))
		must(t, s.PutKey(bg, "k1", at0.Add(2*time.Minute)))
		must(t, s.PutKey(bg, "k1", at0.Add(time.Second))) // never shortens
		keys, err := s.Keys(bg, at0)
		must(t, err)
		if !slices.Equal(keys, []string{"k1", "k2"}) {
			t.Errorf("Keys = %v; want [k1 k2]", keys)
		}
		keys, err = s.Keys(bg, at0.Add(time.Minute))
		must(t, err)
		if !slices.Equal(keys, []string{"k1"}) {
			t.Errorf("Keys after k2 expired = %v; want [k1]", keys)
		}
		_, err = s.Expire(bg, at0.Add(3*time.Minute))
		must(t, err)
		if keys, _ := s.Keys(bg, at0); len(keys) != 0 {
			t.Errorf("Keys after Expire swept them = %v; want none", keys)
		}
	})
}
