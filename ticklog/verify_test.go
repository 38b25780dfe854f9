// testdata/bots.tlog, a match six bots played against a real server
// (live_test.go records it), replays to the server's hash at every tick:
// natively, and under WebAssembly (make wasm-test) with the same sim; it
// says the sim rules it was recorded under, and a log of other rules is
// refused with a message that names both.

package ticklog_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"testing"

	"skirmish/sim"
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
	if h.GetSimRules() != sim.RulesVersion {
		t.Errorf("the log says sim rules %d; this build plays %d", h.GetSimRules(), sim.RulesVersion)
	}
	if res.Ticks != int(h.GetLastTick()-h.GetFirstTick()+1) || res.Ticks < 400 || len(h.GetPlayers()) < 6 {
		t.Fatalf("verified %d ticks of %d..%d with %d players", res.Ticks, h.GetFirstTick(), h.GetLastTick(), len(h.GetPlayers()))
	}
	t.Logf("%d ticks and %d keyframes of room %q match %d replay to the server's hashes", res.Ticks, res.Keyframes, h.GetRoom(), h.GetMatch())
}

func TestOtherSimRulesAreRefused(t *testing.T) {
	_, records := testdataLog(t)
	records[0].GetHeader().SimRules = sim.RulesVersion + 1
	file := encodeLog(t, records)
	_, _, err := ticklog.Verify(bytes.NewReader(file))
	want := fmt.Sprintf("recorded under sim rules %d, this build plays %d", sim.RulesVersion+1, sim.RulesVersion)
	if !errors.Is(err, ticklog.ErrRules) || err == nil || !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Fatalf("Verify: %v; want ErrRules saying %q", err, want)
	}
	// Its records still read: only replaying it is refused.
	rd, err := ticklog.NewReader(bytes.NewReader(file))
	if err != nil || rd.Header().GetSimRules() != sim.RulesVersion+1 {
		t.Fatalf("NewReader: %v", err)
	}
	if _, err := ticklog.NewReplay(rd.Header()); !errors.Is(err, ticklog.ErrRules) {
		t.Errorf("NewReplay: %v; want ErrRules", err)
	}
}
