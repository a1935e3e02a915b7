package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Snapshot is one commit of a repository: what the commit says about itself, and its tree as a
// file system.
type Snapshot struct {
	// Commit describes the commit.
	Commit Commit
	// FS is the commit's tree. It implements fs.ReadDirFS, fs.ReadFileFS and fs.StatFS and
	// reads objects from the repository when asked, not up front; see Repository.Snapshot.
	FS fs.FS
}

// Commit is what a Snapshot records about its commit.
type Commit struct {
	// Hash is the commit's full sha in hex.
	Hash string
	// Time is the committer time: when the commit was made, as opposed to when its change
	// was first written. Where rendering needs a time, it uses this one, so that the same
	// commit renders the same everywhere.
	Time time.Time
	// Message is the full commit message, trailers (Source-Commit: …) included.
	Message string
}

// Snapshot returns the commit hash (from Resolve) and a view of its tree.
//
// The FS reads a directory's listing when it is opened or listed and a file's content when it
// is opened or read, each under the repository's lock; a file's content is held in memory while
// it is open. Paths follow io/fs rules ("." is the root, no leading or trailing slash). Every
// entry's ModTime is the commit time; files have mode 0644 (0755 when executable) and
// directories 0755. Submodules are left out. A symbolic link is a regular file whose content is
// the link's target, as git checks it out where links are not supported (core.symlinks=false);
// FileInfo.Sys returns the entry's git mode (a go-git filemode.FileMode), which tells links
// apart.
func (r *Repository) Snapshot(hash plumbing.Hash) (*Snapshot, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var commit *object.Commit
	err := r.read(func() (err error) {
		commit, err = object.GetCommit(r.git.Storer, hash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot of commit %s in %s: %w", hash, r, err)
	}
	return &Snapshot{
		Commit: Commit{
			Hash:    commit.Hash.String(),
			Time:    commit.Committer.When,
			Message: commit.Message,
		},
		FS: newTreeFS(r, commit.TreeHash, commit.Committer.When),
	}, nil
}

// BranchSnapshot returns the snapshot of a ref's commit (as Resolve reads refs), or nil —
// and no error — when the ref does not exist: a status or rendered branch that no writer
// has created yet is a normal state, not a failure.
func (r *Repository) BranchSnapshot(ref string) (*Snapshot, error) {
	hash, err := r.Resolve(ref)
	if errors.Is(err, ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r.Snapshot(hash)
}
