// Package eviction decides the hub's graceful eviction tasks (semantics §3.2–3.4, DESIGN
// §1.4): the taint manager evicts workloads from clusters whose NoExecute taints they do not
// tolerate (or no longer tolerate), application failover evicts a workload from a cluster
// where it has stayed Unhealthy too long, and every task is retired once the workload is
// Healthy on its new clusters or its grace period has passed.
//
// Decide is pure — the time is an input — and its result is decisions/evictions.yaml on the
// status ref, which the renderer reads: while a task exists its cluster is left out of new
// placement and, unless the task's purgeMode is Directly, keeps its manifests rendered.
//
// Karmada's --resource-eviction-rate paces the taint manager: the caller gives Decide a
// budget of evictions (Input.TaintEvictionBudget, from a Pacer), and what is due beyond it
// waits for the next decision.
package eviction

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// Input is what Decide decides from.
type Input struct {
	// Now is the decision time; new tasks get it as creationTimestamp (truncated to seconds, UTC).
	Now time.Time
	// Failover is the FleetConfig's failover section, defaulted (v1alpha1.FleetFailoverConfig).
	Failover v1alpha1.FleetFailoverConfig
	// Clusters are the fleet's clusters from the source, with their own spec.taints.
	Clusters []*v1alpha1.Cluster
	// DecidedTaints are the taints the hub decided this cycle (may be nil).
	DecidedTaints *v1alpha1.TaintDecisions
	// Bindings are the rendered bindings, by template key (as renderer.LoadPrevious returns them in Previous.Bindings).
	Bindings map[renderer.ObjectKey]*v1alpha1.ResourceBinding
	// Health is, per binding and target cluster, the workload's health as collected from a
	// cluster that has applied the current rendered commit; a cluster missing has no fresh health.
	Health map[renderer.ObjectKey]map[string]v1alpha1.ResourceHealth
	// Previous are the decisions before (nil: none).
	Previous *v1alpha1.EvictionDecisions
	// UnhealthySince is application failover's memory: when each (binding, cluster) was first
	// seen Unhealthy (Karmada keeps it in memory too). Nil: empty.
	UnhealthySince map[renderer.ObjectKey]map[string]time.Time
	// TaintEvictionBudget, when set, is how many new evictions the taint manager may make
	// now (failover.resourceEvictionRate, paced by a Pacer); the ones due beyond it are
	// counted in Result.DeferredEvictions and made by a later decision, in binding order.
	// Nil: no limit. Application failover is not paced, as in Karmada.
	TaintEvictionBudget *int
}

// Result is what Decide decided.
type Result struct {
	Decisions *v1alpha1.EvictionDecisions // sorted (bindings by apiVersion/kind/namespace/name, tasks by fromCluster), APIVersion gitfleet.io/v1alpha1 Kind EvictionDecisions, Bindings non-nil
	// UnhealthySince is application failover's memory after this decision, to be handed back
	// as Input.UnhealthySince next time. It only holds (binding, cluster) pairs that are
	// Unhealthy now and not yet evicted.
	UnhealthySince map[renderer.ObjectKey]map[string]time.Time
	// Changes say, one line each, what was created or retired and why (for logs and the status commit message), sorted.
	Changes []string
	// NextCheck is the earliest time a rule will fire without any other input changing (a tolerationSeconds expiring, a grace period passing, an application tolerance expiring); zero when none.
	NextCheck time.Time
	// TaintEvictions counts the evictions the taint manager made, to be spent from the
	// budget; DeferredEvictions those it had due but no budget for.
	TaintEvictions, DeferredEvictions int
}

// Decide applies the eviction rules to in, in this order: retiring the previous tasks (so a
// task that ends now can be replaced by a fresh one if its cause is still there), the taint
// manager, then application failover (which leaves alone clusters already being evicted).
// The taint manager runs only with failover.enabled and failover.noExecuteTaintEviction,
// application failover only with failover.enabled; retirement always runs, so switching
// failover off lets the existing tasks finish. The result is sorted: the same input gives
// the same file.
func Decide(in Input) Result {
	d := &decision{
		in:        in,
		now:       in.Now.UTC(),
		stamp:     metav1.NewTime(in.Now.UTC().Truncate(time.Second)),
		clusters:  map[string]*v1alpha1.Cluster{},
		tasks:     map[renderer.ObjectKey]*bindingTasks{},
		unhealthy: map[renderer.ObjectKey]map[string]time.Time{},
	}
	for _, c := range in.Clusters {
		if c != nil {
			d.clusters[c.Name] = c
		}
	}

	d.retire()
	if enabled(in.Failover.Enabled) && enabled(in.Failover.NoExecuteTaintEviction) {
		d.runTaintManager()
	}
	if enabled(in.Failover.Enabled) {
		d.runApplicationFailover()
	}
	return d.result()
}

// decision is one run of Decide.
type decision struct {
	in Input
	// now is the decision time as given, for comparisons; stamp is the same time truncated
	// to seconds, for what is written down.
	now   time.Time
	stamp metav1.Time
	// clusters are the fleet's clusters by name.
	clusters map[string]*v1alpha1.Cluster
	// tasks are the tasks kept or created so far, by binding.
	tasks map[renderer.ObjectKey]*bindingTasks
	// unhealthy is the application failover memory being built.
	unhealthy map[renderer.ObjectKey]map[string]time.Time
	changes   []string
	nextCheck time.Time
	// taintEvictions and deferred count the taint manager's evictions made and postponed.
	taintEvictions, deferred int
}

// bindingTasks are one binding's tasks while the rules run.
type bindingTasks struct {
	resource v1alpha1.ObjectReference
	tasks    []v1alpha1.GracefulEvictionTask
}

// has reports whether a task evicts the binding from cluster.
func (b *bindingTasks) has(cluster string) bool {
	return b != nil && slices.ContainsFunc(b.tasks, func(t v1alpha1.GracefulEvictionTask) bool { return t.FromCluster == cluster })
}

// hasTask reports whether the binding with key already has a task for cluster.
func (d *decision) hasTask(key renderer.ObjectKey, cluster string) bool {
	return d.tasks[key].has(cluster)
}

// add records a new task for a binding and the change it makes.
func (d *decision) add(key renderer.ObjectKey, b *v1alpha1.ResourceBinding, task v1alpha1.GracefulEvictionTask) {
	bt := d.tasks[key]
	if bt == nil {
		bt = &bindingTasks{resource: resourceOf(b)}
		d.tasks[key] = bt
	}
	bt.tasks = append(bt.tasks, task)
	if task.SuppressDeletion == nil {
		d.wakeAt(task.CreationTimestamp.Add(d.gracePeriod(&task)))
	}
	d.change(bt.resource, task.FromCluster, "created ("+task.Reason+", purgeMode "+string(task.PurgeMode)+"): "+task.Message)
}

// change records one line of Result.Changes.
func (d *decision) change(r v1alpha1.ObjectReference, cluster, what string) {
	d.changes = append(d.changes, describe(r)+" from "+cluster+": "+what)
}

// wakeAt lowers NextCheck to t. A time before now means the rule can fire as soon as
// Decide runs again, which NextCheck says as now.
func (d *decision) wakeAt(t time.Time) {
	if t.Before(d.now) {
		t = d.now
	}
	if d.nextCheck.IsZero() || t.Before(d.nextCheck) {
		d.nextCheck = t
	}
}

// newTask is a task with what every producer fills the same way: the cluster's replicas,
// the creation time, and the clusters the workload ran on before the failover.
func (d *decision) newTask(b *v1alpha1.ResourceBinding, cluster string) v1alpha1.GracefulEvictionTask {
	stamp := d.stamp
	task := v1alpha1.GracefulEvictionTask{FromCluster: cluster, CreationTimestamp: &stamp}
	for _, tc := range b.Spec.Clusters {
		if tc.Name == cluster && tc.Replicas > 0 {
			replicas := tc.Replicas
			task.Replicas = &replicas
		}
		task.ClustersBeforeFailover = append(task.ClustersBeforeFailover, tc.Name)
	}
	return task
}

func (d *decision) result() Result {
	out := &v1alpha1.EvictionDecisions{Bindings: []v1alpha1.BindingEvictions{}}
	out.APIVersion, out.Kind = v1alpha1.GitfleetGroupVersion.String(), "EvictionDecisions"
	for _, bt := range d.tasks {
		if len(bt.tasks) == 0 {
			continue
		}
		tasks := slices.Clone(bt.tasks)
		slices.SortStableFunc(tasks, func(a, b v1alpha1.GracefulEvictionTask) int { return strings.Compare(a.FromCluster, b.FromCluster) })
		out.Bindings = append(out.Bindings, v1alpha1.BindingEvictions{Resource: bt.resource, Tasks: tasks})
	}
	slices.SortFunc(out.Bindings, func(a, b v1alpha1.BindingEvictions) int {
		return cmp.Or(strings.Compare(a.Resource.APIVersion, b.Resource.APIVersion), strings.Compare(a.Resource.Kind, b.Resource.Kind),
			strings.Compare(a.Resource.Namespace, b.Resource.Namespace), strings.Compare(a.Resource.Name, b.Resource.Name))
	})
	changes := slices.Clone(d.changes)
	slices.Sort(changes)
	return Result{Decisions: out, UnhealthySince: d.unhealthy, Changes: changes, NextCheck: d.nextCheck,
		TaintEvictions: d.taintEvictions, DeferredEvictions: d.deferred}
}

// keyOf is the template key of a resource reference, as the renderer keys the bindings.
func keyOf(r v1alpha1.ObjectReference) renderer.ObjectKey {
	return renderer.ReferenceKey(r.APIVersion, r.Kind, r.Namespace, r.Name)
}

// resourceOf is the reference a decision names its binding by: only what identifies the
// template, so that a UID or resourceVersion never churns the file.
func resourceOf(b *v1alpha1.ResourceBinding) v1alpha1.ObjectReference {
	r := b.Spec.Resource
	return v1alpha1.ObjectReference{APIVersion: r.APIVersion, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name}
}

// describe names a template for humans: apiVersion, kind, namespace/name.
func describe(r v1alpha1.ObjectReference) string {
	name := r.Name
	if r.Namespace != "" {
		name = r.Namespace + "/" + name
	}
	return fmt.Sprintf("%s %s %s", r.APIVersion, r.Kind, name)
}

// inSpecClusters reports whether cluster is one of the binding's target clusters.
func inSpecClusters(b *v1alpha1.ResourceBinding, cluster string) bool {
	return slices.ContainsFunc(b.Spec.Clusters, func(tc v1alpha1.TargetCluster) bool { return tc.Name == cluster })
}

func enabled(b *bool) bool { return b != nil && *b }

// sortedKeys returns the binding keys in a fixed order, so that the rules visit bindings
// (and produce changes) the same way every time.
func sortedKeys(m map[renderer.ObjectKey]*v1alpha1.ResourceBinding) []renderer.ObjectKey {
	keys := make([]renderer.ObjectKey, 0, len(m))
	for k, b := range m {
		if b != nil {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b renderer.ObjectKey) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Kind, b.Kind),
			strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name))
	})
	return keys
}
