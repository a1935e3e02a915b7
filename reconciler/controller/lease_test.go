package controller_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/credentials"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/lease"
)

// statusWriters lists, oldest first, the Hub trailer of every commit on the server's status
// ref.
func (f *fixture) statusWriters() []string {
	f.t.Helper()
	repo, err := git.PlainOpen(f.server.Dir("fleet.git"))
	if err != nil {
		f.t.Fatal(err)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName("gitfleet/status"), true)
	if err != nil {
		return nil
	}
	iter, err := repo.Log(&git.LogOptions{From: ref.Hash()})
	if err != nil {
		f.t.Fatal(err)
	}
	var writers []string
	_ = iter.ForEach(func(c *object.Commit) error {
		writers = append([]string{gitstore.ParseTrailers(c.Message)[controller.TrailerHub]}, writers...)
		return nil
	})
	return writers
}

// leaseHolder reads the lease ref on the server.
func (f *fixture) leaseHolder() string {
	f.t.Helper()
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: f.server.URL("fleet.git"), Auth: f.server.Auth()})
	if err != nil {
		f.t.Fatal(err)
	}
	snap, err := repo.BranchSnapshot(lease.DefaultBranch)
	if err != nil || snap == nil {
		return ""
	}
	data, err := fs.ReadFile(snap.FS, v1alpha1.HubLeaseFileName)
	if err != nil {
		f.t.Fatal(err)
	}
	var rec v1alpha1.HubLease
	if err := yaml.Unmarshal(data, &rec); err != nil {
		f.t.Fatal(err)
	}
	return rec.HolderIdentity
}

// Two hubs started at once on one fleet: only the lease holder writes, the other stands by;
// when the holder stops, the other takes over and carries on.
func TestControllerTwoHubs(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t)
	hubs := map[string]context.CancelFunc{}
	done := map[string]chan error{}
	for _, id := range []string{"hub-a", "hub-b"} {
		repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: f.server.URL("fleet.git"), Auth: f.server.Auth()})
		g.Expect(err).NotTo(HaveOccurred())
		l, err := lease.New(lease.Options{Repo: repo, Identity: id, Duration: 3 * time.Second,
			RenewDeadline: 2 * time.Second, RetryPeriod: 300 * time.Millisecond})
		g.Expect(err).NotTo(HaveOccurred())
		ctrl := controller.New(controller.Options{Repo: repo, Credentials: credentials.Resolver{Dir: f.fleet.Dir}, Lease: l})
		ctx, cancel := context.WithCancel(context.Background())
		hubs[id], done[id] = cancel, make(chan error, 1)
		go func() { done[id] <- ctrl.Run(ctx, 200*time.Millisecond) }()
	}
	defer func() {
		for id, cancel := range hubs {
			cancel()
			<-done[id]
		}
	}()

	g.Eventually(f.leaseHolder, 10*time.Second, 100*time.Millisecond).ShouldNot(BeEmpty())
	holder := f.leaseHolder()
	other := map[string]string{"hub-a": "hub-b", "hub-b": "hub-a"}[holder]
	g.Eventually(func() bool { return f.configMapExists("member1", "settings") }, 20*time.Second, 200*time.Millisecond).Should(BeTrue())

	f.files["shop/more.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: more, namespace: shop}\ndata: {k: v}\n")}
	f.push("Add a ConfigMap")
	g.Eventually(func() bool { return f.configMapExists("member2", "more") }, 20*time.Second, 200*time.Millisecond).Should(BeTrue())
	time.Sleep(time.Second) // a few more cycles of both hubs
	writers := f.statusWriters()
	g.Expect(writers).NotTo(BeEmpty())
	g.Expect(writers).To(HaveEach(holder), "only the lease holder wrote the status")
	g.Expect(f.leaseHolder()).To(Equal(holder))

	// The holder stops (and releases the lease): the other takes over.
	hubs[holder]()
	g.Expect(<-done[holder]).To(MatchError(context.Canceled))
	delete(hubs, holder)
	g.Eventually(f.leaseHolder, 10*time.Second, 100*time.Millisecond).Should(Equal(other))
	f.files["shop/last.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: last, namespace: shop}\ndata: {k: v}\n")}
	f.push("Add another ConfigMap")
	g.Eventually(func() bool { return f.configMapExists("member1", "last") }, 20*time.Second, 200*time.Millisecond).Should(BeTrue())
	g.Eventually(func() []string { w := f.statusWriters(); return w[len(w)-1:] }, 10*time.Second, 200*time.Millisecond).Should(Equal([]string{other}))
	writers = f.statusWriters()
	switched := false
	for _, w := range writers {
		switch {
		case w == other:
			switched = true
		case switched:
			t.Fatalf("%s wrote after %s took over: %v", w, other, writers)
		}
	}
}
