package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/review"
	"github.com/gitfleet/gitfleet/renderer"
)

func newDiffCommand() *cobra.Command {
	var (
		baseDir, headDir       string
		repoURL, cacheDir      string
		baseRev, headRev       string
		statusRef, renderedRef string
		format                 string
		maxBytes               int
	)
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Show which clusters gain or lose which objects and replicas between two renders",
		Long: `diff compares two renders of a fleet: per template, the clusters and replicas before → after
(flagging templates that become unschedulable or lose all placement); per cluster, the objects
added, removed and changed, with a unified diff of each changed manifest. The first line is the
summary: "N templates moved, M objects changed in K clusters", where N counts templates whose
clusters or per-cluster replicas differ, M counts manifests added, removed or changed over every
karmada-es-<cluster>/ directory (inventories excluded), and K counts clusters with any of those.

With --base-dir and --head-dir it compares two rendered trees (render --out directories or
checkouts of the rendered branch). With --repo, --base and --head are source revisions: both are
rendered with the same status view and previous render — the trees of --status-ref and
--rendered-ref in the same repository, none where a ref is absent — exactly as the hub would
render them, and the renders are compared. An invalid source at either revision is reported as
file:line and diff exits 1.

--format markdown is meant for a pull-request comment: long diffs are collapsed and cut, and
the whole report stays under --max-bytes with the summary first.

Exit status: 0 whether or not there are differences, 1 on invalid input (a source that does not
render, a directory that is not a rendered tree), 2 on usage errors and failures to read.`,
		Example: `  gitfleet diff --repo . --base main --head my-change --format markdown
  gitfleet render --source old/ --out /tmp/a -q && gitfleet render --source new/ --out /tmp/b -q
  gitfleet diff --base-dir /tmp/a --head-dir /tmp/b`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "markdown" && format != "json" {
				return fmt.Errorf("unsupported format %q: use text, markdown or json", format)
			}
			dirs, repoMode := baseDir != "" || headDir != "", repoURL != "" || baseRev != "" || headRev != ""
			var (
				base, head fs.FS
				d          *renderer.TreeDiff
			)
			switch {
			case dirs && repoMode:
				return errors.New("compare either two rendered trees (--base-dir, --head-dir) or two source revisions (--repo, --base, --head), not both")
			case dirs:
				if baseDir == "" || headDir == "" {
					return errors.New("--base-dir and --head-dir go together")
				}
				var err error
				if base, err = openRenderedDir(cmd.OutOrStdout(), "--base-dir", baseDir); err != nil {
					return err
				}
				if head, err = openRenderedDir(cmd.OutOrStdout(), "--head-dir", headDir); err != nil {
					return err
				}
			case repoMode:
				if repoURL == "" || baseRev == "" || headRev == "" {
					return errors.New("--repo, --base and --head go together")
				}
				repo, err := gitstore.Open(cmd.Context(), gitstore.Options{URL: repoURL, Auth: authFromEnv(), CacheDir: cacheDir})
				if err != nil {
					return err
				}
				if d, err = renderRevisions(cmd.OutOrStdout(), repo, baseRev, headRev, statusRef, renderedRef); err != nil {
					return err
				}
			default:
				return errors.New("say what to compare: --base-dir DIR --head-dir DIR, or --repo PATH_OR_URL --base REV --head REV")
			}
			var err error
			if d == nil {
				if d, err = renderer.DiffTrees(base, head); err != nil {
					fmt.Fprintln(cmd.OutOrStdout(), err)
					return &exitError{code: 1}
				}
			}
			var out []byte
			switch format {
			case "json":
				if out, err = d.JSON(); err != nil {
					return err
				}
			case "markdown":
				out = []byte(d.Markdown(renderer.MarkdownOptions{MaxBytes: maxBytes}))
			default:
				out = []byte(d.Text())
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&baseDir, "base-dir", "", "the rendered tree to compare from")
	f.StringVar(&headDir, "head-dir", "", "the rendered tree to compare to")
	f.StringVar(&repoURL, "repo", "", "the fleet repository: a local path or an http(s) URL")
	f.StringVar(&baseRev, "base", "", "with --repo: the source revision (branch, tag or commit) to compare from")
	f.StringVar(&headRev, "head", "", "with --repo: the source revision to compare to")
	f.StringVar(&statusRef, "status-ref", "gitfleet/status", "with --repo: the ref holding the status tree both revisions are rendered with (absent: no status yet)")
	f.StringVar(&renderedRef, "rendered-ref", "gitfleet/rendered", "with --repo: the ref holding the previous render both revisions are rendered against (absent: none)")
	f.StringVar(&cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs (default: in memory)")
	f.StringVarP(&format, "format", "o", "text", "output format: text, markdown or json")
	f.IntVar(&maxBytes, "max-bytes", renderer.DefaultMarkdownMaxBytes, "with --format markdown: the report's size bound (GitHub comments hold 65,536 characters)")
	return cmd
}

// openRenderedDir opens a directory that must hold a rendered tree. A missing directory
// is a usage error; one that holds something else is invalid input (exit 1).
func openRenderedDir(w io.Writer, flag, dir string) (fs.FS, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s %s: not a directory", flag, dir)
	}
	fsys := os.DirFS(dir)
	if err := renderer.CheckRenderedTree(fsys); err != nil {
		fmt.Fprintf(w, "%s %s: %v\n", flag, dir, err)
		return nil, &exitError{code: 1}
	}
	return fsys, nil
}

// renderRevisions renders two source revisions of a repository with the same status view
// and previous render (review.Compare), and returns the diff of the two renders. When either
// revision does not load or render, every problem of both is printed and the error is exit
// code 1.
func renderRevisions(w io.Writer, repo *gitstore.Repository, baseRev, headRev, statusRef, renderedRef string) (*renderer.TreeDiff, error) {
	res, err := review.Compare(review.Options{
		Repo: repo, Base: baseRev, Head: headRev, BaseName: "--base", HeadName: "--head",
		StatusRef: statusRef, RenderedRef: renderedRef, Version: version,
	})
	if err != nil {
		return nil, err
	}
	if res.Diff != nil {
		return res.Diff, nil
	}
	for _, side := range []review.Revision{res.Base, res.Head} {
		if side.Invalid() {
			fmt.Fprintf(w, "%s %s (%.12s) is invalid:\n", side.Name, side.Ref, side.Commit)
			for _, d := range side.Diagnostics {
				fmt.Fprintln(w, d.String())
			}
		}
	}
	return nil, &exitError{code: 1}
}
