// keygen.go — `skirmish keygen`: a ticket-signing key for the lobbies.
// The private key goes to a file (PKCS #8 PEM, mode 0600) that every
// lobby reads with --key; the public key is printed, for nodes that pin it
// with --lobby-key instead of reading the keys the lobbies publish.

package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"skirmish/ticket"
)

func keygen(args []string) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	out := fs.String("out", "", "write the private key to this file, which must not exist yet (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("keygen: --out is required")
	}
	signer, err := ticket.GenerateSigner()
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	pem, err := signer.MarshalPEM()
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	if _, err := f.Write(pem); err != nil {
		f.Close()
		return fmt.Errorf("keygen: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	fmt.Printf("wrote the ticket key to %s (keep it secret: give it to every lobby with --key)\npublic key: %s\n", *out, ticket.EncodeKey(signer.PublicKey()))
	return nil
}
