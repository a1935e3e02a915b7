package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// DefaultAPIURL is the REST API of github.com. GitHub Enterprise Server serves it at
// https://HOST/api/v3/.
const DefaultAPIURL = "https://api.github.com/"

// GitHubOptions configure a GitHub client.
type GitHubOptions struct {
	// APIURL is the REST API's base URL; empty is DefaultAPIURL. It is injectable for GitHub
	// Enterprise Server and for tests, which point it at a local server.
	APIURL string
	// Token authenticates every request (a GITHUB_TOKEN or a personal access token with
	// pull-requests: write and statuses: write). It is sent in the Authorization header only,
	// never in a URL, so that no error message or log can show it.
	Token string
	// HTTPClient sends the requests; nil is a client with a one-minute timeout.
	HTTPClient *http.Client
	// Retry bounds how often and how long a request is retried.
	Retry Retry
	// Now is the clock rate-limit resets are compared with; nil is time.Now.
	Now func() time.Time
	// Sleep waits before a retry and returns early with ctx's error when ctx ends; nil is a
	// real timer. Tests record the waits instead of sleeping through them.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Retry bounds the retries of one GitHub operation. The zero value is the defaults.
type Retry struct {
	// Attempts is how many times an operation is tried in all; 0 is DefaultRetryAttempts.
	Attempts int
	// Backoff is the first wait after a server error (5xx) or a failed connection; it
	// doubles on every further one. 0 is DefaultRetryBackoff.
	Backoff time.Duration
	// MaxWait is the longest wait for a rate limit to reset: a limit that resets later
	// fails the operation at once rather than hold a CI job for up to an hour. 0 is
	// DefaultRetryMaxWait.
	MaxWait time.Duration
}

// Defaults of Retry.
const (
	DefaultRetryAttempts = 4
	DefaultRetryBackoff  = 2 * time.Second
	DefaultRetryMaxWait  = 5 * time.Minute
	// secondaryRateLimitWait is GitHub's advice when a secondary rate limit says nothing
	// about when to retry: "wait for at least one minute".
	secondaryRateLimitWait = time.Minute
)

// GitHub is the part of GitHub's REST API a review uses: a pull request, its comments and
// its head commit's status. Every operation is retried on rate limits and server errors
// (see Retry), and its error says what to do about it.
type GitHub struct {
	client *github.Client
	opts   GitHubOptions
}

// NewGitHub returns a GitHub client.
func NewGitHub(opts GitHubOptions) (*GitHub, error) {
	base, err := url.Parse(cmp.Or(opts.APIURL, DefaultAPIURL))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q: want http(s)://host/[path/]", opts.APIURL)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	if opts.Token == "" {
		return nil, errors.New("no GitHub token")
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	if opts.Retry.Attempts <= 0 {
		opts.Retry.Attempts = DefaultRetryAttempts
	}
	if opts.Retry.Backoff <= 0 {
		opts.Retry.Backoff = DefaultRetryBackoff
	}
	if opts.Retry.MaxWait <= 0 {
		opts.Retry.MaxWait = DefaultRetryMaxWait
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	client := github.NewClient(opts.HTTPClient).WithAuthToken(opts.Token)
	client.BaseURL = base
	client.UserAgent = "gitfleet"
	return &GitHub{client: client, opts: opts}, nil
}

// PullRequest is what a review needs to know of a pull request.
type PullRequest struct {
	// Owner, Repo and Number name it.
	Owner, Repo string
	Number      int
	// BaseSHA and HeadSHA are the commits compared: the base branch's and the PR branch's.
	BaseSHA, HeadSHA string
}

// String returns owner/repo#number.
func (pr PullRequest) String() string { return fmt.Sprintf("%s/%s#%d", pr.Owner, pr.Repo, pr.Number) }

// PullRequest reads a pull request (GET /repos/{owner}/{repo}/pulls/{number}).
func (g *GitHub) PullRequest(ctx context.Context, owner, repo string, number int) (*PullRequest, error) {
	var got *github.PullRequest
	err := g.retry(ctx, fmt.Sprintf("get pull request %s/%s#%d", owner, repo, number), func() (err error) {
		got, _, err = g.client.PullRequests.Get(ctx, owner, repo, number)
		return err
	})
	if err != nil {
		return nil, err
	}
	pr := &PullRequest{
		Owner: owner, Repo: repo, Number: number,
		BaseSHA: got.GetBase().GetSHA(), HeadSHA: got.GetHead().GetSHA(),
	}
	if pr.BaseSHA == "" || pr.HeadSHA == "" {
		return nil, fmt.Errorf("get pull request %s: the response has no base.sha or head.sha", pr)
	}
	return pr, nil
}

// CommentResult is what UpsertComment did.
type CommentResult struct {
	// ID and URL are the comment's (URL is the one to show a person).
	ID  int64
	URL string
	// Action is "created", "updated" or "unchanged" (the comment already said this).
	Action string
}

// commentsPerPage is GitHub's largest page of issue comments.
const commentsPerPage = 100

// UpsertComment keeps one comment on a pull request that contains marker: it edits the first
// such comment to body (unless it already is body) or, when there is none, creates it. The
// comments are searched on every page, oldest first. A failed attempt starts again from the
// search, so that a creation that reached GitHub before its response was lost is found
// instead of made twice.
func (g *GitHub) UpsertComment(ctx context.Context, pr PullRequest, marker, body string) (*CommentResult, error) {
	if !strings.Contains(body, marker) {
		return nil, fmt.Errorf("comment on %s: the body does not contain its marker %q", pr, marker)
	}
	var res *CommentResult
	err := g.retry(ctx, "comment on "+pr.String(), func() error {
		existing, err := g.findComment(ctx, pr, marker)
		if err != nil {
			return err
		}
		switch {
		case existing == nil:
			c, _, err := g.client.Issues.CreateComment(ctx, pr.Owner, pr.Repo, pr.Number, &github.IssueComment{Body: &body})
			if err != nil {
				return err
			}
			res = &CommentResult{ID: c.GetID(), URL: c.GetHTMLURL(), Action: "created"}
		case existing.GetBody() == body:
			res = &CommentResult{ID: existing.GetID(), URL: existing.GetHTMLURL(), Action: "unchanged"}
		default:
			c, _, err := g.client.Issues.EditComment(ctx, pr.Owner, pr.Repo, existing.GetID(), &github.IssueComment{Body: &body})
			if err != nil {
				return err
			}
			res = &CommentResult{ID: c.GetID(), URL: c.GetHTMLURL(), Action: "updated"}
		}
		return nil
	})
	return res, err
}

// findComment returns the first comment on the pull request that contains marker, nil when
// none does.
func (g *GitHub) findComment(ctx context.Context, pr PullRequest, marker string) (*github.IssueComment, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: commentsPerPage}}
	for {
		page, resp, err := g.client.Issues.ListComments(ctx, pr.Owner, pr.Repo, pr.Number, opts)
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			if strings.Contains(c.GetBody(), marker) {
				return c, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// CommitStatus is a commit status (POST /repos/{owner}/{repo}/statuses/{sha}).
type CommitStatus struct {
	// State is "success", "failure", "error" or "pending".
	State State
	// Context tells this status apart from other checks (StatusContext).
	Context string
	// Description says why, in at most MaxStatusDescription characters (longer ones are cut).
	Description string
	// TargetURL, when set, is where the status links to: the review comment.
	TargetURL string
}

// MaxStatusDescription is how many characters GitHub keeps of a status description.
const MaxStatusDescription = 140

// SetStatus sets a commit status on sha.
func (g *GitHub) SetStatus(ctx context.Context, owner, repo, sha string, st CommitStatus) error {
	state, desc := string(st.State), truncateRunes(st.Description, MaxStatusDescription)
	status := &github.RepoStatus{State: &state, Context: &st.Context, Description: &desc}
	if st.TargetURL != "" {
		status.TargetURL = &st.TargetURL
	}
	return g.retry(ctx, fmt.Sprintf("set status %s on %s/%s@%.12s", st.Context, owner, repo, sha), func() error {
		_, _, err := g.client.Repositories.CreateStatus(ctx, owner, repo, sha, status)
		return err
	})
}

// retry runs attempt until it succeeds, fails for good, or runs out of attempts or ctx.
// This is the one place that decides which GitHub errors are worth another try.
func (g *GitHub) retry(ctx context.Context, op string, attempt func() error) error {
	backoff := g.opts.Retry.Backoff
	for n := 1; ; n++ {
		err := attempt()
		if err == nil {
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%s: %w", op, ctxErr)
		}
		wait, kind := g.classify(err, backoff)
		apiErr := &APIError{Op: op, Attempts: n, Err: err}
		switch {
		case kind == terminal:
			return apiErr
		case n >= g.opts.Retry.Attempts:
			apiErr.GaveUp = true
			return apiErr
		case kind == rateLimited && wait > g.opts.Retry.MaxWait:
			apiErr.Wait = wait
			return apiErr
		case kind == serverError:
			backoff *= 2
		}
		if err := g.opts.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: waiting %s to retry after %w: %w", op, wait, apiErr, err)
		}
	}
}

// retryKind sorts errors by what a retry of them waits for.
type retryKind int

const (
	// terminal errors are not retried: the request itself is wrong (404, 422, …).
	terminal retryKind = iota
	// rateLimited errors are retried when the limit resets, if that is soon enough.
	rateLimited
	// serverError errors (5xx, a failed connection) are retried after a growing backoff.
	serverError
)

// classify says whether err is worth retrying and after how long: until a rate limit
// resets, as long as GitHub asks (Retry-After), or backoff after a server error.
func (g *GitHub) classify(err error, backoff time.Duration) (time.Duration, retryKind) {
	var (
		rate   *github.RateLimitError
		abuse  *github.AbuseRateLimitError
		resp   *github.ErrorResponse
		urlErr *url.Error
	)
	switch {
	case errors.As(err, &rate):
		return max(rate.Rate.Reset.Sub(g.opts.Now()), time.Second), rateLimited
	case errors.As(err, &abuse):
		if abuse.RetryAfter != nil {
			return max(*abuse.RetryAfter, time.Second), rateLimited
		}
		return secondaryRateLimitWait, rateLimited
	case errors.As(err, &resp) && resp.Response != nil:
		switch code := resp.Response.StatusCode; {
		case code == http.StatusTooManyRequests:
			return g.retryAfter(resp.Response.Header), rateLimited
		case code >= 500:
			return backoff, serverError
		}
		return 0, terminal
	case errors.As(err, &urlErr):
		return backoff, serverError // the connection failed or timed out
	}
	return 0, terminal
}

// retryAfter reads how long a 429 response asks to wait: Retry-After seconds, else until
// X-RateLimit-Reset, else a minute.
func (g *GitHub) retryAfter(h http.Header) time.Duration {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s >= 0 {
		return max(time.Duration(s)*time.Second, time.Second)
	}
	if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		return max(time.Unix(s, 0).Sub(g.opts.Now()), time.Second)
	}
	return secondaryRateLimitWait
}

// APIError is a GitHub operation that failed for good. Its message says what the status
// means for a review (a token without access, a rate limit, …); Err is go-github's error.
type APIError struct {
	// Op is the operation, e.g. "get pull request octo/fleet#7".
	Op string
	// Attempts is how many times it was tried.
	Attempts int
	// GaveUp is set when the error was retriable but the attempts ran out.
	GaveUp bool
	// Wait is set when a rate limit resets later than Retry.MaxWait allows waiting.
	Wait time.Duration
	// Err is the last error.
	Err error
}

// StatusCode is the last response's HTTP status, 0 when there was none.
func (e *APIError) StatusCode() int {
	var (
		rate  *github.RateLimitError
		abuse *github.AbuseRateLimitError
		resp  *github.ErrorResponse
	)
	switch {
	case errors.As(e.Err, &rate) && rate.Response != nil:
		return rate.Response.StatusCode
	case errors.As(e.Err, &abuse) && abuse.Response != nil:
		return abuse.Response.StatusCode
	case errors.As(e.Err, &resp) && resp.Response != nil:
		return resp.Response.StatusCode
	}
	return 0
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op + ": ")
	var (
		rate  *github.RateLimitError
		abuse *github.AbuseRateLimitError
		resp  *github.ErrorResponse
	)
	switch {
	case errors.As(e.Err, &rate):
		fmt.Fprintf(&b, "GitHub API rate limit exhausted (%d requests an hour) until %s",
			rate.Rate.Limit, rate.Rate.Reset.UTC().Format(time.RFC3339))
	case errors.As(e.Err, &abuse):
		fmt.Fprintf(&b, "GitHub secondary rate limit: %s", abuse.Message)
	case errors.As(e.Err, &resp) && resp.Response != nil:
		b.WriteString(explainStatus(resp))
	default:
		b.WriteString(e.Err.Error())
	}
	switch {
	case e.Wait > 0:
		fmt.Fprintf(&b, " (it resets in %s, longer than a review waits)", e.Wait.Round(time.Second))
	case e.GaveUp:
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// explainStatus says what a GitHub error status means for a review.
func explainStatus(resp *github.ErrorResponse) string {
	code := resp.Response.StatusCode
	msg := fmt.Sprintf("%d %s", code, cmp.Or(resp.Message, http.StatusText(code)))
	switch code {
	case http.StatusUnauthorized:
		return msg + ": the token is invalid or expired"
	case http.StatusForbidden:
		return msg + ": the token lacks a permission (a review needs pull-requests: write and statuses: write)"
	case http.StatusNotFound:
		return msg + ": the repository or pull request does not exist, or the token has no access to it"
	case http.StatusUnprocessableEntity:
		var details []string
		for _, e := range resp.Errors {
			details = append(details, strings.TrimSpace(strings.Join([]string{e.Resource, e.Field, e.Code, e.Message}, " ")))
		}
		msg += ": GitHub rejected the request as invalid"
		if len(details) > 0 {
			msg += " (" + strings.Join(details, "; ") + ")"
		}
		return msg
	case http.StatusTooManyRequests:
		return msg + ": GitHub rate limit"
	}
	if code >= 500 {
		return msg + ": GitHub server error"
	}
	return msg
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// truncateRunes cuts s to at most n characters, ending in "…" when cut.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
