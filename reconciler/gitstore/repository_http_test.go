package gitstore_test

import (
	"context"
	"io/fs"
	neturl "net/url"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

var pushTime = time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)

// fleetV1 and fleetV2 are two versions of a small fleet repository.
var (
	fleetV1 = fstest.MapFS{
		"gitfleet.yaml":         {Data: []byte("kind: FleetConfig\n")},
		"clusters/eu-1.yaml":    {Data: []byte("kind: Cluster\nmetadata: {name: eu-1}\n")},
		"apps/web/deploy.yaml":  {Data: []byte("kind: Deployment\n")},
		"apps/web/service.yaml": {Data: []byte("kind: Service\n")},
	}
	fleetV2 = fstest.MapFS{
		"gitfleet.yaml":         {Data: []byte("kind: FleetConfig\n")},
		"clusters/eu-1.yaml":    {Data: []byte("kind: Cluster\nmetadata: {name: eu-1}\n")},
		"clusters/eu-2.yaml":    {Data: []byte("kind: Cluster\nmetadata: {name: eu-2}\n")},
		"apps/web/deploy.yaml":  {Data: []byte("kind: Deployment\nspec: {replicas: 3}\n")},
		"apps/web/service.yaml": {Data: []byte("kind: Service\n")},
	}
)

// expectSnapshot checks that the snapshot of hash in repo holds exactly the files of want.
func expectSnapshot(t *testing.T, repo *gitstore.Repository, hash plumbing.Hash, want fstest.MapFS) {
	t.Helper()
	g := NewWithT(t)
	snap, err := repo.Snapshot(hash)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap.Commit.Hash).To(Equal(hash.String()))
	var names []string
	for name, f := range want {
		names = append(names, name)
		g.Expect(fs.ReadFile(snap.FS, name)).To(Equal(f.Data), name)
	}
	g.Expect(fstest.TestFS(snap.FS, names...)).To(Succeed())
	var got []string
	g.Expect(fs.WalkDir(snap.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, p)
		}
		return err
	})).To(Succeed())
	g.Expect(got).To(ConsistOf(names))
}

func TestOpenHTTPClones(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv := gitstoretest.NewServer(t)
	url, hash := srv.PushDir(t, "fleet.git", "main", fleetV1, "Add the fleet\n", pushTime)

	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.String()).To(Equal(url))
	for _, ref := range []string{"main", "refs/heads/main", "HEAD", hash.String()[:8]} {
		g.Expect(repo.Resolve(ref)).To(Equal(hash), ref)
	}
	expectSnapshot(t, repo, hash, fleetV1)
	snap, err := repo.Snapshot(hash)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap.Commit.Time).To(BeTemporally("==", pushTime))
	g.Expect(snap.Commit.Message).To(Equal("Add the fleet\n"))
}

// TestOpenHTTPHeadFollowsRemote: HEAD is the remote's default branch, not the first branch
// pushed or "master".
func TestOpenHTTPHeadFollowsRemote(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	srv := gitstoretest.NewServer(t)
	url, mainHash := srv.PushDir(t, "fleet.git", "main", fleetV1, "source", pushTime)
	_, renderedHash := srv.PushDir(t, "fleet.git", "gitfleet/rendered", fleetV2, "render", pushTime)

	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.Resolve("HEAD")).To(Equal(mainHash))
	g.Expect(repo.Resolve("gitfleet/rendered")).To(Equal(renderedHash))
	_, err = repo.Resolve("master")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
}

func TestOpenHTTPAuth(t *testing.T) {
	t.Parallel()
	srv := gitstoretest.NewServer(t)
	url, hash := srv.PushDir(t, "fleet.git", "main", fleetV1, "Add the fleet", pushTime)
	password := srv.Auth().Password

	withUserInfo := func(user, password string) string {
		u, err := neturl.Parse(url)
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		u.User = neturl.UserPassword(user, password)
		return u.String()
	}

	t.Run("accepted", func(t *testing.T) {
		for name, opts := range map[string]gitstore.Options{
			"basic":                {URL: url, Auth: srv.Auth()},
			"token, default user":  {URL: url, Auth: gitstore.Auth{Token: password}},
			"token, explicit user": {URL: url, Auth: gitstore.Auth{Username: gitstoretest.Username, Token: password}},
			"user info in the URL": {URL: withUserInfo(gitstoretest.Username, password)},
		} {
			t.Run(name, func(t *testing.T) {
				g := NewWithT(t)
				repo, err := gitstore.Open(context.Background(), opts)
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(repo.Resolve("main")).To(Equal(hash))
				g.Expect(repo.String()).To(Equal(url), "no credentials in the repository's name")
			})
		}
	})

	t.Run("refused", func(t *testing.T) {
		const wrong = "wrong-secret-5f2c"
		for name, opts := range map[string]gitstore.Options{
			"anonymous":            {URL: url},
			"wrong password":       {URL: url, Auth: gitstore.Auth{Username: gitstoretest.Username, Password: wrong}},
			"wrong token":          {URL: url, Auth: gitstore.Auth{Token: wrong}},
			"wrong user":           {URL: url, Auth: gitstore.Auth{Username: "someone", Password: password}},
			"user info in the URL": {URL: withUserInfo(gitstoretest.Username, wrong)},
		} {
			t.Run(name, func(t *testing.T) {
				g := NewWithT(t)
				_, err := gitstore.Open(context.Background(), opts)
				g.Expect(err).To(MatchError(transport.ErrAuthenticationRequired))
				g.Expect(err).To(MatchError(ContainSubstring(url)), "the error names the repository")
				g.Expect(err.Error()).NotTo(ContainSubstring(wrong))
				g.Expect(err.Error()).NotTo(ContainSubstring(password))
			})
		}
	})
}

func TestFetchHTTP(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv := gitstoretest.NewServer(t)
	url, v1 := srv.PushDir(t, "fleet.git", "main", fleetV1, "v1", pushTime)
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())

	g.Expect(repo.Fetch(ctx)).To(Succeed(), "nothing new is not an error")

	_, v2 := srv.PushDir(t, "fleet.git", "main", fleetV2, "v2", pushTime.Add(time.Hour))
	_, rendered := srv.PushDir(t, "fleet.git", "gitfleet/rendered", fleetV1, "render", pushTime.Add(time.Hour))
	g.Expect(repo.Resolve("main")).To(Equal(v1), "before Fetch the clone is as it was")
	_, err = repo.Resolve("gitfleet/rendered")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))

	g.Expect(repo.Fetch(ctx)).To(Succeed())
	g.Expect(repo.Resolve("main")).To(Equal(v2))
	g.Expect(repo.Resolve("gitfleet/rendered")).To(Equal(rendered))
	expectSnapshot(t, repo, v2, fleetV2)
	expectSnapshot(t, repo, v1, fleetV1)

	// A branch deleted on the server disappears from the clone.
	server, err := git.PlainOpen(srv.Dir("fleet.git"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(server.Storer.RemoveReference(plumbing.NewBranchReferenceName("gitfleet/rendered"))).To(Succeed())
	g.Expect(repo.Fetch(ctx)).To(Succeed())
	_, err = repo.Resolve("gitfleet/rendered")
	g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound))
	g.Expect(repo.Resolve("main")).To(Equal(v2))
}

// TestFetchHTTPForcePush: the clone mirrors the remote, also when a branch is rewritten.
func TestFetchHTTPForcePush(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv := gitstoretest.NewServer(t)
	url, _ := srv.PushDir(t, "fleet.git", "main", fleetV1, "v1", pushTime)
	repo, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())

	// Rewrite main on the server to an unrelated commit (pushed to another branch first).
	_, other := srv.PushDir(t, "fleet.git", "other", fleetV2, "unrelated", pushTime)
	server, err := git.PlainOpen(srv.Dir("fleet.git"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(server.Storer.SetReference(plumbing.NewHashReference("refs/heads/main", other))).To(Succeed())

	g.Expect(repo.Fetch(ctx)).To(Succeed())
	g.Expect(repo.Resolve("main")).To(Equal(other))
}

// TestOpenHTTPCacheDir: a second Open with the same CacheDir reuses the clone and fetches only
// what is new, and the clone on disk holds no credentials.
func TestOpenHTTPCacheDir(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv := gitstoretest.NewServer(t)
	url, v1 := srv.PushDir(t, "fleet.git", "main", fleetV1, "v1", pushTime)
	cache := t.TempDir()
	opts := gitstore.Options{URL: url, Auth: srv.Auth(), CacheDir: cache}

	repo, err := gitstore.Open(ctx, opts)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.Resolve("main")).To(Equal(v1))
	clones, err := os.ReadDir(cache)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(clones).To(HaveLen(1))
	clone := filepath.Join(cache, clones[0].Name())
	g.Expect(clones[0].Name()).To(HavePrefix("fleet-"))
	packsAfterClone := packs(t, clone)
	g.Expect(packsAfterClone).To(HaveLen(1))

	_, v2 := srv.PushDir(t, "fleet.git", "main", fleetV2, "v2", pushTime.Add(time.Hour))
	repo, err = gitstore.Open(ctx, opts)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.Resolve("main")).To(Equal(v2))
	expectSnapshot(t, repo, v1, fleetV1)
	expectSnapshot(t, repo, v2, fleetV2)
	packsAfterFetch := packs(t, clone)
	g.Expect(packsAfterFetch).To(HaveLen(2), "one more pack: the fetch of v2, not a new clone")
	g.Expect(packsAfterFetch).To(ContainElements(packsAfterClone))

	// Nothing new: nothing fetched.
	_, err = gitstore.Open(ctx, opts)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(packs(t, clone)).To(Equal(packsAfterFetch))

	// The same repository reached with credentials in the URL shares the clone.
	u, err := neturl.Parse(url)
	g.Expect(err).NotTo(HaveOccurred())
	u.User = neturl.UserPassword(gitstoretest.Username, srv.Auth().Password)
	_, err = gitstore.Open(ctx, gitstore.Options{URL: u.String(), CacheDir: cache})
	g.Expect(err).NotTo(HaveOccurred())
	clones, err = os.ReadDir(cache)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(clones).To(HaveLen(1))

	g.Expect(filepath.WalkDir(clone, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(string(data)).NotTo(ContainSubstring(srv.Auth().Password), p)
		return nil
	})).To(Succeed())
}

func packs(t *testing.T, clone string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(clone, "objects", "pack", "*.pack"))
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return names
}

// TestOpenHTTPEmptyRepository: a repository with no commits opens; nothing resolves.
func TestOpenHTTPEmptyRepository(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	srv := gitstoretest.NewServer(t)
	_, err := git.PlainInit(srv.Dir("empty.git"), true)
	g.Expect(err).NotTo(HaveOccurred())

	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: srv.URL("empty.git"), Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(repo.Fetch(context.Background())).To(Succeed())
	for _, ref := range []string{"main", "HEAD"} {
		_, err = repo.Resolve(ref)
		g.Expect(err).To(MatchError(gitstore.ErrReferenceNotFound), ref)
	}
}

func TestOpenHTTPMissingRepository(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	srv := gitstoretest.NewServer(t)
	_, err := gitstore.Open(context.Background(), gitstore.Options{URL: srv.URL("missing.git"), Auth: srv.Auth()})
	g.Expect(err).To(MatchError(transport.ErrRepositoryNotFound))
	g.Expect(err).To(MatchError(ContainSubstring(srv.URL("missing.git"))))
	g.Expect(err.Error()).NotTo(ContainSubstring(srv.Auth().Password))
}

func TestOpenHTTPCanceled(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	srv := gitstoretest.NewServer(t)
	url, _ := srv.PushDir(t, "fleet.git", "main", fleetV1, "v1", pushTime)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := gitstore.Open(ctx, gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).To(MatchError(context.Canceled))
}
