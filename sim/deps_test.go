// deps_test.go — the sim stays pure: nothing it links, directly or not,
// reads the clock, draws random numbers from outside its own state, does
// I/O, starts goroutines, logs or knows the wire (testkit.ForbidDeps over
// `go list -deps`). It links only the standard library's runtime, errors
// and math/bits.

package sim_test

import (
	"testing"

	"skirmish/internal/testkit"
)

func TestDeps(t *testing.T) {
	testkit.ForbidDeps(t, "skirmish/sim",
		"time", "math", "math/rand/...", "crypto/...", "os/...", "io/...", "net/...", "syscall/...",
		"sync/...", "fmt", "log/...", "reflect",
		"skirmish/...", "github.com/...", "google.golang.org/...", "golang.org/...")
}
