package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ResourceKindCluster is the kind of a member cluster in ClusterGroupVersion.
const ResourceKindCluster = "Cluster"

// Cluster is a member cluster of the fleet (cluster.karmada.io/v1alpha1, cluster-scoped).
// Its spec is written by humans (or `gitfleet join`) in the source ref; its status is
// what the hub observed and is kept in the status ref, never in the source.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
type Cluster struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired configuration of the member cluster.
	Spec ClusterSpec `json:"spec"`

	// Status is the most recently observed state of the member cluster.
	// +optional
	Status ClusterStatus `json:"status,omitempty"`
}

// ClusterList is a list of Cluster.
//
// +kubebuilder:object:root=true
type ClusterList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the clusters of the list.
	Items []Cluster `json:"items"`
}

// ClusterSpec describes how to reach a member cluster and the attributes the scheduler
// matches policies against.
type ClusterSpec struct {
	// ID uniquely identifies the cluster across fleets, normally the ClusterProperty
	// `cluster.clusterset.k8s.io` or the UID of the member's kube-system namespace.
	// +kubebuilder:validation:MaxLength=128000
	// +optional
	ID string `json:"id,omitempty"`

	// SyncMode says who applies the rendered manifests: the hub (Push) or an agent
	// running in the member cluster (Pull).
	// +kubebuilder:validation:Enum=Push;Pull
	// +required
	SyncMode ClusterSyncMode `json:"syncMode"`

	// APIEndpoint is the URL of the member's kube-apiserver; needed for Push clusters.
	// +optional
	APIEndpoint string `json:"apiEndpoint,omitempty"`

	// SecretRef names the Secret, in the hub's namespace, that holds the credentials for the
	// member cluster (keys SecretTokenKey and SecretCADataKey). Credentials never live in Git.
	// +optional
	SecretRef *LocalSecretReference `json:"secretRef,omitempty"`

	// ImpersonatorSecretRef names the Secret holding the token of the impersonator service
	// account in the member cluster (key SecretTokenKey).
	// +optional
	ImpersonatorSecretRef *LocalSecretReference `json:"impersonatorSecretRef,omitempty"`

	// InsecureSkipTLSVerification disables verification of the member's serving
	// certificate. Only for test fleets.
	// +optional
	InsecureSkipTLSVerification bool `json:"insecureSkipTLSVerification,omitempty"`

	// ProxyURL is the http, https or socks5 proxy through which the member is reached.
	// +optional
	ProxyURL string `json:"proxyURL,omitempty"`

	// ProxyHeader holds HTTP headers sent to the proxy, for example authentication.
	// +optional
	ProxyHeader map[string]string `json:"proxyHeader,omitempty"`

	// Provider is the cloud provider name; placement field selectors match it as `provider`.
	// +optional
	Provider string `json:"provider,omitempty"`

	// Region is the region of the cluster; placement field selectors match it as `region`.
	// +optional
	Region string `json:"region,omitempty"`

	// Zone is the single zone of the cluster.
	//
	// Deprecated: use Zones. SetDefaultsCluster moves a lone Zone into Zones; Zone and Zones
	// cannot both be set.
	// +optional
	Zone string `json:"zone,omitempty"`

	// Zones are the zones the cluster spans; placement field selectors match them as `zone`.
	// +optional
	Zones []string `json:"zones,omitempty"`

	// Taints keep workloads that do not tolerate them off the cluster (NoSchedule) or evict
	// them from it (NoExecute, when no-execute-taint eviction is enabled).
	// +optional
	Taints []corev1.Taint `json:"taints,omitempty"`

	// ResourceModels grade the cluster's nodes by size. The general estimator uses the
	// resulting AllocatableModelings to estimate how many replicas fit. When empty,
	// SetDefaultsCluster fills Karmada's nine default grades.
	// +optional
	ResourceModels []ResourceModel `json:"resourceModels,omitempty"`
}

// ClusterSyncMode says how rendered manifests reach a member cluster.
type ClusterSyncMode string

const (
	// Push means the hub applies manifests to the member cluster with its credentials.
	Push ClusterSyncMode = "Push"
	// Pull means an agent in the member cluster fetches its directory and applies it.
	Pull ClusterSyncMode = "Pull"
)

// The keys of a cluster credentials Secret referenced by ClusterSpec.SecretRef.
const (
	// SecretTokenKey is the Secret key holding the bearer token.
	SecretTokenKey = "token"
	// SecretCADataKey is the Secret key holding the PEM CA bundle of the member's API server.
	SecretCADataKey = "caBundle"
)

// LocalSecretReference names a Secret in the hub's cluster.
type LocalSecretReference struct {
	// Namespace is the namespace of the Secret.
	Namespace string `json:"namespace"`

	// Name is the name of the Secret.
	Name string `json:"name"`
}

// ResourceModel is one grade of node size: a node belongs to the grade when, for every
// listed resource, its allocatable amount lies in [min, max).
type ResourceModel struct {
	// Grade orders the models; grades are unique and a higher grade means larger nodes.
	Grade uint `json:"grade"`

	// Ranges bound each resource for this grade. Every grade lists the same resources in
	// the same order.
	Ranges []ResourceModelRange `json:"ranges"`
}

// ResourceModelRange bounds one resource within a ResourceModel, as the half-open interval
// [Min, Max). The first grade's Min always acts as zero and the last grade's Max as unbounded.
type ResourceModelRange struct {
	// Name is the resource, such as cpu or memory.
	Name corev1.ResourceName `json:"name"`

	// Min is the inclusive lower bound.
	Min resource.Quantity `json:"min"`

	// Max is the exclusive upper bound; it must be greater than Min.
	Max resource.Quantity `json:"max"`
}

// ClusterStatus is what the hub last observed about a member cluster.
type ClusterStatus struct {
	// KubernetesVersion is the version the member's API server reports.
	// +optional
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`

	// APIEnablements lists the API resources the member serves, by group version.
	// +optional
	APIEnablements []APIEnablement `json:"apiEnablements,omitempty"`

	// Conditions are the observed conditions, ClusterConditionReady and
	// ClusterConditionCompleteAPIEnablements.
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// NodeSummary counts the member's nodes.
	// +optional
	NodeSummary *NodeSummary `json:"nodeSummary,omitempty"`

	// ResourceSummary sums the member's capacity and use.
	// +optional
	ResourceSummary *ResourceSummary `json:"resourceSummary,omitempty"`

	// RemedyActions are the remedy actions currently applied to the cluster.
	// +optional
	RemedyActions []string `json:"remedyActions,omitempty"`
}

// APIEnablement lists the resources a member serves in one group version.
type APIEnablement struct {
	// GroupVersion is the group version, such as "apps/v1" or "v1".
	GroupVersion string `json:"groupVersion"`

	// Resources are the resources served in the group version.
	// +optional
	Resources []APIResource `json:"resources,omitempty"`
}

// APIResource is one served resource of an APIEnablement.
type APIResource struct {
	// Name is the plural resource name, such as "deployments".
	Name string `json:"name"`

	// Kind is the kind of the resource, such as "Deployment".
	Kind string `json:"kind"`
}

// NodeSummary counts the nodes of a member cluster.
type NodeSummary struct {
	// TotalNum is the number of nodes.
	// +optional
	TotalNum int32 `json:"totalNum,omitempty"`

	// ReadyNum is the number of Ready nodes.
	// +optional
	ReadyNum int32 `json:"readyNum,omitempty"`
}

// ResourceSummary sums the capacity and use of a member cluster.
type ResourceSummary struct {
	// Allocatable is the sum of the allocatable resources of the Ready nodes.
	// +optional
	Allocatable corev1.ResourceList `json:"allocatable,omitempty"`

	// Allocating is the sum of the requests of pods not yet scheduled.
	// +optional
	Allocating corev1.ResourceList `json:"allocating,omitempty"`

	// Allocated is the sum of the requests of scheduled, non-terminated pods.
	// +optional
	Allocated corev1.ResourceList `json:"allocated,omitempty"`

	// AllocatableModelings counts, per resource-model grade, the nodes whose free
	// resources fall in that grade.
	// +optional
	AllocatableModelings []AllocatableModeling `json:"allocatableModelings,omitempty"`
}

// AllocatableModeling is the number of nodes in one resource-model grade.
type AllocatableModeling struct {
	// Grade is the ResourceModel grade.
	Grade uint `json:"grade"`

	// Count is the number of nodes in the grade.
	Count int `json:"count"`
}

// Condition types of a Cluster.
const (
	// ClusterConditionReady says whether the member's API server is healthy and reachable.
	ClusterConditionReady = "Ready"
	// ClusterConditionCompleteAPIEnablements says whether Status.APIEnablements is the complete
	// list of the member's APIs (True) or may be partial (False).
	ClusterConditionCompleteAPIEnablements = "CompleteAPIEnablements"
)

// Reasons and messages of the ClusterConditionReady condition, as Karmada's cluster status and
// cluster controllers write them.
const (
	// ClusterReasonReady goes with Ready=True: the health endpoint answered ok.
	ClusterReasonReady = "ClusterReady"
	// ClusterMessageReady is the message of ClusterReasonReady.
	ClusterMessageReady = "cluster is healthy and ready to accept workloads"
	// ClusterReasonNotReady goes with Ready=False: the member answered, but its health
	// endpoint did not say ok.
	ClusterReasonNotReady = "ClusterNotReady"
	// ClusterMessageNotReady is the message of ClusterReasonNotReady.
	ClusterMessageNotReady = "cluster is reachable but health endpoint responded without ok"
	// ClusterReasonNotReachable goes with Ready=False: the request to the member failed.
	ClusterReasonNotReachable = "ClusterNotReachable"
	// ClusterMessageNotReachable is the message of ClusterReasonNotReachable.
	ClusterMessageNotReachable = "cluster is not reachable"
	// ClusterReasonStatusCollectionFailed goes with Ready=False: no client for the member
	// could be built (for example, its credentials are missing).
	ClusterReasonStatusCollectionFailed = "StatusCollectionFailed"
	// ClusterReasonStatusUnknown goes with Ready=Unknown: status (Push) or the agent's lease
	// (Pull) was not renewed within the monitor grace period.
	ClusterReasonStatusUnknown = "ClusterStatusUnknown"
	// ClusterMessageStatusUnknown is the message of ClusterReasonStatusUnknown.
	ClusterMessageStatusUnknown = "Cluster status controller stopped posting cluster status."
	// ClusterReasonStatusNeverUpdated goes with Ready=Unknown: no status was ever posted
	// within the startup grace period.
	ClusterReasonStatusNeverUpdated = "ClusterStatusNeverUpdated"
	// ClusterMessageStatusNeverUpdated is the message of ClusterReasonStatusNeverUpdated.
	ClusterMessageStatusNeverUpdated = "Cluster status controller never posted cluster status."
)

// Reasons of the ClusterConditionCompleteAPIEnablements condition.
const (
	// APIEnablementsReasonComplete goes with True: discovery returned every API.
	APIEnablementsReasonComplete = "Complete"
	// APIEnablementsReasonPartial goes with False: discovery failed for some groups.
	APIEnablementsReasonPartial = "Partial"
	// APIEnablementsReasonEmpty goes with False: discovery returned nothing.
	APIEnablementsReasonEmpty = "Empty"
)

// Well-known cluster taint keys.
const (
	// TaintClusterNotReady is added (NoSchedule) while the cluster's Ready condition is False
	// or missing.
	TaintClusterNotReady = "cluster.karmada.io/not-ready"
	// TaintClusterUnreachable is added (NoSchedule) while the cluster's Ready condition is
	// Unknown.
	TaintClusterUnreachable = "cluster.karmada.io/unreachable"
	// TaintClusterUnschedulable is the NoSchedule taint `gitfleet cordon` adds.
	TaintClusterUnschedulable = "cluster.karmada.io/unschedulable"
)

// CacheSourceAnnotationKey marks an object served from the multi-cluster search cache with
// the name of the cluster it came from.
const CacheSourceAnnotationKey = "resource.karmada.io/cached-from-cluster"

// APIEnablementStatus says whether a member cluster serves an API.
type APIEnablementStatus string

const (
	// APIEnabled means the cluster serves the API.
	APIEnabled APIEnablementStatus = "APIEnabled"
	// APIDisabled means the cluster's API list is complete and the API is not in it.
	APIDisabled APIEnablementStatus = "APIDisabled"
	// APIUnknown means the API is not in the list but the list may be partial; the
	// APIEnablement filter treats it as not fitting for new placements.
	APIUnknown APIEnablementStatus = "APIUnknown"
)

// APIEnablement reports whether the cluster serves gvk: APIEnabled when Status.APIEnablements
// lists the kind in its group version; otherwise APIDisabled if the
// ClusterConditionCompleteAPIEnablements condition is True, and APIUnknown if it is not.
func (c *Cluster) APIEnablement(gvk schema.GroupVersionKind) APIEnablementStatus {
	groupVersion := gvk.GroupVersion().String()
	for _, enablement := range c.Status.APIEnablements {
		if enablement.GroupVersion != groupVersion {
			continue
		}
		for _, r := range enablement.Resources {
			if r.Kind == gvk.Kind {
				return APIEnabled
			}
		}
	}
	if meta.IsStatusConditionPresentAndEqual(c.Status.Conditions, ClusterConditionCompleteAPIEnablements, metav1.ConditionTrue) {
		return APIDisabled
	}
	return APIUnknown
}
