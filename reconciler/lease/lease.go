// Package lease keeps the hub lease (DESIGN §2): of all the hubs started for one fleet
// repository, only the holder of the gitfleet/lease ref writes the fleet's refs.
//
// The lease is one commit on its ref, replaced (not extended) at every renewal with a
// compare-and-swap push, so two hubs cannot both take it. A hub that sees the same lease
// commit, unrenewed, for the lease duration by its own clock takes it over; the holder stops
// writing when it could not renew within the renew deadline, which is shorter than the
// duration. Only elapsed times on each hub's own clock are compared, never timestamps from
// two clocks, so the hubs' clocks need not agree.
package lease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// Defaults of Options.
const (
	DefaultBranch        = "gitfleet/lease"
	DefaultDuration      = 60 * time.Second
	DefaultRenewDeadline = 40 * time.Second
	DefaultRetryPeriod   = 10 * time.Second
)

// ErrNotHeld is matched (errors.Is) by the error of a write this hub may not make: it does
// not hold the lease, or could not renew it within the renew deadline.
var ErrNotHeld = errors.New("this hub does not hold the lease")

// Options configure a Lease.
type Options struct {
	// Repo is the fleet repository.
	Repo *gitstore.Repository
	// Branch is the lease ref (DefaultBranch).
	Branch string
	// Identity names this hub; it must differ between hubs (DefaultIdentity).
	Identity string
	// Duration is how long other hubs wait for a renewal before taking the lease over.
	Duration time.Duration
	// RenewDeadline is how long after its last renewal began the holder still writes; it
	// must be shorter than Duration, the margin covering a write already under way.
	RenewDeadline time.Duration
	// RetryPeriod is the time between two attempts of Run.
	RetryPeriod time.Duration
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Log receives transitions; nil discards them.
	Log *slog.Logger
}

// DefaultIdentity is the host name and a random suffix: two hubs on one host differ, and a
// restarted hub is a new holder (it released the lease on the way out, or waits one
// duration).
func DefaultIdentity() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "hub"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + "-" + hex.EncodeToString(b[:])
}

// Lease is one hub's side of the lease. Its methods are safe for concurrent use.
type Lease struct {
	opts Options

	mu sync.Mutex
	// observedCommit is the lease commit last read, observedAt when (by this hub's clock)
	// it was first seen, and observed its content.
	observedCommit string
	observedAt     time.Time
	observed       *v1alpha1.HubLease
	// renewedAt is when this hub's last successful renewal began; zero when it does not
	// hold the lease.
	renewedAt time.Time
}

// New returns a Lease; zero options get their defaults. It checks that the renew deadline
// is shorter than the duration.
func New(opts Options) (*Lease, error) {
	if opts.Repo == nil {
		return nil, errors.New("lease: no repository")
	}
	if opts.Branch == "" {
		opts.Branch = DefaultBranch
	}
	if opts.Identity == "" {
		opts.Identity = DefaultIdentity()
	}
	if opts.Duration <= 0 {
		opts.Duration = DefaultDuration
	}
	if opts.RenewDeadline <= 0 {
		opts.RenewDeadline = opts.Duration * 2 / 3
	}
	if opts.RetryPeriod <= 0 {
		opts.RetryPeriod = opts.RenewDeadline / 4
	}
	if opts.RenewDeadline >= opts.Duration {
		return nil, fmt.Errorf("lease: renew deadline %v must be shorter than the lease duration %v", opts.RenewDeadline, opts.Duration)
	}
	if opts.RetryPeriod >= opts.RenewDeadline {
		return nil, fmt.Errorf("lease: retry period %v must be shorter than the renew deadline %v", opts.RetryPeriod, opts.RenewDeadline)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Lease{opts: opts}, nil
}

// Identity is this hub's name in the lease.
func (l *Lease) Identity() string { return l.opts.Identity }

// Held reports whether this hub may write now: it holds the lease and its last renewal
// began less than the renew deadline ago.
func (l *Lease) Held() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.heldLocked(l.opts.Now())
}

func (l *Lease) heldLocked(now time.Time) bool {
	return !l.renewedAt.IsZero() && now.Before(l.renewedAt.Add(l.opts.RenewDeadline))
}

// Check returns nil when this hub may write now, and an error matching ErrNotHeld that names
// the holder otherwise. Writers call it just before each write.
func (l *Lease) Check() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.heldLocked(l.opts.Now()) {
		return nil
	}
	if l.observed != nil && l.observed.HolderIdentity != "" && l.observed.HolderIdentity != l.opts.Identity {
		return fmt.Errorf("%w: %s holds it", ErrNotHeld, l.observed.HolderIdentity)
	}
	return ErrNotHeld
}

// Holder is the holder last read from the lease ref ("" when none).
func (l *Lease) Holder() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.observed == nil {
		return ""
	}
	return l.observed.HolderIdentity
}

// errHeldByOther ends an attempt that found the lease held, and renewed, by another hub.
var errHeldByOther = errors.New("held by another hub")

// TryAcquireOrRenew makes one attempt to take or renew the lease and reports whether this
// hub holds it afterwards. Losing a race to another hub is not an error: the attempt reads
// the lease again and decides again. An error (the repository cannot be reached) leaves
// the lease as it was; the holder then stops writing once its renew deadline passes.
func (l *Lease) TryAcquireOrRenew(ctx context.Context) (bool, error) {
	start := l.opts.Now()
	res, err := l.opts.Repo.UpdateBranch(ctx, l.opts.Branch, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		rec, err := l.observe(current, start)
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		next := &v1alpha1.HubLease{
			HolderIdentity:       l.opts.Identity,
			LeaseDurationSeconds: int32(l.opts.Duration.Round(time.Second) / time.Second),
			RenewTime:            ptrMicro(start),
		}
		switch {
		case rec != nil && rec.HolderIdentity == l.opts.Identity:
			next.AcquireTime, next.LeaseTransitions = rec.AcquireTime, rec.LeaseTransitions
		case rec != nil:
			next.AcquireTime, next.LeaseTransitions = ptrMicro(start), rec.LeaseTransitions+1
		default:
			next.AcquireTime = ptrMicro(start)
		}
		return l.request(next, start, "Lease held by "+l.opts.Identity)
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	if errors.Is(err, errHeldByOther) {
		l.renewedAt = time.Time{}
		return false, nil
	}
	if err != nil {
		return l.heldLocked(l.opts.Now()), fmt.Errorf("lease: %w", err)
	}
	was := l.heldLocked(start)
	l.renewedAt = start
	l.observedCommit, l.observedAt = res.Commit.String(), start
	if !was {
		l.opts.Log.Info("took the hub lease", "identity", l.opts.Identity, "ref", l.opts.Branch)
	}
	return true, nil
}

// observe records the lease commit current (nil: no lease yet) as seen at now and returns
// its record; errHeldByOther when another hub holds it and renewed it less than a duration
// ago by this hub's clock. A lease file that cannot be read counts as held by nobody known:
// it is taken over once it has stayed unchanged for a duration.
func (l *Lease) observe(current *gitstore.Snapshot, now time.Time) (*v1alpha1.HubLease, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if current == nil {
		l.observed, l.observedCommit = nil, ""
		return nil, nil
	}
	rec, err := readRecord(current.FS)
	if err != nil {
		l.opts.Log.Warn("unreadable hub lease", "ref", l.opts.Branch, "commit", current.Commit.Hash, "error", err)
		rec = &v1alpha1.HubLease{HolderIdentity: "(unreadable lease " + current.Commit.Hash + ")"}
	}
	if current.Commit.Hash != l.observedCommit {
		l.observedCommit, l.observedAt = current.Commit.Hash, now
	}
	l.observed = rec
	if rec.HolderIdentity == "" || rec.HolderIdentity == l.opts.Identity {
		return rec, nil
	}
	if now.Before(l.observedAt.Add(l.opts.Duration)) {
		return nil, errHeldByOther
	}
	l.opts.Log.Info("taking over an expired hub lease", "holder", rec.HolderIdentity, "unrenewedFor", now.Sub(l.observedAt))
	return rec, nil
}

// Release gives the lease up, when this hub holds it, so that another hub takes it at once
// instead of waiting a duration. A hub calls it on its way out.
func (l *Lease) Release(ctx context.Context) error {
	now := l.opts.Now()
	_, err := l.opts.Repo.UpdateBranch(ctx, l.opts.Branch, func(current *gitstore.Snapshot) (gitstore.CommitRequest, error) {
		rec, err := l.observe(current, now)
		if err != nil || rec == nil || rec.HolderIdentity != l.opts.Identity {
			return gitstore.CommitRequest{}, errHeldByOther
		}
		next := rec.DeepCopy()
		next.HolderIdentity, next.LeaseDurationSeconds, next.RenewTime = "", 1, ptrMicro(now)
		return l.request(next, now, "Lease released by "+l.opts.Identity)
	})
	l.mu.Lock()
	l.renewedAt = time.Time{}
	l.mu.Unlock()
	if err != nil && !errors.Is(err, errHeldByOther) {
		return fmt.Errorf("lease: release: %w", err)
	}
	return nil
}

// Run takes or renews the lease every retry period until ctx ends, then releases it. Its
// first attempt is one period from now: the caller makes the first one itself
// (TryAcquireOrRenew), so that it knows at once whether it holds the lease.
func (l *Lease) Run(ctx context.Context) {
	t := time.NewTicker(l.opts.RetryPeriod)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			release, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.opts.RetryPeriod)
			if err := l.Release(release); err != nil {
				l.opts.Log.Warn("releasing the hub lease", "error", err)
			}
			cancel()
			return
		case <-t.C:
		}
		if held, err := l.TryAcquireOrRenew(ctx); err != nil && ctx.Err() == nil {
			l.opts.Log.Warn("renewing the hub lease", "error", err, "held", held)
		}
	}
}

// request is the commit that makes rec the lease: one file, replacing the ref's history.
func (l *Lease) request(rec *v1alpha1.HubLease, when time.Time, message string) (gitstore.CommitRequest, error) {
	rec.APIVersion, rec.Kind = v1alpha1.GitfleetGroupVersion.String(), "HubLease"
	data, err := yamlenc.MarshalTyped(rec)
	if err != nil {
		return gitstore.CommitRequest{}, err
	}
	return gitstore.CommitRequest{
		Files:   map[string][]byte{v1alpha1.HubLeaseFileName: data},
		Message: message,
		Author:  gitstore.Signature{Name: "gitfleet", Email: "gitfleet@localhost", When: when},
		Replace: true,
	}, nil
}

// readRecord reads lease.yaml.
func readRecord(fsys fs.FS) (*v1alpha1.HubLease, error) {
	data, err := fs.ReadFile(fsys, v1alpha1.HubLeaseFileName)
	if err != nil {
		return nil, err
	}
	rec := &v1alpha1.HubLease{}
	if err := yaml.UnmarshalStrict(data, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

func ptrMicro(t time.Time) *metav1.MicroTime {
	m := metav1.NewMicroTime(t.UTC())
	return &m
}
