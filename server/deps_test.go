// deps_test.go — a game node links the game server, not the front door:
// nothing server/ links, directly or not, is the lobby or Redis
// (testkit.ForbidDeps over `go list -deps`). The lobby↔server contract
// is package ticket.

package server_test

import (
	"testing"

	"skirmish/internal/testkit"
)

func TestDeps(t *testing.T) {
	testkit.ForbidDeps(t, "skirmish/server", "skirmish/lobby/...", "github.com/redis/...")
}
