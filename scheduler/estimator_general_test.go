package scheduler

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// asList is a resource list from name, quantity pairs.
func asList(pairs ...string) corev1.ResourceList {
	out := corev1.ResourceList{}
	for i := 0; i < len(pairs); i += 2 {
		out[corev1.ResourceName(pairs[i])] = resource.MustParse(pairs[i+1])
	}
	return out
}

// asSummaryCluster is a cluster with the given resource summary (nil: none reported).
func asSummaryCluster(s *v1alpha1.ResourceSummary) *v1alpha1.Cluster {
	return &v1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "member"}, Status: v1alpha1.ClusterStatus{ResourceSummary: s}}
}

// asModels are resource-model grades; each grade is a list of name, min, max triples.
func asModels(grades ...[]string) []v1alpha1.ResourceModel {
	out := make([]v1alpha1.ResourceModel, len(grades))
	for g, ranges := range grades {
		out[g].Grade = uint(g)
		for i := 0; i < len(ranges); i += 3 {
			out[g].Ranges = append(out[g].Ranges, v1alpha1.ResourceModelRange{
				Name: corev1.ResourceName(ranges[i]),
				Min:  resource.MustParse(ranges[i+1]),
				Max:  resource.MustParse(ranges[i+2]),
			})
		}
	}
	return out
}

// asCPUModels are three grades by CPU: [0,1), [1,2), [2,4).
var asCPUModels = asModels([]string{"cpu", "0", "1"}, []string{"cpu", "1", "2"}, []string{"cpu", "2", "4"})

// asCPUMemoryModels are three grades by CPU and memory: [0,1)×[0,1Gi), [1,2)×[1Gi,2Gi),
// [2,4)×[2Gi,4Gi).
var asCPUMemoryModels = asModels(
	[]string{"cpu", "0", "1", "memory", "0", "1Gi"},
	[]string{"cpu", "1", "2", "memory", "1Gi", "2Gi"},
	[]string{"cpu", "2", "4", "memory", "2Gi", "4Gi"},
)

// asModelCluster is a cluster with resource models, node counts per grade and free pods.
func asModelCluster(models []v1alpha1.ResourceModel, pods string, counts ...int) *v1alpha1.Cluster {
	s := &v1alpha1.ResourceSummary{Allocatable: asList("pods", pods)}
	for grade, n := range counts {
		s.AllocatableModelings = append(s.AllocatableModelings, v1alpha1.AllocatableModeling{Grade: uint(grade), Count: n})
	}
	c := asSummaryCluster(s)
	c.Spec.ResourceModels = models
	return c
}

func TestGeneralEstimator(t *testing.T) {
	request := func(pairs ...string) *v1alpha1.ReplicaRequirements {
		return &v1alpha1.ReplicaRequirements{ResourceRequest: asList(pairs...)}
	}
	tests := []struct {
		name         string
		cluster      *v1alpha1.Cluster
		requirements *v1alpha1.ReplicaRequirements
		unknownOK    bool
		expected     int32
	}{
		// §2.5 example (§14 item 23).
		{
			name: "pods 100-20, cpu 4-1, memory 8Gi-2Gi, request 500m/1Gi",
			cluster: asSummaryCluster(&v1alpha1.ResourceSummary{
				Allocatable: asList("pods", "100", "cpu", "4", "memory", "8Gi"),
				Allocated:   asList("pods", "20", "cpu", "1", "memory", "2Gi"),
			}),
			requirements: request("cpu", "500m", "memory", "1Gi"),
			expected:     6,
		},
		// Summary.
		{name: "no resource summary: room for nothing", cluster: asSummaryCluster(nil), requirements: request("cpu", "1"), expected: 0},
		{name: "no resource summary, unknown capacity allowed: unknown", cluster: asSummaryCluster(nil), requirements: request("cpu", "1"), unknownOK: true, expected: -1},
		{name: "no cluster object, unknown capacity allowed: unknown", cluster: nil, unknownOK: true, expected: -1},
		{name: "a summary, unknown capacity allowed: estimated", cluster: asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "7")}), unknownOK: true, expected: 7},
		// Pods.
		{
			name:     "no free pods",
			cluster:  asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "10"), Allocated: asList("pods", "10")}),
			expected: 0,
		},
		{name: "no requirements: the free pods", cluster: asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "10")}), expected: 10},
		{
			name: "free pods are allocatable - allocated - allocating",
			cluster: asSummaryCluster(&v1alpha1.ResourceSummary{
				Allocatable: asList("pods", "100"), Allocated: asList("pods", "40"), Allocating: asList("pods", "10"),
			}),
			expected: 50,
		},
		{name: "no allocatable pods", cluster: asSummaryCluster(&v1alpha1.ResourceSummary{Allocated: asList("pods", "10")}), expected: 0},
		{
			name: "more pods allocating than free",
			cluster: asSummaryCluster(&v1alpha1.ResourceSummary{
				Allocatable: asList("pods", "100"), Allocated: asList("pods", "90"), Allocating: asList("pods", "20"),
			}),
			expected: 0,
		},
		{
			name:         "the free pods bound the resources",
			cluster:      asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "3", "cpu", "100")}),
			requirements: request("cpu", "1"),
			expected:     3,
		},
		// Resources.
		{
			name: "not enough memory for one replica",
			cluster: asSummaryCluster(&v1alpha1.ResourceSummary{
				Allocatable: asList("pods", "100", "cpu", "4", "memory", "2Gi"),
				Allocated:   asList("cpu", "1", "memory", "1.5Gi"),
			}),
			requirements: request("cpu", "500m", "memory", "1Gi"),
			expected:     0,
		},
		{
			name:         "a requested resource the cluster does not report: room for nothing",
			cluster:      asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "100", "cpu", "4")}),
			requirements: request("cpu", "1", "nvidia.com/gpu", "1"),
			expected:     0,
		},
		{
			name:         "CPU is divided in milli-units",
			cluster:      asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "100", "cpu", "1500m")}),
			requirements: request("cpu", "400m"),
			expected:     3,
		},
		{
			name:         "less than one CPU left still counts (the whole-unit check rounds up)",
			cluster:      asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "100", "cpu", "2"), Allocated: asList("cpu", "1500m")}),
			requirements: request("cpu", "250m"),
			expected:     2,
		},
		{
			name: "allocating is subtracted too",
			cluster: asSummaryCluster(&v1alpha1.ResourceSummary{
				Allocatable: asList("pods", "100", "memory", "10Gi"),
				Allocated:   asList("memory", "2Gi"),
				Allocating:  asList("memory", "3Gi"),
			}),
			requirements: request("memory", "1Gi"),
			expected:     5,
		},
		{
			name:         "nothing left of a resource: room for nothing",
			cluster:      asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "100", "cpu", "2"), Allocated: asList("cpu", "3")}),
			requirements: request("cpu", "100m"),
			expected:     0,
		},
		{
			name:         "a zero request is not a limit, even for a resource the cluster lacks",
			cluster:      asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "100", "cpu", "4")}),
			requirements: request("cpu", "1", "nvidia.com/gpu", "0"),
			expected:     4,
		},
		{
			name:         "extended resources are divided in whole units",
			cluster:      asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "100", "nvidia.com/gpu", "8"), Allocated: asList("nvidia.com/gpu", "1")}),
			requirements: request("nvidia.com/gpu", "2"),
			expected:     3,
		},
		{name: "an empty request: the free pods", cluster: asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "12")}), requirements: request(), expected: 12},
		// Resource models.
		{
			name:         "models: 1.5 CPU fits only the [2,4) node",
			cluster:      asModelCluster(asCPUModels, "100", 1, 1, 1),
			requirements: request("cpu", "1.5"),
			expected:     1,
		},
		{
			name:         "models: 3 CPU fits no node (a node counts with its grade's minimum)",
			cluster:      asModelCluster(asCPUModels, "100", 1, 1, 1),
			requirements: request("cpu", "3"),
			expected:     0,
		},
		{
			name:         "models: 1 CPU and 1.5Gi fit the [2,4)×[2Gi,4Gi) node once",
			cluster:      asModelCluster(asCPUMemoryModels, "100", 1, 1, 1),
			requirements: request("cpu", "1", "memory", "1.5Gi"),
			expected:     1,
		},
		{
			name:         "models: 2.5Gi is more than any grade's minimum",
			cluster:      asModelCluster(asCPUMemoryModels, "100", 1, 1, 1),
			requirements: request("cpu", "1", "memory", "2.5Gi"),
			expected:     0,
		},
		{
			name:         "models: replicas add up over nodes",
			cluster:      asModelCluster(asCPUModels, "100", 0, 3),
			requirements: request("cpu", "500m"),
			expected:     6,
		},
		{
			name:         "models: the free pods bound the result",
			cluster:      asModelCluster(asCPUModels, "4", 0, 3),
			requirements: request("cpu", "500m"),
			expected:     4,
		},
		{
			name:         "models: a virtual node holds at most 110 pods",
			cluster:      asModelCluster(asModels([]string{"cpu", "64", "128"}), "1000", 2),
			requirements: request("cpu", "10m"),
			expected:     220,
		},
		{
			name:         "models: memory the models do not grade allows nothing (a node has none of it)",
			cluster:      asModelCluster(asCPUModels, "1000", 0, 0, 2),
			requirements: request("cpu", "1", "memory", "1Gi"),
			expected:     0,
		},
		{
			name:         "models: a resource the simulation does not track limits nothing",
			cluster:      asModelCluster(asCPUModels, "1000", 0, 0, 2),
			requirements: request("cpu", "1", "storage", "1Gi"),
			expected:     4,
		},
		{
			name:         "models: an extended resource the models do not grade allows nothing",
			cluster:      asModelCluster(asCPUModels, "1000", 0, 0, 2),
			requirements: request("cpu", "1", "nvidia.com/gpu", "1"),
			expected:     0,
		},
		{
			name:         "models: node counts for an undefined grade are ignored",
			cluster:      asModelCluster(asCPUModels, "1000", 0, 0, 1, 7),
			requirements: request("cpu", "1"),
			expected:     2,
		},
		{
			name: "models: without resource models the summary is used",
			cluster: func() *v1alpha1.Cluster {
				c := asModelCluster(nil, "100", 0, 3)
				c.Status.ResourceSummary.Allocatable[corev1.ResourceCPU] = resource.MustParse("10")
				return c
			}(),
			requirements: request("cpu", "1"),
			expected:     10,
		},
		{
			name: "models: a negative node count falls back to the summary",
			cluster: func() *v1alpha1.Cluster {
				c := asModelCluster(asCPUModels, "100", 0, -1, 3)
				c.Status.ResourceSummary.Allocatable[corev1.ResourceCPU] = resource.MustParse("10")
				return c
			}(),
			requirements: request("cpu", "1"),
			expected:     10,
		},
		{
			name: "models: the summary's own resources do not limit the model estimate",
			cluster: func() *v1alpha1.Cluster {
				c := asModelCluster(asCPUModels, "100", 0, 0, 5)
				c.Status.ResourceSummary.Allocatable[corev1.ResourceCPU] = resource.MustParse("1")
				return c
			}(),
			requirements: request("cpu", "1"),
			expected:     10,
		},
		{
			name:         "models: without requirements only the free pods count",
			cluster:      asModelCluster(asCPUModels, "100", 0, 0, 1),
			requirements: nil,
			expected:     100,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			var infos []*ClusterInfo
			if tt.cluster != nil {
				infos = NewSnapshot([]*v1alpha1.Cluster{tt.cluster}).Clusters()
			} else {
				infos = []*ClusterInfo{{Name: "member"}}
			}
			got := GeneralEstimator{UnknownCapacityUnlimited: tt.unknownOK}.MaxAvailableReplicas(infos, tt.requirements)
			g.Expect(got).To(Equal([]int32{tt.expected}))
		})
	}
}

func TestGeneralEstimatorDoesNotModifyTheCluster(t *testing.T) {
	g := NewWithT(t)
	c := asSummaryCluster(&v1alpha1.ResourceSummary{
		Allocatable: asList("pods", "100", "cpu", "4", "memory", "8Gi"),
		Allocated:   asList("pods", "20", "cpu", "1", "memory", "2Gi"),
		Allocating:  asList("cpu", "1"),
	})
	before := c.DeepCopy()
	GeneralEstimator{}.MaxAvailableReplicas(NewSnapshot([]*v1alpha1.Cluster{c}).Clusters(),
		&v1alpha1.ReplicaRequirements{ResourceRequest: asList("cpu", "500m", "memory", "1Gi")})
	g.Expect(c).To(Equal(before))
}

func TestIsScalarResourceName(t *testing.T) {
	g := NewWithT(t)
	for name, scalar := range map[string]bool{
		"nvidia.com/gpu":                  true,
		"hugepages-2Mi":                   true,
		"kubernetes.io/something":         true,
		"attachable-volumes-aws-ebs":      true,
		"example.com/has space":           false,
		"requests.example.com/foo":        false,
		"storage":                         false,
		"cpu":                             false,
		"example.com/valid-name_with.dot": true,
	} {
		g.Expect(IsScalarResourceName(corev1.ResourceName(name))).To(Equal(scalar), name)
	}
}
