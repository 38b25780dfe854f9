// proc_test.go — the binary's processes in tests: startProc runs one, waits
// for the line that says it is ready (and takes the URL from it), keeps
// its log for a failing test, and kills it when the test ends. Waiting on
// a condition is internal/testkit's WaitUntil.

package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

// readyTimeout bounds a process's start.
const readyTimeout = 30 * time.Second

// buildSkirmish builds the binary into the test's temporary directory.
func buildSkirmish(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "skirmish")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// proc is a running skirmish process.
type proc struct {
	cmd    *exec.Cmd
	url    string        // from its ready line
	exited chan error    // its exit status, once
	log    *syncBuffer   // its stderr
	done   chan struct{} // closed when it has exited
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startProc runs bin with args until the test ends and returns once it
// printed a line matching ready, whose first group is its URL.
func startProc(t *testing.T, bin string, ready *regexp.Regexp, args ...string) *proc {
	t.Helper()
	return startProcEnv(t, bin, ready, nil, args...)
}

// startProcEnv is startProc with variables added to the environment.
func startProcEnv(t *testing.T, bin string, ready *regexp.Regexp, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), exited: make(chan error, 1), log: &syncBuffer{}, done: make(chan struct{})}
	if env != nil {
		p.cmd.Env = append(os.Environ(), env...)
	}
	p.cmd.Stderr = p.log
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		err := p.cmd.Wait()
		close(p.done)
		p.exited <- err
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("%v:\n%s", args[:1], p.log.String())
		}
	})
	select {
	case p.url = <-urls:
		return p
	case err := <-p.exited:
		t.Fatalf("%v exited early: %v\n%s", args, err, p.log.String())
	case <-time.After(readyTimeout):
		t.Fatalf("%v printed no ready line within %v", args, readyTimeout)
	}
	return nil
}

// wantExit0 waits up to within for the process behind exited to end, and
// fails the test unless it exits 0.
func wantExit0(t *testing.T, exited <-chan error, within time.Duration, what string) {
	t.Helper()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("%s exited with %v; want 0", what, err)
		}
	case <-time.After(within):
		t.Fatalf("%s did not exit within %v", what, within)
	}
}

// gone reports whether the process has exited.
func (p *proc) gone() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}
