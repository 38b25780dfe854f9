// rules.go — the version of the game's rules, which a recorded match
// carries (ticklog's header) so that a replay under other rules refuses
// to run instead of replaying wrong.

package sim

// RulesVersion names the rules this sim plays. Bump it by one in the
// change that alters a rule: anything that makes the same Config, seed and
// calls give another World (movement, firing, projectiles and hits, lag
// compensation, spawning, scoring, the match's phases, the hash itself).
// TestRulesVersion pins it to the golden run's last hash (testdata/), so
// a change that regenerates the golden run fails until it is bumped.
const RulesVersion = 1
