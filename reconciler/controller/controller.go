package controller

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/credentials"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/lease"
	"github.com/gitfleet/gitfleet/reconciler/publish"
	"github.com/gitfleet/gitfleet/reconciler/syncer"
	"github.com/gitfleet/gitfleet/renderer"
)

// Options configure a Controller.
type Options struct {
	// Repo is the fleet repository.
	Repo *gitstore.Repository
	// SourceRef, RenderedRef and StatusRef name the refs (DESIGN §1).
	SourceRef, RenderedRef, StatusRef string
	// ClusterBranches also publishes each cluster's directory to gitfleet/cluster/<cluster>.
	ClusterBranches bool
	// Credentials finds each cluster's credentials: its spec.secretRef Secret in the hub's
	// cluster, or <cluster>.kubeconfig in a credentials directory (DESIGN §1.1). They are
	// resolved every cycle; a cluster's clients are rebuilt when its credentials rotate.
	Credentials credentials.Resolver
	// SyncPullClusters also syncs Pull clusters from the hub, with the same credentials —
	// for fleets whose clusters run no pull agent yet.
	SyncPullClusters bool
	// SyncConcurrency bounds how many clusters are synced at once.
	SyncConcurrency int
	// Syncer configures each cluster's syncer (Cluster is set per cluster).
	Syncer syncer.Options
	// Version is gitfleet's version, recorded in provenance.
	Version string
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
	// Now is the clock status commits are dated by; nil is time.Now.
	Now func() time.Time
	// Trigger, when set, makes Run cycle as soon as it fires (a push webhook) instead of
	// waiting for the next tick.
	Trigger *Trigger
	// Metrics, when set, records every cycle Run makes (and with it the hub's readiness).
	Metrics *Metrics
	// Lease, when set, is the hub lease (DESIGN §2): a cycle does nothing unless this hub
	// holds it, every write checks it again, and Run keeps it renewed. Nil means this hub
	// writes unconditionally (a fleet with a single hub).
	Lease *lease.Lease
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Controller runs cycles of the hub's loop. It keeps one syncer per cluster across cycles
// (each holds its cluster's rate limiter and caches). Cycles must not overlap.
type Controller struct {
	opts   Options
	mu     sync.Mutex
	health *healthMonitor

	clientsMu sync.Mutex
	clients   map[string]*memberClients

	// decisionMemory is the failover controllers' memory between cycles.
	decisionMemory decisionMemory
}

// memberClients are the clients of one member cluster, kept across cycles while its
// credentials do not change.
type memberClients struct {
	fingerprint string
	config      *rest.Config
	syncer      *syncer.Syncer
}

// New returns a Controller; empty ref names get their defaults.
func New(opts Options) *Controller {
	if opts.SourceRef == "" {
		opts.SourceRef = "main"
	}
	if opts.RenderedRef == "" {
		opts.RenderedRef = "gitfleet/rendered"
	}
	if opts.StatusRef == "" {
		opts.StatusRef = "gitfleet/status"
	}
	if opts.SyncConcurrency <= 0 {
		opts.SyncConcurrency = 4
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Controller{opts: opts, clients: map[string]*memberClients{}, health: newHealthMonitor()}
}

// CycleResult is what one cycle did.
type CycleResult struct {
	// Standby is true when the cycle did nothing because another hub holds the lease
	// (Holder names it, when known).
	Standby bool
	Holder  string
	// SourceCommit is the source commit rendered.
	SourceCommit string
	// RenderErr is the render's failure (invalid source), nil on success.
	RenderErr error
	// RenderDuration is how long loading, rendering and committing took.
	RenderDuration time.Duration
	// Rendered is the rendered ref's commit (Changed: this cycle made it); zero when the
	// render failed.
	Rendered gitstore.CommitResult
	// Syncs holds each Push cluster's sync, by cluster name.
	Syncs map[string]ClusterSync
	// Status is the status ref's commit (Changed: this cycle made it).
	Status gitstore.CommitResult
	// Decisions are the eviction, descheduling and rebalance decisions the status commit
	// made or retired, one line each.
	Decisions []string
	// NextDecision is when a decision falls due without anything else changing (an
	// eviction the pacer held back, a toleration or grace period running out); zero: none.
	NextDecision time.Time
}

// ClusterSync is the sync of one cluster in a cycle.
type ClusterSync struct {
	// Result is the syncer's result (nil when the sync did not run).
	Result *syncer.Result
	// Err is why the sync did not run or did not finish.
	Err error
}

// Cycle runs one pass: render and commit, sync the Push clusters to the rendered ref (the
// last good render when this one failed: bad input loses nothing already applied), and
// commit the status. An error means the cycle could not reach the repository; problems of
// the source or of single clusters are in the result and the status.
func (c *Controller) Cycle(ctx context.Context) (*CycleResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.opts.Lease; l != nil && !l.Held() {
		return &CycleResult{Standby: true, Holder: l.Holder()}, nil
	}
	repo := c.opts.Repo
	if err := repo.Fetch(ctx); err != nil {
		return nil, err
	}
	head, err := repo.Resolve(c.opts.SourceRef)
	if err != nil {
		return nil, fmt.Errorf("source ref: %w", err)
	}
	source, err := repo.Snapshot(head)
	if err != nil {
		return nil, err
	}
	status, err := repo.BranchSnapshot(c.opts.StatusRef) // nil before the first status
	if err != nil {
		return nil, err
	}
	var statusFS fs.FS
	if status != nil {
		statusFS = status.FS
	}
	// The status the render places by is also what this cycle's health rules start from.
	view, err := renderer.LoadStatusView(statusFS)
	if err != nil {
		return nil, err
	}
	res := &CycleResult{SourceCommit: source.Commit.Hash}
	renderStart := time.Now()
	src, result, renderErr := c.render(ctx, source, status, view, res)
	res.RenderDuration = time.Since(renderStart)
	res.RenderErr = renderErr
	var diags renderer.Diagnostics
	if renderErr != nil && !errors.As(renderErr, &diags) {
		return res, renderErr // not the source's fault: the repository failed
	}
	rendered, err := c.opts.Repo.BranchSnapshot(c.opts.RenderedRef) // nil before the first render
	if err != nil {
		return res, err
	}
	res.Syncs = c.syncAll(ctx, src, rendered)
	var obs *observed
	if src != nil {
		obs = c.collect(ctx, src, result, rendered, view)
	}
	var din *decisionInputs
	if rendered != nil {
		din = newDecisionInputs(src, result, rendered.Commit.Hash)
	}
	res.Status, err = c.commitStatus(ctx, res, rendered, diags, obs, din)
	if err == nil && obs != nil {
		c.health.folded(obs.reportCommits)
	}
	return res, err
}

// mayWrite returns nil when this hub may write now (it holds the lease, or runs without
// one); callers check it just before each write.
func (c *Controller) mayWrite() error {
	if c.opts.Lease == nil {
		return nil
	}
	return c.opts.Lease.Check()
}

// render loads the source and commits its render against view, the status read from
// status; it returns the loaded source and the render (nil when the source is invalid), or
// the diagnostics of an invalid source.
func (c *Controller) render(ctx context.Context, source, status *gitstore.Snapshot, view *renderer.StatusView,
	res *CycleResult) (*renderer.Source, *renderer.Result, error) {
	epoch := metav1.NewTime(source.Commit.Time)
	src, err := renderer.LoadSource(source.FS, renderer.LoadOptions{Epoch: epoch})
	if err != nil {
		return nil, nil, err
	}
	var statusCommit string
	if status != nil {
		statusCommit = status.Commit.Hash
	}
	req := publish.Request{RenderedBranch: c.opts.RenderedRef, SourceCommit: source.Commit.Hash, StatusCommit: statusCommit,
		When: source.Commit.Time, Guard: c.mayWrite}
	if c.opts.ClusterBranches {
		req.ClusterBranchPrefix = publish.DefaultClusterBranchPrefix
	}
	out, err := publish.Commit(ctx, c.opts.Repo, req, func(previousFS fs.FS) (*renderer.Result, error) {
		previous, err := renderer.LoadPrevious(previousFS)
		if err != nil {
			return nil, err
		}
		return renderer.Render(src, view, previous, renderer.Options{SourceCommit: source.Commit.Hash, Epoch: epoch, Version: c.opts.Version})
	})
	if out != nil {
		res.Rendered = out.Rendered
	}
	if err != nil {
		// publish wraps the render's diagnostics; hand them back as they are.
		var diags renderer.Diagnostics
		if errors.As(err, &diags) {
			return nil, nil, diags
		}
		return nil, nil, err
	}
	c.opts.Log.Info("rendered", "source", source.Commit.Hash, "rendered", out.Rendered.Commit.String(), "changed", out.Rendered.Changed)
	return src, out.Result, nil
}

// syncAll syncs every Push cluster of the source to the rendered tree, a bounded number at
// once; one failing cluster never holds up the others. With an invalid source (src nil) the
// clusters of the last good render are synced, read from its directories.
func (c *Controller) syncAll(ctx context.Context, src *renderer.Source, rendered *gitstore.Snapshot) map[string]ClusterSync {
	out := map[string]ClusterSync{}
	if rendered == nil {
		return out
	}
	clusters := c.clustersToSync(src, rendered)
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(c.opts.SyncConcurrency)
	for _, cl := range clusters {
		name := cl.Name
		g.Go(func() error {
			s := c.syncCluster(ctx, cl, src == nil, rendered)
			mu.Lock()
			out[name] = s
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait() // each cluster's outcome is in out
	return out
}

// clustersToSync lists the clusters the hub syncs, sorted by name: the Push clusters of the
// source (and the Pull ones with SyncPullClusters), or — when the source is invalid — the
// clusters of the last good render's directories, known by name only (their clients from
// the last good source are reused).
func (c *Controller) clustersToSync(src *renderer.Source, rendered *gitstore.Snapshot) []*v1alpha1.Cluster {
	var clusters []*v1alpha1.Cluster
	if src != nil {
		for _, cl := range src.Clusters {
			if c.hubSyncs(cl) {
				clusters = append(clusters, cl)
			}
		}
	} else if entries, err := fs.ReadDir(rendered.FS, "."); err == nil {
		for _, e := range entries {
			if name, ok := strings.CutPrefix(e.Name(), v1alpha1.ExecutionSpacePrefix); ok && e.IsDir() {
				cl := &v1alpha1.Cluster{}
				cl.Name = name
				clusters = append(clusters, cl)
			}
		}
	}
	slices.SortFunc(clusters, func(a, b *v1alpha1.Cluster) int { return strings.Compare(a.Name, b.Name) })
	return clusters
}

// hubSyncs reports whether the hub applies the cluster's directory itself.
func (c *Controller) hubSyncs(cl *v1alpha1.Cluster) bool {
	return cl.Spec.SyncMode == v1alpha1.Push || c.opts.SyncPullClusters
}

// syncCluster applies one cluster's directory of the rendered tree.
// nameOnly says that cl comes from the rendered tree, not from a valid source.
func (c *Controller) syncCluster(ctx context.Context, cl *v1alpha1.Cluster, nameOnly bool, rendered *gitstore.Snapshot) ClusterSync {
	if err := c.mayWrite(); err != nil {
		return ClusterSync{Err: err}
	}
	name := cl.Name
	mc, err := c.clientsFor(ctx, cl, nameOnly)
	if err != nil {
		return ClusterSync{Err: err}
	}
	s := mc.syncer
	dir, err := fs.Sub(rendered.FS, v1alpha1.ExecutionSpacePrefix+name)
	if err != nil {
		return ClusterSync{Err: err}
	}
	start := time.Now()
	res, err := s.Sync(ctx, syncer.Request{Dir: dir, Commit: rendered.Commit.Hash})
	log := c.opts.Log.With("cluster", name, "duration", time.Since(start))
	if err != nil {
		log.Error("sync failed", "error", err)
	} else {
		log.Info("synced", "applied", res.Applied, "unchanged", res.Unchanged, "pruned", res.Pruned,
			"conflicts", res.Conflicts, "failed", res.Failed)
	}
	return ClusterSync{Result: res, Err: err}
}

// clientsFor returns the cluster's clients, made from its credentials, which are resolved
// again every cycle: the clients are kept while the credentials' fingerprint is unchanged
// and rebuilt when they rotate. A cluster known by name only (the source is invalid) keeps
// the clients it has.
func (c *Controller) clientsFor(ctx context.Context, cl *v1alpha1.Cluster, nameOnly bool) (*memberClients, error) {
	name := cl.Name
	c.clientsMu.Lock()
	current := c.clients[name]
	c.clientsMu.Unlock()
	if current != nil && nameOnly {
		return current, nil
	}
	creds, err := c.opts.Credentials.Resolve(ctx, cl)
	if err != nil {
		return nil, fmt.Errorf("credentials of cluster %s: %w", name, err)
	}
	if current != nil && current.fingerprint == creds.Fingerprint {
		return current, nil
	}
	opts := c.opts.Syncer
	opts.Cluster = name
	s, err := syncer.New(creds.Config, opts)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", name, err)
	}
	if current != nil {
		c.opts.Log.Info("credentials changed: new clients", "cluster", name, "source", creds.Source)
	}
	mc := &memberClients{fingerprint: creds.Fingerprint, config: creds.Config, syncer: s}
	c.clientsMu.Lock()
	c.clients[name] = mc
	c.clientsMu.Unlock()
	return mc, nil
}

// memberConfig returns the client config of a cluster the hub has synced, nil otherwise.
func (c *Controller) memberConfig(name string) *rest.Config {
	c.clientsMu.Lock()
	defer c.clientsMu.Unlock()
	if mc := c.clients[name]; mc != nil {
		return mc.config
	}
	return nil
}

// Run runs a cycle every interval, and right away whenever Options.Trigger fires or a cycle
// made a failover decision, and when a decision falls due (CycleResult.NextDecision), until
// ctx ends; a failed cycle is logged and retried on the next
// tick. With a lease it keeps the
// lease renewed beside the cycles, which do nothing while another hub holds it, and
// releases it on the way out.
func (c *Controller) Run(ctx context.Context, interval time.Duration) error {
	if l := c.opts.Lease; l != nil {
		if _, err := l.TryAcquireOrRenew(ctx); err != nil {
			c.opts.Log.Warn("hub lease", "error", err)
		}
		leaseCtx, stopLease := context.WithCancel(ctx)
		renewed := make(chan struct{})
		go func() {
			defer close(renewed)
			l.Run(leaseCtx)
		}()
		defer func() {
			stopLease()
			<-renewed
		}()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	again := false
	for {
		start := time.Now()
		res, err := c.Cycle(ctx)
		c.opts.Metrics.ObserveCycle(res, err, time.Since(start))
		switch {
		case err != nil:
			c.opts.Log.Error("cycle failed", "error", err)
		case res.Standby:
			c.opts.Log.Info("standing by: another hub holds the lease", "holder", res.Holder)
		case res.RenderErr != nil:
			c.opts.Log.Warn("source does not render", "source", res.SourceCommit, "error", res.RenderErr)
		}
		// A cycle that made a decision is followed by another at once (but not a third):
		// its render is what carries the decision out — an evicted workload's new placement,
		// an eviction's clean-up — and waiting an interval would only delay the failover.
		if err == nil && len(res.Decisions) > 0 && !again && ctx.Err() == nil {
			again = true
			continue
		}
		again = false
		// A decision that falls due before the next tick gets its own cycle, at least a
		// second from now so that a deadline already passed cannot spin the loop.
		var due <-chan time.Time
		if err == nil && !res.NextDecision.IsZero() {
			if wait := max(time.Second, res.NextDecision.Sub(c.opts.now())); wait < interval {
				due = time.After(wait)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-due:
		case <-t.C:
		case <-c.opts.Trigger.C():
			// The next tick counts from this cycle: it just read the source.
			t.Reset(interval)
		}
	}
}
