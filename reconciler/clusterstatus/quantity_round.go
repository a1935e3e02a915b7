package clusterstatus

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Rounding granularities of recorded quantities. Status files must change only on
// meaningful changes (DESIGN §1.3), so capacity and use are recorded coarsely: CPU in steps
// of 100m, memory, ephemeral storage and huge pages in steps of 1Mi; pod counts and other
// (extended) resources exactly. Allocatable is rounded down and requests are rounded up, so
// that an estimator reading the rounded figures never promises capacity that is not there.
const (
	cpuStepMilli = 100
	byteStep     = 1 << 20
)

// roundDirection says which way a quantity is rounded.
type roundDirection int

const (
	roundDown roundDirection = iota
	roundUp
)

// roundQuantity rounds q of resource name to the granularity of its kind.
func roundQuantity(name corev1.ResourceName, q resource.Quantity, dir roundDirection) resource.Quantity {
	switch {
	case name == corev1.ResourceCPU:
		m := stepRound(q.MilliValue(), cpuStepMilli, dir)
		return *resource.NewMilliQuantity(m, resource.DecimalSI)
	case name == corev1.ResourceMemory || name == corev1.ResourceEphemeralStorage ||
		strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix):
		b := stepRound(q.Value(), byteStep, dir)
		return *resource.NewQuantity(b, resource.BinarySI)
	default:
		return *resource.NewQuantity(q.Value(), q.Format)
	}
}

// stepRound rounds v (non-negative) to a multiple of step.
func stepRound(v, step int64, dir roundDirection) int64 {
	if v <= 0 {
		return 0
	}
	r := v / step * step
	if dir == roundUp && r < v {
		r += step
	}
	return r
}

// roundList returns a rounded copy of l; nil for an empty list.
func roundList(l corev1.ResourceList, dir roundDirection) corev1.ResourceList {
	if len(l) == 0 {
		return nil
	}
	out := make(corev1.ResourceList, len(l))
	for name, q := range l {
		out[name] = roundQuantity(name, q, dir)
	}
	return out
}

// addList adds b into a.
func addList(a, b corev1.ResourceList) {
	for name, q := range b {
		sum := a[name]
		sum.Add(q)
		a[name] = sum
	}
}

// podRequests is what a pod asks of its node, as the scheduler counts it: the larger of the
// sum of its regular and sidecar containers' requests and the largest init container's
// request (plus the sidecars started before it), plus the pod overhead.
func podRequests(pod *corev1.Pod) corev1.ResourceList {
	total := corev1.ResourceList{}
	for _, c := range pod.Spec.Containers {
		addList(total, c.Resources.Requests)
	}
	sidecars := corev1.ResourceList{}
	initMax := corev1.ResourceList{}
	for _, c := range pod.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			addList(sidecars, c.Resources.Requests)
			addList(total, c.Resources.Requests)
			continue
		}
		step := corev1.ResourceList{}
		addList(step, sidecars)
		addList(step, c.Resources.Requests)
		for name, q := range step {
			if cur, ok := initMax[name]; !ok || q.Cmp(cur) > 0 {
				initMax[name] = q
			}
		}
	}
	for name, q := range initMax {
		if cur, ok := total[name]; !ok || q.Cmp(cur) > 0 {
			total[name] = q
		}
	}
	addList(total, pod.Spec.Overhead)
	return total
}
