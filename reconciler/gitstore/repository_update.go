package gitstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// UpdateBranch is the compare-and-swap loop of gitfleet's writers (DESIGN §1: "a rejected
// push is retried after re-reading the ref"). It fetches (for a clone), reads the branch,
// calls update with the branch's current commit — nil when the branch does not exist yet —
// and commits the request update returns with Parent set to that commit. When another writer
// moved the branch first (ErrConflict), it starts over from the fetch, up to Options.Retry's
// attempts, waiting its backoff in between.
//
// update builds the whole new tree from what it is given, so that a retry merges the other
// writer's change instead of undoing it; it may be called once per attempt. UpdateBranch sets
// the request's Branch and Parent. An error from update ends the loop and is returned
// wrapped. When the tree does not change, no commit is made (CommitResult.Changed is false).
// After the last attempt the conflict is returned; it matches ErrConflict.
func (r *Repository) UpdateBranch(ctx context.Context, branch string, update func(current *Snapshot) (CommitRequest, error)) (CommitResult, error) {
	ref, err := branchRef(branch)
	if err != nil {
		return CommitResult{}, fmt.Errorf("update branch of %s: %w", r, err)
	}
	attempts := r.retry.attempts()
	for n := 1; ; n++ {
		res, err := r.updateOnce(ctx, ref, update)
		if !errors.Is(err, ErrConflict) {
			return res, err
		}
		if n == attempts {
			return res, fmt.Errorf("gave up after %d attempts: %w", n, err)
		}
		if err := sleep(ctx, r.retry.backoff(n+1, rand.Float64())); err != nil {
			return CommitResult{}, fmt.Errorf("update branch %s of %s: %w", branch, r, err)
		}
	}
}

// updateOnce is one attempt of UpdateBranch.
func (r *Repository) updateOnce(ctx context.Context, ref plumbing.ReferenceName, update func(*Snapshot) (CommitRequest, error)) (CommitResult, error) {
	branch := ref.Short()
	if err := r.Fetch(ctx); err != nil {
		return CommitResult{}, fmt.Errorf("update branch %s: %w", branch, err)
	}
	r.mu.Lock()
	parent, err := r.settledBranchTip(ref)
	r.mu.Unlock()
	if err != nil {
		return CommitResult{}, fmt.Errorf("update branch %s of %s: %w", branch, r, err)
	}
	var current *Snapshot
	if !parent.IsZero() {
		if current, err = r.Snapshot(parent); err != nil {
			return CommitResult{}, fmt.Errorf("update branch %s: %w", branch, err)
		}
	}
	req, err := update(current)
	if err != nil {
		return CommitResult{}, fmt.Errorf("update branch %s of %s: %w", branch, r, err)
	}
	req.Branch, req.Parent = branch, parent
	return r.Commit(ctx, req)
}

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
