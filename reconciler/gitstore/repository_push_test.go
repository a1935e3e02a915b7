package gitstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// serverTip reads branch on the server's repository directly, not through a clone.
func serverTip(t *testing.T, srv *gitstoretest.Server, branch string) plumbing.Hash {
	t.Helper()
	repo, err := git.PlainOpen(srv.Dir("fleet.git"))
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(branch), false)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash
	}
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return ref.Hash()
}

// newServerWithSource serves fleet.git with fleetV1 on main and returns its URL.
func newServerWithSource(t *testing.T) (*gitstoretest.Server, string) {
	t.Helper()
	srv := gitstoretest.NewServer(t)
	url, _ := srv.PushDir(t, "fleet.git", "main", fleetV1, "source", pushTime)
	return srv, url
}

func TestCommitHTTPPushes(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth(), CacheDir: t.TempDir()})
	g.Expect(err).NotTo(HaveOccurred())

	first, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(first.Changed).To(BeTrue())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(first.Commit))
	g.Expect(repo.Resolve(renderedBranch)).To(Equal(first.Commit), "the clone's mirrored branch moved, without a fetch")

	second, err := repo.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(second.Commit))

	unchanged, err := repo.Commit(ctx, renderRequest(renderV2, second.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(unchanged.Changed).To(BeFalse())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(second.Commit))

	// A fresh clone sees what was pushed: the objects went with the commit.
	other, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(other.Resolve(renderedBranch)).To(Equal(second.Commit))
	g.Expect(treeOf(t, other, second.Commit)).To(Equal(renderV2))
	g.Expect(treeOf(t, other, first.Commit)).To(Equal(renderV1))
	g.Expect(other.Resolve("main")).NotTo(BeZero(), "other branches are untouched")
}

// TestCommitHTTPConflict: two clones of one URL write the same branch; the one that did not
// see the other's push is refused with ErrConflict and the remote branch keeps the winner's
// commit.
func TestCommitHTTPConflict(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	a, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	b, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())

	first, err := a.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())

	// b expects no branch: the push must not replace a's.
	_, err = b.Commit(ctx, renderRequest(renderV2, plumbing.ZeroHash))
	g.Expect(err).To(MatchError(gitstore.ErrConflict))
	var conflict *gitstore.ConflictError
	g.Expect(errors.As(err, &conflict)).To(BeTrue())
	g.Expect(*conflict).To(Equal(gitstore.ConflictError{Branch: renderedBranch, Expected: plumbing.ZeroHash, Current: first.Commit}))
	g.Expect(err).To(MatchError(ContainSubstring(url)))
	g.Expect(err.Error()).NotTo(ContainSubstring(srv.Auth().Password))
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(first.Commit), "the rejected push left the remote branch alone")
	_, err = b.Resolve(renderedBranch)
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound), "nor did it move b's mirror")

	// b catches up, a moves on, b's parent is stale.
	g.Expect(b.Fetch(ctx)).To(Succeed())
	second, err := a.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	_, err = b.Commit(ctx, renderRequest(map[string]string{"b.yaml": "b\n"}, first.Commit))
	g.Expect(errors.As(err, &conflict)).To(BeTrue())
	g.Expect(conflict.Expected).To(Equal(first.Commit))
	g.Expect(conflict.Current).To(Equal(second.Commit))
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(second.Commit))
	g.Expect(b.Resolve(renderedBranch)).To(Equal(first.Commit))

	// Pushing exactly the commit the other writer pushed is not a conflict.
	g.Expect(b.Fetch(ctx)).To(Succeed())
	res, err := b.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Commit).To(Equal(second.Commit))
}

// TestCommitHTTPServerRefusesLostRace: the branch moves after the server advertised it and
// before it applies the push, so only the server's check of the old value can stop it.
func TestCommitHTTPServerRefusesLostRace(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		exists bool // whether the branch exists before the race
	}{
		{name: "update", exists: true},
		{name: "create", exists: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			ctx := context.Background()
			srv, url := newServerWithSource(t)
			repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
			g.Expect(err).NotTo(HaveOccurred())
			var parent plumbing.Hash
			if tc.exists {
				res, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
				g.Expect(err).NotTo(HaveOccurred())
				parent = res.Commit
			}
			main := serverTip(t, srv, "main")

			// Another writer wins between the advertisement and the update.
			srv.BeforeReceivePack(func() {
				server, err := git.PlainOpen(srv.Dir("fleet.git"))
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(server.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(renderedBranch), main))).To(Succeed())
			})
			_, err = repo.Commit(ctx, renderRequest(renderV2, parent))
			g.Expect(err).To(MatchError(gitstore.ErrConflict))
			var conflict *gitstore.ConflictError
			g.Expect(errors.As(err, &conflict)).To(BeTrue())
			g.Expect(conflict.Expected).To(Equal(parent))
			g.Expect(conflict.Current).To(Equal(main))
			g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(main), "the winner's value stays")
		})
	}
}

// TestCommitHTTPRefusedForAnotherReason: a push the server refuses for another reason than
// a moved branch (here a pre-receive hook) is not a conflict: the reason is returned, the
// branch stays, and UpdateBranch does not retry.
func TestCommitHTTPRefusedForAnotherReason(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	// Silent: the test server mixes a hook's stderr into the protocol stream.
	hook := filepath.Join(srv.Dir("fleet.git"), "hooks", "pre-receive")
	g.Expect(os.MkdirAll(filepath.Dir(hook), 0o755)).To(Succeed())
	g.Expect(os.WriteFile(hook, []byte("#!/bin/sh\nexit 1\n"), 0o755)).To(Succeed())

	calls := 0
	_, err = repo.UpdateBranch(ctx, renderedBranch, func(*gitstore.Snapshot) (gitstore.CommitRequest, error) {
		calls++
		return renderRequest(renderV1, plumbing.ZeroHash), nil
	})
	g.Expect(err).To(HaveOccurred())
	g.Expect(err).NotTo(MatchError(gitstore.ErrConflict))
	g.Expect(err).To(MatchError(ContainSubstring("pre-receive hook declined")))
	g.Expect(err).To(MatchError(ContainSubstring(url)))
	g.Expect(calls).To(Equal(1))
	g.Expect(serverTip(t, srv, renderedBranch)).To(BeZero())
	_, err = repo.Resolve(renderedBranch)
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
}

// TestCommitHTTPEmptyRepository: the first branch of a repository with no commits at all.
func TestCommitHTTPEmptyRepository(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv := gitstoretest.NewServer(t)
	_, err := git.PlainInit(srv.Dir("fleet.git"), true)
	g.Expect(err).NotTo(HaveOccurred())
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: srv.URL("fleet.git"), Auth: srv.Auth(), Retry: noWait})
	g.Expect(err).NotTo(HaveOccurred())

	first, err := repo.UpdateBranch(ctx, statusBranch, (&addFile{name: "render.yaml", content: "ok\n"}).update)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, statusBranch)).To(Equal(first.Commit))
	second, err := repo.UpdateBranch(ctx, statusBranch, (&addFile{name: "clusters/eu-1.yaml", content: "ready\n"}).update)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, statusBranch)).To(Equal(second.Commit))
	g.Expect(treeOf(t, repo, second.Commit)).To(Equal(map[string]string{"render.yaml": "ok\n", "clusters/eu-1.yaml": "ready\n"}))
}

// TestCommitReplace: a Replace commit is a root commit that takes the branch's place, over
// HTTP and in a local repository, and is still a compare-and-swap: a writer whose expected
// tip is stale is refused and leaves the winner's commit.
func TestCommitReplace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	httpRepo := func() *gitstore.Repository {
		repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		return repo
	}
	local := newLocalRepo(t)
	localRepo := func() *gitstore.Repository {
		repo, err := gitstore.Open(ctx, gitstore.Options{URL: local.dir})
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		return repo
	}
	dirs := map[string]string{"http": srv.Dir("fleet.git"), "local": local.dir}
	request := func(tree map[string]string, expected plumbing.Hash) gitstore.CommitRequest {
		req := renderRequest(tree, expected)
		req.Branch, req.Replace = "gitfleet/lease", true
		return req
	}
	for name, open := range map[string]func() *gitstore.Repository{"http": httpRepo, "local": localRepo} {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			a, b := open(), open()
			first, err := a.Commit(ctx, request(renderV1, plumbing.ZeroHash))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(b.Fetch(ctx)).To(Succeed())

			second, err := a.Commit(ctx, request(renderV2, first.Commit))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(second.Changed).To(BeTrue())
			g.Expect(treeOf(t, a, second.Commit)).To(Equal(renderV2))
			onDisk, err := git.PlainOpen(dirs[name])
			g.Expect(err).NotTo(HaveOccurred())
			commit, err := onDisk.CommitObject(second.Commit)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(commit.NumParents()).To(BeZero(), "the history was replaced, not extended")
			tip, err := onDisk.Reference(plumbing.NewBranchReferenceName("gitfleet/lease"), false)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(tip.Hash()).To(Equal(second.Commit))

			// b still expects first: refused, the branch stays at a's commit.
			_, err = b.Commit(ctx, request(map[string]string{"b.yaml": "b\n"}, first.Commit))
			g.Expect(err).To(MatchError(gitstore.ErrConflict))
			g.Expect(b.Fetch(ctx)).To(Succeed())
			g.Expect(b.Resolve("gitfleet/lease")).To(Equal(second.Commit))

			// A Replace commit that expects no branch does not replace an existing one.
			_, err = b.Commit(ctx, request(renderV1, plumbing.ZeroHash))
			g.Expect(err).To(MatchError(gitstore.ErrConflict))
			g.Expect(b.Fetch(ctx)).To(Succeed())
			g.Expect(b.Resolve("gitfleet/lease")).To(Equal(second.Commit))
		})
	}
}
