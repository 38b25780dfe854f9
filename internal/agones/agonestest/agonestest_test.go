// agonestest_test.go — the stand-in answers the five endpoints, moves the
// state with the calls, refuses what the sidecar refuses, records every
// request in order, fails on demand, and WaitFor waits with a bound.

package agonestest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"skirmish/internal/agones/agonestest"
)

const bound = 10 * time.Second

func TestStateFollowsCalls(t *testing.T) {
	s := agonestest.Start(t)
	if got := stateOf(t, s); got != "Scheduled" {
		t.Fatalf("first state %q, want Scheduled", got)
	}
	for _, step := range []struct{ path, want string }{
		{"/health", "Scheduled"},
		{"/ready", "Ready"},
		{"/allocate", "Allocated"},
		{"/ready", "Ready"}, // Agones lets an allocated server be Ready again
		{"/shutdown", "Shutdown"},
		{"/ready", "Shutdown"}, // for good
		{"/allocate", "Shutdown"},
	} {
		if code, body := post(t, s, step.path, "{}"); code != 200 || body != "{}" {
			t.Fatalf("POST %s: %d %q, want 200 {}", step.path, code, body)
		}
		if got := stateOf(t, s); got != step.want || s.State() != step.want {
			t.Errorf("after POST %s: GET /gameserver says %q, State() %q; want %q", step.path, got, s.State(), step.want)
		}
	}
}

func TestRecordFormat(t *testing.T) {
	s := agonestest.Start(t)
	s.SetName("n-1")
	s.SetAddress("192.0.2.9")
	s.SetPorts(agonestest.Port{Name: "default", Port: 7100})
	resp, err := http.Get(s.URL() + "/gameserver")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var raw map[string]map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	// The gateway's field names, and int64 fields as strings.
	if raw["object_meta"]["name"] != "n-1" || raw["object_meta"]["generation"] != "1" || raw["status"]["address"] != "192.0.2.9" {
		t.Errorf("record %v", raw)
	}
	ports, _ := raw["status"]["ports"].([]any)
	if len(ports) != 1 || ports[0].(map[string]any)["port"] != float64(7100) || ports[0].(map[string]any)["name"] != "default" {
		t.Errorf("status.ports %v, want [{default 7100}]", raw["status"]["ports"])
	}
	s.SetPorts()
	if got := getJSON(t, s)["status"]["ports"]; got == nil || len(got.([]any)) != 0 {
		t.Errorf("status.ports without ports: %v, want []", got)
	}
}

func TestRefusals(t *testing.T) {
	s := agonestest.Start(t)
	if code, _ := post(t, s, "/nope", "{}"); code != http.StatusNotFound {
		t.Errorf("POST /nope: %d, want 404", code)
	}
	resp, err := http.Get(s.URL() + "/ready")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET /ready: %d, Allow %q; want 405, POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if code, _ := post(t, s, "/health", ""); code != http.StatusBadRequest {
		t.Errorf("POST /health without a body: %d, want 400 as from the sidecar", code)
	}
	if code, _ := post(t, s, "/ready", "{nope"); code != http.StatusBadRequest {
		t.Errorf("POST /ready with a body that is not JSON: %d, want 400", code)
	}
	if s.State() != "Scheduled" {
		t.Errorf("refused calls moved the state to %q", s.State())
	}
	// Every request is recorded, in order, refused or not.
	var got []string
	for _, c := range s.Calls() {
		got = append(got, c.Method+" "+c.Path+" "+strconv.Quote(c.Body))
	}
	want := []string{`POST /nope "{}"`, `GET /ready ""`, `POST /health ""`, `POST /ready "{nope"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Calls():\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Count("/ready") != 2 || s.Count("/health") != 1 || s.Count("/allocate") != 0 {
		t.Errorf("Count: /ready %d, /health %d, /allocate %d; want 2, 1, 0", s.Count("/ready"), s.Count("/health"), s.Count("/allocate"))
	}
}

func TestFail(t *testing.T) {
	s := agonestest.Start(t)
	s.Fail("/ready", http.StatusInternalServerError)
	if code, body := post(t, s, "/ready", "{}"); code != 500 || !strings.Contains(body, "fails on purpose") {
		t.Errorf("failing /ready: %d %q", code, body)
	}
	if code, _ := post(t, s, "/health", "{}"); code != 200 {
		t.Errorf("/health while /ready fails: %d, want 200", code)
	}
	s.Fail("", http.StatusServiceUnavailable)
	if code, _ := post(t, s, "/allocate", "{}"); code != 503 {
		t.Errorf("/allocate while every path fails: %d, want 503", code)
	}
	s.Fail("", 0)
	s.Fail("/ready", 0)
	if code, _ := post(t, s, "/ready", "{}"); code != 200 || s.State() != "Ready" {
		t.Errorf("/ready after failing stops: %d, state %q", code, s.State())
	}
}

func TestWaitFor(t *testing.T) {
	s := agonestest.Start(t)
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := s.WaitFor(short, "/ready", 1)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "got 0") {
		t.Errorf("WaitFor with no call: %v; want the deadline and the count", err)
	}

	ctx, cancel2 := context.WithTimeout(context.Background(), bound)
	defer cancel2()
	errc := make(chan error, 1)
	go func() { errc <- s.WaitFor(ctx, "/health", 3) }()
	for range 3 {
		post(t, s, "/health", "{}")
	}
	if err := <-errc; err != nil {
		t.Errorf("WaitFor 3 after 3 calls: %v", err)
	}
	if err := s.WaitFor(ctx, "/health", 2); err != nil {
		t.Errorf("WaitFor fewer than there were: %v", err)
	}
}

func TestPortAndClose(t *testing.T) {
	var url string
	t.Run("running", func(t *testing.T) {
		s := agonestest.Start(t)
		url = s.URL()
		if want := "http://127.0.0.1:" + strconv.Itoa(s.Port()); url != want {
			t.Errorf("URL %q, Port %d: want %q", url, s.Port(), want)
		}
	})
	if _, err := http.Post(url+"/ready", "application/json", strings.NewReader("{}")); err == nil {
		t.Errorf("the stand-in at %s still answers after its test ended", url)
	}
}

func post(t *testing.T, s *agonestest.Server, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		req.Body = http.NoBody
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func getJSON(t *testing.T, s *agonestest.Server) map[string]map[string]any {
	t.Helper()
	resp, err := http.Get(s.URL() + "/gameserver")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw map[string]map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	return raw
}

func stateOf(t *testing.T, s *agonestest.Server) string {
	t.Helper()
	st, _ := getJSON(t, s)["status"]["state"].(string)
	return st
}
