package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

func newControllerCommand() *cobra.Command {
	var (
		opts              controller.Options
		repoURL, cacheDir string
		interval          time.Duration
		once              bool
	)
	cmd := &cobra.Command{
		Use:   "controller",
		Short: "Run the hub: render the source, sync Push clusters, record status in Git",
		Long: `controller runs the hub's loop: every interval it renders the head of the source ref onto
the rendered ref, applies each Push cluster's directory with server-side apply (credentials
from --credentials-dir/<cluster>.kubeconfig), and records the render and every cluster's sync
on the status ref. It commits only what changed, so a converged fleet makes no commits. A
source that does not render moves nothing: the last good render stays applied and the errors
go to render.yaml on the status ref, each at its file and line.`,
		Example: `  gitfleet controller --repo /srv/fleet --credentials-dir /etc/gitfleet/clusters
  gitfleet controller --repo https://git.example.com/platform/fleet.git --credentials-dir creds/ --interval 15s
  gitfleet controller --repo . --credentials-dir creds/ --once`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if repoURL == "" {
				return errors.New("--repo is required")
			}
			repo, err := gitstore.Open(cmd.Context(), gitstore.Options{URL: repoURL, Auth: authFromEnv(), CacheDir: cacheDir})
			if err != nil {
				return err
			}
			opts.Repo, opts.Version = repo, version
			opts.Log = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			ctrl := controller.New(opts)
			if !once {
				return ctrl.Run(cmd.Context(), interval)
			}
			res, err := ctrl.Cycle(cmd.Context())
			if err != nil {
				return err
			}
			return printCycle(cmd.OutOrStdout(), res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&repoURL, "repo", "", "the fleet repository: a local path or an http(s) URL")
	f.StringVar(&cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs (default: in memory)")
	f.StringVar(&opts.SourceRef, "source-ref", "main", "the branch holding the source")
	f.StringVar(&opts.RenderedRef, "rendered-ref", "gitfleet/rendered", "the branch the renders are committed to")
	f.StringVar(&opts.StatusRef, "status-ref", "gitfleet/status", "the branch the status is committed to")
	f.BoolVar(&opts.ClusterBranches, "cluster-branches", false, "also commit each cluster's directory to gitfleet/cluster/<cluster>")
	f.StringVar(&opts.CredentialsDir, "credentials-dir", "", "directory holding <cluster>.kubeconfig for each Push cluster")
	f.BoolVar(&opts.SyncPullClusters, "sync-pull-clusters", false, "also sync Pull clusters from the hub (credentials from --credentials-dir), for clusters that run no agent yet")
	f.IntVar(&opts.SyncConcurrency, "sync-concurrency", 4, "how many clusters are synced at once")
	f.DurationVar(&interval, "interval", 30*time.Second, "time between cycles")
	f.BoolVar(&once, "once", false, "run one cycle, print what it did and exit")
	return cmd
}

// printCycle says what one cycle did; a source that did not render exits 1.
func printCycle(w io.Writer, res *controller.CycleResult) error {
	fmt.Fprintf(w, "source %.12s: ", res.SourceCommit)
	if res.RenderErr != nil {
		fmt.Fprintf(w, "does not render, nothing moved:\n%v\n", res.RenderErr)
	} else {
		fmt.Fprintf(w, "rendered %.12s (changed: %t)\n", res.Rendered.Commit, res.Rendered.Changed)
	}
	for _, name := range slices.Sorted(maps.Keys(res.Syncs)) {
		s := res.Syncs[name]
		if s.Err != nil {
			fmt.Fprintf(w, "  %s: %v\n", name, s.Err)
			continue
		}
		r := s.Result
		fmt.Fprintf(w, "  %s: %d applied, %d unchanged, %d pruned, %d conflicts, %d failed\n",
			name, r.Applied, r.Unchanged, r.Pruned, r.Conflicts, r.Failed)
	}
	fmt.Fprintf(w, "status %.12s (changed: %t)\n", res.Status.Commit, res.Status.Changed)
	if res.RenderErr != nil {
		return &exitError{code: 1}
	}
	return nil
}
