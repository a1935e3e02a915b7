// Package review compares the renders of two source revisions of a fleet repository, as
// `gitfleet diff --repo` does, and turns the comparison into a pull-request review: one
// sticky comment holding the Markdown diff and a commit status on the head commit. Both
// `gitfleet pr-review` (in CI) and the hub's pull_request webhook use it.
package review

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/renderer"
)

// Default refs both revisions are rendered against, as the hub names them (DESIGN §1).
const (
	DefaultStatusRef   = "gitfleet/status"
	DefaultRenderedRef = "gitfleet/rendered"
)

// Options say which two revisions of which repository to compare.
type Options struct {
	// Repo is the fleet repository holding both revisions and the status and rendered refs.
	Repo *gitstore.Repository
	// Base and Head are the source revisions (branch, tag or commit) compared.
	Base, Head string
	// BaseName and HeadName are how messages name the two sides: the CLI says "--base" and
	// "--head" so that an error points at the flag to fix. Empty: "base" and "head".
	BaseName, HeadName string
	// StatusRef and RenderedRef hold the status view and the previous render both revisions
	// are rendered with, so that they differ only by their source; a ref that does not exist
	// means none. Empty: DefaultStatusRef and DefaultRenderedRef.
	StatusRef, RenderedRef string
	// Version is gitfleet's version, recorded in each render's provenance.
	Version string
}

// Revision is one side of a comparison.
type Revision struct {
	// Name is the side's name in messages (Options.BaseName or HeadName).
	Name string
	// Ref is the revision as given.
	Ref string
	// Commit is the full sha Ref resolved to.
	Commit string
	// Diagnostics are the problems that keep this revision's source from rendering, each
	// at its file and line; empty when it renders.
	Diagnostics renderer.Diagnostics
}

// Invalid reports whether the revision's source does not render.
func (r Revision) Invalid() bool { return len(r.Diagnostics) > 0 }

// Result is a comparison of two revisions.
type Result struct {
	// Base and Head are the two sides.
	Base, Head Revision
	// Diff compares the two renders; nil when either side does not render.
	Diff *renderer.TreeDiff
}

// Compare renders Base and Head with the same status view and previous render and diffs
// the two renders. A source that does not render is not an error: its diagnostics are in
// the Result. An error means a revision or ref could not be read.
func Compare(opts Options) (*Result, error) {
	opts.BaseName = cmp.Or(opts.BaseName, "base")
	opts.HeadName = cmp.Or(opts.HeadName, "head")
	statusFS, err := readRef(opts.Repo, cmp.Or(opts.StatusRef, DefaultStatusRef))
	if err != nil {
		return nil, err
	}
	status, err := renderer.LoadStatusView(statusFS)
	if err != nil {
		return nil, err
	}
	previousFS, err := readRef(opts.Repo, cmp.Or(opts.RenderedRef, DefaultRenderedRef))
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var trees [2]fs.FS
	for i, side := range []*Revision{&res.Base, &res.Head} {
		side.Name, side.Ref = [2]string{opts.BaseName, opts.HeadName}[i], [2]string{opts.Base, opts.Head}[i]
		hash, err := opts.Repo.Resolve(side.Ref)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", side.Name, err)
		}
		snap, err := opts.Repo.Snapshot(hash)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", side.Name, err)
		}
		side.Commit = snap.Commit.Hash
		rendered, err := renderRevision(snap.FS, status, previousFS, renderer.Options{
			SourceCommit: snap.Commit.Hash, Epoch: metav1.NewTime(snap.Commit.Time), Version: opts.Version,
		})
		var diags renderer.Diagnostics
		switch {
		case errors.As(err, &diags):
			side.Diagnostics = diags
		case err != nil:
			return nil, fmt.Errorf("%s %s: %w", side.Name, side.Ref, err)
		default:
			trees[i] = rendered.Tree.FS()
		}
	}
	if res.Base.Invalid() || res.Head.Invalid() {
		return res, nil
	}
	if res.Diff, err = renderer.DiffTrees(trees[0], trees[1]); err != nil {
		return nil, err
	}
	return res, nil
}

// readRef returns the tree of a ref's commit, nil when the ref does not exist.
func readRef(repo *gitstore.Repository, ref string) (fs.FS, error) {
	snap, err := repo.BranchSnapshot(ref)
	if err != nil || snap == nil {
		return nil, err
	}
	return snap.FS, nil
}

// renderRevision loads and renders one source tree. Each revision reads the previous
// render afresh, so neither render can see what the other did with it.
func renderRevision(source fs.FS, status *renderer.StatusView, previousFS fs.FS, opts renderer.Options) (*renderer.Result, error) {
	src, err := renderer.LoadSource(source, renderer.LoadOptions{Epoch: opts.Epoch})
	if err != nil {
		return nil, err
	}
	previous, err := renderer.LoadPrevious(previousFS)
	if err != nil {
		return nil, err
	}
	return renderer.Render(src, status, previous, opts)
}
