package controller

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/syncer"
	"github.com/gitfleet/gitfleet/reconciler/taints"
	"github.com/gitfleet/gitfleet/renderer"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

// observed is what a cycle collected for the status tree's cluster and resource files: the
// inputs of clusterstatus.BuildTree. It is nil when the source did not render (the
// previous files are then kept as they are).
type observed struct {
	inputs clusterstatus.Inputs
	// reached holds the clusters the hub reached this cycle, for their heartbeat: true when
	// reached, and also recovered when the status recorded them other than Ready=True (their
	// heartbeat is then refreshed at once, with the transition).
	reached, recovered map[string]bool
	// heartbeat is the FleetConfig's status heartbeat interval.
	heartbeat time.Duration
	// reports holds the fresh agent reports of Pull clusters, by cluster, and
	// reportCommits their commits (recorded as folded once the status is committed).
	reports       map[string]*v1alpha1.AgentReport
	reportCommits map[string]string
	// taints is what the taint decisions are made from, but the statuses, which come from
	// the status tree being committed.
	taints taints.Input
}

// collect probes every Push cluster the hub can reach and reads its rendered objects'
// status; clusters it has no credentials for (and Pull clusters) keep their previous files.
// A cluster that does not answer keeps its previous status for the grace period and turns
// Ready=Unknown after it (healthMonitor); view is the status the cycle started from.
func (c *Controller) collect(ctx context.Context, src *renderer.Source, result *renderer.Result, rendered *gitstore.Snapshot,
	view *renderer.StatusView) *observed {
	interp, err := interpreter.New(src.InterpreterCustomizations)
	if err != nil {
		c.opts.Log.Error("interpreter", "error", err)
		return nil
	}
	obs := &observed{inputs: clusterstatus.Inputs{Interpreter: interp, Templates: templateInputs(src, result)},
		reached: map[string]bool{}, recovered: map[string]bool{}, reports: map[string]*v1alpha1.AgentReport{}, reportCommits: map[string]string{}, heartbeat: src.FleetConfig.Spec.Status.HeartbeatInterval.Duration}
	grace := graceFrom(src.FleetConfig)
	failover := src.FleetConfig.Spec.Failover
	obs.taints = taints.Input{Clusters: src.Clusters, Policies: src.ClusterTaintPolicies,
		PoliciesEnabled: failover.Enabled != nil && *failover.Enabled,
		AllowNoExecute:  failover.AllowNoExecuteTaintPolicy != nil && *failover.AllowNoExecuteTaintPolicy}
	inputs := make([]clusterstatus.ClusterInput, len(src.Clusters))
	var g errgroup.Group
	g.SetLimit(c.opts.SyncConcurrency)
	for i, cl := range src.Clusters {
		inputs[i] = clusterstatus.ClusterInput{Name: cl.Name}
		cfg := c.memberConfig(cl.Name)
		if !c.hubSyncs(cl) || cfg == nil {
			continue
		}
		g.Go(func() error {
			inputs[i] = c.collectCluster(ctx, cl.Name, cfg, interp, rendered)
			return nil
		})
	}
	_ = g.Wait() // what a cluster could not give is logged and left to its previous files
	now := c.opts.now()
	for i, cl := range src.Clusters {
		fresh := true
		switch {
		case !c.hubSyncs(cl):
			var rep *v1alpha1.AgentReport
			var commit string
			inputs[i], rep, commit, fresh = c.readReport(cl.Name)
			if commit != "" {
				obs.reportCommits[cl.Name] = commit
			}
			if fresh {
				obs.reports[cl.Name] = rep
			}
		case c.memberConfig(cl.Name) == nil:
			continue
		}
		var reached bool
		previous := recordedReady(view, cl.Name)
		inputs[i].Status, reached = c.health.observe(cl.Name, inputs[i].Status, fresh, previous != "", now, grace)
		obs.reached[cl.Name] = reached
		obs.recovered[cl.Name] = reached && previous != metav1.ConditionTrue
	}
	obs.inputs.Clusters = inputs
	return obs
}

// readReport reads a Pull cluster's report from its own report ref, and only from there.
// fresh is true when the report's commit is one this hub has not folded yet; a report that
// is not fresh, or that cannot be read, contributes nothing (the previous status files stay,
// and the cluster's silence counts towards its grace period). commit is the report ref's
// commit, for the hub to record as folded (a report that cannot be read is not read again).
func (c *Controller) readReport(cluster string) (in clusterstatus.ClusterInput, rep *v1alpha1.AgentReport, commit string, fresh bool) {
	in = clusterstatus.ClusterInput{Name: cluster}
	snap, err := c.opts.Repo.BranchSnapshot(v1alpha1.AgentReportBranchPrefix + cluster)
	if err != nil || snap == nil {
		if err != nil {
			c.opts.Log.Warn("reading an agent report", "cluster", cluster, "error", err)
		}
		return in, nil, "", false
	}
	commit = snap.Commit.Hash
	if !c.health.newReport(cluster, commit) {
		return in, nil, commit, false
	}
	rep, err = clusterstatus.DecodeAgentReport(snap.FS, cluster)
	if err == nil && rep == nil {
		err = fmt.Errorf("no %s", v1alpha1.AgentReportFileName)
	}
	if err == nil {
		in, err = clusterstatus.DecodeReport(snap.FS, cluster)
	}
	if err != nil {
		c.opts.Log.Warn("ignoring an agent report", "cluster", cluster, "commit", commit, "error", err)
		return clusterstatus.ClusterInput{Name: cluster}, nil, commit, false
	}
	return in, rep, commit, true
}

// collectCluster collects one cluster; what it cannot read keeps its previous status.
func (c *Controller) collectCluster(ctx context.Context, name string, cfg *rest.Config, interp *interpreter.Interpreter,
	rendered *gitstore.Snapshot) clusterstatus.ClusterInput {
	var inv *v1alpha1.ClusterInventory
	if rendered != nil {
		if dir, err := fs.Sub(rendered.FS, v1alpha1.ExecutionSpacePrefix+name); err == nil {
			inv, _ = syncer.ReadInventory(dir) // none: only the cluster's own status is collected
		}
	}
	in, err := clusterstatus.CollectCluster(ctx, name, cfg, inv, interp,
		clusterstatus.ProbeOptions{Now: c.opts.now}, clusterstatus.CollectOptions{})
	if err != nil {
		c.opts.Log.Warn("collecting status", "cluster", name, "error", err)
	}
	return in
}

// templateInputs lists every propagated template with the clusters its binding sends it to.
func templateInputs(src *renderer.Source, result *renderer.Result) []clusterstatus.TemplateInput {
	if result == nil {
		return nil
	}
	byKey := make(map[renderer.ObjectKey]*unstructured.Unstructured, len(src.Templates))
	for _, tpl := range src.Templates {
		gv, _ := schema.ParseGroupVersion(tpl.GetAPIVersion())
		byKey[renderer.ObjectKey{Group: gv.Group, Kind: tpl.GetKind(), Namespace: tpl.GetNamespace(), Name: tpl.GetName()}] = tpl
	}
	var out []clusterstatus.TemplateInput
	for _, rb := range result.Bindings {
		tpl := byKey[rb.Template]
		if tpl == nil {
			continue
		}
		var clusters []string
		for _, t := range rb.Binding.Spec.Clusters {
			clusters = append(clusters, t.Name)
		}
		for _, r := range rb.Binding.Spec.RequiredBy {
			for _, t := range r.Clusters {
				clusters = append(clusters, t.Name)
			}
		}
		// A cluster the workload is being evicted from keeps serving its old copy until the
		// eviction is retired: the global view shows it there meanwhile.
		for _, task := range rb.Binding.Spec.GracefulEvictionTasks {
			if task.PurgeMode != v1alpha1.PurgeModeDirectly {
				clusters = append(clusters, task.FromCluster)
			}
		}
		slices.Sort(clusters)
		out = append(out, clusterstatus.TemplateInput{Template: tpl, Clusters: slices.Compact(clusters)})
	}
	return out
}

// replaceObserved swaps the cluster and resource files of a status tree for the ones built
// from obs; sync.yaml files and everything else stay.
func replaceObserved(files map[string][]byte, prev fs.FS, obs *observed) error {
	built, err := clusterstatus.BuildTree(prev, obs.inputs)
	if built == nil {
		return err
	}
	for p := range files {
		if clusterstatus.IsTreeFile(p) {
			delete(files, p)
		}
	}
	for p, data := range built {
		files[p] = data
	}
	return err
}
