package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/agent"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/publish"
)

func newAgentCommand() *cobra.Command {
	var (
		opts                    agent.Options
		repoURL, cacheDir       string
		kubeconfig              string
		clusterBranch, once     bool
		tokenFile, passwordFile string
		username                string
		sshKeyFile, knownHosts  string
	)
	cmd := &cobra.Command{
		Use:   "agent --cluster NAME --repo URL",
		Short: "Run a Pull cluster's agent: apply its directory of the rendered ref, report to Git",
		Long: `agent runs in (or next to) a member cluster in Pull mode. Every interval it fetches the
rendered ref (or, with --cluster-branch, only gitfleet/cluster/<cluster>), applies the
cluster's directory with server-side apply — the same syncer the hub uses for Push clusters:
pruning by an inventory kept in the cluster, drift correction, conflict rules — collects the
cluster's status, and pushes its report to gitfleet/agents/<cluster> as one commit that
replaces the previous report. It needs read access to the rendered ref and write access to
its own report ref; no inbound connection and no hub credentials.

It changes nothing in the cluster when Git cannot be reached, the ref is gone, or the
cluster's directory is not a valid render: it reports why (when it can) and retries, waiting
longer after each failure (up to --max-backoff, with jitter).

The cluster is reached with --kubeconfig, or the in-cluster configuration in a pod. Git
credentials come from --git-token-file, --git-username with --git-password-file, or the
environment (GITFLEET_GIT_TOKEN, GITFLEET_GIT_USERNAME, GITFLEET_GIT_PASSWORD); over SSH
from --git-ssh-key-file and --git-known-hosts-file. They are never logged.`,
		Example: `  gitfleet agent --cluster edge-1 --repo https://git.example.com/platform/fleet.git --git-token-file /var/run/secrets/git/token
  gitfleet agent --cluster edge-1 --repo /srv/fleet --kubeconfig edge-1.kubeconfig --once`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if repoURL == "" || opts.Cluster == "" {
				return errors.New("--repo and --cluster are required")
			}
			auth, err := gitAuth(tokenFile, username, passwordFile)
			if err != nil {
				return err
			}
			if err := sshAuth(&auth, sshKeyFile, knownHosts); err != nil {
				return err
			}
			if opts.Config, err = memberConfig(kubeconfig); err != nil {
				return err
			}
			if clusterBranch {
				opts.RenderedRef = publish.DefaultClusterBranchPrefix + opts.Cluster
			}
			// The agent's clone holds only what it reads and writes, however many clusters
			// report to the same repository.
			branches := []string{opts.RenderedRef, v1alpha1.AgentReportBranchPrefix + opts.Cluster}
			repo, err := gitstore.Open(cmd.Context(), gitstore.Options{URL: repoURL, Auth: auth, CacheDir: cacheDir, Branches: branches})
			if err != nil {
				return err
			}
			opts.Repo, opts.Version = repo, version
			opts.Log = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			a, err := agent.New(opts)
			if err != nil {
				return err
			}
			if !once {
				return a.Run(cmd.Context())
			}
			res, err := a.Cycle(cmd.Context())
			if err != nil {
				return err
			}
			return printAgentCycle(cmd.OutOrStdout(), opts.Cluster, res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Cluster, "cluster", "", "the member cluster this agent runs in, as named in the fleet")
	f.StringVar(&repoURL, "repo", "", "the fleet repository: an http(s) URL or a local path")
	f.StringVar(&cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs (default: in memory)")
	f.StringVar(&opts.RenderedRef, "rendered-ref", agent.DefaultRenderedRef, "the branch holding the render")
	f.BoolVar(&clusterBranch, "cluster-branch", false, "read only gitfleet/cluster/<cluster> (the hub must run with --cluster-branches)")
	f.StringVar(&kubeconfig, "kubeconfig", "", "kubeconfig of the member cluster (default: the in-cluster configuration)")
	f.DurationVar(&opts.Interval, "interval", agent.DefaultInterval, "time between cycles (apply and report)")
	f.DurationVar(&opts.MaxBackoff, "max-backoff", agent.DefaultMaxBackoff, "longest wait between cycles after failures")
	f.BoolVar(&once, "once", false, "run one cycle, print what it did and exit")
	f.StringVar(&tokenFile, "git-token-file", "", "file holding a Git access token")
	f.StringVar(&username, "git-username", "", "Git user name, with --git-password-file")
	f.StringVar(&passwordFile, "git-password-file", "", "file holding the Git password")
	f.StringVar(&sshKeyFile, "git-ssh-key-file", os.Getenv("GITFLEET_GIT_SSH_KEY_FILE"), "with an ssh:// or user@host:path --repo: the private key (env GITFLEET_GIT_SSH_KEY_FILE)")
	f.StringVar(&knownHosts, "git-known-hosts-file", os.Getenv("GITFLEET_GIT_KNOWN_HOSTS_FILE"), "with an SSH --repo: the known_hosts the server's host key is checked against (env GITFLEET_GIT_KNOWN_HOSTS_FILE)")
	return cmd
}

// gitAuth reads Git credentials from files, falling back to the environment.
func gitAuth(tokenFile, username, passwordFile string) (gitstore.Auth, error) {
	auth := authFromEnv()
	var err error
	switch {
	case tokenFile != "" && passwordFile != "":
		return auth, errors.New("--git-token-file and --git-password-file exclude each other")
	case tokenFile != "":
		auth = gitstore.Auth{}
		auth.Token, err = readSecretFile("--git-token-file", tokenFile)
	case passwordFile != "":
		auth = gitstore.Auth{Username: username}
		auth.Password, err = readSecretFile("--git-password-file", passwordFile)
	case username != "":
		return auth, errors.New("--git-username needs --git-password-file")
	}
	return auth, err
}

// sshAuth adds an SSH key and known_hosts, read from files, to auth.
func sshAuth(auth *gitstore.Auth, keyFile, knownHostsFile string) error {
	if keyFile == "" {
		if knownHostsFile != "" {
			return errors.New("--git-known-hosts-file needs --git-ssh-key-file")
		}
		return nil
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return fmt.Errorf("--git-ssh-key-file: %w", err)
	}
	auth.SSHKey = key
	if knownHostsFile != "" {
		if auth.SSHKnownHosts, err = os.ReadFile(knownHostsFile); err != nil {
			return fmt.Errorf("--git-known-hosts-file: %w", err)
		}
	}
	return nil
}

// memberConfig is the member cluster's client configuration: the kubeconfig, or in-cluster.
func memberConfig(kubeconfig string) (*rest.Config, error) {
	if kubeconfig != "" {
		cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
		if err != nil {
			return nil, fmt.Errorf("--kubeconfig: %w", err)
		}
		return cfg, nil
	}
	cfg, err := rest.InClusterConfig()
	if err != nil {
		return nil, fmt.Errorf("no --kubeconfig and not in a cluster: %w", err)
	}
	return cfg, nil
}

// printAgentCycle says what one agent cycle did; a cycle that applied nothing exits 1.
func printAgentCycle(w io.Writer, cluster string, res *agent.CycleResult) error {
	fmt.Fprintf(w, "cluster %s: rendered %.12s: ", cluster, res.RenderedCommit)
	if r := res.Sync; r != nil {
		fmt.Fprintf(w, "%d applied, %d unchanged, %d pruned, %d conflicts, %d failed", r.Applied, r.Unchanged, r.Pruned, r.Conflicts, r.Failed)
	}
	if res.SyncErr != nil {
		fmt.Fprintf(w, "%v", res.SyncErr)
	}
	fmt.Fprintf(w, "\nreport %.12s\n", res.Report.Commit)
	if res.SyncErr != nil {
		return &exitError{code: 1}
	}
	return nil
}
