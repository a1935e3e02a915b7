package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ResourceKindWorkloadRebalancer is the kind of a one-shot rebalance request in
// AppsGroupVersion.
const ResourceKindWorkloadRebalancer = "WorkloadRebalancer"

// WorkloadRebalancer asks for a fresh rescheduling of the listed workloads, ignoring their
// previous placement (apps.karmada.io/v1alpha1, cluster-scoped). It works by setting
// rescheduleTriggeredAt on the workloads' bindings.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
type WorkloadRebalancer struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec lists the workloads to rebalance.
	// +required
	Spec WorkloadRebalancerSpec `json:"spec"`

	// Status is the outcome per workload.
	// +optional
	Status WorkloadRebalancerStatus `json:"status,omitempty"`
}

// WorkloadRebalancerList is a list of WorkloadRebalancer.
//
// +kubebuilder:object:root=true
type WorkloadRebalancerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the rebalancers of the list.
	Items []WorkloadRebalancer `json:"items"`
}

// WorkloadRebalancerSpec lists the workloads to rebalance.
type WorkloadRebalancerSpec struct {
	// Workloads are the resource templates to reschedule; at least one.
	// +kubebuilder:validation:MinItems=1
	// +required
	Workloads []WorkloadReference `json:"workloads"`

	// TTLSecondsAfterFinished, when set, makes the rebalancer eligible for deletion that many
	// seconds after every workload finished (0: at once). Unset: never deleted automatically.
	// +optional
	TTLSecondsAfterFinished *int32 `json:"ttlSecondsAfterFinished,omitempty"`
}

// WorkloadReference identifies a resource template to rebalance. (Karmada's Go name is
// ObjectReference; gitfleet's API package already uses that name for the binding's reference.)
type WorkloadReference struct {
	// APIVersion is the API version of the template.
	// +required
	APIVersion string `json:"apiVersion"`

	// Kind is the kind of the template.
	// +required
	Kind string `json:"kind"`

	// Name is the name of the template.
	// +required
	Name string `json:"name"`

	// Namespace is the namespace of the template; empty for cluster-scoped templates.
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// WorkloadRebalancerStatus is the outcome of a rebalance.
type WorkloadRebalancerStatus struct {
	// ObservedWorkloads is the result per workload.
	// +optional
	ObservedWorkloads []ObservedWorkload `json:"observedWorkloads,omitempty"`

	// ObservedGeneration is the generation of the rebalancer the results belong to.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// FinishTime is when every workload had a result.
	// +optional
	FinishTime *metav1.Time `json:"finishTime,omitempty"`
}

// ObservedWorkload is the rebalance result of one workload.
type ObservedWorkload struct {
	// Workload is the workload.
	// +required
	Workload WorkloadReference `json:"workload"`

	// Result is Successful or Failed; empty while in progress.
	// +optional
	Result RebalanceResult `json:"result,omitempty"`

	// Reason says why the rebalance failed.
	// +optional
	Reason RebalanceFailedReason `json:"reason,omitempty"`
}

// RebalanceResult is the outcome of rebalancing one workload.
type RebalanceResult string

const (
	// RebalanceSuccessful means the workload's binding was marked for fresh rescheduling.
	RebalanceSuccessful RebalanceResult = "Successful"
	// RebalanceFailed means the workload could not be rebalanced; see Reason.
	RebalanceFailed RebalanceResult = "Failed"
)

// RebalanceFailedReason says why a workload could not be rebalanced.
type RebalanceFailedReason string

const (
	// RebalanceObjectNotFound means the workload has no binding.
	RebalanceObjectNotFound RebalanceFailedReason = "ReferencedBindingNotFound"
)
