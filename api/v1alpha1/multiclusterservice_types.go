package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ResourceKindMultiClusterService is the kind of a multi-cluster service in
// NetworkingGroupVersion.
const ResourceKindMultiClusterService = "MultiClusterService"

// MultiClusterService exposes the Service of the same name and namespace across clusters
// (networking.karmada.io/v1alpha1, namespaced; Karmada feature gate MultiClusterService).
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced,shortName=mcs
type MultiClusterService struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says how and between which clusters the Service is exposed.
	Spec MultiClusterServiceSpec `json:"spec"`

	// Status is the observed load-balancer status of the exposed Service.
	// +optional
	Status corev1.ServiceStatus `json:"status,omitempty"`
}

// MultiClusterServiceList is a list of MultiClusterService.
//
// +kubebuilder:object:root=true
type MultiClusterServiceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the services of the list.
	Items []MultiClusterService `json:"items"`
}

// MultiClusterServiceSpec is how a Service is exposed across clusters.
type MultiClusterServiceSpec struct {
	// Types are the ways the Service is exposed; exactly one kind, CrossCluster or
	// LoadBalancer.
	// +required
	Types []ExposureType `json:"types"`

	// Ports are the Service ports to expose; empty exposes all of them.
	// +optional
	Ports []ExposurePort `json:"ports,omitempty"`

	// Range lists the clusters the Service is exposed among.
	//
	// Deprecated: use ProviderClusters and ConsumerClusters.
	// +optional
	Range ExposureRange `json:"range,omitempty"`

	// ServiceProvisionClusters are the clusters that run the Service's endpoints.
	//
	// Deprecated: use ProviderClusters.
	// +optional
	ServiceProvisionClusters []string `json:"serviceProvisionClusters,omitempty"`

	// ServiceConsumptionClusters are the clusters that consume the Service.
	//
	// Deprecated: use ConsumerClusters.
	// +optional
	ServiceConsumptionClusters []string `json:"serviceConsumptionClusters,omitempty"`

	// ProviderClusters are the clusters whose endpoints serve the Service; empty means all
	// clusters.
	// +optional
	ProviderClusters []ClusterSelector `json:"providerClusters,omitempty"`

	// ConsumerClusters are the clusters the endpoints are dispatched to; empty means all
	// clusters.
	// +optional
	ConsumerClusters []ClusterSelector `json:"consumerClusters,omitempty"`
}

// ClusterSelector selects one cluster by name.
type ClusterSelector struct {
	// Name is the cluster name.
	// +required
	Name string `json:"name"`
}

// ExposureType is a way of exposing a Service across clusters.
type ExposureType string

const (
	// ExposureTypeCrossCluster makes the provider clusters' endpoints reachable from the
	// consumer clusters.
	ExposureTypeCrossCluster ExposureType = "CrossCluster"
	// ExposureTypeLoadBalancer exposes the Service through an external load balancer.
	ExposureTypeLoadBalancer ExposureType = "LoadBalancer"
)

// ExposurePort is a Service port to expose.
type ExposurePort struct {
	// Name is the port's name in the Service.
	// +optional
	Name string `json:"name,omitempty"`

	// Port is the port number.
	// +required
	Port int32 `json:"port"`
}

// ExposureRange is the deprecated list of clusters of a MultiClusterService.
type ExposureRange struct {
	// ClusterNames are the clusters.
	// +optional
	ClusterNames []string `json:"clusterNames,omitempty"`
}

// Condition types, reasons and messages of a MultiClusterService.
const (
	// MCSConditionServiceApplied says whether the Service was propagated to the clusters.
	MCSConditionServiceApplied = "ServiceApplied"
	// MCSReasonServiceAppliedSucceed goes with ServiceApplied=True.
	MCSReasonServiceAppliedSucceed = "ServiceAppliedSucceed"
	// MCSMessageServiceAppliedSucceed is the message of MCSReasonServiceAppliedSucceed.
	MCSMessageServiceAppliedSucceed = "Service is propagated to target clusters."
	// MCSReasonServiceAppliedFailed goes with ServiceApplied=False.
	MCSReasonServiceAppliedFailed = "ServiceAppliedFailed"

	// MCSConditionEndpointSliceDispatched says whether the providers' EndpointSlices were
	// dispatched to the consumers.
	MCSConditionEndpointSliceDispatched = "EndpointSliceDispatched"
	// MCSReasonEndpointSliceDispatchedSucceed goes with EndpointSliceDispatched=True.
	MCSReasonEndpointSliceDispatchedSucceed = "EndpointSliceDispatchedSucceed"
	// MCSMessageEndpointSliceDispatchedSucceed is the message of
	// MCSReasonEndpointSliceDispatchedSucceed.
	MCSMessageEndpointSliceDispatchedSucceed = "EndpointSlice are dispatched successfully"
	// MCSReasonEndpointSliceDispatchedFailed goes with EndpointSliceDispatched=False.
	MCSReasonEndpointSliceDispatchedFailed = "EndpointSliceDispatchedFailed"
)

// Labels and annotations of multi-cluster services, the Services they claim and the works
// and EndpointSlices they produce.
const (
	// MultiClusterServicePermanentIDLabel carries the permanent id of a MultiClusterService;
	// SetDefaultsMultiClusterService derives it from the object's identity.
	MultiClusterServicePermanentIDLabel = "multiclusterservice.karmada.io/permanent-id"
	// MultiClusterServiceNameAnnotation names, on a claimed Service and its binding, the
	// MultiClusterService.
	MultiClusterServiceNameAnnotation = "multiclusterservice.karmada.io/name"
	// MultiClusterServiceNamespaceAnnotation names, on a claimed Service and its binding, the
	// namespace of the MultiClusterService.
	MultiClusterServiceNamespaceAnnotation = "multiclusterservice.karmada.io/namespace"
	// MultiClusterServiceNameLabel names, on a work, the MultiClusterService it came from.
	MultiClusterServiceNameLabel = "multiclusterservice.karmada.io/name"
	// MultiClusterServiceNamespaceLabel names, on a work, the namespace of the
	// MultiClusterService it came from.
	MultiClusterServiceNamespaceLabel = "multiclusterservice.karmada.io/namespace"
	// ClaimedByMultiClusterService is the value of ResourceTemplateClaimedByLabel on a Service
	// claimed by a MultiClusterService, and of BindingManagedByLabel on its binding.
	ClaimedByMultiClusterService = "MultiClusterService"

	// EndpointSliceServiceNamespaceLabel names, on an EndpointSlice work, the Service's
	// namespace.
	EndpointSliceServiceNamespaceLabel = "endpointslice.karmada.io/namespace"
	// EndpointSliceServiceNameLabel names, on an EndpointSlice work, the Service.
	EndpointSliceServiceNameLabel = "endpointslice.karmada.io/name"
	// EndpointSliceWorkManagedByLabel names the controller that manages an EndpointSlice work.
	EndpointSliceWorkManagedByLabel = "endpointslice.karmada.io/managed-by"
	// EndpointSliceProvisionClusterAnnotation names, on a dispatched EndpointSlice, the
	// provider cluster it came from.
	EndpointSliceProvisionClusterAnnotation = "endpointslice.karmada.io/provision-cluster"
	// EndpointSliceControllerLabelValue is the manager of EndpointSlices imported for a
	// ServiceImport.
	EndpointSliceControllerLabelValue = "endpointslice-controller.karmada.io"
	// EndpointSliceDispatchControllerLabelValue is the manager of EndpointSlices dispatched
	// for a MultiClusterService.
	EndpointSliceDispatchControllerLabelValue = "endpointslice-dispatch-controller.karmada.io"
)
