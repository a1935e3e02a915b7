package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ResourceKindClusterTaintPolicy is the kind of ClusterTaintPolicy.
const ResourceKindClusterTaintPolicy = "ClusterTaintPolicy"

// ClusterTaintPolicy adds and removes taints on Clusters according to their status
// conditions. Add conditions are evaluated before remove conditions, and deleting the policy
// never removes the taints it added. It is read from `policy.karmada.io/v1alpha1`.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:path=clustertaintpolicies,scope=Cluster
type ClusterTaintPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says which clusters are watched, when taints are added or removed, and which.
	// +required
	Spec ClusterTaintPolicySpec `json:"spec"`
}

// ClusterTaintPolicyList is a list of ClusterTaintPolicy objects.
//
// +kubebuilder:object:root=true
type ClusterTaintPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	// Items are the listed policies.
	Items []ClusterTaintPolicy `json:"items"`
}

// ClusterTaintPolicySpec is the body of a ClusterTaintPolicy.
type ClusterTaintPolicySpec struct {
	// TargetClusters selects the clusters the policy manages; nil means every cluster. A
	// cluster that stops matching keeps its taints.
	// +optional
	TargetClusters *ClusterAffinity `json:"targetClusters,omitempty"`

	// AddOnConditions must all match for Taints to be added; an empty list never matches.
	// +optional
	AddOnConditions []MatchCondition `json:"addOnConditions,omitempty"`

	// RemoveOnConditions must all match for Taints to be removed; an empty list never matches.
	// +optional
	RemoveOnConditions []MatchCondition `json:"removeOnConditions,omitempty"`

	// Taints are added or removed together; a taint is identified by key and effect.
	// +required
	// +kubebuilder:validation:MinItems=1
	Taints []Taint `json:"taints"`
}

// MatchCondition matches one status condition of a Cluster.
type MatchCondition struct {
	// ConditionType is the type of the Cluster condition, such as "Ready". A cluster without
	// that condition does not match.
	// +required
	ConditionType string `json:"conditionType"`

	// Operator is In or NotIn.
	// +required
	Operator MatchConditionOperator `json:"operator"`

	// StatusValues are condition statuses (True, False, Unknown) the operator compares with.
	// +required
	StatusValues []metav1.ConditionStatus `json:"statusValues"`
}

// MatchConditionOperator compares a condition status with a set of values.
type MatchConditionOperator string

const (
	// MatchConditionOpIn matches when the status is one of the values.
	MatchConditionOpIn MatchConditionOperator = "In"
	// MatchConditionOpNotIn matches when the status is none of the values.
	MatchConditionOpNotIn MatchConditionOperator = "NotIn"
)

// Taint is a taint a ClusterTaintPolicy puts on, or takes off, a Cluster.
type Taint struct {
	// Key is the taint key.
	// +required
	Key string `json:"key"`

	// Effect is NoSchedule, PreferNoSchedule or NoExecute.
	// +required
	Effect corev1.TaintEffect `json:"effect"`

	// Value is the taint value.
	// +optional
	Value string `json:"value,omitempty"`
}
