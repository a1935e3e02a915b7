package v1alpha1

import "k8s.io/apimachinery/pkg/runtime/schema"

// The API groups and versions whose kinds gitfleet reads from a fleet repository.
var (
	// ClusterGroupVersion serves Cluster.
	ClusterGroupVersion = schema.GroupVersion{Group: "cluster.karmada.io", Version: "v1alpha1"}
	// PolicyGroupVersion serves PropagationPolicy, ClusterPropagationPolicy, OverridePolicy,
	// ClusterOverridePolicy, FederatedResourceQuota and ClusterTaintPolicy.
	PolicyGroupVersion = schema.GroupVersion{Group: "policy.karmada.io", Version: "v1alpha1"}
	// WorkGroupVersion serves ResourceBinding and ClusterResourceBinding.
	WorkGroupVersion = schema.GroupVersion{Group: "work.karmada.io", Version: "v1alpha2"}
	// ConfigGroupVersion serves ResourceInterpreterCustomization.
	ConfigGroupVersion = schema.GroupVersion{Group: "config.karmada.io", Version: "v1alpha1"}
	// NetworkingGroupVersion serves MultiClusterService.
	NetworkingGroupVersion = schema.GroupVersion{Group: "networking.karmada.io", Version: "v1alpha1"}
	// AppsGroupVersion serves WorkloadRebalancer.
	AppsGroupVersion = schema.GroupVersion{Group: "apps.karmada.io", Version: "v1alpha1"}
	// GitfleetGroupVersion serves gitfleet's own kinds, such as FleetConfig.
	GitfleetGroupVersion = schema.GroupVersion{Group: "gitfleet.io", Version: "v1alpha1"}
)
