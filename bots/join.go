// join.go — how a bot gets into a game: the lobby's POST /api/play, then the
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
)

// Assignment is the lobby's answer to /api/play.
type Assignment struct {
	Ticket    string `json:"ticket"`
	WSURL     string `json:"ws_url"`
	Room      string `json:"room"`
	PlayerID  string `json:"player_id"`
	ExpiresIn int64  `json:"expires_in"`
}

// RequestPlay asks the lobby at baseURL (e.g. http://127.0.0.1:8080) for a
// seat under name.
func RequestPlay(ctx context.Context, hc *http.Client, baseURL, name string) (Assignment, error) {
	var a Assignment
	body, _ := json.Marshal(map[string]string{"name": name})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/play", bytes.NewReader(body))
	if err != nil {
		return a, fmt.Errorf("bots: play: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return a, fmt.Errorf("bots: play: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return a, fmt.Errorf("bots: play: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return a, fmt.Errorf("bots: play: %s: %s", resp.Status, bytes.TrimSpace(raw))
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
