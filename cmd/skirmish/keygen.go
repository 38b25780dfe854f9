// keygen.go — `skirmish keygen`: a ticket-signing key for the lobbies, or
// with --node a community game node's credential. The ticket key goes to
// a file (PKCS #8 PEM, mode 0600) that every lobby reads with --key; the
// public key is printed, for nodes that pin it with --lobby-key instead
// of reading the keys the lobbies publish. A node credential
// (skirmish/nodecred) is the node's own key pair with the operator's
// signature, by that same lobby key, over its name, capacity, expiry and
// rating weight; its file goes to the node's host for `skirmish node
// --lobby URL --credential FILE`.

package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"skirmish/lobby/nodeapi"
	"skirmish/nodecred"
	"skirmish/ticket"
)

const (
	defaultCredentialValid = 30 * 24 * time.Hour
	defaultNodeCapacity    = 256
)

func keygen(args []string) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	out := fs.String("out", "", "write the private key (or, with --node, the node's credential) to this file, which must not exist yet (required)")
	node := fs.String("node", "", "issue a credential for the community game node of this name instead (needs --key)")
	key := fs.String("key", "", "with --node: the lobbies' ticket key file (the operator's key, which signs the credential)")
	capacity := fs.Int("capacity", defaultNodeCapacity, "with --node: the most players the node may take")
	valid := fs.Duration("valid", defaultCredentialValid, "with --node: how long the credential lasts")
	weight := fs.Float64("rating-weight", 0, "with --node: how far its match results move the ratings, 0 (ignored) to 1 (like an operator's node)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("keygen: --out is required")
	}
	if *node != "" {
		return keygenNode(*out, *key, *node, *capacity, *valid, *weight)
	}
	signer, err := ticket.GenerateSigner()
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	pem, err := signer.MarshalPEM()
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	if err := writeNew(*out, pem); err != nil {
		return err
	}
	fmt.Printf("wrote the ticket key to %s (keep it secret: give it to every lobby with --key)\npublic key: %s\n", *out, ticket.EncodeKey(signer.PublicKey()))
	return nil
}

// keygenNode issues a node credential with the operator's key file.
func keygenNode(out, keyFile, name string, capacity int, valid time.Duration, weight float64) error {
	if keyFile == "" {
		return errors.New("keygen: --node needs --key, the lobbies' ticket key file: it signs the credential")
	}
	operator, err := ticket.LoadPrivateKey(keyFile)
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	raw, cred, err := nodecred.New(operator, name, capacity, valid, weight, time.Now())
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	if err := writeNew(out, raw); err != nil {
		return err
	}
	fmt.Printf("wrote the credential of community node %s (listed as %s%s) to %s: give it to the node's host for skirmish node --lobby URL --credential FILE\n"+
		"capacity %d, rating weight %g, expires %s\nnode key: %s (to revoke: its name or this key, a line in the lobbies' --revoked file)\n",
		cred.Name, nodeapi.IDPrefix, cred.Name, out, cred.Capacity, cred.RatingWeight, cred.Expires.UTC().Format(time.RFC3339), ticket.EncodeKey(cred.Key))
	return nil
}

// writeNew writes a secret to a file that must not exist yet, mode 0600.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("keygen: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	return nil
}
