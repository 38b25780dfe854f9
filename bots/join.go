// join.go — how a bot gets into a game: the lobby's POST /api/play (a new
// guest), or POST /api/login once and then POST /api/play as that player
// (the seat it holds, or a quick match; again after a server went away:
// session.go), a private room (opened, or joined by code), or the queue of
// a party (party.go: its leader queues it, each member waits for its
// seat); then the WebSocket dial with the ticket (bot.go takes over).
// RequestWatch is a spectator's way in.

package bots

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Assignment is the lobby's answer to /api/play.
type Assignment struct {
	Ticket    string `json:"ticket"`
	WSURL     string `json:"ws_url"`
	Room      string `json:"room"`
	PlayerID  string `json:"player_id"`
	ExpiresIn int64  `json:"expires_in"`
	Code      string `json:"code"` // a private room's join code; "" otherwise
}

// RequestPlay asks the lobby at baseURL (e.g. http://127.0.0.1:8080) for a
// seat under name.
func RequestPlay(ctx context.Context, hc *http.Client, baseURL, name string) (Assignment, error) {
	body, _ := json.Marshal(map[string]string{"name": name})
	return requestAssignment(ctx, hc, "play", baseURL+"/api/play", "", string(body))
}

// RequestWatch asks the lobby at baseURL for a spectator's ticket to the
// public room with the given id (POST /api/watch): an Assignment that
// takes no seat, whose connection is sent the room's snapshots and may
// send no input.
func RequestWatch(ctx context.Context, hc *http.Client, baseURL, room string) (Assignment, error) {
	body, _ := json.Marshal(map[string]string{"room": room})
	return requestAssignment(ctx, hc, "watch", baseURL+"/api/watch", "", string(body))
}

// requestAssignment POSTs body to url (with token, if any) and reads the
// Assignment the lobby answers; errors say what was asked.
func requestAssignment(ctx context.Context, hc *http.Client, what, url, token, body string) (Assignment, error) {
	var a Assignment
	raw, err := lobbyCall(ctx, hc, http.MethodPost, url, token, body, http.StatusOK)
	if err != nil {
		return a, fmt.Errorf("bots: %s: %w", what, err)
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("bots: %s: %w", what, err)
	}
	return a, nil
}

// DialURL is the WebSocket URL with the ticket attached.
func (a Assignment) DialURL() string {
	return a.WSURL + "?ticket=" + url.QueryEscape(a.Ticket)
}

// requestSeat gets the bot a seat: as a new guest, or as the player of
// opts.Token: in a private room, through its party's queue, or
// RequestPlayAs; or, with opts.Watch, a spectator's ticket.
func requestSeat(ctx context.Context, hc *http.Client, opts Options) (Assignment, error) {
	switch {
	case opts.Watch != "":
		return RequestWatch(ctx, hc, opts.BaseURL, opts.Watch)
	case opts.Token == "":
		return RequestPlay(ctx, hc, opts.BaseURL, opts.Name)
	case opts.Room != "":
		return requestRoom(ctx, hc, opts)
	case opts.Leads:
		if _, err := lobbyCall(ctx, hc, http.MethodPost, opts.BaseURL+"/api/queue", opts.Token, `{}`, http.StatusAccepted); err != nil {
			return Assignment{}, fmt.Errorf("bots: queue: %w", err)
		}
		return awaitSeat(ctx, hc, opts)
	case opts.Led:
		return awaitSeat(ctx, hc, opts)
	}
	return RequestPlayAs(ctx, hc, opts.BaseURL, opts.Token)
}

// requestRoom seats the player of opts.Token in a private room: a new one
// (NewRoom), or the one whose code opts.Room is.
func requestRoom(ctx context.Context, hc *http.Client, opts Options) (Assignment, error) {
	path, body, want := "/api/rooms/join", `{"code":"`+opts.Room+`"}`, http.StatusOK
	if opts.Room == NewRoom {
		path, body, want = "/api/rooms", `{}`, http.StatusCreated
	}
	raw, err := lobbyCall(ctx, hc, http.MethodPost, opts.BaseURL+path, opts.Token, body, want)
	if err != nil {
		return Assignment{}, fmt.Errorf("bots: private room: %w", err)
	}
	var a Assignment
	if err := json.Unmarshal(raw, &a); err != nil {
		return Assignment{}, fmt.Errorf("bots: private room: %w", err)
	}
	return a, nil
}

// awaitSeat waits for the seat the queue gives the player of opts.Token
// (GET /api/queue's long poll): queued by itself, or by its party's
// leader.
func awaitSeat(ctx context.Context, hc *http.Client, opts Options) (Assignment, error) {
	for {
		raw, err := lobbyCall(ctx, hc, http.MethodGet, opts.BaseURL+"/api/queue?wait=5", opts.Token, "", http.StatusOK)
		if err != nil {
			return Assignment{}, fmt.Errorf("bots: queue: %w", err)
		}
		var a struct {
			Status string `json:"status"`
			Assignment
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return Assignment{}, fmt.Errorf("bots: queue: %w", err)
		}
		if a.Status == "assigned" {
			return a.Assignment, nil
		}
	}
}

// RequestPlayAs asks the lobby at baseURL for a seat as the player of the
// session token (Login): POST /api/play with the token, which hands back
// the seat the player holds (held after a dropped connection: the same
// player, back in the match), or quick-matches them.
func RequestPlayAs(ctx context.Context, hc *http.Client, baseURL, token string) (Assignment, error) {
	return requestAssignment(ctx, hc, "play", baseURL+"/api/play", token, `{}`)
}

// Login logs in as a guest called name and returns the session token, for
// Options.Token.
func Login(ctx context.Context, hc *http.Client, baseURL, name string) (string, error) {
	body, _ := json.Marshal(map[string]string{"name": name})
	raw, err := lobbyCall(ctx, hc, http.MethodPost, baseURL+"/api/login", "", string(body), http.StatusOK)
	if err != nil {
		return "", fmt.Errorf("bots: login: %w", err)
	}
	var s struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(raw, &s); err != nil || s.Token == "" {
		return "", fmt.Errorf("bots: login: no token in %q", raw)
	}
	return s.Token, nil
}

// lobbyCall makes one lobby request and returns the body of an answer
// with the wanted status; any other status is an error carrying the body.
func lobbyCall(ctx context.Context, hc *http.Client, method, url, token, body string, want int) ([]byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, &refusal{status: resp.StatusCode, msg: fmt.Sprintf("%s: %s", resp.Status, bytes.TrimSpace(raw))}
	}
	return raw, nil
}

// refusal is a lobby answer with another status than the one wanted.
type refusal struct {
	status int
	msg    string
}

func (r *refusal) Error() string { return r.msg }

// refusedWith reports whether err is a lobby answer with status.
func refusedWith(err error, status int) bool {
	var r *refusal
	return errors.As(err, &r) && r.status == status
}
