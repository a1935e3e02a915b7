package validation

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func fleetDuration(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

func TestValidateFleetConfig(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *v1alpha1.FleetConfig)
		want   []fieldErrorWant
	}{
		{name: "nothing set", mutate: func(c *v1alpha1.FleetConfig) { c.Spec = v1alpha1.FleetConfigSpec{} }},
		{name: "defaults", mutate: func(*v1alpha1.FleetConfig) {}},
		{name: "directly purged evictions", mutate: func(c *v1alpha1.FleetConfig) {
			c.Spec.Failover.NoExecuteTaintEvictionPurgeMode = v1alpha1.PurgeModeDirectly
		}},
		{name: "eviction rate zero pauses evictions", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Failover.ResourceEvictionRate = "0" }},
		{name: "no skipped namespaces", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Propagation.SkippedPropagatingNamespaces = []string{} }},

		{name: "name missing", mutate: func(c *v1alpha1.FleetConfig) { c.Name = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "metadata.name", "name or generateName is required"}}},
		{name: "purge mode Never", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Failover.NoExecuteTaintEvictionPurgeMode = v1alpha1.Never },
			want: []fieldErrorWant{{field.ErrorTypeNotSupported, "spec.failover.noExecuteTaintEvictionPurgeMode", `supported values: "Gracefully", "Directly"`}}},
		{name: "graceful eviction timeout zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Failover.GracefulEvictionTimeout = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.failover.gracefulEvictionTimeout", "must be greater than 0"}}},
		{name: "eviction rate not a number", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Failover.ResourceEvictionRate = "fast" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.failover.resourceEvictionRate", "must be a decimal number"}}},
		{name: "eviction rate not finite", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Failover.ResourceEvictionRate = "NaN" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.failover.resourceEvictionRate", "must be a decimal number"}}},
		{name: "eviction rate negative", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Failover.ResourceEvictionRate = "-0.5" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.failover.resourceEvictionRate", "must be non-negative"}}},
		{name: "skipped namespace pattern does not compile", mutate: func(c *v1alpha1.FleetConfig) {
			c.Spec.Propagation.SkippedPropagatingNamespaces = []string{"kube-.*", "team-(a"}
		}, want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.propagation.skippedPropagatingNamespaces[1]", "Invalid namespace regular expression"}}},
		{name: "cluster monitor period zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Health.ClusterMonitorPeriod = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.health.clusterMonitorPeriod", "must be greater than 0"}}},
		{name: "cluster monitor grace period negative", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Health.ClusterMonitorGracePeriod = fleetDuration(-time.Second) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.health.clusterMonitorGracePeriod", "must be greater than 0"}}},
		{name: "cluster startup grace period zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Health.ClusterStartupGracePeriod = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.health.clusterStartupGracePeriod", "must be greater than 0"}}},
		{name: "cluster success threshold zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Health.ClusterSuccessThreshold = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.health.clusterSuccessThreshold", "must be greater than 0"}}},
		{name: "cluster failure threshold zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Health.ClusterFailureThreshold = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.health.clusterFailureThreshold", "must be greater than 0"}}},
		{name: "heartbeat interval zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Status.HeartbeatInterval = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.status.heartbeatInterval", "must be greater than 0"}}},
		{name: "descheduling interval zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Descheduler.DeschedulingInterval = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.descheduler.deschedulingInterval", "must be greater than 0"}}},
		{name: "unschedulable threshold zero", mutate: func(c *v1alpha1.FleetConfig) { c.Spec.Descheduler.UnschedulableThreshold = fleetDuration(0) },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.descheduler.unschedulableThreshold", "must be greater than 0"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := v1alpha1.DefaultFleetConfig()
			tt.mutate(c)
			expectFieldErrors(t, ValidateFleetConfig(c), tt.want)
		})
	}
}
