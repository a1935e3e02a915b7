package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ResourceKindFederatedResourceQuota is the kind of FederatedResourceQuota.
const ResourceKindFederatedResourceQuota = "FederatedResourceQuota"

// FederatedResourceQuota is a resource quota for one namespace across all member clusters. It
// is read from `policy.karmada.io/v1alpha1`.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:path=federatedresourcequotas,scope=Namespaced
// +kubebuilder:subresource:status
type FederatedResourceQuota struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired quota.
	// +required
	Spec FederatedResourceQuotaSpec `json:"spec"`

	// Status is the enforced quota and its observed use.
	// +optional
	Status FederatedResourceQuotaStatus `json:"status,omitempty"`
}

// FederatedResourceQuotaList is a list of FederatedResourceQuota objects.
//
// +kubebuilder:object:root=true
type FederatedResourceQuotaList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	// Items are the listed quotas.
	Items []FederatedResourceQuota `json:"items"`
}

// FederatedResourceQuotaSpec is the desired quota of a namespace.
type FederatedResourceQuotaSpec struct {
	// Overall is the hard limit of each resource summed over all clusters.
	// +required
	Overall corev1.ResourceList `json:"overall"`

	// StaticAssignments give listed clusters their own ResourceQuota; clusters not listed get
	// none. The scheduler does not consult them.
	// +optional
	StaticAssignments []StaticClusterAssignment `json:"staticAssignments,omitempty"`
}

// StaticClusterAssignment is the hard limit of one cluster, materialised there as a
// ResourceQuota named like the FederatedResourceQuota.
type StaticClusterAssignment struct {
	// ClusterName names the member cluster.
	// +required
	ClusterName string `json:"clusterName"`

	// Hard is the cluster's hard limit of each resource.
	// +required
	Hard corev1.ResourceList `json:"hard"`
}

// FederatedResourceQuotaStatus is the enforced quota and its observed use.
type FederatedResourceQuotaStatus struct {
	// Overall is the enforced hard limit of each resource.
	// +optional
	Overall corev1.ResourceList `json:"overall,omitempty"`

	// OverallUsed is the observed use of each resource, summed over all clusters.
	// +optional
	OverallUsed corev1.ResourceList `json:"overallUsed,omitempty"`

	// AggregatedStatus is the limit and use observed in each cluster, sorted by cluster name.
	// +optional
	AggregatedStatus []ClusterQuotaStatus `json:"aggregatedStatus,omitempty"`
}

// ClusterQuotaStatus is the limit and use of the quota observed in one cluster.
type ClusterQuotaStatus struct {
	// ClusterName names the member cluster.
	// +required
	ClusterName string `json:"clusterName"`

	// ResourceQuotaStatus holds the cluster's hard limits and observed use.
	corev1.ResourceQuotaStatus `json:",inline"`
}
