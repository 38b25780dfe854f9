// deploy_test.go — the manifests under deploy/ and the Dockerfile run this
// binary: every flag their args lists and CMD give a subcommand is one the
// subcommand has (its -h lists it). deploy/'s own tests check the rest of
// the manifests.

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDeployFlagsExist(t *testing.T) {
	files, err := filepath.Glob("../../deploy/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests under deploy/: %v", err)
	}
	files = append(files, "../../Dockerfile")
	role := regexp.MustCompile(`^\s*(?:- |CMD \[")(serve|lobby|node|keygen|bots)"?`)
	flagRe := regexp.MustCompile(`--([a-z][a-z-]*)`)
	used := map[string]map[string]bool{} // role → flags
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cur := ""
		for _, line := range strings.Split(string(raw), "\n") {
			trim := strings.TrimSpace(line)
			if m := role.FindStringSubmatch(line); m != nil {
				cur = m[1]
				if used[cur] == nil {
					used[cur] = map[string]bool{}
				}
			}
			switch {
			case cur == "" || strings.HasPrefix(trim, "#"):
				continue
			case strings.HasPrefix(trim, "- --") || strings.HasPrefix(trim, "CMD ["):
				for _, m := range flagRe.FindAllStringSubmatch(trim, -1) {
					used[cur][m[1]] = true
				}
			case !role.MatchString(line):
				cur = "" // the args list ended
			}
		}
	}
	if len(used["lobby"]) == 0 || len(used["node"]) == 0 {
		t.Fatalf("found flags %v; want the lobby's and the node's args", used)
	}
	bin := buildSkirmish(t)
	for r, flags := range used {
		help, _ := exec.Command(bin, r, "-h").CombinedOutput()
		for f := range flags {
			if !strings.Contains(string(help), "  -"+f+" ") && !strings.Contains(string(help), "  -"+f+"\n") {
				t.Errorf("deploy/ gives `skirmish %s` the flag --%s, which it does not have:\n%s", r, f, help)
			}
		}
	}
}
