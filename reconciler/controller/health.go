package controller

import (
	"sync"
	"time"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// healthMonitor turns the probes of Push clusters into their Ready condition over time, as
// Karmada's cluster controller does with cluster leases: a cluster the hub cannot reach
// keeps its last status for the monitor grace period — counted from the last time the hub
// reached it — and is Ready=Unknown after it. A cluster the hub never reached gets the
// startup grace period, counted from when this hub first saw it (so a restarted hub gives
// every cluster its grace again rather than trusting a clock from the previous process).
type healthMonitor struct {
	mu          sync.Mutex
	lastReached map[string]time.Time
	firstSeen   map[string]time.Time
	// lastReport is the report commit last folded, per Pull cluster.
	lastReport map[string]string
}

func newHealthMonitor() *healthMonitor {
	return &healthMonitor{lastReached: map[string]time.Time{}, firstSeen: map[string]time.Time{}, lastReport: map[string]string{}}
}

// newReport reports whether cluster's report ref at commit is news: a commit this hub has
// not folded into a status commit yet (every report is a new commit, heartbeat included).
func (m *healthMonitor) newReport(cluster, commit string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastReport[cluster] != commit
}

// folded records the report commits a status commit holds, by cluster; until then a report
// stays news, so that a status commit that failed does not lose it.
func (m *healthMonitor) folded(commits map[string]string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for cluster, commit := range commits {
		m.lastReport[cluster] = commit
	}
}

// graceSettings are the FleetConfig's health settings the monitor uses.
type graceSettings struct {
	monitor, startup time.Duration
}

func graceFrom(cfg *v1alpha1.FleetConfig) graceSettings {
	h := cfg.Spec.Health
	g := graceSettings{monitor: v1alpha1.DefaultClusterMonitorGracePeriod, startup: v1alpha1.DefaultClusterStartupGracePeriod}
	if h.ClusterMonitorGracePeriod != nil {
		g.monitor = h.ClusterMonitorGracePeriod.Duration
	}
	if h.ClusterStartupGracePeriod != nil {
		g.startup = h.ClusterStartupGracePeriod.Duration
	}
	return g
}

// observe returns the status to record for what was heard from cluster at now — a probe
// by the hub (Push) or an agent's report (Pull); fresh is false when nothing new was heard
// (the agent's report ref did not change). It is the status heard when the cluster was
// reached; nil (keep the previous status) while a silent or unreachable cluster is within its
// grace period; and the previous status with Ready=Unknown after it. previousReady tells
// whether the status tree already has a Ready condition for the cluster (then the monitor
// grace period applies, otherwise the startup one). The second result says whether the
// cluster was reached.
func (m *healthMonitor) observe(cluster string, heard *v1alpha1.ClusterStatus, fresh, previousReady bool, now time.Time,
	grace graceSettings) (*v1alpha1.ClusterStatus, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.firstSeen[cluster]; !ok {
		m.firstSeen[cluster] = now
	}
	if heard == nil && fresh {
		return nil, false
	}
	if fresh {
		ready := apimeta.FindStatusCondition(heard.Conditions, v1alpha1.ClusterConditionReady)
		if ready == nil || ready.Reason != v1alpha1.ClusterReasonNotReachable {
			m.lastReached[cluster] = now
			return heard, true
		}
	}
	since, period := m.lastReached[cluster], grace.monitor
	if since.IsZero() {
		since = m.firstSeen[cluster]
		if !previousReady {
			period = grace.startup
		}
	}
	if now.Before(since.Add(period)) {
		return nil, false
	}
	unknown := &v1alpha1.ClusterStatus{}
	cond := metav1.Condition{Type: v1alpha1.ClusterConditionReady, Status: metav1.ConditionUnknown,
		Reason: v1alpha1.ClusterReasonStatusUnknown, Message: v1alpha1.ClusterMessageStatusUnknown,
		LastTransitionTime: metav1.NewTime(now.UTC().Truncate(time.Second))}
	if !previousReady {
		cond.Reason, cond.Message = v1alpha1.ClusterReasonStatusNeverUpdated, v1alpha1.ClusterMessageStatusNeverUpdated
	}
	apimeta.SetStatusCondition(&unknown.Conditions, cond)
	return unknown, false
}

// recordedReady returns the status of the Ready condition the status view records for
// cluster; "" when there is none.
func recordedReady(view *renderer.StatusView, cluster string) metav1.ConditionStatus {
	if status := view.Clusters[cluster]; status != nil {
		if ready := apimeta.FindStatusCondition(status.Conditions, v1alpha1.ClusterConditionReady); ready != nil {
			return ready.Status
		}
	}
	return ""
}
