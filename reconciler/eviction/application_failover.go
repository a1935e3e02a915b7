package eviction

import (
	"fmt"
	"time"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// runApplicationFailover is Karmada's application failover (semantics §3.4). It looks at
// bindings whose policy asks for it (failover.application) and propagates dependencies —
// Karmada requires propagateDeps so that ConfigMaps and Secrets move along with the
// workload. A target cluster where the workload is Unhealthy, and which is not being evicted
// already, starts a timer on its first sighting; once the workload has stayed Unhealthy for
// more than decisionConditions.tolerationSeconds, the binding is evicted from the cluster.
// Healthy, Unknown or no fresh health resets the timer, as does the cluster getting a task
// or leaving the binding: the memory handed back holds only running timers.
func (d *decision) runApplicationFailover() {
	for _, key := range sortedKeys(d.in.Bindings) {
		b := d.in.Bindings[key]
		app := applicationFailover(b)
		if app == nil {
			continue
		}
		tolerated := time.Duration(v1alpha1.DefaultApplicationFailoverTolerationSeconds) * time.Second
		if s := app.DecisionConditions.TolerationSeconds; s != nil {
			tolerated = time.Duration(*s) * time.Second
		}
		health := d.in.Health[key]
		for _, tc := range b.Spec.Clusters {
			if d.clusters[tc.Name] == nil || d.hasTask(key, tc.Name) || health[tc.Name] != v1alpha1.ResourceUnhealthy {
				continue
			}
			since, seen := d.in.UnhealthySince[key][tc.Name]
			if !seen {
				since = d.now
			}
			// "More than" tolerationSeconds: the first instant past the deadline evicts, so
			// even a tolerance of zero waits for a second sighting, as in Karmada.
			deadline := since.Add(tolerated)
			if !d.now.After(deadline) {
				d.remember(key, tc.Name, since)
				d.wakeAt(deadline.Add(time.Nanosecond))
				continue
			}
			task := d.newTask(b, tc.Name)
			task.Reason = v1alpha1.EvictionReasonApplicationFailure
			task.Producer = v1alpha1.EvictionProducerResourceBindingApplicationFailover
			if clusterScoped(b) {
				task.Producer = v1alpha1.EvictionProducerClusterResourceBindingApplicationFailover
			}
			task.PurgeMode = app.PurgeMode
			switch app.PurgeMode {
			case v1alpha1.PurgeModeNever:
				suppress := true
				task.SuppressDeletion = &suppress
			case v1alpha1.PurgeModeDirectly:
			default:
				task.PurgeMode = v1alpha1.PurgeModeGracefully
				grace := v1alpha1.DefaultApplicationFailoverGracePeriodSeconds
				if app.GracePeriodSeconds != nil {
					grace = *app.GracePeriodSeconds
				}
				task.GracePeriodSeconds = &grace
			}
			task.Message = fmt.Sprintf("the workload has been Unhealthy since %s, longer than the %s tolerated",
				since.UTC().Truncate(time.Second).Format(time.RFC3339), tolerated)
			d.add(key, b, task)
		}
	}
}

// applicationFailover returns the binding's application failover settings when application
// failover applies to it, else nil.
func applicationFailover(b *v1alpha1.ResourceBinding) *v1alpha1.ApplicationFailoverBehavior {
	if b.Spec.Failover == nil || b.Spec.Failover.Application == nil || !b.Spec.PropagateDeps {
		return nil
	}
	return b.Spec.Failover.Application
}

// remember keeps a running timer for the next decision.
func (d *decision) remember(key renderer.ObjectKey, cluster string, since time.Time) {
	m := d.unhealthy[key]
	if m == nil {
		m = map[string]time.Time{}
		d.unhealthy[key] = m
	}
	m[cluster] = since
}

// clusterScoped reports whether the binding is a ClusterResourceBinding, whose failover
// tasks Karmada attributes to a controller of their own.
func clusterScoped(b *v1alpha1.ResourceBinding) bool {
	return b.Kind == v1alpha1.ResourceKindClusterResourceBinding || b.Spec.Resource.Namespace == ""
}
