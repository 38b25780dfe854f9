// party.go — parties for bots: a leader opens one and gets its code,
// members join by it; the leader's queueing (join.go) seats them all, each
// member waiting for its own seat (Options.Led). Leaving is the same call
// for both: the leader's disbands the party.

package bots

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// CreateParty opens a party led by the player of token and returns its
// join code.
func CreateParty(ctx context.Context, hc *http.Client, baseURL, token string) (string, error) {
	raw, err := lobbyCall(ctx, hc, http.MethodPost, baseURL+"/api/party", token, "", http.StatusCreated)
	if err != nil {
		return "", fmt.Errorf("bots: party: %w", err)
	}
	var p struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Code == "" {
		return "", fmt.Errorf("bots: party: no code in %q", raw)
	}
	return p.Code, nil
}

// JoinParty makes the player of token a member of the party with code.
func JoinParty(ctx context.Context, hc *http.Client, baseURL, token, code string) error {
	if _, err := lobbyCall(ctx, hc, http.MethodPost, baseURL+"/api/party/join", token, `{"code":"`+code+`"}`, http.StatusOK); err != nil {
		return fmt.Errorf("bots: party: %w", err)
	}
	return nil
}

// LeaveParty takes the player of token out of its party; a leader
// disbands it.
func LeaveParty(ctx context.Context, hc *http.Client, baseURL, token string) error {
	if _, err := lobbyCall(ctx, hc, http.MethodDelete, baseURL+"/api/party", token, "", http.StatusOK); err != nil {
		return fmt.Errorf("bots: party: %w", err)
	}
	return nil
}
