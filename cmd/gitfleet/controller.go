package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/credentials"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/lease"
	"github.com/gitfleet/gitfleet/reconciler/review"
)

func newControllerCommand() *cobra.Command {
	var (
		opts              controller.Options
		repoURL, cacheDir string
		interval          time.Duration
		once              bool
		listen            string
		webhookSecretFile string
		githubTokenFile   string
		githubAPIURL      string
		hubKubeconfig     string
		useLease          bool
		leaseOpts         lease.Options
	)
	cmd := &cobra.Command{
		Use:   "controller",
		Short: "Run the hub: render the source, sync Push clusters, record status in Git",
		Long: `controller runs the hub's loop: every interval it renders the head of the source ref onto
the rendered ref, applies each Push cluster's directory with server-side apply, and records
the render, every cluster's sync and health, and the templates' status on the status ref.
A cluster's credentials come from the Secret its spec.secretRef names, read in the hub's own
cluster (--hub-kubeconfig, or the in-cluster config in a pod), or else from
--credentials-dir/<cluster>.kubeconfig; they never come from Git.

Only one hub writes: the holder of the lease ref (gitfleet/lease). Start as many hubs as
you like; the others stand by and take over when the holder stops renewing it. It commits only what changed, so a converged fleet makes no commits. A
source that does not render moves nothing: the last good render stays applied and the errors
go to render.yaml on the status ref, each at its file and line.

With --listen it serves /healthz (the process is alive), /readyz (the last cycle completed
without a repository error) and /metrics (Prometheus); with --webhook-secret-file also
/hooks/push, where a push webhook signed GitHub-style (X-Hub-Signature-256, HMAC-SHA256 of
the body) starts a cycle right away. Unsigned or badly signed requests get 401.

With --github-token-file, pull_request webhooks (opened, synchronize, reopened) on the same
endpoint review the pull request as gitfleet pr-review does — a sticky comment with the
placement diff and a gitfleet/placement commit status — in the background, one at a time;
failed reviews are logged. Pull requests from forks need a --repo that holds their commits.`,
		Example: `  gitfleet controller --repo /srv/fleet --credentials-dir /etc/gitfleet/clusters
  gitfleet controller --repo https://git.example.com/platform/fleet.git --credentials-dir creds/ --interval 15s
  gitfleet controller --repo . --credentials-dir creds/ --once
  gitfleet controller --repo /srv/fleet --credentials-dir creds/ --listen :8080 --webhook-secret-file /etc/gitfleet/webhook-secret`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if repoURL == "" {
				return errors.New("--repo is required")
			}
			if webhookSecretFile != "" && listen == "" {
				return errors.New("--webhook-secret-file needs --listen")
			}
			if githubTokenFile != "" && webhookSecretFile == "" {
				return errors.New("--github-token-file needs --webhook-secret-file: reviews are asked for by pull_request webhooks")
			}
			repo, err := gitstore.Open(cmd.Context(), gitstore.Options{URL: repoURL, Auth: authFromEnv(), CacheDir: cacheDir})
			if err != nil {
				return err
			}
			opts.Repo, opts.Version = repo, version
			opts.Log = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			if opts.Credentials.Hub, err = credentials.HubClientFromKubeconfig(hubKubeconfig); err != nil {
				return err
			}
			if useLease {
				leaseOpts.Repo, leaseOpts.Log = repo, opts.Log
				if opts.Lease, err = lease.New(leaseOpts); err != nil {
					return err
				}
			}
			var reviewer *review.Reviewer
			if githubTokenFile != "" && !once {
				token, err := readGitHubToken(githubTokenFile)
				if err != nil {
					return err
				}
				gh, err := review.NewGitHub(review.GitHubOptions{APIURL: githubAPIURL, Token: token})
				if err != nil {
					return err
				}
				reviewer = &review.Reviewer{GitHub: gh, Repo: repo, StatusRef: opts.StatusRef, RenderedRef: opts.RenderedRef, Version: version}
			}
			if !once {
				return runController(cmd.Context(), opts, interval, listen, webhookSecretFile, reviewer)
			}
			return runOnce(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&repoURL, "repo", "", "the fleet repository: a local path or an http(s) URL")
	f.StringVar(&cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs (default: in memory)")
	f.StringVar(&opts.SourceRef, "source-ref", "main", "the branch holding the source")
	f.StringVar(&opts.RenderedRef, "rendered-ref", "gitfleet/rendered", "the branch the renders are committed to")
	f.StringVar(&opts.StatusRef, "status-ref", "gitfleet/status", "the branch the status is committed to")
	f.BoolVar(&opts.ClusterBranches, "cluster-branches", false, "also commit each cluster's directory to gitfleet/cluster/<cluster>")
	f.StringVar(&opts.Credentials.Dir, "credentials-dir", "", "directory holding <cluster>.kubeconfig for each Push cluster without a usable spec.secretRef")
	f.StringVar(&hubKubeconfig, "hub-kubeconfig", "", "kubeconfig of the hub's own cluster, where spec.secretRef Secrets are read (default: in-cluster config when running in a pod; none otherwise)")
	f.BoolVar(&useLease, "lease", true, "write only while holding the gitfleet/lease ref, so that at most one hub writes; disable only where a single hub can ever run")
	f.StringVar(&leaseOpts.Branch, "lease-ref", lease.DefaultBranch, "the branch holding the hub lease")
	f.StringVar(&leaseOpts.Identity, "lease-identity", "", "this hub's name in the lease (default: host name and a random suffix)")
	f.DurationVar(&leaseOpts.Duration, "lease-duration", lease.DefaultDuration, "how long other hubs wait for a renewal before taking the lease over")
	f.DurationVar(&leaseOpts.RenewDeadline, "lease-renew-deadline", lease.DefaultRenewDeadline, "how long after its last renewal the holder still writes (shorter than --lease-duration)")
	f.DurationVar(&leaseOpts.RetryPeriod, "lease-retry-period", lease.DefaultRetryPeriod, "time between attempts to take or renew the lease")
	f.BoolVar(&opts.SyncPullClusters, "sync-pull-clusters", false, "also sync Pull clusters from the hub (same credentials), for clusters that run no agent yet")
	f.IntVar(&opts.SyncConcurrency, "sync-concurrency", 4, "how many clusters are synced at once")
	f.DurationVar(&interval, "interval", 30*time.Second, "time between cycles")
	f.BoolVar(&once, "once", false, "run one cycle, print what it did and exit")
	f.StringVar(&listen, "listen", "", "serve /healthz, /readyz, /metrics (and /hooks/push with --webhook-secret-file) on this address, e.g. :8080; empty serves nothing")
	f.StringVar(&webhookSecretFile, "webhook-secret-file", "", "file holding the secret push webhooks are signed with (X-Hub-Signature-256); enables /hooks/push")
	f.StringVar(&githubTokenFile, "github-token-file", "", "file holding a GitHub token (pull-requests: write, statuses: write); enables reviews of pull requests announced by pull_request webhooks")
	f.StringVar(&githubAPIURL, "github-api-url", review.DefaultAPIURL, "with --github-token-file: GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3/)")
	return cmd
}

// runOnce runs one cycle, holding the lease for it when there is one, and prints what the
// cycle did.
func runOnce(ctx context.Context, w io.Writer, opts controller.Options) error {
	if l := opts.Lease; l != nil {
		held, err := l.TryAcquireOrRenew(ctx)
		if err != nil {
			return err
		}
		if !held {
			return fmt.Errorf("another hub holds the lease (%s): nothing done", l.Holder())
		}
		defer func() {
			if err := l.Release(context.WithoutCancel(ctx)); err != nil {
				opts.Log.Warn("releasing the hub lease", "error", err)
			}
		}()
	}
	res, err := controller.New(opts).Cycle(ctx)
	if err != nil {
		return err
	}
	return printCycle(w, res)
}

// runController runs the loop and, with listen, the hub's HTTP endpoints beside it (and, with
// a reviewer, the reviews pull_request webhooks ask for); a server that fails (a busy port)
// stops the loop.
func runController(ctx context.Context, opts controller.Options, interval time.Duration, listen, secretFile string, reviewer *review.Reviewer) error {
	opts.Metrics, opts.Trigger = controller.NewMetrics(), controller.NewTrigger()
	ctrl := controller.New(opts)
	if listen == "" {
		return ctrl.Run(ctx, interval)
	}
	secret, err := readWebhookSecret(secretFile)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var reviews *controller.Reviews
	if reviewer != nil {
		reviews = controller.NewReviews(reviewer, opts.Log)
		go reviews.Run(ctx)
	}
	h := controller.NewHandler(controller.ServerOptions{Metrics: opts.Metrics, Trigger: opts.Trigger, WebhookSecret: secret, Reviews: reviews, Log: opts.Log})
	served := make(chan error, 1)
	go func() {
		err := controller.Serve(ctx, listen, h)
		if err != nil {
			cancel(fmt.Errorf("serving %s: %w", listen, err))
		}
		served <- err
	}()
	err = ctrl.Run(ctx, interval)
	cancel(nil)
	if serveErr := <-served; serveErr != nil {
		return context.Cause(ctx)
	}
	return err
}

// readWebhookSecret reads the webhook secret (none without a file); surrounding whitespace
// (a trailing newline from echo) is not part of it.
func readWebhookSecret(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	secret, err := readSecretFile("--webhook-secret-file", path)
	return []byte(secret), err
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
