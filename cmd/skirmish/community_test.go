// community_test.go — a community game node as real processes on
// 127.0.0.1: the operator issues it a credential (skirmish keygen
// --node; one signed with another key is refused), it runs with no Redis
// at all (skirmish node --lobby --credential), registers through the
// lobby's node API and hosts bots that came in through the lobby, its
// match results rated at its credential's weight; beside it an
// operator's node on Redis; and once the operator revokes it (the
// lobby's --revoked file), the lobby takes it out of rotation and refuses
// it, and new players go to the operator's node.

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	"skirmish/internal/testkit"
	"skirmish/nodecred"
	"skirmish/ticket"
)

func TestCommunityNodeHostsBots(t *testing.T) {
	dir := t.TempDir()
	keyFile, credFile, revoked := filepath.Join(dir, "lobby.key"), filepath.Join(dir, "game7.cred"), filepath.Join(dir, "revoked")
	signer, err := ticket.GenerateSigner() // what skirmish keygen --out writes (TestKeygen)
	if err != nil {
		t.Fatal(err)
	}
	pem, err := signer.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(revoked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := newCluster(t, 0, false, []string{"--key", keyFile, "--revoked", revoked})
	bin := c.bin

	// The operator issues the credential with the lobbies' key.
	out, err := exec.Command(bin, "keygen", "--node", "game7", "--key", keyFile, "--out", credFile,
		"--capacity", "16", "--rating-weight", "0.5", "--valid", "1h").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "listed as c:game7") {
		t.Fatalf("keygen --node: %v, %s", err, out)
	}
	if f, err := nodecred.Load(credFile); err != nil || f.Credential.Capacity != 16 || f.Credential.RatingWeight != 0.5 {
		t.Fatalf("credential file: %+v, %v", f.Credential, err)
	}
	if out, err := exec.Command(bin, "keygen", "--node", "game8", "--out", filepath.Join(dir, "game8.cred")).CombinedOutput(); err == nil {
		t.Errorf("keygen --node without the operator's --key: %s", out)
	}

	// A credential signed with any other key: the node is refused at
	// registration and exits, saying why.
	strangerKey, forged := filepath.Join(dir, "stranger.key"), filepath.Join(dir, "forged.cred")
	if out, err := exec.Command(bin, "keygen", "--out", strangerKey).CombinedOutput(); err != nil {
		t.Fatalf("keygen: %v, %s", err, out)
	}
	if out, err := exec.Command(bin, "keygen", "--node", "game7", "--key", strangerKey, "--out", forged).CombinedOutput(); err != nil {
		t.Fatalf("keygen --node: %v, %s", err, out)
	}
	out, err = exec.Command(bin, "node", "--addr", "127.0.0.1:0", "--lobby", c.lobby.url, "--credential", forged).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "401 credential_forged") {
		t.Fatalf("a node with a forged credential: %v, %s; want it refused as credential_forged", err, out)
	}

	// The community node knows the lobby's URL and its credential, and
	// nothing of Redis.
	community := startProc(t, bin, nodeReady, "node", "--addr", "127.0.0.1:0", "--lobby", c.lobby.url,
		"--credential", credFile, "--match-length", "10s", "--log-level", "warn")
	c.nodes["c:game7"] = community
	for _, a := range community.cmd.Args {
		if strings.Contains(a, "redis") {
			t.Fatalf("the community node was given %q", a)
		}
	}
	c.waitNodes(1)
	if n := c.live()["c:game7"]; n.Capacity != 16 || n.URL != community.url {
		t.Fatalf("the lobby lists %+v; want c:game7 at %s with its credential's capacity", n, community.url)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var ids []uint64
	var hosted []*bots.Bot
	for i := range 4 {
		b, err := c.join(ctx, fmt.Sprintf("cb%d", i), "", 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if b.Assignment().WSURL != community.url {
			t.Fatalf("bot sent to %s; want the community node %s", b.Assignment().WSURL, community.url)
		}
		id, err := strconv.ParseUint(b.Assignment().PlayerID, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		hosted = append(hosted, b)
	}
	for _, b := range hosted {
		if err := playing(ctx, b, 60); err != nil {
			t.Fatalf("a bot on the community node is not playing: %v (connection: %v)", err, b.Err())
		}
	}
	per := c.roomsOnNodes()
	if len(per["c:game7"]) != 1 {
		t.Fatalf("rooms per node %v; want one on c:game7", per)
	}
	// Its 10 s match ends and the lobby rates it, from the node's report.
	testkit.WaitUntil(t, 30*time.Second, func() (bool, string) {
		r, err := c.store.Ratings(ctx, ids)
		return err == nil && len(r) == len(ids), fmt.Sprintf("%d of %d players rated (%v)", len(r), len(ids), err)
	})
	metrics := testkit.Scrape(t, c.lobby.url+"/metrics")
	if ok := testkit.Value(metrics, `skirmish_nodeapi_requests_total{outcome="ok"}`); ok < 8 {
		t.Errorf("the lobby counted %v node API requests ok; want the registration, heartbeats, 4 claims and the match", ok)
	}

	// An operator's node on Redis joins the same cluster; the operator
	// revokes game7: out of rotation, its heartbeats refused, and new
	// players go to the operator's node.
	c.startNode("n1")
	c.waitNodes(2)
	if err := os.WriteFile(revoked, []byte("game7 # withdrawn\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	written := time.Now()
	testkit.WaitUntil(t, 15*time.Second, func() (bool, string) {
		_, live := c.live()["c:game7"]
		return !live, "c:game7 out of rotation"
	})
	t.Logf("revoked: out of rotation %v after the file was written", time.Since(written).Round(10*time.Millisecond))
	testkit.WaitUntil(t, 5*time.Second, func() (bool, string) {
		m := testkit.Scrape(t, c.lobby.url+"/metrics")
		return testkit.Value(m, `skirmish_nodeapi_requests_total{outcome="revoked"}`) > 0, "c:game7's heartbeat refused as revoked"
	})
	b, err := c.join(ctx, "after", "", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if c.nodeOf(b) != "n1" {
		t.Fatalf("a player after the revocation went to %q; want n1", c.nodeOf(b))
	}
	if err := playing(ctx, b, 30); err != nil {
		t.Fatal(err)
	}
	if log := c.lobby.log.String(); !strings.Contains(log, "revoked node taken out of rotation") || !strings.Contains(log, "outcome=revoked") {
		t.Errorf("the lobby's log does not tell of the revocation:\n%s", log)
	}
}
