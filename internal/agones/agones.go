// agones.go — the SDK client: where the sidecar is (FromEnv, New), the
// options and their defaults, and the lifecycle calls Ready, Health,
// Allocate and Shutdown. gameserver.go reads the GameServer record;
// health.go keeps pinging /health.

package agones

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

const (
	// EnvHTTPPort is the variable in which Agones tells the game server
	// the sidecar's REST port.
	EnvHTTPPort = "AGONES_SDK_HTTP_PORT"

	// DefaultTimeout bounds one request to the sidecar.
	DefaultTimeout = 5 * time.Second
	// DefaultHealthInterval is how often KeepHealthy pings /health. It must
	// be well under the fleet's health.periodSeconds (deploy/fleet.yaml
	// says 5 s), so one late ping does not count as a failure.
	DefaultHealthInterval = 2 * time.Second
	// DefaultRetryInterval is how often WaitGameServer asks again while
	// the sidecar does not answer.
	DefaultRetryInterval = 500 * time.Millisecond

	// maxResponseBytes bounds what is read of any answer: a GameServer
	// record is a few KiB.
	maxResponseBytes = 1 << 20
	// snippetBytes is how much of an error answer's body goes into the
	// error.
	snippetBytes = 256
)

// Options configure an SDK. The zero value is ready to use; each zero field
// takes the default named beside it (see withDefaults).
type Options struct {
	// Timeout bounds each request; 0 means DefaultTimeout.
	Timeout time.Duration
	// HealthInterval is KeepHealthy's period; 0 means DefaultHealthInterval.
	HealthInterval time.Duration
	// RetryInterval is WaitGameServer's period; 0 means DefaultRetryInterval.
	RetryInterval time.Duration
	// Logger receives KeepHealthy's and WaitGameServer's reports; nil means
	// slog.Default().
	Logger *slog.Logger
	// Client makes the requests; nil means a client of its own with
	// Timeout. A given client keeps its own timeout, and each request is
	// still bounded by Timeout through its context.
	Client *http.Client
}

// withDefaults fills every zero field of o with its default: the one place
// where the defaults are applied.
func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HealthInterval <= 0 {
		o.HealthInterval = DefaultHealthInterval
	}
	if o.RetryInterval <= 0 {
		o.RetryInterval = DefaultRetryInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.Timeout}
	}
	return o
}

// SDK talks to the Agones SDK sidecar over its REST API. Its methods may be
// called from any goroutine, at the same time.
type SDK struct {
	base string // http://host:port, without a trailing slash
	opts Options
	err  error // when set, every call fails with it (a bad EnvHTTPPort)
}

// New returns an SDK for the sidecar at baseURL, e.g. http://localhost:9358
// (tests pass an agonestest server's URL).
func New(baseURL string, opts Options) *SDK {
	return &SDK{base: strings.TrimRight(baseURL, "/"), opts: opts.withDefaults()}
}

// FromEnv returns an SDK for the sidecar at http://localhost:$AGONES_SDK_HTTP_PORT,
// with the default Options, and true; or nil and false when the variable is
// unset or empty: the process is not running under Agones. When the
// variable is set but is not a port number, FromEnv still returns true, and
// every call of the SDK returns an error that names the variable, so the
// mistake surfaces at the first Ready instead of being taken for "not under
// Agones". To set Options, use New(EnvURL()).
func FromEnv() (*SDK, bool) {
	url, ok, err := EnvURL()
	if !ok {
		return nil, false
	}
	s := New(url, Options{})
	s.err = err
	return s, true
}

// EnvURL is the sidecar's base URL from $AGONES_SDK_HTTP_PORT, whether the
// variable is set, and an error when it is set to something that is not a
// port number.
func EnvURL() (url string, ok bool, err error) {
	v := strings.TrimSpace(os.Getenv(EnvHTTPPort))
	if v == "" {
		return "", false, nil
	}
	port, err := strconv.Atoi(v)
	if err != nil || port < 1 || port > 65535 {
		return "", true, fmt.Errorf("agones: %s=%q is not a port number", EnvHTTPPort, v)
	}
	return "http://localhost:" + strconv.Itoa(port), true, nil
}

// URL is the sidecar's base URL.
func (s *SDK) URL() string { return s.base }

// Ready tells Agones that the game server takes players: the GameServer
// moves to Ready (POST /ready).
func (s *SDK) Ready(ctx context.Context) error { return s.post(ctx, "/ready") }

// Health tells Agones that the game server is alive (POST /health). Agones
// marks the GameServer Unhealthy when no ping came for
// health.failureThreshold periods; KeepHealthy sends them.
func (s *SDK) Health(ctx context.Context) error { return s.post(ctx, "/health") }

// Allocate marks the GameServer Allocated (POST /allocate): Agones then
// neither deletes it when the fleet scales down nor replaces it in a
// rolling update, until it shuts down.
func (s *SDK) Allocate(ctx context.Context) error { return s.post(ctx, "/allocate") }

// Shutdown tells Agones that the game server is done (POST /shutdown): the
// GameServer moves to Shutdown and its pod is deleted.
func (s *SDK) Shutdown(ctx context.Context) error { return s.post(ctx, "/shutdown") }

// StatusError is the answer of the sidecar when it is not 200 OK.
type StatusError struct {
	Method string // GET or POST
	Path   string // e.g. /ready
	Code   int    // the HTTP status code
	Body   string // the start of the answer's body, at most 256 bytes
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("agones: %s %s: %d %s", e.Method, e.Path, e.Code, http.StatusText(e.Code))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// emptyBody is what every POST carries: the SDK's Empty message.
var emptyBody = []byte("{}")

// post sends {} to path and wants 200.
func (s *SDK) post(ctx context.Context, path string) error {
	_, err := s.do(ctx, http.MethodPost, path)
	return err
}

// do makes one request and returns the body of a 200 answer, read up to
// maxResponseBytes. Errors carry the package, the method and the path.
func (s *SDK) do(ctx context.Context, method, path string) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	var body io.Reader
	if method == http.MethodPost {
		body = bytes.NewReader(emptyBody)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("agones: %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("agones: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Method: method, Path: path, Code: resp.StatusCode, Body: snippet(data)}
	}
	if err != nil {
		return nil, fmt.Errorf("agones: %s %s: reading the answer: %w", method, path, err)
	}
	if len(data) > maxResponseBytes {
		return nil, fmt.Errorf("agones: %s %s: answer over %d bytes", method, path, maxResponseBytes)
	}
	return data, nil
}

// snippet is the start of an error body, on one line, for an error message.
func snippet(b []byte) string {
	cut := len(b) > snippetBytes
	if cut {
		b = b[:snippetBytes]
	}
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "�")), " ")
	if cut {
		s += "…"
	}
	return s
}
