package v1alpha1

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ResourceKindFleetConfig is the kind of gitfleet's fleet-wide settings in GitfleetGroupVersion.
const ResourceKindFleetConfig = "FleetConfig"

// FleetConfigFileName is the conventional file of the FleetConfig, at the root of the source.
const FleetConfigFileName = "gitfleet.yaml"

// Defaults of FleetConfig. They are the defaults of Karmada's controller-manager, scheduler and
// descheduler flags and feature gates, except DefaultStatusHeartbeatInterval, which is
// gitfleet's own.
const (
	// DefaultFailoverEnabled is the default of Karmada's Failover feature gate.
	DefaultFailoverEnabled = false
	// DefaultNoExecuteTaintEviction is the default of --enable-no-execute-taint-eviction.
	DefaultNoExecuteTaintEviction = false
	// DefaultNoExecuteTaintEvictionPurgeMode is the default of
	// --no-execute-taint-eviction-purge-mode.
	DefaultNoExecuteTaintEvictionPurgeMode = PurgeModeGracefully
	// DefaultGracefulEvictionTimeout is the default of --graceful-eviction-timeout.
	DefaultGracefulEvictionTimeout = 10 * time.Minute
	// DefaultResourceEvictionRate is the default of --resource-eviction-rate, in evictions per
	// second.
	DefaultResourceEvictionRate = "0.5"

	// DefaultEnableEmptyWorkloadPropagation is the default of the scheduler's
	// --enable-empty-workload-propagation.
	DefaultEnableEmptyWorkloadPropagation = false
	// DefaultPropagationPolicyPreemption is the default of the PropagationPolicyPreemption
	// feature gate.
	DefaultPropagationPolicyPreemption = false

	// DefaultClusterMonitorPeriod is the default of --cluster-monitor-period.
	DefaultClusterMonitorPeriod = 5 * time.Second
	// DefaultClusterMonitorGracePeriod is the default of --cluster-monitor-grace-period.
	DefaultClusterMonitorGracePeriod = 40 * time.Second
	// DefaultClusterStartupGracePeriod is the default of --cluster-startup-grace-period.
	DefaultClusterStartupGracePeriod = 60 * time.Second
	// DefaultClusterSuccessThreshold is the default of --cluster-success-threshold.
	DefaultClusterSuccessThreshold = 30 * time.Second
	// DefaultClusterFailureThreshold is the default of --cluster-failure-threshold.
	DefaultClusterFailureThreshold = 30 * time.Second

	// DefaultStatusHeartbeatInterval is how often gitfleet re-commits an unchanged status.
	DefaultStatusHeartbeatInterval = 5 * time.Minute

	// DefaultDeschedulerEnabled says whether the descheduler runs by default (Karmada's is a
	// separate component, not installed by default).
	DefaultDeschedulerEnabled = false
	// DefaultDeschedulingInterval is the default of the descheduler's --descheduling-interval.
	DefaultDeschedulingInterval = 2 * time.Minute
	// DefaultUnschedulableThreshold is the default of the descheduler's
	// --unschedulable-threshold.
	DefaultUnschedulableThreshold = 5 * time.Minute
)

// DefaultSkippedPropagatingNamespaces returns the default of --skipped-propagating-namespaces.
// It is a function so that callers cannot modify a shared slice.
func DefaultSkippedPropagatingNamespaces() []string {
	return []string{"kube-.*"}
}

// FleetConfig holds the fleet-wide switches that change rendering and the hub's controllers
// (gitfleet.io/v1alpha1). A source tree has at most one, conventionally FleetConfigFileName.
// Because it lives in Git, a pull request renders exactly as the hub will.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
type FleetConfig struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec holds the settings; every field is optional and defaults to Karmada's default.
	// +optional
	Spec FleetConfigSpec `json:"spec,omitempty"`
}

// FleetConfigSpec groups the settings by the component of Karmada they configure.
type FleetConfigSpec struct {
	// Failover configures the taint manager, ClusterTaintPolicy and graceful eviction.
	// +optional
	Failover FleetFailoverConfig `json:"failover,omitempty"`

	// Scheduling configures the scheduler.
	// +optional
	Scheduling FleetSchedulingConfig `json:"scheduling,omitempty"`

	// Propagation configures which templates are propagated at all.
	// +optional
	Propagation FleetPropagationConfig `json:"propagation,omitempty"`

	// Health configures cluster health monitoring.
	// +optional
	Health FleetHealthConfig `json:"health,omitempty"`

	// Status configures the status ref.
	// +optional
	Status FleetStatusConfig `json:"status,omitempty"`

	// Descheduler configures the descheduler.
	// +optional
	Descheduler FleetDeschedulerConfig `json:"descheduler,omitempty"`
}

// FleetFailoverConfig configures cluster failover.
type FleetFailoverConfig struct {
	// Enabled is Karmada's Failover feature gate: it runs the taint manager and the
	// ClusterTaintPolicy controller. Default false.
	// +optional
	Enabled *bool `json:"enabled,omitempty"`

	// NoExecuteTaintEviction lets the taint manager evict workloads that do not tolerate a
	// cluster's NoExecute taints (--enable-no-execute-taint-eviction). It has an effect only
	// with Enabled. Default false, because evictions move workloads between clusters.
	// +optional
	NoExecuteTaintEviction *bool `json:"noExecuteTaintEviction,omitempty"`

	// NoExecuteTaintEvictionPurgeMode is how taint evictions remove the old copy when the
	// policy does not say: Gracefully (after the workload is healthy elsewhere, default) or
	// Directly (at once).
	// +kubebuilder:validation:Enum=Gracefully;Directly
	// +optional
	NoExecuteTaintEvictionPurgeMode PurgeMode `json:"noExecuteTaintEvictionPurgeMode,omitempty"`

	// GracefulEvictionTimeout is how long an evicted cluster keeps its copy at most, when the
	// eviction task has no grace period of its own. Default 10m.
	// +optional
	GracefulEvictionTimeout *metav1.Duration `json:"gracefulEvictionTimeout,omitempty"`

	// ResourceEvictionRate is the number of evictions per second, as a decimal string (for
	// example "0.5", the default). "0" effectively pauses evictions: as in Karmada, each then
	// waits 30 minutes.
	// +optional
	ResourceEvictionRate string `json:"resourceEvictionRate,omitempty"`

	// AllowNoExecuteTaintPolicy lets ClusterTaintPolicies add NoExecute taints, which evict
	// workloads (Karmada's --allow-no-execute-taint-policy). Default false, as in Karmada:
	// a NoExecute taint policy is rejected unless the fleet opts in here.
	// +optional
	AllowNoExecuteTaintPolicy *bool `json:"allowNoExecuteTaintPolicy,omitempty"`
}

// EvictionRate returns ResourceEvictionRate as a number, or the default when it is empty.
func (c *FleetFailoverConfig) EvictionRate() (float64, error) {
	s := strings.TrimSpace(c.ResourceEvictionRate)
	if s == "" {
		s = DefaultResourceEvictionRate
	}
	rate, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("resourceEvictionRate %q is not a decimal number", c.ResourceEvictionRate)
	}
	if math.IsNaN(rate) || math.IsInf(rate, 0) {
		return 0, fmt.Errorf("resourceEvictionRate %q is not a finite number", c.ResourceEvictionRate)
	}
	return rate, nil
}

// FleetSchedulingConfig configures the scheduler.
type FleetSchedulingConfig struct {
	// EnableEmptyWorkloadPropagation keeps selected clusters that were assigned 0 replicas in
	// the scheduling result, so the workload is propagated to them with 0 replicas. Default
	// false.
	// +optional
	EnableEmptyWorkloadPropagation *bool `json:"enableEmptyWorkloadPropagation,omitempty"`

	// PropagationPolicyPreemption is Karmada's PropagationPolicyPreemption feature gate: it lets
	// a policy with `preemption: Always` take templates from lower-priority policies. Default
	// false.
	// +optional
	PropagationPolicyPreemption *bool `json:"propagationPolicyPreemption,omitempty"`
}

// FleetPropagationConfig configures which templates are propagated at all.
type FleetPropagationConfig struct {
	// SkippedPropagatingNamespaces are regular expressions; templates in a namespace that one
	// of them matches completely are never propagated. Unset means ["kube-.*"]; an explicit
	// empty list skips no namespace. (Reserved namespaces are always skipped.)
	// +optional
	SkippedPropagatingNamespaces []string `json:"skippedPropagatingNamespaces"`
}

// FleetHealthConfig configures cluster health monitoring.
type FleetHealthConfig struct {
	// ClusterMonitorPeriod is how often cluster health is evaluated. Default 5s.
	// +optional
	ClusterMonitorPeriod *metav1.Duration `json:"clusterMonitorPeriod,omitempty"`

	// ClusterMonitorGracePeriod is how long a cluster may go without reporting before its
	// Ready condition becomes Unknown. Default 40s.
	// +optional
	ClusterMonitorGracePeriod *metav1.Duration `json:"clusterMonitorGracePeriod,omitempty"`

	// ClusterStartupGracePeriod is ClusterMonitorGracePeriod for a cluster that never
	// reported. Default 60s.
	// +optional
	ClusterStartupGracePeriod *metav1.Duration `json:"clusterStartupGracePeriod,omitempty"`

	// ClusterSuccessThreshold is how long a recovered cluster must stay healthy before it is
	// Ready again. Default 30s.
	// +optional
	ClusterSuccessThreshold *metav1.Duration `json:"clusterSuccessThreshold,omitempty"`

	// ClusterFailureThreshold is how long a cluster must stay unhealthy before it stops being
	// Ready. Default 30s.
	// +optional
	ClusterFailureThreshold *metav1.Duration `json:"clusterFailureThreshold,omitempty"`
}

// FleetStatusConfig configures the status ref.
type FleetStatusConfig struct {
	// HeartbeatInterval is how often a status that did not change meaningfully is committed
	// anyway, so readers can tell a live hub from a dead one. Coarse on purpose: the history
	// stays small. Default 5m.
	// +optional
	HeartbeatInterval *metav1.Duration `json:"heartbeatInterval,omitempty"`
}

// FleetDeschedulerConfig configures the descheduler, which moves replicas that cannot be
// scheduled in their cluster to clusters with room.
type FleetDeschedulerConfig struct {
	// Enabled runs the descheduler. Default false.
	// +optional
	Enabled *bool `json:"enabled,omitempty"`

	// DeschedulingInterval is the time between two descheduler runs. Default 2m.
	// +optional
	DeschedulingInterval *metav1.Duration `json:"deschedulingInterval,omitempty"`

	// UnschedulableThreshold is how long a pod must have been unschedulable before its replica
	// counts as unschedulable. Default 5m.
	// +optional
	UnschedulableThreshold *metav1.Duration `json:"unschedulableThreshold,omitempty"`
}

// DefaultFleetConfig returns the configuration that applies when the source has no
// FleetConfig: every field set to its default.
func DefaultFleetConfig() *FleetConfig {
	c := &FleetConfig{
		TypeMeta: metav1.TypeMeta{
			APIVersion: GitfleetGroupVersion.String(),
			Kind:       ResourceKindFleetConfig,
		},
		ObjectMeta: metav1.ObjectMeta{Name: "fleet"},
	}
	SetDefaultsFleetConfig(c)
	return c
}

// SetDefaultsFleetConfig fills every unset field of c with its default; fields already set,
// including an explicitly empty SkippedPropagatingNamespaces, are kept. A metadata.namespace
// is dropped: FleetConfig is cluster-scoped.
func SetDefaultsFleetConfig(c *FleetConfig) {
	c.Namespace = ""

	f := &c.Spec.Failover
	fleetDefaultBool(&f.Enabled, DefaultFailoverEnabled)
	fleetDefaultBool(&f.NoExecuteTaintEviction, DefaultNoExecuteTaintEviction)
	if f.NoExecuteTaintEvictionPurgeMode == "" {
		f.NoExecuteTaintEvictionPurgeMode = DefaultNoExecuteTaintEvictionPurgeMode
	}
	fleetDefaultDuration(&f.GracefulEvictionTimeout, DefaultGracefulEvictionTimeout)
	fleetDefaultBool(&f.AllowNoExecuteTaintPolicy, false)
	if strings.TrimSpace(f.ResourceEvictionRate) == "" {
		f.ResourceEvictionRate = DefaultResourceEvictionRate
	}

	s := &c.Spec.Scheduling
	fleetDefaultBool(&s.EnableEmptyWorkloadPropagation, DefaultEnableEmptyWorkloadPropagation)
	fleetDefaultBool(&s.PropagationPolicyPreemption, DefaultPropagationPolicyPreemption)

	if c.Spec.Propagation.SkippedPropagatingNamespaces == nil {
		c.Spec.Propagation.SkippedPropagatingNamespaces = DefaultSkippedPropagatingNamespaces()
	}

	h := &c.Spec.Health
	fleetDefaultDuration(&h.ClusterMonitorPeriod, DefaultClusterMonitorPeriod)
	fleetDefaultDuration(&h.ClusterMonitorGracePeriod, DefaultClusterMonitorGracePeriod)
	fleetDefaultDuration(&h.ClusterStartupGracePeriod, DefaultClusterStartupGracePeriod)
	fleetDefaultDuration(&h.ClusterSuccessThreshold, DefaultClusterSuccessThreshold)
	fleetDefaultDuration(&h.ClusterFailureThreshold, DefaultClusterFailureThreshold)

	fleetDefaultDuration(&c.Spec.Status.HeartbeatInterval, DefaultStatusHeartbeatInterval)

	d := &c.Spec.Descheduler
	fleetDefaultBool(&d.Enabled, DefaultDeschedulerEnabled)
	fleetDefaultDuration(&d.DeschedulingInterval, DefaultDeschedulingInterval)
	fleetDefaultDuration(&d.UnschedulableThreshold, DefaultUnschedulableThreshold)
}

func fleetDefaultBool(p **bool, v bool) {
	if *p == nil {
		*p = &v
	}
}

func fleetDefaultDuration(p **metav1.Duration, v time.Duration) {
	if *p == nil {
		*p = &metav1.Duration{Duration: v}
	}
}
