// stuck_test.go — a client that never reads (outbound.go's backpressure, tick.go's evict): it costs skipped snapshots, then its seat, never the room's pace. Unix only: it shrinks the client's socket buffer.

//go:build unix

package server_test

import (
	"context"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/stack"
	"skirmish/internal/testkit"
)

// tinyReceiveBuffer makes a socket's receive buffer as small as the kernel
// allows; set before connect, so the window is small from the start.
func tinyReceiveBuffer(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1)
	})
	if err != nil {
		return err
	}
	return serr
}

// dialSloth connects a client that never reads. It does send: pings keep
// it from looking silent, and their pongs fill its buffers sooner.
func dialSloth(t *testing.T, url string) net.Conn {
	t.Helper()
	conn, _ := rawDial(t, url, tinyReceiveBuffer)
	go func() {
		ping := appendFrame(nil, 0x9, make([]byte, 125))
		tick := time.NewTicker(20 * time.Millisecond) // 50 a second: under the flood limit
		defer tick.Stop()
		for range tick.C {
			_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
			if _, err := conn.Write(ping); err != nil {
				return // closed: by the server, or by the test's cleanup
			}
		}
	}()
	return conn
}

// TestClientThatNeverReads: a client that upgrades and then never reads
// fills its socket buffers; from then on the room skips its snapshots and,
// after StuckTimeout and not before, drops it (disconnects{reason="stuck"}).
// Meanwhile a player in the same busy room keeps getting snapshots (how
// many a loaded machine delivers is the benchmark's).
func TestClientThatNeverReads(t *testing.T) {
	t.Parallel()
	const stuck = time.Second
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.SocketWriteBuffer = 4096
		o.Server.StuckTimeout = stuck
	})
	// A busy room: fighters fill the snapshots with moves and shots.
	good := joinBot(t, st, "good", bots.Wander())
	for i := range 3 {
		joinBot(t, st, fmt.Sprint("fighter", i), bots.Fight())
	}
	a := play(t, st, "sloth")
	if a.Room != good.Assignment().Room {
		t.Fatalf("sloth in room %s, bot in %s", a.Room, good.Assignment().Room)
	}
	conn := dialSloth(t, a.DialURL())

	start, from := time.Now(), snapshotsOf(good)
	st.WaitMetric(t, disconnects("stuck"), 10*time.Second, eq(1))
	took, got := time.Since(start), snapshotsOf(good)-from
	if took < stuck {
		t.Errorf("dropped after %v; StuckTimeout is %v", took, stuck)
	}
	if got == 0 {
		t.Errorf("while the sloth was stuck (%v), the good bot got no snapshot", took)
	}
	t.Logf("sloth dropped after %v; good bot got %d snapshots meanwhile", took, got)
	st.WaitMetric(t, "skirmish_snapshots_skipped_total", 5*time.Second, gt(0))
	st.WaitMetric(t, playersConnected, 5*time.Second, eq(4))

	// Its socket is closed: what is buffered drains, then the stream ends.
	expectServerClosed(t, conn, "stuck")
	waitSnapshots(t, good, 60, 5*time.Second)
}

// TestShutdownWithAStuckClient: Shutdown's goodbye to a client that does
// not read cannot be written; the connection is dropped after
// StuckTimeout instead of holding Shutdown until its context expires (a
// minute: far past the StuckTimeout, and only a guard against a hang).
func TestShutdownWithAStuckClient(t *testing.T) {
	t.Parallel()
	const stuck = 2 * time.Second
	st := testkit.Start(t, func(o *stack.Options) {
		o.Server.SocketWriteBuffer = 4096
		o.Server.StuckTimeout = stuck
	})
	dialSloth(t, play(t, st, "sloth").DialURL())
	// Skipped snapshots: its writer is blocked, and the room has not yet
	// dropped it.
	st.WaitMetric(t, "skirmish_snapshots_skipped_total", 10*time.Second, gt(0))
	if v := st.Metric(disconnects("stuck")); v != 0 {
		t.Skipf("the room dropped the sloth before Shutdown (machine too slow to catch it stuck)")
	}

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := st.Server.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown with a stuck client: %v after %v", err, time.Since(start))
	}
	if v := st.Metric(playersConnected); v != 0 {
		t.Errorf("players_connected = %v after Shutdown", v)
	}
}
