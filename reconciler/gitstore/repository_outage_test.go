package gitstore_test

import (
	"context"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// TestHTTPServerDown: while the server drops every connection, Fetch and Commit fail with an
// error that names the repository and shows no credentials, a failed Commit leaves the remote
// branch and the clone's mirror of it as they were, and both work again once the server is
// back.
func TestHTTPServerDown(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	password := srv.Auth().Password
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	first, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())

	srv.SetDown(true)
	err = repo.Fetch(ctx)
	g.Expect(err).To(MatchError(ContainSubstring("fetch " + url)))
	g.Expect(err.Error()).NotTo(ContainSubstring(password))

	_, err = repo.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).To(MatchError(ContainSubstring(url)))
	g.Expect(err).NotTo(MatchError(gitstore.ErrConflict), "an unreachable server is not a lost race")
	g.Expect(err.Error()).NotTo(ContainSubstring(password))
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(first.Commit), "the remote branch did not move")
	g.Expect(repo.Resolve(renderedBranch)).To(Equal(first.Commit), "nor did the clone's mirror")

	srv.SetDown(false)
	g.Expect(repo.Fetch(ctx)).To(Succeed())
	second, err := repo.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, renderedBranch)).To(Equal(second.Commit))
}
