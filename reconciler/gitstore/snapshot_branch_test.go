package gitstore_test

import (
	"context"
	"io/fs"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

func TestBranchSnapshot(t *testing.T) {
	g := NewWithT(t)
	repo, _ := newBareRepo(t, gitstore.Options{})

	snap, err := repo.BranchSnapshot("gitfleet/status")
	g.Expect(err).NotTo(HaveOccurred(), "an absent branch is not an error")
	g.Expect(snap).To(BeNil())

	res, err := repo.Commit(context.Background(), gitstore.CommitRequest{
		Branch: "gitfleet/status", Files: files(map[string]string{"render.yaml": "result: Succeeded\n"}),
		Message: "Status", Author: renderer,
	})
	g.Expect(err).NotTo(HaveOccurred())
	snap, err = repo.BranchSnapshot("gitfleet/status")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap.Commit.Hash).To(Equal(res.Commit.String()))
	data, err := fs.ReadFile(snap.FS, "render.yaml")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(data)).To(Equal("result: Succeeded\n"))
}
