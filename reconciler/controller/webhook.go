package controller

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gitfleet/gitfleet/reconciler/review"
)

// SignatureHeader carries a GitHub-style webhook signature: "sha256=" and the hex
// HMAC-SHA256 of the body keyed by the shared secret.
const SignatureHeader = "X-Hub-Signature-256"

// maxWebhookBody bounds what a webhook request may send; GitHub caps payloads at 25 MB.
const maxWebhookBody = 25 << 20

// EventHeader names a GitHub webhook's event ("push", "pull_request", …).
const EventHeader = "X-GitHub-Event"

// pushWebhook triggers a cycle for each request signed with secret; it rejects unsigned or
// badly signed requests with 401 and triggers nothing for them. Any validly signed event
// triggers, except pull_request events: the cycle reads the source ref itself, so the
// payload needs no parsing. A pull_request event is no change to the source; with reviews it
// queues a review of the pull request (opened, synchronize, reopened), and is ignored
// otherwise.
func pushWebhook(secret []byte, trigger *Trigger, reviews *Reviews, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusRequestEntityTooLarge)
			return
		}
		if !validSignature(secret, body, r.Header.Get(SignatureHeader)) {
			log.Warn("webhook rejected: bad or missing signature", "remote", r.RemoteAddr,
				"event", r.Header.Get("X-GitHub-Event"))
			http.Error(w, "bad or missing "+SignatureHeader, http.StatusUnauthorized)
			return
		}
		if r.Header.Get(EventHeader) == "pull_request" {
			pullRequestWebhook(w, body, reviews, log.With("delivery", r.Header.Get("X-GitHub-Delivery")))
			return
		}
		log.Info("webhook accepted: cycle triggered", "event", r.Header.Get(EventHeader),
			"delivery", r.Header.Get("X-GitHub-Delivery"))
		trigger.Fire()
		w.WriteHeader(http.StatusAccepted)
	})
}

// reviewedActions are the pull_request actions that change what a review would say.
var reviewedActions = []string{"opened", "synchronize", "reopened"}

// pullRequestWebhook queues a review of the pull request a validly signed pull_request event
// is about. It answers 202 when a review is queued, 200 when the event is ignored (no
// reviews, another action), and 400 when the payload does not name a pull request.
func pullRequestWebhook(w http.ResponseWriter, body []byte, reviews *Reviews, log *slog.Logger) {
	var event struct {
		Action      string `json:"action"`
		Number      int    `json:"number"`
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
		Repository struct {
			Name  string `json:"name"`
			Owner struct {
				Login string `json:"login"`
			} `json:"owner"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(body, &event); err != nil {
		http.Error(w, "pull_request payload: "+err.Error(), http.StatusBadRequest)
		return
	}
	pr := PullRequestRef{Owner: event.Repository.Owner.Login, Repo: event.Repository.Name, Number: max(event.Number, event.PullRequest.Number)}
	if pr.Owner == "" || pr.Repo == "" || pr.Number <= 0 {
		http.Error(w, "pull_request payload: no repository.owner.login, repository.name or number", http.StatusBadRequest)
		return
	}
	switch {
	case reviews == nil:
		log.Info("webhook ignored: pull_request reviews are not configured", "pullRequest", pr.String(), "action", event.Action)
		_, _ = io.WriteString(w, "ignored: no pull-request reviews configured\n")
	case !slices.Contains(reviewedActions, event.Action):
		log.Info("webhook ignored: pull_request action", "pullRequest", pr.String(), "action", event.Action)
		_, _ = io.WriteString(w, "ignored: action "+event.Action+"\n")
	default:
		queued := reviews.Enqueue(pr)
		log.Info("webhook accepted: pull request review queued", "pullRequest", pr.String(), "action", event.Action, "alreadyQueued", !queued)
		w.WriteHeader(http.StatusAccepted)
	}
}

// PullRequestRef names a pull request.
type PullRequestRef struct {
	Owner, Repo string
	Number      int
}

// String returns owner/repo#number.
func (p PullRequestRef) String() string { return fmt.Sprintf("%s/%s#%d", p.Owner, p.Repo, p.Number) }

// PullRequestReviewer reviews one pull request; *review.Reviewer is one.
type PullRequestReviewer interface {
	Review(ctx context.Context, owner, repo string, number int) (*review.Outcome, error)
}

// Reviews runs the pull-request reviews that webhooks ask for in the background, one at a
// time and in the order asked: each renders the fleet twice, and the hub's own cycle must
// not starve. A pull request asked for again while its review waits is reviewed once (the
// review reads its current head). Errors are logged: a review is advisory, and the next
// push to the pull request reviews it again.
type Reviews struct {
	reviewer PullRequestReviewer
	log      *slog.Logger
	wake     chan struct{}

	mu    sync.Mutex
	queue []PullRequestRef
}

// NewReviews returns an empty queue of reviews by reviewer; Run works it off.
func NewReviews(reviewer PullRequestReviewer, log *slog.Logger) *Reviews {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reviews{reviewer: reviewer, log: log, wake: make(chan struct{}, 1)}
}

// Enqueue asks for a review of pr; it never blocks, and reports false when pr is already
// waiting.
func (q *Reviews) Enqueue(pr PullRequestRef) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if slices.Contains(q.queue, pr) {
		return false
	}
	q.queue = append(q.queue, pr)
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// Run reviews the queued pull requests, one at a time, until ctx ends.
func (q *Reviews) Run(ctx context.Context) {
	for ctx.Err() == nil {
		q.mu.Lock()
		var pr PullRequestRef
		next := len(q.queue) > 0
		if next {
			pr, q.queue = q.queue[0], q.queue[1:]
		}
		q.mu.Unlock()
		if !next {
			select {
			case <-ctx.Done():
				return
			case <-q.wake:
				continue
			}
		}
		out, err := q.reviewer.Review(ctx, pr.Owner, pr.Repo, pr.Number)
		switch {
		case err != nil:
			q.log.Error("pull request review failed", "pullRequest", pr.String(), "error", err)
		default:
			q.log.Info("pull request reviewed", "pullRequest", pr.String(), "state", string(out.Report.State),
				"description", out.Report.Description, "comment", out.Comment.Action)
		}
	}
}

// validSignature reports whether header is "sha256=<hex HMAC-SHA256 of body keyed by
// secret>", compared in constant time.
func validSignature(secret, body []byte, header string) bool {
	hexSum, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Sign returns the X-Hub-Signature-256 value of body keyed by secret, as a forge sends it.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
