package scheduler

import (
	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// unknownReplicas is what an estimator returns for a cluster it cannot judge (Karmada's
// UnauthenticReplica); it never limits the estimate.
const unknownReplicas = -1

// estimateAllocatable returns, for each cluster (same order), how many more replicas of the
// binding fit there (§2.5, Karmada's calAvailableReplicas).
//
// Non-workloads (no replicas and no components) are not estimated: every cluster can take
// unlimitedReplicas. Otherwise the estimate is the minimum over the general estimator and
// opts.Estimators, ignoring unknown (-1) answers; a cluster no estimator could judge gets
// spec.replicas, so that later sums of capacities cannot overflow.
func estimateAllocatable(clusters []*ClusterInfo, spec *v1alpha1.ResourceBindingSpec, opts Options) []int32 {
	out := make([]int32, len(clusters))
	for i := range out {
		out[i] = unlimitedReplicas
	}
	if spec.Replicas == 0 && len(spec.Components) == 0 {
		return out
	}
	general := GeneralEstimator{UnknownCapacityUnlimited: opts.UnknownCapacityUnlimited}
	lowerTo(out, general.MaxAvailableReplicas(clusters, spec.ReplicaRequirements))
	for _, e := range opts.Estimators {
		lowerTo(out, e.MaxAvailableReplicas(clusters, spec.ReplicaRequirements))
	}
	for i := range out {
		if out[i] == unlimitedReplicas {
			out[i] = spec.Replicas
		}
	}
	return out
}

// lowerTo lowers each estimate to the estimator's answer for that cluster, unless the answer
// is unknown. An answer list shorter than the clusters leaves the rest unknown.
func lowerTo(estimates, answers []int32) {
	for i := range estimates {
		if i < len(answers) && answers[i] != unknownReplicas && answers[i] < estimates[i] {
			estimates[i] = answers[i]
		}
	}
}
