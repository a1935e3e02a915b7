package syncer

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"time"

	"github.com/fluxcd/cli-utils/pkg/kstatus/polling"
	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/flowcontrol"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// Syncer applies rendered cluster directories to one member cluster. Keep one per cluster
// for the life of the process: it holds the cluster's rate limiter and its discovery cache.
// Syncs on one Syncer run one at a time; Syncers of different clusters run concurrently.
type Syncer struct {
	opts     Options
	client   client.Client
	mapper   meta.RESTMapper
	manager  *ssa.ResourceManager
	requests *requestCounter
	// manifests caches decoded manifests between syncs.
	manifests *manifestCache
	mu        sync.Mutex
}

// New returns a Syncer for the member cluster cfg points at. Every request it makes shares
// one rate limiter sized by opts.QPS and opts.Burst, and is counted by verb.
func New(cfg *rest.Config, opts Options) (*Syncer, error) {
	opts = opts.withDefaults()
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = opts.QPS, opts.Burst
	// One limiter for the cluster: without it every per-type REST client gets its own.
	cfg.RateLimiter = flowcontrol.NewTokenBucketRateLimiter(opts.QPS, opts.Burst)
	counter := newRequestCounter()
	cfg.Wrap(counter.wrap)

	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("building HTTP client: %w", err)
	}
	mapper, err := apiutil.NewDynamicRESTMapper(cfg, httpClient)
	if err != nil {
		return nil, fmt.Errorf("building REST mapper: %w", err)
	}
	c, err := client.New(cfg, client.Options{HTTPClient: httpClient, Mapper: mapper})
	if err != nil {
		return nil, fmt.Errorf("building client: %w", err)
	}
	poller := polling.NewStatusPoller(c, mapper, polling.Options{})
	manager := ssa.NewResourceManager(c, poller, ssa.Owner{Field: opts.FieldManager, Group: "gitfleet.io"})
	return &Syncer{opts: opts, client: c, mapper: mapper, manager: manager, requests: counter, manifests: newManifestCache()}, nil
}

// Request is one directory to apply.
type Request struct {
	// Dir is the cluster's directory of the rendered tree (karmada-es-<cluster>/), holding
	// .gitfleet-cluster.yaml and the manifests it lists.
	Dir fs.FS
	// Commit is the rendered commit Dir comes from; the in-cluster inventory records it as
	// the last applied commit.
	Commit string
	// Changes optionally lists the manifests changed since a rendered commit (from the Git
	// diff). When Since is the cluster's last applied commit, those manifests are applied
	// without comparing them first. Without it nothing is missed: the in-cluster inventory
	// records each manifest's digest, so changed manifests are found either way.
	Changes *Changes
}

// Changes lists manifest paths changed between two rendered commits.
type Changes struct {
	// Since is the older commit.
	Since string
	// Paths are the changed manifests, relative to the cluster's directory.
	Paths []string
}

// changedPaths returns the paths of req.Changes when they are relative to lastApplied.
func (req Request) changedPaths(lastApplied string) map[string]bool {
	if req.Changes == nil || req.Changes.Since == "" || req.Changes.Since != lastApplied {
		return nil
	}
	set := make(map[string]bool, len(req.Changes.Paths))
	for _, p := range req.Changes.Paths {
		set[p] = true
	}
	return set
}

// Sync applies req.Dir to the member cluster and prunes what left it. A directory that
// fails verification is refused with an error wrapping ErrInvalidTree before anything is
// sent to the cluster. Per-object failures and conflicts are reported in the Result, not
// as an error; an error with a non-nil Result means the objects were synced but the
// in-cluster inventory could not be recorded (the next sync retries).
func (s *Syncer) Sync(ctx context.Context, req Request) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	before := s.requests.snapshot()

	tree, err := readTree(req.Dir, s.opts.Cluster, s.manifests)
	if err != nil {
		return nil, err
	}
	prev, err := s.readInventory(ctx)
	if err != nil {
		return nil, err
	}
	run := newSyncRun(s, tree, prev, req.changedPaths(prev.commit))
	run.apply(ctx)
	run.prune(ctx)
	werr := s.writeInventory(ctx, prev, run.nextInventory(req.Commit))

	res := &Result{Cluster: tree.cluster, Commit: req.Commit, PreviousCommit: prev.commit}
	res.Objects = run.results()
	slices.SortFunc(res.Objects, func(a, b ObjectResult) int { return cmp.Compare(a.Path, b.Path) })
	res.count()
	res.Duration = time.Since(start)
	res.Requests = s.requests.since(before)
	return res, werr
}

// LastAppliedCommit returns the rendered commit the member cluster's inventory records as
// last applied ("" when gitfleet never synced it), for a caller computing Changes.
func (s *Syncer) LastAppliedCommit(ctx context.Context) (string, error) {
	inv, err := s.readInventory(ctx)
	if err != nil {
		return "", err
	}
	return inv.commit, nil
}
