// Package publish commits renders to a fleet repository: the whole tree to the rendered
// branch, and optionally each cluster's directory to a branch of its own, for pull agents
// that should fetch only what they apply (DESIGN §1).
package publish

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/renderer"
)

// DefaultClusterBranchPrefix prefixes a cluster's name to form its branch.
const DefaultClusterBranchPrefix = "gitfleet/cluster/"

// provenancePath is the render's provenance, copied to every cluster branch.
const provenancePath = ".gitfleet/provenance.yaml"

// RenderFunc renders against the previous render (nil: the first).
type RenderFunc func(previous fs.FS) (*renderer.Result, error)

// Request says where and how a render is committed.
type Request struct {
	// RenderedBranch receives the whole rendered tree ("gitfleet/rendered").
	RenderedBranch string
	// SourceCommit and StatusCommit are the commits rendered, recorded as trailers; an empty
	// StatusCommit (no status yet) is left out.
	SourceCommit, StatusCommit string
	// When is the commits' time: the source commit's, so the same inputs make the same
	// commits on any machine.
	When time.Time
	// ClusterBranchPrefix, when set, also publishes each cluster's directory to the branch
	// <prefix><cluster> (DefaultClusterBranchPrefix).
	ClusterBranchPrefix string
	// Guard, when set, is called just before each commit, after the render; an error stops
	// the commit and is returned. The hub passes its lease check, so that a hub that lost
	// the lease during a long render does not write.
	Guard func() error
}

// Outcome is what Commit did.
type Outcome struct {
	// Result is the render that was committed (the last one, when a lost race made Commit
	// render again).
	Result *renderer.Result
	// Rendered is the commit of the rendered branch.
	Rendered gitstore.CommitResult
	// Clusters are the cluster branches' commits, sorted by branch.
	Clusters []BranchCommit
}

// BranchCommit is the commit of one cluster branch.
type BranchCommit struct {
	Branch string
	gitstore.CommitResult
}

// Commit renders against the rendered branch's tree and commits the result there with
// Source-Commit and Status-Commit trailers — no commit when the tree is unchanged. When
// another writer moves the branch first, the render is made again against its tree. Then,
// with a ClusterBranchPrefix, each cluster's directory goes to its own branch, committed
// only when it changed; an error there leaves the rendered branch committed.
func Commit(ctx context.Context, repo *gitstore.Repository, req Request, render RenderFunc) (*Outcome, error) {
	out := &Outcome{}
	var err error
	out.Rendered, err = repo.UpdateBranch(ctx, req.RenderedBranch, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		var previous fs.FS
		if current != nil {
			previous = current.FS
		}
		res, err := render(previous)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		out.Result = res
		if err := req.guard(); err != nil {
			return gitstore.CommitRequest{}, err
		}
		return commitRequest(fmt.Sprintf("Render source %.12s", req.SourceCommit), treeFiles(res.Tree), req, nil), nil
	})
	if err != nil {
		return nil, err
	}
	if req.ClusterBranchPrefix == "" {
		return out, nil
	}
	rendered := gitstore.Trailer{Key: gitstore.TrailerRenderedCommit, Value: out.Rendered.Commit.String()}
	for cluster, files := range clusterFiles(out.Result.Tree) {
		branch := req.ClusterBranchPrefix + cluster
		res, err := repo.UpdateBranch(ctx, branch, func(*gitstore.Snapshot) (gitstore.CommitRequest, error) {
			if err := req.guard(); err != nil {
				return gitstore.CommitRequest{}, err
			}
			return commitRequest(fmt.Sprintf("Render source %.12s for cluster %s", req.SourceCommit, cluster), files, req, &rendered), nil
		})
		if err != nil {
			return out, fmt.Errorf("cluster branch %s: %w", branch, err)
		}
		out.Clusters = append(out.Clusters, BranchCommit{Branch: branch, CommitResult: res})
	}
	slices.SortFunc(out.Clusters, func(a, b BranchCommit) int { return strings.Compare(a.Branch, b.Branch) })
	return out, nil
}

func (r Request) guard() error {
	if r.Guard == nil {
		return nil
	}
	return r.Guard()
}

func commitRequest(message string, files map[string][]byte, req Request, extra *gitstore.Trailer) gitstore.CommitRequest {
	trailers := []gitstore.Trailer{{Key: gitstore.TrailerSourceCommit, Value: req.SourceCommit}}
	if req.StatusCommit != "" {
		trailers = append(trailers, gitstore.Trailer{Key: gitstore.TrailerStatusCommit, Value: req.StatusCommit})
	}
	if extra != nil {
		trailers = append(trailers, *extra)
	}
	return gitstore.CommitRequest{
		Files:    files,
		Message:  message,
		Trailers: trailers,
		Author:   gitstore.Signature{Name: "gitfleet", Email: "gitfleet@localhost", When: req.When},
	}
}

// treeFiles returns the files of a tree.
func treeFiles(t *renderer.Tree) map[string][]byte {
	files := make(map[string][]byte, t.Len())
	for _, p := range t.Paths() {
		files[p], _ = t.Get(p)
	}
	return files
}

// clusterFiles splits a rendered tree by cluster: each cluster's directory, at the same
// path as on the rendered branch (so an agent reads either branch the same way), with the
// render's provenance.
func clusterFiles(t *renderer.Tree) map[string]map[string][]byte {
	provenance, _ := t.Get(provenancePath)
	byCluster := map[string]map[string][]byte{}
	for _, p := range t.Paths() {
		dir, _, ok := strings.Cut(p, "/")
		cluster, isCluster := strings.CutPrefix(dir, v1alpha1.ExecutionSpacePrefix)
		if !ok || !isCluster {
			continue
		}
		files := byCluster[cluster]
		if files == nil {
			files = map[string][]byte{provenancePath: provenance}
			byCluster[cluster] = files
		}
		files[p], _ = t.Get(p)
	}
	return byCluster
}
