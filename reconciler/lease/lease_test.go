package lease_test

import (
	"context"
	"io/fs"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/lease"
)

var epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// fleetURL serves a fleet repository with a source branch.
func fleetURL(t *testing.T) (*gitstoretest.Server, string) {
	srv := gitstoretest.NewServer(t)
	url, _ := srv.PushDir(t, "fleet.git", "main", fstest.MapFS{"gitfleet.yaml": {Data: []byte("kind: FleetConfig\n")}}, "source", epoch)
	return srv, url
}

// hub is one hub's lease, with its own clone and clock.
func hub(t *testing.T, srv *gitstoretest.Server, url, identity string, c *clocktesting.FakeClock) *lease.Lease {
	t.Helper()
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: url, Auth: srv.Auth()})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	l, err := lease.New(lease.Options{Repo: repo, Identity: identity, Duration: 60 * time.Second,
		RenewDeadline: 40 * time.Second, RetryPeriod: 10 * time.Second, Now: c.Now})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	return l
}

// record reads the lease on the server.
func record(t *testing.T, url string, srv *gitstoretest.Server) *v1alpha1.HubLease {
	t.Helper()
	g := NewWithT(t)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: url, Auth: srv.Auth()})
	g.Expect(err).NotTo(HaveOccurred())
	snap, err := repo.BranchSnapshot(lease.DefaultBranch)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(snap).NotTo(BeNil())
	data, err := fs.ReadFile(snap.FS, v1alpha1.HubLeaseFileName)
	g.Expect(err).NotTo(HaveOccurred())
	rec := &v1alpha1.HubLease{}
	g.Expect(yaml.UnmarshalStrict(data, rec)).To(Succeed())
	return rec
}

func TestLeaseTakeoverAfterDuration(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := fleetURL(t)
	ca, cb := clocktesting.NewFakeClock(epoch), clocktesting.NewFakeClock(epoch.Add(-3*time.Hour)) // the hubs' clocks disagree
	a, b := hub(t, srv, url, "hub-a", ca), hub(t, srv, url, "hub-b", cb)

	g.Expect(a.TryAcquireOrRenew(ctx)).To(BeTrue(), "a free lease is taken")
	g.Expect(a.Check()).To(Succeed())
	g.Expect(b.TryAcquireOrRenew(ctx)).To(BeFalse())
	g.Expect(b.Check()).To(MatchError(lease.ErrNotHeld))
	g.Expect(b.Check()).To(MatchError(ContainSubstring("hub-a holds it")))
	g.Expect(b.Holder()).To(Equal("hub-a"))

	// a renews every 30s; b never takes over, however long it watches.
	for range 5 {
		ca.Step(30 * time.Second)
		cb.Step(30 * time.Second)
		g.Expect(a.TryAcquireOrRenew(ctx)).To(BeTrue())
		g.Expect(b.TryAcquireOrRenew(ctx)).To(BeFalse())
	}
	g.Expect(record(t, url, srv).LeaseTransitions).To(BeZero())

	// a stops renewing: it stops writing after the renew deadline, and b takes over only
	// once it has seen the same lease for a whole duration.
	ca.Step(39 * time.Second)
	g.Expect(a.Held()).To(BeTrue())
	ca.Step(2 * time.Second)
	g.Expect(a.Held()).To(BeFalse(), "past the renew deadline the holder stops writing")
	g.Expect(a.Check()).To(MatchError(lease.ErrNotHeld))
	cb.Step(59 * time.Second)
	g.Expect(b.TryAcquireOrRenew(ctx)).To(BeFalse(), "59s unrenewed is not yet expired")
	cb.Step(1 * time.Second)
	g.Expect(b.TryAcquireOrRenew(ctx)).To(BeTrue(), "60s unrenewed is")
	g.Expect(b.Check()).To(Succeed())
	rec := record(t, url, srv)
	g.Expect(rec.HolderIdentity).To(Equal("hub-b"))
	g.Expect(rec.LeaseTransitions).To(BeEquivalentTo(1))
	g.Expect(rec.LeaseDurationSeconds).To(BeEquivalentTo(60))

	// a comes back: b renewed in the meantime, so a sees a new lease commit and stays out.
	cb.Step(10 * time.Second)
	g.Expect(b.TryAcquireOrRenew(ctx)).To(BeTrue())
	ca.Step(time.Hour)
	g.Expect(a.TryAcquireOrRenew(ctx)).To(BeFalse())
	g.Expect(a.Check()).To(MatchError(ContainSubstring("hub-b holds it")))
}

func TestLeaseRelease(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := fleetURL(t)
	c := clocktesting.NewFakeClock(epoch)
	a, b := hub(t, srv, url, "hub-a", c), hub(t, srv, url, "hub-b", c)
	g.Expect(a.TryAcquireOrRenew(ctx)).To(BeTrue())
	g.Expect(b.TryAcquireOrRenew(ctx)).To(BeFalse())

	g.Expect(b.Release(ctx)).To(Succeed(), "releasing a lease one does not hold changes nothing")
	g.Expect(record(t, url, srv).HolderIdentity).To(Equal("hub-a"))

	g.Expect(a.Release(ctx)).To(Succeed())
	g.Expect(a.Held()).To(BeFalse())
	g.Expect(record(t, url, srv).HolderIdentity).To(BeEmpty())
	g.Expect(b.TryAcquireOrRenew(ctx)).To(BeTrue(), "a released lease is taken at once")
	g.Expect(record(t, url, srv).LeaseTransitions).To(BeEquivalentTo(1))
}

func TestLeaseUnreadableIsTakenOverAfterDuration(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	ctx := context.Background()
	srv, url := fleetURL(t)
	srv.PushDir(t, "fleet.git", lease.DefaultBranch, fstest.MapFS{v1alpha1.HubLeaseFileName: {Data: []byte("holderIdentity: [\n")}}, "garbage", epoch)
	c := clocktesting.NewFakeClock(epoch)
	a := hub(t, srv, url, "hub-a", c)
	g.Expect(a.TryAcquireOrRenew(ctx)).To(BeFalse(), "an unreadable lease may be someone's")
	c.Step(60 * time.Second)
	g.Expect(a.TryAcquireOrRenew(ctx)).To(BeTrue())
	g.Expect(record(t, url, srv).HolderIdentity).To(Equal("hub-a"))
}

// TestLeaseRace: hubs that try at the same moment for a free lease, each from its own
// clone: exactly one gets it.
func TestLeaseRace(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	srv, url := fleetURL(t)
	const hubs = 6
	leases := make([]*lease.Lease, hubs)
	for i := range leases {
		leases[i] = hub(t, srv, url, "hub-"+string(rune('a'+i)), clocktesting.NewFakeClock(epoch))
	}
	held := make([]bool, hubs)
	var wg sync.WaitGroup
	for i, l := range leases {
		wg.Go(func() {
			var err error
			held[i], err = l.TryAcquireOrRenew(context.Background())
			if err != nil {
				t.Errorf("hub %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	winners := 0
	for i, h := range held {
		if h {
			winners++
			g.Expect(record(t, url, srv).HolderIdentity).To(Equal(leases[i].Identity()))
		}
	}
	g.Expect(winners).To(Equal(1), "held: %v", held)
}

func TestLeaseOptions(t *testing.T) {
	t.Parallel()
	repo := &gitstore.Repository{}
	_, err := lease.New(lease.Options{Repo: repo, Duration: 10 * time.Second, RenewDeadline: 10 * time.Second})
	NewWithT(t).Expect(err).To(MatchError(ContainSubstring("must be shorter than the lease duration")))
	_, err = lease.New(lease.Options{Repo: repo, Duration: 10 * time.Second, RenewDeadline: 5 * time.Second, RetryPeriod: 5 * time.Second})
	NewWithT(t).Expect(err).To(MatchError(ContainSubstring("must be shorter than the renew deadline")))
	l, err := lease.New(lease.Options{Repo: repo})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	NewWithT(t).Expect(l.Identity()).NotTo(BeEmpty())
}
