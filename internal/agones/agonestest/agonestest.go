// agonestest.go — the stand-in sidecar: its HTTP handler, the calls it
// records and the waits on them, and the GameServer record it hands out.
// internal/agones is the client it stands in for the sidecar of.

package agonestest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The stand-in's first GameServer record: the sidecar's local mode's.
const (
	defaultName    = "local"
	defaultAddress = "127.0.0.1"
	defaultPort    = 7777
	// maxBody bounds what is read and kept of a request's body.
	maxBody = 4 << 10
)

// Call is one request the stand-in received.
type Call struct {
	Method      string    // GET, POST…
	Path        string    // e.g. /health
	ContentType string    // the Content-Type header
	Body        string    // the body, up to 4 KiB
	Time        time.Time // when it arrived
}

// Port is one of the GameServer's ports.
type Port struct {
	Name string
	Port int
}

// Server is a running stand-in. Its methods may be called from any
// goroutine.
type Server struct {
	http *httptest.Server

	mu      sync.Mutex
	calls   []Call
	changed chan struct{} // closed, and replaced, at every call: WaitFor's wake-up
	state   string
	name    string
	address string
	ports   []Port
	fail    map[string]int // path ("" for every path) → the status to answer
}

// New starts a stand-in on a free 127.0.0.1 port. Close it when done.
func New() *Server {
	s := &Server{
		changed: make(chan struct{}),
		state:   "Scheduled",
		name:    defaultName,
		address: defaultAddress,
		ports:   []Port{{Name: "default", Port: defaultPort}},
		fail:    map[string]int{},
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Start is New for a test: the stand-in closes when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := New()
	t.Cleanup(s.Close)
	return s
}

// URL is the stand-in's base URL, http://127.0.0.1:PORT, for agones.New.
func (s *Server) URL() string { return s.http.URL }

// Port is the stand-in's port, for AGONES_SDK_HTTP_PORT.
func (s *Server) Port() int { return s.http.Listener.Addr().(*net.TCPAddr).Port }

// Close stops the stand-in and waits for the requests in flight.
func (s *Server) Close() { s.http.Close() }

// SetName sets the record's object_meta.name.
func (s *Server) SetName(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.name = name
}

// SetAddress sets the record's status.address.
func (s *Server) SetAddress(address string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.address = address
}

// SetPorts sets the record's status.ports; none leaves it without ports.
func (s *Server) SetPorts(ports ...Port) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ports = append([]Port(nil), ports...)
}

// Fail makes requests to path answer status, with a JSON error body and
// without changing the state; path "" means every path. Status 0 ends it.
func (s *Server) Fail(path string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == 0 {
		delete(s.fail, path)
		return
	}
	s.fail[path] = status
}

// State is the record's status.state: Scheduled, Ready, Allocated or Shutdown.
func (s *Server) State() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Calls returns every request so far, in the order they arrived.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Count is how many requests to path arrived so far, whatever their method.
func (s *Server) Count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.countLocked(path)
}

func (s *Server) countLocked(path string) int {
	n := 0
	for _, c := range s.calls {
		if c.Path == path {
			n++
		}
	}
	return n
}

// WaitFor returns once n requests to path have arrived, or an error saying
// how many did once ctx ends. Give ctx a deadline: that is the bound.
func (s *Server) WaitFor(ctx context.Context, path string, n int) error {
	for {
		s.mu.Lock()
		got, changed := s.countLocked(path), s.changed
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("agonestest: waited for %d requests to %s, got %d: %w", n, path, got, ctx.Err())
		case <-changed:
		}
	}
}

// serve records the request, then answers it.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	a := s.handle(Call{
		Method:      r.Method,
		Path:        r.URL.Path,
		ContentType: r.Header.Get("Content-Type"),
		Body:        string(body),
		Time:        time.Now(),
	})
	if a.allow != "" {
		w.Header().Set("Allow", a.allow)
	}
	if a.body == nil { // the sidecar's bare 400 for a /health without a body
		w.WriteHeader(a.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(a.body)
}

// answer is what serve writes back.
type answer struct {
	status int
	body   any    // JSON; nil: no body
	allow  string // the Allow header, for a 405
}

// handle records c, moves the state, and says what to answer.
func (s *Server) handle(c Call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	close(s.changed)
	s.changed = make(chan struct{})

	method, known := endpoints[c.Path]
	switch {
	case !known:
		return errorAnswer(http.StatusNotFound, "Not Found")
	case c.Method != method:
		a := errorAnswer(http.StatusMethodNotAllowed, "Method Not Allowed")
		a.allow = method
		return a
	}
	if code, ok := s.fail[c.Path]; ok {
		return errorAnswer(code, "agonestest: "+c.Path+" fails on purpose")
	}
	if code, ok := s.fail[""]; ok {
		return errorAnswer(code, "agonestest: every path fails on purpose")
	}
	if method == http.MethodPost {
		// The sidecar answers a /health without a body with a bare 400,
		// and any POST whose body is not JSON with 400.
		var obj map[string]any
		if c.Body == "" && c.Path == "/health" {
			return answer{status: http.StatusBadRequest}
		}
		if c.Body != "" && json.Unmarshal([]byte(c.Body), &obj) != nil {
			return errorAnswer(http.StatusBadRequest, "agonestest: the body is not a JSON object")
		}
	}
	switch c.Path {
	case "/ready":
		s.setState("Ready")
	case "/allocate":
		s.setState("Allocated")
	case "/shutdown":
		s.setState("Shutdown")
	case "/gameserver":
		return answer{status: http.StatusOK, body: s.recordLocked()}
	}
	return answer{status: http.StatusOK, body: struct{}{}}
}

// endpoints are the paths the stand-in knows, with their methods.
var endpoints = map[string]string{
	"/ready":      http.MethodPost,
	"/health":     http.MethodPost,
	"/allocate":   http.MethodPost,
	"/shutdown":   http.MethodPost,
	"/gameserver": http.MethodGet,
}

// setState moves to state, except out of Shutdown, which is for good.
// The caller holds s.mu.
func (s *Server) setState(state string) {
	if s.state != "Shutdown" {
		s.state = state
	}
}

// record is the GameServer as the sidecar's gateway writes it: the proto
// field names, every field present, int64 fields as strings.
type record struct {
	ObjectMeta struct {
		Name              string            `json:"name"`
		Namespace         string            `json:"namespace"`
		UID               string            `json:"uid"`
		ResourceVersion   string            `json:"resource_version"`
		Generation        string            `json:"generation"`
		CreationTimestamp string            `json:"creation_timestamp"`
		DeletionTimestamp string            `json:"deletion_timestamp"`
		Annotations       map[string]string `json:"annotations"`
		Labels            map[string]string `json:"labels"`
	} `json:"object_meta"`
	Spec struct {
		Health struct {
			Disabled            bool `json:"disabled"`
			PeriodSeconds       int  `json:"period_seconds"`
			FailureThreshold    int  `json:"failure_threshold"`
			InitialDelaySeconds int  `json:"initial_delay_seconds"`
		} `json:"health"`
	} `json:"spec"`
	Status struct {
		State   string       `json:"state"`
		Address string       `json:"address"`
		Ports   []recordPort `json:"ports"`
		Players *struct{}    `json:"players"` // null: player tracking is off
	} `json:"status"`
}

type recordPort struct {
	Name string `json:"name"`
	Port int    `json:"port"`
}

// recordLocked builds the current record. The caller holds s.mu.
func (s *Server) recordLocked() record {
	var r record
	m := &r.ObjectMeta
	m.Name, m.Namespace, m.UID = s.name, "default", "00000000-0000-4000-8000-000000000001"
	m.ResourceVersion, m.Generation, m.CreationTimestamp, m.DeletionTimestamp = "1", "1", "1700000000", "0"
	m.Annotations, m.Labels = map[string]string{}, map[string]string{"agones.dev/fleet": "skirmish-node"}
	h := &r.Spec.Health
	h.PeriodSeconds, h.FailureThreshold, h.InitialDelaySeconds = 5, 3, 5
	r.Status.State, r.Status.Address = s.state, s.address
	r.Status.Ports = []recordPort{}
	for _, p := range s.ports {
		r.Status.Ports = append(r.Status.Ports, recordPort(p))
	}
	return r
}

// errorAnswer is status with a gateway-style error body.
func errorAnswer(status int, msg string) answer {
	return answer{status: status, body: map[string]any{"code": grpcCode(status), "message": msg, "details": []any{}}}
}

// grpcCode is the gRPC code the gateway pairs with an HTTP status.
func grpcCode(status int) int {
	switch status {
	case http.StatusBadRequest:
		return 3 // InvalidArgument
	case http.StatusNotFound:
		return 5 // NotFound
	case http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return 12 // Unimplemented
	case http.StatusServiceUnavailable:
		return 14 // Unavailable
	default:
		return 13 // Internal
	}
}

// String describes the calls so far, one per line, for failure messages.
func (s *Server) String() string {
	var b strings.Builder
	for _, c := range s.Calls() {
		fmt.Fprintf(&b, "%s %s %s %q\n", c.Time.Format("15:04:05.000"), c.Method, c.Path, c.Body)
	}
	return b.String()
}
