// doc.go — why there is Go in a folder of Kubernetes manifests.

// Package deploy holds Skirmish's Kubernetes manifests (redis.yaml,
// lobby.yaml, fleet.yaml, kustomization.yaml; README.md says how to apply
// them) and no code. Its test reads them, and the repository's Dockerfile,
// as text and checks what can be checked without a cluster: the files the
// kustomization lists exist, each document names its apiVersion, kind and
// metadata.name, the skirmish flags in args lists exist, and the values that
// must agree across files (ports, paths, the Redis address, the health
// period) do.
//
// monitoring/ holds Prometheus' alert rules (alerts.yaml, with their
// promtool tests in alerts_test.yaml), a Prometheus configuration that
// loads them, and a Grafana dashboard. monitoring_test.go checks them with
// promtool, then runs Debian's prometheus against a real `skirmish serve`
// with bots and compares its queries with the operator's console.
package deploy
