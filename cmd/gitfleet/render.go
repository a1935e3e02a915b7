package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/publish"
	"github.com/gitfleet/gitfleet/reconciler/treedir"
	"github.com/gitfleet/gitfleet/renderer"
)

func newRenderCommand() *cobra.Command {
	var (
		src                    sourceFlags
		statusDir, previousDir string
		statusRef, renderedRef string
		out                    string
		quiet, commit, push    bool
		clusterBranches        bool
	)
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render a fleet's source into per-cluster manifests and bindings",
		Long: `render loads a fleet's source tree, matches propagation policies, schedules every template
onto member clusters as Karmada would, applies overrides per cluster and writes the rendered
tree: bindings/ (one binding per propagated template) and karmada-es-<cluster>/ (the manifests
each cluster receives, with an inventory). It prints the placement: template → cluster replicas.

With --out the directory is replaced as a whole, and only when rendering succeeds: on invalid
input it is left untouched and render exits 1 with every problem as file:line.`,
		Example: `  gitfleet render --source fleet-repo-example --out /tmp/rendered
  gitfleet render --source fleet-repo-example --status status/ --previous /tmp/rendered --out /tmp/rendered
  gitfleet render --repo . --source-ref main --out /tmp/rendered`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if clusterBranches && !commit {
				return errors.New("--cluster-branches needs --commit")
			}
			if commit && src.repo == "" {
				return errors.New("--commit needs --repo: it commits to the repository's rendered ref")
			}
			tree, err := src.open(cmd.Context())
			if err != nil {
				return err
			}
			if commit && src.opened.Remote() && !push {
				return errors.New("--repo is a URL: committing there means pushing; add --push")
			}
			companions, err := src.companions(statusDir, previousDir, statusRef, renderedRef)
			if err != nil {
				return err
			}
			source, err := renderer.LoadSource(tree.fs, renderer.LoadOptions{Epoch: tree.epoch})
			if err != nil {
				return reportDiagnostics(cmd.OutOrStdout(), err)
			}
			status, err := renderer.LoadStatusView(companions.status)
			if err != nil {
				return err
			}
			render := func(previousFS fs.FS) (*renderer.Result, error) {
				previous, err := renderer.LoadPrevious(previousFS)
				if err != nil {
					return nil, err
				}
				return renderer.Render(source, status, previous, renderer.Options{
					SourceCommit: tree.commit, Epoch: tree.epoch, Version: version,
				})
			}
			var res *renderer.Result
			if commit {
				req := publish.Request{
					RenderedBranch: renderedRef, SourceCommit: tree.commit, StatusCommit: companions.statusCommit,
					When: tree.epoch.Time,
				}
				if clusterBranches {
					req.ClusterBranchPrefix = publish.DefaultClusterBranchPrefix
				}
				res, err = commitRender(cmd, src.opened, req, render)
			} else {
				res, err = render(companions.previous)
			}
			if err != nil {
				return reportDiagnostics(cmd.OutOrStdout(), err)
			}
			if out != "" {
				if err := treedir.Replace(out, res.Tree); err != nil {
					return err
				}
			}
			if !quiet {
				return writePlacement(cmd.OutOrStdout(), res)
			}
			return nil
		},
	}
	src.bind(cmd)
	f := cmd.Flags()
	f.StringVar(&statusDir, "status", "", "with --source: a directory holding the fleet's status tree (default: no status yet)")
	f.StringVar(&previousDir, "previous", "", "with --source: the previous rendered tree, which keeps division steady and claims sticky")
	f.StringVar(&statusRef, "status-ref", "gitfleet/status", "with --repo: the ref holding the status tree (absent: no status yet)")
	f.StringVar(&renderedRef, "rendered-ref", "gitfleet/rendered", "with --repo: the ref holding the previous render (absent: the first render)")
	f.StringVar(&out, "out", "", "write the rendered tree to this directory, replacing it as a whole")
	f.BoolVarP(&quiet, "quiet", "q", false, "do not print the placement table")
	f.BoolVar(&commit, "commit", false, "with --repo: commit the render to --rendered-ref (no commit when the tree is unchanged)")
	f.BoolVar(&clusterBranches, "cluster-branches", false, "with --commit: also commit each cluster's directory to "+publish.DefaultClusterBranchPrefix+"<cluster>, for pull agents that fetch only their own")
	f.BoolVar(&push, "push", false, "with --commit and an http(s) --repo: push the commit (compare-and-swap, retried after re-reading the ref)")
	return cmd
}

// commitRender commits the render to the rendered ref (and, with cluster branches, each
// cluster's directory to its own branch) and says what it did.
func commitRender(cmd *cobra.Command, repo *gitstore.Repository, req publish.Request, render publish.RenderFunc) (*renderer.Result, error) {
	out, err := publish.Commit(cmd.Context(), repo, req, render)
	if out != nil {
		w := cmd.OutOrStdout()
		printCommit(w, req.RenderedBranch, out.Rendered)
		for _, c := range out.Clusters {
			printCommit(w, c.Branch, c.CommitResult)
		}
	}
	if err != nil {
		return nil, err
	}
	return out.Result, nil
}

func printCommit(w io.Writer, branch string, res gitstore.CommitResult) {
	if res.Changed {
		fmt.Fprintf(w, "committed %s to %s (%d objects written)\n", res.Commit, branch, res.Written)
	} else {
		fmt.Fprintf(w, "%s is up to date at %s: no commit\n", branch, res.Commit)
	}
}

// reportDiagnostics prints a failed load's or render's problems and ends with exit code 1;
// any other error is returned as it is.
func reportDiagnostics(w io.Writer, err error) error {
	var diags renderer.Diagnostics
	if !errors.As(err, &diags) {
		return err
	}
	for _, d := range diags {
		fmt.Fprintln(w, d.String())
	}
	fmt.Fprintf(w, "%d error(s); nothing was written\n", len(diags))
	return &exitError{code: 1}
}

// writePlacement prints one line per binding: the template, its Scheduled state and the
// replicas each cluster got.
func writePlacement(w io.Writer, res *renderer.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TEMPLATE\tPOLICY\tSCHEDULED\tPLACEMENT")
	for _, rb := range res.Bindings {
		b := rb.Binding
		policy := b.Annotations[v1alpha1.PropagationPolicyNameAnnotation]
		if cpp := b.Annotations[v1alpha1.ClusterPropagationPolicyAnnotation]; cpp != "" {
			policy = "cpp/" + cpp
		}
		if policy == "" {
			policy = "(dependency)"
		}
		scheduled := "-"
		for _, c := range b.Status.Conditions {
			if c.Type == v1alpha1.BindingConditionScheduled {
				scheduled = c.Reason
			}
		}
		var placement []string
		for _, c := range b.Spec.Clusters {
			if b.Spec.Replicas > 0 {
				placement = append(placement, fmt.Sprintf("%s:%d", c.Name, c.Replicas))
			} else {
				placement = append(placement, c.Name)
			}
		}
		for _, r := range b.Spec.RequiredBy {
			for _, c := range r.Clusters {
				placement = append(placement, c.Name+"(dep)")
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", rb.Template, policy, scheduled, strings.Join(placement, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d bindings, %d files\n", len(res.Bindings), res.Tree.Len())
	return err
}

// companions opens the status tree and the previous render that go with the source: from
// directories with --source, from refs of the same repository with --repo.
func (f *sourceFlags) companions(statusDir, previousDir, statusRef, renderedRef string) (c companionTrees, err error) {
	if f.repo == "" {
		if statusDir != "" {
			c.status = os.DirFS(statusDir)
		}
		if previousDir != "" {
			if _, err := os.Stat(previousDir); err == nil {
				c.previous = os.DirFS(previousDir)
			}
		}
		return c, nil
	}
	if f.opened == nil {
		return c, errors.New("the repository is not open")
	}
	if c.status, c.statusCommit, err = readRef(f.opened, statusRef); err != nil {
		return c, err
	}
	c.previous, _, err = readRef(f.opened, renderedRef)
	return c, err
}

// companionTrees are the status tree and previous render that go with a source tree.
type companionTrees struct {
	status, previous fs.FS
	// statusCommit is the status commit read (empty without one).
	statusCommit string
}

// readRef reads the tree of a ref; an absent ref gives no tree and no error.
func readRef(repo *gitstore.Repository, ref string) (fs.FS, string, error) {
	snap, err := repo.BranchSnapshot(ref)
	if err != nil || snap == nil {
		return nil, "", err
	}
	return snap.FS, snap.Commit.Hash, nil
}
