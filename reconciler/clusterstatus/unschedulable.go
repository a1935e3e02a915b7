package clusterstatus

import (
	"cmp"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// UnschedulableFileKind is the kind of clusters/<cluster>/unschedulable.yaml.
const UnschedulableFileKind = "UnschedulablePods"

// UnschedulableFile is clusters/<cluster>/unschedulable.yaml: per workload, the pods the
// member's scheduler could not place and since when, for the descheduler (semantics §4),
// which counts the ones unschedulable for longer than its threshold.
type UnschedulableFile struct {
	// Cluster is the member cluster.
	Cluster string `json:"cluster"`
	// Workloads are sorted by kind, namespace and name; empty when every pod is placed.
	Workloads []UnschedulableWorkload `json:"workloads"`
}

// UnschedulableWorkload is one workload with unschedulable pods.
type UnschedulableWorkload struct {
	WorkloadRef `json:",inline"`
	// Since holds, per unschedulable pod, when its PodScheduled condition turned False
	// (Unschedulable), sorted: how many have waited longer than a threshold is the number
	// of its entries before now − threshold.
	Since []metav1.Time `json:"since"`
}

// WorkloadRef names a workload: a Deployment for the pods of its ReplicaSets, otherwise
// the pod's controller (or the pod itself when it has none).
type WorkloadRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
}

// unschedulablePods groups the pods the scheduler marked Unschedulable by workload.
func unschedulablePods(cluster string, pods []corev1.Pod) *UnschedulableFile {
	file := &UnschedulableFile{Cluster: cluster, Workloads: []UnschedulableWorkload{}}
	byWorkload := map[WorkloadRef][]metav1.Time{}
	for i := range pods {
		p := &pods[i]
		if p.Spec.NodeName != "" || p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
				w := workloadOf(p)
				byWorkload[w] = append(byWorkload[w], metav1.NewTime(c.LastTransitionTime.UTC().Truncate(time.Second)))
			}
		}
	}
	for w, since := range byWorkload {
		slices.SortFunc(since, func(a, b metav1.Time) int { return a.Compare(b.Time) })
		file.Workloads = append(file.Workloads, UnschedulableWorkload{WorkloadRef: w, Since: since})
	}
	slices.SortFunc(file.Workloads, func(a, b UnschedulableWorkload) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name),
			strings.Compare(a.APIVersion, b.APIVersion))
	})
	return file
}

// workloadOf names the workload a pod belongs to: the Deployment of its ReplicaSet (the
// ReplicaSet's name is the Deployment's plus "-" and the pod-template-hash label), else its
// controller, else the pod.
func workloadOf(p *corev1.Pod) WorkloadRef {
	owner := metav1.GetControllerOf(p)
	if owner == nil {
		return WorkloadRef{APIVersion: "v1", Kind: "Pod", Namespace: p.Namespace, Name: p.Name}
	}
	if owner.Kind == "ReplicaSet" && strings.HasPrefix(owner.APIVersion, "apps/") {
		if hash := p.Labels["pod-template-hash"]; hash != "" {
			if name, ok := strings.CutSuffix(owner.Name, "-"+hash); ok {
				return WorkloadRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: p.Namespace, Name: name}
			}
		}
	}
	return WorkloadRef{APIVersion: owner.APIVersion, Kind: owner.Kind, Namespace: p.Namespace, Name: owner.Name}
}
