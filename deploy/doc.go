// doc.go — why there is Go in a folder of Kubernetes manifests.

// Package deploy holds Skirmish's Kubernetes manifests (redis.yaml,
// lobby.yaml, fleet.yaml, kustomization.yaml; README.md says how to apply
// them) and no code. Its test reads them, and the repository's Dockerfile,
// as text and checks what can be checked without a cluster: the files the
// kustomization lists exist, each document names its apiVersion, kind and
// metadata.name, the skirmish flags in args lists exist, and the values that
// must agree across files (ports, paths, the Redis address, the health
// period) do.
package deploy
