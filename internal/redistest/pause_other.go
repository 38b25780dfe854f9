//go:build !unix

// pause_other.go — where there is no SIGSTOP (pause.go), a test that
// stalls Redis skips.

package redistest

import "testing"

// Pause skips the test: stalling a process needs SIGSTOP.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	t.Skip("redistest: Pause needs SIGSTOP, a unix signal")
}

// Resume does nothing: Pause skipped the test.
func (s *Server) Resume(testing.TB) {}
