package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/review"
	"github.com/gitfleet/gitfleet/reconciler/review/githubtest"
	"github.com/gitfleet/gitfleet/reconciler/review/reviewtest"
)

func TestPRReview(t *testing.T) {
	const token = "ghs_cmd-token-never-printed"
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	_, base := server.PushDir(t, "fleet.git", "main", reviewtest.SmallFleet(3, nil), "web: 3 replicas", when)
	_, rescaled := server.PushDir(t, "fleet.git", "rescale", reviewtest.SmallFleet(6, nil), "web: 6 replicas", when.Add(time.Hour))
	_, broken := server.PushDir(t, "fleet.git", "broken", brokenFleet, "a broken change", when.Add(2*time.Hour))
	repo := server.Dir("fleet.git")
	github := githubtest.NewServer(t, token)
	github.AddPullRequest("octo/fleet", 1, githubtest.PullRequest{BaseSHA: base.String(), HeadSHA: rescaled.String()})
	github.AddPullRequest("octo/fleet", 2, githubtest.PullRequest{BaseSHA: base.String(), HeadSHA: broken.String()})
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := func(more ...string) []string {
		return append([]string{"pr-review", "--repo", repo, "--github-api-url", github.URL}, more...)
	}
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_EVENT_PATH", "")

	t.Run("a change that keeps everything placed", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, args("--repo-slug", "octo/fleet", "--pr", "1", "--github-token-file", tokenFile)...)
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("pull request octo/fleet#1: base " + base.String()[:12] + " → head " + rescaled.String()[:12] + "\n"))
		g.Expect(out).To(ContainSubstring(rescaleSummary + "\ncomment created: https://"))
		g.Expect(out).To(ContainSubstring("status gitfleet/placement: success: " + rescaleSummary + "\n"))
		comments := github.Comments("octo/fleet", 1)
		g.Expect(comments).To(HaveLen(1))
		g.Expect(comments[0].Body).To(HavePrefix(rescaleSummary + "\n\n| Template |"))
		g.Expect(comments[0].Body).To(ContainSubstring(review.CommentMarker))
	})

	t.Run("from the GitHub Actions environment, updating the comment", func(t *testing.T) {
		g := NewWithT(t)
		event := filepath.Join(t.TempDir(), "event.json")
		g.Expect(os.WriteFile(event, []byte(`{"action": "synchronize", "pull_request": {"number": 1}}`), 0o600)).To(Succeed())
		t.Setenv("GITHUB_TOKEN", token)
		t.Setenv("GITHUB_REPOSITORY", "octo/fleet")
		t.Setenv("GITHUB_EVENT_PATH", event)
		github.AddComment("octo/fleet", 1, "LGTM")
		github.AddPullRequest("octo/fleet", 1, githubtest.PullRequest{BaseSHA: rescaled.String(), HeadSHA: base.String()})
		out, code := runGitfleet(t, args()...)
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("comment updated: "))
		comments := github.Comments("octo/fleet", 1)
		g.Expect(comments).To(HaveLen(2))
		g.Expect(comments[0].Body).To(ContainSubstring("`member1` 3 → 2<br>`member2` 3 → 1"))
	})

	t.Run("a head that does not render exits 1 with a failure status", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, args("--repo-slug", "octo/fleet", "--pr", "2", "--github-token-file", tokenFile)...)
		g.Expect(code).To(Equal(1), out)
		g.Expect(out).To(ContainSubstring("status gitfleet/placement: failure: head does not render: "))
		statuses := github.Statuses()
		g.Expect(statuses[len(statuses)-1].State).To(Equal("failure"))
		g.Expect(github.Comments("octo/fleet", 2)[0].Body).To(ContainSubstring(`policies/web.yaml:16: PropagationPolicy/web: unknown field "spec.unknownField"`))
	})

	t.Run("a pull request the token cannot see", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, args("--repo-slug", "octo/other", "--pr", "1", "--github-token-file", tokenFile)...)
		g.Expect(code).To(Equal(2), out)
		g.Expect(out).To(ContainSubstring("get pull request octo/other#1: 404 Not Found: the repository or pull request does not exist, or the token has no access to it"))
		g.Expect(out).NotTo(ContainSubstring(token))
	})

	usage := []struct {
		name string
		args []string
		says string
	}{
		{"no repository slug", []string{"--pr", "1"}, `--repo-slug "": want OWNER/NAME (or set GITHUB_REPOSITORY)`},
		{"no pull request", []string{"--repo-slug", "octo/fleet"}, "--pr is required outside a pull_request workflow"},
		{"no token", []string{"--repo-slug", "octo/fleet", "--pr", "1"}, "no GitHub token: pass --github-token-file or set GITHUB_TOKEN"},
		{"a bad API URL", []string{"--repo-slug", "octo/fleet", "--pr", "1", "--github-token-file", tokenFile, "--github-api-url", "::"}, "GitHub API URL"},
	}
	for _, tc := range usage {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, append([]string{"pr-review", "--repo", repo}, tc.args...)...)
			g.Expect(code).To(Equal(2), out)
			g.Expect(out).To(ContainSubstring(tc.says))
			g.Expect(strings.Count(out, token)).To(BeZero())
		})
	}
}
