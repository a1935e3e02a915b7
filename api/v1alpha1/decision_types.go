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
