package gitstore_test

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// A ref replaced between every listing and every fetch (an agent reporting faster than the
// hub fetches) does not make Fetch fail: the other refs arrive, and that one keeps its
// previous value until a fetch wins the race.
func TestFetchLosingRacesOnOneRef(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	srv.PushDir(t, "fleet.git", "gitfleet/agents/busy", fstest.MapFS{"report.yaml": {Data: []byte("1\n")}}, "report", pushTime)
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	before, err := repo.Resolve("gitfleet/agents/busy")
	g.Expect(err).NotTo(HaveOccurred())

	bare, err := git.PlainOpen(srv.Dir("fleet.git"))
	g.Expect(err).NotTo(HaveOccurred())
	busy := plumbing.NewBranchReferenceName("gitfleet/agents/busy")
	replaced := 0
	replace := func() {
		// A new root commit with the same tree: the ref moves, the old commit is orphaned.
		tip, err := bare.Reference(busy, true)
		if err != nil {
			t.Error(err)
			return
		}
		old, err := bare.CommitObject(tip.Hash())
		if err != nil {
			t.Error(err)
			return
		}
		replaced++
		next := &object.Commit{Author: old.Author, Committer: old.Committer, TreeHash: old.TreeHash, Message: fmt.Sprintf("report %d\n", replaced)}
		obj := bare.Storer.NewEncodedObject()
		if err := next.Encode(obj); err != nil {
			t.Error(err)
			return
		}
		h, err := bare.Storer.SetEncodedObject(obj)
		if err == nil {
			err = bare.Storer.SetReference(plumbing.NewHashReference(busy, h))
		}
		if err != nil {
			t.Error(err)
		}
	}
	replace()
	srv.BeforeUploadPack(replace)
	defer srv.BeforeUploadPack(nil)

	_, rendered := srv.PushDir(t, "fleet.git", "gitfleet/rendered", fstest.MapFS{"README.md": {Data: []byte("render\n")}}, "render", pushTime)
	g.Expect(repo.Fetch(ctx)).To(Succeed(), "losing the race on one ref does not fail the fetch")
	g.Expect(repo.Resolve("gitfleet/rendered")).To(Equal(rendered), "the other refs arrived")
	g.Expect(repo.Resolve("gitfleet/agents/busy")).To(Equal(before), "the busy ref keeps its previous value")
	g.Expect(replaced).To(BeNumerically(">", 3), "the whole-clone fetches lost, then the ref-by-ref one did")

	srv.BeforeUploadPack(nil)
	g.Expect(repo.Fetch(ctx)).To(Succeed())
	g.Expect(repo.Resolve("gitfleet/agents/busy")).NotTo(Equal(before), "a fetch that wins the race brings it")
}
