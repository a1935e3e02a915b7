// Package agent is gitfleet's pull agent (DESIGN §2): it runs in (or next to) a member
// cluster that the hub cannot reach, reads that cluster's directory of the rendered ref,
// applies it with the same syncer as Push mode, and pushes what it saw — heartbeat, last
// applied commit, cluster status, nodes, object status — to the cluster's own report ref,
// gitfleet/agents/<cluster>, as one commit that replaces the previous report.
//
// The agent never loses what is applied: when Git cannot be reached, the rendered ref is
// gone, or the cluster's directory is not a valid render (no or a broken
// .gitfleet-cluster.yaml, a file that does not match its digest), it changes nothing in the
// cluster and says why in its next report. Only a valid render that leaves objects out
// prunes them.
package agent

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/syncer"
	"github.com/gitfleet/gitfleet/renderer/interpreter"
)

// Defaults of Options.
const (
	DefaultRenderedRef = "gitfleet/rendered"
	DefaultInterval    = 15 * time.Second
	DefaultMaxBackoff  = 5 * time.Minute
)

// Options configure an Agent.
type Options struct {
	// Repo is the fleet repository: the agent reads RenderedRef and writes ReportRef.
	Repo *gitstore.Repository
	// Cluster is the member cluster the agent runs in.
	Cluster string
	// RenderedRef is the ref the agent applies from: the rendered ref (DefaultRenderedRef)
	// or the cluster's own gitfleet/cluster/<cluster> branch; either holds the cluster's
	// directory at the same path.
	RenderedRef string
	// ReportRef is where reports go; default v1alpha1.AgentReportBranchPrefix + Cluster.
	ReportRef string
	// Config reaches the member cluster's API server.
	Config *rest.Config
	// Syncer configures the syncer (its Cluster is set to Cluster).
	Syncer syncer.Options
	// Collect configures the collection of object status.
	Collect clusterstatus.CollectOptions
	// Version is gitfleet's version, recorded in reports.
	Version string
	// Interval is the time between cycles: how often the agent applies and reports.
	Interval time.Duration
	// MaxBackoff bounds the wait after failed cycles, which doubles from Interval.
	MaxBackoff time.Duration
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
}

// Agent is one cluster's pull agent. Cycles must not overlap.
type Agent struct {
	opts   Options
	syncer *syncer.Syncer
	interp *interpreter.Interpreter
	// customizations are the bytes of the interpreter customizations interp was built with
	// (nil: the built-in rules only).
	customizations []byte
	// last is the last sync record, kept across cycles: a cycle that applies nothing
	// reports the commit applied before.
	last *v1alpha1.ClusterSyncStatus
	// inventory is the last valid inventory applied, whose objects keep being reported
	// while the rendered directory is not valid.
	inventory *v1alpha1.ClusterInventory
}

// New returns an Agent; zero options get their defaults.
func New(opts Options) (*Agent, error) {
	switch {
	case opts.Repo == nil:
		return nil, errors.New("agent: no repository")
	case opts.Cluster == "":
		return nil, errors.New("agent: no cluster name")
	case opts.Config == nil:
		return nil, errors.New("agent: no cluster client configuration")
	}
	if opts.RenderedRef == "" {
		opts.RenderedRef = DefaultRenderedRef
	}
	if opts.ReportRef == "" {
		opts.ReportRef = v1alpha1.AgentReportBranchPrefix + opts.Cluster
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.MaxBackoff < opts.Interval {
		opts.MaxBackoff = max(DefaultMaxBackoff, opts.Interval)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	opts.Syncer.Cluster = opts.Cluster
	s, err := syncer.New(opts.Config, opts.Syncer)
	if err != nil {
		return nil, fmt.Errorf("agent for cluster %s: %w", opts.Cluster, err)
	}
	// Until a render brings the source's customizations (.gitfleet-interpreter.yaml in the
	// cluster's directory), object health and status are interpreted with the built-in rules.
	interp, err := interpreter.New(nil)
	if err != nil {
		return nil, err
	}
	return &Agent{opts: opts, syncer: s, interp: interp}, nil
}

// CycleResult is what one cycle did.
type CycleResult struct {
	// RenderedCommit is the rendered commit read (empty when the ref does not exist).
	RenderedCommit string
	// Sync is the sync's result; nil when nothing was applied.
	Sync *syncer.Result
	// SyncErr says why nothing (or not everything) was applied.
	SyncErr error
	// Report is the report ref's commit.
	Report gitstore.CommitResult
}

// Cycle fetches the rendered ref, applies the cluster's directory, collects the cluster's
// status and pushes the report. An error means Git could not be reached (nothing was
// applied, no report was made): Run retries with backoff. Problems of the render or of the
// cluster are in the result and in the report.
func (a *Agent) Cycle(ctx context.Context) (*CycleResult, error) {
	if err := a.opts.Repo.Fetch(ctx); err != nil {
		return nil, err
	}
	if a.last == nil {
		a.resume(ctx)
	}
	res := &CycleResult{}
	rendered, err := a.opts.Repo.BranchSnapshot(a.opts.RenderedRef)
	if err != nil {
		return nil, err
	}
	inv := a.inventory
	if rendered == nil {
		res.SyncErr = fmt.Errorf("the rendered ref %s does not exist: nothing applied", a.opts.RenderedRef)
	} else {
		res.RenderedCommit = rendered.Commit.Hash
		res.Sync, res.SyncErr = a.apply(ctx, rendered)
		if res.SyncErr == nil {
			inv = readInventory(rendered.FS, a.opts.Cluster)
			a.inventory = inv
			a.loadCustomizations(rendered)
		}
	}
	if res.SyncErr != nil {
		a.opts.Log.Warn("nothing applied", "cluster", a.opts.Cluster, "rendered", res.RenderedCommit, "error", res.SyncErr)
	}
	a.last = syncer.SyncStatus(a.opts.Cluster, res.Sync, res.SyncErr, a.last)

	in, err := clusterstatus.CollectCluster(ctx, a.opts.Cluster, a.opts.Config, inv, a.interp,
		clusterstatus.ProbeOptions{Now: a.opts.Now}, a.opts.Collect)
	if err != nil {
		a.opts.Log.Warn("collecting status", "cluster", a.opts.Cluster, "error", err)
	}
	res.Report, err = a.report(ctx, in, res.RenderedCommit)
	if err != nil {
		return res, err
	}
	return res, nil
}

// resume recovers, in a new agent process, what the previous one knew: the last sync record
// from the agent's own last report, or else the commit the in-cluster inventory records, and
// that commit's inventory when the clone has it. A restarted agent that faces an invalid
// render then still reports what the cluster holds rather than "never synced".
func (a *Agent) resume(ctx context.Context) {
	a.last = &v1alpha1.ClusterSyncStatus{}
	if snap, err := a.opts.Repo.BranchSnapshot(a.opts.ReportRef); err == nil && snap != nil {
		if prev, err := clusterstatus.DecodeAgentReport(snap.FS, a.opts.Cluster); err == nil && prev != nil {
			a.last = prev.Sync.DeepCopy()
		}
	}
	if a.last.AppliedCommit == "" {
		commit, err := a.syncer.LastAppliedCommit(ctx)
		if err != nil {
			a.opts.Log.Warn("reading the in-cluster inventory", "cluster", a.opts.Cluster, "error", err)
		}
		a.last.AppliedCommit = commit
	}
	if a.last.AppliedCommit == "" {
		return
	}
	if snap, err := a.opts.Repo.Snapshot(plumbing.NewHash(a.last.AppliedCommit)); err == nil {
		a.inventory = readInventory(snap.FS, a.opts.Cluster)
		if a.inventory != nil && a.last.Objects == 0 {
			a.last.Objects = len(a.inventory.Objects)
		}
	}
}

// apply syncs the cluster's directory of the rendered tree; the syncer refuses a directory
// that is missing or does not match its inventory, changing nothing.
func (a *Agent) apply(ctx context.Context, rendered *gitstore.Snapshot) (*syncer.Result, error) {
	dir, err := fs.Sub(rendered.FS, v1alpha1.ExecutionSpacePrefix+a.opts.Cluster)
	if err != nil {
		return nil, err
	}
	res, err := a.syncer.Sync(ctx, syncer.Request{Dir: dir, Commit: rendered.Commit.Hash})
	if err != nil && res == nil {
		return nil, err
	}
	a.opts.Log.Info("synced", "cluster", a.opts.Cluster, "rendered", rendered.Commit.Hash, "applied", res.Applied,
		"unchanged", res.Unchanged, "pruned", res.Pruned, "conflicts", res.Conflicts, "failed", res.Failed)
	return res, err
}

// report pushes one report: report.yaml and what was collected, replacing the previous
// report in one commit (a reader sees the old report or the new one, never half of each).
func (a *Agent) report(ctx context.Context, in clusterstatus.ClusterInput, renderedCommit string) (gitstore.CommitResult, error) {
	now := a.opts.Now()
	files, err := clusterstatus.EncodeAgentReport(in, &v1alpha1.AgentReport{Cluster: a.opts.Cluster, AgentVersion: a.opts.Version,
		HeartbeatTime: metav1.NewTime(now.UTC().Truncate(time.Second)), ObservedCommit: renderedCommit, Sync: *a.last})
	if err != nil {
		return gitstore.CommitResult{}, err
	}
	return a.opts.Repo.UpdateBranch(ctx, a.opts.ReportRef, func(*gitstore.Snapshot) (gitstore.CommitRequest, error) {
		return gitstore.CommitRequest{
			Files:   files,
			Message: fmt.Sprintf("Report of cluster %s", a.opts.Cluster),
			Author:  gitstore.Signature{Name: "gitfleet agent " + a.opts.Cluster, Email: "gitfleet@localhost", When: now},
			Replace: true,
		}, nil
	})
}

// Run runs a cycle every interval until ctx ends. After a failed cycle (Git unreachable) it
// waits longer each time — doubling from the interval up to MaxBackoff, with jitter so that
// many agents do not come back at once — while everything applied stays as it is.
func (a *Agent) Run(ctx context.Context) error {
	failures := 0
	for {
		res, err := a.Cycle(ctx)
		wait := a.opts.Interval
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			failures++
			wait = backoff(a.opts.Interval, a.opts.MaxBackoff, failures, rand.Float64())
			a.opts.Log.Error("cycle failed: nothing changed in the cluster", "cluster", a.opts.Cluster, "error", err,
				"failures", failures, "retryIn", wait)
		default:
			failures = 0
			a.opts.Log.Info("reported", "cluster", a.opts.Cluster, "report", res.Report.Commit.String())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// backoff is the wait after the n-th failure in a row: interval doubled n-1 times, capped
// at most, then spread over [½, 1] of itself by r ∈ [0, 1).
func backoff(interval, most time.Duration, n int, r float64) time.Duration {
	d := interval
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return d/2 + time.Duration(r*float64(d/2))
}

// readInventory reads the cluster's inventory from a rendered tree; nil when it has none.
func readInventory(rendered fs.FS, cluster string) *v1alpha1.ClusterInventory {
	dir, err := fs.Sub(rendered, v1alpha1.ExecutionSpacePrefix+cluster)
	if err != nil {
		return nil
	}
	inv, _ := syncer.ReadInventory(dir)
	return inv
}
