package gitstore_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// firstCommitTime and secondCommitTime are the fixed author and committer times of the
// commits in the local fixture repository.
var (
	firstCommitTime  = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	secondCommitTime = time.Date(2025, 3, 2, 11, 30, 0, 0, time.FixedZone("CET", 3600))
)

// localRepo is a repository with a worktree, made with go-git the way a user's checkout is.
type localRepo struct {
	dir    string
	git    *git.Repository
	first  plumbing.Hash // on gitfleet/rendered, tagged v1 and v1-annotated
	second plumbing.Hash // main, HEAD
}

// newLocalRepo makes a repository in a temporary directory: two commits on main, a branch
// gitfleet/rendered at the first, a lightweight tag v1 and an annotated tag v1-annotated.
func newLocalRepo(t *testing.T) *localRepo {
	t.Helper()
	g := NewWithT(t)
	r := &localRepo{dir: t.TempDir()}
	var err error
	r.git, err = git.PlainInitWithOptions(r.dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	g.Expect(err).NotTo(HaveOccurred())

	r.first = r.commit(t, map[string]string{
		"gitfleet.yaml":                 "kind: FleetConfig\n",
		"clusters/eu-1.yaml":            "kind: Cluster\nmetadata: {name: eu-1}\n",
		"clusters/us/us-1.yaml":         "kind: Cluster\nmetadata: {name: us-1}\n",
		"apps/web/base/deployment.yaml": "kind: Deployment\n",
	}, "Add the fleet", firstCommitTime)
	r.second = r.commit(t, map[string]string{
		"clusters/eu-1.yaml": "kind: Cluster\nmetadata: {name: eu-1, labels: {tier: gold}}\n",
	}, "Label eu-1\n\nSigned-off-by: Ops <ops@example.com>\n", secondCommitTime)

	g.Expect(r.git.Storer.SetReference(plumbing.NewHashReference("refs/heads/gitfleet/rendered", r.first))).To(Succeed())
	_, err = r.git.CreateTag("v1", r.first, nil)
	g.Expect(err).NotTo(HaveOccurred())
	_, err = r.git.CreateTag("v1-annotated", r.first, &git.CreateTagOptions{
		Tagger:  &object.Signature{Name: "Ops", Email: "ops@example.com", When: firstCommitTime},
		Message: "First release",
	})
	g.Expect(err).NotTo(HaveOccurred())
	return r
}

// commit writes files into the worktree, adds them and commits at when.
func (r *localRepo) commit(t *testing.T, files map[string]string, message string, when time.Time) plumbing.Hash {
	t.Helper()
	g := NewWithT(t)
	for name, content := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		g.Expect(os.MkdirAll(filepath.Dir(p), 0o755)).To(Succeed())
		g.Expect(os.WriteFile(p, []byte(content), 0o644)).To(Succeed())
	}
	wt, err := r.git.Worktree()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(wt.AddGlob(".")).To(Succeed())
	sig := &object.Signature{Name: "Ops", Email: "ops@example.com", When: when}
	hash, err := wt.Commit(message, &git.CommitOptions{Author: sig, Committer: sig})
	g.Expect(err).NotTo(HaveOccurred())
	return hash
}

func TestResolveLocal(t *testing.T) {
	t.Parallel()
	r := newLocalRepo(t)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: r.dir})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())

	for _, tc := range []struct {
		ref  string
		want plumbing.Hash
	}{
		{ref: "main", want: r.second},
		{ref: "refs/heads/main", want: r.second},
		{ref: "heads/main", want: r.second},
		{ref: "HEAD", want: r.second},
		{ref: "gitfleet/rendered", want: r.first},
		{ref: "refs/heads/gitfleet/rendered", want: r.first},
		{ref: "v1", want: r.first},
		{ref: "refs/tags/v1", want: r.first},
		{ref: "v1-annotated", want: r.first}, // peeled to the commit
		{ref: r.first.String(), want: r.first},
		{ref: r.first.String()[:7], want: r.first},
		{ref: strings.ToUpper(r.second.String()[:9]), want: r.second},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			g := NewWithT(t)
			got, err := repo.Resolve(tc.ref)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func TestResolveLocalNotFound(t *testing.T) {
	t.Parallel()
	r := newLocalRepo(t)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: r.dir})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())

	for _, ref := range []string{
		"nope",
		"gitfleet/status",
		"refs/heads/nope",
		"../config",    // not a ref name: must not read .git/config
		"refs/../HEAD", // idem
		"abc",          // too short for a sha
		"0000000000000000000000000000000000000000",
		"ffffffffff",
	} {
		t.Run(ref, func(t *testing.T) {
			g := NewWithT(t)
			_, err := repo.Resolve(ref)
			g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
			g.Expect(err).To(MatchError(fmt.Sprintf("reference %q not found in %s", ref, r.dir)))
		})
	}

	_, err = repo.Resolve("")
	NewWithT(t).Expect(err).To(MatchError(ContainSubstring("empty reference")))
}

// TestResolveLocalDanglingHead: a fresh repository's HEAD names a branch with no commits.
func TestResolveLocalDanglingHead(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	dir := t.TempDir()
	_, err := git.PlainInit(dir, false)
	g.Expect(err).NotTo(HaveOccurred())
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())

	_, err = repo.Resolve("HEAD")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
}

// TestResolveLocalAmbiguousShortSha makes commits until two share their first four hex digits;
// that abbreviation must be refused, as git refuses it.
func TestResolveLocalAmbiguousShortSha(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	dir := t.TempDir()
	bare, err := git.PlainInit(dir, true)
	g.Expect(err).NotTo(HaveOccurred())
	tree := object.Tree{}
	treeObj := bare.Storer.NewEncodedObject()
	g.Expect(tree.Encode(treeObj)).To(Succeed())
	treeHash, err := bare.Storer.SetEncodedObject(treeObj)
	g.Expect(err).NotTo(HaveOccurred())

	byPrefix := map[string]plumbing.Hash{}
	var prefix string
	for i := 0; prefix == ""; i++ {
		sig := object.Signature{Name: "Ops", Email: "ops@example.com", When: firstCommitTime}
		c := object.Commit{Author: sig, Committer: sig, Message: fmt.Sprintf("commit %d", i), TreeHash: treeHash}
		obj := bare.Storer.NewEncodedObject()
		g.Expect(c.Encode(obj)).To(Succeed())
		h, err := bare.Storer.SetEncodedObject(obj)
		g.Expect(err).NotTo(HaveOccurred())
		p := h.String()[:4]
		if _, ok := byPrefix[p]; ok {
			prefix = p
		}
		byPrefix[p] = h
	}

	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = repo.Resolve(prefix)
	g.Expect(err).To(MatchError(ContainSubstring("ambiguous")))
	g.Expect(err).NotTo(MatchError(gitstore.ErrReferenceNotFound))
	got, err := repo.Resolve(byPrefix[prefix].String()[:12])
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got).To(Equal(byPrefix[prefix]))
}

// TestOpenLocalForms opens the same repository by its worktree, a directory inside it and its
// .git directory (which opens like a bare repository).
func TestOpenLocalForms(t *testing.T) {
	t.Parallel()
	r := newLocalRepo(t)
	for name, path := range map[string]string{
		"worktree": r.dir,
		"subdir":   filepath.Join(r.dir, "clusters", "us"),
		"git dir":  filepath.Join(r.dir, ".git"),
		"relative": relativeTo(t, r.dir),
	} {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: path})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(repo.Resolve("main")).To(Equal(r.second))
			g.Expect(repo.Fetch(context.Background())).To(Succeed()) // a no-op for local repositories
		})
	}
}

func relativeTo(t *testing.T, dir string) string {
	wd, err := os.Getwd()
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	rel, err := filepath.Rel(wd, dir)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return rel
}

func TestOpenLocalNotARepository(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	dir := filepath.Join(t.TempDir(), "missing")
	_, err := gitstore.Open(context.Background(), gitstore.Options{URL: dir})
	g.Expect(err).To(MatchError(git.ErrRepositoryNotExists))
	g.Expect(err).To(MatchError(ContainSubstring(dir)))
}

// TestLocalSeesNewCommits: a local repository is read in place, so commits made after Open
// (by a human, or by the git CLI) resolve without reopening it.
func TestLocalSeesNewCommits(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	r := newLocalRepo(t)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: r.dir})
	g.Expect(err).NotTo(HaveOccurred())

	third := r.commit(t, map[string]string{"clusters/eu-2.yaml": "kind: Cluster\n"}, "Join eu-2", secondCommitTime.Add(time.Hour))
	g.Expect(repo.Fetch(context.Background())).To(Succeed())
	g.Expect(repo.Resolve("main")).To(Equal(third))
	snap, err := repo.Snapshot(third)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap.Commit.Message).To(Equal("Join eu-2"))
}

// TestLocalSeesRepackedObjects: another process may repack the repository (git gc, or a git
// fetch that writes a pack) under an open Repository; Resolve, Snapshot and a snapshot's FS
// still find their objects.
func TestLocalSeesRepackedObjects(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	r := newLocalRepo(t)
	gc := func() { // what git gc does: pack everything, drop the old packs and loose objects
		other, err := git.PlainOpen(r.dir)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(other.RepackObjects(&git.RepackConfig{})).To(Succeed())
		loose, err := filepath.Glob(filepath.Join(r.dir, ".git", "objects", "[0-9a-f][0-9a-f]"))
		g.Expect(err).NotTo(HaveOccurred())
		for _, dir := range loose {
			g.Expect(os.RemoveAll(dir)).To(Succeed())
		}
		r.git, err = git.PlainOpen(r.dir) // the writer too must see the new pack
		g.Expect(err).NotTo(HaveOccurred())
	}
	gc()
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: r.dir})
	g.Expect(err).NotTo(HaveOccurred())
	before, err := repo.Snapshot(r.second) // reads the pack, loading its index
	g.Expect(err).NotTo(HaveOccurred())

	third := r.commit(t, map[string]string{"clusters/eu-2.yaml": "kind: Cluster\n"}, "Join eu-2", secondCommitTime.Add(time.Hour))
	gc()

	g.Expect(repo.Resolve("main")).To(Equal(third))
	snap, err := repo.Snapshot(third)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(fs.ReadFile(snap.FS, "clusters/eu-2.yaml")).To(Equal([]byte("kind: Cluster\n")))
	g.Expect(fs.ReadFile(before.FS, "gitfleet.yaml")).To(Equal([]byte("kind: FleetConfig\n")))
	g.Expect(repo.Fetch(ctx)).To(Succeed())
}

func TestSnapshotUnknownCommit(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	r := newLocalRepo(t)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: r.dir})
	g.Expect(err).NotTo(HaveOccurred())

	missing := plumbing.NewHash("0123456789012345678901234567890123456789")
	_, err = repo.Snapshot(missing)
	g.Expect(err).To(MatchError(plumbing.ErrObjectNotFound))
	g.Expect(err).To(MatchError(ContainSubstring(missing.String())))
	g.Expect(err).To(MatchError(ContainSubstring(r.dir)))

	tree, err := r.git.CommitObject(r.first)
	g.Expect(err).NotTo(HaveOccurred())
	_, err = repo.Snapshot(tree.TreeHash) // a tree is not a commit
	g.Expect(err).To(HaveOccurred())
	g.Expect(errors.Is(err, gitstore.ErrReferenceNotFound)).To(BeFalse())
}
