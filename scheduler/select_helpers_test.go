package scheduler

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Helpers shared by the select_*_test.go files; prefixed "sel" to stay clear of the other
// tests of the package.

// selCand is a candidate in region with the given score and available replicas.
func selCand(name, region string, score int64, available int32) candidate {
	cluster := &v1alpha1.Cluster{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       v1alpha1.ClusterSpec{Region: region},
	}
	return candidate{
		info:        &ClusterInfo{Name: name, Cluster: cluster},
		score:       score,
		allocatable: available,
		available:   int64(available),
	}
}

// selOverflow returns c with the given overflowOrder.
func selOverflow(c candidate, order int32) candidate {
	c.overflowOrder = order
	return c
}

// selNames lists the candidates' names, in order.
func selNames(cands []candidate) []string {
	names := make([]string, len(cands))
	for i, c := range cands {
		names[i] = c.name()
	}
	return names
}

// selSC is a spread constraint by field.
func selSC(field v1alpha1.SpreadFieldValue, minGroups, maxGroups int) v1alpha1.SpreadConstraint {
	return v1alpha1.SpreadConstraint{SpreadByField: field, MinGroups: minGroups, MaxGroups: maxGroups}
}

// selDuplicated is a placement with an explicit Duplicated strategy.
func selDuplicated(constraints ...v1alpha1.SpreadConstraint) *v1alpha1.Placement {
	return &v1alpha1.Placement{
		SpreadConstraints: constraints,
		ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDuplicated,
		},
	}
}

// selAggregated is a Divided+Aggregated placement.
func selAggregated(constraints ...v1alpha1.SpreadConstraint) *v1alpha1.Placement {
	return &v1alpha1.Placement{
		SpreadConstraints: constraints,
		ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType:     v1alpha1.ReplicaSchedulingTypeDivided,
			ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceAggregated,
		},
	}
}

// selWeighted is a Divided+Weighted placement with the given weight preference.
func selWeighted(pref *v1alpha1.ClusterPreferences, constraints ...v1alpha1.SpreadConstraint) *v1alpha1.Placement {
	return &v1alpha1.Placement{
		SpreadConstraints: constraints,
		ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType:     v1alpha1.ReplicaSchedulingTypeDivided,
			ReplicaDivisionPreference: v1alpha1.ReplicaDivisionPreferenceWeighted,
			WeightPreference:          pref,
		},
	}
}

// selDynamic is the dynamic (available replicas) weight preference.
var selDynamic = &v1alpha1.ClusterPreferences{DynamicWeight: v1alpha1.DynamicWeightByAvailableReplicas}

// selStatic is a static weight preference giving member1 weight 2.
var selStatic = &v1alpha1.ClusterPreferences{StaticWeightList: []v1alpha1.StaticClusterWeight{{
	TargetCluster: v1alpha1.ClusterAffinity{ClusterNames: []string{"member1"}},
	Weight:        2,
}}}

// selSpec is a binding spec with the placement and replicas.
func selSpec(p *v1alpha1.Placement, replicas int32) *v1alpha1.ResourceBindingSpec {
	return &v1alpha1.ResourceBindingSpec{Placement: p, Replicas: replicas}
}

// selErrString is err's message, or "" for nil.
func selErrString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
