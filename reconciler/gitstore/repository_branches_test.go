package gitstore_test

import (
	"context"
	"testing"
	"testing/fstest"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// A clone limited to some branches fetches only those, follows their updates and deletions,
// and refuses to commit elsewhere.
func TestCloneOfSomeBranches(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	srv.PushDir(t, "fleet.git", "gitfleet/agents/other", fstest.MapFS{"report.yaml": {Data: []byte("other\n")}}, "other", pushTime)
	srv.PushDir(t, "fleet.git", "gitfleet/rendered", fstest.MapFS{"README.md": {Data: []byte("render\n")}}, "render", pushTime)

	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth(), Branches: []string{"gitfleet/rendered", "gitfleet/agents/mine"}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.Resolve("gitfleet/rendered")).NotTo(BeZero())
	for _, absent := range []string{"main", "gitfleet/agents/other", "gitfleet/agents/mine"} {
		_, err := repo.Resolve(absent)
		g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound), absent)
	}

	mine, err := repo.Commit(ctx, gitstore.CommitRequest{Branch: "gitfleet/agents/mine", Files: map[string][]byte{"report.yaml": []byte("mine\n")},
		Message: "report", Author: gitstore.Signature{Name: "agent", When: pushTime}, Replace: true})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(serverTip(t, srv, "gitfleet/agents/mine")).To(Equal(mine.Commit))
	_, err = repo.Commit(ctx, gitstore.CommitRequest{Branch: "gitfleet/agents/other", Files: map[string][]byte{"x": []byte("x\n")},
		Message: "not mine", Author: gitstore.Signature{Name: "agent", When: pushTime}})
	g.Expect(err).To(MatchError(ContainSubstring("mirrors only the branches")))
	g.Expect(serverTip(t, srv, "gitfleet/agents/other")).NotTo(Equal(plumbing.ZeroHash))

	// Updates to a listed branch arrive; other branches still do not.
	_, next := srv.PushDir(t, "fleet.git", "gitfleet/rendered", fstest.MapFS{"README.md": {Data: []byte("render 2\n")}}, "render 2", pushTime)
	srv.PushDir(t, "fleet.git", "gitfleet/agents/other", fstest.MapFS{"report.yaml": {Data: []byte("other 2\n")}}, "other 2", pushTime)
	g.Expect(repo.Fetch(ctx)).To(Succeed())
	g.Expect(repo.Resolve("gitfleet/rendered")).To(Equal(next))
	_, err = repo.Resolve("gitfleet/agents/other")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))

	// A listed branch deleted on the remote goes from the clone too.
	bare, err := git.PlainOpen(srv.Dir("fleet.git"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(bare.Storer.RemoveReference(plumbing.NewBranchReferenceName("gitfleet/rendered"))).To(Succeed())
	g.Expect(repo.Fetch(ctx)).To(Succeed())
	_, err = repo.Resolve("gitfleet/rendered")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
	g.Expect(repo.Resolve("gitfleet/agents/mine")).To(Equal(mine.Commit))
}
