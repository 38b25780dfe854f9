// wait.go — waiting on a condition, with a bound: what tests do instead
// of sleeping, for stacks (stack.go), metrics (metrics.go) and processes.

package testkit

import (
	"testing"
	"time"
)

// pollEvery is how often WaitUntil looks again.
const pollEvery = 10 * time.Millisecond

// WaitUntil calls cond until it reports true, and fails the test if it
// has not within the bound, with what cond said last: cond returns
// whether it holds and, for the failure, what it saw.
func WaitUntil(t testing.TB, within time.Duration, cond func() (ok bool, saw string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, saw)
		}
		time.Sleep(pollEvery) // the polling interval, not a synchronisation
	}
}
