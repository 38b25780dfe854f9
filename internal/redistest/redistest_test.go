// redistest_test.go — Start gives a redis-server that answers and is gone
// when the test ends; without one, it skips, or fails under CI=true with
// the install command.

package redistest

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestStartServesAndStops(t *testing.T) {
	var addr string
	t.Run("running", func(t *testing.T) {
		srv := Start(t)
		addr = srv.Addr
		if !strings.HasPrefix(srv.Addr, "127.0.0.1:") || srv.URL() != "redis://"+srv.Addr+"/0" {
			t.Errorf("Addr %q, URL %q; want a loopback address and its redis:// URL", srv.Addr, srv.URL())
		}
		if err := ping(srv.Addr, time.Now().Add(5*time.Second)); err != nil {
			t.Errorf("PING: %v", err)
		}
	})
	if addr == "" {
		return // skipped: no redis-server here
	}
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after its test ended", addr)
	}
}

// fakeTB records how Start ends a test instead of ending it.
type fakeTB struct {
	testing.TB
	mu      sync.Mutex
	skipped string
	fatal   string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skip(args ...any) {
	f.mu.Lock()
	f.skipped = args[0].(string)
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeTB) Fatal(args ...any) {
	f.mu.Lock()
	f.fatal = args[0].(string)
	f.mu.Unlock()
	runtime.Goexit()
}

// startWithout runs Start with an empty PATH, as a machine without
// redis-server, and reports how it ended the test.
func startWithout(t *testing.T, ci string) *fakeTB {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CI", ci)
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(f)
	}()
	<-done
	return f
}

func TestMissingServerSkipsLocally(t *testing.T) {
	f := startWithout(t, "")
	if f.fatal != "" || !strings.Contains(f.skipped, "redis-server not found") {
		t.Errorf("skipped %q, failed %q; want a skip saying redis-server is missing", f.skipped, f.fatal)
	}
}

func TestMissingServerFailsInCI(t *testing.T) {
	f := startWithout(t, "true")
	if f.skipped != "" || !strings.Contains(f.fatal, "apt-get install -y redis-server") {
		t.Errorf("skipped %q, failed %q; want a failure with the install command", f.skipped, f.fatal)
	}
}

func TestRestartKeepsPersistentData(t *testing.T) {
	for _, persist := range []bool{true, false} {
		var srv *Server
		if persist {
			srv = StartPersistent(t)
		} else {
			srv = Start(t)
		}
		c := redis.NewClient(&redis.Options{Addr: srv.Addr})
		ctx := context.Background()
		if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		srv.Restart(t)
		got, err := c.Get(ctx, "k").Result() // the client reconnects by itself
		switch {
		case persist && (err != nil || got != "v"):
			t.Errorf("after a restart of a persistent server: %q, %v; want v", got, err)
		case !persist && !errors.Is(err, redis.Nil):
			t.Errorf("after a restart of a server without persistence: %q, %v; want nothing", got, err)
		}
		c.Close()
	}
}

// A redis-server that exits before it answers PING is an error from
// launch, with its output, not a hang.
func TestLaunchReportsAnEarlyExit(t *testing.T) {
	s := &Server{bin: "/bin/sh", dir: t.TempDir(), port: 1, Addr: "127.0.0.1:1"}
	done := make(chan error, 1)
	go func() { done <- s.launch() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "exited before answering") {
			t.Fatalf("launch of a process that exits at once: %v; want 'exited before answering'", err)
		}
	case <-time.After(startTimeout):
		t.Fatal("launch hung on a process that exited before answering PING")
	}
}
