package v1alpha1

import (
	"k8s.io/utils/ptr"
)

// Default values Karmada fills into policies (CRD defaults and mutating webhooks).
const (
	// DefaultSchedulerName is the scheduler a propagation policy uses unless it names another.
	DefaultSchedulerName = "default-scheduler"
	// DefaultApplicationFailoverTolerationSeconds is how long an application must stay
	// unhealthy before application failover moves it.
	DefaultApplicationFailoverTolerationSeconds int32 = 300
	// DefaultApplicationFailoverGracePeriodSeconds is how long a Gracefully purged copy is kept
	// at most while its replacement is not yet healthy.
	DefaultApplicationFailoverGracePeriodSeconds int32 = 600
)

// serviceImportAPIVersion and serviceImportKind identify the mcs-api ServiceImport, whose
// selection forces propagateDeps so the derived Service and EndpointSlices follow it.
const (
	serviceImportAPIVersion = "multicluster.x-k8s.io/v1alpha1"
	serviceImportKind       = "ServiceImport"
)

// SetDefaultsPropagationPolicy fills a PropagationPolicy read from Git the way Karmada's CRD
// defaults and mutating webhook would on creation: selectors without a namespace get the
// policy's, spread constraints, replica scheduling and failover get their defaults, and the
// permanent-id label is derived from the policy's identity unless already set.
func SetDefaultsPropagationPolicy(p *PropagationPolicy) {
	for i := range p.Spec.ResourceSelectors {
		if p.Spec.ResourceSelectors[i].Namespace == "" {
			p.Spec.ResourceSelectors[i].Namespace = p.Namespace
		}
	}
	setDefaultsPropagationSpec(&p.Spec)
	setPermanentID(&p.Labels, PropagationPolicyPermanentIDLabel,
		DerivePermanentID(ResourceKindPropagationPolicy, p.Namespace, p.Name))
}

// SetDefaultsClusterPropagationPolicy fills a ClusterPropagationPolicy read from Git the way
// Karmada's CRD defaults and mutating webhook would on creation. Its selectors keep an empty
// namespace (meaning every namespace), and a metadata.namespace — which kustomize may add — is
// dropped, as the API server does for cluster-scoped kinds.
func SetDefaultsClusterPropagationPolicy(p *ClusterPropagationPolicy) {
	p.Namespace = ""
	setDefaultsPropagationSpec(&p.Spec)
	setPermanentID(&p.Labels, ClusterPropagationPolicyPermanentIDLabel,
		DerivePermanentID(ResourceKindClusterPropagationPolicy, "", p.Name))
}

// setDefaultsPropagationSpec applies the defaults shared by both propagation policy kinds.
// CRD defaults come first because the API server applies them before calling the webhook,
// whose defaults depend on them (Divided ⇒ Weighted, Gracefully ⇒ grace period).
func setDefaultsPropagationSpec(spec *PropagationSpec) {
	// CRD (kubebuilder) defaults.
	if spec.Priority == nil {
		spec.Priority = ptr.To[int32](0)
	}
	if spec.Preemption == "" {
		spec.Preemption = PreemptNever
	}
	if spec.ConflictResolution == "" {
		spec.ConflictResolution = ConflictAbort
	}
	if spec.SchedulerName == "" {
		spec.SchedulerName = DefaultSchedulerName
	}
	if rs := spec.Placement.ReplicaScheduling; rs != nil && rs.ReplicaSchedulingType == "" {
		rs.ReplicaSchedulingType = ReplicaSchedulingTypeDivided
	}
	if spec.Failover != nil {
		if app := spec.Failover.Application; app != nil {
			if app.DecisionConditions.TolerationSeconds == nil {
				app.DecisionConditions.TolerationSeconds = ptr.To(DefaultApplicationFailoverTolerationSeconds)
			}
			if app.PurgeMode == "" {
				app.PurgeMode = PurgeModeGracefully
			}
		}
		if c := spec.Failover.Cluster; c != nil && c.PurgeMode == "" {
			c.PurgeMode = PurgeModeGracefully
		}
	}

	// Mutating webhook defaults.
	for i := range spec.Placement.SpreadConstraints {
		sc := &spec.Placement.SpreadConstraints[i]
		if sc.SpreadByField == "" && sc.SpreadByLabel == "" {
			sc.SpreadByField = SpreadByFieldCluster
		}
		if sc.MinGroups == 0 {
			sc.MinGroups = 1
		}
	}
	for _, rs := range spec.ResourceSelectors {
		if rs.APIVersion == serviceImportAPIVersion && rs.Kind == serviceImportKind {
			spec.PropagateDeps = true
			break
		}
	}
	if spec.Placement.ReplicaSchedulingType() == ReplicaSchedulingTypeDivided &&
		spec.Placement.ReplicaScheduling.ReplicaDivisionPreference == "" {
		spec.Placement.ReplicaScheduling.ReplicaDivisionPreference = ReplicaDivisionPreferenceWeighted
	}
	if spec.Failover != nil {
		if app := spec.Failover.Application; app != nil &&
			app.PurgeMode == PurgeModeGracefully && app.GracePeriodSeconds == nil {
			app.GracePeriodSeconds = ptr.To(DefaultApplicationFailoverGracePeriodSeconds)
		}
	}
}

// setPermanentID sets the permanent-id label to id unless the object already carries a
// non-empty one: an id written in Git is kept, as Karmada keeps the one assigned at creation.
func setPermanentID(labels *map[string]string, key, id string) {
	if (*labels)[key] != "" {
		return
	}
	if *labels == nil {
		*labels = map[string]string{}
	}
	(*labels)[key] = id
}

// SetDefaultsOverridePolicy fills an OverridePolicy read from Git the way Karmada's mutating
// webhook would: selectors without a namespace get the policy's.
func SetDefaultsOverridePolicy(p *OverridePolicy) {
	for i := range p.Spec.ResourceSelectors {
		if p.Spec.ResourceSelectors[i].Namespace == "" {
			p.Spec.ResourceSelectors[i].Namespace = p.Namespace
		}
	}
}

// SetDefaultsClusterOverridePolicy fills a ClusterOverridePolicy read from Git. Karmada has no
// defaults for this kind; only a metadata.namespace is dropped, as the API server does for
// cluster-scoped kinds.
func SetDefaultsClusterOverridePolicy(p *ClusterOverridePolicy) {
	p.Namespace = ""
}

// SetDefaultsFederatedResourceQuota fills a FederatedResourceQuota read from Git. Karmada
// defines no defaults for this kind, so it changes nothing; it exists so that every kind is
// loaded the same way.
func SetDefaultsFederatedResourceQuota(_ *FederatedResourceQuota) {}

// SetDefaultsClusterTaintPolicy fills a ClusterTaintPolicy read from Git. Karmada has no
// defaults for this kind; only a metadata.namespace is dropped, as the API server does for
// cluster-scoped kinds.
func SetDefaultsClusterTaintPolicy(p *ClusterTaintPolicy) {
	p.Namespace = ""
}
