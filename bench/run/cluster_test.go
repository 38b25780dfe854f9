// cluster_test.go — the cluster mode's pieces that need no cluster: a
// process's ready line, and the nodes' /status readings cut to a window.

package main

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

func TestStartProcessReadyLine(t *testing.T) {
	log := filepath.Join(t.TempDir(), "p.log")
	cmd, got, err := startProcess("sh", []string{"-c", "echo players connect at ws://127.0.0.1:4242/ws here; sleep 30"}, log, nodeReady)
	if err != nil {
		t.Fatal(err)
	}
	stopProcess(cmd)
	if got != "127.0.0.1:4242" {
		t.Errorf("got %q; want the group, 127.0.0.1:4242", got)
	}
}

func TestStartProcessExitsBeforeReady(t *testing.T) {
	log := filepath.Join(t.TempDir(), "p.log")
	start := time.Now()
	if _, _, err := startProcess("sh", []string{"-c", "echo no luck; exit 3"}, log, regexp.MustCompile(`ready`)); err == nil {
		t.Fatal("a process that exited was taken for ready")
	}
	if d := time.Since(start); d > readyTimeout/2 {
		t.Errorf("took %v to see the process gone", d)
	}
}

func TestMeanStatus(t *testing.T) {
	t0 := time.Now()
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	ss := []statusSample{
		{at: at(0), players: []int{1, 1}, rooms: []int{1, 1}},     // before the window
		{at: at(1), players: []int{10, 20}, rooms: []int{1, 2}},   //
		{at: at(2), players: []int{30, -1}, rooms: []int{3, -1}},  // n2 did not answer
		{at: at(9), players: []int{100, 100}, rooms: []int{9, 9}}, // after
	}
	players, rooms, seen := meanStatus(ss, at(0.5), at(5), 2)
	if !seen || players[0] != 20 || players[1] != 20 || rooms[0] != 2 || rooms[1] != 2 {
		t.Errorf("players %v, rooms %v, seen %v; want [20 20], [2 2], true", players, rooms, seen)
	}
	if _, _, seen := meanStatus(ss, at(3), at(4), 2); seen {
		t.Error("a window without readings was seen")
	}
}
