package gitstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// setBranch moves the branch of a local repository from expected (zero: absent) to commit,
// or returns a *ConflictError if it is not at expected. Callers hold r.mu.
//
// The check and the write are one step for every gitfleet or go-git writer, in this process
// or another: an update is go-git's CheckAndSetReference, which locks the ref file and
// rewrites it in place, and a creation follows git's lock-file protocol (createRef). A git
// CLI update of an existing branch (`git update-ref`, which locks with a .lock file beside
// the ref) is not excluded by the former — gitfleet's refs have one writer each (DESIGN §1),
// and that writer is gitfleet.
func (r *Repository) setBranch(name plumbing.ReferenceName, expected, commit plumbing.Hash) error {
	current, err := r.settledBranchTip(name)
	if err != nil {
		return err
	}
	// Checked first: go-git's check-and-set of a ref that exists nowhere leaves an empty
	// ref file behind, which git then reports as a broken ref.
	if current != expected {
		return &ConflictError{Branch: name.Short(), Expected: expected, Current: current}
	}
	ref := plumbing.NewHashReference(name, commit)
	if expected.IsZero() {
		err = r.createRef(ref)
	} else {
		err = r.git.Storer.CheckAndSetReference(ref, plumbing.NewHashReference(name, expected))
	}
	// Changed, or created, or (for go-git, which then leaves an empty file that a later
	// createRef replaces) deleted since it was read.
	if errors.Is(err, storage.ErrReferenceHasChanged) || errors.Is(err, fs.ErrExist) || errors.Is(err, plumbing.ErrReferenceNotFound) {
		current, terr := r.settledBranchTip(name)
		if terr != nil {
			return terr
		}
		return &ConflictError{Branch: name.Short(), Expected: expected, Current: current}
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	return nil
}

// branchTip returns the commit the branch name points to, zero if it does not exist.
// Callers hold r.mu.
func (r *Repository) branchTip(name plumbing.ReferenceName) (plumbing.Hash, error) {
	ref, err := r.git.Storer.Reference(name)
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		return plumbing.ZeroHash, nil
	case err != nil:
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	case ref.Type() != plumbing.HashReference:
		return plumbing.ZeroHash, fmt.Errorf("%s is a symbolic reference to %s, not a branch", name, ref.Target())
	}
	return ref.Hash(), nil
}

// createRef creates ref, failing with an error that matches fs.ErrExist if another writer
// creates it at the same time. Callers hold r.mu and have checked that the ref does not
// exist, loose or packed.
//
// go-git's CheckAndSetReference cannot say "must not exist", so the ref is created as git
// creates refs: the writer that creates "<ref>.lock" exclusively owns the ref, checks that it
// still does not exist, writes the lock file and renames it into place. Readers never see a
// half-written ref, and git CLI writers are excluded too.
func (r *Repository) createRef(ref *plumbing.Reference) (err error) {
	s, ok := r.git.Storer.(*filesystem.Storage)
	if !ok {
		// In memory only this Repository writes, under r.mu.
		return r.git.Storer.SetReference(ref)
	}
	fsys := s.Filesystem()
	name := ref.Name().String()
	lock, err := fsys.OpenFile(name+".lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = fsys.Remove(name + ".lock")
		}
	}()
	_, err = lock.Write([]byte(ref.Hash().String() + "\n"))
	if cerr := lock.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// Read under the ref's lock: a go-git writer updating the ref in place may have
	// truncated it, and renaming over it then would undo its update.
	current, err := r.settledBranchTip(ref.Name())
	if err != nil {
		return err
	}
	if !current.IsZero() {
		return fmt.Errorf("%s: %w", name, fs.ErrExist)
	}
	if err := fsys.Rename(name+".lock", name); err != nil {
		return err
	}
	renamed = true
	return nil
}

// settledBranchTip is branchTip, read under the lock go-git's writers hold while they write
// the loose ref file. go-git rewrites a ref file in place (truncate, then write), so a reader
// that does not take the lock can find it empty, which reads as no branch: a writer would
// then take the branch for absent and try to create it, and createRef would rename its ref
// over the update. Callers hold r.mu.
func (r *Repository) settledBranchTip(name plumbing.ReferenceName) (plumbing.Hash, error) {
	s, ok := r.git.Storer.(*filesystem.Storage)
	if !ok {
		return r.branchTip(name)
	}
	f, err := s.Filesystem().Open(name.String())
	if err != nil {
		return r.branchTip(name) // packed, absent, or not a valid name
	}
	defer f.Close() // and unlock
	if err := f.Lock(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("lock %s: %w", name, err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	}
	content := strings.TrimSpace(string(data))
	if content == "" {
		// Left empty by a failed go-git write: go-git reads the packed value then.
		return r.branchTip(name)
	}
	ref := plumbing.NewReferenceFromStrings(name.String(), content)
	if ref.Type() != plumbing.HashReference {
		return plumbing.ZeroHash, fmt.Errorf("%s is a symbolic reference to %s, not a branch", name, ref.Target())
	}
	return ref.Hash(), nil
}

// refuseCheckedOut returns an error if name is the branch checked out in the worktree of a
// local repository: moving it would leave the worktree and index behind, showing the change
// reversed (git push refuses it too: receive.denyCurrentBranch). Callers hold r.mu.
func (r *Repository) refuseCheckedOut(name plumbing.ReferenceName) error {
	if r.loc.remote {
		return nil
	}
	head, err := r.git.Storer.Reference(plumbing.HEAD)
	if err != nil || head.Type() != plumbing.SymbolicReference || head.Target() != name {
		return nil
	}
	cfg, err := r.git.Config()
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	if cfg.Core.IsBare {
		return nil
	}
	return fmt.Errorf("branch %s is checked out in the worktree; switch to another branch to let gitfleet write it", name.Short())
}
