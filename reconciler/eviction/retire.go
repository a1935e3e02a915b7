package eviction

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// retire carries the previous tasks over, retiring those that are done (semantics §3.3):
//   - a task without creationTimestamp gets the decision time and is kept, so that its grace
//     period counts from the moment the hub first saw it;
//   - suppressDeletion true keeps a task until a human removes it; false retires it at once;
//   - a task whose grace period (gracePeriodSeconds, else failover.gracefulEvictionTimeout)
//     has passed is retired — at the exact end of the period counts as passed, so that
//     NextCheck, which is that instant, always finds something to do;
//   - a task is retired once the binding has been rendered without the cluster and with the
//     task (the render saw it, so the replicas went elsewhere) and every target cluster
//     reports the workload Healthy from the current render.
//
// Tasks of bindings that are no longer rendered, or of clusters that left the fleet, are
// dropped: there is nothing left for them to protect.
func (d *decision) retire() {
	if d.in.Previous == nil {
		return
	}
	for _, be := range d.in.Previous.Bindings {
		key := keyOf(be.Resource)
		b := d.in.Bindings[key]
		if b == nil {
			for _, t := range be.Tasks {
				d.change(be.Resource, t.FromCluster, "retired: the binding is no longer rendered")
			}
			continue
		}
		bt := d.tasks[key]
		if bt == nil {
			bt = &bindingTasks{resource: resourceOf(b)}
			d.tasks[key] = bt
		}
		for i := range be.Tasks {
			task := be.Tasks[i].DeepCopy()
			if bt.has(task.FromCluster) {
				// Two tasks for one cluster say nothing more than one: keep the first.
				continue
			}
			if reason, done := d.done(key, b, task); done {
				d.change(bt.resource, task.FromCluster, "retired: "+reason)
				continue
			}
			bt.tasks = append(bt.tasks, *task)
		}
	}
}

// done decides one previous task, stamping it when it has no creationTimestamp, and says
// why it is retired when it is.
func (d *decision) done(key renderer.ObjectKey, b *v1alpha1.ResourceBinding, task *v1alpha1.GracefulEvictionTask) (string, bool) {
	if _, ok := d.clusters[task.FromCluster]; !ok {
		return "the cluster left the fleet", true
	}
	if task.CreationTimestamp == nil || task.CreationTimestamp.IsZero() {
		stamp := d.stamp
		task.CreationTimestamp = &stamp
		d.change(resourceOf(b), task.FromCluster, "creationTimestamp set to "+stamp.UTC().Format(time.RFC3339))
		switch {
		case task.SuppressDeletion == nil:
			d.wakeAt(stamp.Add(d.gracePeriod(task)))
		case !*task.SuppressDeletion:
			d.wakeAt(d.now)
		}
		return "", false
	}
	if task.SuppressDeletion != nil {
		if *task.SuppressDeletion {
			return "", false
		}
		return "suppressDeletion is false", true
	}
	period := d.gracePeriod(task)
	deadline := task.CreationTimestamp.Add(period)
	if !d.now.Before(deadline) {
		return fmt.Sprintf("grace period %s passed", period), true
	}
	if targets, ok := d.healthyElsewhere(key, b, task.FromCluster); ok {
		return "the workload is Healthy on every target cluster (" + strings.Join(targets, ", ") + ")", true
	}
	d.wakeAt(deadline)
	return "", false
}

// gracePeriod is how long a task protects the old copy at most.
func (d *decision) gracePeriod(task *v1alpha1.GracefulEvictionTask) time.Duration {
	if task.GracePeriodSeconds != nil {
		return time.Duration(*task.GracePeriodSeconds) * time.Second
	}
	if t := d.in.Failover.GracefulEvictionTimeout; t != nil {
		return t.Duration
	}
	return v1alpha1.DefaultGracefulEvictionTimeout
}

// healthyElsewhere reports whether the workload has moved off cluster for good: the rendered
// binding carries the task and no longer targets the cluster — Karmada's "scheduled", since
// only a render that saw the task left the cluster out for its sake — and every target
// cluster reports the workload Healthy from that render. A binding without target clusters
// has nowhere the workload could be healthy, so health never retires its tasks.
func (d *decision) healthyElsewhere(key renderer.ObjectKey, b *v1alpha1.ResourceBinding, cluster string) ([]string, bool) {
	seen := slices.ContainsFunc(b.Spec.GracefulEvictionTasks, func(t v1alpha1.GracefulEvictionTask) bool { return t.FromCluster == cluster })
	if !seen || inSpecClusters(b, cluster) || len(b.Spec.Clusters) == 0 {
		return nil, false
	}
	health := d.in.Health[key]
	targets := make([]string, 0, len(b.Spec.Clusters))
	for _, tc := range b.Spec.Clusters {
		if health[tc.Name] != v1alpha1.ResourceHealthy {
			return nil, false
		}
		targets = append(targets, tc.Name)
	}
	return targets, true
}
