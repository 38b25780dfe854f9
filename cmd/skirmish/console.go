// console.go — the operator's console (console/) on the serving roles
// (serve.go, node.go, lobby.go): its token, from --admin-token,
// --admin-token-file or --admin-token-random (make run's), and the line
// that tells people where it is. Without a token the console is off.

package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// adminTokenBytes is the randomness of a --admin-token-random token.
const adminTokenBytes = 16

// adminFlags are the console's flags.
type adminFlags struct {
	token  *string
	file   *string
	random *bool
}

func newAdminFlags(fs *flag.FlagSet) *adminFlags {
	return &adminFlags{
		token:  fs.String("admin-token", "", "turn the operator's console on at /console, for callers with this token (as Authorization: Bearer); prefer --admin-token-file, which keeps it out of the process list"),
		file:   fs.String("admin-token-file", "", "turn the console on, with the token in this file (surrounding whitespace ignored)"),
		random: fs.Bool("admin-token-random", false, "turn the console on with a fresh random token, printed with the console's URL (make run does this)"),
	}
}

// adminToken is the console's token and whether it was made here: ""
// when the console is off.
func (a *adminFlags) adminToken(cmd string) (token string, made bool, err error) {
	given := 0
	for _, set := range []bool{*a.token != "", *a.file != "", *a.random} {
		if set {
			given++
		}
	}
	switch {
	case given > 1:
		return "", false, fmt.Errorf("%s: give one of --admin-token, --admin-token-file and --admin-token-random", cmd)
	case *a.token != "":
		return *a.token, false, nil
	case *a.file != "":
		b, err := os.ReadFile(*a.file)
		if err != nil {
			return "", false, fmt.Errorf("%s: --admin-token-file: %w", cmd, err)
		}
		t := strings.TrimSpace(string(b))
		if t == "" {
			return "", false, fmt.Errorf("%s: --admin-token-file %s is empty", cmd, *a.file)
		}
		return t, false, nil
	case *a.random:
		b := make([]byte, adminTokenBytes)
		if _, err := rand.Read(b); err != nil {
			return "", false, errors.Join(fmt.Errorf("%s: --admin-token-random", cmd), err)
		}
		return hex.EncodeToString(b), true, nil
	}
	return "", false, nil
}

// consoleLine is what a role prints about its console beside its own
// URL: where it is and, for a token made here, the token (never in the
// URL); "" when the console is off.
func consoleLine(base, token string, made bool) string {
	switch {
	case token == "":
		return ""
	case made:
		return "\nOperator console: " + base + "/console (token " + token + ")"
	}
	return "\nOperator console: " + base + "/console (the --admin-token)"
}
