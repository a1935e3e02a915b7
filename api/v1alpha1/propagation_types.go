package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Kind names of the propagation policies, as they appear in a manifest's `kind` field.
const (
	// ResourceKindPropagationPolicy is the kind of PropagationPolicy.
	ResourceKindPropagationPolicy = "PropagationPolicy"
	// ResourceKindClusterPropagationPolicy is the kind of ClusterPropagationPolicy.
	ResourceKindClusterPropagationPolicy = "ClusterPropagationPolicy"
)

// Labels and annotations Karmada puts on policies and on the objects they claim.
const (
	// PropagationPolicyPermanentIDLabel carries a PropagationPolicy's permanent id, on the policy
	// and on the templates and bindings it claims. Karmada uses a random UUID; gitfleet derives
	// it with DerivePermanentID so it is stable across renders.
	PropagationPolicyPermanentIDLabel = "propagationpolicy.karmada.io/permanent-id"
	// ClusterPropagationPolicyPermanentIDLabel is PropagationPolicyPermanentIDLabel for
	// ClusterPropagationPolicies.
	ClusterPropagationPolicyPermanentIDLabel = "clusterpropagationpolicy.karmada.io/permanent-id"

	// PropagationPolicyNamespaceAnnotation records, on a claimed template, the namespace of the
	// PropagationPolicy that claims it.
	PropagationPolicyNamespaceAnnotation = "propagationpolicy.karmada.io/namespace"
	// PropagationPolicyNameAnnotation records, on a claimed template, the name of the
	// PropagationPolicy that claims it.
	PropagationPolicyNameAnnotation = "propagationpolicy.karmada.io/name"
	// ClusterPropagationPolicyAnnotation records, on a claimed template, the name of the
	// ClusterPropagationPolicy that claims it.
	ClusterPropagationPolicyAnnotation = "clusterpropagationpolicy.karmada.io/name"

	// NamespaceSkipAutoPropagationLabel, set to "true" on a Namespace, keeps the namespace from
	// being propagated to every member cluster automatically.
	NamespaceSkipAutoPropagationLabel = "namespace.karmada.io/skip-auto-propagation"
)

// PropagationPolicy selects resource templates in its own namespace and says to which member
// clusters, and how, they are propagated. It is read from `policy.karmada.io/v1alpha1`
// (short name `pp`).
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:path=propagationpolicies,scope=Namespaced,shortName=pp
type PropagationPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the propagation rule: what to select and where to place it.
	// +required
	Spec PropagationSpec `json:"spec"`
}

// PropagationPolicyList is a list of PropagationPolicy objects.
//
// +kubebuilder:object:root=true
type PropagationPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	// Items are the listed policies.
	Items []PropagationPolicy `json:"items"`
}

// ClusterPropagationPolicy is the cluster-scoped variant of PropagationPolicy: it may select
// cluster-scoped templates and templates in any namespace except Karmada's reserved ones. It is
// read from `policy.karmada.io/v1alpha1` (short name `cpp`).
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:path=clusterpropagationpolicies,scope=Cluster,shortName=cpp
type ClusterPropagationPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the propagation rule: what to select and where to place it.
	// +required
	Spec PropagationSpec `json:"spec"`
}

// ClusterPropagationPolicyList is a list of ClusterPropagationPolicy objects.
//
// +kubebuilder:object:root=true
type ClusterPropagationPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	// Items are the listed policies.
	Items []ClusterPropagationPolicy `json:"items"`
}

// PropagationSpec is the body shared by PropagationPolicy and ClusterPropagationPolicy.
type PropagationSpec struct {
	// ResourceSelectors choose the resource templates the policy propagates. At least one is
	// required: an empty list does not mean "everything", so that sensitive kinds such as
	// Secrets are never propagated by accident.
	// +required
	// +kubebuilder:validation:MinItems=1
	ResourceSelectors []ResourceSelector `json:"resourceSelectors"`

	// Association is the deprecated spelling of PropagateDeps.
	// +optional
	Association bool `json:"association,omitempty"`

	// PropagateDeps, when true, also propagates the objects a selected template depends on
	// (for example the ConfigMaps and Secrets a Deployment mounts) and moves them with it on
	// failover. Defaults to false; forced to true when a ServiceImport is selected.
	// +optional
	PropagateDeps bool `json:"propagateDeps,omitempty"`

	// Placement says which clusters may receive the selected templates and how replicas are
	// spread over them.
	// +optional
	Placement Placement `json:"placement,omitempty"`

	// Priority ranks policies that match the same template when it is first claimed; the
	// higher value wins. Ties fall back to the more specific selector, then to the smaller
	// policy name. Defaults to 0.
	// +optional
	// +kubebuilder:default=0
	Priority *int32 `json:"priority,omitempty"`

	// Preemption says whether this policy may take over templates already claimed by a
	// lower-priority policy. Defaults to Never.
	// +optional
	// +kubebuilder:default="Never"
	// +kubebuilder:validation:Enum=Always;Never
	Preemption PreemptionBehavior `json:"preemption,omitempty"`

	// DependentOverrides names override policies (OverridePolicies in the same namespace, or
	// ClusterOverridePolicies for a ClusterPropagationPolicy) that must exist before this
	// policy takes effect, so that a template is never propagated without its overrides.
	// +optional
	DependentOverrides []string `json:"dependentOverrides,omitempty"`

	// SchedulerName names the scheduler that places the selected templates. Defaults to
	// "default-scheduler".
	// +optional
	// +kubebuilder:default="default-scheduler"
	SchedulerName string `json:"schedulerName,omitempty"`

	// Failover configures how workloads are moved away from failing applications or clusters.
	// Nil disables application failover.
	// +optional
	Failover *FailoverBehavior `json:"failover,omitempty"`

	// ConflictResolution says what happens when a propagated object already exists in a member
	// cluster without being managed by Karmada: Abort (the default) leaves it alone, Overwrite
	// takes it over.
	// +optional
	// +kubebuilder:default="Abort"
	// +kubebuilder:validation:Enum=Abort;Overwrite
	ConflictResolution ConflictResolution `json:"conflictResolution,omitempty"`

	// ActivationPreference controls when policy changes reach already claimed templates. Empty
	// applies them at once; Lazy waits until each template itself changes, which lets a risky
	// policy change roll out template by template.
	// +optional
	// +kubebuilder:validation:Enum=Lazy
	ActivationPreference ActivationPreference `json:"activationPreference,omitempty"`

	// Suspension pauses parts of the propagation. Nil suspends nothing.
	// +optional
	Suspension *Suspension `json:"suspension,omitempty"`

	// PreserveResourcesOnDeletion, when true, keeps the propagated objects in the member
	// clusters after the resource template is deleted (useful to roll back a migration).
	// Defaults to false. It does not apply to deleting the policy itself.
	// +optional
	PreserveResourcesOnDeletion *bool `json:"preserveResourcesOnDeletion,omitempty"`

	// SchedulePriority says where the scheduling priority of the selected workloads comes from;
	// higher-priority workloads are scheduled first.
	// +optional
	SchedulePriority *SchedulePriority `json:"schedulePriority,omitempty"`
}

// ResourceSelector picks resource templates by API version and kind, optionally narrowed by
// namespace, name or labels.
type ResourceSelector struct {
	// APIVersion is the apiVersion of the selected templates, such as "apps/v1".
	// +required
	APIVersion string `json:"apiVersion"`

	// Kind is the kind of the selected templates, such as "Deployment".
	// +required
	Kind string `json:"kind"`

	// Namespace restricts the selection to one namespace. In a namespaced policy an empty value
	// is defaulted to the policy's own namespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Name restricts the selection to one object. Empty selects every object of the kind.
	// +optional
	Name string `json:"name,omitempty"`

	// LabelSelector restricts the selection to templates carrying matching labels. It is
	// ignored when Name is set.
	// +optional
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`
}

// FieldSelector filters member clusters by their provider, region and zones.
type FieldSelector struct {
	// MatchExpressions are ANDed requirements whose keys are "provider", "region" or "zone" and
	// whose operators are In or NotIn.
	MatchExpressions []corev1.NodeSelectorRequirement `json:"matchExpressions,omitempty"`
}

// Suspension pauses parts of the propagation of the selected templates.
type Suspension struct {
	// Dispatching, when true, stops applying the templates to every member cluster. It cannot
	// be combined with DispatchingOnClusters.
	// +optional
	Dispatching *bool `json:"dispatching,omitempty"`

	// DispatchingOnClusters stops applying the templates to the listed clusters only.
	// +optional
	DispatchingOnClusters *SuspendClusters `json:"dispatchingOnClusters,omitempty"`
}

// SuspendClusters lists the clusters on which dispatching is suspended.
type SuspendClusters struct {
	// ClusterNames are the names of the suspended clusters.
	// +optional
	ClusterNames []string `json:"clusterNames,omitempty"`
}

// PurgeMode says what happens to the copy of a workload left behind on the cluster it was
// moved away from.
type PurgeMode string

const (
	// Never keeps the old copy until a human removes it.
	Never PurgeMode = "Never"
	// PurgeModeNever is a self-describing alias of Never.
	PurgeModeNever = Never
	// PurgeModeDirectly deletes the old copy at once, for workloads that must never run twice
	// at the same time.
	PurgeModeDirectly PurgeMode = "Directly"
	// PurgeModeGracefully keeps the old copy until the workload is healthy on its new clusters
	// or a grace period has passed.
	PurgeModeGracefully PurgeMode = "Gracefully"
)

// FailoverBehavior configures how workloads move away from failures.
type FailoverBehavior struct {
	// Application enables failover when the application itself is unhealthy on a cluster. Nil
	// disables it. When set, PropagateDeps must be true so dependencies move along.
	// +optional
	Application *ApplicationFailoverBehavior `json:"application,omitempty"`

	// Cluster configures eviction from a cluster that becomes tainted NoExecute. Nil leaves the
	// purge mode to the controller's --no-execute-taint-eviction-purge-mode setting.
	// +optional
	Cluster *ClusterFailoverBehavior `json:"cluster,omitempty"`
}

// ApplicationFailoverBehavior configures failover triggered by an unhealthy application.
type ApplicationFailoverBehavior struct {
	// DecisionConditions must all hold before the application is moved.
	// +required
	DecisionConditions DecisionConditions `json:"decisionConditions"`

	// PurgeMode says what happens to the copy on the failed cluster: Directly, Gracefully
	// (the default) or Never.
	// +optional
	// +kubebuilder:default=Gracefully
	// +kubebuilder:validation:Enum=Directly;Gracefully;Never
	PurgeMode PurgeMode `json:"purgeMode,omitempty"`

	// GracePeriodSeconds bounds, for PurgeMode Gracefully only, how long the old copy is kept
	// while the new one is not yet healthy. It must be positive and defaults to 600.
	// +optional
	GracePeriodSeconds *int32 `json:"gracePeriodSeconds,omitempty"`

	// StatePreservation copies state out of the failed copy's status and injects it as labels
	// into the new copy (feature gate StatefulFailoverInjection).
	// +optional
	StatePreservation *StatePreservation `json:"statePreservation,omitempty"`
}

// ClusterFailoverBehavior configures failover triggered by a cluster failure.
type ClusterFailoverBehavior struct {
	// PurgeMode says what happens to the copy on the failed cluster: Directly or Gracefully
	// (the default).
	// +optional
	// +kubebuilder:default=Gracefully
	// +kubebuilder:validation:Enum=Directly;Gracefully
	PurgeMode PurgeMode `json:"purgeMode,omitempty"`

	// StatePreservation copies state out of the failed copy's status and injects it as labels
	// into the new copy (feature gate StatefulFailoverInjection).
	// +optional
	StatePreservation *StatePreservation `json:"statePreservation,omitempty"`
}

// DecisionConditions are the conditions under which application failover is performed.
type DecisionConditions struct {
	// TolerationSeconds is how long the application must stay unhealthy before it is moved.
	// Defaults to 300; 0 moves it immediately.
	// +optional
	// +kubebuilder:default=300
	TolerationSeconds *int32 `json:"tolerationSeconds,omitempty"`
}

// StatePreservation lists the pieces of state carried over on failover.
type StatePreservation struct {
	// Rules each extract one value from the old copy's status.
	// +required
	Rules []StatePreservationRule `json:"rules"`
}

// StatePreservationRule extracts one value from a workload's status and names the label that
// carries it to the new cluster.
type StatePreservationRule struct {
	// AliasLabelName is the label key under which the extracted value is injected.
	// +required
	AliasLabelName string `json:"aliasLabelName"`

	// JSONPath is a kubectl-style JSONPath template evaluated against the object's `.status`
	// (so "{.availableReplicas}", not "{.status.availableReplicas}").
	// +required
	JSONPath string `json:"jsonPath"`
}

// Placement describes the clusters a template may be propagated to and how its replicas are
// distributed among them.
type Placement struct {
	// ClusterAffinity restricts the candidate clusters. It cannot be combined with
	// ClusterAffinities; when neither is set every cluster is a candidate.
	// +optional
	ClusterAffinity *ClusterAffinity `json:"clusterAffinity,omitempty"`

	// ClusterAffinities are ordered fallback groups of clusters: the scheduler tries them one
	// after another and uses the first group that can host the workload. It cannot be combined
	// with ClusterAffinity.
	// +optional
	ClusterAffinities []ClusterAffinityTerm `json:"clusterAffinities,omitempty"`

	// ClusterTolerations let the template go to clusters carrying matching taints.
	// +optional
	ClusterTolerations []corev1.Toleration `json:"clusterTolerations,omitempty"`

	// SpreadConstraints bound how many clusters, or groups of clusters, are selected.
	// +optional
	SpreadConstraints []SpreadConstraint `json:"spreadConstraints,omitempty"`

	// ReplicaScheduling says how the replicas of a workload are assigned to the selected
	// clusters. Nil means every cluster runs all replicas (Duplicated).
	// +optional
	ReplicaScheduling *ReplicaSchedulingStrategy `json:"replicaScheduling,omitempty"`

	// WorkloadAffinity co-locates or separates workloads by a label of their templates
	// (feature gate WorkloadAffinity).
	// +optional
	WorkloadAffinity *WorkloadAffinity `json:"workloadAffinity,omitempty"`
}

// SpreadFieldValue names a Cluster field by which clusters are grouped for spreading.
type SpreadFieldValue string

// The cluster fields spread constraints can group by.
const (
	// SpreadByFieldCluster treats every cluster as its own group.
	SpreadByFieldCluster SpreadFieldValue = "cluster"
	// SpreadByFieldRegion groups clusters by spec.region.
	SpreadByFieldRegion SpreadFieldValue = "region"
	// SpreadByFieldZone groups clusters by their zones.
	SpreadByFieldZone SpreadFieldValue = "zone"
	// SpreadByFieldProvider groups clusters by spec.provider.
	SpreadByFieldProvider SpreadFieldValue = "provider"
)

// SpreadConstraint bounds the number of cluster groups a template is spread over.
type SpreadConstraint struct {
	// SpreadByField groups clusters by a Cluster field: cluster, region, zone or provider. It
	// cannot be combined with SpreadByLabel; when both are empty it defaults to "cluster".
	// +optional
	// +kubebuilder:validation:Enum=cluster;region;zone;provider
	SpreadByField SpreadFieldValue `json:"spreadByField,omitempty"`

	// SpreadByLabel groups clusters by the value of this cluster label key.
	// +optional
	SpreadByLabel string `json:"spreadByLabel,omitempty"`

	// MaxGroups is the largest number of groups to select; 0 means no upper bound.
	// +optional
	MaxGroups int `json:"maxGroups,omitempty"`

	// MinGroups is the smallest number of groups to select. Defaults to 1.
	// +optional
	MinGroups int `json:"minGroups,omitempty"`
}

// ClusterAffinity selects member clusters. All of its non-empty filters must match; an empty
// affinity matches every cluster.
type ClusterAffinity struct {
	// LabelSelector matches the labels of the Cluster object.
	// +optional
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`

	// FieldSelector matches the provider, region and zones of the Cluster.
	// +optional
	FieldSelector *FieldSelector `json:"fieldSelector,omitempty"`

	// ClusterNames, when non-empty, admits only the named clusters.
	// +optional
	ClusterNames []string `json:"clusterNames,omitempty"`

	// ExcludeClusters rejects the named clusters, whatever the other filters say.
	// +optional
	ExcludeClusters []string `json:"exclude,omitempty"`
}

// ClusterAffinityTerm is one named group of clusters in Placement.ClusterAffinities.
type ClusterAffinityTerm struct {
	// AffinityName names the group; it is recorded on the binding once the group is used.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	AffinityName string `json:"affinityName"`

	// ClusterAffinity is the primary (preferred) group of clusters of this term.
	ClusterAffinity `json:",inline"`

	// OverflowAffinities are extra groups the scheduler adds, in order, when the primary group
	// lacks capacity, and releases in reverse order when scaling down. They need a non-empty
	// primary group and dynamic-weight or aggregated replica division. A cluster listed in
	// several overflow groups belongs to the first one.
	// +optional
	OverflowAffinities []OverflowClusterAffinity `json:"overflowAffinities,omitempty"`
}

// OverflowClusterAffinity is one overflow tier of a ClusterAffinityTerm.
type OverflowClusterAffinity struct {
	// AffinityName names the tier; it must differ from the term's and the other tiers' names.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	AffinityName string `json:"affinityName"`

	// ClusterAffinity selects the clusters of this tier.
	ClusterAffinity `json:",inline"`
}

// WorkloadAffinity holds inter-workload affinity and anti-affinity rules. Both are hard
// requirements.
type WorkloadAffinity struct {
	// Affinity places the workload only on clusters already used by its affinity group. The
	// first workload of a group is not constrained.
	// +optional
	Affinity *WorkloadAffinityTerm `json:"affinity,omitempty"`

	// AntiAffinity keeps the workload away from clusters used by its anti-affinity group.
	// +optional
	AntiAffinity *WorkloadAntiAffinityTerm `json:"antiAffinity,omitempty"`
}

// WorkloadAffinityTerm defines an affinity group by a label of the resource templates.
type WorkloadAffinityTerm struct {
	// GroupByLabelKey is the template label key whose value names the group; groups are scoped
	// to the namespace.
	// +required
	GroupByLabelKey string `json:"groupByLabelKey"`
}

// WorkloadAntiAffinityTerm defines an anti-affinity group by a label of the resource
// templates.
type WorkloadAntiAffinityTerm struct {
	// GroupByLabelKey is the template label key whose value names the group; groups are scoped
	// to the namespace.
	// +required
	GroupByLabelKey string `json:"groupByLabelKey"`
}

// ReplicaSchedulingType says whether replicas are copied to, or divided among, the clusters.
type ReplicaSchedulingType string

const (
	// ReplicaSchedulingTypeDuplicated gives every selected cluster all of the replicas.
	ReplicaSchedulingTypeDuplicated ReplicaSchedulingType = "Duplicated"
	// ReplicaSchedulingTypeDivided splits the replicas among the selected clusters.
	ReplicaSchedulingTypeDivided ReplicaSchedulingType = "Divided"
)

// ReplicaDivisionPreference says how Divided replicas are split.
type ReplicaDivisionPreference string

const (
	// ReplicaDivisionPreferenceAggregated packs the replicas into as few clusters as their
	// available capacity allows.
	ReplicaDivisionPreferenceAggregated ReplicaDivisionPreference = "Aggregated"
	// ReplicaDivisionPreferenceWeighted splits the replicas in proportion to cluster weights.
	ReplicaDivisionPreferenceWeighted ReplicaDivisionPreference = "Weighted"
)

// ReplicaSchedulingStrategy says how the replicas of a workload are assigned to clusters.
type ReplicaSchedulingStrategy struct {
	// ReplicaSchedulingType is Duplicated or Divided. Defaults to Divided when the
	// replicaScheduling object is present.
	// +optional
	// +kubebuilder:default=Divided
	// +kubebuilder:validation:Enum=Duplicated;Divided
	ReplicaSchedulingType ReplicaSchedulingType `json:"replicaSchedulingType,omitempty"`

	// ReplicaDivisionPreference is Aggregated or Weighted and only matters for Divided.
	// Defaults to Weighted for Divided.
	// +optional
	// +kubebuilder:validation:Enum=Aggregated;Weighted
	ReplicaDivisionPreference ReplicaDivisionPreference `json:"replicaDivisionPreference,omitempty"`

	// WeightPreference gives the cluster weights for Weighted division. Nil weighs every
	// cluster equally.
	// +optional
	WeightPreference *ClusterPreferences `json:"weightPreference,omitempty"`
}

// ClusterPreferences holds the cluster weights of Weighted division.
type ClusterPreferences struct {
	// StaticWeightList assigns fixed weights to groups of clusters.
	// +optional
	StaticWeightList []StaticClusterWeight `json:"staticWeightList,omitempty"`

	// DynamicWeight derives the weights from a cluster property; when set, StaticWeightList is
	// ignored.
	// +optional
	// +kubebuilder:validation:Enum=AvailableReplicas
	DynamicWeight DynamicWeightFactor `json:"dynamicWeight,omitempty"`
}

// StaticClusterWeight gives a fixed weight to the clusters matched by TargetCluster.
type StaticClusterWeight struct {
	// TargetCluster selects the clusters that get Weight.
	// +required
	TargetCluster ClusterAffinity `json:"targetCluster"`

	// Weight is the relative share of the matched clusters; at least 1.
	// +required
	// +kubebuilder:validation:Minimum=1
	Weight int64 `json:"weight"`
}

// DynamicWeightFactor names the cluster property dynamic weights are derived from.
type DynamicWeightFactor string

const (
	// DynamicWeightByAvailableReplicas weighs each cluster by the number of replicas it can
	// still run, as estimated by the scheduler.
	DynamicWeightByAvailableReplicas DynamicWeightFactor = "AvailableReplicas"
)

// PreemptionBehavior says whether a policy may claim templates already claimed by another,
// lower-priority policy.
type PreemptionBehavior string

const (
	// PreemptAlways allows preemption. A PropagationPolicy preempts lower-priority
	// PropagationPolicies and any ClusterPropagationPolicy; a ClusterPropagationPolicy only
	// preempts lower-priority ClusterPropagationPolicies.
	PreemptAlways PreemptionBehavior = "Always"
	// PreemptNever never takes over a claimed template.
	PreemptNever PreemptionBehavior = "Never"
)

// ConflictResolution says what to do when a propagated object already exists in a member
// cluster and is not managed by Karmada.
type ConflictResolution string

const (
	// ConflictOverwrite takes the existing object over by overwriting it.
	ConflictOverwrite ConflictResolution = "Overwrite"
	// ConflictAbort leaves the existing object alone and reports the conflict.
	ConflictAbort ConflictResolution = "Abort"
)

// ActivationPreference says when policy changes reach the templates a policy already claims.
type ActivationPreference string

const (
	// LazyActivation applies policy changes to a template only on that template's next change.
	LazyActivation ActivationPreference = "Lazy"
)

// SchedulePriority says where a workload's scheduling priority comes from.
type SchedulePriority struct {
	// PriorityClassSource is where PriorityClassName is looked up; only KubePriorityClass is
	// supported.
	// +required
	// +kubebuilder:validation:Enum=KubePriorityClass
	PriorityClassSource PriorityClassSource `json:"priorityClassSource"`

	// PriorityClassName names the priority class whose value becomes the priority.
	// +required
	PriorityClassName string `json:"priorityClassName"`
}

// PriorityClassSource names the kind of priority class a SchedulePriority refers to.
type PriorityClassSource string

const (
	// FederatedPriorityClass would use a Karmada FederatedPriorityClass (not implemented by
	// Karmada yet).
	FederatedPriorityClass PriorityClassSource = "FederatedPriorityClass"
	// KubePriorityClass uses a Kubernetes scheduling.k8s.io/v1 PriorityClass.
	KubePriorityClass PriorityClassSource = "KubePriorityClass"
	// PodPriorityClass would use the priorityClassName of the workload's pod template (not
	// implemented by Karmada yet).
	PodPriorityClass PriorityClassSource = "PodPriorityClass"
)

// ExplicitPriority returns spec.priority, or 0 when it is unset.
func (s *PropagationSpec) ExplicitPriority() int32 {
	if s.Priority == nil {
		return 0
	}
	return *s.Priority
}

// ExplicitPriority returns the policy's spec.priority, or 0 when it is unset.
func (p *PropagationPolicy) ExplicitPriority() int32 { return p.Spec.ExplicitPriority() }

// ExplicitPriority returns the policy's spec.priority, or 0 when it is unset.
func (p *ClusterPropagationPolicy) ExplicitPriority() int32 { return p.Spec.ExplicitPriority() }

// ReplicaSchedulingType returns how replicas are assigned: Duplicated when replicaScheduling is
// absent, otherwise its replicaSchedulingType.
func (p *Placement) ReplicaSchedulingType() ReplicaSchedulingType {
	if p.ReplicaScheduling == nil {
		return ReplicaSchedulingTypeDuplicated
	}
	return p.ReplicaScheduling.ReplicaSchedulingType
}

// IsReplicaDynamicDivided reports whether replicas are divided according to cluster capacity:
// Divided with Aggregated preference, or Divided and Weighted by a dynamic weight. Only such
// placements keep previous assignments stable and may use overflow affinities.
func (p *Placement) IsReplicaDynamicDivided() bool {
	if p.ReplicaSchedulingType() != ReplicaSchedulingTypeDivided {
		return false
	}
	s := p.ReplicaScheduling
	switch s.ReplicaDivisionPreference {
	case ReplicaDivisionPreferenceAggregated:
		return true
	case ReplicaDivisionPreferenceWeighted:
		return s.WeightPreference != nil && s.WeightPreference.DynamicWeight != ""
	default:
		return false
	}
}
