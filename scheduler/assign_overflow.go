package scheduler

import (
	"slices"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// overflowEnabled reports whether the replicas are assigned tier by tier (§2.4.4): the
// placement uses clusterAffinities (not clusterAffinity), and the term being scheduled —
// status.schedulerObservingAffinityName, which the caller sets to the term it tries — has
// overflowAffinities. As in Karmada, an explicitly empty overflowAffinities list counts.
func overflowEnabled(spec *v1alpha1.ResourceBindingSpec, status *v1alpha1.ResourceBindingStatus) bool {
	p := spec.Placement
	if p == nil || p.ClusterAffinity != nil || p.ClusterAffinities == nil || status == nil ||
		status.SchedulerObservedAffinityName == "" {
		return false
	}
	for i := range p.ClusterAffinities {
		term := &p.ClusterAffinities[i]
		if term.AffinityName == status.SchedulerObservedAffinityName && term.OverflowAffinities != nil {
			return true
		}
	}
	return false
}

// overflowMessage is Karmada's message when the tiers together cannot take the replicas.
const overflowMessage = "Clusters available replicas are not enough to schedule."

// assignOverflowTiers fills the tiers in order (§2.4.4, A.4): the primary affinity's clusters
// (overflowOrder 0), then each overflow affinity's, then the others. Each tier takes as many
// of the remaining replicas as its clusters' available replicas (allocatable plus already
// assigned) allow, divided by the placement's strategy with the binding's previous result;
// the tier results are concatenated. Replicas left over after the last tier make the binding
// unschedulable.
func assignOverflowTiers(candidates []candidate, b Binding) ([]v1alpha1.TargetCluster, error) {
	tiers := map[int32][]candidate{}
	capacity := map[int32]int64{}
	for _, c := range candidates {
		tiers[c.overflowOrder] = append(tiers[c.overflowOrder], c)
		capacity[c.overflowOrder] += c.available
	}
	orders := make([]int32, 0, len(tiers))
	for order := range tiers {
		// Karmada walks the orders from 0 up; a negative order would never be reached.
		if order >= 0 {
			orders = append(orders, order)
		}
	}
	slices.Sort(orders)

	var result []v1alpha1.TargetCluster
	remaining := b.Spec.Replicas
	for _, order := range orders {
		take := int32(min(int64(remaining), capacity[order]))
		tier, err := assignToClusters(tiers[order], take, b)
		if err != nil {
			return nil, err
		}
		result = append(result, tier...)
		remaining -= take
		if remaining <= 0 {
			break
		}
	}
	if remaining > 0 {
		return nil, &UnschedulableError{Message: overflowMessage}
	}
	return result, nil
}
