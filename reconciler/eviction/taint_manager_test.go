package eviction_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/eviction"
)

// The taint manager evicts from a target cluster whose NoExecute taints the placement does
// not tolerate, or tolerates for a tolerationSeconds counted from the taint's timeAdded.
func TestTaintManagerTolerations(t *testing.T) {
	cases := []struct {
		name        string
		taints      []corev1.Taint
		decided     []corev1.Taint
		tolerations []corev1.Toleration
		now         time.Duration
		evicted     bool
		nextCheck   time.Time
	}{
		{name: "untolerated: at once", taints: []corev1.Taint{noExecute("maintenance", 0)}, evicted: true},
		{name: "one of two taints untolerated: at once",
			taints:      []corev1.Taint{noExecute("maintenance", 0), noExecute("broken", 0)},
			tolerations: []corev1.Toleration{tolerate("maintenance", nil)}, evicted: true},
		{name: "tolerated forever", taints: []corev1.Taint{noExecute("maintenance", 0)},
			tolerations: []corev1.Toleration{tolerate("maintenance", nil)}, now: 24 * time.Hour},
		{name: "an empty key with Exists tolerates every taint", taints: []corev1.Taint{noExecute("maintenance", 0)},
			tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}}, now: time.Hour},
		{name: "Equal compares values", taints: []corev1.Taint{{Key: "zone", Value: "a", Effect: corev1.TaintEffectNoExecute}},
			tolerations: []corev1.Toleration{{Key: "zone", Value: "b", Effect: corev1.TaintEffectNoExecute}}, evicted: true},
		{name: "tolerated 30s from timeAdded: not at 29s", taints: []corev1.Taint{noExecute("maintenance", 0)},
			tolerations: []corev1.Toleration{tolerate("maintenance", ptr.To[int64](30))}, now: 29 * time.Second, nextCheck: at(30 * time.Second)},
		{name: "tolerated 30s from timeAdded: evicted at 30s", taints: []corev1.Taint{noExecute("maintenance", 0)},
			tolerations: []corev1.Toleration{tolerate("maintenance", ptr.To[int64](30))}, now: 30 * time.Second, evicted: true},
		{name: "the earliest trigger counts",
			taints:      []corev1.Taint{noExecute("maintenance", 0), noExecute("upgrade", 10*time.Second)},
			tolerations: []corev1.Toleration{tolerate("maintenance", ptr.To[int64](60)), tolerate("upgrade", ptr.To[int64](20))},
			now:         5 * time.Second, nextCheck: at(30 * time.Second)},
		{name: "a taint without timeAdded gives no trigger", taints: []corev1.Taint{noExecute("maintenance", -1)},
			tolerations: []corev1.Toleration{tolerate("maintenance", ptr.To[int64](30))}, now: time.Hour},
		{name: "tolerationSeconds 0: at once", taints: []corev1.Taint{noExecute("maintenance", -1)},
			tolerations: []corev1.Toleration{tolerate("maintenance", ptr.To[int64](0))}, evicted: true},
		{name: "a decided taint counts like the cluster's own", decided: []corev1.Taint{noExecute("cluster.karmada.io/not-ready", 0)},
			tolerations: []corev1.Toleration{tolerate("cluster.karmada.io/not-ready", ptr.To[int64](300))}, now: 300 * time.Second, evicted: true},
		{name: "NoSchedule taints never evict",
			taints: []corev1.Taint{{Key: "cluster.karmada.io/unschedulable", Effect: corev1.TaintEffectNoSchedule}}, now: time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			in := eviction.Input{
				Now:      at(tc.now),
				Failover: failover(true, true),
				Clusters: []*v1alpha1.Cluster{cluster("a", tc.taints...), cluster("b")},
				Bindings: bindings(withTolerations(deployment("web", "a", "b"), tc.tolerations...)),
			}
			if tc.decided != nil {
				dt := v1alpha1.ClusterTaints{Cluster: "a"}
				for _, taint := range tc.decided {
					dt.Taints = append(dt.Taints, v1alpha1.DecidedTaint{Taint: taint, Reason: v1alpha1.TaintReasonReadyFalse})
				}
				in.DecidedTaints = &v1alpha1.TaintDecisions{Clusters: []v1alpha1.ClusterTaints{dt}}
			}
			r := eviction.Decide(in)
			if tc.evicted {
				g.Expect(fromClusters(r)).To(Equal([]string{"default/web<-a"}))
				g.Expect(r.Changes).To(HaveLen(1))
				g.Expect(r.Changes[0]).To(HavePrefix("apps/v1 Deployment default/web from a: created (TaintUntolerated"))
				g.Expect(r.NextCheck).To(Equal(at(tc.now).Truncate(time.Second).Add(10*time.Minute)), "the fresh task's grace period")
			} else {
				g.Expect(fromClusters(r)).To(BeEmpty())
				g.Expect(r.Changes).To(BeEmpty())
				g.Expect(r.NextCheck).To(Equal(tc.nextCheck))
			}
		})
	}
}

// A taint eviction records what the renderer and the graceful eviction need.
func TestTaintManagerTask(t *testing.T) {
	g := NewWithT(t)
	b := deployment("web", "a", "b")
	b.Spec.Clusters[1].Replicas = 0
	r := eviction.Decide(eviction.Input{
		Now:      at(90*time.Second + 700*time.Millisecond),
		Failover: failover(true, true),
		Clusters: []*v1alpha1.Cluster{cluster("a", noExecute("maintenance", 0)), cluster("b", noExecute("maintenance", 0))},
		Bindings: bindings(b),
	})
	g.Expect(r.Decisions.APIVersion).To(Equal("gitfleet.io/v1alpha1"))
	g.Expect(r.Decisions.Kind).To(Equal("EvictionDecisions"))
	g.Expect(r.Decisions.Bindings).To(HaveLen(1))
	g.Expect(r.Decisions.Bindings[0].Resource).To(Equal(v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: "web"}))
	tasks := r.Decisions.Bindings[0].Tasks
	g.Expect(tasks).To(HaveLen(2))
	g.Expect(tasks[0]).To(Equal(v1alpha1.GracefulEvictionTask{
		FromCluster:            "a",
		PurgeMode:              v1alpha1.PurgeModeGracefully,
		Replicas:               ptr.To[int32](2),
		Reason:                 v1alpha1.EvictionReasonTaintUntolerated,
		Message:                "NoExecute taint maintenance:NoExecute is not tolerated by the placement",
		Producer:               v1alpha1.EvictionProducerTaintManager,
		CreationTimestamp:      &metav1.Time{Time: at(90 * time.Second)},
		ClustersBeforeFailover: []string{"a", "b"},
	}))
	g.Expect(tasks[1].FromCluster).To(Equal("b"))
	g.Expect(tasks[1].Replicas).To(BeNil(), "no replicas on the cluster, none recorded")
	g.Expect(r.NextCheck).To(Equal(at(90*time.Second+10*time.Minute)), "the fresh tasks' grace period")
}

// The policy's failover.cluster.purgeMode wins over the fleet's setting.
func TestTaintManagerPurgeMode(t *testing.T) {
	cases := []struct {
		name    string
		cluster *v1alpha1.ClusterFailoverBehavior
		fleet   v1alpha1.PurgeMode
		want    v1alpha1.PurgeMode
	}{
		{name: "fleet default", want: v1alpha1.PurgeModeGracefully},
		{name: "fleet Directly", fleet: v1alpha1.PurgeModeDirectly, want: v1alpha1.PurgeModeDirectly},
		{name: "policy Directly", cluster: &v1alpha1.ClusterFailoverBehavior{PurgeMode: v1alpha1.PurgeModeDirectly}, want: v1alpha1.PurgeModeDirectly},
		{name: "policy empty means Gracefully", cluster: &v1alpha1.ClusterFailoverBehavior{}, fleet: v1alpha1.PurgeModeDirectly, want: v1alpha1.PurgeModeGracefully},
		{name: "policy Gracefully over fleet Directly", cluster: &v1alpha1.ClusterFailoverBehavior{PurgeMode: v1alpha1.PurgeModeGracefully},
			fleet: v1alpha1.PurgeModeDirectly, want: v1alpha1.PurgeModeGracefully},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			b := deployment("web", "a")
			if tc.cluster != nil {
				b.Spec.Failover = &v1alpha1.FailoverBehavior{Cluster: tc.cluster}
			}
			f := failover(true, true)
			if tc.fleet != "" {
				f.NoExecuteTaintEvictionPurgeMode = tc.fleet
			}
			r := eviction.Decide(eviction.Input{Now: t0, Failover: f, Clusters: []*v1alpha1.Cluster{cluster("a", noExecute("x", 0))}, Bindings: bindings(b)})
			g.Expect(onlyTask(r).PurgeMode).To(Equal(tc.want))
		})
	}
}

// The applied-placement annotation is the placement; spec.placement stands in when the
// annotation is missing or unreadable.
func TestTaintManagerPlacementSource(t *testing.T) {
	g := NewWithT(t)
	clustersIn := []*v1alpha1.Cluster{cluster("a", noExecute("maintenance", 0))}
	decide := func(b *v1alpha1.ResourceBinding) []string {
		return fromClusters(eviction.Decide(eviction.Input{Now: at(time.Hour), Failover: failover(true, true), Clusters: clustersIn, Bindings: bindings(b)}))
	}
	tolerant := &v1alpha1.Placement{ClusterTolerations: []corev1.Toleration{tolerate("maintenance", nil)}}

	b := withTolerations(deployment("web", "a"))
	b.Spec.Placement = tolerant
	g.Expect(decide(b)).To(Equal([]string{"default/web<-a"}), "the annotation wins")

	b = deployment("web", "a")
	b.Spec.Placement = tolerant
	g.Expect(decide(b)).To(BeEmpty(), "no annotation: spec.placement")

	b.Annotations = map[string]string{v1alpha1.PolicyPlacementAnnotation: "{not json"}
	g.Expect(decide(b)).To(BeEmpty(), "unreadable annotation: spec.placement")

	g.Expect(decide(deployment("web", "a"))).To(Equal([]string{"default/web<-a"}), "no placement at all tolerates nothing")
}

// A cluster already being evicted gets no second task, and its tolerations set no timer.
func TestTaintManagerExistingTask(t *testing.T) {
	g := NewWithT(t)
	b := withTolerations(deployment("web", "a"), tolerate("maintenance", ptr.To[int64](30)))
	old := task("a", 0)
	old.SuppressDeletion = ptr.To(true)
	r := eviction.Decide(eviction.Input{
		Now:      at(time.Minute),
		Failover: failover(true, true),
		Clusters: []*v1alpha1.Cluster{cluster("a", noExecute("maintenance", 0))},
		Bindings: bindings(b),
		Previous: previous(b, old),
	})
	g.Expect(onlyTask(r)).To(Equal(old))
	g.Expect(r.Changes).To(BeEmpty())
	g.Expect(r.NextCheck.IsZero()).To(BeTrue())
}

// Without failover.enabled and failover.noExecuteTaintEviction no task is created, but the
// tasks there are still retire.
func TestTaintManagerSwitches(t *testing.T) {
	for _, f := range []v1alpha1.FleetFailoverConfig{failover(false, true), failover(true, false), failover(false, false), {}} {
		g := NewWithT(t)
		gone, stays := deployment("gone", "a"), deployment("web", "a", "b")
		r := eviction.Decide(eviction.Input{
			Now:      at(time.Hour),
			Failover: f,
			Clusters: []*v1alpha1.Cluster{cluster("a", noExecute("maintenance", 0)), cluster("b")},
			Bindings: bindings(stays),
			Previous: &v1alpha1.EvictionDecisions{Bindings: []v1alpha1.BindingEvictions{
				{Resource: gone.Spec.Resource, Tasks: []v1alpha1.GracefulEvictionTask{task("a", 0)}},
				{Resource: stays.Spec.Resource, Tasks: []v1alpha1.GracefulEvictionTask{task("b", 0)}},
			}},
		})
		g.Expect(fromClusters(r)).To(BeEmpty())
		g.Expect(r.Decisions.Bindings).NotTo(BeNil())
		g.Expect(r.Changes).To(Equal([]string{
			"apps/v1 Deployment default/gone from a: retired: the binding is no longer rendered",
			"apps/v1 Deployment default/web from b: retired: grace period 10m0s passed",
		}))
	}
}
