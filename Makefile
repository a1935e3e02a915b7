# gitfleet — the front door. Every target installs what it needs into bin/.
SHELL := /usr/bin/env bash
GO ?= go
BIN := $(CURDIR)/bin
export GOFLAGS := -buildvcs=false

CONTROLLER_GEN := $(BIN)/controller-gen
GITFLEET := $(BIN)/gitfleet
PKGS := ./...
TEST_TIMEOUT ?= 40m
# Fuzz runs are bounded by executions, not time: replaying a large cached corpus (the baseline
# coverage pass) can outlast a time budget, and the run then fails with "context deadline
# exceeded" before fuzzing starts. Minimizing a new input is bounded the same way.
FUZZTIME ?= 10000x
FUZZMINIMIZETIME ?= 20x
BENCHTIME ?= 1s

.PHONY: all build test unit fuzz lint generate verify-generate demo demo-down bench tools clean

all: build

## build: the gitfleet binary into bin/
build:
	$(GO) build -o $(GITFLEET) ./cmd/gitfleet

## tools: tool binaries into bin/ (one Go module per tool under hack/tools/; built only when missing):
## controller-gen, and etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, helm
include hack/tools/tools.mk
tools: $(CONTROLLER_GEN) cluster-tools

$(CONTROLLER_GEN): hack/tools/controller-gen/go.mod
	cd hack/tools/controller-gen && $(GO) build -o $(CONTROLLER_GEN) sigs.k8s.io/controller-tools/cmd/controller-gen

## generate: deepcopy functions of api/v1alpha1
generate: $(CONTROLLER_GEN)
	$(CONTROLLER_GEN) object paths=./api/...

## verify-generate: fail when generated code is stale (compares before and after regenerating)
verify-generate: $(CONTROLLER_GEN)
	@before=$$(cat api/v1alpha1/zz_generated.deepcopy.go | sha256sum); \
	$(CONTROLLER_GEN) object paths=./api/...; \
	after=$$(cat api/v1alpha1/zz_generated.deepcopy.go | sha256sum); \
	if [ "$$before" != "$$after" ]; then echo "generated code was stale: 'make generate' updated it; commit the result"; exit 1; fi

## lint: gofmt check and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

## test: the whole suite — lint, generated code up to date, unit and integration tests (real
## etcd, kube-apiserver, controller-manager, scheduler and kwok, and helm for the charts, from bin/,
## built on first use), a short fuzz run, and the CLI on the example fleet
TEST_TOOLS = $(ETCD) $(KUBE_APISERVER) $(KUBE_CONTROLLER_MANAGER) $(KUBE_SCHEDULER) $(KWOK) $(KWOK_STAGES) $(HELM)
test: lint verify-generate build $(TEST_TOOLS)
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(PKGS)
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME)
	$(GITFLEET) validate --source fleet-repo-example

## fuzz: run each fuzz target for FUZZTIME
fuzz:
	$(GO) test ./renderer/ -run '^$$' -fuzz '^FuzzLoadSource$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)
	$(GO) test ./scheduler/ -run '^$$' -fuzz '^FuzzSchedule$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)
	$(GO) test ./scheduler/ -run '^$$' -fuzz '^FuzzScheduleInputOrder$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)
	$(GO) test ./renderer/yamlenc/ -run '^$$' -fuzz '^FuzzMarshal$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)

## bench: Go benchmarks (report with `benchstat`), then the fleet scenarios of BENCHMARKS.md
## (F100 and F1000 render + commit, re-renders checked against full renders, and F100 the
## kustomize way with `kubectl kustomize` side by side, the pull agent at work and idle) into
## bin/_bench/report.md (the _ keeps `go ./...` from walking its ~100k files), and 50 simulated
## pull agents reporting to one hub for LOAD_DURATION (fold latency p50/p99).
## BENCH_FLAGS passes flags to the driver, e.g. BENCH_FLAGS='-sizes f100 -kustomize-clusters 10'.
BENCH_FLAGS ?=
# LOAD_DURATION is how long 50 simulated pull agents report to one hub in `make bench`
# (`make test` runs the same test for 60 s).
LOAD_DURATION ?= 5m
bench: build $(TEST_TOOLS) $(KUBECTL)
	@uptime
	KUBECTL=$(KUBECTL) $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)
	GITFLEET_LOAD_DURATION=$(LOAD_DURATION) $(GO) test -run '^TestAgentReportsLoad$$' -count 1 -v -timeout 30m ./reconciler/controller/
	$(GO) run ./hack/bench -workdir $(BIN)/_bench -gitfleet $(GITFLEET) -kubectl $(KUBECTL) $(BENCH_FLAGS)

## demo: the main job on the embedded example fleet: every cluster it defines started as a local
## member cluster with fake nodes, a fresh fleet repository made from it, and the hub's loop
## (`gitfleet controller`) until the fleet converges; prints the placement, the status and how
## to browse the branches. The clusters keep running until `make demo-down` (DEMO_ONCE=1: stop
## them at the end).
demo: build $(TEST_TOOLS)
	hack/demo.sh $(BIN)

## demo-down: stop the demo's hub, agents and clusters
demo-down:
	@for f in $(BIN)/demo/hub.pid $(BIN)/demo/agents/*.pid; do [ -e "$$f" ] || continue; kill $$(cat "$$f") 2>/dev/null || true; rm -f "$$f"; done
	@if [ -e $(BIN)/demo/clusters ]; then $(GITFLEET) dev down --state-dir $(BIN)/demo/clusters; fi

clean:
	rm -rf $(BIN)
