package v1alpha1

import (
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// TestDefaultFleetConfig checks every default against Karmada's flag defaults (reference §10)
// and gitfleet's heartbeat.
func TestDefaultFleetConfig(t *testing.T) {
	c := DefaultFleetConfig()
	if c.APIVersion != "gitfleet.io/v1alpha1" || c.Kind != "FleetConfig" {
		t.Errorf("type = %s %s", c.APIVersion, c.Kind)
	}
	s := c.Spec
	bools := []struct {
		name string
		got  *bool
		want bool
	}{
		{"failover.enabled", s.Failover.Enabled, false},
		{"failover.noExecuteTaintEviction", s.Failover.NoExecuteTaintEviction, false},
		{"scheduling.enableEmptyWorkloadPropagation", s.Scheduling.EnableEmptyWorkloadPropagation, false},
		{"scheduling.propagationPolicyPreemption", s.Scheduling.PropagationPolicyPreemption, false},
		{"descheduler.enabled", s.Descheduler.Enabled, false},
	}
	for _, b := range bools {
		if b.got == nil || *b.got != b.want {
			t.Errorf("%s = %v, want %v", b.name, b.got, b.want)
		}
	}
	durations := []struct {
		name string
		got  time.Duration
		want time.Duration
	}{
		{"failover.gracefulEvictionTimeout", s.Failover.GracefulEvictionTimeout.Duration, 10 * time.Minute},
		{"health.clusterMonitorPeriod", s.Health.ClusterMonitorPeriod.Duration, 5 * time.Second},
		{"health.clusterMonitorGracePeriod", s.Health.ClusterMonitorGracePeriod.Duration, 40 * time.Second},
		{"health.clusterStartupGracePeriod", s.Health.ClusterStartupGracePeriod.Duration, 60 * time.Second},
		{"health.clusterSuccessThreshold", s.Health.ClusterSuccessThreshold.Duration, 30 * time.Second},
		{"health.clusterFailureThreshold", s.Health.ClusterFailureThreshold.Duration, 30 * time.Second},
		{"status.heartbeatInterval", s.Status.HeartbeatInterval.Duration, 5 * time.Minute},
		{"descheduler.deschedulingInterval", s.Descheduler.DeschedulingInterval.Duration, 2 * time.Minute},
		{"descheduler.unschedulableThreshold", s.Descheduler.UnschedulableThreshold.Duration, 5 * time.Minute},
	}
	for _, d := range durations {
		if d.got != d.want {
			t.Errorf("%s = %s, want %s", d.name, d.got, d.want)
		}
	}
	if s.Failover.NoExecuteTaintEvictionPurgeMode != "Gracefully" {
		t.Errorf("noExecuteTaintEvictionPurgeMode = %q, want Gracefully", s.Failover.NoExecuteTaintEvictionPurgeMode)
	}
	if rate, err := s.Failover.EvictionRate(); err != nil || rate != 0.5 {
		t.Errorf("eviction rate = %v, %v; want 0.5", rate, err)
	}
	if got := s.Propagation.SkippedPropagatingNamespaces; len(got) != 1 || got[0] != "kube-.*" {
		t.Errorf("skippedPropagatingNamespaces = %v, want [kube-.*]", got)
	}
}

// TestFleetConfigYAML reads the documented example strictly and checks that what is written
// is kept and only what is missing is defaulted.
func TestFleetConfigYAML(t *testing.T) {
	const doc = `
apiVersion: gitfleet.io/v1alpha1
kind: FleetConfig
metadata: {name: fleet}
spec:
  failover:
    enabled: true
    noExecuteTaintEviction: true
    noExecuteTaintEvictionPurgeMode: Directly
    gracefulEvictionTimeout: 3m
    resourceEvictionRate: "2"
  scheduling:
    enableEmptyWorkloadPropagation: true
  propagation:
    skippedPropagatingNamespaces: []
  health:
    clusterMonitorPeriod: 1s
  status:
    heartbeatInterval: 1h
  descheduler:
    enabled: true
    unschedulableThreshold: 30s
`
	var c FleetConfig
	if err := yaml.UnmarshalStrict([]byte(doc), &c); err != nil {
		t.Fatalf("strict decode: %v", err)
	}
	SetDefaultsFleetConfig(&c)
	s := c.Spec
	if !*s.Failover.Enabled || !*s.Failover.NoExecuteTaintEviction || s.Failover.NoExecuteTaintEvictionPurgeMode != PurgeModeDirectly {
		t.Errorf("failover switches not kept: %+v", s.Failover)
	}
	if s.Failover.GracefulEvictionTimeout.Duration != 3*time.Minute {
		t.Errorf("gracefulEvictionTimeout = %s, want 3m", s.Failover.GracefulEvictionTimeout.Duration)
	}
	if rate, err := s.Failover.EvictionRate(); err != nil || rate != 2 {
		t.Errorf("eviction rate = %v, %v; want 2", rate, err)
	}
	if !*s.Scheduling.EnableEmptyWorkloadPropagation || *s.Scheduling.PropagationPolicyPreemption {
		t.Errorf("scheduling = %+v, want empty-workload propagation on and preemption defaulted off", s.Scheduling)
	}
	if s.Propagation.SkippedPropagatingNamespaces == nil || len(s.Propagation.SkippedPropagatingNamespaces) != 0 {
		t.Errorf("skippedPropagatingNamespaces = %#v, want the explicit empty list kept", s.Propagation.SkippedPropagatingNamespaces)
	}
	if s.Health.ClusterMonitorPeriod.Duration != time.Second || s.Health.ClusterMonitorGracePeriod.Duration != 40*time.Second {
		t.Errorf("health = %+v, want monitor period 1s and grace period defaulted to 40s", s.Health)
	}
	if s.Status.HeartbeatInterval.Duration != time.Hour {
		t.Errorf("heartbeatInterval = %s, want 1h", s.Status.HeartbeatInterval.Duration)
	}
	if !*s.Descheduler.Enabled || s.Descheduler.UnschedulableThreshold.Duration != 30*time.Second ||
		s.Descheduler.DeschedulingInterval.Duration != 2*time.Minute {
		t.Errorf("descheduler = %+v", s.Descheduler)
	}
}

func TestFleetConfigUnknownFieldRejected(t *testing.T) {
	const doc = `
apiVersion: gitfleet.io/v1alpha1
kind: FleetConfig
metadata: {name: fleet}
spec:
  failover:
    enable: true
`
	var c FleetConfig
	if err := yaml.UnmarshalStrict([]byte(doc), &c); err == nil {
		t.Error("a misspelt field was accepted")
	}
}

func TestFleetConfigEvictionRate(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{in: "", want: 0.5},
		{in: "0.5", want: 0.5},
		{in: " 3 ", want: 3},
		{in: "0", want: 0},
		{in: "-1", want: -1},
		{in: "fast", wantErr: true},
		{in: "Inf", wantErr: true},
		{in: "NaN", wantErr: true},
	}
	for _, tt := range tests {
		f := FleetFailoverConfig{ResourceEvictionRate: tt.in}
		got, err := f.EvictionRate()
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("EvictionRate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
