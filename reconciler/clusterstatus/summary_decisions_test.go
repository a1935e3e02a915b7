package clusterstatus

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestReadSummaryDecisions(t *testing.T) {
	fsys := fstest.MapFS{
		"decisions/taints.yaml": {Data: []byte(`apiVersion: gitfleet.io/v1alpha1
kind: TaintDecisions
clusters:
- cluster: b
  taints:
  - {key: cluster.karmada.io/not-ready, effect: NoExecute, timeAdded: "2026-05-06T07:08:09Z", reason: ClusterTaintPolicy/prod-not-ready}
`)},
		"decisions/evictions.yaml": {Data: []byte(`apiVersion: gitfleet.io/v1alpha1
kind: EvictionDecisions
bindings:
- resource: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
  tasks:
  - {fromCluster: b, reason: TaintUntolerated, producer: TaintManager, creationTimestamp: "2026-05-06T07:08:10Z"}
`)},
		"decisions/descheduling.yaml": {Data: []byte(`apiVersion: gitfleet.io/v1alpha1
kind: DeschedulingDecisions
reductions:
- resource: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: api}
  cluster: a
  fromReplicas: 4
  toReplicas: 1
  unschedulable: 3
  decidedAt: "2026-05-06T07:09:00Z"
`)},
	}
	s, err := ReadSummary(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []DecisionRow{
		{Kind: "taint", Cluster: "b", What: "cluster.karmada.io/not-ready:NoExecute (ClusterTaintPolicy/prod-not-ready)", Since: "2026-05-06T07:08:09Z"},
		{Kind: "eviction", Cluster: "b", Object: "Deployment/shop/web", What: "TaintUntolerated, purge Gracefully", Since: "2026-05-06T07:08:10Z"},
		{Kind: "descheduling", Cluster: "a", Object: "Deployment/shop/api", What: "replicas 4 → 1 (3 unschedulable)", Since: "2026-05-06T07:09:00Z"},
	}
	if diff := cmp.Diff(want, s.Decisions); diff != "" {
		t.Errorf("decisions (-want +got):\n%s", diff)
	}

	fsys["decisions/evictions.yaml"] = &fstest.MapFile{Data: []byte("bindings: [\n")}
	if _, err := ReadSummary(fsys); err == nil || !strings.Contains(err.Error(), "decisions/evictions.yaml") {
		t.Errorf("a broken decisions file: error %v, want one naming the file", err)
	}
}
