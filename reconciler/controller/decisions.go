package controller

import (
	"encoding/json"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/descheduler"
	"github.com/gitfleet/gitfleet/reconciler/eviction"
	"github.com/gitfleet/gitfleet/reconciler/rebalance"
	"github.com/gitfleet/gitfleet/renderer"
	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// decisionMemory is what the hub's failover controllers remember between cycles, as
// Karmada's controllers keep it in memory: when application failover first saw a workload
// unhealthy in a cluster, and when the descheduler last ran. A restarted hub starts them
// again, which delays a decision and never makes a wrong one.
type decisionMemory struct {
	unhealthySince  map[renderer.ObjectKey]map[string]time.Time
	lastDescheduled time.Time
	// pacer paces the taint manager's evictions (failover.resourceEvictionRate).
	pacer eviction.Pacer
}

// decided is what decide made of a cycle's status tree.
type decided struct {
	// changes are the decisions made or retired, one line each.
	changes []string
	// remember updates the hub's memory once the status commit holding them is made.
	remember func()
	// wake is when a decision falls due without anything else changing (an eviction the
	// pacer held back, a tolerationSeconds or grace period running out); zero: none.
	wake time.Time
	// deferred counts the evictions due that the pacer held back.
	deferred int
}

// decisionInputs are what the decisions of a cycle are made from, besides the status tree
// being committed: the source and the rendered commit the clusters are synced to.
type decisionInputs struct {
	src            *renderer.Source
	bindings       map[renderer.ObjectKey]*v1alpha1.ResourceBinding
	renderedCommit string
}

// newDecisionInputs gathers the decision inputs of a cycle; nil when the source did not
// render (the decisions then stay as they are).
func newDecisionInputs(src *renderer.Source, result *renderer.Result, renderedCommit string) *decisionInputs {
	if src == nil || result == nil {
		return nil
	}
	in := &decisionInputs{src: src, renderedCommit: renderedCommit,
		bindings: make(map[renderer.ObjectKey]*v1alpha1.ResourceBinding, len(result.Bindings))}
	for _, rb := range result.Bindings {
		in.bindings[rb.Template] = rb.Binding
	}
	return in
}

// decide makes the eviction, descheduling and rebalance decisions on the status tree files
// is about to be (its cluster, sync and resource files already this cycle's, and its taint
// decisions already made), writes them into files and returns what changed. The memory is
// updated only through the returned remember function, so a status commit that is retried
// does not count time, or spend evictions, twice.
func (c *Controller) decide(files map[string][]byte, in *decisionInputs, taints *v1alpha1.TaintDecisions,
	now time.Time) (*decided, error) {
	fc := in.src.FleetConfig.Spec
	var changes []string
	// The workloads' health and ready replicas are read from every template's status file:
	// only when a rule will look at them.
	var health map[renderer.ObjectKey]map[string]v1alpha1.ResourceHealth
	var ready map[renderer.ObjectKey]map[string]int32
	readStates := func() {
		if health == nil {
			health, ready = workloadStates(files, in)
		}
	}

	var prevEvictions *v1alpha1.EvictionDecisions
	if err := decodeDecision(files, v1alpha1.EvictionDecisionsFileName, &prevEvictions); err != nil {
		return nil, err
	}
	if prevEvictions != nil || (fc.Failover.Enabled != nil && *fc.Failover.Enabled) {
		readStates() // retirement and application failover judge by health
	}
	pacer := c.decisionMemory.pacer            // a copy: spent only once the status commit is made
	pacer.Rate, _ = fc.Failover.EvictionRate() // validated with the source; unreadable means unpaced
	pacer.Burst = max(1, pacer.Rate)
	ev := eviction.Decide(eviction.Input{
		Now: now, Failover: fc.Failover, Clusters: in.src.Clusters, DecidedTaints: taints,
		Bindings: in.bindings, Health: health, Previous: prevEvictions, UnhealthySince: c.decisionMemory.unhealthySince,
		TaintEvictionBudget: pacer.Budget(now),
	})
	pacer.Spend(now, ev.TaintEvictions)
	wake := ev.NextCheck
	if ev.DeferredEvictions > 0 {
		wake = earliest(wake, pacer.Next(now))
	}
	changes = append(changes, ev.Changes...)
	if err := writeDecision(files, v1alpha1.EvictionDecisionsFileName, ev.Decisions, len(ev.Decisions.Bindings) > 0); err != nil {
		return nil, err
	}

	lastDescheduled := c.decisionMemory.lastDescheduled
	if fc.Descheduler.Enabled != nil && *fc.Descheduler.Enabled &&
		now.Sub(lastDescheduled) >= fc.Descheduler.DeschedulingInterval.Duration {
		lastDescheduled = now
		readStates()
		var prev *v1alpha1.DeschedulingDecisions
		if err := decodeDecision(files, v1alpha1.DeschedulingDecisionsFileName, &prev); err != nil {
			return nil, err
		}
		ds := descheduler.Decide(descheduler.Input{
			Now: now, Threshold: fc.Descheduler.UnschedulableThreshold.Duration,
			Bindings: in.bindings, RenderedCommit: in.renderedCommit, Ready: ready,
			Unschedulable: unschedulableFiles(files, in.src), Previous: prev,
		})
		changes = append(changes, ds.Changes...)
		if err := writeDecision(files, v1alpha1.DeschedulingDecisionsFileName, ds.Decisions, len(ds.Decisions.Reductions) > 0); err != nil {
			return nil, err
		}
	}

	var prevRebalances *v1alpha1.RebalanceDecisions
	if err := decodeDecision(files, v1alpha1.RebalanceDecisionsFileName, &prevRebalances); err != nil {
		return nil, err
	}
	rb := rebalance.Decide(rebalance.Input{Now: now, Rebalancers: in.src.WorkloadRebalancers, Bindings: in.bindings, Previous: prevRebalances})
	changes = append(changes, rb.Changes...)
	if err := writeDecision(files, v1alpha1.RebalanceDecisionsFileName, rb.Decisions, len(rb.Decisions.Rebalancers) > 0); err != nil {
		return nil, err
	}

	return &decided{changes: changes, wake: wake, deferred: ev.DeferredEvictions, remember: func() {
		c.decisionMemory.unhealthySince = ev.UnhealthySince
		c.decisionMemory.lastDescheduled = lastDescheduled
		c.decisionMemory.pacer = pacer
	}}, nil
}

// earliest is the earlier of two times, a zero time counting as none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// decodeDecision decodes a decisions file of the status tree into *out; a missing file
// leaves *out nil. A file that does not decode is an error: decisions are authoritative,
// and rebuilding them from nothing could retire an eviction whose old copy still serves.
func decodeDecision[T any](files map[string][]byte, name string, out **T) error {
	data, ok := files[name]
	if !ok {
		return nil
	}
	*out = new(T)
	if err := yaml.Unmarshal(data, *out); err != nil {
		return fmt.Errorf("status %s: %w", name, err)
	}
	return nil
}

// writeDecision writes a decisions file; an empty one is written only over an existing
// file, so a fleet that never decided anything has none.
func writeDecision(files map[string][]byte, name string, decisions any, nonEmpty bool) error {
	if _, exists := files[name]; !exists && !nonEmpty {
		return nil
	}
	data, err := yamlenc.MarshalTyped(decisions)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	files[name] = data
	return nil
}

// workloadStates reads, from the status tree's resource files, each binding's health and
// ready replicas per target cluster — only from clusters whose last sync applied the
// rendered commit, so a health collected from the previous placement never counts for the
// new one.
func workloadStates(files map[string][]byte, in *decisionInputs) (health map[renderer.ObjectKey]map[string]v1alpha1.ResourceHealth,
	ready map[renderer.ObjectKey]map[string]int32) {
	health = map[renderer.ObjectKey]map[string]v1alpha1.ResourceHealth{}
	ready = map[renderer.ObjectKey]map[string]int32{}
	applied := map[string]bool{}
	for _, cl := range in.src.Clusters {
		sync := previousSyncStatus(files["clusters/"+cl.Name+"/"+v1alpha1.ClusterSyncFileName])
		applied[cl.Name] = in.renderedCommit != "" && sync.AppliedCommit == in.renderedCommit
	}
	for key, b := range in.bindings {
		data := files[clusterstatus.ResourceFilePath(refOf(key, b))]
		if data == nil {
			continue
		}
		var rs clusterstatus.ResourceStatus
		if yaml.Unmarshal(data, &rs) != nil {
			continue
		}
		for _, item := range rs.AggregatedStatus {
			if !applied[item.ClusterName] {
				continue
			}
			if health[key] == nil {
				health[key], ready[key] = map[string]v1alpha1.ResourceHealth{}, map[string]int32{}
			}
			health[key][item.ClusterName] = item.Health
			if n, ok := readyReplicas(item); ok {
				ready[key][item.ClusterName] = n
			}
		}
	}
	return health, ready
}

// refOf is the status reference of a binding's template.
func refOf(key renderer.ObjectKey, b *v1alpha1.ResourceBinding) clusterstatus.ObjectRef {
	apiVersion := b.Spec.Resource.APIVersion
	if apiVersion == "" {
		apiVersion = schema.GroupVersion{Group: key.Group, Version: "v1"}.String()
	}
	return clusterstatus.ObjectRef{APIVersion: apiVersion, Kind: key.Kind, Namespace: key.Namespace, Name: key.Name}
}

// readyReplicas is status.readyReplicas of a collected item, when it reflects a status.
func readyReplicas(item v1alpha1.AggregatedStatusItem) (int32, bool) {
	if item.Status == nil || len(item.Status.Raw) == 0 {
		return 0, false
	}
	var s struct {
		ReadyReplicas *int32 `json:"readyReplicas"`
	}
	if json.Unmarshal(item.Status.Raw, &s) != nil {
		return 0, false
	}
	if s.ReadyReplicas == nil {
		return 0, true // a workload status leaves out a zero readyReplicas
	}
	return *s.ReadyReplicas, true
}

// unschedulableFiles reads clusters/<c>/unschedulable.yaml of every cluster of the source.
func unschedulableFiles(files map[string][]byte, src *renderer.Source) map[string]*clusterstatus.UnschedulableFile {
	out := map[string]*clusterstatus.UnschedulableFile{}
	for _, cl := range src.Clusters {
		data := files[clusterstatus.UnschedulableFilePath(cl.Name)]
		if data == nil {
			continue
		}
		var f clusterstatus.UnschedulableFile
		if yaml.Unmarshal(data, &f) == nil {
			out[cl.Name] = &f
		}
	}
	return out
}
