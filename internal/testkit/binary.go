// binary.go — the skirmish binary as an operator runs it, for a test:
// Build compiles cmd/skirmish once per test, and Run starts one of its
// roles and waits for the line it prints when it serves. stack.go is the
// same stack in the test's own process.

package testkit

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// readyTimeout bounds the wait for a process's ready line.
const readyTimeout = 30 * time.Second

// Build compiles cmd/skirmish into a temporary directory and returns the
// binary's path.
func Build(t testing.TB) string {
	t.Helper()
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" {
		t.Fatalf("testkit: go env GOMOD: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "skirmish")
	build := exec.Command("go", "build", "-o", bin, "./cmd/skirmish")
	build.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("testkit: go build ./cmd/skirmish: %v\n%s", err, out)
	}
	return bin
}

// Run starts bin with args (its stderr goes to the test's), kills it when
// the test ends, and returns the first group of the first line of its
// stdout that ready matches, e.g. its URL; it fails the test if none comes
// within 30 s.
func Run(t testing.TB, bin string, ready *regexp.Regexp, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s := <-found:
		return s
	case <-time.After(readyTimeout):
		t.Fatalf("testkit: %s %s printed no line matching %s within %v", filepath.Base(bin), strings.Join(args, " "), ready, readyTimeout)
		return ""
	}
}
