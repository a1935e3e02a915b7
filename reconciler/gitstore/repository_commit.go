package gitstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// CommitRequest is one commit for Repository.Commit to make: the whole tree of a branch and
// what the commit says about it.
type CommitRequest struct {
	// Branch is the branch to commit to, without "refs/heads/" ("gitfleet/rendered").
	Branch string
	// Parent is the commit the branch is expected to be at, and the new commit's parent; the
	// branch is moved only if it is still there (compare-and-swap). plumbing.ZeroHash means
	// the branch must not exist yet: the commit is then a root commit that creates it.
	Parent plumbing.Hash
	// Files is the whole tree: slash-separated paths ("karmada-es-eu-1/apps/core.service.web.yaml")
	// to content. A render or a status describes the whole tree, so a file of the parent that
	// is not here is deleted — stale files never linger. Files are regular files (mode 0644);
	// directories follow from the paths, and a path may not be both a file and a directory.
	Files map[string][]byte
	// Message is the commit message. Trailing white space is dropped and one newline ends it,
	// as git does; it must not be empty.
	Message string
	// Trailers are appended to Message as a trailer block ("Source-Commit: <sha>"), in order;
	// ParseTrailers reads them back.
	Trailers []Trailer
	// Author is the commit's author and committer. Its time is the caller's to choose: the
	// renderer passes the source commit's time, so that the same inputs give the same commit
	// hash on any machine.
	Author Signature
	// Replace makes the commit a root commit that replaces the branch's history instead of
	// extending it: Parent is then only the commit the branch is expected to be at. Refs whose
	// content is a latest value (the hub lease, an agent's report) keep no history this way.
	Replace bool
}

// Trailer is one "Key: Value" line of a commit message's trailer block.
type Trailer struct {
	// Key is the trailer's name ("Source-Commit"): letters, digits and dashes.
	Key string
	// Value is the trailer's value, on one line.
	Value string
}

// Signature names who made a commit, and when.
type Signature struct {
	// Name is the author's name ("gitfleet renderer").
	Name string
	// Email is the author's email address.
	Email string
	// When is the commit's time; it must be set. Git keeps it to the second, with its zone.
	When time.Time
}

// CommitResult is what Repository.Commit did.
type CommitResult struct {
	// Commit is the branch's commit after the call: the new commit, or the parent when the
	// tree did not change.
	Commit plumbing.Hash
	// Tree is the hash of the tree the request described.
	Tree plumbing.Hash
	// Changed is true when a commit was made and the branch moved to it; false when the tree
	// is the parent's, so that no commit was needed.
	Changed bool
	// Written counts the objects (blobs, trees and the commit) stored because the
	// repository lacked them; unchanged files and directories cost nothing.
	Written int
}

// ErrConflict is matched (errors.Is) by the error of a Commit that lost a race: the branch was
// no longer at the request's Parent because another writer moved it (or created it) first.
// The error is a *ConflictError, which says where the branch is now. UpdateBranch retries
// on it.
var ErrConflict = errors.New("branch moved concurrently")

// ConflictError is the error of a lost compare-and-swap on a branch. It matches ErrConflict.
type ConflictError struct {
	// Branch is the branch that moved.
	Branch string
	// Expected is where the request expected the branch; zero when it expected no branch.
	Expected plumbing.Hash
	// Current is where the branch is now; zero when it does not exist.
	Current plumbing.Hash
}

// Error says where the branch was expected and where it is.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("%v: expected %s, found %s", ErrConflict, describeTip(e.Expected), describeTip(e.Current))
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

func describeTip(h plumbing.Hash) string {
	if h.IsZero() {
		return "no branch"
	}
	return h.String()
}

// Commit makes req's files the whole tree of req.Branch, in one commit whose parent is
// req.Parent, unless that tree is already the parent's: then nothing is written and the
// result has Changed false and Commit req.Parent (the branch itself is not read).
//
// Objects are written with Git plumbing straight into the object store — no worktree, no
// index. Every blob and tree is hashed first and only the ones the repository lacks are
// stored, so a commit costs the changed files and the trees on their paths. The same request
// (files, message, trailers, author) on the same parent gives the same commit hash in any
// repository.
//
// The branch moves only if it is still at req.Parent (absent, for a zero Parent): a local
// repository updates the ref with a check-and-set; a clone pushes the commit to the remote,
// whose receive-pack refuses the update if the branch moved since it advertised it, and on
// success moves its mirrored branch too. Losing either race returns a *ConflictError
// (errors.Is ErrConflict) and leaves the branch as the winner left it; the new objects stay,
// unreferenced, for the next attempt to reuse. A push that is refused for any other reason
// (authentication, a hook) returns that reason.
//
// A local repository with a worktree refuses to move the branch checked out in it, as git
// push does: its index and files would silently fall behind.
func (r *Repository) Commit(ctx context.Context, req CommitRequest) (CommitResult, error) {
	res, err := r.commit(ctx, req)
	if err != nil {
		return res, fmt.Errorf("commit to branch %s of %s: %w", req.Branch, r, err)
	}
	return res, nil
}

func (r *Repository) commit(ctx context.Context, req CommitRequest) (CommitResult, error) {
	branch, err := branchRef(req.Branch)
	if err != nil {
		return CommitResult{}, err
	}
	message, err := commitMessage(req.Message, req.Trailers)
	if err != nil {
		return CommitResult{}, err
	}
	author, err := req.Author.signature()
	if err != nil {
		return CommitResult{}, err
	}
	// Hashing is pure and the bulk of the CPU work: do it before taking the lock.
	tree, err := buildTree(req.Files)
	if err != nil {
		return CommitResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return CommitResult{}, err
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.only != nil && !r.only[branch] {
		return CommitResult{}, fmt.Errorf("this clone mirrors only the branches of Options.Branches, not %s", req.Branch)
	}
	if err := r.refuseCheckedOut(branch); err != nil {
		return CommitResult{}, err
	}
	res := CommitResult{Tree: tree.hash}
	err = r.read(func() error {
		var oldTree plumbing.Hash
		if !req.Parent.IsZero() {
			parent, err := object.GetCommit(r.git.Storer, req.Parent)
			if err != nil {
				return fmt.Errorf("parent commit %s: %w", req.Parent, err)
			}
			if parent.TreeHash == tree.hash {
				res.Commit = req.Parent
				return nil
			}
			oldTree = parent.TreeHash
		}
		w := newObjectWriter(r.git.Storer)
		if err := w.addTree(tree, oldTree); err != nil {
			return err
		}
		commit := object.Commit{
			Author:    author,
			Committer: author,
			Message:   message,
			TreeHash:  tree.hash,
		}
		if !req.Parent.IsZero() && !req.Replace {
			commit.ParentHashes = []plumbing.Hash{req.Parent}
		}
		obj := &plumbing.MemoryObject{}
		if err := commit.Encode(obj); err != nil {
			return fmt.Errorf("encode commit: %w", err)
		}
		if err := w.add(obj); err != nil {
			return err
		}
		n, err := w.flush()
		if err != nil {
			return err
		}
		res.Commit, res.Changed, res.Written = obj.Hash(), true, n
		return nil
	})
	if err != nil || !res.Changed {
		return res, err
	}

	if r.loc.remote {
		err = r.pushBranch(ctx, branch, req.Parent, res.Commit, req.Replace)
	} else {
		err = r.setBranch(branch, req.Parent, res.Commit)
	}
	if err != nil {
		return CommitResult{Tree: tree.hash}, err
	}
	return res, nil
}

// branchRef returns the full ref name of branch, checking it is a valid branch name.
func branchRef(branch string) (plumbing.ReferenceName, error) {
	if branch == "" {
		return "", errors.New("no branch given")
	}
	if strings.HasPrefix(branch, "refs/") {
		return "", fmt.Errorf("branch %q: give the branch name, without refs/heads/", branch)
	}
	ref := plumbing.NewBranchReferenceName(branch)
	if err := ref.Validate(); err != nil {
		return "", fmt.Errorf("branch %q: %w", branch, err)
	}
	return ref, nil
}

// signature checks s and converts it for go-git.
func (s Signature) signature() (object.Signature, error) {
	switch {
	case s.Name == "":
		return object.Signature{}, errors.New("author: no name")
	case strings.ContainsAny(s.Name, "<>\n"), strings.ContainsAny(s.Email, "<>\n"):
		return object.Signature{}, fmt.Errorf("author %q <%s>: name and email must not contain '<', '>' or newlines", s.Name, s.Email)
	case s.When.IsZero():
		// Commit never reads the clock: the time is part of the commit hash.
		return object.Signature{}, errors.New("author: no time (Signature.When)")
	}
	return object.Signature{Name: s.Name, Email: s.Email, When: s.When}, nil
}
