// Package descheduler decides which replicas to take away from member clusters that cannot
// schedule them (semantics §4, DESIGN §1.4). Karmada's descheduler rewrites the binding in
// place; in gitfleet the hub records a ReplicaReduction on the status ref instead
// (decisions/descheduling.yaml), the renderer applies it to the binding it renders, and the
// scheduler's scale-up path then places the difference on clusters with room.
//
// Decide is pure — the time is an input — so the same status gives the same decisions,
// and every decision can be replayed from the commits it was made from.
package descheduler

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/renderer"
)

// DecisionsKind is the kind of decisions/descheduling.yaml.
const DecisionsKind = "DeschedulingDecisions"

// Input is what Decide decides from.
type Input struct {
	// Now is the time of the decision: it stamps new reductions and is what pods'
	// unschedulable times are measured against.
	Now time.Time
	// Threshold is how long a pod must have been unschedulable (FleetConfig
	// descheduler.unschedulableThreshold) before its replica is moved: a pod that waits a
	// little is normal while a cluster scales its nodes.
	Threshold time.Duration
	// Bindings are the rendered bindings by template key (renderer.Previous.Bindings), and
	// RenderedCommit the commit they come from.
	Bindings       map[renderer.ObjectKey]*v1alpha1.ResourceBinding
	RenderedCommit string
	// Ready is, per binding and target cluster, status.readyReplicas of the workload in
	// that cluster (from the status tree's aggregated status items); a missing entry means
	// unknown (-1 in Karmada's terms).
	Ready map[renderer.ObjectKey]map[string]int32
	// Unschedulable are the clusters' unschedulable pods (clusters/<c>/unschedulable.yaml),
	// by cluster.
	Unschedulable map[string]*clusterstatus.UnschedulableFile
	// Previous are the decisions before (nil: none).
	Previous *v1alpha1.DeschedulingDecisions
}

// Result is what Decide decided.
type Result struct {
	// Decisions are the reductions in force, sorted by resource then cluster; never nil,
	// and Reductions is never nil, so the file always has the same shape.
	Decisions *v1alpha1.DeschedulingDecisions
	// Changes describe, one line each and sorted, the reductions made or retired, for the
	// status commit's message.
	Changes []string
}

// unknownReady is the ready count of a workload whose status was not collected from the
// cluster; it is below any assignment, so such a cluster is looked at, as in Karmada.
const unknownReady int32 = -1

// Decide returns the reductions in force after in: the previous ones that still apply, and
// new ones for clusters of dynamically divided Deployments whose pods have been
// unschedulable for longer than the threshold.
//
// A reduction is tied to the binding it was made against: it stays while the rendered
// binding still assigns FromReplicas to its cluster, and is retired as soon as it does not
// — the render applied it, or something else (a rescheduling, a scale) changed the state it
// was made for, in which case it no longer means anything. While a reduction is in force no
// other is made for the same binding and cluster: the unschedulable pods it counted are
// still there until the render applies it, and counting them again would move them twice.
func Decide(in Input) Result {
	now := metav1.NewTime(in.Now.UTC().Truncate(time.Second))
	out := &v1alpha1.DeschedulingDecisions{Reductions: []v1alpha1.ReplicaReduction{}}
	out.APIVersion, out.Kind = v1alpha1.GitfleetGroupVersion.String(), DecisionsKind
	var changes []string

	type target struct {
		key     renderer.ObjectKey
		cluster string
	}
	inForce := map[target]bool{}
	if in.Previous != nil {
		for _, r := range in.Previous.Reductions {
			key := keyOf(r.Resource)
			t := target{key, r.Cluster}
			if inForce[t] {
				continue // a duplicate in a hand-edited file: the first one counts
			}
			if why := retired(r, in.Bindings[key]); why != "" {
				changes = append(changes, fmt.Sprintf("retire the reduction of %s in %s from %d to %d replicas: %s",
					key, r.Cluster, r.FromReplicas, r.ToReplicas, why))
				continue
			}
			inForce[t] = true
			out.Reductions = append(out.Reductions, r)
		}
	}

	for key, b := range in.Bindings {
		if !isCandidate(b) {
			continue
		}
		workload := clusterstatus.WorkloadRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: b.Spec.Resource.Namespace, Name: b.Spec.Resource.Name}
		for _, tc := range b.Spec.Clusters {
			if inForce[target{key, tc.Name}] {
				continue
			}
			ready, ok := in.Ready[key][tc.Name]
			if !ok {
				ready = unknownReady
			}
			spec := tc.Replicas
			if ready >= spec {
				continue
			}
			unschedulable := countUnschedulable(in.Unschedulable[tc.Name], workload, in.Now, in.Threshold)
			if unschedulable == 0 || spec < unschedulable {
				// More unschedulable pods than assigned replicas means the count is not
				// about this assignment (pods of an older rollout): leave it alone.
				continue
			}
			to := spec - unschedulable
			if to < ready {
				// Replicas that are ready stay: only the ones that cannot run move.
				to = ready
			}
			out.Reductions = append(out.Reductions, v1alpha1.ReplicaReduction{
				Resource: resourceOf(b), Cluster: tc.Name, FromReplicas: spec, ToReplicas: to,
				Unschedulable: unschedulable, DecidedAt: now, RenderedCommit: in.RenderedCommit,
			})
			changes = append(changes, fmt.Sprintf("reduce %s in %s from %d to %d replicas: %d unschedulable for more than %s",
				key, tc.Name, spec, to, unschedulable, in.Threshold))
		}
	}

	slices.SortFunc(out.Reductions, func(a, b v1alpha1.ReplicaReduction) int {
		return cmp.Or(compareResources(a.Resource, b.Resource), strings.Compare(a.Cluster, b.Cluster))
	})
	slices.Sort(changes)
	return Result{Decisions: out, Changes: changes}
}

// retired says why a previous reduction no longer applies to the rendered binding, or ""
// when it still does.
func retired(r v1alpha1.ReplicaReduction, b *v1alpha1.ResourceBinding) string {
	if b == nil {
		return "the binding is gone"
	}
	i := slices.IndexFunc(b.Spec.Clusters, func(tc v1alpha1.TargetCluster) bool { return tc.Name == r.Cluster })
	if i < 0 {
		return "the rendered binding no longer targets the cluster"
	}
	if n := b.Spec.Clusters[i].Replicas; n != r.FromReplicas {
		return fmt.Sprintf("the rendered binding assigns %d replicas", n)
	}
	return ""
}

// isCandidate reports whether the descheduler looks at a binding: a namespaced Deployment
// whose replicas are divided by cluster capacity. Only there does moving a replica make
// sense — a Duplicated or statically weighted placement would put it right back — and only
// for Deployments does the member report unschedulable pods per workload.
func isCandidate(b *v1alpha1.ResourceBinding) bool {
	if b == nil || b.Kind == v1alpha1.ResourceKindClusterResourceBinding {
		return false
	}
	r := b.Spec.Resource
	if r.APIVersion != "apps/v1" || r.Kind != "Deployment" || r.Namespace == "" {
		return false
	}
	p := appliedPlacement(b)
	return p != nil && p.IsReplicaDynamicDivided()
}

// appliedPlacement is the placement the binding was last scheduled with: the clusters were
// divided by it, so it decides whether they may be re-divided. A binding without a readable
// annotation falls back to its spec's placement.
func appliedPlacement(b *v1alpha1.ResourceBinding) *v1alpha1.Placement {
	if raw := b.Annotations[v1alpha1.PolicyPlacementAnnotation]; raw != "" {
		p := &v1alpha1.Placement{}
		if err := json.Unmarshal([]byte(raw), p); err == nil {
			return p
		}
	}
	return b.Spec.Placement
}

// countUnschedulable counts the workload's pods in a cluster that have been unschedulable
// for longer than threshold at now.
func countUnschedulable(f *clusterstatus.UnschedulableFile, w clusterstatus.WorkloadRef, now time.Time, threshold time.Duration) int32 {
	if f == nil {
		return 0
	}
	var n int32
	for _, u := range f.Workloads {
		if u.WorkloadRef != w {
			continue
		}
		for _, since := range u.Since {
			if since.Add(threshold).Before(now) {
				n++
			}
		}
	}
	return n
}

// resourceOf is the reference a reduction records: the fields that name the binding's
// template, so the file names a workload the same way whatever else the binding carries.
func resourceOf(b *v1alpha1.ResourceBinding) v1alpha1.ObjectReference {
	r := b.Spec.Resource
	return v1alpha1.ObjectReference{APIVersion: r.APIVersion, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name}
}

// keyOf is the template key of a resource reference, as the renderer keys the bindings.
func keyOf(r v1alpha1.ObjectReference) renderer.ObjectKey {
	return renderer.ReferenceKey(r.APIVersion, r.Kind, r.Namespace, r.Name)
}

// compareResources orders references by API version, kind, namespace and name, as the
// other decision files order their bindings.
func compareResources(a, b v1alpha1.ObjectReference) int {
	return cmp.Or(strings.Compare(a.APIVersion, b.APIVersion), strings.Compare(a.Kind, b.Kind),
		strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name))
}
