package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/membership"
)

// membershipFlags say which branch of which repository an editing command (join, unjoin) commits
// to, as a human would.
type membershipFlags struct {
	repo, sourceRef, cacheDir string
	push                      bool
}

func (f *membershipFlags) bind(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.repo, "repo", "", "the fleet repository: a local path or an http(s) URL")
	cmd.Flags().StringVar(&f.sourceRef, "source-ref", "main", "the source branch to commit to")
	cmd.Flags().StringVar(&f.cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs (default: in memory)")
	cmd.Flags().BoolVar(&f.push, "push", false, "with an http(s) --repo: push the commit (compare-and-swap, retried after re-reading the branch)")
}

// open opens the repository, refusing a URL without --push: committing there means pushing.
func (f *membershipFlags) open(cmd *cobra.Command) (*gitstore.Repository, error) {
	if f.repo == "" {
		return nil, errors.New("say which repository to commit to: --repo PATH_OR_URL")
	}
	repo, err := gitstore.Open(cmd.Context(), gitstore.Options{URL: f.repo, Auth: authFromEnv(), CacheDir: f.cacheDir})
	if err != nil {
		return nil, err
	}
	if repo.Remote() && !f.push {
		return nil, errors.New("--repo is a URL: committing there means pushing; add --push")
	}
	return repo, nil
}

func newJoinCommand() *cobra.Command {
	var (
		edit                       membershipFlags
		kubeconfig, kubeContext    string
		syncMode                   string
		opts                       membership.ClusterOptions
		labels                     []string
		clustersDir, credsDir      string
		secretNamespace, secretOut string
		overwrite                  bool
	)
	cmd := &cobra.Command{
		Use:   "join NAME --kubeconfig FILE --repo PATH_OR_URL",
		Short: "Add a member cluster to the fleet's source, keeping its credentials out of Git",
		Long: `join reads the API endpoint of a member cluster from a kubeconfig context and commits a
cluster.karmada.io/v1alpha1 Cluster as <clusters-dir>/NAME.yaml to the source branch — one
commit "Join cluster NAME" by gitfleet, as a human would make it. It refuses when the source
already defines a Cluster NAME anywhere (unless --overwrite, which replaces that file) and
when the resulting source would not validate.

Credentials never go to Git. A Push cluster needs one of:
  --credentials-dir DIR     store DIR/NAME.kubeconfig (mode 0600), a minimal kubeconfig with
                            only the chosen context; the hub reads it from its --credentials-dir
  --secret-namespace NS     set spec.secretRef to NS/NAME and print the Secret to create in
                            the hub's cluster (to stdout, or to --secret-file with mode 0600)`,
		Example: `  gitfleet join eu-1 --kubeconfig ~/.kube/config --context eu-1 --region europe \
      --zone europe-west1-b --label env=prod --repo /srv/fleet.git --credentials-dir /etc/gitfleet/clusters
  gitfleet join eu-1 --kubeconfig eu-1.kubeconfig --secret-namespace gitfleet-system \
      --repo https://git.example.com/fleet.git --push | kubectl --context hub apply -f -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			opts.SyncMode = v1alpha1.ClusterSyncMode(syncMode)
			if opts.SyncMode != v1alpha1.Push && opts.SyncMode != v1alpha1.Pull {
				return fmt.Errorf("--sync-mode %q: want Push or Pull", syncMode)
			}
			if kubeconfig == "" {
				return errors.New("say where the cluster's credentials are: --kubeconfig FILE")
			}
			if opts.SyncMode == v1alpha1.Push && credsDir == "" && secretNamespace == "" {
				return errors.New("a Push cluster needs credentials the hub can read: --credentials-dir DIR or --secret-namespace NS")
			}
			if secretOut != "" && secretNamespace == "" {
				return errors.New("--secret-file needs --secret-namespace")
			}
			var err error
			if opts.Labels, err = parseJoinLabels(labels); err != nil {
				return err
			}
			opts.SecretNamespace = secretNamespace
			if opts.Credentials, err = membership.LoadKubeconfig(kubeconfig, kubeContext); err != nil {
				return err
			}
			cluster, err := membership.NewCluster(opts)
			if err != nil {
				return err
			}
			manifest, err := membership.MarshalCluster(cluster)
			if err != nil {
				return err
			}
			var secret []byte
			if ref := cluster.Spec.SecretRef; ref != nil {
				if secret, err = membership.SecretManifest(*ref, opts.Credentials); err != nil {
					return err
				}
			}
			repo, err := edit.open(cmd)
			if err != nil {
				return err
			}

			// The kubeconfig is written before the commit and moved into place after it, so
			// that the hub never sees the cluster without its credentials and a failed
			// commit leaves the credentials directory as it was.
			var pending *membership.PendingKubeconfig
			if credsDir != "" {
				if pending, err = membership.StageKubeconfig(credsDir, opts.Name, opts.Credentials.Kubeconfig); err != nil {
					return err
				}
				defer pending.Discard()
			}
			res, err := membership.Join(cmd.Context(), repo, membership.JoinRequest{
				Name: opts.Name, Manifest: manifest, Branch: edit.sourceRef, Dir: clustersDir,
				Overwrite: overwrite, Author: membership.Author(time.Now()),
			})
			if err != nil {
				return err
			}
			if pending != nil {
				if err := pending.Commit(); err != nil {
					return fmt.Errorf("cluster %s is committed (%.12s) but its credentials are not stored: %w", opts.Name, res.Commit, err)
				}
			}

			// With the Secret on stdout (for a pipe into kubectl), the report goes to stderr.
			report := cmd.OutOrStdout()
			if secret != nil && secretOut == "" {
				report = cmd.ErrOrStderr()
			}
			printJoin(report, repo, edit.sourceRef, cluster, res)
			if pending != nil {
				fmt.Fprintf(report, "credentials: %s (mode 0600)\n", pending.Path())
			}
			switch {
			case secret != nil && secretOut != "":
				if err := writeSecretFile(secretOut, secret); err != nil {
					return err
				}
				fmt.Fprintf(report, "Secret %s/%s written to %s: create it in the hub's cluster (kubectl apply -f %s)\n",
					cluster.Spec.SecretRef.Namespace, cluster.Spec.SecretRef.Name, secretOut, secretOut)
			case secret != nil:
				fmt.Fprintf(report, "Secret %s/%s follows on stdout: create it in the hub's cluster\n",
					cluster.Spec.SecretRef.Namespace, cluster.Spec.SecretRef.Name)
				if _, err := cmd.OutOrStdout().Write(secret); err != nil {
					return err
				}
			}
			return nil
		},
	}
	edit.bind(cmd)
	f := cmd.Flags()
	f.StringVar(&kubeconfig, "kubeconfig", "", "the kubeconfig to read the cluster's API endpoint and credentials from")
	f.StringVar(&kubeContext, "context", "", "the kubeconfig context (default: its current context)")
	f.StringVar(&syncMode, "sync-mode", string(v1alpha1.Push), "Push (the hub applies) or Pull (an agent in the cluster applies)")
	f.StringVar(&opts.Provider, "provider", "", "the cluster's cloud provider (spec.provider)")
	f.StringVar(&opts.Region, "region", "", "the cluster's region (spec.region)")
	f.StringArrayVar(&opts.Zones, "zone", nil, "a zone the cluster spans (spec.zones); repeat for several")
	f.StringArrayVar(&labels, "label", nil, "a label k=v of the Cluster; repeat for several")
	f.StringVar(&clustersDir, "clusters-dir", membership.DefaultClustersDir, "the directory of the source tree that holds Cluster files")
	f.StringVar(&credsDir, "credentials-dir", "", "store the cluster's kubeconfig here as NAME.kubeconfig (mode 0600)")
	f.StringVar(&secretNamespace, "secret-namespace", "", "reference the Secret NS/NAME in the hub's cluster (spec.secretRef) and print it")
	f.StringVar(&secretOut, "secret-file", "", "with --secret-namespace: write the Secret manifest to this file (mode 0600) instead of stdout")
	f.BoolVar(&overwrite, "overwrite", false, "replace the source's existing definition of the cluster")
	return cmd
}

func newUnjoinCommand() *cobra.Command {
	var (
		edit     membershipFlags
		credsDir string
	)
	cmd := &cobra.Command{
		Use:   "unjoin NAME --repo PATH_OR_URL",
		Short: "Remove a member cluster from the fleet's source and delete its stored credentials",
		Long: `unjoin removes the file that defines Cluster NAME from the source branch in one commit
"Unjoin cluster NAME" (the next sync prunes what the cluster received) and deletes
NAME.kubeconfig from --credentials-dir. A Cluster defined in a file together with other
objects, or built by a kustomization, is not touched: unjoin names the file to edit.`,
		Example: `  gitfleet unjoin eu-1 --repo /srv/fleet.git --credentials-dir /etc/gitfleet/clusters`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			repo, err := edit.open(cmd)
			if err != nil {
				return err
			}
			res, err := membership.Unjoin(cmd.Context(), repo, edit.sourceRef, name, membership.Author(time.Now()))
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "unjoined cluster %s: removed %s from %s@%s (%.12s)\n", name, res.Path, repo, edit.sourceRef, res.Commit)
			if credsDir != "" {
				removed, err := membership.RemoveKubeconfig(credsDir, name)
				if err != nil {
					return err
				}
				if removed {
					fmt.Fprintf(out, "credentials: removed %s\n", membership.KubeconfigPath(credsDir, name))
				} else {
					fmt.Fprintf(out, "credentials: %s did not exist\n", membership.KubeconfigPath(credsDir, name))
				}
			}
			if ref := res.SecretRef; ref != nil {
				fmt.Fprintf(out, "the Secret %s/%s in the hub's cluster is no longer used: delete it\n", ref.Namespace, ref.Name)
			}
			return nil
		},
	}
	edit.bind(cmd)
	cmd.Flags().StringVar(&credsDir, "credentials-dir", "", "delete NAME.kubeconfig from this directory")
	return cmd
}

// printJoin reports what join committed.
func printJoin(w io.Writer, repo *gitstore.Repository, branch string, c *v1alpha1.Cluster, res membership.Result) {
	what := "committed"
	if !res.Changed {
		what = "unchanged"
	}
	fmt.Fprintf(w, "joined cluster %s (%s, %s): %s %s to %s@%s (%.12s)\n",
		c.Name, c.Spec.SyncMode, c.Spec.APIEndpoint, what, res.Path, repo, branch, res.Commit)
	if res.Replaced != "" && res.Replaced != res.Path {
		fmt.Fprintf(w, "replaced the definition in %s\n", res.Replaced)
	}
}

// parseJoinLabels parses k=v flags; NewCluster validates the keys and values.
func parseJoinLabels(flags []string) (map[string]string, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	labels := make(map[string]string, len(flags))
	for _, kv := range flags {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--label %q: want key=value", kv)
		}
		if _, dup := labels[k]; dup {
			return nil, fmt.Errorf("--label %s given twice", k)
		}
		labels[k] = v
	}
	return labels, nil
}

// writeSecretFile writes data to path with mode 0600: it holds credentials.
func writeSecretFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	err = errors.Join(f.Chmod(0o600), werr, f.Close())
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
