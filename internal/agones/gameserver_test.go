// gameserver_test.go — GET /gameserver decodes the sidecar's field names,
// WaitGameServer waits out a sidecar that starts late, and PublicURL picks
// the address and port players reach.

package agones_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"skirmish/internal/agones"
	"skirmish/internal/agones/agonestest"
	"skirmish/internal/testkit"
)

func TestGameServerDecodes(t *testing.T) {
	sidecar := agonestest.Start(t)
	sidecar.SetName("skirmish-node-x7k2p")
	sidecar.SetAddress("203.0.113.7")
	sidecar.SetPorts(agonestest.Port{Name: "default", Port: 7342}, agonestest.Port{Name: "metrics", Port: 7343})
	sdk := agones.New(sidecar.URL(), agones.Options{Logger: testkit.Quiet()})
	ctx := testContext(t)
	if err := sdk.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	gs, err := sdk.GameServer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if gs.ObjectMeta.Name != "skirmish-node-x7k2p" || gs.ObjectMeta.Namespace != "default" ||
		gs.ObjectMeta.Labels["agones.dev/fleet"] != "skirmish-node" {
		t.Errorf("object_meta decoded as %+v", gs.ObjectMeta)
	}
	if gs.Status.State != agones.StateReady || gs.Status.Address != "203.0.113.7" {
		t.Errorf("status decoded as state %q, address %q; want Ready, 203.0.113.7", gs.Status.State, gs.Status.Address)
	}
	want := []agones.Port{{Name: "default", Port: 7342}, {Name: "metrics", Port: 7343}}
	if len(gs.Status.Ports) != 2 || gs.Status.Ports[0] != want[0] || gs.Status.Ports[1] != want[1] {
		t.Errorf("status.ports decoded as %+v, want %+v", gs.Status.Ports, want)
	}
	if h := gs.Spec.Health; h.PeriodSeconds != 5 || h.FailureThreshold != 3 || h.InitialDelaySeconds != 5 || h.Disabled {
		t.Errorf("spec.health decoded as %+v", h)
	}
	calls := sidecar.Calls()
	if last := calls[len(calls)-1]; last.Method != http.MethodGet || last.Path != "/gameserver" || last.Body != "" {
		t.Errorf("GameServer sent %s %s with body %q; want GET /gameserver without a body", last.Method, last.Path, last.Body)
	}
}

// TestGameServerDecodesGatewayJSON feeds the decoder a record written by
// hand in the sidecar's format rather than by the stand-in, so a field name
// wrong in both would still be caught: proto names, int64 as strings,
// unpopulated fields present.
func TestGameServerDecodesGatewayJSON(t *testing.T) {
	const record = `{
  "object_meta": {"name": "skirmish-node-abcde", "namespace": "games", "uid": "5d0c", "resource_version": "812",
    "generation": "2", "creation_timestamp": "1764000000", "deletion_timestamp": "0",
    "annotations": {}, "labels": {"agones.dev/fleet": "skirmish-node"}},
  "spec": {"health": {"disabled": false, "period_seconds": 5, "failure_threshold": 3, "initial_delay_seconds": 10}},
  "status": {"state": "Allocated", "address": "198.51.100.23", "ports": [{"name": "default", "port": 7061}], "players": null}
}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(record))
	}))
	t.Cleanup(srv.Close)
	gs, err := agones.New(srv.URL, agones.Options{Logger: testkit.Quiet()}).GameServer(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if gs.ObjectMeta.Name != "skirmish-node-abcde" || gs.ObjectMeta.Namespace != "games" || gs.Status.State != agones.StateAllocated ||
		gs.Status.Address != "198.51.100.23" || len(gs.Status.Ports) != 1 || gs.Status.Ports[0].Port != 7061 ||
		gs.Spec.Health.InitialDelaySeconds != 10 {
		t.Errorf("decoded %+v", gs)
	}
	if u, err := agones.PublicURL(gs, "/ws"); err != nil || u != "ws://198.51.100.23:7061/ws" {
		t.Errorf("PublicURL = %q, %v; want ws://198.51.100.23:7061/ws", u, err)
	}
}

func TestWaitGameServer(t *testing.T) {
	sidecar := agonestest.Start(t)
	sidecar.Fail("/gameserver", http.StatusServiceUnavailable) // not up yet
	logs := newLogRecorder()
	sdk := agones.New(sidecar.URL(), agones.Options{RetryInterval: 5 * time.Millisecond, Logger: slog.New(logs)})
	ctx := testContext(t)
	type result struct {
		gs  agones.GameServer
		err error
	}
	done := make(chan result, 1)
	go func() {
		gs, err := sdk.WaitGameServer(ctx)
		done <- result{gs, err}
	}()
	if err := sidecar.WaitFor(ctx, "/gameserver", 3); err != nil {
		t.Fatal(err)
	}
	sidecar.Fail("/gameserver", 0) // up now
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		t.Fatal("WaitGameServer did not return once the sidecar answered")
	}
	if r.err != nil || r.gs.ObjectMeta.Name != "local" {
		t.Fatalf("WaitGameServer = %+v, %v; want the stand-in's record", r.gs.ObjectMeta, r.err)
	}
	if n := logs.count(slog.LevelInfo, "waiting for the SDK sidecar"); n != 1 {
		t.Errorf("%d 'waiting' logs for %d tries; want 1", n, sidecar.Count("/gameserver"))
	}
}

func TestWaitGameServerGivesUp(t *testing.T) {
	sidecar := agonestest.Start(t)
	sidecar.Fail("/gameserver", http.StatusServiceUnavailable)
	sdk := agones.New(sidecar.URL(), agones.Options{RetryInterval: 5 * time.Millisecond, Logger: testkit.Quiet()})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := sdk.WaitGameServer(ctx)
	var se *agones.StatusError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &se) || se.Code != http.StatusServiceUnavailable {
		t.Errorf("WaitGameServer on a sidecar that never answers: %v; want the deadline and the last 503", err)
	}
}

func TestPublicURL(t *testing.T) {
	gs := func(address string, ports ...agones.Port) agones.GameServer {
		var g agones.GameServer
		g.ObjectMeta.Name = "n1"
		g.Status.Address = address
		g.Status.Ports = ports
		return g
	}
	tests := []struct {
		name    string
		gs      agones.GameServer
		path    string
		want    string
		wantErr bool
	}{
		{"first port", gs("203.0.113.7", agones.Port{Name: "game", Port: 7042}), "/ws", "ws://203.0.113.7:7042/ws", false},
		{"default port wins", gs("203.0.113.7", agones.Port{Name: "metrics", Port: 7001}, agones.Port{Name: "default", Port: 7002}), "/ws", "ws://203.0.113.7:7002/ws", false},
		{"path without slash", gs("node.example.com", agones.Port{Name: "default", Port: 7003}), "ws", "ws://node.example.com:7003/ws", false},
		{"IPv6", gs("2001:db8::7", agones.Port{Name: "default", Port: 7004}), "/ws", "ws://[2001:db8::7]:7004/ws", false},
		{"no address", gs("", agones.Port{Name: "default", Port: 7005}), "/ws", "", true},
		{"no ports", gs("203.0.113.7"), "/ws", "", true},
		{"port zero", gs("203.0.113.7", agones.Port{Name: "default"}), "/ws", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := agones.PublicURL(tt.gs, tt.path)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("PublicURL = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
