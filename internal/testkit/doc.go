// doc.go — the package overview. The parts: deps.go (what a package
// links).

// Package testkit is what the tests of several packages share: checks on
// what a package links (Deps, ForbidDeps, over `go list -deps`).
package testkit
