package controller_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/review"
	"github.com/gitfleet/gitfleet/reconciler/review/githubtest"
)

// pullRequestEvent is a pull_request webhook payload, trimmed to what GitHub always sends.
func pullRequestEvent(action string, number int) []byte {
	return fmt.Appendf(nil, `{"action": %q, "number": %d, "pull_request": {"number": %d, "head": {"sha": "abc"}},
"repository": {"name": "fleet", "full_name": "octo/fleet", "owner": {"login": "octo"}}}`, action, number, number)
}

// postHook delivers a webhook to /hooks/push.
func postHook(h http.Handler, event string, body []byte, signature string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/hooks/push", strings.NewReader(string(body)))
	req.Header.Set(controller.EventHeader, event)
	if signature != "" {
		req.Header.Set(controller.SignatureHeader, signature)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// recordingReviewer records the pull requests it is asked to review.
type recordingReviewer struct {
	mu       sync.Mutex
	reviewed []string
}

func (r *recordingReviewer) Review(_ context.Context, owner, repo string, number int) (*review.Outcome, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reviewed = append(r.reviewed, fmt.Sprintf("%s/%s#%d", owner, repo, number))
	return &review.Outcome{Comment: &review.CommentResult{}}, nil
}

func (r *recordingReviewer) Reviewed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.reviewed...)
}

func TestPullRequestWebhook(t *testing.T) {
	secret := []byte("s3cret")
	cases := []struct {
		name      string
		body      []byte
		signature func(body []byte) string
		noReviews bool
		wantCode  int
		reviewed  []string
	}{
		{name: "opened", body: pullRequestEvent("opened", 7), wantCode: http.StatusAccepted, reviewed: []string{"octo/fleet#7"}},
		{name: "synchronize", body: pullRequestEvent("synchronize", 8), wantCode: http.StatusAccepted, reviewed: []string{"octo/fleet#8"}},
		{name: "reopened", body: pullRequestEvent("reopened", 9), wantCode: http.StatusAccepted, reviewed: []string{"octo/fleet#9"}},
		{name: "closed is ignored", body: pullRequestEvent("closed", 7), wantCode: http.StatusOK},
		{name: "ignored without reviews", body: pullRequestEvent("opened", 7), noReviews: true, wantCode: http.StatusOK},
		{name: "missing signature", body: pullRequestEvent("opened", 7), signature: func([]byte) string { return "" }, wantCode: http.StatusUnauthorized},
		{name: "signed with another secret", body: pullRequestEvent("opened", 7),
			signature: func(b []byte) string { return controller.Sign([]byte("guess"), b) }, wantCode: http.StatusUnauthorized},
		{name: "no pull request in the payload", body: []byte(`{"action": "opened"}`), wantCode: http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			reviewer := &recordingReviewer{}
			trigger := controller.NewTrigger()
			opts := controller.ServerOptions{Metrics: controller.NewMetrics(), Trigger: trigger, WebhookSecret: secret}
			if !tc.noReviews {
				opts.Reviews = controller.NewReviews(reviewer, nil)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				go opts.Reviews.Run(ctx)
			}
			signature := controller.Sign(secret, tc.body)
			if tc.signature != nil {
				signature = tc.signature(tc.body)
			}
			rec := postHook(controller.NewHandler(opts), "pull_request", tc.body, signature)
			g.Expect(rec.Code).To(Equal(tc.wantCode), rec.Body.String())
			if tc.reviewed != nil {
				g.Eventually(reviewer.Reviewed).Should(Equal(tc.reviewed))
			} else {
				g.Consistently(reviewer.Reviewed, 50*time.Millisecond).Should(BeEmpty())
			}
			g.Expect(fired(trigger)).To(BeFalse(), "a pull request changes no source: no cycle")
		})
	}
}

func TestPushWebhookStillTriggersWithReviews(t *testing.T) {
	g := NewWithT(t)
	secret := []byte("s3cret")
	reviewer := &recordingReviewer{}
	trigger := controller.NewTrigger()
	h := controller.NewHandler(controller.ServerOptions{Metrics: controller.NewMetrics(), Trigger: trigger, WebhookSecret: secret,
		Reviews: controller.NewReviews(reviewer, nil)})
	body := []byte(`{"ref":"refs/heads/main"}`)
	rec := postHook(h, "push", body, controller.Sign(secret, body))
	g.Expect(rec.Code).To(Equal(http.StatusAccepted))
	g.Expect(fired(trigger)).To(BeTrue())
}

func TestReviewsCoalesceAPullRequestThatWaits(t *testing.T) {
	g := NewWithT(t)
	reviewer := &recordingReviewer{}
	reviews := controller.NewReviews(reviewer, nil)
	pr := controller.PullRequestRef{Owner: "octo", Repo: "fleet", Number: 1}
	g.Expect(reviews.Enqueue(pr)).To(BeTrue())
	g.Expect(reviews.Enqueue(pr)).To(BeFalse(), "already waiting")
	g.Expect(reviews.Enqueue(controller.PullRequestRef{Owner: "octo", Repo: "fleet", Number: 2})).To(BeTrue())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		reviews.Run(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	want := []string{"octo/fleet#1", "octo/fleet#2"}
	g.Eventually(reviewer.Reviewed).WithTimeout(5*time.Second).Should(Equal(want), "each waiting pull request reviewed once")
	g.Consistently(reviewer.Reviewed).WithTimeout(300 * time.Millisecond).Should(Equal(want))
	g.Expect(reviews.Enqueue(pr)).To(BeTrue(), "once reviewed, a new event queues it again")
	g.Eventually(reviewer.Reviewed).WithTimeout(5 * time.Second).Should(Equal(append(want, "octo/fleet#1")))
}

// TestPullRequestWebhookReviews runs the real review: a pull_request webhook makes the hub
// fetch the pull request's branch from its remote, render both sides and post the comment
// and status on (a local stand-in for) GitHub.
func TestPullRequestWebhookReviews(t *testing.T) {
	g := NewWithT(t)
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	files := fstest.MapFS{
		"clusters/member1.yaml": {Data: []byte(clusterYAML("member1", "https://member1.example.com:6443"))},
		"clusters/member2.yaml": {Data: []byte(clusterYAML("member2", "https://member2.example.com:6443"))},
		"shop/policy.yaml":      {Data: []byte(policy)},
		"shop/config.yaml":      {Data: []byte(configMaps)},
	}
	_, base := server.PushDir(t, "fleet.git", "main", files, "Fleet", when)
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: server.URL("fleet.git"), Auth: server.Auth()})
	g.Expect(err).NotTo(HaveOccurred())

	// The pull request's branch is pushed after the hub cloned: the review must fetch it.
	files["shop/config.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(configMaps, "color: blue", "color: green", 1))}
	_, head := server.PushDir(t, "fleet.git", "green", files, "Green", when.Add(time.Hour))

	const token = "ghs_hub-token"
	github := githubtest.NewServer(t, token)
	github.AddPullRequest("octo/fleet", 7, githubtest.PullRequest{BaseSHA: base.String(), HeadSHA: head.String()})
	gh, err := review.NewGitHub(review.GitHubOptions{APIURL: github.URL, Token: token})
	g.Expect(err).NotTo(HaveOccurred())
	var logs strings.Builder
	var logsMu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logsMu.Lock()
		defer logsMu.Unlock()
		return logs.Write(p)
	}), nil))
	reviews := controller.NewReviews(&review.Reviewer{GitHub: gh, Repo: repo, Version: "test"}, log)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go reviews.Run(ctx)

	secret := []byte("s3cret")
	h := controller.NewHandler(controller.ServerOptions{Metrics: controller.NewMetrics(), Trigger: controller.NewTrigger(), WebhookSecret: secret, Reviews: reviews, Log: log})
	body := pullRequestEvent("opened", 7)
	g.Expect(postHook(h, "pull_request", body, controller.Sign(secret, body)).Code).To(Equal(http.StatusAccepted))

	g.Eventually(github.Statuses, 10*time.Second).Should(HaveLen(1))
	st := github.Statuses()[0]
	g.Expect(st.SHA).To(Equal(head.String()))
	g.Expect(st.State).To(Equal("success"))
	g.Expect(st.Description).To(Equal("0 templates moved, 2 objects changed in 2 clusters"))
	comments := github.Comments("octo/fleet", 7)
	g.Expect(comments).To(HaveLen(1))
	g.Expect(comments[0].Body).To(HavePrefix("0 templates moved, 2 objects changed in 2 clusters\n"))
	g.Expect(comments[0].Body).To(ContainSubstring("+  color: green"))

	// A review that fails is logged; the token is not.
	github.Fail(githubtest.RoutePull, githubtest.Fault{Status: http.StatusNotFound})
	g.Expect(postHook(h, "pull_request", body, controller.Sign(secret, body)).Code).To(Equal(http.StatusAccepted))
	g.Eventually(func() string {
		logsMu.Lock()
		defer logsMu.Unlock()
		return logs.String()
	}, 10*time.Second).Should(ContainSubstring("pull request review failed"))
	logsMu.Lock()
	defer logsMu.Unlock()
	g.Expect(logs.String()).To(ContainSubstring("404 Not Found: the repository or pull request does not exist"))
	g.Expect(logs.String()).NotTo(ContainSubstring(token))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
