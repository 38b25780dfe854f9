// deps_test.go — tests for deps.go: the patterns, and a forbidden
// dependency reported once with what links it.

package testkit

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestMatchPath(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"net", "net", true},
		{"net", "net/http", false},
		{"net/...", "net", true},
		{"net/...", "net/netip", true},
		{"net/...", "netip", false},
		{"skirmish/lobby/...", "skirmish/lobbyist", false},
	} {
		if got := matchPath(tc.pattern, tc.path); got != tc.want {
			t.Errorf("matchPath(%q, %q) = %v; want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

// errors records what a check reports instead of failing the test.
type errors struct {
	testing.TB
	got []string
}

func (e *errors) Errorf(format string, args ...any) {
	e.got = append(e.got, fmt.Sprintf(format, args...))
}

func TestForbidDepsIsTransitive(t *testing.T) {
	deps := Deps(t, "skirmish/ticket")
	if !slices.Contains(deps, "crypto/ed25519") || !slices.Contains(deps, "crypto/sha512") {
		t.Fatalf("Deps(skirmish/ticket) = %v; want crypto/ed25519 and, through it, crypto/sha512", deps)
	}
	rec := &errors{TB: t}
	ForbidDeps(rec, "skirmish/ticket", "crypto/sha512", "skirmish/ticket", "github.com/...")
	if len(rec.got) != 1 || !strings.Contains(rec.got[0], "links crypto/sha512") {
		t.Errorf("ForbidDeps reported %q; want crypto/sha512 once (pulled in by crypto/ed25519), and the package itself never", rec.got)
	}
}
