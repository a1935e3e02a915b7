package publish_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/publish"
	"github.com/gitfleet/gitfleet/renderer"
)

var when = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// fixedRender returns a render of the given files, and records the previous trees it saw.
type fixedRender struct {
	files map[string]string
	seen  []fs.FS
}

func (f *fixedRender) render(previous fs.FS) (*renderer.Result, error) {
	f.seen = append(f.seen, previous)
	tree := renderer.NewTree()
	for p, data := range f.files {
		tree.Put(p, []byte(data))
	}
	return &renderer.Result{Tree: tree}, nil
}

func renderV1() map[string]string {
	return map[string]string{
		"README.md":                                 "readme\n",
		".gitfleet/provenance.yaml":                 "sourceCommit: abc\n",
		"bindings/shop/apps.deployment.web.yaml":    "binding\n",
		"karmada-es-eu-1/.gitfleet-cluster.yaml":    "inventory eu-1\n",
		"karmada-es-eu-1/shop/apps.deployment.yaml": "web on eu-1\n",
		"karmada-es-us-1/.gitfleet-cluster.yaml":    "inventory us-1\n",
		"karmada-es-us-1/shop/apps.deployment.yaml": "web on us-1\n",
	}
}

func openRepo(t *testing.T) (*gitstore.Repository, string) {
	t.Helper()
	server := gitstoretest.NewServer(t)
	server.PushDir(t, "fleet.git", "main", fstest.MapFS{"clusters.yaml": {Data: []byte("x: 1\n")}}, "source", when)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: server.URL("fleet.git"), Auth: server.Auth()})
	if err != nil {
		t.Fatal(err)
	}
	return repo, server.Dir("fleet.git")
}

func snapshotFiles(t *testing.T, repo *gitstore.Repository, branch string) (map[string]string, map[string]string) {
	t.Helper()
	h, err := repo.Resolve(branch)
	if err != nil {
		t.Fatalf("resolving %s: %v", branch, err)
	}
	snap, err := repo.Snapshot(h)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	err = fs.WalkDir(snap.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(snap.FS, p)
		files[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, gitstore.ParseTrailers(snap.Commit.Message)
}

func TestCommitPublishesTheRenderAndEachClusterBranch(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	repo, _ := openRepo(t)
	r := &fixedRender{files: renderV1()}
	req := publish.Request{RenderedBranch: "gitfleet/rendered", SourceCommit: "1111111111111111111111111111111111111111",
		StatusCommit: "2222222222222222222222222222222222222222", When: when, ClusterBranchPrefix: publish.DefaultClusterBranchPrefix}

	out, err := publish.Commit(ctx, repo, req, r.render)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(out.Rendered.Changed).To(BeTrue())
	g.Expect(r.seen).To(Equal([]fs.FS{nil}), "the first render has no previous tree")

	rendered, trailers := snapshotFiles(t, repo, "gitfleet/rendered")
	g.Expect(rendered).To(Equal(renderV1()))
	g.Expect(trailers).To(Equal(map[string]string{"Source-Commit": req.SourceCommit, "Status-Commit": req.StatusCommit}))

	g.Expect(out.Clusters).To(HaveLen(2))
	g.Expect(out.Clusters[0].Branch).To(Equal("gitfleet/cluster/eu-1"))
	eu, euTrailers := snapshotFiles(t, repo, "gitfleet/cluster/eu-1")
	g.Expect(eu).To(Equal(map[string]string{
		".gitfleet/provenance.yaml":                 "sourceCommit: abc\n",
		"karmada-es-eu-1/.gitfleet-cluster.yaml":    "inventory eu-1\n",
		"karmada-es-eu-1/shop/apps.deployment.yaml": "web on eu-1\n",
	}), "only the cluster's own directory, at the path it has on the rendered branch")
	g.Expect(euTrailers).To(HaveKeyWithValue("Rendered-Commit", out.Rendered.Commit.String()))
	g.Expect(euTrailers).To(HaveKeyWithValue("Source-Commit", req.SourceCommit))

	// A change to one cluster commits that cluster's branch only.
	r.files["karmada-es-us-1/shop/apps.deployment.yaml"] = "web on us-1, scaled\n"
	usBefore, _ := repo.Resolve("gitfleet/cluster/us-1")
	euBefore, _ := repo.Resolve("gitfleet/cluster/eu-1")
	out, err = publish.Commit(ctx, repo, req, r.render)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(r.seen[1]).NotTo(BeNil(), "the second render sees the first as its previous tree")
	g.Expect(out.Clusters[0].Changed).To(BeFalse())
	g.Expect(out.Clusters[0].Commit).To(Equal(euBefore))
	g.Expect(out.Clusters[1].Changed).To(BeTrue())
	g.Expect(out.Clusters[1].Commit).NotTo(Equal(usBefore))
	us, _ := snapshotFiles(t, repo, "gitfleet/cluster/us-1")
	g.Expect(us["karmada-es-us-1/shop/apps.deployment.yaml"]).To(Equal("web on us-1, scaled\n"))
}

func TestCommitWithoutAPrefixWritesNoClusterBranch(t *testing.T) {
	g := NewWithT(t)
	repo, _ := openRepo(t)
	r := &fixedRender{files: renderV1()}
	out, err := publish.Commit(context.Background(), repo, publish.Request{RenderedBranch: "gitfleet/rendered", SourceCommit: "abc", When: when}, r.render)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(out.Clusters).To(BeEmpty())
	_, err = repo.Resolve("gitfleet/cluster/eu-1")
	g.Expect(err).To(HaveOccurred())
	_, trailers := snapshotFiles(t, repo, "gitfleet/rendered")
	g.Expect(trailers).NotTo(HaveKey("Status-Commit"), "no status yet: no trailer")
}

func TestCommitMovesNothingWhenTheRenderFails(t *testing.T) {
	g := NewWithT(t)
	repo, _ := openRepo(t)
	boom := errors.New("broken source")
	_, err := publish.Commit(context.Background(), repo, publish.Request{RenderedBranch: "gitfleet/rendered", When: when,
		ClusterBranchPrefix: publish.DefaultClusterBranchPrefix},
		func(fs.FS) (*renderer.Result, error) { return nil, boom })
	g.Expect(err).To(MatchError(boom))
	_, err = repo.Resolve("gitfleet/rendered")
	g.Expect(err).To(HaveOccurred(), "no rendered branch was created")
}

// A guard that refuses after the render (the hub lost its lease while rendering) stops every
// commit: the rendered branch and the cluster branches stay as they were.
func TestCommitStopsWhenTheGuardRefuses(t *testing.T) {
	g := NewWithT(t)
	repo, _ := openRepo(t)
	r := &fixedRender{files: renderV1()}
	lost := errors.New("lease lost")
	_, err := publish.Commit(context.Background(), repo, publish.Request{RenderedBranch: "gitfleet/rendered", SourceCommit: "abc", When: when,
		ClusterBranchPrefix: publish.DefaultClusterBranchPrefix, Guard: func() error { return lost }}, r.render)
	g.Expect(err).To(MatchError(lost))
	g.Expect(r.seen).To(HaveLen(1), "the render ran; only the commit was refused")
	for _, branch := range []string{"gitfleet/rendered", "gitfleet/cluster/eu-1"} {
		_, err := repo.Resolve(branch)
		g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound), branch)
	}

	calls := 0
	out, err := publish.Commit(context.Background(), repo, publish.Request{RenderedBranch: "gitfleet/rendered", SourceCommit: "abc", When: when,
		ClusterBranchPrefix: publish.DefaultClusterBranchPrefix, Guard: func() error {
			if calls++; calls > 1 {
				return lost
			}
			return nil
		}}, r.render)
	g.Expect(err).To(MatchError(lost), "the lease was lost between the rendered branch and the cluster branches")
	g.Expect(out.Rendered.Changed).To(BeTrue())
	g.Expect(out.Clusters).To(BeEmpty())
}
