package gitstore_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// noWait retries at once: tests do not sleep.
var noWait = gitstore.Retry{Backoff: -1}

// addFile is an update function that keeps the branch's files and adds (or replaces) one; it
// counts its calls.
type addFile struct {
	name, content string
	calls         int
	// before runs at the start of each call, after the branch was read: a test makes
	// another writer win the race there.
	before func(call int)
}

func (a *addFile) update(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
	a.calls++
	if a.before != nil {
		a.before(a.calls)
	}
	tree := map[string][]byte{}
	if current != nil {
		err := fs.WalkDir(current.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			tree[p], err = fs.ReadFile(current.FS, p)
			return err
		})
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
	}
	tree[a.name] = []byte(a.content)
	return gitstore.CommitRequest{
		Files:   tree,
		Message: "Add " + a.name,
		Author:  renderer,
	}, nil
}

const statusBranch = "gitfleet/status"

func TestUpdateBranchLocal(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	repo, dir := newBareRepo(t, gitstore.Options{Retry: noWait})

	var seen []*gitstore.Snapshot
	update := func(tree map[string]string) func(*gitstore.Snapshot) (gitstore.CommitRequest, error) {
		return func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
			seen = append(seen, current)
			return gitstore.CommitRequest{
				Branch:  "ignored",
				Parent:  plumbing.NewHash("1111111111111111111111111111111111111111"), // ignored too
				Files:   files(tree),
				Message: "Update status",
				Author:  renderer,
			}, nil
		}
	}

	first, err := repo.UpdateBranch(ctx, statusBranch, update(renderV1))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(first.Changed).To(BeTrue())
	g.Expect(seen).To(HaveLen(1))
	g.Expect(seen[0]).To(BeNil(), "the branch did not exist")
	g.Expect(repo.Resolve(statusBranch)).To(Equal(first.Commit))

	same, err := repo.UpdateBranch(ctx, statusBranch, update(renderV1))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(same).To(Equal(gitstore.CommitResult{Commit: first.Commit, Tree: first.Tree}))
	g.Expect(seen[1].Commit.Hash).To(Equal(first.Commit.String()))

	second, err := repo.UpdateBranch(ctx, statusBranch, update(renderV2))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(second.Changed).To(BeTrue())
	g.Expect(parentsOf(t, dir, second.Commit)).To(Equal([]plumbing.Hash{first.Commit}))
	g.Expect(treeOf(t, repo, second.Commit)).To(Equal(renderV2))
	_, err = repo.Resolve("ignored")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
}

func TestUpdateBranchFunctionError(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	repo, dir := newBareRepo(t, gitstore.Options{Retry: noWait})
	boom := errors.New("render failed")
	_, err := repo.UpdateBranch(context.Background(), statusBranch, func(*gitstore.Snapshot) (gitstore.CommitRequest, error) {
		return gitstore.CommitRequest{}, boom
	})
	g.Expect(err).To(MatchError(boom))
	g.Expect(err).To(MatchError(ContainSubstring("update branch " + statusBranch + " of " + dir)))
	_, err = repo.Resolve(statusBranch)
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))

	_, err = repo.UpdateBranch(context.Background(), "bad..name", (&addFile{name: "a"}).update)
	g.Expect(err).To(MatchError(ContainSubstring(`branch "bad..name"`)))
}

// TestUpdateBranchLocalRetries: another writer commits after the update function read the
// branch; the commit is refused and the loop starts over from the new commit, keeping both
// writers' files.
func TestUpdateBranchLocalRetries(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	repo, dir := newBareRepo(t, gitstore.Options{Retry: noWait})
	other, err := gitstore.Open(ctx, gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())

	otherWriter := &addFile{name: "other.yaml", content: "other\n"}
	mine := &addFile{name: "mine.yaml", content: "mine\n", before: func(call int) {
		if call == 1 {
			_, err := other.UpdateBranch(ctx, statusBranch, otherWriter.update)
			g.Expect(err).NotTo(HaveOccurred())
		}
	}}
	res, err := repo.UpdateBranch(ctx, statusBranch, mine.update)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(mine.calls).To(Equal(2))
	g.Expect(treeOf(t, repo, res.Commit)).To(Equal(map[string]string{"other.yaml": "other\n", "mine.yaml": "mine\n"}))
	otherTip, err := other.Resolve(statusBranch)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(otherTip).To(Equal(res.Commit))
	g.Expect(parentsOf(t, dir, res.Commit)).To(HaveLen(1))
}

// TestUpdateBranchGivesUp: a branch that moves on every attempt ends the loop after
// Retry.Attempts with the last conflict.
func TestUpdateBranchGivesUp(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	repo, dir := newBareRepo(t, gitstore.Options{Retry: gitstore.Retry{Attempts: 3, Backoff: -1}})
	other, err := gitstore.Open(ctx, gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())

	mine := &addFile{name: "mine.yaml", content: "mine\n"}
	mine.before = func(call int) {
		w := &addFile{name: fmt.Sprintf("other-%d.yaml", call), content: "other\n"}
		_, err := other.UpdateBranch(ctx, statusBranch, w.update)
		g.Expect(err).NotTo(HaveOccurred())
	}
	_, err = repo.UpdateBranch(ctx, statusBranch, mine.update)
	g.Expect(err).To(MatchError(gitstore.ErrConflict))
	g.Expect(err).To(MatchError(ContainSubstring("gave up after 3 attempts")))
	g.Expect(mine.calls).To(Equal(3))
}

// TestUpdateBranchConcurrentWriters: writers racing for one branch, each through its own
// Repository, all get their change in.
func TestUpdateBranchConcurrentWriters(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	const writers = 4 // each loses about writers-1 races: within the default 5 attempts
	// A millisecond of backoff, not none: goroutines that lose and retry in a tight loop can
	// keep the winner off the CPU between taking the branch's lock and renaming it into place.
	retry := gitstore.Retry{Backoff: time.Millisecond}
	_, dir := newBareRepo(t, gitstore.Options{})
	want := map[string]string{}
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		name := fmt.Sprintf("clusters/c%d.yaml", i)
		want[name] = name + "\n"
		repo, err := gitstore.Open(ctx, gitstore.Options{URL: dir, Retry: retry})
		g.Expect(err).NotTo(HaveOccurred())
		wg.Go(func() {
			w := &addFile{name: name, content: name + "\n"}
			_, errs[i] = repo.UpdateBranch(ctx, statusBranch, w.update)
		})
	}
	wg.Wait()
	g.Expect(errors.Join(errs...)).NotTo(HaveOccurred())
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())
	tip, err := repo.Resolve(statusBranch)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(treeOf(t, repo, tip)).To(Equal(want))
}

// TestUpdateBranchHTTPRetries: two clones of one URL; the second's push is refused because
// the first pushed after the second read the branch; UpdateBranch fetches, re-reads and
// succeeds, with both writers' files on the branch.
func TestUpdateBranchHTTPRetries(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := newServerWithSource(t)
	a, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth(), Retry: noWait})
	g.Expect(err).NotTo(HaveOccurred())
	b, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth(), Retry: noWait, CacheDir: t.TempDir()})
	g.Expect(err).NotTo(HaveOccurred())

	base, err := a.UpdateBranch(ctx, statusBranch, (&addFile{name: "render.yaml", content: "ok\n"}).update)
	g.Expect(err).NotTo(HaveOccurred())

	var aRes gitstore.CommitResult
	bWriter := &addFile{name: "clusters/eu-1.yaml", content: "ready\n", before: func(call int) {
		if call == 1 {
			var err error
			aRes, err = a.UpdateBranch(ctx, statusBranch, (&addFile{name: "clusters/us-1.yaml", content: "ready\n"}).update)
			g.Expect(err).NotTo(HaveOccurred())
		}
	}}
	bRes, err := b.UpdateBranch(ctx, statusBranch, bWriter.update)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(bWriter.calls).To(Equal(2), "the first push was refused")
	g.Expect(serverTip(t, srv, statusBranch)).To(Equal(bRes.Commit))

	g.Expect(a.Fetch(ctx)).To(Succeed())
	g.Expect(treeOf(t, a, bRes.Commit)).To(Equal(map[string]string{
		"render.yaml":        "ok\n",
		"clusters/us-1.yaml": "ready\n",
		"clusters/eu-1.yaml": "ready\n",
	}))
	g.Expect(parentsOf(t, srv.Dir("fleet.git"), bRes.Commit)).To(Equal([]plumbing.Hash{aRes.Commit}))
	g.Expect(parentsOf(t, srv.Dir("fleet.git"), aRes.Commit)).To(Equal([]plumbing.Hash{base.Commit}))
}

// TestUpdateBranchCanceled: the context ends the wait between attempts.
func TestUpdateBranchCanceled(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	repo, dir := newBareRepo(t, gitstore.Options{Retry: gitstore.Retry{Backoff: time.Hour}})
	other, err := gitstore.Open(context.Background(), gitstore.Options{URL: dir})
	g.Expect(err).NotTo(HaveOccurred())
	mine := &addFile{name: "mine.yaml", before: func(call int) {
		_, err := other.UpdateBranch(context.Background(), statusBranch, (&addFile{name: fmt.Sprint(call)}).update)
		g.Expect(err).NotTo(HaveOccurred())
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = repo.UpdateBranch(ctx, statusBranch, mine.update)
	g.Expect(err).To(MatchError(context.DeadlineExceeded))
	g.Expect(time.Since(start)).To(BeNumerically("<", time.Minute), "not the hour of backoff")
	g.Expect(mine.calls).To(Equal(1))
}
