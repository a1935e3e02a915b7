package scheduler

import (
	"math"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// asNode is a Ready, schedulable node with the given allocatable and requested lists (name,
// quantity pairs), changed by the options.
func asNode(name string, allocatable, requested []string, opts ...func(*v1alpha1.NodeResources)) v1alpha1.NodeResources {
	n := v1alpha1.NodeResources{Name: name, Ready: true, Allocatable: asList(allocatable...), Requested: asList(requested...)}
	for _, o := range opts {
		o(&n)
	}
	return n
}

func asNotReady(n *v1alpha1.NodeResources) { n.Ready = false }
func asCordoned(n *v1alpha1.NodeResources) { n.Unschedulable = true }
func asNodeLabels(kv ...string) func(*v1alpha1.NodeResources) {
	return func(n *v1alpha1.NodeResources) {
		n.Labels = map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			n.Labels[kv[i]] = kv[i+1]
		}
	}
}
func asNodeTaint(key, value string, effect corev1.TaintEffect) func(*v1alpha1.NodeResources) {
	return func(n *v1alpha1.NodeResources) {
		n.Taints = append(n.Taints, corev1.Taint{Key: key, Value: value, Effect: effect})
	}
}

// asNodeClusters is a ClusterInfo per name, in the order given.
func asNodeClusters(names ...string) []*ClusterInfo {
	out := make([]*ClusterInfo, len(names))
	for i, name := range names {
		out[i] = &ClusterInfo{Name: name, Cluster: asNamed(asSummaryCluster(nil), name)}
	}
	return out
}

func TestNodeEstimator(t *testing.T) {
	// Two nodes of 4 CPU, 8Gi and 110 pods; n1 runs 1 CPU, 2Gi and 10 pods, n2 is empty.
	twoNodes := []v1alpha1.NodeResources{
		asNode("n1", []string{"cpu", "4", "memory", "8Gi", "pods", "110"}, []string{"cpu", "1", "memory", "2Gi", "pods", "10"}),
		asNode("n2", []string{"cpu", "4", "memory", "8Gi", "pods", "110"}, nil),
	}
	request := func(pairs ...string) *v1alpha1.ReplicaRequirements {
		return &v1alpha1.ReplicaRequirements{ResourceRequest: asList(pairs...)}
	}
	claimed := func(r *v1alpha1.ReplicaRequirements, claim v1alpha1.NodeClaim) *v1alpha1.ReplicaRequirements {
		r.NodeClaim = &claim
		return r
	}
	zoneAffinity := func(terms ...corev1.NodeSelectorTerm) v1alpha1.NodeClaim {
		return v1alpha1.NodeClaim{HardNodeAffinity: &corev1.NodeSelector{NodeSelectorTerms: terms}}
	}
	zoneTerm := func(op corev1.NodeSelectorOperator, values ...string) corev1.NodeSelectorTerm {
		return corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{fxReq("zone", op, values...)}}
	}
	// zoned are three 2-CPU nodes in zones a, b and c; b is also labelled gpu=true.
	zoned := []v1alpha1.NodeResources{
		asNode("na", []string{"cpu", "2", "pods", "110"}, nil, asNodeLabels("zone", "a")),
		asNode("nb", []string{"cpu", "2", "pods", "110"}, nil, asNodeLabels("zone", "b", "gpu", "true")),
		asNode("nc", []string{"cpu", "2", "pods", "110"}, nil, asNodeLabels("zone", "c")),
	}

	tests := []struct {
		name         string
		nodes        []v1alpha1.NodeResources
		requirements *v1alpha1.ReplicaRequirements
		expected     int32
	}{
		// Resources and pods.
		{
			name:         "cpu: 3 free CPU hold 6 of 500m on n1, 4 CPU hold 8 on n2",
			nodes:        twoNodes,
			requirements: request("cpu", "500m"),
			expected:     14,
		},
		{
			name:         "memory: 6Gi and 8Gi free hold 1 and 2 of 3.5Gi, not the 4 the pooled 14Gi would",
			nodes:        twoNodes,
			requirements: request("memory", "3.5Gi"),
			expected:     3,
		},
		{
			name:         "the smallest quotient over the requested resources wins on each node",
			nodes:        twoNodes,
			requirements: request("cpu", "500m", "memory", "3Gi"),
			expected:     4,
		},
		{
			name: "free pods bound each node",
			nodes: []v1alpha1.NodeResources{
				asNode("n1", []string{"cpu", "64", "pods", "5"}, []string{"pods", "3"}),
				asNode("n2", []string{"cpu", "64", "pods", "4"}, nil),
			},
			requirements: request("cpu", "100m"),
			expected:     6,
		},
		{
			name:     "no requirements: the free pods alone",
			nodes:    twoNodes,
			expected: 100 + 110,
		},
		{
			name:         "an empty request: the free pods alone",
			nodes:        twoNodes,
			requirements: request(),
			expected:     210,
		},
		{
			name:         "a zero request does not limit",
			nodes:        twoNodes,
			requirements: request("cpu", "1", "nvidia.com/gpu", "0"),
			expected:     3 + 4,
		},
		{
			name: "a full node adds nothing",
			nodes: []v1alpha1.NodeResources{
				asNode("n1", []string{"cpu", "4", "pods", "110"}, []string{"cpu", "4", "pods", "1"}),
				asNode("n2", []string{"cpu", "4", "pods", "110"}, []string{"cpu", "3500m", "pods", "1"}),
				asNode("n3", []string{"cpu", "4", "pods", "110"}, []string{"cpu", "3"}),
			},
			requirements: request("cpu", "1"),
			expected:     1,
		},
		{
			name: "a node over-committed adds nothing, it does not subtract",
			nodes: []v1alpha1.NodeResources{
				asNode("n1", []string{"cpu", "4", "pods", "110"}, []string{"cpu", "6", "pods", "120"}),
				asNode("n2", []string{"cpu", "4", "pods", "110"}, nil),
			},
			requirements: request("cpu", "1"),
			expected:     4,
		},
		{
			name: "a requested resource a node does not report: that node holds none",
			nodes: []v1alpha1.NodeResources{
				asNode("cpu-only", []string{"cpu", "8", "pods", "110"}, nil),
				asNode("gpu", []string{"cpu", "8", "pods", "110", "nvidia.com/gpu", "4"}, []string{"nvidia.com/gpu", "1"}),
			},
			requirements: request("cpu", "1", "nvidia.com/gpu", "1"),
			expected:     3,
		},
		{
			name: "no allocatable pods: the node holds none",
			nodes: []v1alpha1.NodeResources{
				asNode("n1", []string{"cpu", "8"}, nil),
				asNode("n2", []string{"cpu", "8", "pods", "2"}, nil),
			},
			expected: 2,
		},
		{
			name:         "CPU is divided in milli-units, a sub-milli request rounds up",
			nodes:        []v1alpha1.NodeResources{asNode("n1", []string{"cpu", "1", "pods", "5000"}, []string{"cpu", "1m"})},
			requirements: request("cpu", "0.0005"),
			expected:     999,
		},
		{
			name:         "a fraction of a byte free does not count",
			nodes:        []v1alpha1.NodeResources{asNode("n1", []string{"memory", "10", "pods", "110"}, []string{"memory", "500m"})},
			requirements: request("memory", "1"),
			expected:     9,
		},
		{
			name: "huge nodes do not overflow: the sum stops at MaxInt32",
			nodes: []v1alpha1.NodeResources{
				asNode("n1", []string{"cpu", "1e15", "pods", "1e12"}, nil),
				asNode("n2", []string{"cpu", "1e15", "pods", "1e12"}, nil),
			},
			requirements: request("cpu", "1m"),
			expected:     math.MaxInt32,
		},
		{
			name:         "CPU beyond what milli-units fit in int64 is still divided exactly",
			nodes:        []v1alpha1.NodeResources{asNode("n1", []string{"cpu", "1e17", "pods", "7"}, []string{"cpu", "9e16"})},
			requirements: request("cpu", "5e15"),
			expected:     2,
		},
		// Node conditions.
		{
			name: "not ready and cordoned nodes hold nothing",
			nodes: []v1alpha1.NodeResources{
				asNode("down", []string{"cpu", "4", "pods", "110"}, nil, asNotReady),
				asNode("cordoned", []string{"cpu", "4", "pods", "110"}, nil, asCordoned),
				asNode("ok", []string{"cpu", "4", "pods", "110"}, nil),
			},
			requirements: request("cpu", "1"),
			expected:     4,
		},
		{
			name:         "nodes but none fitting: 0, not unknown",
			nodes:        []v1alpha1.NodeResources{asNode("down", []string{"cpu", "4", "pods", "110"}, nil, asNotReady)},
			requirements: request("cpu", "1"),
			expected:     0,
		},
		// Taints and tolerations.
		{
			name: "NoSchedule and NoExecute taints keep an intolerant replica off; PreferNoSchedule does not",
			nodes: []v1alpha1.NodeResources{
				asNode("gpu", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule)),
				asNode("draining", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("draining", "", corev1.TaintEffectNoExecute)),
				asNode("soft", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("spot", "", corev1.TaintEffectPreferNoSchedule)),
			},
			requirements: request("cpu", "1"),
			expected:     4,
		},
		{
			name: "a tolerated NoSchedule taint admits the replica",
			nodes: []v1alpha1.NodeResources{
				asNode("gpu", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule)),
				asNode("draining", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("draining", "", corev1.TaintEffectNoExecute)),
			},
			requirements: claimed(request("cpu", "1"), v1alpha1.NodeClaim{Tolerations: []corev1.Toleration{
				{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}}),
			expected: 4,
		},
		{
			name: "a toleration for another value does not tolerate the taint",
			nodes: []v1alpha1.NodeResources{
				asNode("gpu", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule)),
			},
			requirements: claimed(request("cpu", "1"), v1alpha1.NodeClaim{Tolerations: []corev1.Toleration{
				{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "db"}}}),
			expected: 0,
		},
		{
			name: "an Exists toleration without key tolerates every taint",
			nodes: []v1alpha1.NodeResources{
				asNode("gpu", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule)),
				asNode("draining", []string{"cpu", "4", "pods", "110"}, nil, asNodeTaint("draining", "", corev1.TaintEffectNoExecute)),
			},
			requirements: claimed(request("cpu", "1"), v1alpha1.NodeClaim{Tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}}}),
			expected:     8,
		},
		// nodeSelector and required node affinity.
		{
			name:         "nodeSelector: only the labelled node",
			nodes:        zoned,
			requirements: claimed(request("cpu", "1"), v1alpha1.NodeClaim{NodeSelector: map[string]string{"gpu": "true"}}),
			expected:     2,
		},
		{
			name:         "nodeSelector: every pair must match",
			nodes:        zoned,
			requirements: claimed(request("cpu", "1"), v1alpha1.NodeClaim{NodeSelector: map[string]string{"gpu": "true", "zone": "a"}}),
			expected:     0,
		},
		{
			name:         "an empty nodeSelector selects every node",
			nodes:        zoned,
			requirements: claimed(request("cpu", "1"), v1alpha1.NodeClaim{NodeSelector: map[string]string{}}),
			expected:     6,
		},
		{
			name:         "required affinity: zone In (a, c)",
			nodes:        zoned,
			requirements: claimed(request("cpu", "1"), zoneAffinity(zoneTerm(corev1.NodeSelectorOpIn, "a", "c"))),
			expected:     4,
		},
		{
			name:         "required affinity: terms are ORed",
			nodes:        zoned,
			requirements: claimed(request("cpu", "1"), zoneAffinity(zoneTerm(corev1.NodeSelectorOpIn, "a"), zoneTerm(corev1.NodeSelectorOpIn, "b"))),
			expected:     4,
		},
		{
			name:  "required affinity: expressions of one term are ANDed",
			nodes: zoned,
			requirements: claimed(request("cpu", "1"), zoneAffinity(corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{
				fxReq("zone", corev1.NodeSelectorOpNotIn, "a"), fxReq("gpu", corev1.NodeSelectorOpDoesNotExist)}})),
			expected: 2,
		},
		{
			name:  "required affinity and nodeSelector must both match",
			nodes: zoned,
			requirements: claimed(request("cpu", "1"), v1alpha1.NodeClaim{
				NodeSelector:     map[string]string{"gpu": "true"},
				HardNodeAffinity: zoneAffinity(zoneTerm(corev1.NodeSelectorOpIn, "a")).HardNodeAffinity,
			}),
			expected: 0,
		},
		{
			name:  "required affinity: matchFields on the node name",
			nodes: zoned,
			requirements: claimed(request("cpu", "1"), zoneAffinity(corev1.NodeSelectorTerm{MatchFields: []corev1.NodeSelectorRequirement{
				fxReq("metadata.name", corev1.NodeSelectorOpIn, "nc")}})),
			expected: 2,
		},
		{
			name:         "required affinity without terms admits no node",
			nodes:        zoned,
			requirements: claimed(request("cpu", "1"), zoneAffinity()),
			expected:     0,
		},
		{
			name:  "an empty or invalid term matches nothing, the others still do",
			nodes: zoned,
			requirements: claimed(request("cpu", "1"), zoneAffinity(
				corev1.NodeSelectorTerm{},
				zoneTerm(corev1.NodeSelectorOpIn),
				zoneTerm(corev1.NodeSelectorOpIn, "b"))),
			expected: 2,
		},
		{
			name:         "a node claim without resource request: the free pods of the admitted nodes",
			nodes:        zoned,
			requirements: &v1alpha1.ReplicaRequirements{NodeClaim: &v1alpha1.NodeClaim{NodeSelector: map[string]string{"zone": "b"}}},
			expected:     110,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			e := NewNodeEstimator(map[string][]v1alpha1.NodeResources{"member": tt.nodes})
			g.Expect(e.MaxAvailableReplicas(asNodeClusters("member"), tt.requirements)).To(Equal([]int32{tt.expected}))
		})
	}
}

func TestNodeEstimatorUnknownClusters(t *testing.T) {
	g := NewWithT(t)
	e := NewNodeEstimator(map[string][]v1alpha1.NodeResources{
		"recorded": {asNode("n1", []string{"cpu", "2", "pods", "110"}, nil)},
		"empty":    {},
	})
	clusters := append(asNodeClusters("recorded", "unrecorded", "empty"), nil)
	g.Expect(e.MaxAvailableReplicas(clusters, &v1alpha1.ReplicaRequirements{ResourceRequest: asList("cpu", "1")})).
		To(Equal([]int32{2, unknownReplicas, unknownReplicas, unknownReplicas}),
			"a cluster without node entries (or no cluster) is not judged")
}

// Beside the general estimator, the node estimator lowers a cluster whose free resources are
// scattered: 4 free CPU pooled, but no node with 2 of them.
func TestEstimateAllocatableWithNodes(t *testing.T) {
	g := NewWithT(t)
	clusters := NewSnapshot([]*v1alpha1.Cluster{
		asNamed(asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "110", "cpu", "4")}), "scattered"),
		asNamed(asSummaryCluster(&v1alpha1.ResourceSummary{Allocatable: asList("pods", "110", "cpu", "4")}), "unrecorded"),
	}).Clusters()
	nodes := NewNodeEstimator(map[string][]v1alpha1.NodeResources{"scattered": {
		asNode("n1", []string{"cpu", "1500m", "pods", "110"}, nil),
		asNode("n2", []string{"cpu", "1500m", "pods", "110"}, nil),
		asNode("n3", []string{"cpu", "1", "pods", "110"}, nil),
	}})
	spec := &v1alpha1.ResourceBindingSpec{Replicas: 6, ReplicaRequirements: &v1alpha1.ReplicaRequirements{ResourceRequest: asList("cpu", "2")}}
	g.Expect(estimateAllocatable(clusters, spec, Options{})).To(Equal([]int32{2, 2}))
	g.Expect(estimateAllocatable(clusters, spec, Options{Estimators: []Estimator{nodes}})).To(Equal([]int32{0, 2}))
}
