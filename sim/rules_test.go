// rules_test.go — RulesVersion moves with the rules: it is pinned to the
// golden run's last hash (replay_test.go), so a rule change that
// regenerates the golden run fails here until RulesVersion is bumped.

package sim_test

import (
	"testing"

	"skirmish/sim"
)

// The rules version the golden run was made under, and its last hash.
const (
	pinnedRules    = 1
	pinnedLastHash = 0x190f7e78f2ce45bd
)

func TestRulesVersion(t *testing.T) {
	hashes := readHashes(t)
	last := hashes[len(hashes)-1]
	if sim.RulesVersion != pinnedRules || last != pinnedLastHash {
		t.Fatalf("sim.RulesVersion %d, the golden run's last hash %016x; pinned: rules %d, hash %016x.\n"+
			"The golden run changed, so the rules did: bump sim.RulesVersion (a tick log recorded "+
			"under the old rules must not replay under the new) and pin both here", sim.RulesVersion, last, pinnedRules, uint64(pinnedLastHash))
	}
}
