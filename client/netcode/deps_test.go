// deps_test.go — the netcode stays portable: it builds for WebAssembly
// and for the bots alike, so nothing it links, directly or not, renders,
// touches the browser or opens a socket (testkit.ForbidDeps over `go list
// -deps`). It links the sim, the wire and the standard library.

package netcode_test

import (
	"testing"

	"skirmish/internal/testkit"
)

func TestDeps(t *testing.T) {
	testkit.ForbidDeps(t, "skirmish/client/netcode",
		"syscall/js", "net/...", "os/exec", "log/...", "math/rand/...",
		"github.com/...", "golang.org/x/...",
		"skirmish/client", "skirmish/bots/...", "skirmish/server/...", "skirmish/lobby/...", "skirmish/ticket/...", "skirmish/internal/...")
}
