// gameserver.go — the GameServer record as the sidecar's GET /gameserver
// gives it, the start-up wait for the sidecar, and the public address
// players reach the node at. agones.go makes the requests.

package agones

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultPortName is the name Agones gives a GameServer's port when the
// fleet does not name it; PublicURL prefers the port of this name.
const DefaultPortName = "default"

// State is a GameServer's state as Agones reports it.
type State string

// The states a game server sees from inside (Agones has a few more, such as
// Creating and Starting, that end before the game server runs).
const (
	StateScheduled    State = "Scheduled"    // the pod is placed; Ready not called yet
	StateRequestReady State = "RequestReady" // Ready called; Agones not caught up yet
	StateReady        State = "Ready"        // takes players; may be deleted on scale-down
	StateReserved     State = "Reserved"     // held for a while (POST /reserve, unused here)
	StateAllocated    State = "Allocated"    // in use: kept through scale-down and rollouts
	StateShutdown     State = "Shutdown"     // Shutdown called; about to be deleted
	StateUnhealthy    State = "Unhealthy"    // missed its health pings; to be replaced
)

// GameServer is the part of the sidecar's GameServer record that Skirmish
// reads. The JSON names are the SDK proto's field names (the REST gateway
// marshals with them): object_meta, status.ports[].port. Fields the
// record has and this type lacks (generation, creation_timestamp…) are
// ignored.
type GameServer struct {
	ObjectMeta ObjectMeta `json:"object_meta"`
	Spec       Spec       `json:"spec"`
	Status     Status     `json:"status"`
}

// ObjectMeta is the GameServer's Kubernetes metadata.
type ObjectMeta struct {
	Name        string            `json:"name"` // the GameServer's (and its pod's) name
	Namespace   string            `json:"namespace"`
	UID         string            `json:"uid"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// Spec is the part of the GameServer's spec the SDK exposes.
type Spec struct {
	Health Health `json:"health"`
}

// Health is the fleet's health-check configuration: Agones marks the
// GameServer Unhealthy after FailureThreshold periods of PeriodSeconds
// without a ping, counting from InitialDelaySeconds after start.
type Health struct {
	Disabled            bool `json:"disabled"`
	PeriodSeconds       int  `json:"period_seconds"`
	FailureThreshold    int  `json:"failure_threshold"`
	InitialDelaySeconds int  `json:"initial_delay_seconds"`
}

// Status is where the GameServer is and what state it is in.
type Status struct {
	State   State  `json:"state"`
	Address string `json:"address"` // the node's external address (an IP or a DNS name)
	Ports   []Port `json:"ports"`   // the host ports Agones gave the fleet's container ports
}

// Port is one of the GameServer's public ports.
type Port struct {
	Name string `json:"name"`
	Port int    `json:"port"`
}

// GameServer returns the sidecar's current GameServer record (GET /gameserver).
func (s *SDK) GameServer(ctx context.Context) (GameServer, error) {
	data, err := s.do(ctx, http.MethodGet, "/gameserver")
	if err != nil {
		return GameServer{}, err
	}
	var gs GameServer
	if err := json.Unmarshal(data, &gs); err != nil {
		return GameServer{}, fmt.Errorf("agones: GET /gameserver: %w", err)
	}
	return gs, nil
}

// WaitGameServer asks for the GameServer record every RetryInterval until
// the sidecar answers, and returns it; or returns ctx's error with the last
// failure once ctx ends. The sidecar may start after the game server, so a
// node calls this first. It logs the first failure, not every retry.
func (s *SDK) WaitGameServer(ctx context.Context) (GameServer, error) {
	var (
		timer  *time.Timer
		failed int   // answers that were failures
		last   error // the last of them
	)
	for ctx.Err() == nil {
		gs, err := s.GameServer(ctx)
		if err == nil {
			if failed > 0 {
				s.opts.Logger.Info("agones: the SDK sidecar answers", "failed", failed)
			}
			return gs, nil
		}
		if ctx.Err() != nil {
			break // cut short: not the sidecar's answer
		}
		if failed++; failed == 1 {
			s.opts.Logger.Info("agones: waiting for the SDK sidecar", "url", s.base, "err", err)
		}
		last = err
		if timer == nil {
			timer = time.NewTimer(s.opts.RetryInterval)
			defer timer.Stop()
		} else {
			timer.Reset(s.opts.RetryInterval)
		}
		select {
		case <-ctx.Done():
		case <-timer.C:
		}
	}
	if last == nil {
		return GameServer{}, fmt.Errorf("agones: no GameServer: %w", ctx.Err())
	}
	return GameServer{}, fmt.Errorf("agones: no GameServer after %d failed tries: %w (last: %w)", failed, ctx.Err(), last)
}

// PublicURL is the WebSocket URL players reach the game server at,
// ws://ADDRESS:PORT/path, from the GameServer's address and its port named
// "default", or its first port when none has that name. A path without a
// leading slash gets one. A node serving TLS builds its wss:// URL from
// Endpoint instead.
func PublicURL(gs GameServer, path string) (string, error) {
	hostport, err := Endpoint(gs)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u := url.URL{Scheme: "ws", Host: hostport, Path: path}
	return u.String(), nil
}

// Endpoint is the GameServer's public host:port (an IPv6 address in
// brackets), with the port PublicURL picks.
func Endpoint(gs GameServer) (string, error) {
	if gs.Status.Address == "" {
		return "", fmt.Errorf("agones: the GameServer %q has no address yet (state %q)", gs.ObjectMeta.Name, gs.Status.State)
	}
	if len(gs.Status.Ports) == 0 {
		return "", fmt.Errorf("agones: the GameServer %q has no port (its fleet declares none)", gs.ObjectMeta.Name)
	}
	p := gs.Status.Ports[0]
	for _, q := range gs.Status.Ports {
		if q.Name == DefaultPortName {
			p = q
			break
		}
	}
	if p.Port < 1 || p.Port > 65535 {
		return "", fmt.Errorf("agones: the GameServer %q has port %q = %d, not a port number", gs.ObjectMeta.Name, p.Name, p.Port)
	}
	return net.JoinHostPort(gs.Status.Address, strconv.Itoa(p.Port)), nil
}
