package scheduler

import (
	"math"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// GeneralEstimator estimates from each cluster's status.resourceSummary how many replicas
// fit, as Karmada's always-on general estimator (§2.5, pkg/estimator/client/general.go).
// With the cluster's resource models and their node counts (allocatableModelings) it packs
// replicas onto virtual nodes; otherwise it divides the free resources of the whole cluster
// by the request.
type GeneralEstimator struct {
	// UnknownCapacityUnlimited answers "unknown" (-1, not limiting) for a cluster without
	// status.resourceSummary, where Karmada answers 0. gitfleet renders fleets whose status
	// has not been collected yet, and would otherwise place no divided replica anywhere.
	UnknownCapacityUnlimited bool
}

var _ Estimator = GeneralEstimator{}

// maxPodsPerModelNode is the pod capacity of a virtual resource-model node: the Kubernetes
// default of 110 pods per node, as Karmada assumes.
const maxPodsPerModelNode = 110

// MaxAvailableReplicas returns, for each cluster, how many replicas with the requirements fit
// in its free resources.
func (e GeneralEstimator) MaxAvailableReplicas(clusters []*ClusterInfo, requirements *v1alpha1.ReplicaRequirements) []int32 {
	out := make([]int32, len(clusters))
	for i, c := range clusters {
		var cluster *v1alpha1.Cluster
		if c != nil {
			cluster = c.Cluster
		}
		out[i] = e.maxAvailable(cluster, requirements)
	}
	return out
}

// maxAvailable is the estimate for one cluster (§2.5): the free pod slots bound it; with
// requirements, so do the resource models when the cluster reports node counts per grade,
// else the cluster's free amount of every requested resource.
func (e GeneralEstimator) maxAvailable(cluster *v1alpha1.Cluster, requirements *v1alpha1.ReplicaRequirements) int32 {
	if cluster == nil || cluster.Status.ResourceSummary == nil {
		if e.UnknownCapacityUnlimited {
			return unknownReplicas
		}
		return 0
	}
	summary := cluster.Status.ResourceSummary
	allowed := allowedPods(summary)
	if allowed <= 0 {
		return 0
	}
	if requirements == nil {
		// Karmada converts without a bound check; a pod count beyond int32 wraps there too.
		return int32(allowed) // #nosec G115 -- parity with Karmada
	}
	// Karmada's CustomizedClusterResourceModeling gate is beta and on by default.
	if len(summary.AllocatableModelings) > 0 {
		if n, ok := replicasOnModelNodes(cluster, requirements.ResourceRequest); ok {
			return int32(min(allowed, n)) // #nosec G115 -- n ≤ MaxInt32
		}
	}
	return int32(min(allowed, replicasInSummary(summary, requirements.ResourceRequest))) // #nosec G115 -- parity with Karmada
}

// allowedPods is the free pod slots: allocatable - allocated - allocating pods, at least 0.
// A huge allocating count (pods that cannot schedule) must not turn negative into capacity.
func allowedPods(s *v1alpha1.ResourceSummary) int64 {
	var allocatable, allocated, allocating int64
	if s.Allocatable != nil {
		allocatable = s.Allocatable.Pods().Value()
	}
	if s.Allocated != nil {
		allocated = s.Allocated.Pods().Value()
	}
	if s.Allocating != nil {
		allocating = s.Allocating.Pods().Value()
	}
	return max(0, allocatable-allocated-allocating)
}

// replicasInSummary divides the cluster's free amount of every requested resource
// (allocatable - allocated - allocating) by the request and returns the smallest quotient
// (§2.5). A requested resource the cluster does not report, or has none left of, gives 0.
// CPU is compared in milli-units, everything else in whole units; the "is anything
// requested / left" checks use whole units (rounded up), as Karmada does.
func replicasInSummary(s *v1alpha1.ResourceSummary, request corev1.ResourceList) int64 {
	fit := int64(math.MaxInt64)
	for name, requested := range request {
		want := requested.Value()
		if want <= 0 {
			continue
		}
		allocatable, ok := s.Allocatable[name]
		if !ok {
			return 0
		}
		free := allocatable.DeepCopy()
		if q, ok := s.Allocated[name]; ok {
			free.Sub(q)
		}
		if q, ok := s.Allocating[name]; ok {
			free.Sub(q)
		}
		have := free.Value()
		if have <= 0 {
			return 0
		}
		if name == corev1.ResourceCPU {
			want, have = requested.MilliValue(), free.MilliValue()
		}
		fit = min(fit, have/want)
	}
	return fit
}

// replicasOnModelNodes estimates with the cluster's resource models (§2.5): every grade with
// a node count becomes that many virtual nodes whose capacity is the lower bound (min) of
// each of the grade's ranges, with room for 110 pods, and replicas are packed first-fit. All
// replicas are alike, so first-fit fills each node to capacity and the count is the sum, per
// node, of how many requests fit. It returns false, as Karmada's model path fails and falls
// back to the summary, when the cluster defines no resource models or reports a negative
// node count.
func replicasOnModelNodes(cluster *v1alpha1.Cluster, request corev1.ResourceList) (int64, bool) {
	models := cluster.Spec.ResourceModels
	if len(models) == 0 {
		return 0, false
	}
	nodes := map[uint]int64{}
	for _, m := range cluster.Status.ResourceSummary.AllocatableModelings {
		if m.Count < 0 {
			return 0, false
		}
		nodes[m.Grade] += int64(m.Count)
	}
	// A grade defined twice takes its last definition.
	capacities := make(map[uint]resourceVector, len(models))
	for _, m := range models {
		capacity := make(corev1.ResourceList, len(m.Ranges)+1)
		for _, r := range m.Ranges {
			capacity[r.Name] = r.Min
		}
		capacity[corev1.ResourcePods] = *resource.NewQuantity(maxPodsPerModelNode, resource.DecimalSI)
		capacities[m.Grade] = newResourceVector(capacity)
	}
	perReplica := newResourceVector(request)
	perReplica.pods = 1

	var total int64
	for grade, capacity := range capacities {
		count := nodes[grade]
		if count == 0 {
			continue
		}
		perNode := capacity.fits(perReplica)
		if perNode <= 0 {
			continue
		}
		if count > (math.MaxInt32-total)/perNode {
			return math.MaxInt32, true
		}
		total += count * perNode
	}
	return min(total, math.MaxInt32), true
}

// resourceVector is a resource list in the units the resource-model simulation compares:
// milli-CPU, and whole units of memory, ephemeral storage, pods and scalar (extended,
// hugepages, *kubernetes.io/*, attachable-volumes) resources. Other resources are ignored
// there (Karmada's util.Resource).
type resourceVector struct {
	milliCPU, memory, ephemeralStorage, pods int64
	scalars                                  map[corev1.ResourceName]int64
}

func newResourceVector(list corev1.ResourceList) resourceVector {
	var v resourceVector
	for name, q := range list {
		switch name {
		case corev1.ResourceCPU:
			v.milliCPU += q.MilliValue()
		case corev1.ResourceMemory:
			v.memory += q.Value()
		case corev1.ResourcePods:
			v.pods += q.Value()
		case corev1.ResourceEphemeralStorage:
			v.ephemeralStorage += q.Value()
		default:
			if IsScalarResourceName(name) {
				if v.scalars == nil {
					v.scalars = map[corev1.ResourceName]int64{}
				}
				v.scalars[name] += q.Value()
			}
		}
	}
	return v
}

// fits returns how many copies of request fit in v: the smallest quotient over the resources
// request asks a positive amount of, bounded by v's pods.
func (v resourceVector) fits(request resourceVector) int64 {
	n := v.pods
	if request.milliCPU > 0 {
		n = min(n, v.milliCPU/request.milliCPU)
	}
	if request.memory > 0 {
		n = min(n, v.memory/request.memory)
	}
	if request.ephemeralStorage > 0 {
		n = min(n, v.ephemeralStorage/request.ephemeralStorage)
	}
	for name, want := range request.scalars {
		if want > 0 {
			n = min(n, v.scalars[name]/want)
		}
	}
	return n
}

// IsScalarResourceName reports whether the scheduler tracks the resource as a scalar:
// extended resources, hugepages, *kubernetes.io/* resources and attachable volumes
// (Kubernetes' scheduler util.IsScalarResourceName).
func IsScalarResourceName(name corev1.ResourceName) bool {
	s := string(name)
	return isExtendedResourceName(name) ||
		strings.HasPrefix(s, corev1.ResourceHugePagesPrefix) ||
		strings.Contains(s, corev1.ResourceDefaultNamespacePrefix) ||
		strings.HasPrefix(s, corev1.ResourceAttachableVolumesPrefix)
}

// isExtendedResourceName reports whether the resource is an extended resource: outside the
// kubernetes.io namespace, not a quota "requests." name, and a qualified name once prefixed
// with "requests." (Kubernetes' helper.IsExtendedResourceName).
func isExtendedResourceName(name corev1.ResourceName) bool {
	s := string(name)
	native := !strings.Contains(s, "/") || strings.Contains(s, corev1.ResourceDefaultNamespacePrefix)
	if native || strings.HasPrefix(s, corev1.DefaultResourceRequestsPrefix) {
		return false
	}
	return len(validation.IsQualifiedName(corev1.DefaultResourceRequestsPrefix+s)) == 0
}
