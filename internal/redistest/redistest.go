// redistest.go — a real redis-server for tests: Start launches one on a
// free 127.0.0.1 port in a temporary directory, waits until it answers
// PING, and stops it when the test ends. StartPersistent keeps its data in
// an append-only file, so Restart (a kill -9 and a start on the same port
// and directory) brings it back as a restarted production Redis would;
// Pause and Resume (pause.go) stall it.

package redistest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

const (
	// serverBinary is the program Start runs, looked up in PATH.
	serverBinary = "redis-server"
	// installHint is what a CI failure tells the operator to do.
	installHint = "apt-get install -y redis-server"
	// startTimeout bounds the wait for the first PONG.
	startTimeout = 10 * time.Second
	// stopTimeout bounds the wait for the server to exit.
	stopTimeout = 5 * time.Second
	// startAttempts is how often Start retries when another process took
	// the free port between choosing it and redis-server binding it.
	startAttempts = 3
)

// Server is a running redis-server.
type Server struct {
	Addr string // host:port on 127.0.0.1

	bin, dir string
	port     int
	persist  bool
	cmd      *exec.Cmd
	exited   chan struct{} // closed when the process exits, after waitErr is set
	waitErr  error
	log      *bytes.Buffer
}

// URL is the server's address as a redis:// URL, for redis.ParseURL.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Start runs a redis-server for the test and returns once it answers PING.
// The server keeps nothing on disk (--save "" --appendonly no) and is
// killed, and its directory removed, when the test ends.
//
// Without redis-server in PATH, Start skips the test, unless the
// environment has CI=true: there a missing server is a failure whose
// message says how to install it.
func Start(t testing.TB) *Server {
	t.Helper()
	return startServer(t, false)
}

// StartPersistent is Start with every write in an append-only file synced
// at once (--appendonly yes --appendfsync always), so that the data
// outlives Restart.
func StartPersistent(t testing.TB) *Server {
	t.Helper()
	return startServer(t, true)
}

func startServer(t testing.TB, persist bool) *Server {
	t.Helper()
	bin, err := exec.LookPath(serverBinary)
	if err != nil {
		msg := fmt.Sprintf("redistest: %s not found in PATH; install it with: %s", serverBinary, installHint)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var errs []error
	for range startAttempts {
		port, err := freePort()
		if err != nil {
			t.Fatalf("redistest: %v", err)
		}
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), bin: bin, dir: t.TempDir(), port: port, persist: persist}
		if err = s.launch(); err == nil {
			t.Cleanup(func() {
				if err := s.stop(); err != nil {
					t.Error(err)
				}
			})
			return s
		}
		errs = append(errs, err)
	}
	t.Fatalf("redistest: could not start %s: %v", serverBinary, errors.Join(errs...))
	return nil
}

// launch runs redis-server on s's port and directory and waits for PONG.
func (s *Server) launch() error {
	appendonly, fsync := "no", "everysec"
	if s.persist {
		appendonly, fsync = "yes", "always"
	}
	s.log = new(bytes.Buffer)
	s.cmd = exec.Command(s.bin,
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--dir", s.dir,
		"--save", "",
		"--appendonly", appendonly,
		"--appendfsync", fsync,
		"--logfile", filepath.Join(s.dir, "redis.log"),
	)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	exited := make(chan struct{})
	s.exited = exited
	go func() { s.waitErr = s.cmd.Wait(); close(exited) }()
	if err := waitForPong(s); err != nil {
		_ = s.cmd.Process.Kill()
		<-s.exited
		logText, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
		return fmt.Errorf("%w\n%s%s", err, s.log.Bytes(), logText)
	}
	return nil
}

// stop kills the server and waits for it to exit.
func (s *Server) stop() error {
	_ = s.cmd.Process.Kill()
	select {
	case <-s.exited:
		return nil
	case <-time.After(stopTimeout):
		return fmt.Errorf("redistest: redis-server on %s did not exit within %v", s.Addr, stopTimeout)
	}
}

// Restart kills the server (kill -9) and starts it again on the same port
// and directory, returning once it answers PING. Clients see their
// connections drop and must reconnect; a server from StartPersistent comes
// back with its data, one from Start empty.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Kill(t)
	s.Revive(t)
}

// Kill kills the server (kill -9): an outage until Revive.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
}

// Revive starts a killed server again on the same port and directory and
// returns once it answers PING.
func (s *Server) Revive(t testing.TB) {
	t.Helper()
	var err error
	for range startAttempts { // the port may linger for a moment
		if err = s.launch(); err == nil {
			return
		}
	}
	t.Fatalf("redistest: restart on %s: %v", s.Addr, err)
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before redis-server binds it; Start retries then.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitForPong sends PING until the server answers PONG, the process exits,
// or startTimeout passes. Each attempt is bounded; the pause between them
// only paces the retries.
func waitForPong(s *Server) error {
	addr := s.Addr
	deadline := time.Now().Add(startTimeout)
	for {
		if err := ping(addr, deadline); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("no PONG from %s within %v: %w", addr, startTimeout, err)
		}
		select {
		case <-s.exited:
			return fmt.Errorf("redis-server exited before answering: %v", s.waitErr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// ping speaks just enough RESP to see the server answer.
func ping(addr string, deadline time.Time) error {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("answer %q", line)
	}
	return nil
}
