// dockerfile_test.go — the Dockerfile, read as text: a build stage on
// go.mod's Go that runs make client and a static go build, a small final
// stage with the binary and the client, the ports, the entrypoint, a
// default command with real flags, and a .dockerignore. deploy_test.go
// checks the manifests against it.

package deploy

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestDockerfile(t *testing.T) {
	df := readDockerfile(t)
	if len(df.froms) < 2 {
		t.Fatalf("Dockerfile: %d stages; want a build stage and a small final one", len(df.froms))
	}
	// The build stage's Go is go.mod's.
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	build := regexp.MustCompile(`^golang:(\d+\.\d+)(\.\d+)?-bookworm\s+AS\s+build$`).FindStringSubmatch(df.froms[0])
	if goVersion == nil || build == nil || build[1] != string(goVersion[1]) {
		t.Errorf("Dockerfile: the build stage is FROM %s; want golang:%s-bookworm AS build (go.mod's Go)", df.froms[0], goVersion[1])
	}
	final := df.froms[len(df.froms)-1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static-debian12") && !strings.HasPrefix(final, "debian:bookworm-slim") {
		t.Errorf("Dockerfile: the final stage is FROM %s; want distroless static or debian:bookworm-slim", final)
	}
	// make client into a folder that is copied into the image.
	var clientDist string
	var built bool
	for _, r := range df.runs {
		if m := regexp.MustCompile(`\bmake client\b(?:.*\bCLIENT_DIST=(\S+))?`).FindStringSubmatch(r); m != nil {
			clientDist = m[1]
			if clientDist == "" {
				clientDist = "/src/client/dist"
			}
		}
		built = built || strings.Contains(r, "CGO_ENABLED=0") && strings.Contains(r, "go build") &&
			strings.Contains(r, "-o /skirmish") && strings.Contains(r, "./cmd/skirmish")
	}
	if clientDist == "" || !built {
		t.Errorf("Dockerfile: want a RUN make client and a RUN CGO_ENABLED=0 go build -o /skirmish ./cmd/skirmish")
	}
	if !slices.Contains(df.copySources, clientDist) || !slices.Contains(df.copySources, "/skirmish") {
		t.Errorf("Dockerfile: copies %v from the build stage; want /skirmish and %s (make client's output)", df.copySources, clientDist)
	}
	if df.entrypoint != `["/skirmish"]` {
		t.Errorf("Dockerfile: ENTRYPOINT %s; want [\"/skirmish\"]", df.entrypoint)
	}
	// The default command uses real flags, and the folder the client is in.
	var cmd []string
	if err := json.Unmarshal([]byte(df.cmd), &cmd); err != nil || len(cmd) == 0 {
		t.Fatalf("Dockerfile: CMD %s; want a JSON list", df.cmd)
	}
	flags, err := parseArgs(cmd)
	if err != nil {
		t.Errorf("Dockerfile: CMD: %v", err)
	}
	if w, ok := flags["web"]; ok && !slices.Contains(df.copyDests, w) {
		t.Errorf("Dockerfile: CMD's --web=%s is not where the client is copied (%v)", w, df.copyDests)
	}

	ignore, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(ignore), "\n")
	for _, want := range []string{".git", "test-output", "bench/out", "client/dist"} {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.Trim(strings.TrimSpace(l), "/") == want }) {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}

// dockerfile is what the tests read of the Dockerfile.
type dockerfile struct {
	froms       []string // each FROM's argument, in order
	runs        []string
	copySources []string // of COPY --from=…
	copyDests   []string // of COPY --from=…
	expose      []string
	entrypoint  string
	cmd         string
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	src, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var df dockerfile
	joined := strings.ReplaceAll(string(src), "\\\n", " ")
	for _, line := range strings.Split(joined, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(word) {
		case "FROM":
			df.froms = append(df.froms, rest)
		case "RUN":
			df.runs = append(df.runs, rest)
		case "COPY":
			f := strings.Fields(rest)
			if len(f) >= 3 && strings.HasPrefix(f[0], "--from=") {
				df.copySources = append(df.copySources, f[1:len(f)-1]...)
				df.copyDests = append(df.copyDests, f[len(f)-1])
			}
		case "EXPOSE":
			df.expose = append(df.expose, strings.Fields(rest)...)
		case "ENTRYPOINT":
			df.entrypoint = rest
		case "CMD":
			df.cmd = rest
		}
	}
	return df
}
