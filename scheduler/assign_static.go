package scheduler

import (
	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// assignStaticWeight divides the replicas by the placement's static weights with Webster,
// from scratch (§2.4.2, A.2): the previous result is ignored, so scaling recomputes the whole
// division instead of adding to it. The result is sorted by name and may hold 0-replica
// entries.
func assignStaticWeight(a *assignment) []v1alpha1.TargetCluster {
	return dispenseByWeight(a.replicas, nil, staticWeights(a.candidates, a.spec.Placement), a.spec.Resource.UID)
}

// staticWeights returns the weight of each candidate (§2.4.2): the largest weight among the
// staticWeightList rules whose targetCluster matches it. Candidates no rule gives a positive
// weight are left out, so they get no replicas at all (they are not merely weighted 0). When
// nothing has a positive weight, or there is no weightPreference, every candidate weighs 1.
func staticWeights(candidates []candidate, placement *v1alpha1.Placement) []party {
	var rules []v1alpha1.StaticClusterWeight
	if placement != nil && placement.ReplicaScheduling != nil && placement.ReplicaScheduling.WeightPreference != nil {
		rules = placement.ReplicaScheduling.WeightPreference.StaticWeightList
	}
	weights := make([]party, 0, len(candidates))
	if len(rules) > 0 {
		// Compile each rule once: the candidates can be thousands.
		matchers := make([]*affinityMatcher, len(rules))
		for i := range rules {
			matchers[i] = compileAffinity(&rules[i].TargetCluster)
		}
		var sum int64
		for _, c := range candidates {
			var weight int64
			for i, m := range matchers {
				if m.matches(c.info) {
					weight = max(weight, rules[i].Weight)
				}
			}
			if weight > 0 {
				weights = append(weights, party{name: c.name(), votes: weight})
				sum += weight
			}
		}
		if sum != 0 {
			return weights
		}
		weights = weights[:0]
	}
	for _, c := range candidates {
		weights = append(weights, party{name: c.name(), votes: 1})
	}
	return weights
}
