package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/review"
)

func newPRReviewCommand() *cobra.Command {
	var (
		slug, tokenFile, apiURL string
		number                  int
		repoURL, cacheDir       string
		statusRef, renderedRef  string
	)
	cmd := &cobra.Command{
		Use:   "pr-review",
		Short: "Post a pull request's placement diff on GitHub and set its gitfleet/placement status",
		Long: `pr-review reviews a GitHub pull request of the fleet repository: it reads the pull request's
base and head commits, renders both as gitfleet diff --repo does (with the same status view and
previous render), and then
  - posts the Markdown diff as one sticky comment, found again by a hidden marker and updated
    on every run, summary first, flagged templates in bold, under GitHub's 65,536-character
    limit;
  - sets the commit status "gitfleet/placement" on the head commit: success, or failure when
    the head does not render or leaves templates unschedulable or without placement.

In GitHub Actions everything but --repo comes from the environment: GITHUB_REPOSITORY,
GITHUB_EVENT_PATH (pull_request.number), GITHUB_TOKEN and GITHUB_API_URL. The token needs
pull-requests: write and statuses: write, and is never printed. --repo must hold both commits
and the gitfleet/* branches: a checkout with fetch-depth 0 (see docs/pr-review.md).

Rate limits are waited out (up to a few minutes) and server errors retried a few times.

Exit status: 0 when the review was posted with status success, 1 when it was posted with
status failure, 2 on usage errors and when the review could not be posted.`,
		Example: `  gitfleet pr-review --repo . --repo-slug octo/fleet --pr 42 --github-token-file token
  GITHUB_TOKEN=... gitfleet pr-review --repo . --repo-slug octo/fleet --pr 42 --github-api-url https://github.example.com/api/v3/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			slug = cmp.Or(slug, os.Getenv("GITHUB_REPOSITORY"))
			owner, name, ok := strings.Cut(slug, "/")
			if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
				return fmt.Errorf("--repo-slug %q: want OWNER/NAME (or set GITHUB_REPOSITORY)", slug)
			}
			if number <= 0 {
				var err error
				if number, err = prNumberFromEvent(os.Getenv("GITHUB_EVENT_PATH")); err != nil {
					return err
				}
			}
			if repoURL == "" {
				return errors.New("--repo is required: the fleet repository's checkout or URL")
			}
			token, err := readGitHubToken(tokenFile)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("github-api-url") && os.Getenv("GITHUB_API_URL") != "" {
				apiURL = os.Getenv("GITHUB_API_URL")
			}
			gh, err := review.NewGitHub(review.GitHubOptions{APIURL: apiURL, Token: token})
			if err != nil {
				return err
			}
			repo, err := gitstore.Open(cmd.Context(), gitstore.Options{URL: repoURL, Auth: authFromEnv(), CacheDir: cacheDir})
			if err != nil {
				return err
			}
			reviewer := &review.Reviewer{GitHub: gh, Repo: repo, StatusRef: statusRef, RenderedRef: renderedRef, Version: version}
			out, err := reviewer.Review(cmd.Context(), owner, name, number)
			if out != nil {
				printReview(cmd.OutOrStdout(), out)
			}
			if err != nil {
				return err
			}
			if out.Report.State != review.StateSuccess {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&slug, "repo-slug", "", "the pull request's GitHub repository, OWNER/NAME (default: $GITHUB_REPOSITORY)")
	f.IntVar(&number, "pr", 0, "the pull request's number (default: pull_request.number in $GITHUB_EVENT_PATH)")
	f.StringVar(&tokenFile, "github-token-file", "", "file holding the GitHub token (default: $GITHUB_TOKEN)")
	f.StringVar(&apiURL, "github-api-url", review.DefaultAPIURL, "GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3/; default in Actions: $GITHUB_API_URL)")
	f.StringVar(&repoURL, "repo", "", "the fleet repository holding both commits: a local path (the CI checkout) or an http(s) URL")
	f.StringVar(&cacheDir, "cache-dir", "", "with an http(s) --repo: keep the clone here between runs (default: in memory)")
	f.StringVar(&statusRef, "status-ref", review.DefaultStatusRef, "the ref holding the status tree both revisions are rendered with (absent: no status yet)")
	f.StringVar(&renderedRef, "rendered-ref", review.DefaultRenderedRef, "the ref holding the previous render both revisions are rendered against (absent: none)")
	return cmd
}

// printReview says what a review did; never the token, which no part of it holds.
func printReview(w io.Writer, out *review.Outcome) {
	pr := out.PullRequest
	fmt.Fprintf(w, "pull request %s: base %.12s → head %.12s\n", pr, pr.BaseSHA, pr.HeadSHA)
	if out.Result != nil && out.Result.Diff != nil {
		fmt.Fprintln(w, out.Result.Diff.Summary.String())
	}
	if c := out.Comment; c != nil {
		fmt.Fprintf(w, "comment %s: %s\n", c.Action, c.URL)
	}
	if st := out.Status; st != nil {
		fmt.Fprintf(w, "status %s: %s: %s\n", st.Context, st.State, st.Description)
	}
}

// prNumberFromEvent reads the pull request's number from a GitHub Actions event file.
func prNumberFromEvent(path string) (int, error) {
	if path == "" {
		return 0, errors.New("--pr is required outside a pull_request workflow (no GITHUB_EVENT_PATH)")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("GITHUB_EVENT_PATH: %w", err)
	}
	var event struct {
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(data, &event); err != nil {
		return 0, fmt.Errorf("GITHUB_EVENT_PATH %s: %w", path, err)
	}
	if event.PullRequest.Number <= 0 {
		return 0, fmt.Errorf("GITHUB_EVENT_PATH %s is not a pull_request event: pass --pr", path)
	}
	return event.PullRequest.Number, nil
}

// readGitHubToken reads the token from file, else from GITHUB_TOKEN; surrounding whitespace
// is not part of it.
func readGitHubToken(file string) (string, error) {
	if file == "" {
		if t := strings.TrimSpace(os.Getenv("GITHUB_TOKEN")); t != "" {
			return t, nil
		}
		return "", errors.New("no GitHub token: pass --github-token-file or set GITHUB_TOKEN")
	}
	return readSecretFile("--github-token-file", file)
}
