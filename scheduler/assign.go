package scheduler

import (
	"errors"
	"fmt"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// replicaStrategy is how a workload's replicas are assigned to the selected clusters, derived
// from placement.replicaScheduling (§2.4).
type replicaStrategy string

// The replica assignment strategies, named as Karmada names them.
const (
	// strategyDuplicated gives every cluster spec.replicas.
	strategyDuplicated replicaStrategy = "Duplicated"
	// strategyAggregated packs the replicas into as few clusters as their capacity allows.
	strategyAggregated replicaStrategy = "Aggregated"
	// strategyStaticWeight divides by the placement's static weights.
	strategyStaticWeight replicaStrategy = "StaticWeight"
	// strategyDynamicWeight divides by the clusters' available replicas.
	strategyDynamicWeight replicaStrategy = "DynamicWeight"
)

// errNoClusters is returned when there is nothing to assign replicas to (§2.4).
var errNoClusters = errors.New("no clusters available to schedule")

// assignment is the input of one replica assignment: the clusters, how many replicas they
// share and the binding they belong to. Overflow tiers (§2.4.4) are assignments of part of
// spec.replicas to part of the candidates.
type assignment struct {
	candidates []candidate
	// replicas is the number of replicas to assign: spec.replicas, or a tier's share.
	replicas int32
	spec     *v1alpha1.ResourceBindingSpec
	strategy replicaStrategy
	// fresh is set when rescheduleTriggeredAt asks to ignore the previous result (§2.4.5).
	fresh bool
}

// assignReplicas assigns the replicas of b to the selected clusters, as Karmada's
// AssignReplicas followed by the scheduler's empty-workload propagation (§2.1, §2.4).
//
// Workloads (spec.replicas > 0 or replicaRequirements set) with at most one component are
// divided by their strategy; clusters left with 0 replicas are dropped. Anything else
// (non-workloads, multi-component workloads) goes to every selected cluster without replicas.
// With opts.EnableEmptyWorkloadPropagation, selected clusters missing from the result are
// appended with replicas 0, in selection order.
//
// The result keeps Karmada's order: Duplicated and non-workloads follow selected; a division
// comes sorted by name, followed (Steady mode) by previously scheduled clusters it left out,
// in spec.clusters order; unchanged replicas keep spec.clusters as it is; overflow tiers are
// concatenated in tier order.
//
// Errors: "no clusters available to schedule" without candidates; an error wrapping an
// *UnschedulableError when the clusters cannot take the replicas (messages as Karmada's,
// e.g. "failed to scale up: Clusters available replicas 5 are not enough to schedule."); an
// "unsupported replica scheduling strategy" error for placements Karmada cannot divide.
func assignReplicas(selected []candidate, b Binding, opts Options) ([]v1alpha1.TargetCluster, error) {
	if len(selected) == 0 {
		return nil, errNoClusters
	}
	spec := b.Spec
	var result []v1alpha1.TargetCluster
	if isWorkload(spec) && len(spec.Components) <= 1 {
		var err error
		if overflowEnabled(spec, b.Status) {
			result, err = assignOverflowTiers(selected, b)
		} else {
			result, err = assignToClusters(selected, spec.Replicas, b)
		}
		if err != nil {
			return nil, err
		}
	} else {
		result = assignWithoutReplicas(selected, spec)
	}
	if opts.EnableEmptyWorkloadPropagation {
		result = attachZeroReplicaClusters(selected, result)
	}
	return result, nil
}

// isWorkload reports whether the binding's replicas take part in assignment: it has
// replicas or per-replica requirements (§2.4). A Deployment scaled to 0 without requirements
// is not one and goes to every selected cluster, a known Karmada quirk kept for parity.
func isWorkload(spec *v1alpha1.ResourceBindingSpec) bool {
	return spec.Replicas > 0 || spec.ReplicaRequirements != nil
}

// assignWithoutReplicas is the result for non-workloads and multi-component workloads: every
// selected cluster, with no replicas (§2.4). A multi-component workload scheduled as a whole
// (a cluster spread constraint with minGroups = maxGroups = 1) also records every component
// with its replicas on each cluster, as Karmada does with MultiplePodTemplatesScheduling on;
// spec.components is only filled with that gate, so their presence stands for it.
func assignWithoutReplicas(selected []candidate, spec *v1alpha1.ResourceBindingSpec) []v1alpha1.TargetCluster {
	withComponents := len(spec.Components) > 1 && multiTemplateScheduledAsWhole(spec)
	out := make([]v1alpha1.TargetCluster, len(selected))
	for i, c := range selected {
		out[i] = v1alpha1.TargetCluster{Name: c.name()}
		if withComponents {
			out[i].Components = make([]v1alpha1.TargetComponent, len(spec.Components))
			for j, comp := range spec.Components {
				out[i].Components[j] = v1alpha1.TargetComponent{Name: comp.Name, Replicas: comp.Replicas}
			}
		}
	}
	return out
}

// assignToClusters divides replicas among candidates by the placement's strategy and drops
// the clusters left with 0 replicas (Karmada's assignReplicasToClusters).
func assignToClusters(candidates []candidate, replicas int32, b Binding) ([]v1alpha1.TargetCluster, error) {
	spec := b.Spec
	strategy, err := strategyOf(spec.Placement)
	if err != nil {
		return nil, err
	}
	a := &assignment{
		candidates: candidates,
		replicas:   replicas,
		spec:       spec,
		strategy:   strategy,
		fresh:      freshRequired(spec, b.Status),
	}
	var result []v1alpha1.TargetCluster
	switch strategy {
	case strategyDuplicated:
		result = assignDuplicated(a)
	case strategyStaticWeight:
		result = assignStaticWeight(a)
	default:
		result, err = assignDynamic(a)
	}
	if err != nil {
		return nil, err
	}
	return removeZeroReplicaClusters(result), nil
}

// strategyOf maps the placement to its assignment strategy (§2.4): Duplicated without
// replicaScheduling; Divided splits into Aggregated, DynamicWeight (weightPreference with a
// dynamicWeight) and StaticWeight. Any other combination, such as Divided without a
// division preference, is an error, with Karmada's message.
func strategyOf(p *v1alpha1.Placement) (replicaStrategy, error) {
	if p == nil || p.ReplicaSchedulingType() == v1alpha1.ReplicaSchedulingTypeDuplicated {
		return strategyDuplicated, nil
	}
	rs := p.ReplicaScheduling
	if rs.ReplicaSchedulingType == v1alpha1.ReplicaSchedulingTypeDivided {
		switch rs.ReplicaDivisionPreference {
		case v1alpha1.ReplicaDivisionPreferenceAggregated:
			return strategyAggregated, nil
		case v1alpha1.ReplicaDivisionPreferenceWeighted:
			if rs.WeightPreference != nil && rs.WeightPreference.DynamicWeight != "" {
				return strategyDynamicWeight, nil
			}
			return strategyStaticWeight, nil
		}
	}
	return "", fmt.Errorf("unsupported replica scheduling strategy, replicaSchedulingType: %s, "+
		"replicaDivisionPreference: %s, please try another scheduling strategy",
		rs.ReplicaSchedulingType, rs.ReplicaDivisionPreference)
}

// freshRequired reports whether rescheduleTriggeredAt is later than lastScheduledTime, both
// set (§2.4.5): a user asked for a rescheduling that ignores the previous result. Without a
// lastScheduledTime the first scheduling has not succeeded yet and there is nothing to
// ignore.
func freshRequired(spec *v1alpha1.ResourceBindingSpec, status *v1alpha1.ResourceBindingStatus) bool {
	return status != nil && RescheduleRequired(spec.RescheduleTriggeredAt, status.LastScheduledTime)
}

// assignDuplicated gives every candidate the replicas (§2.4).
func assignDuplicated(a *assignment) []v1alpha1.TargetCluster {
	out := make([]v1alpha1.TargetCluster, len(a.candidates))
	for i, c := range a.candidates {
		out[i] = v1alpha1.TargetCluster{Name: c.name(), Replicas: a.replicas}
	}
	return out
}

// removeZeroReplicaClusters keeps the clusters with replicas, as name and replicas only.
func removeZeroReplicaClusters(in []v1alpha1.TargetCluster) []v1alpha1.TargetCluster {
	out := make([]v1alpha1.TargetCluster, 0, len(in))
	for _, t := range in {
		if t.Replicas > 0 {
			out = append(out, v1alpha1.TargetCluster{Name: t.Name, Replicas: t.Replicas})
		}
	}
	return out
}

// attachZeroReplicaClusters appends the selected clusters missing from result with replicas
// 0, so that the workload object still exists there (--enable-empty-workload-propagation,
// §2.1).
func attachZeroReplicaClusters(selected []candidate, result []v1alpha1.TargetCluster) []v1alpha1.TargetCluster {
	present := make(map[string]struct{}, len(result))
	for _, t := range result {
		present[t.Name] = struct{}{}
	}
	for _, c := range selected {
		if _, ok := present[c.name()]; !ok {
			result = append(result, v1alpha1.TargetCluster{Name: c.name()})
		}
	}
	return result
}
