// Package taints decides the taints the hub puts on member clusters (semantics §3.1, DESIGN
// §1.4): NoSchedule cluster.karmada.io/not-ready and unreachable from the Ready condition, as
// Karmada's cluster controller does, and the taints of ClusterTaintPolicies by conditions.
// Decide is pure — the time is an input — and its result, decisions/taints.yaml on the status
// ref, is what the renderer reads.
package taints

import (
	"cmp"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/scheduler"
)

// Input is what Decide decides from.
type Input struct {
	// Clusters are the fleet's clusters, from the source.
	Clusters []*v1alpha1.Cluster
	// Status holds each cluster's status as the status tree now records it; a cluster
	// missing here has no Ready condition.
	Status map[string]*v1alpha1.ClusterStatus
	// Policies are the source's ClusterTaintPolicies.
	Policies []*v1alpha1.ClusterTaintPolicy
	// PoliciesEnabled runs the ClusterTaintPolicy rules (Karmada's Failover gate, the
	// FleetConfig's failover.enabled); AllowNoExecute lets them add NoExecute taints
	// (failover.allowNoExecuteTaintPolicy).
	PoliciesEnabled, AllowNoExecute bool
	// Previous are the decisions before (nil: none).
	Previous *v1alpha1.TaintDecisions
	// Now stamps the timeAdded of new taints.
	Now time.Time
}

// Decide returns the taints of every cluster after applying the rules to in. A taint that
// stays keeps its timeAdded; a taint added now gets in.Now. Clusters that left the fleet
// lose their decisions. The result is sorted, so the same input gives the same file.
func Decide(in Input) *v1alpha1.TaintDecisions {
	previous := map[string][]v1alpha1.DecidedTaint{}
	if in.Previous != nil {
		for _, c := range in.Previous.Clusters {
			previous[c.Cluster] = c.Taints
		}
	}
	now := metav1.NewTime(in.Now.UTC().Truncate(time.Second))
	policies := sortedPolicies(in.Policies)
	out := &v1alpha1.TaintDecisions{Clusters: []v1alpha1.ClusterTaints{}}
	out.APIVersion, out.Kind = v1alpha1.GitfleetGroupVersion.String(), "TaintDecisions"
	snap := scheduler.NewSnapshot(in.Clusters)
	for _, c := range in.Clusters {
		set := taintSet{kept: previous[c.Name], now: now}
		status := in.Status[c.Name]
		conditions := []metav1.Condition(nil)
		if status != nil {
			conditions = status.Conditions
		}
		set.applyReady(apimeta.FindStatusCondition(conditions, v1alpha1.ClusterConditionReady))
		if in.PoliciesEnabled {
			info, _ := snap.Get(c.Name)
			for _, p := range policies {
				set.applyPolicy(p, info, conditions, in.AllowNoExecute)
			}
		}
		if taints := set.result(); len(taints) > 0 {
			out.Clusters = append(out.Clusters, v1alpha1.ClusterTaints{Cluster: c.Name, Taints: taints})
		}
	}
	slices.SortFunc(out.Clusters, func(a, b v1alpha1.ClusterTaints) int { return strings.Compare(a.Cluster, b.Cluster) })
	return out
}

// taintSet is one cluster's decided taints while the rules run.
type taintSet struct {
	kept []v1alpha1.DecidedTaint
	now  metav1.Time
}

func (s *taintSet) index(key string, effect corev1.TaintEffect) int {
	return slices.IndexFunc(s.kept, func(t v1alpha1.DecidedTaint) bool { return t.Key == key && t.Effect == effect })
}

// add adds a taint unless one with its key and effect is there (which keeps its time).
func (s *taintSet) add(key, value string, effect corev1.TaintEffect, reason string) {
	if s.index(key, effect) >= 0 {
		return
	}
	added := s.now
	s.kept = append(s.kept, v1alpha1.DecidedTaint{Taint: corev1.Taint{Key: key, Value: value, Effect: effect, TimeAdded: &added}, Reason: reason})
}

// remove removes the taint with key and effect, if any.
func (s *taintSet) remove(key string, effect corev1.TaintEffect) {
	if i := s.index(key, effect); i >= 0 {
		s.kept = slices.Delete(slices.Clone(s.kept), i, i+1)
	}
}

// applyReady is Karmada's taintClusterByCondition: Ready False or missing ⇒ not-ready,
// Unknown ⇒ unreachable, True ⇒ neither; always NoSchedule.
func (s *taintSet) applyReady(ready *metav1.Condition) {
	switch {
	case ready == nil:
		s.add(v1alpha1.TaintClusterNotReady, "", corev1.TaintEffectNoSchedule, v1alpha1.TaintReasonNoReadyCondition)
		s.remove(v1alpha1.TaintClusterUnreachable, corev1.TaintEffectNoSchedule)
	case ready.Status == metav1.ConditionFalse:
		s.add(v1alpha1.TaintClusterNotReady, "", corev1.TaintEffectNoSchedule, v1alpha1.TaintReasonReadyFalse)
		s.remove(v1alpha1.TaintClusterUnreachable, corev1.TaintEffectNoSchedule)
	case ready.Status == metav1.ConditionUnknown:
		s.add(v1alpha1.TaintClusterUnreachable, "", corev1.TaintEffectNoSchedule, v1alpha1.TaintReasonReadyUnknown)
		s.remove(v1alpha1.TaintClusterNotReady, corev1.TaintEffectNoSchedule)
	default:
		s.remove(v1alpha1.TaintClusterNotReady, corev1.TaintEffectNoSchedule)
		s.remove(v1alpha1.TaintClusterUnreachable, corev1.TaintEffectNoSchedule)
	}
}

// applyPolicy runs one ClusterTaintPolicy on a cluster (semantics §3.1): when every
// addOnCondition matches, the policy's missing taints are added; then, when every
// removeOnCondition matches, taints with the same key and effect are removed. A cluster the
// policy does not target is left as it is.
func (s *taintSet) applyPolicy(p *v1alpha1.ClusterTaintPolicy, c *scheduler.ClusterInfo, conditions []metav1.Condition, allowNoExecute bool) {
	if c == nil || (p.Spec.TargetClusters != nil && !scheduler.ClusterMatches(c, p.Spec.TargetClusters)) {
		return
	}
	if allMatch(p.Spec.AddOnConditions, conditions) {
		for _, t := range p.Spec.Taints {
			if t.Effect == corev1.TaintEffectNoExecute && !allowNoExecute {
				continue
			}
			s.add(t.Key, t.Value, t.Effect, v1alpha1.TaintReasonPolicyPrefix+p.Name)
		}
	}
	if allMatch(p.Spec.RemoveOnConditions, conditions) {
		for _, t := range p.Spec.Taints {
			s.remove(t.Key, t.Effect)
		}
	}
}

// result returns the taints sorted by key and effect.
func (s *taintSet) result() []v1alpha1.DecidedTaint {
	out := slices.Clone(s.kept)
	slices.SortFunc(out, func(a, b v1alpha1.DecidedTaint) int {
		return cmp.Or(strings.Compare(a.Key, b.Key), strings.Compare(string(a.Effect), string(b.Effect)))
	})
	return out
}

// allMatch reports whether every match condition holds; an empty list never matches, and a
// condition type the cluster does not have does not match.
func allMatch(matches []v1alpha1.MatchCondition, conditions []metav1.Condition) bool {
	if len(matches) == 0 {
		return false
	}
	for _, m := range matches {
		c := apimeta.FindStatusCondition(conditions, m.ConditionType)
		if c == nil {
			return false
		}
		in := slices.Contains(m.StatusValues, c.Status)
		if (m.Operator == v1alpha1.MatchConditionOpIn) != in {
			return false
		}
	}
	return true
}

// sortedPolicies orders policies as Karmada does, by creation time, then by name.
func sortedPolicies(policies []*v1alpha1.ClusterTaintPolicy) []*v1alpha1.ClusterTaintPolicy {
	out := slices.Clone(policies)
	slices.SortStableFunc(out, func(a, b *v1alpha1.ClusterTaintPolicy) int {
		return cmp.Or(a.CreationTimestamp.Compare(b.CreationTimestamp.Time), strings.Compare(a.Name, b.Name))
	})
	return out
}
