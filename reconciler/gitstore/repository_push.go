package gitstore

import (
	"context"
	"errors"
	"fmt"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// pushBranch pushes commit to the remote's branch name, which must be at expected (zero:
// absent), and moves the mirrored branch of the clone to commit. A lost race returns a
// *ConflictError. Callers hold r.mu.
//
// The compare-and-swap is the remote's: a push command carries the branch's old value as the
// remote advertised it, and receive-pack refuses the update if the branch no longer has that
// value when it locks it. What is left is to make sure the push goes out only when the
// advertised value is the expected one:
//   - an existing branch: RequireRemoteRefs "<expected>:<branch>" makes go-git refuse to
//     push unless the advertisement has the branch at expected;
//   - a branch that must not exist: RequireRemoteRefs cannot say so (go-git reports a
//     required ref that is absent as an error, whatever the value required). It needs no
//     option: a branch absent from the advertisement is pushed with the old value zero,
//     which receive-pack applies only if the branch still does not exist; a branch present
//     in it makes go-git refuse the push as non-fast-forward, since a root commit descends
//     from nothing.
//
// Neither go-git nor the server reports a lost race as a typed error, so a refused push is
// told apart by reading the remote's branch afterwards: moved elsewhere means a conflict,
// already at commit means another writer pushed the identical commit (or this push
// succeeded and only its report was lost), and still at expected means the push failed for
// another reason, which is returned.
//
// With replace, commit need not descend from expected: the push is forced, which is safe only
// because RequireRemoteRefs holds the advertised value to expected (receive-pack then checks
// that value). A branch that must not exist is never forced.
func (r *Repository) pushBranch(ctx context.Context, name plumbing.ReferenceName, expected, commit plumbing.Hash, replace bool) error {
	remote, err := r.git.Remote(remoteName)
	if err != nil {
		return err
	}
	spec := commit.String() + ":" + name.String()
	if replace && !expected.IsZero() {
		spec = "+" + spec
	}
	opts := &git.PushOptions{
		RemoteName: remoteName,
		RefSpecs:   []config.RefSpec{config.RefSpec(spec)},
		Auth:       r.loc.auth,
	}
	if !expected.IsZero() {
		opts.RequireRemoteRefs = []config.RefSpec{config.RefSpec(expected.String() + ":" + name.String())}
	}
	err = remote.PushContext(ctx, opts)
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		current, lerr := remoteBranchTip(ctx, remote, r.loc.auth, name)
		switch {
		case lerr != nil || current == expected:
			return fmt.Errorf("push: %w", r.loc.explain(err))
		case current != commit:
			return &ConflictError{Branch: name.Short(), Expected: expected, Current: current}
		}
	}
	if err := r.git.Storer.SetReference(plumbing.NewHashReference(name, commit)); err != nil {
		return fmt.Errorf("pushed, but could not move the clone's %s: %w", name, err)
	}
	return nil
}

// remoteBranchTip returns the commit the remote's branch name is at, zero if it has no such
// branch.
func remoteBranchTip(ctx context.Context, remote *git.Remote, auth transport.AuthMethod, name plumbing.ReferenceName) (plumbing.Hash, error) {
	refs, err := remote.ListContext(ctx, &git.ListOptions{Auth: auth, PeelingOption: git.IgnorePeeled})
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	for _, ref := range refs {
		if ref.Name() == name && ref.Type() == plumbing.HashReference {
			return ref.Hash(), nil
		}
	}
	return plumbing.ZeroHash, nil
}
