package renderer

import (
	"cmp"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The hub's controllers make every time-based decision and record it on the status ref
// (DESIGN §1.4); this file is where the renderer reads them into bindings. Each decision
// changes the binding the way the Karmada controller it stands for would have changed it —
// the taint manager (eviction tasks), the descheduler (replica reductions), the
// WorkloadRebalancer controller (rescheduleTriggeredAt) — and the scheduler then reacts to
// the binding through its ordinary triggers. Nothing here reads a clock: the times come
// from the decisions.

// bindingDecisions are the decisions of the status view about one binding.
type bindingDecisions struct {
	// tasks are its graceful eviction tasks, sorted by fromCluster.
	tasks []v1alpha1.GracefulEvictionTask
	// reductions are the descheduler's reductions, in the order of the decisions file.
	reductions []v1alpha1.ReplicaReduction
	// rebalance is the latest trigger of the WorkloadRebalancers that list the template.
	rebalance *metav1.Time
}

// decisionsFor collects the decisions about the binding of a template.
func (p *renderPass) decisionsFor(key ObjectKey) bindingDecisions {
	d := bindingDecisions{reductions: p.status.Reductions[key]}
	if tasks := p.status.Evictions[key]; len(tasks) > 0 {
		d.tasks = make([]v1alpha1.GracefulEvictionTask, len(tasks))
		for i := range tasks {
			tasks[i].DeepCopyInto(&d.tasks[i])
		}
		slices.SortStableFunc(d.tasks, func(a, b v1alpha1.GracefulEvictionTask) int {
			return cmp.Compare(a.FromCluster, b.FromCluster)
		})
	}
	if t, ok := p.rebalances[key]; ok {
		d.rebalance = t.DeepCopy()
	}
	return d
}

// rebalanceTriggers maps each template a WorkloadRebalancer of the source lists to the time
// the hub recorded for the rebalancer — the latest, when several list it. A rebalancer the
// hub has not seen yet has no decision and triggers nothing: the renderer cannot take the
// time from anywhere else.
func rebalanceTriggers(src *Source, status *StatusView) map[ObjectKey]metav1.Time {
	out := map[ObjectKey]metav1.Time{}
	for _, r := range src.WorkloadRebalancers {
		decision, ok := status.Rebalances[r.Name]
		if !ok || decision.TriggeredAt.IsZero() {
			continue
		}
		for _, w := range r.Spec.Workloads {
			key := ReferenceKey(w.APIVersion, w.Kind, w.Namespace, w.Name)
			if t, seen := out[key]; !seen || decision.TriggeredAt.After(t.Time) {
				out[key] = decision.TriggeredAt
			}
		}
	}
	return out
}

// applyDecisions changes a binding, whose clusters are still the previous render's, as the
// controllers behind the decisions would have, and returns the time of the latest decision
// it applied (zero: none):
//
//   - eviction tasks are recorded in gracefulEvictionTasks and their clusters leave
//     spec.clusters (Karmada's GracefulEvictCluster), so a Divided binding's replicas no
//     longer add up and the scheduler's scale-up places them elsewhere; the ClusterEviction
//     filter keeps them off the evicted clusters;
//   - a reduction lowers a target's replicas to toReplicas, but only while the binding still
//     assigns the cluster the fromReplicas it was decided against: once a render has applied
//     it, or the binding moved on, it is stale and ignored;
//   - a WorkloadRebalancer's trigger becomes spec.rescheduleTriggeredAt, which makes the
//     scheduler reschedule from scratch while it is after status.lastScheduledTime.
func applyDecisions(b *v1alpha1.ResourceBinding, d bindingDecisions) metav1.Time {
	var latest metav1.Time
	b.Spec.GracefulEvictionTasks = d.tasks
	for _, t := range d.tasks {
		b.Spec.Clusters = slices.DeleteFunc(b.Spec.Clusters, func(c v1alpha1.TargetCluster) bool { return c.Name == t.FromCluster })
		if t.CreationTimestamp != nil {
			latest = laterTime(latest, *t.CreationTimestamp)
		}
	}
	for _, r := range d.reductions {
		i := slices.IndexFunc(b.Spec.Clusters, func(c v1alpha1.TargetCluster) bool { return c.Name == r.Cluster })
		if i < 0 || b.Spec.Clusters[i].Replicas != r.FromReplicas || r.ToReplicas == r.FromReplicas {
			continue
		}
		b.Spec.Clusters[i].Replicas = r.ToReplicas
		latest = laterTime(latest, r.DecidedAt)
	}
	b.Spec.RescheduleTriggeredAt = d.rebalance
	if d.rebalance != nil {
		latest = laterTime(latest, *d.rebalance)
	}
	return latest
}

// laterTime returns the later of two times.
func laterTime(a, b metav1.Time) metav1.Time {
	if b.After(a.Time) {
		return b
	}
	return a
}

// keepEvicted keeps, in each cluster a graceful eviction task moves the template away from,
// the manifest the previous render gave it, byte for byte: the old copy keeps serving until
// the hub retires the task (when the new targets are healthy, or the grace period passes),
// and the next render then leaves it out, so the syncer prunes it. A task with purgeMode
// Directly keeps nothing; neither does a cluster that had no manifest of the template, or
// that is a target again. The clusters kept are recorded for the template's dependencies.
func (p *renderPass) keepEvicted(st *bindingState) {
	b := st.binding
	path := ManifestPath(st.key.Group, st.key.Kind, st.key.Namespace, st.key.Name)
	for _, t := range b.Spec.GracefulEvictionTasks {
		cluster := t.FromCluster
		if t.PurgeMode == v1alpha1.PurgeModeDirectly || slices.Contains(st.kept, cluster) ||
			slices.ContainsFunc(b.Spec.Clusters, func(c v1alpha1.TargetCluster) bool { return c.Name == cluster }) {
			continue
		}
		info, ok := p.snap.Get(cluster)
		if !ok {
			continue // a cluster gone from the fleet receives nothing
		}
		if !p.previous.has(cluster, path) {
			continue
		}
		st.kept = append(st.kept, cluster)
		p.jobs = append(p.jobs, manifestJob{st: st, cluster: info, keep: true})
	}
}
