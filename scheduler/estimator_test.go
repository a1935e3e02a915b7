package scheduler

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// asFixedEstimator answers the same list for any request.
type asFixedEstimator []int32

func (e asFixedEstimator) MaxAvailableReplicas([]*ClusterInfo, *v1alpha1.ReplicaRequirements) []int32 {
	return e
}

func TestEstimateAllocatable(t *testing.T) {
	// m1 has 10 free pods, m2 4, m3 reports no resource summary.
	clusters := NewSnapshot([]*v1alpha1.Cluster{
		asNamed(asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "10")}), "m1"),
		asNamed(asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "4")}), "m2"),
		asNamed(asSummaryCluster(nil), "m3"),
	}).Clusters()
	workload := &v1alpha1.ResourceBindingSpec{Replicas: 7}
	tests := []struct {
		name     string
		spec     *v1alpha1.ResourceBindingSpec
		opts     Options
		expected []int32
	}{
		{
			name:     "non-workloads are not estimated",
			spec:     &v1alpha1.ResourceBindingSpec{},
			opts:     Options{Estimators: []Estimator{asFixedEstimator{0, 0, 0}}},
			expected: []int32{unlimitedReplicas, unlimitedReplicas, unlimitedReplicas},
		},
		{
			name:     "replicas without requirements are bounded by free pods; no summary is room for nothing",
			spec:     workload,
			expected: []int32{10, 4, 0},
		},
		{
			name:     "unknown capacity: the cluster without summary gets spec.replicas",
			spec:     workload,
			opts:     Options{UnknownCapacityUnlimited: true},
			expected: []int32{10, 4, 7},
		},
		{
			name:     "the smallest estimate wins",
			spec:     workload,
			opts:     Options{UnknownCapacityUnlimited: true, Estimators: []Estimator{asFixedEstimator{3, 9, 2}, asFixedEstimator{5, 1, 6}}},
			expected: []int32{3, 1, 2},
		},
		{
			name:     "unknown answers are ignored",
			spec:     workload,
			opts:     Options{UnknownCapacityUnlimited: true, Estimators: []Estimator{asFixedEstimator{-1, -1, 5}}},
			expected: []int32{10, 4, 5},
		},
		{
			name:     "a short answer leaves the rest unknown",
			spec:     workload,
			opts:     Options{UnknownCapacityUnlimited: true, Estimators: []Estimator{asFixedEstimator{1}}},
			expected: []int32{1, 4, 7},
		},
		{
			name:     "an estimator cannot raise the general estimate",
			spec:     workload,
			opts:     Options{Estimators: []Estimator{asFixedEstimator{100, 100, 100}}},
			expected: []int32{10, 4, 0},
		},
		{
			name:     "components make a workload even without replicas",
			spec:     &v1alpha1.ResourceBindingSpec{Components: []v1alpha1.Component{{Name: "a", Replicas: 1}, {Name: "b", Replicas: 2}}},
			opts:     Options{UnknownCapacityUnlimited: true},
			expected: []int32{10, 4, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(estimateAllocatable(clusters, tt.spec, tt.opts)).To(Equal(tt.expected))
		})
	}
}

// asNamed renames a cluster.
func asNamed(c *v1alpha1.Cluster, name string) *v1alpha1.Cluster {
	c.Name = name
	return c
}

func BenchmarkEstimateAllocatable(b *testing.B) {
	for _, n := range asBenchSizes {
		clusters := make([]*v1alpha1.Cluster, n)
		for i := range clusters {
			clusters[i] = asNamed(asSummaryCluster(&v1alpha1.ResourceSummary{
				Allocatable: asList("pods", "1100", "cpu", "400", "memory", "1600Gi"),
				Allocated:   asList("pods", "300", "cpu", "120", "memory", "500Gi"),
			}), fmt.Sprintf("member-%05d", i))
		}
		infos := NewSnapshot(clusters).Clusters()
		spec := &v1alpha1.ResourceBindingSpec{Replicas: 10000, ReplicaRequirements: &v1alpha1.ReplicaRequirements{
			ResourceRequest: asList("cpu", "250m", "memory", "512Mi"),
		}}
		b.Run(fmt.Sprintf("clusters=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				estimateAllocatable(infos, spec, Options{})
			}
		})
	}
}
