package scheduler

import (
	"errors"
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// asCand is a candidate cluster with allocatable replicas; available is the same unless
// changed with asAvailable.
func asCand(name string, allocatable int32, labels ...string) candidate {
	l := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		l[labels[i]] = labels[i+1]
	}
	info := NewSnapshot([]*v1alpha1.Cluster{{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: l}}}).Clusters()[0]
	return candidate{info: info, allocatable: allocatable, available: int64(allocatable)}
}

// asCands are candidates with the given names and no capacity limits that matter.
func asCands(names ...string) []candidate {
	out := make([]candidate, len(names))
	for i, n := range names {
		out[i] = asCand(n, 1000)
	}
	return out
}

// asCapacities are candidates from name, allocatable pairs.
func asCapacities(pairs ...any) []candidate {
	out := make([]candidate, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, asCand(pairs[i].(string), int32(pairs[i+1].(int))))
	}
	return out
}

// asTier sets a candidate's overflow order and available replicas.
func asTier(c candidate, order int32, available int64) candidate {
	c.overflowOrder, c.available = order, available
	return c
}

// asRequests is a replica requirement, which makes a binding a workload even at 0 replicas.
func asRequests() *v1alpha1.ReplicaRequirements {
	return &v1alpha1.ReplicaRequirements{ResourceRequest: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}}
}

// asPlacement wraps a replica scheduling strategy.
func asPlacement(rs *v1alpha1.ReplicaSchedulingStrategy) *v1alpha1.Placement {
	return &v1alpha1.Placement{ReplicaScheduling: rs}
}

func asDivided(pref v1alpha1.ReplicaDivisionPreference, weights *v1alpha1.ClusterPreferences) *v1alpha1.ReplicaSchedulingStrategy {
	return &v1alpha1.ReplicaSchedulingStrategy{
		ReplicaSchedulingType:     v1alpha1.ReplicaSchedulingTypeDivided,
		ReplicaDivisionPreference: pref,
		WeightPreference:          weights,
	}
}

// asStatic is a Divided/Weighted strategy with static weights given as cluster name, weight
// pairs (one rule per pair).
func asStatic(pairs ...any) *v1alpha1.ReplicaSchedulingStrategy {
	var rules []v1alpha1.StaticClusterWeight
	for i := 0; i < len(pairs); i += 2 {
		rules = append(rules, v1alpha1.StaticClusterWeight{
			TargetCluster: v1alpha1.ClusterAffinity{ClusterNames: []string{pairs[i].(string)}},
			Weight:        int64(pairs[i+1].(int)),
		})
	}
	return asDivided(v1alpha1.ReplicaDivisionPreferenceWeighted, &v1alpha1.ClusterPreferences{StaticWeightList: rules})
}

var (
	asWeighted   = asDivided(v1alpha1.ReplicaDivisionPreferenceWeighted, nil)
	asDynamic    = asDivided(v1alpha1.ReplicaDivisionPreferenceWeighted, &v1alpha1.ClusterPreferences{DynamicWeight: v1alpha1.DynamicWeightByAvailableReplicas})
	asAggregated = asDivided(v1alpha1.ReplicaDivisionPreferenceAggregated, nil)
	asDuplicated = &v1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDuplicated}
)

// asBinding is a workload binding (with requirements) of replicas, scheduled before to
// previous (nil for a first scheduling).
func asBinding(rs *v1alpha1.ReplicaSchedulingStrategy, replicas int32, previous []v1alpha1.TargetCluster) Binding {
	return Binding{
		Spec: &v1alpha1.ResourceBindingSpec{
			Replicas:            replicas,
			ReplicaRequirements: asRequests(),
			Clusters:            previous,
			Placement:           asPlacement(rs),
		},
		Status: &v1alpha1.ResourceBindingStatus{},
	}
}

// asAssignCase is one replica assignment and what Karmada makes of it.
type asAssignCase struct {
	name       string
	candidates []candidate
	binding    Binding
	opts       Options
	expected   []v1alpha1.TargetCluster
	// err, when set, is the expected error text; unschedulable says the error must wrap an
	// *UnschedulableError.
	err           string
	unschedulable bool
}

func (tt asAssignCase) run(t *testing.T) {
	t.Helper()
	g := NewWithT(t)
	spec := tt.binding.Spec.DeepCopy()
	got, err := assignReplicas(tt.candidates, tt.binding, tt.opts)
	if tt.err != "" {
		g.Expect(err).To(MatchError(tt.err))
		var u *UnschedulableError
		g.Expect(errors.As(err, &u)).To(Equal(tt.unschedulable), "wraps an UnschedulableError")
		g.Expect(got).To(BeNil())
	} else {
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(got).To(Equal(tt.expected))
	}
	g.Expect(tt.binding.Spec).To(Equal(spec), "the binding is not modified")
}

func TestAssignReplicas(t *testing.T) {
	components := []v1alpha1.Component{{Name: "jobmanager", Replicas: 1}, {Name: "taskmanager", Replicas: 4}}
	tests := []asAssignCase{
		{
			name:    "no candidates",
			binding: asBinding(asWeighted, 3, nil),
			err:     "no clusters available to schedule",
		},
		{
			name:       "a single cluster takes every divided replica",
			candidates: asCands("m1"),
			binding:    asBinding(asWeighted, 3, nil),
			expected:   asTargets("m1", 3),
		},
		{
			name:       "non-workload: every selected cluster, in selection order, without replicas",
			candidates: asCands("m2", "m1"),
			binding:    Binding{Spec: &v1alpha1.ResourceBindingSpec{Placement: asPlacement(asWeighted)}},
			expected:   []v1alpha1.TargetCluster{{Name: "m2"}, {Name: "m1"}},
		},
		{
			name:       "multi-component workload scheduled as a whole: the cluster with every component",
			candidates: asCands("m1"),
			binding: Binding{Spec: &v1alpha1.ResourceBindingSpec{
				Components: components,
				Placement: &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{{
					SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 1, MaxGroups: 1,
				}}},
			}},
			expected: []v1alpha1.TargetCluster{{Name: "m1", Components: []v1alpha1.TargetComponent{
				{Name: "jobmanager", Replicas: 1}, {Name: "taskmanager", Replicas: 4},
			}}},
		},
		{
			name:       "multi-component workload with another placement: every selected cluster without replicas",
			candidates: asCands("m1", "m2"),
			binding:    Binding{Spec: &v1alpha1.ResourceBindingSpec{Components: components, Placement: &v1alpha1.Placement{}}},
			expected:   []v1alpha1.TargetCluster{{Name: "m1"}, {Name: "m2"}},
		},
		{
			name:       "multi-component workload with replicas: still not divided",
			candidates: asCands("m1", "m2"),
			binding:    Binding{Spec: &v1alpha1.ResourceBindingSpec{Replicas: 5, Components: components, Placement: asPlacement(asWeighted)}},
			expected:   []v1alpha1.TargetCluster{{Name: "m1"}, {Name: "m2"}},
		},
		{
			name:       "a single component is divided like any workload",
			candidates: asCands("m1", "m2"),
			binding: Binding{Spec: &v1alpha1.ResourceBindingSpec{
				Replicas:   4,
				Components: components[1:],
				Placement:  asPlacement(asWeighted),
			}},
			expected: asTargets("m1", 2, "m2", 2),
		},
		{
			name:       "no replicaScheduling is Duplicated, in selection order",
			candidates: asCands("m2", "m1", "m3"),
			binding:    asBinding(nil, 5, nil),
			expected:   asTargets("m2", 5, "m1", 5, "m3", 5),
		},
		{
			name:       "Duplicated ignores capacity",
			candidates: asCapacities("m1", 0, "m2", 1),
			binding:    asBinding(asDuplicated, 5, nil),
			expected:   asTargets("m1", 5, "m2", 5),
		},
		{
			name:       "Duplicated with 0 replicas and requirements leaves nothing after dropping zeros",
			candidates: asCands("m1", "m2"),
			binding:    asBinding(asDuplicated, 0, nil),
			expected:   []v1alpha1.TargetCluster{},
		},
		{
			name:       "Duplicated with 0 replicas and requirements, empty workload propagation keeps the clusters",
			candidates: asCands("m1", "m2"),
			binding:    asBinding(asDuplicated, 0, nil),
			opts:       Options{EnableEmptyWorkloadPropagation: true},
			expected:   asTargets("m1", 0, "m2", 0),
		},
		{
			name:       "empty workload propagation appends 0-replica clusters in selection order",
			candidates: asCands("m4", "m3", "m2", "m1"),
			binding:    asBinding(asStatic("m1", 1, "m3", 1), 3, nil),
			opts:       Options{EnableEmptyWorkloadPropagation: true},
			expected:   asTargets("m1", 2, "m3", 1, "m4", 0, "m2", 0),
		},
		{
			name:       "without empty workload propagation a cluster that gets nothing is dropped",
			candidates: asCands("m1", "m2", "m3", "m4"),
			binding:    asBinding(asWeighted, 3, nil),
			expected:   asTargets("m1", 1, "m2", 1, "m3", 1),
		},
		{
			name:       "empty workload propagation after a division that leaves a cluster out",
			candidates: asCands("m1", "m2", "m3", "m4"),
			binding:    asBinding(asWeighted, 3, nil),
			opts:       Options{EnableEmptyWorkloadPropagation: true},
			expected:   asTargets("m1", 1, "m2", 1, "m3", 1, "m4", 0),
		},
		{
			name:       "empty workload propagation changes nothing for non-workloads",
			candidates: asCands("m1", "m2"),
			binding:    Binding{Spec: &v1alpha1.ResourceBindingSpec{Placement: asPlacement(asWeighted)}},
			opts:       Options{EnableEmptyWorkloadPropagation: true},
			expected:   []v1alpha1.TargetCluster{{Name: "m1"}, {Name: "m2"}},
		},
		{
			name:       "an unknown scheduling type is an error",
			candidates: asCands("m1"),
			binding: asBinding(&v1alpha1.ReplicaSchedulingStrategy{
				ReplicaSchedulingType:     "UnsupportedType",
				ReplicaDivisionPreference: "UnsupportedPreference",
			}, 3, nil),
			err: "unsupported replica scheduling strategy, replicaSchedulingType: UnsupportedType, " +
				"replicaDivisionPreference: UnsupportedPreference, please try another scheduling strategy",
		},
		{
			name:       "Divided without a division preference is an error",
			candidates: asCands("m1"),
			binding:    asBinding(asDivided("", nil), 3, nil),
			err: "unsupported replica scheduling strategy, replicaSchedulingType: Divided, " +
				"replicaDivisionPreference: , please try another scheduling strategy",
		},
		{
			name:       "the error of an undividable placement does not matter for non-workloads",
			candidates: asCands("m1"),
			binding:    Binding{Spec: &v1alpha1.ResourceBindingSpec{Placement: asPlacement(asDivided("", nil))}},
			expected:   []v1alpha1.TargetCluster{{Name: "m1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestStrategyOf(t *testing.T) {
	tests := []struct {
		name      string
		placement *v1alpha1.Placement
		expected  replicaStrategy
	}{
		{name: "no placement", placement: nil, expected: strategyDuplicated},
		{name: "no replicaScheduling", placement: asPlacement(nil), expected: strategyDuplicated},
		{name: "Duplicated", placement: asPlacement(asDuplicated), expected: strategyDuplicated},
		{name: "Divided, Aggregated", placement: asPlacement(asAggregated), expected: strategyAggregated},
		{name: "Divided, Weighted without weights", placement: asPlacement(asWeighted), expected: strategyStaticWeight},
		{name: "Divided, Weighted by static weights", placement: asPlacement(asStatic("m1", 1)), expected: strategyStaticWeight},
		{name: "Divided, Weighted by dynamic weight", placement: asPlacement(asDynamic), expected: strategyDynamicWeight},
		{
			name: "a dynamic weight wins over static weights",
			placement: asPlacement(asDivided(v1alpha1.ReplicaDivisionPreferenceWeighted, &v1alpha1.ClusterPreferences{
				StaticWeightList: asStatic("m1", 1).WeightPreference.StaticWeightList,
				DynamicWeight:    v1alpha1.DynamicWeightByAvailableReplicas,
			})),
			expected: strategyDynamicWeight,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := strategyOf(tt.placement)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tt.expected))
		})
	}
}

func TestFreshRequired(t *testing.T) {
	at := func(minute int) *metav1.Time {
		return &metav1.Time{Time: time.Date(2025, 1, 1, 0, minute, 0, 0, time.UTC)}
	}
	tests := []struct {
		name                 string
		triggered, scheduled *metav1.Time
		expected             bool
	}{
		{name: "never triggered", triggered: nil, scheduled: at(1), expected: false},
		{name: "never scheduled", triggered: at(1), scheduled: nil, expected: false},
		{name: "triggered after the last scheduling", triggered: at(2), scheduled: at(1), expected: true},
		{name: "triggered at the last scheduling", triggered: at(1), scheduled: at(1), expected: false},
		{name: "triggered before the last scheduling", triggered: at(1), scheduled: at(2), expected: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			spec := &v1alpha1.ResourceBindingSpec{RescheduleTriggeredAt: tt.triggered}
			status := &v1alpha1.ResourceBindingStatus{LastScheduledTime: tt.scheduled}
			g.Expect(freshRequired(spec, status)).To(Equal(tt.expected))
		})
	}
	NewWithT(t).Expect(freshRequired(&v1alpha1.ResourceBindingSpec{RescheduleTriggeredAt: at(1)}, nil)).To(BeFalse())
}

// asBenchSizes are the candidate counts of the assignment benchmarks.
var asBenchSizes = []int{10, 100, 1000, 5000}

// asBenchCandidates are n candidates with capacities between 1000 and 10000, so that even
// 10 of them can take 10000 replicas.
func asBenchCandidates(n int) []candidate {
	out := make([]candidate, n)
	for i := range out {
		out[i] = asCand(fmt.Sprintf("member-%05d", i), int32(1000+(i*7919)%9001))
	}
	return out
}

func BenchmarkAssignReplicas(b *testing.B) {
	strategies := []struct {
		name string
		rs   *v1alpha1.ReplicaSchedulingStrategy
	}{
		{name: "Duplicated", rs: asDuplicated},
		{name: "StaticWeight", rs: asWeighted},
		{name: "DynamicWeight", rs: asDynamic},
		{name: "Aggregated", rs: asAggregated},
	}
	for _, s := range strategies {
		for _, n := range asBenchSizes {
			cands := asBenchCandidates(n)
			bind := asBinding(s.rs, 10000, nil)
			if s.name == "StaticWeight" {
				// One weight rule per cluster, as a placement listing every cluster would have.
				pairs := make([]any, 0, 2*n)
				for i, c := range cands {
					pairs = append(pairs, c.name(), 1+i%5)
				}
				bind = asBinding(asStatic(pairs...), 10000, nil)
				if n > 1000 {
					// n rules × n clusters would measure the rule matching, not the division.
					bind = asBinding(asStatic(pairs[:200]...), 10000, nil)
				}
			}
			b.Run(fmt.Sprintf("%s/clusters=%d", s.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := assignReplicas(cands, bind, Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
