// testdata/bots.tlog, a match six bots played against a real server
// (live_test.go records it), replays to the server's hash at every tick:
// natively, and under WebAssembly (make wasm-test) with the same sim.

package ticklog_test

import (
	"os"
	"testing"

	"skirmish/ticklog"
)

// botsLog is a live match of 6 bots, 8 s long.
const botsLog = "testdata/bots.tlog"

func TestVerifyTestdata(t *testing.T) {
	f, err := os.Open(botsLog)
	if err != nil {
		t.Fatalf("%v (record it with: go test ./ticklog -run TestLiveMatchReplays -update)", err)
	}
	defer f.Close()
	h, res, err := ticklog.Verify(f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ticks != int(h.GetLastTick()-h.GetFirstTick()+1) || res.Ticks < 400 || len(h.GetPlayers()) < 6 {
		t.Fatalf("verified %d ticks of %d..%d with %d players", res.Ticks, h.GetFirstTick(), h.GetLastTick(), len(h.GetPlayers()))
	}
	t.Logf("%d ticks and %d keyframes of room %q match %d replay to the server's hashes", res.Ticks, res.Keyframes, h.GetRoom(), h.GetMatch())
}
