// deploy_test.go — the manifests and the Dockerfile, read as text and
// checked without a cluster: what the kustomization lists exists, every
// document is well formed, every skirmish flag in an args list is one the
// subcommand has, and the values that must agree across the files do.
// yaml_test.go is the YAML reader; dockerfile_test.go checks the Dockerfile.

package deploy

import (
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"skirmish/internal/agones"
)

// skirmishFlags are the flags of each skirmish subcommand that an args list
// (or the Dockerfile's CMD) may use, as the lobby/node work defines them
// (node's --lobby-key came with cmd/skirmish/node.go). This list only keeps
// the manifests to it; cmd/skirmish's own tests check that the binary has
// these flags.
var skirmishFlags = map[string][]string{
	"serve":  {"addr", "web", "log-level", "redis", "login-rate", "origin", "tls-cert", "tls-key", "match-length"},
	"lobby":  {"addr", "redis", "key", "web", "log-level", "login-rate", "tls-cert", "tls-key"},
	"node":   {"addr", "redis", "capacity", "drain-timeout", "public-url", "name", "log-level", "origin", "tls-cert", "tls-key", "match-length", "lobby-key"},
	"keygen": {"out"},
}

// repeatable are the flags that may be given more than once.
var repeatable = []string{"origin", "lobby-key"}

// The names the manifests agree on.
const (
	keySecret    = "skirmish-ticket-key"
	redisService = "redis"
	lobbyName    = "skirmish-lobby"
	fleetName    = "skirmish-node"
)

func TestKustomization(t *testing.T) {
	k := readDocs(t, "kustomization.yaml")
	if len(k) != 1 || str(k[0].root, "kind") != "Kustomization" {
		t.Fatalf("kustomization.yaml: want one Kustomization document")
	}
	var listed []string
	for _, r := range asList(lookup(k[0].root, "resources")) {
		name, _ := r.(string)
		listed = append(listed, name)
		if _, err := os.Stat(name); err != nil {
			t.Errorf("kustomization.yaml lists %q: %v", name, err)
		}
	}
	all, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if f != "kustomization.yaml" && !slices.Contains(listed, f) {
			t.Errorf("%s is not in kustomization.yaml's resources", f)
		}
	}
	// The manifests name the image "skirmish"; the kustomization points it
	// at a registry.
	var named bool
	for _, img := range asList(lookup(k[0].root, "images")) {
		named = named || str(img, "name") == "skirmish" && str(img, "newName") != ""
	}
	if !named {
		t.Errorf("kustomization.yaml has no images: entry for skirmish with a newName")
	}
	for _, c := range skirmishContainers(t) {
		if c.image != "skirmish" {
			t.Errorf("%s: container %s runs %q; want image: skirmish, which kustomization.yaml rewrites", c.file, c.name, c.image)
		}
	}
}

func TestDocuments(t *testing.T) {
	want := map[string]bool{
		"PersistentVolumeClaim/redis-data": false,
		"Deployment/" + redisService:       false,
		"Service/" + redisService:          false,
		"Deployment/" + lobbyName:          false,
		"Service/" + lobbyName:             false,
		"Fleet/" + fleetName:               false,
	}
	for _, file := range manifestFiles(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "\t") {
			t.Errorf("%s has a tab: YAML indents with spaces", file)
		}
		for _, d := range readDocs(t, file) {
			api, kind, name := str(d.root, "apiVersion"), str(d.root, "kind"), str(d.root, "metadata", "name")
			if api == "" || kind == "" || name == "" {
				t.Errorf("%s:%d: apiVersion %q, kind %q, metadata.name %q; want all three", file, d.line, api, kind, name)
			}
			if kind == "Fleet" && api != "agones.dev/v1" {
				t.Errorf("%s:%d: a Fleet of %q; want agones.dev/v1", file, d.line, api)
			}
			if _, ok := want[kind+"/"+name]; ok {
				want[kind+"/"+name] = true
			}
		}
	}
	for obj, seen := range want {
		if !seen {
			t.Errorf("no manifest defines %s", obj)
		}
	}
}

func TestArgs(t *testing.T) {
	roles := map[string]int{}
	for _, c := range skirmishContainers(t) {
		roles[c.sub]++
		required := map[string][]string{
			"lobby": {"addr", "redis", "key", "web"},
			"node":  {"addr", "redis", "capacity", "drain-timeout"},
		}[c.sub]
		for _, f := range required {
			if _, ok := c.flags[f]; !ok {
				t.Errorf("%s: %s's args lack --%s", c.file, c.sub, f)
			}
		}
	}
	if roles["lobby"] != 1 || roles["node"] != 1 {
		t.Errorf("containers by subcommand: %v; want one lobby and one node", roles)
	}
	node := containerOf(t, "node")
	// Under Agones the node learns its address from the SDK.
	if v, ok := node.flags["public-url"]; ok {
		t.Errorf("%s: the node is given --public-url=%s; under Agones it asks the SDK's GET /gameserver", node.file, v)
	}
	if _, err := time.ParseDuration(node.flags["drain-timeout"]); err != nil {
		t.Errorf("%s: --drain-timeout: %v", node.file, err)
	}
	if n, err := strconv.Atoi(node.flags["capacity"]); err != nil || n < 1 {
		t.Errorf("%s: --capacity=%q; want a positive number", node.file, node.flags["capacity"])
	}
}

func TestTheFilesAgree(t *testing.T) {
	lobby, node := containerOf(t, "lobby"), containerOf(t, "node")

	// Both reach Redis at its Service.
	svc := docOf(t, "Service", redisService)
	for _, c := range []container{lobby, node} {
		u, err := url.Parse(c.flags["redis"])
		if err != nil || u.Scheme != "redis" || u.Hostname() != redisService || u.Port() != str(svc.root, "spec", "ports", 0, "port") {
			t.Errorf("%s: --redis=%s; want redis://%s:%s/N, the Service in redis.yaml", c.file, c.flags["redis"], redisService, str(svc.root, "spec", "ports", 0, "port"))
		}
	}

	// The lobby listens where its container port, probes and Service point.
	if p := addrPort(t, lobby); str(lobby.spec, "ports", 0, "containerPort") != p || str(lobby.spec, "ports", 0, "name") != "http" {
		t.Errorf("lobby.yaml: --addr=%s but the container port is %s (%s)", lobby.flags["addr"],
			str(lobby.spec, "ports", 0, "containerPort"), str(lobby.spec, "ports", 0, "name"))
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe"} {
		if str(lobby.spec, probe, "httpGet", "path") != "/healthz" || str(lobby.spec, probe, "httpGet", "port") != "http" {
			t.Errorf("lobby.yaml: the %s is not GET /healthz on port http", probe)
		}
	}
	if str(docOf(t, "Service", lobbyName).root, "spec", "ports", 0, "targetPort") != "http" {
		t.Errorf("lobby.yaml: the Service does not target the port named http")
	}

	// The lobby's key file is the Secret's, where the volume mounts it.
	keyDir, keyFile := filepath.Split(lobby.flags["key"])
	var mounted bool
	for _, m := range asList(lookup(lobby.spec, "volumeMounts")) {
		if strings.TrimSuffix(keyDir, "/") != str(m, "mountPath") {
			continue
		}
		for _, v := range asList(lookup(lobby.pod, "volumes")) {
			if str(v, "name") == str(m, "name") && str(v, "secret", "secretName") == keySecret &&
				str(v, "secret", "items", 0, "path") == keyFile {
				mounted = true
			}
		}
	}
	if !mounted {
		t.Errorf("lobby.yaml: --key=%s is not a file of the Secret %s mounted there", lobby.flags["key"], keySecret)
	}

	// The web client is where the image puts it.
	df := readDockerfile(t)
	if !slices.Contains(df.copyDests, lobby.flags["web"]) {
		t.Errorf("lobby.yaml: --web=%s, but the Dockerfile copies to %v", lobby.flags["web"], df.copyDests)
	}

	// The fleet's port is the node's, over TCP, with a port Agones picks.
	fleet := docOf(t, "Fleet", fleetName)
	gs := lookup(fleet.root, "spec", "template", "spec")
	port := lookup(gs, "ports", 0)
	if str(port, "containerPort") != addrPort(t, node) || str(port, "portPolicy") != "Dynamic" || str(port, "protocol") != "TCP" {
		t.Errorf("fleet.yaml: port %v; want containerPort %s (--addr), portPolicy Dynamic, protocol TCP", port, addrPort(t, node))
	}
	if str(gs, "container") != node.name {
		t.Errorf("fleet.yaml: spec.container %q, but the node's container is %q", str(gs, "container"), node.name)
	}
	// Health: two of the node's pings fit in a period.
	period, err := strconv.Atoi(str(gs, "health", "periodSeconds"))
	if err != nil || time.Duration(period)*time.Second < 2*agones.DefaultHealthInterval || str(gs, "health", "disabled") == "true" {
		t.Errorf("fleet.yaml: health %v; want it on, with periodSeconds at least twice the node's %v ping interval",
			lookup(gs, "health"), agones.DefaultHealthInterval)
	}
	// Agones adds its own liveness probe only to a container without one,
	// and its sidecar listens on 8080 in the pod.
	if lookup(node.spec, "livenessProbe") != nil {
		t.Errorf("fleet.yaml: the node has a livenessProbe; it would replace Agones' own")
	}
	if addrPort(t, node) == "8080" {
		t.Errorf("fleet.yaml: the node listens on 8080, the Agones sidecar's port")
	}
	// Kubernetes waits out the drain.
	drain, _ := time.ParseDuration(node.flags["drain-timeout"])
	grace, err := strconv.Atoi(str(node.pod, "terminationGracePeriodSeconds"))
	if err != nil || time.Duration(grace)*time.Second <= drain {
		t.Errorf("fleet.yaml: terminationGracePeriodSeconds %q; want more than --drain-timeout=%s", str(node.pod, "terminationGracePeriodSeconds"), drain)
	}

	// The image exposes both ports.
	for _, p := range []string{addrPort(t, lobby), addrPort(t, node)} {
		if !slices.Contains(df.expose, p) {
			t.Errorf("the Dockerfile exposes %v, not %s", df.expose, p)
		}
	}
}

// manifestFiles are the files kustomization.yaml lists.
func manifestFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, r := range asList(lookup(readDocs(t, "kustomization.yaml")[0].root, "resources")) {
		files = append(files, r.(string))
	}
	return files
}

func readDocs(t *testing.T, file string) []document {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := parseDocuments(file, string(src))
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// docOf is the manifest document of that kind and name.
func docOf(t *testing.T, kind, name string) document {
	t.Helper()
	for _, f := range manifestFiles(t) {
		for _, d := range readDocs(t, f) {
			if str(d.root, "kind") == kind && str(d.root, "metadata", "name") == name {
				return d
			}
		}
	}
	t.Fatalf("no %s %s in the manifests", kind, name)
	return document{}
}

// container is a container that runs a skirmish subcommand.
type container struct {
	file  string
	name  string
	image string
	sub   string            // lobby, node…
	flags map[string]string // flag name → value
	spec  any               // the container
	pod   any               // its pod spec
}

// skirmishContainers finds every container with an args list in the
// manifests and checks its args: a known subcommand, then its flags only.
func skirmishContainers(t *testing.T) []container {
	t.Helper()
	var out []container
	for _, f := range manifestFiles(t) {
		for _, d := range readDocs(t, f) {
			for _, pod := range podSpecs(d.root) {
				for _, c := range asList(lookup(pod, "containers")) {
					args := lookup(c, "args")
					if args == nil {
						continue
					}
					var list []string
					for _, a := range asList(args) {
						s, _ := a.(string)
						list = append(list, s)
					}
					flags, err := parseArgs(list)
					if err != nil {
						t.Errorf("%s: container %s: %v", f, str(c, "name"), err)
						continue
					}
					out = append(out, container{file: f, name: str(c, "name"), image: str(c, "image"),
						sub: list[0], flags: flags, spec: c, pod: pod})
				}
			}
		}
	}
	// Every args list in the manifests belongs to a pod spec found above.
	var lists int
	for _, f := range manifestFiles(t) {
		for _, d := range readDocs(t, f) {
			lists += len(findAll(d.root, "args"))
		}
	}
	if lists != len(out) {
		t.Errorf("%d args lists in the manifests, %d of them in containers of pod specs this test knows", lists, len(out))
	}
	return out
}

// containerOf is the one container that runs sub.
func containerOf(t *testing.T, sub string) container {
	t.Helper()
	for _, c := range skirmishContainers(t) {
		if c.sub == sub {
			return c
		}
	}
	t.Fatalf("no container runs skirmish %s", sub)
	return container{}
}

// podSpecs are the pod specs a document holds: a Deployment's, a Fleet's
// (inside its GameServer template), a bare Pod's.
func podSpecs(root map[string]any) []any {
	var out []any
	for _, path := range [][]any{
		{"spec"},                     // Pod
		{"spec", "template", "spec"}, // Deployment, StatefulSet, Job
		{"spec", "template", "spec", "template", "spec"}, // Fleet → GameServer → Pod
	} {
		if p := lookup(root, path...); lookup(p, "containers") != nil {
			out = append(out, p)
		}
	}
	return out
}

// parseArgs checks a skirmish command line (subcommand, then --flag=value
// or --flag value) against skirmishFlags and returns its flags.
func parseArgs(args []string) (map[string]string, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("an empty args list")
	}
	known, ok := skirmishFlags[args[0]]
	if !ok {
		return nil, fmt.Errorf("args start with %q, not a skirmish subcommand (%v)", args[0], slices.Sorted(maps.Keys(skirmishFlags)))
	}
	flags := map[string]string{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return nil, fmt.Errorf("%q is not a flag (skirmish %s takes no arguments)", a, args[0])
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("skirmish %s has no flag --%s (it has %v)", args[0], name, known)
		}
		if !hasVal { // every flag here takes a value
			if i+1 >= len(args) {
				return nil, fmt.Errorf("--%s has no value", name)
			}
			i++
			val = args[i]
		}
		if _, dup := flags[name]; dup && !slices.Contains(repeatable, name) {
			return nil, fmt.Errorf("--%s twice", name)
		}
		flags[name] = val
	}
	return flags, nil
}

// addrPort is the port of a container's --addr.
func addrPort(t *testing.T, c container) string {
	t.Helper()
	_, port, err := net.SplitHostPort(c.flags["addr"])
	if err != nil {
		t.Fatalf("%s: --addr=%s: %v", c.file, c.flags["addr"], err)
	}
	return port
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
