package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TaintDecisionsFileName is, on the status ref, the taints the hub decided (DESIGN §1.3).
const TaintDecisionsFileName = "decisions/taints.yaml"

// Reasons of a DecidedTaint.
const (
	// TaintReasonReadyFalse: the cluster's Ready condition is False.
	TaintReasonReadyFalse = "ReadyFalse"
	// TaintReasonReadyUnknown: the cluster's Ready condition is Unknown.
	TaintReasonReadyUnknown = "ReadyUnknown"
	// TaintReasonNoReadyCondition: the cluster has reported no Ready condition yet.
	TaintReasonNoReadyCondition = "NoReadyCondition"
	// TaintReasonPolicyPrefix prefixes the name of the ClusterTaintPolicy that added a taint.
	TaintReasonPolicyPrefix = "ClusterTaintPolicy/"
)

// TaintDecisions is decisions/taints.yaml on the status ref: the taints the hub put on
// clusters — from their Ready condition, as Karmada's cluster controller does, and from
// ClusterTaintPolicies — each with when it was added and why. The renderer adds them to the
// clusters' own taints (from the source) when it schedules. A taint lasts until the
// condition that removes it holds; each change is a status commit anyone can audit.
// +kubebuilder:object:root=true
type TaintDecisions struct {
	metav1.TypeMeta `json:",inline"`
	// Clusters are sorted by name; a cluster without decided taints is left out.
	Clusters []ClusterTaints `json:"clusters"`
}

// ClusterTaints are the taints decided for one cluster.
type ClusterTaints struct {
	// Cluster is the member cluster.
	Cluster string `json:"cluster"`
	// Taints are sorted by key and effect.
	Taints []DecidedTaint `json:"taints"`
}

// DecidedTaint is one taint the hub decided, with its reason.
type DecidedTaint struct {
	corev1.Taint `json:",inline"`
	// Reason says why: TaintReasonReadyFalse, TaintReasonReadyUnknown,
	// TaintReasonNoReadyCondition, or TaintReasonPolicyPrefix + the policy's name.
	Reason string `json:"reason"`
}

// EvictionDecisionsFileName is, on the status ref, the graceful eviction tasks the hub
// decided (DESIGN §1.3). It is authoritative: the renderer copies each binding's tasks into
// its gracefulEvictionTasks.
const EvictionDecisionsFileName = "decisions/evictions.yaml"

// EvictionDecisions is decisions/evictions.yaml on the status ref: per binding, the
// clusters its workload is being moved away from. While a task exists, the renderer leaves
// the cluster out of new placement and — unless its purgeMode is Directly — keeps the
// cluster's manifests rendered as they were, so the old copy keeps serving until the new
// one is healthy. The hub retires a task when every new target cluster reports the
// workload Healthy, or its grace period passes.
// +kubebuilder:object:root=true
type EvictionDecisions struct {
	metav1.TypeMeta `json:",inline"`
	// Bindings are sorted by the template's API version, kind, namespace and name; a
	// binding without tasks is left out.
	Bindings []BindingEvictions `json:"bindings"`
}

// BindingEvictions are the eviction tasks of one binding.
type BindingEvictions struct {
	// Resource names the binding's template.
	Resource ObjectReference `json:"resource"`
	// Tasks are sorted by fromCluster. Each task's creationTimestamp is set when the hub
	// creates it.
	Tasks []GracefulEvictionTask `json:"tasks"`
}

// DeschedulingDecisionsFileName is, on the status ref, the descheduler's replica reductions
// (DESIGN §1.3).
const DeschedulingDecisionsFileName = "decisions/descheduling.yaml"

// DeschedulingDecisions is decisions/descheduling.yaml on the status ref: replicas the
// descheduler took away from clusters where they could not be scheduled (semantics §4).
// A reduction is tied to the binding state it was made against — it applies only while
// the rendered binding still assigns FromReplicas to the cluster — and is retired once a
// render has applied it.
// +kubebuilder:object:root=true
type DeschedulingDecisions struct {
	metav1.TypeMeta `json:",inline"`
	// Reductions are sorted by resource and cluster.
	Reductions []ReplicaReduction `json:"reductions"`
}

// ReplicaReduction is one descheduling decision.
type ReplicaReduction struct {
	// Resource names the binding's template.
	Resource ObjectReference `json:"resource"`
	// Cluster is the target cluster whose replicas are reduced.
	Cluster string `json:"cluster"`
	// FromReplicas is what the binding assigned to the cluster when the decision was made.
	FromReplicas int32 `json:"fromReplicas"`
	// ToReplicas is what the cluster keeps; the scheduler places the difference elsewhere.
	ToReplicas int32 `json:"toReplicas"`
	// Unschedulable is how many of the cluster's pods had been unschedulable for longer
	// than the threshold.
	Unschedulable int32 `json:"unschedulable"`
	// DecidedAt is when the descheduler decided.
	DecidedAt metav1.Time `json:"decidedAt"`
	// RenderedCommit is the rendered commit whose binding the decision was made against.
	// +optional
	RenderedCommit string `json:"renderedCommit,omitempty"`
}

// RebalanceDecisionsFileName is, on the status ref, when the hub first saw each
// WorkloadRebalancer and what came of it.
const RebalanceDecisionsFileName = "decisions/rebalances.yaml"

// RebalanceDecisions is decisions/rebalances.yaml on the status ref. A WorkloadRebalancer
// in the source triggers one fresh rescheduling of its workloads: the hub records, the
// first time it sees the rebalancer (or a changed spec), the time of the trigger, and the
// renderer sets the workloads' bindings' rescheduleTriggeredAt to it. The rebalancer's
// status — per workload Successful or Failed — is recorded beside it.
// +kubebuilder:object:root=true
type RebalanceDecisions struct {
	metav1.TypeMeta `json:",inline"`
	// Rebalancers are sorted by name.
	Rebalancers []RebalanceDecision `json:"rebalancers"`
}

// RebalanceDecision is the trigger and outcome of one WorkloadRebalancer.
type RebalanceDecision struct {
	// Name is the WorkloadRebalancer's name.
	Name string `json:"name"`
	// SpecDigest identifies the rebalancer's spec the trigger was made for; a changed spec
	// triggers again.
	SpecDigest string `json:"specDigest"`
	// TriggeredAt is when the hub first saw this spec.
	TriggeredAt metav1.Time `json:"triggeredAt"`
	// Status is the rebalancer's outcome, as Karmada records it in the object's status.
	// +optional
	Status WorkloadRebalancerStatus `json:"status,omitempty"`
}
