package interpreter

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/scheduler"
)

// podReplicaRequirements is what one replica of a pod template needs from a cluster, as
// Karmada's helper.GenerateReplicaRequirements computes it (§11 step 3): the node claim and
// the effective resource request; nil when both are empty. The priority class is only
// carried with the ResourceQuotaEstimate gate.
func podReplicaRequirements(spec *corev1.PodSpec, withPriorityClass bool) *v1alpha1.ReplicaRequirements {
	claim := podNodeClaim(spec)
	request := podResourceRequest(spec)
	if claim == nil && request == nil {
		return nil
	}
	r := &v1alpha1.ReplicaRequirements{NodeClaim: claim, ResourceRequest: request}
	if withPriorityClass {
		r.PriorityClassName = spec.PriorityClassName
	}
	return r
}

// podNodeClaim is the pod's hard node constraints: node selector, required node affinity and
// tolerations; nil when there are none. As in Karmada, an empty but present nodeSelector
// counts as a constraint and an empty toleration list does not.
func podNodeClaim(spec *corev1.PodSpec) *v1alpha1.NodeClaim {
	claim := &v1alpha1.NodeClaim{NodeSelector: spec.NodeSelector, Tolerations: spec.Tolerations}
	if a := spec.Affinity; a != nil && a.NodeAffinity != nil {
		claim.HardNodeAffinity = a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	}
	if claim.NodeSelector == nil && claim.HardNodeAffinity == nil && len(claim.Tolerations) == 0 {
		return nil
	}
	return claim
}

// podResourceRequest is the effective request of one pod, as Karmada's
// util.Resource.AddPodTemplateRequest computes it: the sum over the containers, raised per
// resource to any init container's request, plus the pod overhead. A container resource with
// only a limit requests its limit.
//
// Karmada does not model sidecars: an init container with restartPolicy Always is compared
// like any other init container instead of being added, and ephemeral containers are ignored.
// Resources other than cpu, memory, ephemeral-storage, pods and scalar resources (extended,
// hugepages-*, *kubernetes.io/*, attachable-volumes-*) are dropped. nil when nothing is
// requested.
func podResourceRequest(spec *corev1.PodSpec) corev1.ResourceList {
	var total resourceAmounts
	for i := range spec.Containers {
		total.add(effectiveRequests(&spec.Containers[i]))
	}
	for i := range spec.InitContainers {
		total.raiseTo(effectiveRequests(&spec.InitContainers[i]))
	}
	total.add(spec.Overhead)
	return total.list()
}

// effectiveRequests is the container's requests with its limits standing in for the
// resources it only limits (Kubernetes' defaulting of requests to limits).
func effectiveRequests(c *corev1.Container) corev1.ResourceList {
	requests, limits := c.Resources.Requests, c.Resources.Limits
	if len(limits) == 0 {
		return requests
	}
	out := make(corev1.ResourceList, len(requests)+len(limits))
	for name, q := range limits {
		out[name] = q
	}
	for name, q := range requests {
		out[name] = q
	}
	return out
}

// resourceAmounts is a resource list in the units Karmada's util.Resource keeps: milli-CPU,
// and whole units (rounded up) of memory, ephemeral storage, pods and scalar resources.
type resourceAmounts struct {
	milliCPU, memory, ephemeralStorage, pods int64
	scalars                                  map[corev1.ResourceName]int64
}

// add adds the list to the amounts.
func (r *resourceAmounts) add(list corev1.ResourceList) {
	for name, q := range list {
		switch name {
		case corev1.ResourceCPU:
			r.milliCPU += q.MilliValue()
		case corev1.ResourceMemory:
			r.memory += q.Value()
		case corev1.ResourceEphemeralStorage:
			r.ephemeralStorage += q.Value()
		case corev1.ResourcePods:
			r.pods += q.Value()
		default:
			if scheduler.IsScalarResourceName(name) {
				r.setScalar(name, r.scalars[name]+q.Value())
			}
		}
	}
}

// raiseTo raises each amount to the list's value where the list asks more.
func (r *resourceAmounts) raiseTo(list corev1.ResourceList) {
	for name, q := range list {
		switch name {
		case corev1.ResourceCPU:
			r.milliCPU = max(r.milliCPU, q.MilliValue())
		case corev1.ResourceMemory:
			r.memory = max(r.memory, q.Value())
		case corev1.ResourceEphemeralStorage:
			r.ephemeralStorage = max(r.ephemeralStorage, q.Value())
		case corev1.ResourcePods:
			r.pods = max(r.pods, q.Value())
		default:
			if v := q.Value(); scheduler.IsScalarResourceName(name) && v > r.scalars[name] {
				r.setScalar(name, v)
			}
		}
	}
}

func (r *resourceAmounts) setScalar(name corev1.ResourceName, v int64) {
	if r.scalars == nil {
		r.scalars = map[corev1.ResourceName]int64{}
	}
	r.scalars[name] = v
}

// list renders the positive amounts as a resource list in Karmada's formats (cpu in
// DecimalSI milli-units, memory, ephemeral storage and hugepages in BinarySI, the rest in
// DecimalSI), so the quantities serialise as Karmada's do; nil when all are zero.
func (r *resourceAmounts) list() corev1.ResourceList {
	out := corev1.ResourceList{}
	if r.milliCPU > 0 {
		out[corev1.ResourceCPU] = *resource.NewMilliQuantity(r.milliCPU, resource.DecimalSI)
	}
	if r.memory > 0 {
		out[corev1.ResourceMemory] = *resource.NewQuantity(r.memory, resource.BinarySI)
	}
	if r.ephemeralStorage > 0 {
		out[corev1.ResourceEphemeralStorage] = *resource.NewQuantity(r.ephemeralStorage, resource.BinarySI)
	}
	if r.pods > 0 {
		out[corev1.ResourcePods] = *resource.NewQuantity(r.pods, resource.DecimalSI)
	}
	for name, v := range r.scalars {
		if v <= 0 {
			continue
		}
		format := resource.DecimalSI
		if strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) {
			format = resource.BinarySI
		}
		out[name] = *resource.NewQuantity(v, format)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
