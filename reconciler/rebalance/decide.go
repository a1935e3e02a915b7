// Package rebalance records what comes of the WorkloadRebalancers in the source (semantics
// §1.7, DESIGN §1.4). Karmada's controller stamps the listed workloads' bindings with the
// time it saw the rebalancer, which makes the scheduler place them afresh, and writes the
// outcome into the rebalancer's status. In gitfleet the source is read-only to the hub, so
// both halves live on the status ref (decisions/rebalances.yaml): the hub records when it
// first saw each rebalancer, the renderer copies that time into the bindings'
// rescheduleTriggeredAt, and the hub reads the rendered bindings back to record the
// outcome.
//
// Decide is pure — the time is an input — so the same inputs give the same file.
package rebalance

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// DecisionsKind is the kind of decisions/rebalances.yaml.
const DecisionsKind = "RebalanceDecisions"

// Input is what Decide decides from.
type Input struct {
	// Now stamps new triggers and finish times.
	Now time.Time
	// Rebalancers are the source's WorkloadRebalancers.
	Rebalancers []*v1alpha1.WorkloadRebalancer
	// Bindings are the rendered bindings by template key; a workload's result is read
	// from its binding's rescheduleTriggeredAt.
	Bindings map[renderer.ObjectKey]*v1alpha1.ResourceBinding
	// Previous are the decisions before (nil: none).
	Previous *v1alpha1.RebalanceDecisions
}

// Result is what Decide decided.
type Result struct {
	// Decisions are one per rebalancer of the source, sorted by name; never nil, and
	// Rebalancers is never nil, so the file always has the same shape.
	Decisions *v1alpha1.RebalanceDecisions
	// Changes describe, one line each and sorted, the triggers, results and finishes
	// recorded, and the rebalancers forgotten, for the status commit's message.
	Changes []string
}

// Decide returns the decision of every rebalancer of the source after in.
//
// A rebalancer seen for the first time, or whose workloads changed, is triggered now with
// an empty status. Until it finishes, each workload's result is read from the rendered
// bindings: a workload without a binding has Failed (ReferencedBindingNotFound); one whose
// binding's rescheduleTriggeredAt is not before the trigger was rescheduled by that render
// and is Successful; any other is still in progress. A Successful result stays. The first
// time every workload has a result, FinishTime is set, and from then on the status is left
// as it is, as Karmada leaves a finished rebalancer alone.
//
// A rebalancer no longer in the source loses its decision: removing it from Git is how it
// is deleted. TTLSecondsAfterFinished is ignored for the same reason — the hub cannot
// delete a file from the source, and deleting the decision alone would only trigger the
// rebalancer again on the next cycle.
func Decide(in Input) Result {
	now := metav1.NewTime(in.Now.UTC().Truncate(time.Second))
	previous := map[string]v1alpha1.RebalanceDecision{}
	if in.Previous != nil {
		for _, d := range in.Previous.Rebalancers {
			previous[d.Name] = d
		}
	}
	out := &v1alpha1.RebalanceDecisions{Rebalancers: []v1alpha1.RebalanceDecision{}}
	out.APIVersion, out.Kind = v1alpha1.GitfleetGroupVersion.String(), DecisionsKind
	var changes []string

	seen := map[string]bool{}
	for _, w := range in.Rebalancers {
		if w == nil || seen[w.Name] {
			continue // a name is unique in a valid source; the first one counts
		}
		seen[w.Name] = true
		digest := SpecDigest(w)
		d, ok := previous[w.Name]
		switch {
		case !ok:
			d = v1alpha1.RebalanceDecision{Name: w.Name, SpecDigest: digest, TriggeredAt: now}
			changes = append(changes, fmt.Sprintf("trigger WorkloadRebalancer %s at %s", w.Name, now.Format(time.RFC3339)))
		case d.SpecDigest != digest:
			d = v1alpha1.RebalanceDecision{Name: w.Name, SpecDigest: digest, TriggeredAt: now}
			changes = append(changes, fmt.Sprintf("trigger WorkloadRebalancer %s again at %s: its workloads changed", w.Name, now.Format(time.RFC3339)))
		}
		changes = append(changes, observe(w, &d, in.Bindings, now)...)
		out.Rebalancers = append(out.Rebalancers, d)
	}
	for name := range previous {
		if !seen[name] {
			changes = append(changes, fmt.Sprintf("forget WorkloadRebalancer %s: it is no longer in the source", name))
		}
	}

	slices.SortFunc(out.Rebalancers, func(a, b v1alpha1.RebalanceDecision) int { return strings.Compare(a.Name, b.Name) })
	slices.Sort(changes)
	return Result{Decisions: out, Changes: changes}
}

// observe brings an unfinished decision's status up to date with the rendered bindings and
// returns what changed.
func observe(w *v1alpha1.WorkloadRebalancer, d *v1alpha1.RebalanceDecision, bindings map[renderer.ObjectKey]*v1alpha1.ResourceBinding,
	now metav1.Time) []string {
	if d.Status.FinishTime != nil {
		return nil
	}
	before := map[v1alpha1.WorkloadReference]v1alpha1.ObservedWorkload{}
	for _, o := range d.Status.ObservedWorkloads {
		before[o.Workload] = o
	}
	var changes []string
	observed := []v1alpha1.ObservedWorkload{}
	finished := true
	for _, ref := range workloads(w) {
		o, ok := before[ref]
		if !ok || o.Result != v1alpha1.RebalanceSuccessful {
			o = result(ref, bindings[keyOf(ref)], d.TriggeredAt)
		}
		if o.Result != before[ref].Result || o.Reason != before[ref].Reason {
			changes = append(changes, fmt.Sprintf("WorkloadRebalancer %s: %s %s", w.Name, describe(ref), outcome(o)))
		}
		finished = finished && o.Result != ""
		observed = append(observed, o)
	}
	d.Status.ObservedWorkloads = observed
	d.Status.ObservedGeneration = w.Generation
	if finished {
		t := now
		d.Status.FinishTime = &t
		changes = append(changes, fmt.Sprintf("WorkloadRebalancer %s finished", w.Name))
	}
	return changes
}

// result is a workload's outcome as the rendered binding shows it.
func result(ref v1alpha1.WorkloadReference, b *v1alpha1.ResourceBinding, triggeredAt metav1.Time) v1alpha1.ObservedWorkload {
	o := v1alpha1.ObservedWorkload{Workload: ref}
	switch {
	case b == nil:
		o.Result, o.Reason = v1alpha1.RebalanceFailed, v1alpha1.RebalanceObjectNotFound
	case b.Spec.RescheduleTriggeredAt != nil && !b.Spec.RescheduleTriggeredAt.Before(&triggeredAt):
		o.Result = v1alpha1.RebalanceSuccessful
	}
	return o
}

// outcome words a workload's result for a change line.
func outcome(o v1alpha1.ObservedWorkload) string {
	switch {
	case o.Result == "":
		return "in progress"
	case o.Reason != "":
		return fmt.Sprintf("%s (%s)", o.Result, o.Reason)
	default:
		return string(o.Result)
	}
}

// SpecDigest is the digest recorded in RebalanceDecision.SpecDigest. It covers the set of
// workloads only: their order and repetitions change nothing, and neither does
// TTLSecondsAfterFinished, which gitfleet ignores, so editing either does not reschedule
// the workloads again.
func SpecDigest(w *v1alpha1.WorkloadRebalancer) string {
	data, _ := json.Marshal(workloads(w)) // structs of strings always encode
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// workloads are the rebalancer's workloads without repetitions, sorted by API version,
// kind, namespace and name — the order the status lists them in.
func workloads(w *v1alpha1.WorkloadRebalancer) []v1alpha1.WorkloadReference {
	out := slices.Clone(w.Spec.Workloads)
	slices.SortFunc(out, func(a, b v1alpha1.WorkloadReference) int {
		return cmp.Or(strings.Compare(a.APIVersion, b.APIVersion), strings.Compare(a.Kind, b.Kind),
			strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name))
	})
	return slices.Compact(out)
}

// keyOf is the template key of a workload reference, as the renderer keys the bindings.
func keyOf(ref v1alpha1.WorkloadReference) renderer.ObjectKey {
	return renderer.ReferenceKey(ref.APIVersion, ref.Kind, ref.Namespace, ref.Name)
}

// describe names a workload as apiVersion/kind/namespace/name.
func describe(ref v1alpha1.WorkloadReference) string {
	parts := []string{ref.APIVersion, ref.Kind, ref.Namespace, ref.Name}
	if ref.Namespace == "" {
		parts = []string{ref.APIVersion, ref.Kind, ref.Name}
	}
	return strings.Join(parts, "/")
}
