package scheduler

import (
	"fmt"
	"slices"
	"sort"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// assignDynamic divides the replicas by the clusters' capacity, for DynamicWeight and
// Aggregated (§2.4.3, §2.4.5, A.3).
//
// Steady mode (the default) keeps the previous result: on scale up only the new replicas are
// divided, by allocatable replicas, and added to it; on scale down the previous result is
// shrunk in proportion; when the replicas did not change it is kept as it is. Replicas on
// clusters that are no longer candidates count as new. Fresh mode (rescheduleTriggeredAt)
// divides all replicas again by allocatable plus previously assigned replicas.
func assignDynamic(a *assignment) ([]v1alpha1.TargetCluster, error) {
	scheduled, assigned := scheduledOnCandidates(a)

	if a.fresh {
		result, err := divideByCapacity(a, a.replicas, freshCapacity(a, scheduled), nil)
		if err != nil {
			return nil, fmt.Errorf("failed to do fresh scale: %w", err)
		}
		return result, nil
	}
	switch {
	case assigned > a.replicas:
		// Shrink in proportion to the previous result, as if scheduling it for the first time.
		result, err := divideByCapacity(a, a.replicas, slices.Clone(scheduled), nil)
		if err != nil {
			return nil, fmt.Errorf("failed to scale down: %w", err)
		}
		return result, nil
	case assigned < a.replicas:
		// Divide only the new replicas (all of them on a first scheduling) and add them.
		result, err := divideByCapacity(a, a.replicas-assigned, allocatableCapacity(a), scheduled)
		if err != nil {
			return nil, fmt.Errorf("failed to scale up: %w", err)
		}
		return result, nil
	default:
		return scheduled, nil
	}
}

// scheduledOnCandidates returns the previous result restricted to the candidates, in
// spec.clusters order, and the sum of its replicas. Sums are int32 as in Karmada.
func scheduledOnCandidates(a *assignment) ([]v1alpha1.TargetCluster, int32) {
	names := make(map[string]struct{}, len(a.candidates))
	for _, c := range a.candidates {
		names[c.name()] = struct{}{}
	}
	scheduled := make([]v1alpha1.TargetCluster, 0, len(a.spec.Clusters))
	var assigned int32
	for _, t := range a.spec.Clusters {
		if _, ok := names[t.Name]; ok {
			scheduled = append(scheduled, t)
			assigned += t.Replicas
		}
	}
	return scheduled, assigned
}

// allocatableCapacity lists the candidates with their allocatable replicas.
func allocatableCapacity(a *assignment) []v1alpha1.TargetCluster {
	out := make([]v1alpha1.TargetCluster, len(a.candidates))
	for i, c := range a.candidates {
		out[i] = v1alpha1.TargetCluster{Name: c.name(), Replicas: c.allocatable}
	}
	return out
}

// freshCapacity lists the candidates with their allocatable replicas plus the replicas the
// previous result gave them (§2.4.5).
func freshCapacity(a *assignment, scheduled []v1alpha1.TargetCluster) []v1alpha1.TargetCluster {
	previous := make(map[string]int32, len(scheduled))
	for _, t := range scheduled {
		previous[t.Name] += t.Replicas
	}
	out := make([]v1alpha1.TargetCluster, len(a.candidates))
	for i, c := range a.candidates {
		out[i] = v1alpha1.TargetCluster{Name: c.name(), Replicas: c.allocatable + previous[c.name()]}
	}
	return out
}

// replicasDesc orders target clusters by replicas, largest first.
type replicasDesc []v1alpha1.TargetCluster

func (l replicasDesc) Len() int           { return len(l) }
func (l replicasDesc) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }
func (l replicasDesc) Less(i, j int) bool { return l[i].Replicas > l[j].Replicas }

// byReplicasDesc sorts clusters by replicas, largest first, in place. The order of equal
// capacities decides which clusters Aggregated keeps, so this is deliberately sort.Sort with
// the same comparison as Karmada (§2.4.1): Go's sort.Sort is deterministic, insertion sort up
// to 12 elements (stable) and pattern-defeating quicksort beyond, so the same input order
// gives Karmada's order exactly, ties included.
func byReplicasDesc(l []v1alpha1.TargetCluster) []v1alpha1.TargetCluster {
	sort.Sort(replicasDesc(l))
	return l
}

// divideByCapacity divides target replicas in proportion to available (clusters with their
// capacity) and adds the result to scheduled (§2.4.3 dynamicDivideReplicas). Aggregated
// first orders the clusters by capacity, largest first, moves those that already have
// replicas to the front and keeps the shortest prefix that can hold target, so replicas stay
// packed on few clusters. Karmada sorts for DynamicWeight too, but Webster does not depend on
// the order of its weights, so that sort is skipped. available is reordered in place.
func divideByCapacity(a *assignment, target int32, available, scheduled []v1alpha1.TargetCluster) ([]v1alpha1.TargetCluster, error) {
	var capacity int32 // int32, and so wrapping on overflow, as Karmada's sum
	for _, t := range available {
		capacity += t.Replicas
	}
	if capacity < target {
		return nil, &UnschedulableError{Message: fmt.Sprintf("Clusters available replicas %d are not enough to schedule.", capacity)}
	}
	if a.strategy == strategyAggregated {
		available = previousFirst(byReplicasDesc(available), scheduled)
		var sum int32
		for i := range available {
			if sum += available[i].Replicas; sum >= target {
				available = available[:i+1]
				break
			}
		}
	}
	weights := make([]party, len(available))
	for i, t := range available {
		weights[i] = party{name: t.Name, votes: int64(t.Replicas)}
	}
	return mergeTargetClusters(scheduled, dispenseByWeight(target, nil, weights, a.spec.Resource.UID)), nil
}

// previousFirst moves the clusters that have replicas in scheduled to the front of available,
// keeping the relative order of both parts.
func previousFirst(available, scheduled []v1alpha1.TargetCluster) []v1alpha1.TargetCluster {
	prior := make(map[string]struct{}, len(scheduled))
	for _, t := range scheduled {
		if t.Replicas > 0 {
			prior[t.Name] = struct{}{}
		}
	}
	if len(prior) == 0 {
		return available
	}
	out := make([]v1alpha1.TargetCluster, 0, len(available))
	for _, t := range available {
		if _, ok := prior[t.Name]; ok {
			out = append(out, t)
		}
	}
	for _, t := range available {
		if _, ok := prior[t.Name]; !ok {
			out = append(out, t)
		}
	}
	return out
}

// mergeTargetClusters adds the replicas of old to the same clusters in added and appends the
// clusters only old has (Karmada's MergeTargetClusters). Karmada appends those in map order,
// which is random; they are appended here in old's order.
func mergeTargetClusters(old, added []v1alpha1.TargetCluster) []v1alpha1.TargetCluster {
	switch {
	case len(old) == 0:
		return added
	case len(added) == 0:
		return old
	}
	oldReplicas := make(map[string]int32, len(old))
	for _, t := range old {
		oldReplicas[t.Name] = t.Replicas
	}
	for i := range added {
		if r, ok := oldReplicas[added[i].Name]; ok {
			added[i].Replicas += r
			delete(oldReplicas, added[i].Name)
		}
	}
	for _, t := range old {
		if r, ok := oldReplicas[t.Name]; ok {
			added = append(added, v1alpha1.TargetCluster{Name: t.Name, Replicas: r})
			delete(oldReplicas, t.Name)
		}
	}
	return added
}
