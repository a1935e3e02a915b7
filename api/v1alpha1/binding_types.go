package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// Kinds served by WorkGroupVersion.
const (
	// ResourceKindResourceBinding is the kind of the binding of a namespaced resource template.
	ResourceKindResourceBinding = "ResourceBinding"
	// ResourceKindClusterResourceBinding is the kind of the binding of a cluster-scoped
	// resource template.
	ResourceKindClusterResourceBinding = "ClusterResourceBinding"
)

// ResourceBinding ties one namespaced resource template to the policy that propagates it and
// records where the scheduler placed it (work.karmada.io/v1alpha2). gitfleet writes one per
// template into the rendered ref; it lives in the template's namespace.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Namespaced,shortName=rb
type ResourceBinding struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the template, its requirements, the placement and the scheduling result.
	Spec ResourceBindingSpec `json:"spec"`

	// Status is the scheduling outcome and the per-cluster status of the template.
	// +optional
	Status ResourceBindingStatus `json:"status,omitempty"`
}

// ResourceBindingList is a list of ResourceBinding.
//
// +kubebuilder:object:root=true
type ResourceBindingList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the bindings of the list.
	Items []ResourceBinding `json:"items"`
}

// ClusterResourceBinding is the ResourceBinding of a cluster-scoped resource template
// (work.karmada.io/v1alpha2, cluster-scoped).
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName=crb
type ClusterResourceBinding struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the template, its requirements, the placement and the scheduling result.
	Spec ResourceBindingSpec `json:"spec"`

	// Status is the scheduling outcome and the per-cluster status of the template.
	// +optional
	Status ResourceBindingStatus `json:"status,omitempty"`
}

// ClusterResourceBindingList is a list of ClusterResourceBinding.
//
// +kubebuilder:object:root=true
type ClusterResourceBindingList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the bindings of the list.
	Items []ClusterResourceBinding `json:"items"`
}

// ResourceBindingSpec is the desired propagation of one resource template. Most fields are
// copied from the matched (Cluster)PropagationPolicy; Clusters is the scheduler's result.
type ResourceBindingSpec struct {
	// Resource identifies the resource template.
	Resource ObjectReference `json:"resource"`

	// PropagateDeps says whether the template's dependencies (ConfigMaps, Secrets, ...) follow
	// it to the same clusters. Copied from the policy.
	// +optional
	PropagateDeps bool `json:"propagateDeps,omitempty"`

	// ReplicaRequirements is what each replica needs, from the resource interpreter.
	// +optional
	ReplicaRequirements *ReplicaRequirements `json:"replicaRequirements,omitempty"`

	// Replicas is the template's desired replica count, from the resource interpreter.
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// Components describes workloads made of several pod templates, one entry per template.
	// Only filled with the MultiplePodTemplatesScheduling feature; it supersedes Replicas and
	// ReplicaRequirements.
	// +optional
	Components []Component `json:"components,omitempty"`

	// Clusters is the scheduling result: the target clusters and their replicas.
	// +optional
	Clusters []TargetCluster `json:"clusters,omitempty"`

	// Placement is the policy's placement the binding is scheduled with.
	// +optional
	Placement *Placement `json:"placement,omitempty"`

	// GracefulEvictionTasks are clusters the workload is being moved away from; their copies
	// keep running until the task is finished (see FleetConfig failover settings).
	// +optional
	GracefulEvictionTasks []GracefulEvictionTask `json:"gracefulEvictionTasks,omitempty"`

	// RequiredBy lists the bindings that depend on this resource; their clusters receive it
	// too.
	// +optional
	RequiredBy []BindingSnapshot `json:"requiredBy,omitempty"`

	// SchedulerName is the scheduler responsible for the binding. Copied from the policy.
	// +optional
	SchedulerName string `json:"schedulerName,omitempty"`

	// Failover is the policy's failover behaviour. Copied from the policy.
	// +optional
	Failover *FailoverBehavior `json:"failover,omitempty"`

	// ConflictResolution says what to do when the resource already exists in a member cluster
	// and is not managed by gitfleet: Abort (default) or Overwrite.
	// +kubebuilder:validation:Enum=Abort;Overwrite
	// +kubebuilder:default="Abort"
	// +optional
	ConflictResolution ConflictResolution `json:"conflictResolution,omitempty"`

	// RescheduleTriggeredAt asks for a fresh rescheduling that ignores the previous result;
	// it takes effect only when later than Status.LastScheduledTime. Set by WorkloadRebalancer.
	// +optional
	RescheduleTriggeredAt *metav1.Time `json:"rescheduleTriggeredAt,omitempty"`

	// Suspension pauses dispatching and/or scheduling. nil means nothing is suspended.
	// +optional
	Suspension *BindingSuspension `json:"suspension,omitempty"`

	// PreserveResourcesOnDeletion keeps the propagated objects in the member clusters when
	// the binding goes away. Copied from the policy.
	// +optional
	PreserveResourcesOnDeletion *bool `json:"preserveResourcesOnDeletion,omitempty"`

	// SchedulePriority orders bindings in the scheduler's queue.
	// +optional
	SchedulePriority *BindingSchedulePriority `json:"schedulePriority,omitempty"`

	// WorkloadAffinityGroups are the affinity groups instantiated from the policy's
	// placement.workloadAffinity and the template's labels. Only used for ResourceBindings.
	// +optional
	WorkloadAffinityGroups *WorkloadAffinityGroups `json:"workloadAffinityGroups,omitempty"`
}

// ObjectReference locates the resource template of a binding.
type ObjectReference struct {
	// APIVersion is the API version of the template.
	APIVersion string `json:"apiVersion"`

	// Kind is the kind of the template.
	Kind string `json:"kind"`

	// Namespace is the namespace of the template; empty for cluster-scoped templates.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Name is the name of the template.
	Name string `json:"name"`

	// UID is the UID of the template. gitfleet's templates come from Git and have none.
	// +optional
	UID types.UID `json:"uid,omitempty"`

	// ResourceVersion is the resource version of the template, when it has one.
	// +optional
	ResourceVersion string `json:"resourceVersion,omitempty"`
}

// ReplicaRequirements is what one replica of a workload needs from a cluster.
type ReplicaRequirements struct {
	// NodeClaim is the node selection each replica is subject to.
	// +optional
	NodeClaim *NodeClaim `json:"nodeClaim,omitempty"`

	// ResourceRequest is the resources each replica requests.
	// +optional
	ResourceRequest corev1.ResourceList `json:"resourceRequest,omitempty"`

	// Namespace is the namespace of the workload, used by quota-aware estimators.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// PriorityClassName is the pods' priority class, used by quota-aware estimators.
	// +optional
	PriorityClassName string `json:"priorityClassName,omitempty"`
}

// Component is one pod template of a multi-template workload.
type Component struct {
	// Name identifies the component; unique within the workload.
	// +kubebuilder:validation:MaxLength=32
	// +required
	Name string `json:"name"`

	// Replicas is the component's replica count.
	// +required
	Replicas int32 `json:"replicas"`

	// ReplicaRequirements is what each replica of the component needs.
	// +optional
	ReplicaRequirements *ComponentReplicaRequirements `json:"replicaRequirements,omitempty"`
}

// ComponentReplicaRequirements is what one replica of a Component needs from a cluster.
type ComponentReplicaRequirements struct {
	// NodeClaim is the node selection each replica is subject to.
	// +optional
	NodeClaim *NodeClaim `json:"nodeClaim,omitempty"`

	// ResourceRequest is the resources each replica requests.
	// +optional
	ResourceRequest corev1.ResourceList `json:"resourceRequest,omitempty"`

	// PriorityClassName is the pods' priority class.
	// +optional
	PriorityClassName string `json:"priorityClassName,omitempty"`
}

// NodeClaim is the hard node constraints of a pod template: only those that can make a
// cluster unable to run a replica.
type NodeClaim struct {
	// HardNodeAffinity is the pod's requiredDuringSchedulingIgnoredDuringExecution node
	// affinity.
	// +optional
	HardNodeAffinity *corev1.NodeSelector `json:"hardNodeAffinity,omitempty"`

	// NodeSelector is the pod's node selector.
	// +optional
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`

	// Tolerations are the pod's tolerations.
	// +optional
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
}

// TargetCluster is one cluster of a scheduling result.
type TargetCluster struct {
	// Name is the cluster name.
	Name string `json:"name"`

	// Replicas is the number of replicas assigned to the cluster.
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// Components is the per-component assignment, for multi-template workloads.
	// +optional
	Components []TargetComponent `json:"components,omitempty"`
}

// TargetComponent is the replicas of one Component assigned to a cluster.
type TargetComponent struct {
	// Name is the component name, as in ResourceBindingSpec.Components.
	// +required
	Name string `json:"name"`

	// Replicas is the number of the component's replicas assigned to the cluster.
	// +required
	Replicas int32 `json:"replicas"`
}

// GracefulEvictionTask records that a workload is being evicted from a cluster. While the task
// exists the cluster is excluded from new placement; unless PurgeMode is Directly, the old
// copy keeps running until the workload is healthy elsewhere or the grace period ends.
type GracefulEvictionTask struct {
	// FromCluster is the cluster being evicted from.
	// +required
	FromCluster string `json:"fromCluster"`

	// PurgeMode says when the old copy is removed: Directly, Gracefully or Never.
	// +kubebuilder:validation:Enum=Directly;Gracefully;Never
	// +optional
	PurgeMode PurgeMode `json:"purgeMode,omitempty"`

	// Replicas is how many replicas the cluster had; unset for kinds without replicas.
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`

	// Reason is a CamelCase identifier of why the eviction happened, such as
	// EvictionReasonTaintUntolerated.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$`
	// +required
	Reason string `json:"reason"`

	// Message explains the eviction to humans.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Message string `json:"message,omitempty"`

	// Producer names the controller that created the task, such as
	// EvictionProducerTaintManager.
	// +required
	Producer string `json:"producer"`

	// GracePeriodSeconds overrides the graceful-eviction timeout for this task. It cannot be
	// set together with SuppressDeletion.
	// +optional
	GracePeriodSeconds *int32 `json:"gracePeriodSeconds,omitempty"`

	// SuppressDeletion true keeps the old copy until a human removes the task; false finishes
	// the task at once. It cannot be set together with GracePeriodSeconds.
	// +optional
	SuppressDeletion *bool `json:"suppressDeletion,omitempty"`

	// PreservedLabelState is state collected from the evicted cluster, injected as labels
	// into the workload on the clusters it moves to.
	// +optional
	PreservedLabelState map[string]string `json:"preservedLabelState,omitempty"`

	// CreationTimestamp is when the task was created; grace periods count from it. In gitfleet
	// it is the time recorded in the eviction decision, never the render time.
	// +optional
	CreationTimestamp *metav1.Time `json:"creationTimestamp,omitempty"`

	// ClustersBeforeFailover are the clusters the workload ran on before the failover.
	// +optional
	ClustersBeforeFailover []string `json:"clustersBeforeFailover,omitempty"`
}

// BindingSnapshot is the scheduling result of a binding that depends on this binding's
// resource.
type BindingSnapshot struct {
	// Namespace is the namespace of a dependent ResourceBinding; empty for a
	// ClusterResourceBinding.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Name is the name of the dependent binding.
	// +required
	Name string `json:"name"`

	// Clusters is the dependent binding's scheduling result.
	// +optional
	Clusters []TargetCluster `json:"clusters,omitempty"`
}

// BindingSuspension is the policy's Suspension plus a switch for scheduling.
type BindingSuspension struct {
	// Suspension is the dispatching suspension copied from the policy.
	Suspension `json:",inline"`

	// Scheduling true holds the binding out of scheduling until it is false or unset. It only
	// has an effect before the binding is first scheduled.
	// +optional
	Scheduling *bool `json:"scheduling,omitempty"`
}

// BindingSchedulePriority is the resolved scheduling priority of a binding (the policy's
// SchedulePriority names a PriorityClass; this holds its value).
type BindingSchedulePriority struct {
	// Priority orders the scheduling queue; higher is scheduled first.
	// +kubebuilder:default=0
	// +optional
	Priority int32 `json:"priority,omitempty"`
}

// WorkloadAffinityGroups are a binding's instantiated workload (anti-)affinity groups, each
// written "<labelKey>=<labelValue>".
type WorkloadAffinityGroups struct {
	// AffinityGroup is the group whose workloads are kept on the same clusters.
	// +optional
	AffinityGroup string `json:"affinityGroup,omitempty"`

	// AntiAffinityGroup is the group whose workloads are kept on different clusters.
	// +optional
	AntiAffinityGroup string `json:"antiAffinityGroup,omitempty"`
}

// ResourceBindingStatus is the scheduling outcome and per-cluster status of a binding.
type ResourceBindingStatus struct {
	// SchedulerObservedGeneration is the binding generation the scheduler last acted on.
	// +optional
	SchedulerObservedGeneration int64 `json:"schedulerObservedGeneration,omitempty"`

	// SchedulerObservedAffinityName is the name of the clusterAffinities term the current
	// result is based on. Note the JSON name differs from the Go name, as in Karmada.
	// +optional
	SchedulerObservedAffinityName string `json:"schedulerObservingAffinityName,omitempty"`

	// LastScheduledTime is when scheduling last succeeded.
	// +optional
	LastScheduledTime *metav1.Time `json:"lastScheduledTime,omitempty"`

	// Conditions are BindingConditionScheduled and BindingConditionFullyApplied.
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// AggregatedStatus holds one item per cluster the resource is applied to.
	// +optional
	AggregatedStatus []AggregatedStatusItem `json:"aggregatedStatus,omitempty"`
}

// AggregatedStatusItem is the state of a binding's resource in one member cluster.
type AggregatedStatusItem struct {
	// ClusterName is the member cluster.
	// +required
	ClusterName string `json:"clusterName"`

	// Status is the resource's status in the cluster, as reflected by the interpreter.
	// +kubebuilder:pruning:PreserveUnknownFields
	// +optional
	Status *runtime.RawExtension `json:"status,omitempty"`

	// Applied says whether the resource was applied to the cluster.
	// +optional
	Applied bool `json:"applied,omitempty"`

	// AppliedMessage explains a failed apply.
	// +optional
	AppliedMessage string `json:"appliedMessage,omitempty"`

	// Health is the interpreted health of the resource in the cluster.
	// +kubebuilder:validation:Enum=Healthy;Unhealthy;Unknown
	// +optional
	Health ResourceHealth `json:"health,omitempty"`
}

// ResourceHealth is the interpreted health of a resource in a member cluster.
type ResourceHealth string

const (
	// ResourceHealthy means the health interpreter judged the resource healthy (kinds
	// without a health rule are always healthy).
	ResourceHealthy ResourceHealth = "Healthy"
	// ResourceUnhealthy means the health interpreter judged the resource unhealthy.
	ResourceUnhealthy ResourceHealth = "Unhealthy"
	// ResourceUnknown means the health is not known: not applied, not collected yet, or the
	// interpreter failed.
	ResourceUnknown ResourceHealth = "Unknown"
)

// Condition types of a binding.
const (
	// BindingConditionScheduled says whether the scheduler placed the binding.
	BindingConditionScheduled = "Scheduled"
	// BindingConditionFullyApplied says whether the resource is applied to every cluster it
	// should be on.
	BindingConditionFullyApplied = "FullyApplied"
)

// Reasons and messages of the BindingConditionScheduled condition.
const (
	// BindingReasonSuccess goes with Scheduled=True.
	BindingReasonSuccess = "Success"
	// BindingMessageScheduled is the message of BindingReasonSuccess.
	BindingMessageScheduled = "Binding has been scheduled successfully."
	// BindingReasonSchedulerError goes with Scheduled=False: an internal error, not the input.
	BindingReasonSchedulerError = "SchedulerError"
	// BindingReasonNoClusterFit goes with Scheduled=False: no cluster passed the filters; the
	// previous result is cleared.
	BindingReasonNoClusterFit = "NoClusterFit"
	// BindingReasonUnschedulable goes with Scheduled=False: clusters fit but cannot take the
	// replicas now; the previous result is kept.
	BindingReasonUnschedulable = "Unschedulable"
	// BindingReasonQuotaExceeded goes with Scheduled=False: the result would exceed a
	// FederatedResourceQuota of the namespace.
	BindingReasonQuotaExceeded = "QuotaExceeded"
)

// Reasons and messages of the BindingConditionFullyApplied condition.
const (
	// BindingReasonFullyAppliedSuccess goes with FullyApplied=True.
	BindingReasonFullyAppliedSuccess = "FullyAppliedSuccess"
	// BindingMessageFullyAppliedSuccess is the message of BindingReasonFullyAppliedSuccess.
	BindingMessageFullyAppliedSuccess = "All works have been successfully applied"
	// BindingReasonFullyAppliedFailed goes with FullyApplied=False.
	BindingReasonFullyAppliedFailed = "FullyAppliedFailed"
	// BindingMessageFullyAppliedFailed is the message of BindingReasonFullyAppliedFailed.
	BindingMessageFullyAppliedFailed = "Failed to apply all works, see status.aggregatedStatus for details"
)

// Reasons of a GracefulEvictionTask.
const (
	// EvictionReasonTaintUntolerated: the cluster has a NoExecute taint the placement does not
	// tolerate, or no longer tolerates.
	EvictionReasonTaintUntolerated = "TaintUntolerated"
	// EvictionReasonApplicationFailure: the application stayed unhealthy in the cluster longer
	// than the policy's application failover allows.
	EvictionReasonApplicationFailure = "ApplicationFailure"
)

// Producers of a GracefulEvictionTask.
const (
	// EvictionProducerTaintManager is the taint manager.
	EvictionProducerTaintManager = "TaintManager"
	// EvictionProducerResourceBindingApplicationFailover is the application failover
	// controller of ResourceBindings.
	EvictionProducerResourceBindingApplicationFailover = "resource-binding-application-failover-controller"
	// EvictionProducerClusterResourceBindingApplicationFailover is the application failover
	// controller of ClusterResourceBindings.
	EvictionProducerClusterResourceBindingApplicationFailover = "cluster-resource-binding-application-failover-controller"
)

// ExecutionSpacePrefix prefixes a cluster name to form its execution namespace
// ("karmada-es-<cluster>"), and its directory in the rendered tree.
const ExecutionSpacePrefix = "karmada-es-"

// Labels and annotations on bindings, works and the manifests propagated to member clusters.
const (
	// ResourceBindingPermanentIDLabel carries the permanent id of a ResourceBinding; works and
	// propagated manifests carry it too, to find their binding.
	ResourceBindingPermanentIDLabel = "resourcebinding.karmada.io/permanent-id"
	// ClusterResourceBindingPermanentIDLabel carries the permanent id of a
	// ClusterResourceBinding.
	ClusterResourceBindingPermanentIDLabel = "clusterresourcebinding.karmada.io/permanent-id"
	// WorkPermanentIDLabel carries the permanent id of a Work.
	WorkPermanentIDLabel = "work.karmada.io/permanent-id"

	// WorkNamespaceAnnotation names, on a propagated manifest, the namespace of its Work.
	WorkNamespaceAnnotation = "work.karmada.io/namespace"
	// WorkNameAnnotation names, on a propagated manifest, its Work.
	WorkNameAnnotation = "work.karmada.io/name"
	// ResourceBindingNamespaceAnnotationKey names the namespace of the ResourceBinding a work
	// or manifest was derived from.
	ResourceBindingNamespaceAnnotationKey = "resourcebinding.karmada.io/namespace"
	// ResourceBindingNameAnnotationKey names the ResourceBinding a work or manifest was
	// derived from.
	ResourceBindingNameAnnotationKey = "resourcebinding.karmada.io/name"
	// ClusterResourceBindingAnnotationKey names the ClusterResourceBinding a work or manifest
	// was derived from.
	ClusterResourceBindingAnnotationKey = "clusterresourcebinding.karmada.io/name"
	// BindingManagedByLabel says which kind of object manages a binding, for example
	// "MultiClusterService".
	BindingManagedByLabel = "binding.karmada.io/managed-by"

	// ResourceTemplateUIDAnnotation carries the UID of the template a manifest came from.
	ResourceTemplateUIDAnnotation = "resourcetemplate.karmada.io/uid"
	// ResourceTemplateGenerationAnnotationKey carries the generation of the template a
	// manifest came from.
	ResourceTemplateGenerationAnnotationKey = "resourcetemplate.karmada.io/generation"
	// ManagedLabelsAnnotation lists, comma-separated and sorted, the label keys the template
	// owns on a propagated manifest.
	ManagedLabelsAnnotation = "resourcetemplate.karmada.io/managed-labels"
	// ManagedAnnotationsAnnotation lists, comma-separated and sorted, the annotation keys the
	// template owns on a propagated manifest.
	ManagedAnnotationsAnnotation = "resourcetemplate.karmada.io/managed-annotations"
	// ResourceTemplateClaimedByLabel marks a template claimed by another controller (such as a
	// MultiClusterService); policies do not match it.
	ResourceTemplateClaimedByLabel = "resourcetemplate.karmada.io/claimed-by"
	// RetainReplicasLabel with RetainReplicasValue on a template keeps the member's replica
	// count instead of the rendered one.
	RetainReplicasLabel = "resourcetemplate.karmada.io/retain-replicas"
	// RetainReplicasValue is the value of RetainReplicasLabel that enables it.
	RetainReplicasValue = "true"
	// DeletionProtectionLabelKey with DeletionProtectionAlways protects a template from deletion.
	DeletionProtectionLabelKey = "resourcetemplate.karmada.io/deletion-protected"
	// DeletionProtectionAlways is the value of DeletionProtectionLabelKey that protects.
	DeletionProtectionAlways = "Always"
	// DependenciesAnnotationKey records, on a template, the dependencies the interpreter found.
	DependenciesAnnotationKey = "resourcebinding.karmada.io/dependencies"

	// ManagedByKarmadaLabel with ManagedByKarmadaLabelValue marks an object in a member cluster
	// as created by the fleet; only such objects are updated without conflict resolution
	// Overwrite.
	ManagedByKarmadaLabel = "karmada.io/managed"
	// ManagedByKarmadaLabelValue is the value of ManagedByKarmadaLabel.
	ManagedByKarmadaLabelValue = "true"

	// ResourceConflictResolutionAnnotation on a template or manifest says how to handle an
	// existing unmanaged object in a member cluster: ResourceConflictResolutionOverwrite or
	// ResourceConflictResolutionAbort. On a template it takes precedence over the policy.
	ResourceConflictResolutionAnnotation = "work.karmada.io/conflict-resolution"
	// ResourceConflictResolutionOverwrite takes over the existing object.
	ResourceConflictResolutionOverwrite = "overwrite"
	// ResourceConflictResolutionAbort leaves the existing object alone and fails the apply.
	ResourceConflictResolutionAbort = "abort"

	// PolicyPlacementAnnotation holds, on a binding, the JSON of the placement it was last
	// scheduled with.
	PolicyPlacementAnnotation = "policy.karmada.io/applied-placement"
	// AppliedOverrides holds, on a work, the JSON of the OverridePolicies applied to it.
	AppliedOverrides = "policy.karmada.io/applied-overrides"
	// AppliedClusterOverrides holds, on a work, the JSON of the ClusterOverridePolicies
	// applied to it.
	AppliedClusterOverrides = "policy.karmada.io/applied-cluster-overrides"
)
