// join.go — how a bot gets into a game: the lobby's POST /api/play (a new
// guest), or POST /api/login once and then POST /api/play as that player
// (the seat it holds, or a quick match; again after a server went away:
// session.go) or a private room, opened or joined by code; then the
// WebSocket dial with the ticket (bot.go takes over from there).

package bots

import (
	"bytes"
	"context"
	"encoding/json"
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
	var a Assignment
	body, _ := json.Marshal(map[string]string{"name": name})
	raw, err := lobbyCall(ctx, hc, http.MethodPost, baseURL+"/api/play", "", string(body), http.StatusOK)
	if err != nil {
		return a, fmt.Errorf("bots: play: %w", err)
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("bots: play: %w", err)
	}
	return a, nil
}

// DialURL is the WebSocket URL with the ticket attached.
func (a Assignment) DialURL() string {
	return a.WSURL + "?ticket=" + url.QueryEscape(a.Ticket)
}

// requestSeat gets the bot a seat: as a new guest, or as the player of
// opts.Token (RequestPlayAs).
func requestSeat(ctx context.Context, hc *http.Client, opts Options) (Assignment, error) {
	switch {
	case opts.Token == "":
		return RequestPlay(ctx, hc, opts.BaseURL, opts.Name)
	case opts.Room != "":
		return requestRoom(ctx, hc, opts)
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

// RequestPlayAs asks the lobby at baseURL for a seat as the player of the
// session token (Login): POST /api/play with the token, which hands back
// the seat the player holds (held after a dropped connection: the same
// player, back in the match), or quick-matches them.
func RequestPlayAs(ctx context.Context, hc *http.Client, baseURL, token string) (Assignment, error) {
	var a Assignment
	raw, err := lobbyCall(ctx, hc, http.MethodPost, baseURL+"/api/play", token, `{}`, http.StatusOK)
	if err != nil {
		return a, fmt.Errorf("bots: play: %w", err)
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("bots: play: %w", err)
	}
	return a, nil
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
		return nil, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(raw))
	}
	return raw, nil
}
