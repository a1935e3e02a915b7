# Cluster tool binaries for integration and e2e tests (DESIGN.md §4): etcd, the Kubernetes control
# plane, kwok with its stages, and helm. Included by the Makefile, which defines BIN and GO.
#
# Each tool is built from its own Go module under hack/tools/<tool>/, so the dependency graphs of
# the tools never clash with each other or with gitfleet's. A tool is built only when its binary is
# missing or older than its module's go.mod; to upgrade one, change the version in that go.mod, run
# `go mod tidy` in its directory, and run `make tools`. Versions reported by the binaries are taken
# from those go.mod files, so they are written in one place only.

TOOLS_DIR := $(CURDIR)/hack/tools

ETCD := $(BIN)/etcd
KUBE_APISERVER := $(BIN)/kube-apiserver
KUBE_CONTROLLER_MANAGER := $(BIN)/kube-controller-manager
KUBE_SCHEDULER := $(BIN)/kube-scheduler
KWOK := $(BIN)/kwok
# KWOK_STAGES is a directory of kwok Stage files (one Stage each) that make fake nodes Ready and
# drive fake pods through their lifecycle quickly; pass each to kwok with --config.
KWOK_STAGES := $(BIN)/kwok-stages
HELM := $(BIN)/helm
# KUBECTL is the comparator of `make bench` (kubectl apply --server-side, kubectl kustomize);
# tests do not need it.
KUBECTL := $(BIN)/kubectl

.PHONY: cluster-tools
## cluster-tools: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok (and its
## stages), helm and kubectl into bin/
cluster-tools: $(ETCD) $(KUBE_APISERVER) $(KUBE_CONTROLLER_MANAGER) $(KUBE_SCHEDULER) $(KWOK) $(KWOK_STAGES) $(HELM) $(KUBECTL)

$(ETCD): $(TOOLS_DIR)/etcd/go.mod $(TOOLS_DIR)/etcd/main.go
	cd $(TOOLS_DIR)/etcd && $(GO) build -o $@ .

# Upstream release builds stamp the version into the binaries; without it they report
# v0.0.0-master, which clients that compare server versions (helm's kubeVersion constraints,
# version-skew checks) reject. The recipe runs in hack/tools/kubernetes, whose go.mod holds it.
KUBE_LDFLAGS = $$(v=$$($(GO) list -m -f '{{.Version}}' k8s.io/kubernetes) && \
	major=$${v\#v} && major=$${major%%.*} && minor=$${v\#v*.} && minor=$${minor%%.*} && \
	for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do \
	  printf -- '-X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s ' $$p $$v $$p $$major $$p $$minor; \
	done)

$(KUBE_APISERVER) $(KUBE_CONTROLLER_MANAGER) $(KUBE_SCHEDULER) $(KUBECTL): $(TOOLS_DIR)/kubernetes/go.mod
	cd $(TOOLS_DIR)/kubernetes && $(GO) build -ldflags "$(KUBE_LDFLAGS)" -o $@ k8s.io/kubernetes/cmd/$(notdir $@)

$(KWOK): $(TOOLS_DIR)/kwok/go.mod
	cd $(TOOLS_DIR)/kwok && $(GO) build -o $@ sigs.k8s.io/kwok/cmd/kwok

# The "fast" node and pod stages of the pinned kwok module, copied from the module cache. Only the
# Stage documents are copied (their kustomization.yaml and test data are not kwok configuration).
$(KWOK_STAGES): $(TOOLS_DIR)/kwok/go.mod
	rm -rf $@ && mkdir -p $@
	cd $(TOOLS_DIR)/kwok && $(GO) mod download sigs.k8s.io/kwok && \
	  dir=$$($(GO) list -m -f '{{.Dir}}' sigs.k8s.io/kwok) && \
	  for f in $$(grep -l '^kind: Stage$$' "$$dir"/kustomize/stage/node/fast/*.yaml "$$dir"/kustomize/stage/pod/fast/*.yaml); do \
	    cp "$$f" $@/ && chmod u+w $@/$${f##*/} || exit 1; \
	  done
	@test -n "$$(ls $@)" || { echo "no kwok stages found"; exit 1; }
	touch $@

# helm reports the version it was released as, and assumes the Kubernetes minor version of its
# client-go when no cluster is asked (helm template, helm lint), as its own release build does.
HELM_LDFLAGS = $$(v=$$($(GO) list -m -f '{{.Version}}' helm.sh/helm/v3) && \
	k=$$($(GO) list -m -f '{{.Version}}' k8s.io/client-go) && \
	major=$${k\#v} && major=$$(( $${major%%.*} + 1 )) && minor=$${k\#v*.} && minor=$${minor%%.*} && \
	printf -- '-X helm.sh/helm/v3/internal/version.version=%s ' $$v && \
	for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do \
	  printf -- '-X %s.k8sVersionMajor=%s -X %s.k8sVersionMinor=%s ' $$p $$major $$p $$minor; \
	done)

$(HELM): $(TOOLS_DIR)/helm/go.mod
	cd $(TOOLS_DIR)/helm && $(GO) build -ldflags "$(HELM_LDFLAGS)" -o $@ helm.sh/helm/v3/cmd/helm
