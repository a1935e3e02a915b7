package interpreter

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/scheduler"
)

// DivideJobCompletions returns the spec.completions each target cluster's copy of a Job
// gets, as Karmada's binding controller computes them (§11 step 5): when the binding divides
// the replicas (Divided scheduling and binding replicas > 0) and the template sets
// spec.completions, the completions are spread over targets — the binding's clusters merged
// with its requiredBy clusters — in proportion to each cluster's replicas (its share of the
// parallelism, so every cluster finishes at about the same time). It returns nil when the
// completions are not divided; then each copy keeps the template's.
//
// As in Karmada, the Job is recognised by kind alone, whatever its group, and the
// completions are read from the template as written (before ReviseReplica and overrides).
func DivideJobCompletions(job *unstructured.Unstructured, bindingReplicas int32, placement *v1alpha1.Placement,
	targets []v1alpha1.TargetCluster) (map[string]int32, error) {
	if job.GetKind() != jobGVK.Kind || bindingReplicas <= 0 || placement == nil ||
		placement.ReplicaSchedulingType() != v1alpha1.ReplicaSchedulingTypeDivided {
		return nil, nil
	}
	completions, found, err := unstructured.NestedInt64(job.Object, "spec", "completions")
	if err != nil {
		return nil, fmt.Errorf("spec.completions of %s: %w", describe(job), err)
	}
	if !found {
		// A work-queue Job leaves completions unset; so do its copies.
		return nil, nil
	}
	shares := scheduler.SpreadByWeights(int32(completions), targets, job.GetUID()) // #nosec G115 -- Karmada truncates the same way
	if len(shares) == 0 {
		return nil, nil
	}
	out := make(map[string]int32, len(shares))
	for _, s := range shares {
		out[s.Name] = s.Replicas
	}
	return out, nil
}

// ReviseJobCompletions returns a copy of a cluster's Job with spec.completions set to the
// cluster's share from DivideJobCompletions; a Job without spec.completions is returned
// unchanged. A cluster missing from a non-nil division is an error, as in Karmada.
func ReviseJobCompletions(job *unstructured.Unstructured, cluster string, division map[string]int32) (*unstructured.Unstructured, error) {
	if division == nil {
		return job.DeepCopy(), nil
	}
	completions, ok := division[cluster]
	if !ok {
		return nil, fmt.Errorf("no completions found for cluster %s", cluster)
	}
	revised := job.DeepCopy()
	if err := setSpecInt64IfPresent(revised, "completions", int64(completions)); err != nil {
		return nil, fmt.Errorf("%s: %w", describe(job), err)
	}
	return revised, nil
}
