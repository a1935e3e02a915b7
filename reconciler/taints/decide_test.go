package taints_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/taints"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func cluster(name string, labels map[string]string) *v1alpha1.Cluster {
	c := &v1alpha1.Cluster{}
	c.Name, c.Labels = name, labels
	return c
}

func ready(status metav1.ConditionStatus) *v1alpha1.ClusterStatus {
	return &v1alpha1.ClusterStatus{Conditions: []metav1.Condition{{Type: v1alpha1.ClusterConditionReady, Status: status, Reason: "x"}}}
}

// taintsOf lists a cluster's decided taints as "key:effect@seconds-after-t0 (reason)".
func taintsOf(d *v1alpha1.TaintDecisions, name string) []string {
	var out []string
	for _, c := range d.Clusters {
		if c.Cluster != name {
			continue
		}
		for _, t := range c.Taints {
			out = append(out, t.Key+":"+string(t.Effect)+"@"+t.TimeAdded.Sub(t0).String()+" ("+t.Reason+")")
		}
	}
	return out
}

// The Ready condition drives not-ready and unreachable, NoSchedule, as Karmada's cluster
// controller does; a taint that stays keeps its timeAdded.
func TestReadyTaints(t *testing.T) {
	g := NewWithT(t)
	clusters := []*v1alpha1.Cluster{cluster("a", nil), cluster("b", nil)}
	decide := func(prev *v1alpha1.TaintDecisions, at time.Duration, status map[string]*v1alpha1.ClusterStatus) *v1alpha1.TaintDecisions {
		return taints.Decide(taints.Input{Clusters: clusters, Status: status, Previous: prev, Now: t0.Add(at)})
	}

	d := decide(nil, 0, map[string]*v1alpha1.ClusterStatus{"a": ready(metav1.ConditionTrue)})
	g.Expect(taintsOf(d, "a")).To(BeEmpty())
	g.Expect(taintsOf(d, "b")).To(Equal([]string{"cluster.karmada.io/not-ready:NoSchedule@0s (NoReadyCondition)"}), "no Ready condition yet")

	d = decide(d, 10*time.Second, map[string]*v1alpha1.ClusterStatus{"a": ready(metav1.ConditionFalse), "b": ready(metav1.ConditionFalse)})
	g.Expect(taintsOf(d, "a")).To(Equal([]string{"cluster.karmada.io/not-ready:NoSchedule@10s (ReadyFalse)"}))
	g.Expect(taintsOf(d, "b")).To(Equal([]string{"cluster.karmada.io/not-ready:NoSchedule@0s (NoReadyCondition)"}), "kept, with its time and first reason")

	d = decide(d, 20*time.Second, map[string]*v1alpha1.ClusterStatus{"a": ready(metav1.ConditionUnknown), "b": ready(metav1.ConditionFalse)})
	g.Expect(taintsOf(d, "a")).To(Equal([]string{"cluster.karmada.io/unreachable:NoSchedule@20s (ReadyUnknown)"}), "not-ready gives way to unreachable")

	d = decide(d, 30*time.Second, map[string]*v1alpha1.ClusterStatus{"a": ready(metav1.ConditionTrue), "b": ready(metav1.ConditionTrue)})
	g.Expect(d.Clusters).To(BeEmpty(), "Ready clusters carry no decided taint")

	d = decide(decide(nil, 0, nil), 5*time.Second, nil)
	g.Expect(taintsOf(d, "a")).To(Equal([]string{"cluster.karmada.io/not-ready:NoSchedule@0s (NoReadyCondition)"}))
	clusters = clusters[:1]
	g.Expect(taintsOf(decide(d, 6*time.Second, nil), "b")).To(BeEmpty(), "a cluster that left the fleet loses its decisions")
}

func lostClusterPolicy() *v1alpha1.ClusterTaintPolicy {
	p := &v1alpha1.ClusterTaintPolicy{}
	p.Name = "lost"
	p.Spec.TargetClusters = &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "prod"}}}
	p.Spec.AddOnConditions = []v1alpha1.MatchCondition{{ConditionType: v1alpha1.ClusterConditionReady, Operator: v1alpha1.MatchConditionOpIn,
		StatusValues: []metav1.ConditionStatus{metav1.ConditionUnknown, metav1.ConditionFalse}}}
	p.Spec.RemoveOnConditions = []v1alpha1.MatchCondition{{ConditionType: v1alpha1.ClusterConditionReady, Operator: v1alpha1.MatchConditionOpIn,
		StatusValues: []metav1.ConditionStatus{metav1.ConditionTrue}}}
	p.Spec.Taints = []v1alpha1.Taint{{Key: "fleet.example/lost", Effect: corev1.TaintEffectNoExecute}, {Key: "fleet.example/degraded", Effect: corev1.TaintEffectNoSchedule}}
	return p
}

// ClusterTaintPolicies add their taints when every addOnCondition matches and remove them
// when every removeOnCondition does, on the clusters they target, only with the Failover
// switch; NoExecute taints only where the fleet allows them; deleting a policy removes
// nothing.
func TestPolicyTaints(t *testing.T) {
	g := NewWithT(t)
	clusters := []*v1alpha1.Cluster{cluster("prod", map[string]string{"tier": "prod"}), cluster("dev", nil)}
	policy := lostClusterPolicy()
	in := func(prev *v1alpha1.TaintDecisions, at time.Duration, st metav1.ConditionStatus, policies ...*v1alpha1.ClusterTaintPolicy) taints.Input {
		return taints.Input{Clusters: clusters, Policies: policies, PoliciesEnabled: true, AllowNoExecute: true, Previous: prev, Now: t0.Add(at),
			Status: map[string]*v1alpha1.ClusterStatus{"prod": ready(st), "dev": ready(st)}}
	}

	off := in(nil, 0, metav1.ConditionUnknown, policy)
	off.PoliciesEnabled = false
	g.Expect(taintsOf(taints.Decide(off), "prod")).To(Equal([]string{"cluster.karmada.io/unreachable:NoSchedule@0s (ReadyUnknown)"}),
		"without the Failover switch, policies do nothing")

	d := taints.Decide(in(nil, 0, metav1.ConditionUnknown, policy))
	g.Expect(taintsOf(d, "prod")).To(Equal([]string{
		"cluster.karmada.io/unreachable:NoSchedule@0s (ReadyUnknown)",
		"fleet.example/degraded:NoSchedule@0s (ClusterTaintPolicy/lost)",
		"fleet.example/lost:NoExecute@0s (ClusterTaintPolicy/lost)",
	}))
	g.Expect(taintsOf(d, "dev")).To(Equal([]string{"cluster.karmada.io/unreachable:NoSchedule@0s (ReadyUnknown)"}), "not a target")

	noExec := in(nil, 0, metav1.ConditionUnknown, policy)
	noExec.AllowNoExecute = false
	g.Expect(taintsOf(taints.Decide(noExec), "prod")).NotTo(ContainElement(ContainSubstring("NoExecute")))

	d = taints.Decide(in(d, 30*time.Second, metav1.ConditionFalse, policy))
	g.Expect(taintsOf(d, "prod")).To(ContainElement("fleet.example/lost:NoExecute@0s (ClusterTaintPolicy/lost)"), "still matching: time kept")

	gone := taints.Decide(in(d, 40*time.Second, metav1.ConditionFalse))
	g.Expect(taintsOf(gone, "prod")).To(ContainElement("fleet.example/lost:NoExecute@0s (ClusterTaintPolicy/lost)"), "deleting the policy removes nothing")

	d = taints.Decide(in(d, 60*time.Second, metav1.ConditionTrue, policy))
	g.Expect(taintsOf(d, "prod")).To(BeEmpty(), "removeOnConditions matched")

	empty := lostClusterPolicy()
	empty.Spec.AddOnConditions = nil
	g.Expect(taintsOf(taints.Decide(in(nil, 0, metav1.ConditionUnknown, empty)), "prod")).To(HaveLen(1), "an empty addOnConditions never matches")
	notIn := lostClusterPolicy()
	notIn.Spec.AddOnConditions[0] = v1alpha1.MatchCondition{ConditionType: v1alpha1.ClusterConditionReady, Operator: v1alpha1.MatchConditionOpNotIn,
		StatusValues: []metav1.ConditionStatus{metav1.ConditionTrue}}
	g.Expect(taintsOf(taints.Decide(in(nil, 0, metav1.ConditionFalse, notIn)), "prod")).To(HaveLen(3), "NotIn True matches False")
	missing := lostClusterPolicy()
	missing.Spec.AddOnConditions[0].ConditionType = "NetworkReady"
	g.Expect(taintsOf(taints.Decide(in(nil, 0, metav1.ConditionFalse, missing)), "prod")).To(HaveLen(1), "a condition the cluster lacks does not match")
}
