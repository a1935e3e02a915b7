package review_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/review"
	"github.com/gitfleet/gitfleet/reconciler/review/githubtest"
)

func TestGitHubWaitsOutRateLimits(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{Attempts: 3, Backoff: time.Second}, false)
	// The primary limit resets 30 s after the fixture's clock; the real clock is past it
	// already, so the retry need not really wait.
	reset := time.Now().Add(-time.Second).Truncate(time.Second) // X-RateLimit-Reset is in whole seconds
	f.now = reset.Add(-30 * time.Second)
	f.github.Fail(githubtest.RoutePull, githubtest.Fault{
		Status: http.StatusForbidden,
		Header: map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)},
		Body:   `{"message": "API rate limit exceeded for installation ID 1."}`,
	})
	f.github.Fail(githubtest.RouteStatus, githubtest.Fault{
		Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "7"},
		Body: `{"message": "You have exceeded a secondary rate limit."}`,
	})

	_, err := f.review(t, prRescale)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(*f.waits).To(Equal([]time.Duration{30 * time.Second, 7 * time.Second}))
	g.Expect(f.github.Statuses()).To(HaveLen(1))
	g.Expect(f.github.Comments(slug, prRescale)).To(HaveLen(1))
}

func TestGitHubDoesNotWaitForALimitThatResetsMuchLater(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{MaxWait: time.Minute}, false)
	reset := time.Now().Add(-time.Second).Truncate(time.Second) // X-RateLimit-Reset is in whole seconds
	f.now = reset.Add(-45 * time.Minute)
	f.github.Fail(githubtest.RoutePull, githubtest.Fault{
		Status: http.StatusForbidden,
		Header: map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)},
		Body:   `{"message": "API rate limit exceeded"}`,
	})
	_, err := f.review(t, prRescale)
	g.Expect(err).To(MatchError(ContainSubstring("get pull request octo/fleet#1: GitHub API rate limit exhausted (5000 requests an hour) until ")))
	g.Expect(err).To(MatchError(ContainSubstring("(it resets in 45m")))
	g.Expect(*f.waits).To(BeEmpty())
}

func TestGitHubRetriesServerErrorsThenGivesUp(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{Attempts: 3, Backoff: time.Second}, false)
	f.github.Fail(githubtest.RouteCreateComment, githubtest.Fault{Status: http.StatusBadGateway}, githubtest.Fault{Status: http.StatusServiceUnavailable})
	_, err := f.review(t, prRescale)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(*f.waits).To(Equal([]time.Duration{time.Second, 2 * time.Second}), "exponential backoff")
	g.Expect(f.github.Comments(slug, prRescale)).To(HaveLen(1))

	*f.waits = nil
	for range 3 {
		f.github.Fail(githubtest.RouteStatus, githubtest.Fault{Status: http.StatusInternalServerError})
	}
	_, err = f.review(t, prStranded)
	g.Expect(err).To(MatchError(ContainSubstring("set status gitfleet/placement on octo/fleet@")))
	g.Expect(err).To(MatchError(ContainSubstring("500 Internal Server Error: GitHub server error (gave up after 3 attempts)")))
	g.Expect(*f.waits).To(Equal([]time.Duration{time.Second, 2 * time.Second}))
	var apiErr *review.APIError
	g.Expect(errors.As(err, &apiErr)).To(BeTrue())
	g.Expect(apiErr.StatusCode()).To(Equal(http.StatusInternalServerError))
}

func TestGitHubErrorsSayWhatToDo(t *testing.T) {
	cases := []struct {
		name   string
		pr     int
		token  string
		faults map[string]githubtest.Fault
		says   string
		code   int
	}{
		{name: "a pull request that does not exist", pr: 404,
			says: "get pull request octo/fleet#404: 404 Not Found: the repository or pull request does not exist, or the token has no access to it", code: 404},
		{name: "a bad token", pr: prRescale, token: "wrong",
			says: "401 Bad credentials: the token is invalid or expired", code: 401},
		{name: "a token without permission", pr: prRescale,
			faults: map[string]githubtest.Fault{githubtest.RouteCreateComment: {Status: 403, Body: `{"message": "Resource not accessible by integration"}`}},
			says:   "comment on octo/fleet#1: 403 Resource not accessible by integration: the token lacks a permission (a review needs pull-requests: write and statuses: write)", code: 403},
		{name: "a request GitHub finds invalid", pr: prRescale,
			faults: map[string]githubtest.Fault{githubtest.RouteStatus: {Status: 422, Body: `{"message": "Validation Failed", "errors": [{"resource": "Status", "field": "state", "code": "custom", "message": "state is not included in the list"}]}`}},
			says:   "422 Validation Failed: GitHub rejected the request as invalid (Status state custom state is not included in the list)", code: 422},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			f := newFixture(t, review.Retry{}, false)
			if tc.token != "" {
				f.github.Token = tc.token
			}
			for route, fault := range tc.faults {
				f.github.Fail(route, fault)
			}
			_, err := f.review(t, tc.pr)
			g.Expect(err).To(MatchError(ContainSubstring(tc.says)))
			g.Expect(err.Error()).NotTo(ContainSubstring(token))
			g.Expect(*f.waits).To(BeEmpty(), "not retried")
			var apiErr *review.APIError
			g.Expect(errors.As(err, &apiErr)).To(BeTrue())
			g.Expect(apiErr.StatusCode()).To(Equal(tc.code))
		})
	}
}

func TestGitHubStopsWaitingWhenTheContextEnds(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{}, false)
	gh, err := review.NewGitHub(review.GitHubOptions{APIURL: f.github.URL, Token: token, Retry: review.Retry{Backoff: time.Hour}})
	g.Expect(err).NotTo(HaveOccurred())
	f.github.Fail(githubtest.RoutePull, githubtest.Fault{Status: http.StatusBadGateway})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = gh.PullRequest(ctx, "octo", "fleet", prRescale)
	g.Expect(err).To(MatchError(context.DeadlineExceeded))
	g.Expect(err).To(MatchError(ContainSubstring("waiting 1h0m0s to retry after get pull request octo/fleet#1: 502 Bad Gateway")))
}

func TestNewGitHubRejectsABadAPIURL(t *testing.T) {
	g := NewWithT(t)
	_, err := review.NewGitHub(review.GitHubOptions{APIURL: "ftp://example.com", Token: token})
	g.Expect(err).To(MatchError(ContainSubstring(`GitHub API URL "ftp://example.com"`)))
	_, err = review.NewGitHub(review.GitHubOptions{})
	g.Expect(err).To(MatchError("no GitHub token"))
}
