package gitstore_test

import (
	"context"
	"io/fs"
	"sort"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

var snapshotTime = time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)

// snapshotFixture is a tree with the cases a tree view must get right: nested directories,
// names that sort differently in git ("a/" after "a.txt") and in io/fs ("a" before "a.txt"),
// an executable, a symbolic link, an empty directory and a .git directory (both left out by
// PushDir), and — added with go-git — a submodule.
var snapshotFixture = fstest.MapFS{
	"gitfleet.yaml":         {Data: []byte("kind: FleetConfig\n")},
	"a.txt":                 {Data: []byte("sorts after a/ in git\n")},
	"a/b.yaml":              {Data: []byte("b: 1\n")},
	"a-b/c.yaml":            {Data: []byte("c: 2\n")},
	"bin/render.sh":         {Data: []byte("#!/bin/sh\n"), Mode: 0o755},
	"clusters/eu/eu-1.yaml": {Data: []byte("kind: Cluster\nmetadata: {name: eu-1}\n")},
	"clusters/us/us-1.yaml": {Data: []byte("kind: Cluster\nmetadata: {name: us-1}\n")},
	"link.yaml":             {Data: []byte("gitfleet.yaml"), Mode: fs.ModeSymlink},
	"empty":                 {Mode: fs.ModeDir | 0o755},
	".git/HEAD":             {Data: []byte("ref: refs/heads/main\n")},
}

// snapshotFiles are the files of snapshotFixture's snapshot, in fs.WalkDir order.
var snapshotFiles = []string{
	"a/b.yaml", "a-b/c.yaml", "a.txt", "bin/render.sh", "clusters/eu/eu-1.yaml",
	"clusters/us/us-1.yaml", "gitfleet.yaml", "link.yaml",
}

// newSnapshotRepo pushes snapshotFixture to a server, adds a submodule entry to the commit
// with go-git, and opens the server's bare repository by path.
func newSnapshotRepo(t *testing.T) (*gitstore.Repository, plumbing.Hash) {
	t.Helper()
	g := NewWithT(t)
	srv := gitstoretest.NewServer(t)
	_, pushed := srv.PushDir(t, "fleet.git", "main", snapshotFixture, "Add the fleet", snapshotTime)

	bare, err := git.PlainOpen(srv.Dir("fleet.git"))
	g.Expect(err).NotTo(HaveOccurred())
	parent, err := bare.CommitObject(pushed)
	g.Expect(err).NotTo(HaveOccurred())
	tree, err := parent.Tree()
	g.Expect(err).NotTo(HaveOccurred())
	withSubmodule := &object.Tree{Entries: append(tree.Entries, object.TreeEntry{
		Name: "vendor-sub", Mode: filemode.Submodule, Hash: plumbing.NewHash("1111111111111111111111111111111111111111"),
	})}
	sort.Sort(object.TreeEntrySorter(withSubmodule.Entries))
	treeHash := storeObject(t, bare, withSubmodule)
	sig := object.Signature{Name: "Ops", Email: "ops@example.com", When: snapshotTime.Add(time.Minute)}
	commit := storeObject(t, bare, &object.Commit{
		Author: sig, Committer: sig, Message: "Add a submodule\n", TreeHash: treeHash, ParentHashes: []plumbing.Hash{pushed},
	})
	g.Expect(bare.Storer.SetReference(plumbing.NewHashReference("refs/heads/main", commit))).To(Succeed())

	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: srv.Dir("fleet.git")})
	g.Expect(err).NotTo(HaveOccurred())
	return repo, commit
}

func storeObject(t *testing.T, repo *git.Repository, o interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	t.Helper()
	obj := repo.Storer.NewEncodedObject()
	NewWithT(t).Expect(o.Encode(obj)).To(Succeed())
	h, err := repo.Storer.SetEncodedObject(obj)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return h
}

func TestSnapshotFS(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	repo, commit := newSnapshotRepo(t)
	head, err := repo.Resolve("HEAD")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(head).To(Equal(commit))

	snap, err := repo.Snapshot(commit)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap.Commit.Hash).To(Equal(commit.String()))
	g.Expect(snap.Commit.Time).To(BeTemporally("==", snapshotTime.Add(time.Minute)))
	g.Expect(snap.Commit.Message).To(Equal("Add a submodule\n"))

	g.Expect(fstest.TestFS(snap.FS, snapshotFiles...)).To(Succeed())

	var files []string
	g.Expect(fs.WalkDir(snap.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})).To(Succeed())
	g.Expect(files).To(Equal(snapshotFiles), "exactly the fixture's files: no submodule, no .git")

	var names []string
	entries, err := fs.ReadDir(snap.FS, ".")
	g.Expect(err).NotTo(HaveOccurred())
	for _, e := range entries {
		names = append(names, e.Name())
	}
	g.Expect(names).To(Equal([]string{"a", "a-b", "a.txt", "bin", "clusters", "gitfleet.yaml", "link.yaml"}))

	for _, name := range snapshotFiles {
		want := snapshotFixture[name].Data
		g.Expect(fs.ReadFile(snap.FS, name)).To(Equal(want), name)
	}
}

func TestSnapshotFileInfo(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	repo, commit := newSnapshotRepo(t)
	snap, err := repo.Snapshot(commit)
	g.Expect(err).NotTo(HaveOccurred())

	for _, tc := range []struct {
		name    string
		mode    fs.FileMode
		size    int64
		gitMode filemode.FileMode
	}{
		{name: ".", mode: fs.ModeDir | 0o755, gitMode: filemode.Dir},
		{name: "clusters/us", mode: fs.ModeDir | 0o755, gitMode: filemode.Dir},
		{name: "gitfleet.yaml", mode: 0o644, size: 18, gitMode: filemode.Regular},
		{name: "bin/render.sh", mode: 0o755, size: 10, gitMode: filemode.Executable},
		// A symbolic link reads as a file holding its target; Sys tells it apart.
		{name: "link.yaml", mode: fs.ModeSymlink | 0o777, size: int64(len("gitfleet.yaml")), gitMode: filemode.Symlink},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			info, err := fs.Stat(snap.FS, tc.name)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(info.Name()).To(Equal(pathBase(tc.name)))
			g.Expect(info.Mode()).To(Equal(tc.mode))
			g.Expect(info.IsDir()).To(Equal(tc.mode.IsDir()))
			g.Expect(info.Size()).To(Equal(tc.size))
			g.Expect(info.ModTime()).To(BeTemporally("==", snapshotTime.Add(time.Minute)))
			g.Expect(info.Sys()).To(Equal(tc.gitMode))
		})
	}
}

func pathBase(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[i+1:]
		}
	}
	return name
}

func TestSnapshotFSErrors(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	repo, commit := newSnapshotRepo(t)
	snap, err := repo.Snapshot(commit)
	g.Expect(err).NotTo(HaveOccurred())

	for _, name := range []string{"missing.yaml", "clusters/nope", "gitfleet.yaml/x", "vendor-sub", "empty", ".git/HEAD"} {
		_, err := snap.FS.Open(name)
		g.Expect(err).To(MatchError(fs.ErrNotExist), name)
		_, err = fs.Stat(snap.FS, name)
		g.Expect(err).To(MatchError(fs.ErrNotExist), name)
		_, err = fs.ReadFile(snap.FS, name)
		g.Expect(err).To(MatchError(fs.ErrNotExist), name)
	}
	for _, name := range []string{"/gitfleet.yaml", "clusters/", "./gitfleet.yaml", "a/../a.txt", ""} {
		_, err := snap.FS.Open(name)
		g.Expect(err).To(MatchError(fs.ErrInvalid), name)
		_, err = fs.ReadDir(snap.FS, name)
		g.Expect(err).To(MatchError(fs.ErrInvalid), name)
	}

	_, err = fs.ReadFile(snap.FS, "clusters")
	g.Expect(err).To(MatchError(ContainSubstring("is a directory")))
	_, err = fs.ReadDir(snap.FS, "gitfleet.yaml")
	g.Expect(err).To(MatchError(ContainSubstring("not a directory")))
	dir, err := snap.FS.Open("clusters")
	g.Expect(err).NotTo(HaveOccurred())
	_, err = dir.Read(make([]byte, 1))
	g.Expect(err).To(MatchError(ContainSubstring("is a directory")))
}

// TestSnapshotIsImmutable: a snapshot keeps showing its commit after the branch moves on.
func TestSnapshotIsImmutable(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv := gitstoretest.NewServer(t)
	url, first := srv.PushDir(t, "fleet.git", "main", fstest.MapFS{"a.yaml": {Data: []byte("v: 1\n")}}, "v1", snapshotTime)
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	snap, err := repo.Snapshot(first)
	g.Expect(err).NotTo(HaveOccurred())

	srv.PushDir(t, "fleet.git", "main", fstest.MapFS{"a.yaml": {Data: []byte("v: 2\n")}, "b.yaml": {}}, "v2", snapshotTime.Add(time.Hour))
	g.Expect(repo.Fetch(ctx)).To(Succeed())

	g.Expect(fs.ReadFile(snap.FS, "a.yaml")).To(Equal([]byte("v: 1\n")))
	_, err = fs.Stat(snap.FS, "b.yaml")
	g.Expect(err).To(MatchError(fs.ErrNotExist))
}

// TestSnapshotConcurrentReads reads a snapshot from several goroutines while the repository
// fetches; run with -race, it checks that every go-git access is serialised.
func TestSnapshotConcurrentReads(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv := gitstoretest.NewServer(t)
	fixture := fstest.MapFS{}
	for name, f := range snapshotFixture {
		fixture[name] = f
	}
	url, first := srv.PushDir(t, "fleet.git", "main", fixture, "v1", snapshotTime)
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	snap, err := repo.Snapshot(first)
	g.Expect(err).NotTo(HaveOccurred())
	fixture["clusters/eu/eu-2.yaml"] = &fstest.MapFile{Data: []byte("kind: Cluster\n")}
	second := func() plumbing.Hash {
		_, h := srv.PushDir(t, "fleet.git", "main", fixture, "v2", snapshotTime.Add(time.Hour))
		return h
	}()

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 4 {
		wg.Go(func() {
			for range 5 {
				if err := fstest.TestFS(snap.FS, snapshotFiles...); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Go(func() {
		if err := repo.Fetch(ctx); err != nil {
			errs <- err
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		g.Expect(err).NotTo(HaveOccurred())
	}
	g.Expect(repo.Resolve("main")).To(Equal(second))
}
