package gitstore_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// commitTime is the author time of the commits the tests make: the caller's, never the clock.
var commitTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))

var renderer = gitstore.Signature{Name: "gitfleet renderer", Email: "renderer@gitfleet.io", When: commitTime}

const renderedBranch = "gitfleet/rendered"

// renderV1 is a small rendered tree; renderV2 changes one manifest, adds one and drops one
// (with its directory).
var (
	renderV1 = map[string]string{
		"README.md":                                    "# gitfleet/rendered\n",
		".gitfleet/provenance.yaml":                    "sourceCommit: aaaa\n",
		"bindings/web/apps.deployment.web.yaml":        "kind: ResourceBinding\n",
		"karmada-es-eu-1/.gitfleet-cluster.yaml":       "objects: 2\n",
		"karmada-es-eu-1/web/apps.deployment.web.yaml": "kind: Deployment\nspec: {replicas: 2}\n",
		"karmada-es-eu-1/web/core.service.web.yaml":    "kind: Service\n",
		"karmada-es-us-1/.gitfleet-cluster.yaml":       "objects: 1\n",
		"karmada-es-us-1/web/core.service.web.yaml":    "kind: Service\n", // the same blob as eu-1's
	}
	renderV2 = map[string]string{
		"README.md":                                    "# gitfleet/rendered\n",
		".gitfleet/provenance.yaml":                    "sourceCommit: bbbb\n",
		"bindings/web/apps.deployment.web.yaml":        "kind: ResourceBinding\n",
		"karmada-es-eu-1/.gitfleet-cluster.yaml":       "objects: 3\n",
		"karmada-es-eu-1/web/apps.deployment.web.yaml": "kind: Deployment\nspec: {replicas: 3}\n",
		"karmada-es-eu-1/web/core.service.web.yaml":    "kind: Service\n",
		"karmada-es-eu-1/web/core.configmap.web.yaml":  "kind: ConfigMap\n",
	}
)

func files(m map[string]string) map[string][]byte {
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out
}

// renderRequest is a commit of tree to renderedBranch on parent.
func renderRequest(tree map[string]string, parent plumbing.Hash) gitstore.CommitRequest {
	return gitstore.CommitRequest{
		Branch:   renderedBranch,
		Parent:   parent,
		Files:    files(tree),
		Message:  "Render main",
		Trailers: []gitstore.Trailer{{Key: gitstore.TrailerSourceCommit, Value: "0123456789abcdef0123456789abcdef01234567"}},
		Author:   renderer,
	}
}

// newBareRepo makes an empty bare repository in a temporary directory and opens it.
func newBareRepo(t testing.TB, opts gitstore.Options) (*gitstore.Repository, string) {
	t.Helper()
	dir := t.TempDir()
	_, err := git.PlainInit(dir, true)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	opts.URL = dir
	repo, err := gitstore.Open(context.Background(), opts)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return repo, dir
}

// treeOf reads every file of commit hash in repo.
func treeOf(t *testing.T, repo *gitstore.Repository, hash plumbing.Hash) map[string]string {
	t.Helper()
	g := NewWithT(t)
	snap, err := repo.Snapshot(hash)
	g.Expect(err).NotTo(HaveOccurred())
	got := map[string]string{}
	g.Expect(fs.WalkDir(snap.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		g.Expect(info.Sys()).To(Equal(filemode.Regular), p)
		data, err := fs.ReadFile(snap.FS, p)
		got[p] = string(data)
		return err
	})).To(Succeed())
	return got
}

// parentsOf reads the parents of commit hash in the repository at dir with go-git,
// independently of gitstore.
func parentsOf(t *testing.T, dir string, hash plumbing.Hash) []plumbing.Hash {
	t.Helper()
	g := NewWithT(t)
	repo, err := git.PlainOpen(dir)
	g.Expect(err).NotTo(HaveOccurred())
	c, err := repo.CommitObject(hash)
	g.Expect(err).NotTo(HaveOccurred())
	return c.ParentHashes
}

func TestCommitLocalCreatesBranch(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	repo, dir := newBareRepo(t, gitstore.Options{})

	res, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Changed).To(BeTrue())
	// 7 distinct blobs (the two services share one), 8 trees, 1 commit.
	g.Expect(res.Written).To(Equal(16))
	g.Expect(repo.Resolve(renderedBranch)).To(Equal(res.Commit))
	g.Expect(treeOf(t, repo, res.Commit)).To(Equal(renderV1))
	g.Expect(parentsOf(t, dir, res.Commit)).To(BeEmpty())

	snap, err := repo.Snapshot(res.Commit)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap.Commit.Time).To(BeTemporally("==", commitTime))
	g.Expect(snap.Commit.Time.Format(time.RFC3339)).To(Equal("2025-06-01T12:00:00+02:00"), "the zone is kept")
	g.Expect(snap.Commit.Message).To(Equal("Render main\n\nSource-Commit: 0123456789abcdef0123456789abcdef01234567\n"))
}

func TestCommitLocalUnchangedTreeMakesNoCommit(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	repo, _ := newBareRepo(t, gitstore.Options{})
	first, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())

	// Another message, time and trailer: still the same tree, so no commit.
	again := renderRequest(renderV1, first.Commit)
	again.Message = "Render main again"
	again.Author.When = commitTime.Add(time.Hour)
	again.Trailers = []gitstore.Trailer{{Key: gitstore.TrailerStatusCommit, Value: "feed"}}
	res, err := repo.Commit(ctx, again)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res).To(Equal(gitstore.CommitResult{Commit: first.Commit, Tree: first.Tree, Changed: false, Written: 0}))
	g.Expect(repo.Resolve(renderedBranch)).To(Equal(first.Commit))
}

func TestCommitLocalChangedTree(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	repo, dir := newBareRepo(t, gitstore.Options{})
	first, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())

	second, err := repo.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(second.Changed).To(BeTrue())
	g.Expect(second.Commit).NotTo(Equal(first.Commit))
	g.Expect(repo.Resolve(renderedBranch)).To(Equal(second.Commit))
	g.Expect(parentsOf(t, dir, second.Commit)).To(Equal([]plumbing.Hash{first.Commit}))
	g.Expect(treeOf(t, repo, second.Commit)).To(Equal(renderV2), "exactly the new files: karmada-es-us-1 is gone")
	// New: 4 blobs (provenance, inventory, deployment, configmap), 4 trees (root,
	// .gitfleet, karmada-es-eu-1, karmada-es-eu-1/web) and the commit. The README, the
	// binding and the service are reused, with the bindings tree.
	g.Expect(second.Written).To(Equal(9))

	// One file changed deep down: its blob, the trees on its path, the commit.
	third := map[string]string{}
	for k, v := range renderV2 {
		third[k] = v
	}
	third["karmada-es-eu-1/web/core.service.web.yaml"] = "kind: Service\nspec: {}\n"
	res, err := repo.Commit(ctx, renderRequest(third, second.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Written).To(Equal(5))
	g.Expect(treeOf(t, repo, res.Commit)).To(Equal(third))
}

// TestCommitDeterministic: the same request on the same parent gives the same commit in
// repositories that share nothing — a local one on disk and a clone in memory pushing over
// HTTP.
func TestCommitDeterministic(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	local, _ := newBareRepo(t, gitstore.Options{})
	srv := gitstoretest.NewServer(t)
	url, _ := srv.PushDir(t, "fleet.git", "main", fleetV1, "source", pushTime)
	remote, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())

	var parents [2]plumbing.Hash
	for _, tree := range []map[string]string{renderV1, renderV2} {
		var got [2]plumbing.Hash
		for i, repo := range []*gitstore.Repository{local, remote} {
			res, err := repo.Commit(ctx, renderRequest(tree, parents[i]))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(res.Changed).To(BeTrue())
			got[i] = res.Commit
		}
		g.Expect(got[0]).To(Equal(got[1]))
		parents = got
	}
	// A different time is a different commit.
	req := renderRequest(renderV1, parents[0])
	req.Author.When = req.Author.When.Add(time.Second)
	res, err := local.Commit(ctx, req)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Commit).NotTo(Equal(parents[0]))
}

// TestCommitObjectsPassGitFsck: the objects written with plumbing are the ones git writes —
// tree entries sorted as git sorts them, directories included; loose objects and packs — as
// git fsck --strict and git verify-pack check.
func TestCommitObjectsPassGitFsck(t *testing.T) {
	t.Parallel()
	gitCLI, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git CLI not installed")
	}
	g := NewWithT(t)
	repo, dir := newBareRepo(t, gitstore.Options{})
	tricky := map[string]string{ // git sorts "a" as "a/" when it is a directory
		"a.txt": "1", "a/b": "2", "a-b/c": "3", "a0": "4", "b/a.yaml": "5", "b/a/x": "6", "b/a-": "7",
	}
	first, err := repo.Commit(context.Background(), renderRequest(tricky, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	second, err := repo.Commit(context.Background(), renderRequest(renderV1, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	// Enough new objects to be written as a pack rather than as loose objects.
	many := map[string]string{}
	for i := range 400 {
		many[fmt.Sprintf("karmada-es-c%02d/web/core.configmap.cm-%03d.yaml", i%10, i)] = fmt.Sprintf("data: {n: %d}\n", i)
	}
	third, err := repo.Commit(context.Background(), renderRequest(many, second.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(third.Written).To(Equal(400 + 10*2 + 1 + 1))
	packs, err := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(packs).To(HaveLen(1))
	g.Expect(treeOf(t, repo, third.Commit)).To(Equal(many))

	out, err := exec.Command(gitCLI, "-C", dir, "fsck", "--strict", "--no-dangling").CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	out, err = exec.Command(gitCLI, "-C", dir, "verify-pack", packs[0]).CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	other, err := gitstore.Open(context.Background(), gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(treeOf(t, other, third.Commit)).To(Equal(many), "another reader finds the pack")
	out, err = exec.Command(gitCLI, "-C", dir, "ls-tree", "-r", "--name-only", first.Commit.String()).CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	g.Expect(strings.Fields(string(out))).To(ConsistOf("a.txt", "a/b", "a-b/c", "a0", "b/a.yaml", "b/a/x", "b/a-"))
	out, err = exec.Command(gitCLI, "-C", dir, "cat-file", "-p", first.Commit.String()).CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	g.Expect(string(out)).To(ContainSubstring("author gitfleet renderer <renderer@gitfleet.io> 1748772000 +0200\n"))
}

// TestCommitLocalConflict: two writers on one repository, each with its own Repository;
// the one whose Parent is stale gets ErrConflict and the branch keeps the winner's commit.
func TestCommitLocalConflict(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	a, dir := newBareRepo(t, gitstore.Options{})
	b, err := gitstore.Open(ctx, gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())

	first, err := a.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())

	// b expects no branch yet.
	_, err = b.Commit(ctx, renderRequest(renderV2, plumbing.ZeroHash))
	g.Expect(err).To(MatchError(gitstore.ErrConflict))
	var conflict *gitstore.ConflictError
	g.Expect(errors.As(err, &conflict)).To(BeTrue())
	g.Expect(*conflict).To(Equal(gitstore.ConflictError{Branch: renderedBranch, Expected: plumbing.ZeroHash, Current: first.Commit}))
	g.Expect(err).To(MatchError(ContainSubstring("branch " + renderedBranch + " of " + dir)))

	second, err := a.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())

	// b still expects the first commit.
	stale := map[string]string{"other.yaml": "b's tree\n"}
	_, err = b.Commit(ctx, renderRequest(stale, first.Commit))
	g.Expect(err).To(MatchError(gitstore.ErrConflict))
	g.Expect(errors.As(err, &conflict)).To(BeTrue())
	g.Expect(conflict.Expected).To(Equal(first.Commit))
	g.Expect(conflict.Current).To(Equal(second.Commit))
	g.Expect(b.Resolve(renderedBranch)).To(Equal(second.Commit))
	g.Expect(a.Resolve(renderedBranch)).To(Equal(second.Commit))

	// A branch expected where there is none is a conflict too.
	_, err = b.Commit(ctx, gitstore.CommitRequest{
		Branch: "gitfleet/status", Parent: first.Commit, Files: files(stale), Message: "status", Author: renderer,
	})
	g.Expect(errors.As(err, &conflict)).To(BeTrue())
	g.Expect(conflict.Current).To(Equal(plumbing.ZeroHash))
	_, err = b.Resolve("gitfleet/status")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound), "no ref file left behind")
}

// TestCommitLocalPackedRef: a branch that git gc moved into packed-refs is updated in place.
func TestCommitLocalPackedRef(t *testing.T) {
	t.Parallel()
	gitCLI, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git CLI not installed")
	}
	g := NewWithT(t)
	ctx := context.Background()
	repo, dir := newBareRepo(t, gitstore.Options{})
	first, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	out, err := exec.Command(gitCLI, "-C", dir, "pack-refs", "--all").CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))

	_, err = repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).To(MatchError(gitstore.ErrConflict), "a packed branch exists")
	second, err := repo.Commit(ctx, renderRequest(renderV2, first.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	out, err = exec.Command(gitCLI, "-C", dir, "rev-parse", "refs/heads/"+renderedBranch).CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	g.Expect(strings.TrimSpace(string(out))).To(Equal(second.Commit.String()))
}

func TestCommitLocalRefusesCheckedOutBranch(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	dir := t.TempDir()
	_, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	g.Expect(err).NotTo(HaveOccurred())
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())

	req := renderRequest(renderV1, plumbing.ZeroHash)
	req.Branch = "main"
	_, err = repo.Commit(ctx, req)
	g.Expect(err).To(MatchError(ContainSubstring("branch main is checked out in the worktree")))
	_, err = repo.Resolve("main")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))

	res, err := repo.Commit(ctx, renderRequest(renderV1, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred(), "another branch of the same repository")
	g.Expect(repo.Resolve(renderedBranch)).To(Equal(res.Commit))
}

func TestCommitRejectsInvalidRequests(t *testing.T) {
	t.Parallel()
	valid := renderRequest(map[string]string{"a.yaml": "a\n"}, plumbing.ZeroHash)
	withFiles := func(paths ...string) gitstore.CommitRequest {
		req := valid
		req.Files = map[string][]byte{}
		for _, p := range paths {
			req.Files[p] = []byte("x\n")
		}
		return req
	}
	with := func(change func(*gitstore.CommitRequest)) gitstore.CommitRequest {
		req := valid
		change(&req)
		return req
	}
	for _, tc := range []struct {
		name string
		req  gitstore.CommitRequest
		want string
	}{
		{name: "empty path", req: withFiles(""), want: `invalid path ""`},
		{name: "dot", req: withFiles("."), want: `invalid path "."`},
		{name: "absolute", req: withFiles("/etc/passwd"), want: `invalid path "/etc/passwd"`},
		{name: "dot-dot", req: withFiles("a/../b"), want: `invalid path "a/../b"`},
		{name: "leading dot-dot", req: withFiles("../b"), want: `invalid path "../b"`},
		{name: "dot segment", req: withFiles("./a"), want: `invalid path "./a"`},
		{name: "empty segment", req: withFiles("a//b"), want: `invalid path "a//b"`},
		{name: "trailing slash", req: withFiles("a/"), want: `invalid path "a/"`},
		{name: ".git", req: withFiles("x/.git/config"), want: "a .git segment"},
		{name: ".GIT", req: withFiles(".GIT/hooks/pre-commit"), want: "a .git segment"},
		{name: "NUL", req: withFiles("a\x00b"), want: "NUL"},
		{name: "file and directory", req: withFiles("a", "a/b"), want: `path "a" is both a file and a directory (it holds "a/b")`},
		{name: "file and directory apart", req: withFiles("x/a", "x/a-b", "x/a/c"), want: `path "x/a" is both a file and a directory`},
		{name: "no branch", req: with(func(r *gitstore.CommitRequest) { r.Branch = "" }), want: "no branch given"},
		{name: "full ref", req: with(func(r *gitstore.CommitRequest) { r.Branch = "refs/heads/x" }), want: "without refs/heads/"},
		{name: "invalid branch", req: with(func(r *gitstore.CommitRequest) { r.Branch = "a..b" }), want: `branch "a..b"`},
		{name: "empty message", req: with(func(r *gitstore.CommitRequest) { r.Message = " \n" }), want: "empty commit message"},
		{name: "trailer key", req: with(func(r *gitstore.CommitRequest) { r.Trailers = []gitstore.Trailer{{Key: "Source Commit", Value: "x"}} }), want: `trailer key "Source Commit"`},
		{name: "trailer value", req: with(func(r *gitstore.CommitRequest) { r.Trailers = []gitstore.Trailer{{Key: "K", Value: "a\nb"}} }), want: "must be one non-empty line"},
		{name: "no time", req: with(func(r *gitstore.CommitRequest) { r.Author.When = time.Time{} }), want: "no time"},
		{name: "no author", req: with(func(r *gitstore.CommitRequest) { r.Author.Name = "" }), want: "author: no name"},
		{name: "bad email", req: with(func(r *gitstore.CommitRequest) { r.Author.Email = "a>b" }), want: "must not contain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			repo, dir := newBareRepo(t, gitstore.Options{})
			_, err := repo.Commit(context.Background(), tc.req)
			g.Expect(err).To(MatchError(ContainSubstring(tc.want)))
			g.Expect(err).To(MatchError(ContainSubstring(dir)), "the error names the repository")
			_, err = repo.Resolve(renderedBranch)
			g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
		})
	}
}

func TestCommitEmptyTree(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	repo, _ := newBareRepo(t, gitstore.Options{})
	res, err := repo.Commit(ctx, renderRequest(nil, plumbing.ZeroHash))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Changed).To(BeTrue(), "the branch did not exist")
	g.Expect(res.Tree.String()).To(Equal("4b825dc642cb6eb9a060e54bf8d69288fbee4904"), "git's empty tree")
	g.Expect(treeOf(t, repo, res.Commit)).To(BeEmpty())

	again, err := repo.Commit(ctx, renderRequest(nil, res.Commit))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(again.Changed).To(BeFalse())
}
