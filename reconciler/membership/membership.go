package membership

import (
	"context"
	"fmt"
	"time"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// DefaultClustersDir is the directory of the source tree where Join writes Cluster files.
const DefaultClustersDir = "clusters"

// Author is who join and unjoin commits are by: gitfleet, at when.
func Author(when time.Time) gitstore.Signature {
	return gitstore.Signature{Name: "gitfleet", Email: "gitfleet@localhost", When: when}
}

// JoinRequest is one cluster for Join to add to a source branch.
type JoinRequest struct {
	// Name is the cluster's name.
	Name string
	// Manifest is the Cluster's YAML (MarshalCluster).
	Manifest []byte
	// Branch is the source branch ("main").
	Branch string
	// Dir is the tree directory the Cluster file goes to; empty means DefaultClustersDir.
	Dir string
	// Overwrite replaces an existing definition of the cluster instead of failing.
	Overwrite bool
	// Author is the commit's author; its time must be set.
	Author gitstore.Signature
}

// Result is what Join or Unjoin committed.
type Result struct {
	// Path is the file written (Join) or removed (Unjoin).
	Path string
	// Replaced is, for Join with Overwrite, the file that defined the cluster before.
	Replaced string
	// Commit is the branch's commit after the call.
	Commit string
	// SecretRef is, for Unjoin, the removed Cluster's spec.secretRef: a Secret in the hub's
	// cluster that nobody needs any more.
	SecretRef *v1alpha1.LocalSecretReference
	// Changed is false when the branch already held exactly this tree (an overwrite with
	// the same manifest): no commit was made.
	Changed bool
}

// Join commits req.Manifest to the source branch as <Dir>/<Name>.yaml, in one commit
// "Join cluster <Name>" made with gitstore's compare-and-swap loop, so that a concurrent
// push is merged by re-reading the branch rather than undone. See Tree.AddCluster for what
// is refused.
func Join(ctx context.Context, repo *gitstore.Repository, req JoinRequest) (Result, error) {
	dir := req.Dir
	if dir == "" {
		dir = DefaultClustersDir
	}
	var out Result
	res, err := repo.UpdateBranch(ctx, req.Branch, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		if current == nil {
			// A mistyped --source-ref must not start a new branch holding one cluster.
			return gitstore.CommitRequest{}, fmt.Errorf("branch %s does not exist", req.Branch)
		}
		tree, err := ReadTree(current.FS)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		added, err := tree.AddCluster(req.Name, dir, req.Manifest, req.Overwrite)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		out.Path, out.Replaced = added.Path, added.Replaced
		message := fmt.Sprintf("Join cluster %s\n\nAdd %s.", req.Name, added.Path)
		if added.Replaced != "" {
			message = fmt.Sprintf("Join cluster %s\n\nReplace the definition in %s with %s.", req.Name, added.Replaced, added.Path)
		}
		return gitstore.CommitRequest{Files: tree, Message: message, Author: req.Author}, nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("join cluster %s: %w", req.Name, err)
	}
	out.Commit, out.Changed = res.Commit.String(), res.Changed
	return out, nil
}

// Unjoin removes the file that defines Cluster name from the source branch in one commit
// "Unjoin cluster <name>". The cluster's workloads are pruned by the next sync.
func Unjoin(ctx context.Context, repo *gitstore.Repository, branch, name string, author gitstore.Signature) (Result, error) {
	var out Result
	res, err := repo.UpdateBranch(ctx, branch, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		if current == nil {
			return gitstore.CommitRequest{}, fmt.Errorf("%w: branch %s does not exist", ErrClusterNotFound, branch)
		}
		tree, err := ReadTree(current.FS)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		removed, cluster, err := tree.RemoveCluster(name)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		out.Path, out.SecretRef = removed, nil
		if cluster != nil {
			out.SecretRef = cluster.Spec.SecretRef
		}
		message := fmt.Sprintf("Unjoin cluster %s\n\nRemove %s; the next sync prunes what the cluster received.", name, removed)
		return gitstore.CommitRequest{Files: tree, Message: message, Author: author}, nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("unjoin cluster %s: %w", name, err)
	}
	out.Commit, out.Changed = res.Commit.String(), res.Changed
	return out, nil
}
