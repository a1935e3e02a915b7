package review_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/review"
	"github.com/gitfleet/gitfleet/reconciler/review/githubtest"
	"github.com/gitfleet/gitfleet/reconciler/review/reviewtest"
)

// stranded sends web to a cluster that does not exist: it becomes unschedulable and loses
// all placement.
var stranded = map[string]string{"policies/web.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    clusterAffinity: {clusterNames: [member9]}
    replicaScheduling: {replicaSchedulingType: Divided}
`}

// broken has an unknown field at policies/web.yaml:9.
var broken = map[string]string{"policies/web.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    replicaScheduling: {replicaSchedulingType: Divided}
  unknownField: true
`}

// manyConfigMaps adds n ConfigMaps of many lines each, all propagated to both clusters:
// enough to make a diff far longer than a comment can hold.
func manyConfigMaps(n int, version string) map[string]string {
	files := map[string]string{"policies/config.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: config, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap, namespace: shop}]
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
`}
	for i := range n {
		var data strings.Builder
		for j := range 20 {
			fmt.Fprintf(&data, "  key%02d: %s-value-%02d-%02d\n", j, version, i, j)
		}
		files[fmt.Sprintf("config/cm%03d.yaml", i)] = fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm%03d, namespace: shop}\ndata:\n%s", i, data.String())
	}
	return files
}

const (
	slug  = "octo/fleet"
	token = "ghs_test-token-never-printed"
)

// Pull requests of the fixture, by what their head does.
const (
	prRescale = 1 + iota
	prStranded
	prBroken
	prHuge
	prFixesBroken
)

// fixture is a fleet repository with one branch per kind of change, a fake GitHub with a
// pull request for each, and a Reviewer between them whose waits are recorded, not slept.
type fixture struct {
	github   *githubtest.Server
	reviewer *review.Reviewer
	waits    *[]time.Duration
	now      time.Time
	shas     map[int][2]string
}

// newFixture makes the fixture; huge adds prHuge, whose branches take a while to push.
func newFixture(t *testing.T, retry review.Retry, huge bool) *fixture {
	t.Helper()
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	push := func(branch string, files fstest.MapFS) string {
		when = when.Add(time.Minute)
		_, h := server.PushDir(t, "fleet.git", branch, files, branch, when)
		return h.String()
	}
	mainSHA := push("main", reviewtest.SmallFleet(3, nil))
	brokenSHA := push("broken", reviewtest.SmallFleet(3, broken))
	f := &fixture{
		github: githubtest.NewServer(t, token),
		now:    time.Now(),
		waits:  &[]time.Duration{},
		shas: map[int][2]string{
			prRescale:     {mainSHA, push("rescale", reviewtest.SmallFleet(6, nil))},
			prStranded:    {mainSHA, push("stranded", reviewtest.SmallFleet(3, stranded))},
			prBroken:      {mainSHA, brokenSHA},
			prFixesBroken: {brokenSHA, mainSHA},
		},
	}
	if huge {
		f.shas[prHuge] = [2]string{push("huge-base", reviewtest.SmallFleet(3, manyConfigMaps(150, "old"))), push("huge-head", reviewtest.SmallFleet(6, manyConfigMaps(150, "new")))}
	}
	for n, shas := range f.shas {
		f.github.AddPullRequest(slug, n, githubtest.PullRequest{BaseSHA: shas[0], HeadSHA: shas[1]})
	}
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: server.Dir("fleet.git")})
	if err != nil {
		t.Fatal(err)
	}
	gh, err := review.NewGitHub(review.GitHubOptions{
		APIURL: f.github.URL, Token: token, Retry: retry,
		Now: func() time.Time { return f.now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			*f.waits = append(*f.waits, d)
			return ctx.Err()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.reviewer = &review.Reviewer{GitHub: gh, Repo: repo, Version: "test"}
	return f
}

func (f *fixture) review(t *testing.T, number int) (*review.Outcome, error) {
	t.Helper()
	return f.reviewer.Review(context.Background(), "octo", "fleet", number)
}

func TestReviewPostsOneStickyCommentAndAStatus(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{}, false)
	f.github.AddComment(slug, prRescale, "LGTM")

	out, err := f.review(t, prRescale)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(out.Comment.Action).To(Equal("created"))
	comments := f.github.Comments(slug, prRescale)
	g.Expect(comments).To(HaveLen(2))
	body := comments[1].Body
	g.Expect(body).To(HavePrefix("1 templates moved, 2 objects changed in 2 clusters\n"), "summary first")
	g.Expect(body).To(ContainSubstring("| `apps/Deployment/shop/web` | rescaled | 3 → 6 |"))
	g.Expect(body).To(HaveSuffix(review.CommentMarker + "\n"))
	g.Expect(f.github.Statuses()).To(Equal([]githubtest.Status{{
		Repo: slug, SHA: f.shas[prRescale][1], State: "success", Context: "gitfleet/placement",
		Description: "1 templates moved, 2 objects changed in 2 clusters", TargetURL: out.Comment.URL,
	}}))

	// The same review again changes nothing; a new head edits the comment in place.
	out, err = f.review(t, prRescale)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(out.Comment.Action).To(Equal("unchanged"))
	f.github.AddPullRequest(slug, prRescale, githubtest.PullRequest{BaseSHA: f.shas[prRescale][0], HeadSHA: f.shas[prStranded][1]})
	out, err = f.review(t, prRescale)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(out.Comment.Action).To(Equal("updated"))
	comments = f.github.Comments(slug, prRescale)
	g.Expect(comments).To(HaveLen(2), "never a second review comment")
	g.Expect(comments[1].Body).To(ContainSubstring("lose all placement"))
	g.Expect(comments[0].Body).To(Equal("LGTM"))
}

func TestReviewFindsItsCommentOnALaterPage(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{}, false)
	for i := range 150 {
		f.github.AddComment(slug, prRescale, fmt.Sprintf("comment %d", i))
	}
	// An earlier review, on page 2 of 100 comments a page.
	id := f.github.AddComment(slug, prRescale, "outdated\n"+review.CommentMarker)
	f.github.AddComment(slug, prRescale, "after")

	out, err := f.review(t, prRescale)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(out.Comment.Action).To(Equal("updated"))
	g.Expect(out.Comment.ID).To(Equal(id))
	comments := f.github.Comments(slug, prRescale)
	g.Expect(comments).To(HaveLen(152))
	g.Expect(comments[150].Body).To(HavePrefix("1 templates moved"))
	g.Expect(f.github.Requests()).To(ContainElement("GET /repos/octo/fleet/issues/1/comments?page=2&per_page=100"))
}

func TestReviewStatus(t *testing.T) {
	f := newFixture(t, review.Retry{}, false)
	cases := []struct {
		name        string
		pr          int
		state       string
		description string
		comment     []string
	}{
		{"a rescale passes", prRescale, "success", "1 templates moved, 2 objects changed in 2 clusters",
			[]string{"rescaled"}},
		{"a template without placement fails", prStranded, "failure",
			"1 template unschedulable, 1 template without placement: apps/Deployment/shop/web",
			[]string{"**1 templates become unschedulable**", "| **`apps/Deployment/shop/web`** | **"}},
		{"a head that does not render fails", prBroken, "failure",
			`head does not render: 1 problem, first policies/web.yaml:8: PropagationPolicy/web: unknown field "spec.unknownField"`,
			[]string{"**head `" + f.shas[prBroken][1][:12] + "` does not render**: 1 problem.", "```text\npolicies/web.yaml:8: "}},
		{"fixing a base that does not render passes", prFixesBroken, "success",
			"head renders; base does not, so there is no placement diff", []string{"does not render, so there is no placement diff"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			out, err := f.review(t, tc.pr)
			g.Expect(err).NotTo(HaveOccurred())
			statuses := f.github.Statuses()
			last := statuses[len(statuses)-1]
			g.Expect(last.SHA).To(Equal(f.shas[tc.pr][1]))
			g.Expect(last.State).To(Equal(tc.state))
			g.Expect(last.Description).To(Equal(tc.description))
			g.Expect(len([]rune(last.Description))).To(BeNumerically("<=", 140))
			g.Expect(string(out.Report.State)).To(Equal(tc.state))
			for _, s := range tc.comment {
				g.Expect(f.github.Comments(slug, tc.pr)[0].Body).To(ContainSubstring(s))
			}
		})
	}
}

func TestReviewCutsAHugeDiffUnderTheCommentLimit(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{}, true)
	out, err := f.review(t, prHuge)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(len(out.Result.Diff.Text())).To(BeNumerically(">", 3*review.MaxCommentChars), "the fixture must not fit")
	body := f.github.Comments(slug, prHuge)[0].Body
	g.Expect(len([]rune(body))).To(BeNumerically("<=", review.MaxCommentChars))
	g.Expect(len([]rune(body))).To(BeNumerically(">", review.MaxCommentChars-10000), "the room is used")
	g.Expect(body).To(HavePrefix(out.Result.Diff.Summary.String() + "\n"))
	g.Expect(out.Result.Diff.Summary.ObjectsChanged).To(BeNumerically(">", 300))
	g.Expect(body).To(ContainSubstring("the comment reached its size limit"))
	g.Expect(body).To(HaveSuffix(review.CommentMarker + "\n"))
}

// A head commit the repository does not hold (a fork's pull request reviewed from a clone)
// cannot be compared: the review says so in an "error" status on the head and posts no
// comment.
func TestReviewOfRevisionsItCannotRead(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t, review.Retry{}, false)
	missing := strings.Repeat("0", 40)
	f.github.AddPullRequest(slug, prRescale, githubtest.PullRequest{BaseSHA: f.shas[prRescale][0], HeadSHA: missing})

	out, err := f.review(t, prRescale)
	g.Expect(err).To(HaveOccurred())
	g.Expect(out.Report.State).To(Equal(review.StateError))
	g.Expect(f.github.Comments(slug, prRescale)).To(BeEmpty())
	statuses := f.github.Statuses()
	g.Expect(statuses).To(HaveLen(1))
	g.Expect(statuses[0].SHA).To(Equal(missing))
	g.Expect(statuses[0].State).To(Equal("error"))
	g.Expect(statuses[0].Description).To(HavePrefix("gitfleet could not compare the revisions: "))
	g.Expect(len([]rune(statuses[0].Description))).To(BeNumerically("<=", review.MaxStatusDescription))
}
