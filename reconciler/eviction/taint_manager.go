package eviction

import (
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/scheduler"
)

// runTaintManager is Karmada's taint manager (semantics §3.2): a binding is evicted from a
// target cluster carrying a NoExecute taint — the cluster's own, from the source, or one the
// hub decided — that its placement does not tolerate, or tolerates for a tolerationSeconds
// that has run out since the taint's timeAdded. A cluster that already has a task for the
// binding is left alone: it is being evicted already.
func (d *decision) runTaintManager() {
	decided := map[string][]corev1.Taint{}
	if d.in.DecidedTaints != nil {
		for _, ct := range d.in.DecidedTaints.Clusters {
			for _, t := range ct.Taints {
				decided[ct.Cluster] = append(decided[ct.Cluster], t.Taint)
			}
		}
	}
	for _, key := range sortedKeys(d.in.Bindings) {
		b := d.in.Bindings[key]
		tolerations := placementOf(b).ClusterTolerations
		for _, tc := range b.Spec.Clusters {
			c := d.clusters[tc.Name]
			if c == nil || d.hasTask(key, tc.Name) {
				continue
			}
			taints := noExecute(c.Spec.Taints, decided[tc.Name])
			if len(taints) == 0 {
				continue
			}
			v := judgeTaints(taints, tolerations, d.now)
			if !v.evict {
				if !v.trigger.IsZero() {
					d.wakeAt(v.trigger)
				}
				continue
			}
			if budget := d.in.TaintEvictionBudget; budget != nil && d.taintEvictions >= *budget {
				d.deferred++
				continue
			}
			d.taintEvictions++
			task := d.newTask(b, tc.Name)
			task.PurgeMode = clusterPurgeMode(b, d.in.Failover.NoExecuteTaintEvictionPurgeMode)
			task.Reason = v1alpha1.EvictionReasonTaintUntolerated
			task.Producer = v1alpha1.EvictionProducerTaintManager
			task.Message = v.message
			d.add(key, b, task)
		}
	}
}

// placementOf is the placement the binding was scheduled with: the applied-placement
// annotation, as Karmada's taint manager reads it, or — when that is missing or cannot be
// read — the placement in the binding's spec, which the renderer copies from the same
// policy. Karmada gives up on such a binding; gitfleet writes both, so falling back loses
// nothing and keeps a hand-edited annotation from stopping evictions.
func placementOf(b *v1alpha1.ResourceBinding) v1alpha1.Placement {
	if raw, ok := b.Annotations[v1alpha1.PolicyPlacementAnnotation]; ok {
		var p v1alpha1.Placement
		if err := json.Unmarshal([]byte(raw), &p); err == nil {
			return p
		}
	}
	if b.Spec.Placement != nil {
		return *b.Spec.Placement
	}
	return v1alpha1.Placement{}
}

// noExecute returns the NoExecute taints among the given lists.
func noExecute(lists ...[]corev1.Taint) []corev1.Taint {
	var out []corev1.Taint
	for _, list := range lists {
		for _, t := range list {
			if t.Effect == corev1.TaintEffectNoExecute {
				out = append(out, t)
			}
		}
	}
	return out
}

// clusterPurgeMode is how a taint eviction removes the old copy: as the policy's
// failover.cluster says (Gracefully when it leaves purgeMode empty), else as the fleet's
// noExecuteTaintEvictionPurgeMode says, where only Directly differs from Gracefully.
func clusterPurgeMode(b *v1alpha1.ResourceBinding, fleet v1alpha1.PurgeMode) v1alpha1.PurgeMode {
	if f := b.Spec.Failover; f != nil && f.Cluster != nil {
		if f.Cluster.PurgeMode == "" {
			return v1alpha1.PurgeModeGracefully
		}
		return f.Cluster.PurgeMode
	}
	if fleet == v1alpha1.PurgeModeDirectly {
		return v1alpha1.PurgeModeDirectly
	}
	return v1alpha1.PurgeModeGracefully
}

// taintVerdict is what a placement's tolerations make of a cluster's NoExecute taints.
type taintVerdict struct {
	// evict says the workload must leave now; message says why.
	evict   bool
	message string
	// trigger, when evict is false, is when a toleration runs out; zero means never.
	trigger time.Time
}

// judgeTaints applies the tolerations to the NoExecute taints (semantics §3.2). Every taint
// must be tolerated, each by the first toleration that matches it; otherwise the workload
// goes at once. Among those matching tolerations, each one with tolerationSeconds gives, for
// every taint it tolerates, a trigger at the taint's timeAdded plus those seconds, and the
// earliest trigger wins: at or after it the workload goes.
//
// Two cases the rule leaves open:
//   - a tolerationSeconds of zero or less evicts at once, whatever the taint's timeAdded, as
//     Kubernetes documents for the field;
//   - a taint without timeAdded gives no trigger, as in Karmada. Counting from "now" instead
//     would restart the clock on every decision — Decide remembers no first sighting — so the
//     toleration would never run out anyway, only with a NextCheck that never comes true.
//     gitfleet's own taints (`gitfleet taint`, the hub's decided taints) always carry
//     timeAdded; a hand-written taint that should evict after a delay needs one too.
func judgeTaints(taints []corev1.Taint, tolerations []corev1.Toleration, now time.Time) taintVerdict {
	var used []*corev1.Toleration
	for i := range taints {
		tol := firstToleration(tolerations, &taints[i])
		if tol == nil {
			return taintVerdict{evict: true, message: fmt.Sprintf("NoExecute taint %s is not tolerated by the placement", taints[i].ToString())}
		}
		used = append(used, tol)
	}
	var v taintVerdict
	for _, tol := range used {
		if tol.TolerationSeconds == nil {
			continue
		}
		seconds := *tol.TolerationSeconds
		for i := range taints {
			taint := &taints[i]
			if !scheduler.ToleratesTaint(tol, taint) {
				continue
			}
			if seconds <= 0 {
				return taintVerdict{evict: true, message: fmt.Sprintf("NoExecute taint %s is tolerated for %ds only", taint.ToString(), seconds)}
			}
			if taint.TimeAdded == nil {
				continue
			}
			trigger := taint.TimeAdded.Add(time.Duration(seconds) * time.Second)
			if v.trigger.IsZero() || trigger.Before(v.trigger) {
				v.trigger = trigger
				v.message = fmt.Sprintf("NoExecute taint %s, added %s, was tolerated for %ds", taint.ToString(), taint.TimeAdded.UTC().Format(time.RFC3339), seconds)
			}
		}
	}
	if !v.trigger.IsZero() && !now.Before(v.trigger) {
		v.evict = true
	}
	return v
}

// firstToleration returns the first toleration that tolerates taint, or nil.
func firstToleration(tolerations []corev1.Toleration, taint *corev1.Taint) *corev1.Toleration {
	for i := range tolerations {
		if scheduler.ToleratesTaint(&tolerations[i], taint) { // the scheduler's rule: evicting and placing must agree
			return &tolerations[i]
		}
	}
	return nil
}
