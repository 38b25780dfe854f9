//go:build unix

// pause.go — a stalled Redis: Pause stops the redis-server of
// redistest.go with SIGSTOP, Resume lets it go on.

package redistest

import (
	"syscall"
	"testing"
)

// Pause stops the server (SIGSTOP): it keeps every connection and answers
// nothing, a stalled Redis, until Resume.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatalf("redistest: pause %s: %v", s.Addr, err)
	}
}

// Resume lets a paused server go on (SIGCONT).
func (s *Server) Resume(t testing.TB) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatalf("redistest: resume %s: %v", s.Addr, err)
	}
}
