package review

import (
	"context"
	"fmt"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
)

// Reviewer reviews pull requests of a fleet repository: it compares the renders of a pull
// request's base and head and reports the result on GitHub.
type Reviewer struct {
	// GitHub is where pull requests are read and reviews posted.
	GitHub *GitHub
	// Repo is the fleet repository (a CI checkout, or the hub's clone). It must hold both
	// commits of a pull request: Review fetches it first, but a clone fetches branches and
	// tags only, so a pull request from a fork is found in a checkout of it, not in a clone.
	Repo *gitstore.Repository
	// StatusRef and RenderedRef are the refs both sides are rendered with (see Options).
	StatusRef, RenderedRef string
	// Version is gitfleet's version, recorded in the renders' provenance.
	Version string
}

// Outcome is what one review did.
type Outcome struct {
	// PullRequest is the pull request reviewed.
	PullRequest PullRequest
	// Result is the comparison; nil when the revisions could not be read.
	Result *Result
	// Report is the verdict posted.
	Report Report
	// Comment is what happened to the sticky comment; nil when none was posted.
	Comment *CommentResult
	// Status is the commit status set on the head commit; nil when none was set.
	Status *CommitStatus
}

// Review reviews one pull request: it reads its base and head commits, compares their
// renders, posts or updates the sticky comment and sets the head commit's status
// (StatusContext). A head that does not render or leaves templates without placement is a
// failure status, not an error: an error means the review itself could not be done (GitHub
// or the repository could not be read or written), and then the status, if it can still be
// set, is "error".
func (r *Reviewer) Review(ctx context.Context, owner, repo string, number int) (*Outcome, error) {
	pr, err := r.GitHub.PullRequest(ctx, owner, repo, number)
	if err != nil {
		return nil, err
	}
	out := &Outcome{PullRequest: *pr}
	res, err := r.compare(ctx, pr)
	if err != nil {
		out.Report = Report{State: StateError, Description: truncateRunes("gitfleet could not compare the revisions: "+err.Error(), MaxStatusDescription)}
		status := CommitStatus{State: StateError, Context: StatusContext, Description: out.Report.Description}
		if serr := r.GitHub.SetStatus(ctx, owner, repo, pr.HeadSHA, status); serr != nil {
			return out, fmt.Errorf("review %s: %w (and setting the error status: %w)", pr, err, serr)
		}
		out.Status = &status
		return out, fmt.Errorf("review %s: %w", pr, err)
	}
	out.Result = res
	out.Report = NewReport(res)
	if out.Comment, err = r.GitHub.UpsertComment(ctx, *pr, CommentMarker, out.Report.Comment); err != nil {
		return out, err
	}
	status := CommitStatus{State: out.Report.State, Context: StatusContext, Description: out.Report.Description, TargetURL: out.Comment.URL}
	if err := r.GitHub.SetStatus(ctx, owner, repo, pr.HeadSHA, status); err != nil {
		return out, err
	}
	out.Status = &status
	return out, nil
}

// compare fetches the repository and compares the pull request's base and head commits.
func (r *Reviewer) compare(ctx context.Context, pr *PullRequest) (*Result, error) {
	if err := r.Repo.Fetch(ctx); err != nil {
		return nil, err
	}
	return Compare(Options{
		Repo: r.Repo, Base: pr.BaseSHA, Head: pr.HeadSHA,
		StatusRef: r.StatusRef, RenderedRef: r.RenderedRef, Version: r.Version,
	})
}
