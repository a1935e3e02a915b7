package scheduler

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// asOverflowBinding is a binding scheduled with the clusterAffinities term "primary", whose
// primary affinity is m1 and whose overflow affinities are m2, then m3.
func asOverflowBinding(rs *v1alpha1.ReplicaSchedulingStrategy, replicas int32, previous []v1alpha1.TargetCluster) Binding {
	b := asBinding(rs, replicas, previous)
	b.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{
		AffinityName:    "primary",
		ClusterAffinity: v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
		OverflowAffinities: []v1alpha1.OverflowClusterAffinity{
			{AffinityName: "overflow-1", ClusterAffinity: v1alpha1.ClusterAffinity{ClusterNames: []string{"m2"}}},
			{AffinityName: "overflow-2", ClusterAffinity: v1alpha1.ClusterAffinity{ClusterNames: []string{"m3"}}},
		},
	}}
	b.Status.SchedulerObservedAffinityName = "primary"
	return b
}

func TestAssignOverflowTiers(t *testing.T) {
	tests := []asAssignCase{
		{
			name:       "the primary tier has room: nothing overflows",
			candidates: []candidate{asTier(asCand("m1", 10), 0, 10), asTier(asCand("m2", 10), 1, 10)},
			binding:    asOverflowBinding(asDynamic, 5, nil),
			expected:   asTargets("m1", 5),
		},
		{
			name:       "the primary tier is full: the rest overflows to the next tier",
			candidates: []candidate{asTier(asCand("m1", 2), 0, 2), asTier(asCand("m2", 10), 1, 10)},
			binding:    asOverflowBinding(asDynamic, 5, nil),
			expected:   asTargets("m1", 2, "m2", 3),
		},
		{
			name: "tiers are filled in order, whatever the candidate order",
			candidates: []candidate{
				asTier(asCand("m9", 50), 1000, 50), asTier(asCand("m3", 4), 2, 4),
				asTier(asCand("m2", 3), 1, 3), asTier(asCand("m1", 2), 0, 2),
			},
			binding:  asOverflowBinding(asDynamic, 12, nil),
			expected: asTargets("m1", 2, "m2", 3, "m3", 4, "m9", 3),
		},
		{
			name:          "every tier is full",
			candidates:    []candidate{asTier(asCand("m1", 2), 0, 2), asTier(asCand("m2", 2), 1, 2)},
			binding:       asOverflowBinding(asDynamic, 10, nil),
			err:           "Clusters available replicas are not enough to schedule.",
			unschedulable: true,
		},
		{
			// m1 has 3 replicas and room for 2 more: its tier takes 5, of which 2 are new.
			name:       "a tier's share counts the replicas it already has",
			candidates: []candidate{asTier(asCand("m1", 2), 0, 5), asTier(asCand("m2", 10), 1, 10)},
			binding:    asOverflowBinding(asDynamic, 8, asTargets("m1", 3)),
			expected:   asTargets("m1", 5, "m2", 3),
		},
		{
			name:       "scaling down releases the overflow tier first",
			candidates: []candidate{asTier(asCand("m1", 0), 0, 4), asTier(asCand("m2", 0), 1, 3)},
			binding:    asOverflowBinding(asDynamic, 5, asTargets("m1", 4, "m2", 3)),
			expected:   asTargets("m1", 4, "m2", 1),
		},
		{
			name: "aggregated within a tier",
			candidates: []candidate{
				asTier(asCand("m1", 3), 0, 3), asTier(asCand("m2", 6), 1, 6), asTier(asCand("m3", 8), 1, 8),
			},
			binding:  asOverflowBinding(asAggregated, 8, nil),
			expected: asTargets("m1", 3, "m3", 5),
		},
		{
			name:       "clusters of a tier are divided together",
			candidates: []candidate{asTier(asCand("m1", 1), 0, 1), asTier(asCand("m2", 6), 1, 6), asTier(asCand("m3", 12), 1, 12)},
			binding:    asOverflowBinding(asDynamic, 10, nil),
			expected:   asTargets("m1", 1, "m2", 3, "m3", 6),
		},
		{
			name:       "empty workload propagation lists the unused tiers' clusters after the result",
			candidates: []candidate{asTier(asCand("m1", 10), 0, 10), asTier(asCand("m2", 10), 1, 10)},
			binding:    asOverflowBinding(asDynamic, 5, nil),
			opts:       Options{EnableEmptyWorkloadPropagation: true},
			expected:   asTargets("m1", 5, "m2", 0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestOverflowEnabled(t *testing.T) {
	withOverflow := asOverflowBinding(asDynamic, 1, nil)
	tests := []struct {
		name     string
		edit     func(b *Binding)
		expected bool
	}{
		{name: "observed term with overflow affinities", edit: func(*Binding) {}, expected: true},
		{
			name: "an explicitly empty overflow list counts",
			edit: func(b *Binding) {
				b.Spec.Placement.ClusterAffinities[0].OverflowAffinities = []v1alpha1.OverflowClusterAffinity{}
			},
			expected: true,
		},
		{name: "observed term without overflow affinities", edit: func(b *Binding) { b.Spec.Placement.ClusterAffinities[0].OverflowAffinities = nil }},
		{name: "no observed term", edit: func(b *Binding) { b.Status.SchedulerObservedAffinityName = "" }},
		{name: "an unknown observed term", edit: func(b *Binding) { b.Status.SchedulerObservedAffinityName = "gone" }},
		{name: "no status", edit: func(b *Binding) { b.Status = nil }},
		{name: "a clusterAffinity placement", edit: func(b *Binding) { b.Spec.Placement.ClusterAffinity = &v1alpha1.ClusterAffinity{} }},
		{
			name: "the observed term is not the first",
			edit: func(b *Binding) {
				terms := b.Spec.Placement.ClusterAffinities
				b.Spec.Placement.ClusterAffinities = append([]v1alpha1.ClusterAffinityTerm{{AffinityName: "first"}}, terms...)
			},
			expected: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			b := Binding{Spec: withOverflow.Spec.DeepCopy(), Status: withOverflow.Status.DeepCopy()}
			tt.edit(&b)
			g.Expect(overflowEnabled(b.Spec, b.Status)).To(Equal(tt.expected))
		})
	}
}

func TestAssignWithoutOverflowIgnoresTiers(t *testing.T) {
	// Without overflow affinities the overflow orders do not matter: one division over all.
	tt := asAssignCase{
		name:       "no overflow",
		candidates: []candidate{asTier(asCand("m1", 6), 0, 6), asTier(asCand("m2", 6), 1000, 6)},
		binding:    asBinding(asDynamic, 6, nil),
		expected:   asTargets("m1", 3, "m2", 3),
	}
	tt.run(t)
}
