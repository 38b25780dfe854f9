# Skirmish — the two commands a newcomer needs are `make run` and `make test`.
# Everything else here serves them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

ADDR            ?= 127.0.0.1:8080
GO              ?= go
PROTOC_GEN_GO   := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.11
PROTOC_VERSION  := libprotoc 3.21
BIN             := $(CURDIR)/.bin
WASM_EXEC_DIR    = $(shell $(GO) env GOROOT)/lib/wasm

.PHONY: run build client test deps fmt-check vet unit wasm-test proto proto-check conformance conformance-node bench bench-cluster soak clean

## run: build and start the whole game in one process; open the printed URL.
## The operator's console is at /console, with the fresh token printed beside it.
run: build
	./bin/skirmish serve --addr $(ADDR) --admin-token-random

build: client
	$(GO) build -o bin/skirmish ./cmd/skirmish

## client: the browser game, compiled to WebAssembly into $(CLIENT_DIST)
## (index.html, wasm_exec.js, skirmish.wasm and its gzip for the wire).
## Inlining stays on for the runtime, Ebiten and Skirmish, the code that runs
## every frame, and is off for the rest (fmt, fonts, the shader compiler…):
## that keeps the gzipped download under 4 MB.
CLIENT_DIST     ?= client/dist
CLIENT_GCFLAGS  := -gcflags=all=-l -gcflags='runtime/...=' -gcflags='internal/...=' \
                   -gcflags='github.com/hajimehoshi/ebiten/v2/...=' -gcflags='skirmish/...='
client:
	mkdir -p $(CLIENT_DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath $(CLIENT_GCFLAGS) -ldflags='-s -w' -o $(CLIENT_DIST)/skirmish.wasm ./client
	cp $(WASM_EXEC_DIR)/wasm_exec.js client/web/index.html $(CLIENT_DIST)/
	gzip -9 -k -f $(CLIENT_DIST)/skirmish.wasm
	@echo "client: skirmish.wasm $$(du -k $(CLIENT_DIST)/skirmish.wasm | cut -f1) KB, gzipped $$(du -k $(CLIENT_DIST)/skirmish.wasm.gz | cut -f1) KB"

## test: everything CI checks. Installs what it needs when run as root.
test: deps fmt-check vet client unit wasm-test proto-check conformance-node

deps:
	@command -v $(GO) >/dev/null || { echo "make test: Go is missing: install Go 1.26 (https://go.dev/dl)"; exit 1; }
	$(GO) mod download
	@pkgs=""; command -v protoc >/dev/null || pkgs="$$pkgs protobuf-compiler"; command -v node >/dev/null || pkgs="$$pkgs nodejs"; command -v npm >/dev/null || pkgs="$$pkgs npm"; \
	opt=""; command -v chromium >/dev/null || opt="$$opt chromium"; command -v redis-server >/dev/null || opt="$$opt redis-server"; \
	command -v prometheus >/dev/null || opt="$$opt prometheus"; \
	if [ -n "$$pkgs$$opt" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "make test: installing$$pkgs$$opt with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs $$opt >/dev/null; \
	elif [ -n "$$pkgs" ]; then \
	  echo "make test: missing$$pkgs: run 'sudo apt-get install$$pkgs'"; exit 1; \
	elif [ -n "$$opt" ]; then \
	  echo "make test: missing$$opt: their tests skip here (and fail when CI=true); run 'sudo apt-get install$$opt'"; \
	fi
	@protoc --version | grep -q "$(PROTOC_VERSION)" || { echo "make test: protoc $$(protoc --version) found; the committed code is generated with $(PROTOC_VERSION) (Debian 12's protobuf-compiler)"; exit 1; }
	@GOBIN=$(BIN) $(GO) install $(PROTOC_GEN_GO)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt: run 'gofmt -w' on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

## unit: the packages' tests, then the ones that run real processes (the
## binary's roles with a 200-bot swarm, headless Chromium, Prometheus
## scraping serve) one package at a time, after the others: on 2 cores they
## would starve the timing-loose tests running beside them.
## The browser tests serve the client the client target built
## (SKIRMISH_CLIENT_DIST) rather than building their own.
## Last, alone, the one-minute soak with faults (soak below), without
## -race: what it tests runs in the binary's processes, and the bots it
## drives have their own -race tests.
PROCESS_TESTS = ./cmd/skirmish ./client/browsertest ./deploy
unit: client
	$(GO) test -race -count=1 -timeout 15m $$($(GO) list ./... | grep -v -e '/cmd/skirmish$$' -e '/client/browsertest$$' -e '/deploy$$')
	SKIRMISH_CLIENT_DIST=$(abspath $(CLIENT_DIST)) $(GO) test -race -count=1 -timeout 15m -p 1 $(PROCESS_TESTS)
	SOAK=60s $(GO) test -count=1 -timeout 5m -run '^TestSoak$$' ./cmd/skirmish

## soak: a lobby, three nodes and Redis as processes under churning
## players while nodes are killed and drained, Redis restarts and hostile
## clients knock; checks that nothing desyncs, leaks or is given twice and
## writes bench/soak.md (SOAK=10m by default; SOAK=60s for a short one).
SOAK ?= 10m
soak:
	SOAK=$(SOAK) SOAK_REPORT=$(CURDIR)/bench $(GO) test -count=1 -timeout 30m -run '^TestSoak$$' -v ./cmd/skirmish

## wasm-test: the sim replayed under WebAssembly (Node) must hit the same
## per-tick hashes as natively: amd64 and wasm are bit-identical. Both the
## sim's golden run and a tick log a real server recorded of bots.
wasm-test:
	PATH="$(WASM_EXEC_DIR):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 -run 'TestReplay|TestVerifyTestdata' ./sim ./ticklog

## proto: regenerate proto/skirmish.pb.go (the wire) and
## proto/ticklogpb/ticklog.pb.go (the tick log) with the pinned tools.
PROTO_FILES := proto/skirmish.proto proto/ticklog.proto
PROTO_GO    := proto/skirmish.pb.go proto/ticklogpb/ticklog.pb.go
proto:
	@GOBIN=$(BIN) $(GO) install $(PROTOC_GEN_GO)
	protoc --plugin=protoc-gen-go=$(BIN)/protoc-gen-go --go_out=. --go_opt=module=skirmish $(PROTO_FILES)

## proto-check: fail when the committed generated code is stale.
proto-check:
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	protoc --plugin=protoc-gen-go=$(BIN)/protoc-gen-go --go_out=$$tmp --go_opt=module=skirmish $(PROTO_FILES); \
	for f in $(PROTO_GO); do \
	  if ! diff -q $$tmp/$$f $$f >/dev/null; then \
	    echo "$$f is stale: run 'make proto' and commit it"; diff $$tmp/$$f $$f | head -20; exit 1; \
	  fi; \
	done; echo "proto: generated code is up to date"

## conformance: regenerate the conformance corpus (proto/testdata/conformance:
## a scripted match's frames with the state hash after each, and movement
## vectors) after an intended change to the wire or the sim, then commit it.
## `make test` fails while the committed corpus differs from what the code makes.
conformance:
	$(GO) test -count=1 -run '^TestConformance$$' ./proto -update

## conformance-node: the corpus checked by a client in JavaScript written from
## skirmish.proto and the README alone (proto/conformance/check.js, protobufjs
## pinned in its package-lock.json).
conformance-node:
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "make conformance-node: node or npm is missing: run 'sudo apt-get install nodejs npm' (or 'make deps' as root)"; exit 1; }
	cd proto/conformance && npm ci --no-audit --no-fund --loglevel=error && node check.js

## bench: the micro-benchmarks behind the README's figures, then the load
## benchmark (bench/run): `skirmish serve` and the bare-gws floor, each under
## swarms of 250 to 2000 fighting bots, into bench/results.md and
## bench/results.html (about 10 minutes). BENCH_FLAGS=-quick: a one-minute
## smoke test of it.
BENCH_FLAGS ?=
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./sim ./proto ./server ./internal/linksim ./bots
	$(GO) run ./bench/run $(BENCH_FLAGS)

## bench-cluster: a lobby, 1 to 3 game nodes and Redis under swarms; writes
## bench/cluster.md (BENCH_FLAGS=-quick for a half-minute smoke test).
bench-cluster:
	$(GO) run ./bench/run -cluster $(BENCH_FLAGS)

clean:
	rm -rf bin .bin client/dist test-output proto/conformance/node_modules
