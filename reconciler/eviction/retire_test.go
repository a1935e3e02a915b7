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

// rendered is the binding as a render that saw a task from "a" writes it: moved to the
// targets, the task copied into spec.gracefulEvictionTasks.
func rendered(targets ...string) *v1alpha1.ResourceBinding {
	b := deployment("web", targets...)
	b.Spec.GracefulEvictionTasks = []v1alpha1.GracefulEvictionTask{task("a", 0)}
	return b
}

func health(b *v1alpha1.ResourceBinding, h map[string]v1alpha1.ResourceHealth) map[renderer.ObjectKey]map[string]v1alpha1.ResourceHealth {
	return map[renderer.ObjectKey]map[string]v1alpha1.ResourceHealth{keyOf(b): h}
}

// A task is retired once the render has moved the workload off the cluster and every new
// target reports it Healthy — and not before.
func TestRetireByHealth(t *testing.T) {
	healthy, unhealthy := v1alpha1.ResourceHealthy, v1alpha1.ResourceUnhealthy
	cases := []struct {
		name    string
		binding *v1alpha1.ResourceBinding
		health  map[string]v1alpha1.ResourceHealth
		retired bool
	}{
		{name: "rendered with the task, all targets Healthy", binding: rendered("b", "c"),
			health: map[string]v1alpha1.ResourceHealth{"b": healthy, "c": healthy, "a": unhealthy}, retired: true},
		{name: "the render has not seen the task yet", binding: deployment("web", "b", "c"),
			health: map[string]v1alpha1.ResourceHealth{"b": healthy, "c": healthy}},
		{name: "the cluster is still a target", binding: rendered("a", "b"),
			health: map[string]v1alpha1.ResourceHealth{"a": healthy, "b": healthy}},
		{name: "one new target Unhealthy", binding: rendered("b", "c"),
			health: map[string]v1alpha1.ResourceHealth{"b": healthy, "c": unhealthy}},
		{name: "one new target Unknown", binding: rendered("b", "c"),
			health: map[string]v1alpha1.ResourceHealth{"b": healthy, "c": v1alpha1.ResourceUnknown}},
		{name: "one new target without fresh health", binding: rendered("b", "c"),
			health: map[string]v1alpha1.ResourceHealth{"b": healthy}},
		{name: "no target clusters at all", binding: rendered(), health: map[string]v1alpha1.ResourceHealth{"b": healthy}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			r := eviction.Decide(eviction.Input{
				Now:      at(time.Minute),
				Failover: failover(true, true),
				Clusters: clusters("a", "b", "c"),
				Bindings: bindings(tc.binding),
				Health:   health(tc.binding, tc.health),
				Previous: previous(tc.binding, task("a", 0)),
			})
			if tc.retired {
				g.Expect(fromClusters(r)).To(BeEmpty())
				g.Expect(r.Changes).To(Equal([]string{"apps/v1 Deployment default/web from a: retired: the workload is Healthy on every target cluster (b, c)"}))
				g.Expect(r.NextCheck.IsZero()).To(BeTrue())
			} else {
				g.Expect(fromClusters(r)).To(Equal([]string{"default/web<-a"}))
				g.Expect(r.Changes).To(BeEmpty())
				g.Expect(r.NextCheck).To(Equal(at(10*time.Minute)), "kept until the grace period passes")
			}
		})
	}
}

// The grace period is the task's gracePeriodSeconds, else the fleet's
// gracefulEvictionTimeout; its exact end counts as passed.
func TestRetireByGracePeriod(t *testing.T) {
	own := task("a", 0)
	own.GracePeriodSeconds = ptr.To[int32](60)
	cases := []struct {
		name      string
		task      v1alpha1.GracefulEvictionTask
		timeout   time.Duration
		now       time.Duration
		retired   string
		nextCheck time.Time
	}{
		{name: "fleet default 10m, a second before", task: task("a", 0), now: 10*time.Minute - time.Second, nextCheck: at(10 * time.Minute)},
		{name: "fleet default 10m, at the end", task: task("a", 0), now: 10 * time.Minute, retired: "grace period 10m0s passed"},
		{name: "fleet timeout 2m", task: task("a", 0), timeout: 2 * time.Minute, now: 2 * time.Minute, retired: "grace period 2m0s passed"},
		{name: "the task's own 60s, before", task: own, now: 59 * time.Second, nextCheck: at(time.Minute)},
		{name: "the task's own 60s, at the end", task: own, now: time.Minute, retired: "grace period 1m0s passed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			f := failover(true, true)
			if tc.timeout != 0 {
				f.GracefulEvictionTimeout = &metav1.Duration{Duration: tc.timeout}
			}
			b := deployment("web", "b")
			r := eviction.Decide(eviction.Input{Now: at(tc.now), Failover: f, Clusters: clusters("a", "b"), Bindings: bindings(b), Previous: previous(b, tc.task)})
			if tc.retired != "" {
				g.Expect(fromClusters(r)).To(BeEmpty())
				g.Expect(r.Changes).To(Equal([]string{"apps/v1 Deployment default/web from a: retired: " + tc.retired}))
				return
			}
			g.Expect(fromClusters(r)).To(Equal([]string{"default/web<-a"}))
			g.Expect(r.NextCheck).To(Equal(tc.nextCheck))
		})
	}
}

// suppressDeletion true keeps a task past every grace period and despite health; false
// retires it at once.
func TestRetireSuppressDeletion(t *testing.T) {
	g := NewWithT(t)
	b := rendered("b")
	keep, drop := task("a", 0), task("c", 0)
	keep.SuppressDeletion, drop.SuppressDeletion = ptr.To(true), ptr.To(false)
	r := eviction.Decide(eviction.Input{
		Now:      at(24 * time.Hour),
		Failover: failover(true, true),
		Clusters: clusters("a", "b", "c"),
		Bindings: bindings(b),
		Health:   health(b, map[string]v1alpha1.ResourceHealth{"b": v1alpha1.ResourceHealthy}),
		Previous: previous(b, drop, keep),
	})
	g.Expect(fromClusters(r)).To(Equal([]string{"default/web<-a"}))
	g.Expect(r.Changes).To(Equal([]string{"apps/v1 Deployment default/web from c: retired: suppressDeletion is false"}))
	g.Expect(r.NextCheck.IsZero()).To(BeTrue(), "nothing happens to a suppressed task by itself")
}

// A task without creationTimestamp gets the decision time and is kept, whatever else holds.
func TestRetireStampsCreation(t *testing.T) {
	g := NewWithT(t)
	b := rendered("b")
	unstamped := task("a", 0)
	unstamped.CreationTimestamp = nil
	r := eviction.Decide(eviction.Input{
		Now:      at(5*time.Second + 300*time.Millisecond),
		Failover: failover(true, true),
		Clusters: clusters("a", "b"),
		Bindings: bindings(b),
		Health:   health(b, map[string]v1alpha1.ResourceHealth{"b": v1alpha1.ResourceHealthy}),
		Previous: previous(b, unstamped),
	})
	g.Expect(onlyTask(r).CreationTimestamp).To(Equal(&metav1.Time{Time: at(5 * time.Second)}))
	g.Expect(r.Changes).To(Equal([]string{"apps/v1 Deployment default/web from a: creationTimestamp set to 2026-11-27T10:00:05Z"}))
	g.Expect(r.NextCheck).To(Equal(at(5*time.Second + 10*time.Minute)))
	g.Expect(unstamped.CreationTimestamp).To(BeNil(), "the input is not changed")
}

// Tasks of bindings that are no longer rendered, and of clusters that left the fleet, are
// dropped.
func TestRetireDropsOrphans(t *testing.T) {
	g := NewWithT(t)
	web, gone := deployment("web", "b"), deployment("gone", "b")
	r := eviction.Decide(eviction.Input{
		Now:      at(time.Minute),
		Failover: failover(true, true),
		Clusters: clusters("a", "b"),
		Bindings: bindings(web),
		Previous: &v1alpha1.EvictionDecisions{Bindings: []v1alpha1.BindingEvictions{
			{Resource: gone.Spec.Resource, Tasks: []v1alpha1.GracefulEvictionTask{task("a", 0)}},
			{Resource: web.Spec.Resource, Tasks: []v1alpha1.GracefulEvictionTask{task("a", 0), task("left", 0)}},
		}},
	})
	g.Expect(fromClusters(r)).To(Equal([]string{"default/web<-a"}))
	g.Expect(r.Changes).To(Equal([]string{
		"apps/v1 Deployment default/gone from a: retired: the binding is no longer rendered",
		"apps/v1 Deployment default/web from left: retired: the cluster left the fleet",
	}))
}
