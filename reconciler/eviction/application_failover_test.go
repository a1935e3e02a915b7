package eviction_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/eviction"
	"github.com/gitfleet/gitfleet/renderer"
)

// app is the binding of a Deployment whose policy asks for application failover.
func app(behavior v1alpha1.ApplicationFailoverBehavior, targets ...string) *v1alpha1.ResourceBinding {
	b := deployment("web", targets...)
	b.Spec.PropagateDeps = true
	b.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &behavior}
	return b
}

// appFailover runs Decide at t0+now with the workload's health on each cluster, carrying the
// memory over from the previous run.
type appFailover struct {
	binding  *v1alpha1.ResourceBinding
	failover v1alpha1.FleetFailoverConfig
	memory   map[renderer.ObjectKey]map[string]time.Time
	previous *v1alpha1.EvictionDecisions
}

func (a *appFailover) at(now time.Duration, h map[string]v1alpha1.ResourceHealth) eviction.Result {
	r := eviction.Decide(eviction.Input{
		Now:            at(now),
		Failover:       a.failover,
		Clusters:       clusters("a", "b", "c"),
		Bindings:       bindings(a.binding),
		Health:         health(a.binding, h),
		Previous:       a.previous,
		UnhealthySince: a.memory,
	})
	a.memory, a.previous = r.UnhealthySince, r.Decisions
	return r
}

// since is when the memory says the workload became Unhealthy on cluster (zero: no timer).
func (a *appFailover) since(cluster string) time.Time {
	return a.memory[keyOf(a.binding)][cluster]
}

var (
	unhealthyOnA = map[string]v1alpha1.ResourceHealth{"a": v1alpha1.ResourceUnhealthy, "b": v1alpha1.ResourceHealthy}
	healthyOnAll = map[string]v1alpha1.ResourceHealth{"a": v1alpha1.ResourceHealthy, "b": v1alpha1.ResourceHealthy}
)

// The workload is evicted once it has been Unhealthy for more than tolerationSeconds
// (default 300), counted from the first sighting.
func TestApplicationFailoverTimer(t *testing.T) {
	g := NewWithT(t)
	a := &appFailover{binding: app(v1alpha1.ApplicationFailoverBehavior{}, "a", "b"), failover: failover(true, false)}

	r := a.at(10*time.Second, unhealthyOnA)
	g.Expect(fromClusters(r)).To(BeEmpty())
	g.Expect(a.since("a")).To(Equal(at(10 * time.Second)))
	g.Expect(a.since("b").IsZero()).To(BeTrue(), "a Healthy cluster has no timer")
	g.Expect(r.NextCheck).To(Equal(at(310*time.Second+time.Nanosecond)), "the first instant past the tolerance")

	r = a.at(310*time.Second, unhealthyOnA)
	g.Expect(fromClusters(r)).To(BeEmpty(), "exactly the tolerance is not more than it")
	g.Expect(a.since("a")).To(Equal(at(10*time.Second)), "the timer keeps its start")

	r = a.at(311*time.Second, unhealthyOnA)
	g.Expect(fromClusters(r)).To(Equal([]string{"default/web<-a"}))
	g.Expect(r.Changes).To(Equal([]string{"apps/v1 Deployment default/web from a: created (ApplicationFailure, purgeMode Gracefully): " +
		"the workload has been Unhealthy since 2026-11-27T10:00:10Z, longer than the 5m0s tolerated"}))
	g.Expect(a.memory).To(BeEmpty(), "an evicted cluster needs no timer")
	tk := onlyTask(r)
	g.Expect(tk.Producer).To(Equal(v1alpha1.EvictionProducerResourceBindingApplicationFailover))
	g.Expect(tk.GracePeriodSeconds).To(Equal(ptr.To[int32](600)))
	g.Expect(tk.ClustersBeforeFailover).To(Equal([]string{"a", "b"}))
	g.Expect(tk.Replicas).To(Equal(ptr.To[int32](2)))
	g.Expect(tk.CreationTimestamp).To(Equal(&metav1.Time{Time: at(311 * time.Second)}))
	g.Expect(r.NextCheck).To(Equal(at(911*time.Second)), "the task's grace period")

	r = a.at(320*time.Second, unhealthyOnA)
	g.Expect(fromClusters(r)).To(Equal([]string{"default/web<-a"}), "no second task")
	g.Expect(r.Changes).To(BeEmpty())
	g.Expect(a.memory).To(BeEmpty(), "a cluster being evicted starts no timer")
}

// Healthy, Unknown and no fresh health each reset the timer; so does a tolerance of zero
// need a second sighting.
func TestApplicationFailoverReset(t *testing.T) {
	for name, h := range map[string]map[string]v1alpha1.ResourceHealth{
		"Healthy":         healthyOnAll,
		"Unknown":         {"a": v1alpha1.ResourceUnknown, "b": v1alpha1.ResourceHealthy},
		"no fresh health": {"b": v1alpha1.ResourceHealthy},
	} {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			a := &appFailover{binding: app(v1alpha1.ApplicationFailoverBehavior{}, "a", "b"), failover: failover(true, false)}
			a.at(0, unhealthyOnA)
			r := a.at(200*time.Second, h)
			g.Expect(a.memory).To(BeEmpty())
			g.Expect(r.NextCheck.IsZero()).To(BeTrue())
			a.at(250*time.Second, unhealthyOnA)
			g.Expect(a.since("a")).To(Equal(at(250*time.Second)), "the timer starts over")
			g.Expect(fromClusters(a.at(400*time.Second, unhealthyOnA))).To(BeEmpty())
			g.Expect(fromClusters(a.at(551*time.Second, unhealthyOnA))).To(Equal([]string{"default/web<-a"}))
		})
	}

	g := NewWithT(t)
	a := &appFailover{binding: app(v1alpha1.ApplicationFailoverBehavior{
		DecisionConditions: v1alpha1.DecisionConditions{TolerationSeconds: ptr.To[int32](0)}}, "a", "b"), failover: failover(true, false)}
	g.Expect(fromClusters(a.at(0, unhealthyOnA))).To(BeEmpty(), "tolerance 0: not on the first sighting")
	g.Expect(fromClusters(a.at(time.Second, unhealthyOnA))).To(Equal([]string{"default/web<-a"}))
}

// The policy's purgeMode decides how the old copy goes.
func TestApplicationFailoverPurgeMode(t *testing.T) {
	cases := []struct {
		name     string
		behavior v1alpha1.ApplicationFailoverBehavior
		want     v1alpha1.GracefulEvictionTask
	}{
		{name: "empty means Gracefully, 600s", want: v1alpha1.GracefulEvictionTask{PurgeMode: v1alpha1.PurgeModeGracefully, GracePeriodSeconds: ptr.To[int32](600)}},
		{name: "Gracefully with the policy's grace period",
			behavior: v1alpha1.ApplicationFailoverBehavior{PurgeMode: v1alpha1.PurgeModeGracefully, GracePeriodSeconds: ptr.To[int32](120)},
			want:     v1alpha1.GracefulEvictionTask{PurgeMode: v1alpha1.PurgeModeGracefully, GracePeriodSeconds: ptr.To[int32](120)}},
		{name: "Never suppresses deletion", behavior: v1alpha1.ApplicationFailoverBehavior{PurgeMode: v1alpha1.PurgeModeNever},
			want: v1alpha1.GracefulEvictionTask{PurgeMode: v1alpha1.PurgeModeNever, SuppressDeletion: ptr.To(true)}},
		{name: "Directly", behavior: v1alpha1.ApplicationFailoverBehavior{PurgeMode: v1alpha1.PurgeModeDirectly},
			want: v1alpha1.GracefulEvictionTask{PurgeMode: v1alpha1.PurgeModeDirectly}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			a := &appFailover{binding: app(tc.behavior, "a", "b"), failover: failover(true, false)}
			a.at(0, unhealthyOnA)
			tk := onlyTask(a.at(time.Hour, unhealthyOnA))
			g.Expect([]any{tk.PurgeMode, tk.GracePeriodSeconds, tk.SuppressDeletion}).To(Equal([]any{tc.want.PurgeMode, tc.want.GracePeriodSeconds, tc.want.SuppressDeletion}))
		})
	}
}

// Application failover applies only with failover.enabled, to bindings that ask for it and
// propagate their dependencies; a cluster-scoped template's task names its own producer.
func TestApplicationFailoverScope(t *testing.T) {
	g := NewWithT(t)

	a := &appFailover{binding: app(v1alpha1.ApplicationFailoverBehavior{}, "a", "b"), failover: failover(false, false)}
	a.at(0, unhealthyOnA)
	g.Expect(fromClusters(a.at(time.Hour, unhealthyOnA))).To(BeEmpty(), "failover disabled")
	g.Expect(a.memory).To(BeEmpty())

	noDeps := app(v1alpha1.ApplicationFailoverBehavior{}, "a", "b")
	noDeps.Spec.PropagateDeps = false
	a = &appFailover{binding: noDeps, failover: failover(true, false)}
	a.at(0, unhealthyOnA)
	g.Expect(fromClusters(a.at(time.Hour, unhealthyOnA))).To(BeEmpty(), "propagateDeps false")
	g.Expect(a.memory).To(BeEmpty())

	a = &appFailover{binding: deployment("web", "a", "b"), failover: failover(true, false)}
	a.at(0, unhealthyOnA)
	g.Expect(fromClusters(a.at(time.Hour, unhealthyOnA))).To(BeEmpty(), "no failover.application")

	crb := app(v1alpha1.ApplicationFailoverBehavior{}, "a", "b")
	crb.Kind, crb.Namespace = v1alpha1.ResourceKindClusterResourceBinding, ""
	crb.Spec.Resource = v1alpha1.ObjectReference{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "reader"}
	a = &appFailover{binding: crb, failover: failover(true, false)}
	a.at(0, unhealthyOnA)
	g.Expect(onlyTask(a.at(time.Hour, unhealthyOnA)).Producer).To(Equal(v1alpha1.EvictionProducerClusterResourceBindingApplicationFailover))
}

// Timers of bindings that are gone, or of clusters no longer targeted, are forgotten.
func TestApplicationFailoverForgets(t *testing.T) {
	g := NewWithT(t)
	b := app(v1alpha1.ApplicationFailoverBehavior{}, "a", "b")
	gone := renderer.ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "default", Name: "gone"}
	r := eviction.Decide(eviction.Input{
		Now:      at(time.Minute),
		Failover: failover(true, false),
		Clusters: clusters("a", "b"),
		Bindings: bindings(b),
		Health:   health(b, unhealthyOnA),
		UnhealthySince: map[renderer.ObjectKey]map[string]time.Time{
			keyOf(b): {"a": t0, "c": t0},
			gone:     {"a": t0},
		},
	})
	g.Expect(r.UnhealthySince).To(Equal(map[renderer.ObjectKey]map[string]time.Time{keyOf(b): {"a": t0}}))
	g.Expect(r.NextCheck).To(Equal(at(300*time.Second + time.Nanosecond)))
}
