// deps.go — what a package links: Deps runs `go list -deps` (every
// package imported directly or not), and ForbidDeps fails a test for each
// one a package must not link. sim/, client/netcode/ and server/ state
// their rules with it; the rest of the kit (doc.go) starts stacks and
// waits on them.

package testkit

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// listTimeout bounds one `go list`: it reads the module's sources and the
// build cache, nothing slower.
const listTimeout = 2 * time.Minute

// Deps returns pkg (an import path, e.g. "skirmish/sim") and every package
// it imports, directly or not, for the platform the test runs on, as `go
// list -deps` prints them: dependencies first. Test files do not count.
func Deps(t testing.TB, pkg string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", pkg)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("testkit: go list -deps %s: %v\n%s", pkg, err, stderr.Bytes())
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 || deps[len(deps)-1] != pkg {
		t.Fatalf("testkit: go list -deps %s listed %d packages, not ending in %s", pkg, len(deps), pkg)
	}
	return deps
}

// ForbidDeps fails t once for each package that pkg imports, directly or
// not, and that matches one of patterns: an import path matches itself,
// and a pattern ending in "/..." matches the path before it and every
// path below ("net/..." matches net, net/http and net/netip). pkg itself
// never matches.
func ForbidDeps(t testing.TB, pkg string, patterns ...string) {
	t.Helper()
	for _, dep := range Deps(t, pkg) {
		if dep == pkg {
			continue
		}
		for _, p := range patterns {
			if matchPath(p, dep) {
				t.Errorf("%s links %s (forbidden by %q): `go list -deps %s` shows what pulls it in", pkg, dep, p, pkg)
				break
			}
		}
	}
}

// matchPath reports whether the import path matches pattern, as
// ForbidDeps describes.
func matchPath(pattern, path string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/")
	}
	return path == pattern
}
