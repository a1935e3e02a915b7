package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Refs of the fleet repository, as `gitfleet render --repo` defaults them.
const (
	sourceBranch   = "main"
	statusBranch   = "gitfleet/status"
	renderedBranch = "gitfleet/rendered"
)

// sizeResult is everything measured at one fleet size.
type sizeResult struct {
	size fleetSize
	// cold is S1: the first render of the fleet, committed.
	cold renderRun
	// changes are S2: re-renders after one edit each, in order.
	changes []changeRun
	// kustomize is the S1 comparator; nil at sizes that do not run it.
	kustomize *kustomizeRun
}

// renderRun is one measured `gitfleet render --repo … --commit`.
type renderRun struct {
	usage
	// source is the source commit rendered.
	source string
	// commit is the rendered commit the ref points at afterwards.
	commit string
	// committed is false when the tree did not change and no commit was made.
	committed bool
	// written is the number of Git objects the commit wrote.
	written int
	// tree counts the rendered commit's files.
	tree treeCount
}

// changeRun is a re-render after one source edit, checked against an independent full render.
type changeRun struct {
	edit sourceEdit
	// what describes the edit made.
	what   string
	render renderRun
	// full is the independent full render of the same inputs (to a directory, no commit).
	full usage
	// identical says whether the committed tree and the full render are byte-identical.
	identical bool
	// differences are the first paths that differ when they are not.
	differences []string
}

// fleet is one size's fixture and repository under the work directory.
type fleet struct {
	cfg  config
	size fleetSize
	// dir is <workdir>/<size>: source/, status/, repo/ and the comparator's files.
	dir            string
	source, status string
	repo           gitRepo
}

// benchSize measures one fleet size: S1, its comparator, and S2's two edits.
func benchSize(cfg config, size fleetSize) (*sizeResult, error) {
	f, err := prepareFleet(cfg, size)
	if err != nil {
		return nil, err
	}
	res := &sizeResult{size: size}
	logf("%s: cold render + commit", size.name)
	if res.cold, err = f.renderCommit(); err != nil {
		return nil, fmt.Errorf("cold render: %w", err)
	}
	if size.kustomize {
		if res.kustomize, err = f.kustomizeComparator(res.cold); err != nil {
			return nil, fmt.Errorf("kustomize comparator: %w", err)
		}
	}
	for _, edit := range []sourceEdit{policyWeightsEdit, templateImageEdit} {
		logf("%s: re-render after %s", size.name, edit.scenario)
		c, err := f.rerender(edit)
		if err != nil {
			return nil, fmt.Errorf("re-render after %s: %w", edit.scenario, err)
		}
		res.changes = append(res.changes, c)
	}
	return res, nil
}

// prepareFleet generates the fixture afresh and commits it: the source on main, the status
// tree on gitfleet/status.
func prepareFleet(cfg config, size fleetSize) (*fleet, error) {
	dir := filepath.Join(cfg.workDir, strings.ToLower(size.name))
	f := &fleet{cfg: cfg, size: size, dir: dir, source: filepath.Join(dir, "source"), status: filepath.Join(dir, "status")}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("clearing %s: %w", dir, err)
	}
	args := append([]string{"gen-fleet", "--out", f.source, "--status-out", f.status}, size.genFleetArgs(cfg.seed)...)
	logf("%s: gitfleet %s", size.name, strings.Join(args, " "))
	if _, _, err := measured(cfg.workDir, cfg.gitfleet, args...); err != nil {
		return nil, err
	}
	var err error
	if f.repo, err = initGitRepo(filepath.Join(dir, "repo")); err != nil {
		return nil, err
	}
	if _, err := f.repo.commitDir(f.source, sourceBranch, "Fleet source"); err != nil {
		return nil, err
	}
	if _, err := f.repo.commitDir(f.status, statusBranch, "Fleet status"); err != nil {
		return nil, err
	}
	return f, nil
}

// renderCommit measures `gitfleet render --repo R --commit` and counts what it committed.
func (f *fleet) renderCommit() (renderRun, error) {
	source, err := f.repo.revParse(sourceBranch)
	if err != nil {
		return renderRun{}, err
	}
	out, u, err := measured(f.repo.dir, f.cfg.gitfleet, "render", "-q", "--repo", f.repo.dir,
		"--source-ref", source, "--status-ref", statusBranch, "--rendered-ref", renderedBranch, "--commit")
	if err != nil {
		return renderRun{}, err
	}
	run := renderRun{usage: u, source: source}
	if run.commit, run.committed, run.written, err = parseCommitOutput(string(out)); err != nil {
		return renderRun{}, err
	}
	paths, err := f.repo.paths(run.commit)
	if err != nil {
		return renderRun{}, err
	}
	run.tree = countTree(paths)
	return run, nil
}

// rerender applies an edit, commits it on main, measures the re-render and commit, and
// checks the committed tree against an independent full render of the same inputs.
func (f *fleet) rerender(edit sourceEdit) (changeRun, error) {
	c := changeRun{edit: edit}
	var err error
	if c.what, err = edit.apply(f.source); err != nil {
		return c, err
	}
	if _, err := f.repo.commitDir(f.source, sourceBranch, "Bench: "+edit.scenario); err != nil {
		return c, err
	}
	previous, err := f.repo.revParse(renderedBranch)
	if err != nil {
		return c, err
	}
	if c.render, err = f.renderCommit(); err != nil {
		return c, err
	}
	err = f.checkFullRender(&c, c.render.source, previous)
	return c, err
}

// checkFullRender renders source against the status and the previous render into a
// directory — a full render, no commit — and compares it with the committed tree byte for
// byte (as Git tree hashes).
//
// The render reads its inputs from the repository by commit (--repo with --source-ref and
// --rendered-ref given as hashes) rather than from checked-out directories: a render of a
// plain directory has no source commit, so its provenance and every binding's condition
// times would differ from the committed tree's.
func (f *fleet) checkFullRender(c *changeRun, source, previous string) error {
	out := filepath.Join(f.dir, "full-render")
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	defer os.RemoveAll(out)
	var err error
	_, c.full, err = measured(f.repo.dir, f.cfg.gitfleet, "render", "-q", "--repo", f.repo.dir,
		"--source-ref", source, "--status-ref", statusBranch, "--rendered-ref", previous, "--out", out)
	if err != nil {
		return fmt.Errorf("full render: %w", err)
	}
	got, err := f.repo.treeOf(out)
	if err != nil {
		return err
	}
	want, err := f.repo.revParse(c.render.commit + "^{tree}")
	if err != nil {
		return err
	}
	if c.identical = got == want; !c.identical {
		diff, err := f.repo.changedPaths(want, got)
		if err != nil {
			return err
		}
		c.differences = diff[:min(len(diff), 10)]
	}
	return nil
}

var commitLine = regexp.MustCompile(`(?m)^committed ([0-9a-f]+) to \S+ \((\d+) objects written\)$`)
var upToDateLine = regexp.MustCompile(`(?m)^\S+ is up to date at ([0-9a-f]+): no commit$`)

// parseCommitOutput reads what `gitfleet render --commit` printed: the commit, whether it
// made one, and how many Git objects it wrote.
func parseCommitOutput(out string) (commit string, committed bool, written int, err error) {
	if m := commitLine.FindStringSubmatch(out); m != nil {
		written, err = strconv.Atoi(m[2])
		return m[1], true, written, err
	}
	if m := upToDateLine.FindStringSubmatch(out); m != nil {
		return m[1], false, 0, nil
	}
	return "", false, 0, fmt.Errorf("render --commit printed neither a commit nor 'up to date': %q", tail(out, 5))
}

// treeCount counts the files of a rendered tree.
type treeCount struct {
	// objects are the rendered manifests in every karmada-es-<cluster>/ directory.
	objects int
	// bindings are the files under bindings/.
	bindings int
	// perCluster are the rendered manifests by cluster.
	perCluster map[string]int
}

// countTree counts a rendered tree's manifests and bindings from its file paths.
func countTree(paths []string) treeCount {
	c := treeCount{perCluster: map[string]int{}}
	for _, p := range paths {
		dir, file, _ := strings.Cut(p, "/")
		switch cluster, ok := strings.CutPrefix(dir, v1alpha1.ExecutionSpacePrefix); {
		case ok && v1alpha1.IsClusterMetadataFile(file):
			c.perCluster[cluster] += 0 // a cluster that receives nothing still has a directory
		case ok:
			c.objects++
			c.perCluster[cluster]++
		case dir == "bindings":
			c.bindings++
		}
	}
	return c
}
