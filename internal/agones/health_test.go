// health_test.go — KeepHealthy pings at once, keeps pinging until its
// context ends, survives failures, and logs a failing run once and its end
// once.

package agones_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"skirmish/internal/agones"
	"skirmish/internal/agones/agonestest"
	"skirmish/internal/testkit"
)

func TestKeepHealthyPingsUntilCanceled(t *testing.T) {
	sidecar := agonestest.Start(t)
	sdk := agones.New(sidecar.URL(), agones.Options{HealthInterval: 5 * time.Millisecond, Logger: testkit.Quiet()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		sdk.KeepHealthy(ctx)
	}()
	if err := sidecar.WaitFor(testContext(t), "/health", 5); err != nil {
		cancel()
		t.Fatal(err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(bound):
		t.Fatalf("KeepHealthy still runs %v after its context ended", bound)
	}
	for _, c := range sidecar.Calls() {
		if c.Method != http.MethodPost || c.Path != "/health" || c.Body != "{}" {
			t.Errorf("KeepHealthy sent %s %s %q; want POST /health {}", c.Method, c.Path, c.Body)
		}
	}
}

func TestKeepHealthyPingsAtOnce(t *testing.T) {
	sidecar := agonestest.Start(t)
	// With an hour between ticks, a ping within the bound is the first one.
	sdk := agones.New(sidecar.URL(), agones.Options{HealthInterval: time.Hour, Logger: testkit.Quiet()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go sdk.KeepHealthy(ctx)
	if err := sidecar.WaitFor(testContext(t), "/health", 1); err != nil {
		t.Fatalf("no ping before the first tick: %v", err)
	}
}

func TestKeepHealthyLogsFailureAndRecovery(t *testing.T) {
	sidecar := agonestest.Start(t)
	sidecar.Fail("/health", http.StatusInternalServerError)
	logs := newLogRecorder()
	sdk := agones.New(sidecar.URL(), agones.Options{HealthInterval: 5 * time.Millisecond, Logger: slog.New(logs)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		sdk.KeepHealthy(ctx)
	}()
	defer func() { cancel(); <-done }()
	wait := testContext(t)

	// Failing: it keeps pinging, and says so once.
	if err := sidecar.WaitFor(wait, "/health", 5); err != nil {
		t.Fatal(err)
	}
	if err := logs.waitFor(wait, slog.LevelWarn, "health ping failed", 1); err != nil {
		t.Fatal(err)
	}
	// Working again: it says so once, and goes on pinging.
	sidecar.Fail("/health", 0)
	if err := logs.waitFor(wait, slog.LevelInfo, "health ping works again", 1); err != nil {
		t.Fatal(err)
	}
	if err := sidecar.WaitFor(wait, "/health", sidecar.Count("/health")+3); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	if n := logs.count(slog.LevelWarn, "health ping failed"); n != 1 {
		t.Errorf("%d failure logs for one failing run; want 1", n)
	}
	if n := logs.count(slog.LevelInfo, "health ping works again"); n != 1 {
		t.Errorf("%d recovery logs; want 1", n)
	}
	if n := logs.count(slog.LevelWarn, ""); n != 1 {
		t.Errorf("%d warnings in all; want 1 (a canceled ping is not a failure)", n)
	}
}
