package clusterstatus

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func pendingPod(name string, owner *metav1.OwnerReference, hash string, since time.Time, reason string) corev1.Pod {
	p := corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop", Labels: map[string]string{}}}
	if owner != nil {
		p.OwnerReferences = []metav1.OwnerReference{*owner}
	}
	if hash != "" {
		p.Labels["pod-template-hash"] = hash
	}
	p.Status.Phase = corev1.PodPending
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: reason,
		LastTransitionTime: metav1.NewTime(since)}}
	return p
}

func TestUnschedulablePods(t *testing.T) {
	g := NewWithT(t)
	yes := true
	rs := &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7c9f8d", Controller: &yes}
	sts := &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "db", Controller: &yes}
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	scheduled := pendingPod("web-7c9f8d-ok", rs, "7c9f8d", t0, "")
	scheduled.Spec.NodeName = "node-1"
	gated := pendingPod("web-7c9f8d-gated", rs, "7c9f8d", t0, "SchedulingGated")
	pods := []corev1.Pod{
		pendingPod("web-7c9f8d-b", rs, "7c9f8d", t0.Add(time.Minute), corev1.PodReasonUnschedulable),
		pendingPod("web-7c9f8d-a", rs, "7c9f8d", t0.Add(500*time.Millisecond), corev1.PodReasonUnschedulable),
		pendingPod("db-0", sts, "", t0, corev1.PodReasonUnschedulable),
		pendingPod("lonely", nil, "", t0, corev1.PodReasonUnschedulable),
		scheduled, gated,
	}
	f := unschedulablePods("edge1", pods)
	g.Expect(f.Cluster).To(Equal("edge1"))
	g.Expect(f.Workloads).To(HaveLen(3))
	g.Expect(f.Workloads[0].WorkloadRef).To(Equal(WorkloadRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}),
		"a ReplicaSet's pods count for its Deployment")
	g.Expect(f.Workloads[0].Since).To(HaveLen(2), "scheduled and gated pods are not unschedulable")
	g.Expect(f.Workloads[0].Since[0].Time).To(BeTemporally("==", t0), "sorted, to the second")
	g.Expect(f.Workloads[0].Since[1].Time).To(BeTemporally("==", t0.Add(time.Minute)))
	g.Expect(f.Workloads[1].WorkloadRef).To(Equal(WorkloadRef{APIVersion: "v1", Kind: "Pod", Namespace: "shop", Name: "lonely"}))
	g.Expect(f.Workloads[2].WorkloadRef).To(Equal(WorkloadRef{APIVersion: "apps/v1", Kind: "StatefulSet", Namespace: "shop", Name: "db"}))

	g.Expect(unschedulablePods("edge1", nil).Workloads).To(BeEmpty())
}
