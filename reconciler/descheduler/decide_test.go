package descheduler_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/descheduler"
	"github.com/gitfleet/gitfleet/renderer"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

const threshold = 5 * time.Minute

// Placements, by how the descheduler treats them.
var (
	aggregated = &v1alpha1.Placement{ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDivided, ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceAggregated}}
	dynamicWeight = &v1alpha1.Placement{ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDivided, ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceWeighted,
		WeightPreference: &v1alpha1.ClusterPreferences{DynamicWeight: v1alpha1.DynamicWeightByAvailableReplicas}}}
	staticWeight = &v1alpha1.Placement{ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDivided, ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceWeighted}}
	duplicated = &v1alpha1.Placement{ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDuplicated}}
)

// workload is a rendered binding under test.
type workload struct {
	kind, name string
	// applied is written into the applied-placement annotation; spec is spec.placement.
	applied, spec *v1alpha1.Placement
	// clusters are the assignment, as "cluster=replicas" pairs.
	clusters map[string]int32
}

func deployment(name string, applied *v1alpha1.Placement, clusters map[string]int32) workload {
	return workload{kind: "Deployment", name: name, applied: applied, spec: applied, clusters: clusters}
}

func key(kind, name string) renderer.ObjectKey {
	return renderer.ObjectKey{Group: "apps", Kind: kind, Namespace: "default", Name: name}
}

func bindings(ws ...workload) map[renderer.ObjectKey]*v1alpha1.ResourceBinding {
	out := map[renderer.ObjectKey]*v1alpha1.ResourceBinding{}
	for _, w := range ws {
		b := &v1alpha1.ResourceBinding{}
		b.APIVersion, b.Kind = v1alpha1.WorkGroupVersion.String(), v1alpha1.ResourceKindResourceBinding
		b.Namespace, b.Name = "default", w.name+"-"+w.kind
		b.Spec.Resource = v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: w.kind, Namespace: "default", Name: w.name}
		b.Spec.Placement = w.spec
		if w.applied != nil {
			raw, _ := json.Marshal(w.applied)
			b.Annotations = map[string]string{v1alpha1.PolicyPlacementAnnotation: string(raw)}
		}
		for _, c := range []string{"a", "b", "c"} {
			if n, ok := w.clusters[c]; ok {
				b.Spec.Clusters = append(b.Spec.Clusters, v1alpha1.TargetCluster{Name: c, Replicas: n})
			}
		}
		out[key(w.kind, w.name)] = b
	}
	return out
}

// pending lists, for one cluster, the Deployments' unschedulable pods by how long before
// t0 each turned unschedulable.
func pending(cluster string, pods map[string][]time.Duration) *clusterstatus.UnschedulableFile {
	f := &clusterstatus.UnschedulableFile{Cluster: cluster}
	for name, ages := range pods {
		u := clusterstatus.UnschedulableWorkload{WorkloadRef: clusterstatus.WorkloadRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: name}}
		for _, age := range ages {
			u.Since = append(u.Since, metav1.NewTime(t0.Add(-age)))
		}
		f.Workloads = append(f.Workloads, u)
	}
	return f
}

func reduction(name, cluster string, from, to, unschedulable int32, decidedAt time.Time, commit string) v1alpha1.ReplicaReduction {
	return v1alpha1.ReplicaReduction{
		Resource: v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: name},
		Cluster:  cluster, FromReplicas: from, ToReplicas: to, Unschedulable: unschedulable,
		DecidedAt: metav1.NewTime(decidedAt), RenderedCommit: commit,
	}
}

// describe renders a reduction as "name@cluster from->to (unschedulable) at decidedAt-t0 commit".
func describe(rs []v1alpha1.ReplicaReduction) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s@%s %d->%d (%d) at %s %s", r.Resource.Name, r.Cluster, r.FromReplicas, r.ToReplicas,
			r.Unschedulable, r.DecidedAt.Sub(t0), r.RenderedCommit))
	}
	return out
}

func minutes(ms ...float64) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m * float64(time.Minute))
	}
	return out
}

func TestDecide(t *testing.T) {
	cases := []struct {
		name          string
		now           time.Duration // after t0
		bindings      []workload
		ready         map[renderer.ObjectKey]map[string]int32
		unschedulable []*clusterstatus.UnschedulableFile
		previous      []v1alpha1.ReplicaReduction
		want          []string
		wantChanges   []string
	}{{
		name:          "pods unschedulable for longer than the threshold move",
		bindings:      []workload{deployment("web", aggregated, map[string]int32{"a": 5, "b": 2})},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 3, "b": 2}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(6, 10)})},
		want:          []string{"web@a 5->3 (2) at 0s rendered-1"},
		wantChanges:   []string{"reduce apps/Deployment/default/web in a from 5 to 3 replicas: 2 unschedulable for more than 5m0s"},
	}, {
		name:          "a pod unschedulable for exactly the threshold stays",
		bindings:      []workload{deployment("web", aggregated, map[string]int32{"a": 5})},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 3}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(5, 4)})},
		want:          []string{},
	}, {
		name:          "one second past the threshold it moves",
		now:           time.Second,
		bindings:      []workload{deployment("web", aggregated, map[string]int32{"a": 5})},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 3}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(5, 4)})},
		want:          []string{"web@a 5->4 (1) at 1s rendered-1"},
		wantChanges:   []string{"reduce apps/Deployment/default/web in a from 5 to 4 replicas: 1 unschedulable for more than 5m0s"},
	}, {
		name:          "ready replicas stay: the target is raised to them",
		bindings:      []workload{deployment("web", aggregated, map[string]int32{"a": 6})},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 4}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(6, 7, 8, 9)})},
		want:          []string{"web@a 6->4 (4) at 0s rendered-1"},
		wantChanges:   []string{"reduce apps/Deployment/default/web in a from 6 to 4 replicas: 4 unschedulable for more than 5m0s"},
	}, {
		name:          "unknown readiness counts as -1: the cluster is looked at",
		bindings:      []workload{deployment("web", dynamicWeight, map[string]int32{"a": 3, "b": 3})},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("b", map[string][]time.Duration{"web": minutes(6, 6, 6)})},
		want:          []string{"web@b 3->0 (3) at 0s rendered-1"},
		wantChanges:   []string{"reduce apps/Deployment/default/web in b from 3 to 0 replicas: 3 unschedulable for more than 5m0s"},
	}, {
		name:          "a cluster whose replicas are all ready is left alone",
		bindings:      []workload{deployment("web", aggregated, map[string]int32{"a": 3})},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 3}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(6)})},
		want:          []string{},
	}, {
		name:          "more unschedulable pods than assigned replicas: left alone",
		bindings:      []workload{deployment("web", aggregated, map[string]int32{"a": 2})},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 0}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(6, 6, 6)})},
		want:          []string{},
	}, {
		name:     "only the workload's own pods in the cluster count",
		bindings: []workload{deployment("web", aggregated, map[string]int32{"a": 4, "b": 4})},
		ready:    map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 2, "b": 2}},
		unschedulable: []*clusterstatus.UnschedulableFile{
			pending("a", map[string][]time.Duration{"api": minutes(9, 9), "web": minutes(9)}),
			pending("b", nil),
		},
		want:        []string{"web@a 4->3 (1) at 0s rendered-1"},
		wantChanges: []string{"reduce apps/Deployment/default/web in a from 4 to 3 replicas: 1 unschedulable for more than 5m0s"},
	}, {
		name: "only dynamically divided Deployments are candidates",
		bindings: []workload{
			deployment("dup", duplicated, map[string]int32{"a": 4}),
			deployment("static", staticWeight, map[string]int32{"a": 4}),
			{kind: "StatefulSet", name: "db", applied: aggregated, spec: aggregated, clusters: map[string]int32{"a": 4}},
			// The applied placement decides, not the spec's (which the next schedule uses).
			{kind: "Deployment", name: "was-dup", applied: duplicated, spec: aggregated, clusters: map[string]int32{"a": 4}},
			// Without an applied placement, the spec's placement decides.
			{kind: "Deployment", name: "unapplied", spec: aggregated, clusters: map[string]int32{"a": 4}},
		},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{
			"dup": minutes(9), "static": minutes(9), "db": minutes(9), "was-dup": minutes(9), "unapplied": minutes(9)})},
		want:        []string{"unapplied@a 4->3 (1) at 0s rendered-1"},
		wantChanges: []string{"reduce apps/Deployment/default/unapplied in a from 4 to 3 replicas: 1 unschedulable for more than 5m0s"},
	}, {
		name:          "a reduction the render has not applied yet stays, and no second one is made",
		now:           2 * time.Minute,
		bindings:      []workload{deployment("web", aggregated, map[string]int32{"a": 5})},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 2}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(6, 7, 8)})},
		previous:      []v1alpha1.ReplicaReduction{reduction("web", "a", 5, 3, 2, t0, "rendered-0")},
		want:          []string{"web@a 5->3 (2) at 0s rendered-0"},
	}, {
		name:     "a reduction the render applied is retired",
		bindings: []workload{deployment("web", aggregated, map[string]int32{"a": 3, "b": 2})},
		ready:    map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 3}},
		previous: []v1alpha1.ReplicaReduction{reduction("web", "a", 5, 3, 2, t0, "rendered-0")},
		want:     []string{},
		wantChanges: []string{
			"retire the reduction of apps/Deployment/default/web in a from 5 to 3 replicas: the rendered binding assigns 3 replicas"},
	}, {
		name: "reductions of a gone binding, or of a cluster no longer targeted, are retired",
		bindings: []workload{
			deployment("web", aggregated, map[string]int32{"b": 5}),
			deployment("api", aggregated, map[string]int32{"a": 5}),
		},
		ready: map[renderer.ObjectKey]map[string]int32{key("Deployment", "api"): {"a": 2}},
		previous: []v1alpha1.ReplicaReduction{
			reduction("gone", "a", 5, 3, 2, t0, "rendered-0"),
			reduction("web", "a", 5, 3, 2, t0, "rendered-0"),
			reduction("api", "a", 5, 2, 3, t0, "rendered-0"),
		},
		want: []string{"api@a 5->2 (3) at 0s rendered-0"},
		wantChanges: []string{
			"retire the reduction of apps/Deployment/default/gone in a from 5 to 3 replicas: the binding is gone",
			"retire the reduction of apps/Deployment/default/web in a from 5 to 3 replicas: the rendered binding no longer targets the cluster",
		},
	}, {
		name: "a retired reduction makes room for a new one against the new binding",
		now:  4 * time.Minute,
		bindings: []workload{
			deployment("web", aggregated, map[string]int32{"a": 3, "b": 2}),
		},
		ready:         map[renderer.ObjectKey]map[string]int32{key("Deployment", "web"): {"a": 2, "b": 2}},
		unschedulable: []*clusterstatus.UnschedulableFile{pending("a", map[string][]time.Duration{"web": minutes(9)})},
		previous:      []v1alpha1.ReplicaReduction{reduction("web", "a", 5, 3, 2, t0, "rendered-0")},
		want:          []string{"web@a 3->2 (1) at 4m0s rendered-1"},
		wantChanges: []string{
			"reduce apps/Deployment/default/web in a from 3 to 2 replicas: 1 unschedulable for more than 5m0s",
			"retire the reduction of apps/Deployment/default/web in a from 5 to 3 replicas: the rendered binding assigns 3 replicas"},
	}, {
		name: "decisions are sorted by resource, then cluster",
		now:  90 * time.Second,
		bindings: []workload{
			deployment("web", aggregated, map[string]int32{"a": 2, "b": 2, "c": 2}),
			deployment("api", dynamicWeight, map[string]int32{"c": 2}),
		},
		unschedulable: []*clusterstatus.UnschedulableFile{
			pending("c", map[string][]time.Duration{"web": minutes(9), "api": minutes(9)}),
			pending("a", map[string][]time.Duration{"web": minutes(9)}),
		},
		previous: []v1alpha1.ReplicaReduction{reduction("web", "b", 2, 1, 1, t0, "rendered-0")},
		want: []string{
			"api@c 2->1 (1) at 1m30s rendered-1",
			"web@a 2->1 (1) at 1m30s rendered-1",
			"web@b 2->1 (1) at 0s rendered-0",
			"web@c 2->1 (1) at 1m30s rendered-1",
		},
		wantChanges: []string{
			"reduce apps/Deployment/default/api in c from 2 to 1 replicas: 1 unschedulable for more than 5m0s",
			"reduce apps/Deployment/default/web in a from 2 to 1 replicas: 1 unschedulable for more than 5m0s",
			"reduce apps/Deployment/default/web in c from 2 to 1 replicas: 1 unschedulable for more than 5m0s",
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := descheduler.Input{
				Now: t0.Add(tc.now), Threshold: threshold, Bindings: bindings(tc.bindings...), RenderedCommit: "rendered-1",
				Ready: tc.ready, Unschedulable: map[string]*clusterstatus.UnschedulableFile{},
			}
			for _, f := range tc.unschedulable {
				in.Unschedulable[f.Cluster] = f
			}
			if tc.previous != nil {
				in.Previous = &v1alpha1.DeschedulingDecisions{Reductions: tc.previous}
			}
			res := descheduler.Decide(in)
			g.Expect(describe(res.Decisions.Reductions)).To(Equal(tc.want))
			g.Expect(res.Changes).To(Equal(tc.wantChanges))
		})
	}
}

// With nothing to decide the result still has the file's shape, so an empty file is
// written the same way every time.
func TestDecideEmpty(t *testing.T) {
	g := NewWithT(t)
	res := descheduler.Decide(descheduler.Input{Now: t0, Threshold: threshold})
	g.Expect(res.Decisions.APIVersion).To(Equal("gitfleet.io/v1alpha1"))
	g.Expect(res.Decisions.Kind).To(Equal("DeschedulingDecisions"))
	g.Expect(res.Decisions.Reductions).NotTo(BeNil())
	g.Expect(res.Decisions.Reductions).To(BeEmpty())
	g.Expect(res.Changes).To(BeEmpty())
}

// DecidedAt is recorded in UTC whole seconds, as it reads back from YAML, so deciding again
// from the written file changes nothing.
func TestDecidedAtIsUTCSeconds(t *testing.T) {
	g := NewWithT(t)
	now := t0.Add(1500 * time.Millisecond).In(time.FixedZone("CET", 3600))
	in := descheduler.Input{
		Now: now, Threshold: threshold, RenderedCommit: "rendered-1",
		Bindings:      bindings(deployment("web", aggregated, map[string]int32{"a": 2})),
		Unschedulable: map[string]*clusterstatus.UnschedulableFile{"a": pending("a", map[string][]time.Duration{"web": minutes(9)})},
	}
	res := descheduler.Decide(in)
	g.Expect(res.Decisions.Reductions).To(HaveLen(1))
	at := res.Decisions.Reductions[0].DecidedAt.Time
	g.Expect(at.Location()).To(Equal(time.UTC))
	g.Expect(at).To(Equal(t0.Add(time.Second)))

	in.Previous, in.Now = res.Decisions, now.Add(time.Minute)
	again := descheduler.Decide(in)
	g.Expect(again.Decisions).To(Equal(res.Decisions))
	g.Expect(again.Changes).To(BeEmpty())
}
