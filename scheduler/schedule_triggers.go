package scheduler

import (
	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ScheduleTrigger names why a binding must be scheduled: the reschedule triggers of Karmada's
// doScheduleBinding (§2.1). Karmada logs it and labels its schedule metrics with it; the
// empty TriggerNone means the binding keeps its spec.clusters.
type ScheduleTrigger string

// The reschedule triggers, in the order DetectScheduleTrigger checks them (§2.1).
const (
	// TriggerNone: no trigger fired, or scheduling is suspended. The binding keeps its
	// spec.clusters, observed affinity name and Scheduled condition; Karmada only records
	// the binding's generation as observed.
	TriggerNone ScheduleTrigger = ""
	// TriggerPlacementChanged: no placement was applied yet, or the placement differs from
	// the applied one in a way that matters (see DetectScheduleTrigger).
	TriggerPlacementChanged ScheduleTrigger = "PlacementChanged"
	// TriggerReplicasChanged: the previous result no longer matches spec.replicas (a scale
	// up or down), or a multi-component workload lost its clusters.
	TriggerReplicasChanged ScheduleTrigger = "ReplicasChanged"
	// TriggerRescheduleRequested: spec.rescheduleTriggeredAt is after
	// status.lastScheduledTime (a WorkloadRebalancer or a user asked for a fresh schedule).
	TriggerRescheduleRequested ScheduleTrigger = "RescheduleRequested"
	// TriggerAlwaysScheduled: a non-workload, or a Duplicated placement, is scheduled every
	// time its binding is looked at, so new matching clusters get it.
	TriggerAlwaysScheduled ScheduleTrigger = "AlwaysScheduled"
	// TriggerTargetClusterDeleting: a cluster of spec.clusters is being deleted.
	TriggerTargetClusterDeleting ScheduleTrigger = "TargetClusterDeleting"
)

// NeedsSchedule reports whether Karmada's scheduler would schedule the binding now, i.e.
// whether DetectScheduleTrigger finds a trigger. Callers ask it before Schedule and, when it
// is false, keep the binding as it is: a Divided workload whose placement and replicas did
// not change stays where it is even when new matching clusters join the fleet.
func NeedsSchedule(snap *Snapshot, b Binding, applied *v1alpha1.Placement) bool {
	return DetectScheduleTrigger(snap, b, applied) != TriggerNone
}

// DetectScheduleTrigger returns the first reschedule trigger of the binding, in Karmada's
// order (doScheduleBinding, §2.1), or TriggerNone:
//
//  1. TriggerPlacementChanged (Karmada's placementChanged): applied is nil, or differs from
//     the placement, and either clusterAffinity, clusterTolerations, spreadConstraints or
//     replicaScheduling differ, or the clusterAffinities term named by
//     status.schedulerObservingAffinityName differs or is missing on either side, or no
//     name is observed. A placement that only differs elsewhere (another clusterAffinities
//     term, workloadAffinity) while the observed term is unchanged does not trigger.
//  2. TriggerReplicasChanged (util.IsBindingReplicasChanged): with replicaScheduling set, a
//     multi-component workload has no clusters; Duplicated: a target's replicas differ
//     from spec.replicas; Divided: the targets' replicas do not add up to spec.replicas.
//  3. TriggerRescheduleRequested: rescheduleTriggeredAt is after lastScheduledTime.
//  4. TriggerAlwaysScheduled: the binding is not a workload (no replicas, requirements or
//     components), or its placement is Duplicated (including no replicaScheduling).
//  5. TriggerTargetClusterDeleting: a cluster of spec.clusters is in the snapshot with a
//     deletionTimestamp. A target cluster missing from the snapshot is not a trigger:
//     Karmada only looks at the clusters it lists, and reschedules on cluster changes other
//     than deletion only through the triggers above.
//
// Nothing triggers while spec.suspension.scheduling is true: Karmada's scheduler does not
// even queue such a binding.
//
// applied is the placement of the binding's policy.karmada.io/applied-placement annotation,
// nil when it has none. Karmada writes it whenever it writes a schedule result: after a
// success or a FitError, not after another error, and not when an empty clusterAffinities
// list leaves the binding untouched. It treats an annotation it cannot parse as an unchanged
// placement; a caller that wants the same passes b.Spec.Placement. Placements are compared
// with Kubernetes' semantic equality, as the applied placement is a decoded copy of JSON: a
// nil and an empty list are the same, and quantities compare by value.
//
// Like Schedule, DetectScheduleTrigger is pure and never modifies its inputs; a nil spec or
// Placement is read as an empty one.
func DetectScheduleTrigger(snap *Snapshot, b Binding, applied *v1alpha1.Placement) ScheduleTrigger {
	spec := normalizeSpec(b.Spec)
	if schedulingSuspended(spec) {
		return TriggerNone
	}
	status := b.Status
	if status == nil {
		status = &v1alpha1.ResourceBindingStatus{}
	}
	switch {
	case placementChanged(spec.Placement, applied, status.SchedulerObservedAffinityName):
		return TriggerPlacementChanged
	case replicasChanged(spec):
		return TriggerReplicasChanged
	case RescheduleRequired(spec.RescheduleTriggeredAt, status.LastScheduledTime):
		return TriggerRescheduleRequested
	case !isWorkloadResource(spec) || spec.Placement.ReplicaSchedulingType() == v1alpha1.ReplicaSchedulingTypeDuplicated:
		return TriggerAlwaysScheduled
	case targetClusterDeleting(snap, spec.Clusters):
		return TriggerTargetClusterDeleting
	}
	return TriggerNone
}

// schedulingSuspended is Karmada's ResourceBindingSpec.SchedulingSuspended.
func schedulingSuspended(spec *v1alpha1.ResourceBindingSpec) bool {
	return spec.Suspension != nil && spec.Suspension.Scheduling != nil && *spec.Suspension.Scheduling
}

// placementChanged is Karmada's placementChanged (helper.go): nothing applied yet; else an
// equal placement is unchanged; else a difference in clusterAffinity, clusterTolerations,
// spreadConstraints or replicaScheduling is a change; else clusterAffinitiesChanged decides.
func placementChanged(placement, applied *v1alpha1.Placement, observed string) bool {
	if applied == nil {
		return true
	}
	if equality.Semantic.DeepEqual(placement, applied) {
		return false
	}
	if !equality.Semantic.DeepEqual(placement.ClusterAffinity, applied.ClusterAffinity) ||
		!equality.Semantic.DeepEqual(placement.ClusterTolerations, applied.ClusterTolerations) ||
		!equality.Semantic.DeepEqual(placement.SpreadConstraints, applied.SpreadConstraints) ||
		!equality.Semantic.DeepEqual(placement.ReplicaScheduling, applied.ReplicaScheduling) {
		return true
	}
	return clusterAffinitiesChanged(placement.ClusterAffinities, applied.ClusterAffinities, observed)
}

// clusterAffinitiesChanged is Karmada's clusterAffinitiesChanged: only the observed term
// matters; no observed name, or the term missing from either list, counts as a change.
func clusterAffinitiesChanged(terms, appliedTerms []v1alpha1.ClusterAffinityTerm, observed string) bool {
	if observed == "" {
		return true
	}
	term, appliedTerm := findTerm(terms, observed), findTerm(appliedTerms, observed)
	if term == nil || appliedTerm == nil {
		return true
	}
	return !equality.Semantic.DeepEqual(term, appliedTerm)
}

// findTerm returns the first term with the name, nil when there is none.
func findTerm(terms []v1alpha1.ClusterAffinityTerm, name string) *v1alpha1.ClusterAffinityTerm {
	for i := range terms {
		if terms[i].AffinityName == name {
			return &terms[i]
		}
	}
	return nil
}

// replicasChanged is Karmada's util.IsBindingReplicasChanged. spec.components is only filled
// with the MultiplePodTemplatesScheduling gate, so their presence stands for it. The sum is
// an int32, as Karmada's GetSumOfReplicas.
func replicasChanged(spec *v1alpha1.ResourceBindingSpec) bool {
	strategy := spec.Placement.ReplicaScheduling
	if strategy == nil {
		return false
	}
	if len(spec.Components) > 0 && len(spec.Clusters) == 0 {
		return true
	}
	switch strategy.ReplicaSchedulingType {
	case v1alpha1.ReplicaSchedulingTypeDuplicated:
		for i := range spec.Clusters {
			if spec.Clusters[i].Replicas != spec.Replicas {
				return true
			}
		}
		return false
	case v1alpha1.ReplicaSchedulingTypeDivided:
		var sum int32
		for i := range spec.Clusters {
			sum += spec.Clusters[i].Replicas
		}
		return sum != spec.Replicas
	default:
		return false
	}
}

// targetClusterDeleting is Karmada's HasTerminatingTargetClusters: some cluster of the
// snapshot being deleted is in spec.clusters.
func targetClusterDeleting(snap *Snapshot, targets []v1alpha1.TargetCluster) bool {
	if snap == nil {
		return false
	}
	for i := range targets {
		if c, ok := snap.Get(targets[i].Name); ok && c.Deleting {
			return true
		}
	}
	return false
}
