package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// readTree reads every file below dir by relative path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRenderExampleFleetToADirectory(t *testing.T) {
	g := NewWithT(t)
	out := filepath.Join(t.TempDir(), "rendered")
	stdout, code := runGitfleet(t, "render", "--source", "../../fleet-repo-example", "--out", out)
	g.Expect(code).To(Equal(0), stdout)
	g.Expect(stdout).To(MatchRegexp(`apps/Deployment/catalog/catalog-api\s+catalog-api\s+Success\s+aws-euw1-prod:4 aws-use1-prod:6 gcp-euw1-prod:2 gcp-use4-prod:2`))
	first := readTree(t, out)
	g.Expect(first).To(HaveKey("bindings/catalog/apps.deployment.catalog-api.yaml"))
	g.Expect(first).To(HaveKey("karmada-es-aws-use1-prod/.gitfleet-cluster.yaml"))
	g.Expect(first).To(HaveKey(".gitfleet/provenance.yaml"))

	// Rendering again with that render as the previous one gives the same tree.
	stdout, code = runGitfleet(t, "render", "--source", "../../fleet-repo-example", "--previous", out, "--out", out, "-q")
	g.Expect(code).To(Equal(0), stdout)
	g.Expect(readTree(t, out)).To(Equal(first))
}

func TestRenderLeavesTheLastGoodRenderOnBadInput(t *testing.T) {
	g := NewWithT(t)
	out := filepath.Join(t.TempDir(), "rendered")
	_, code := runGitfleet(t, "render", "--source", "../../fleet-repo-example", "--out", out, "-q")
	g.Expect(code).To(Equal(0))
	before := readTree(t, out)

	broken := writeTree(t, brokenFleet)
	stdout, code := runGitfleet(t, "render", "--source", broken, "--out", out)
	g.Expect(code).To(Equal(1))
	g.Expect(stdout).To(ContainSubstring(`policies/web.yaml:16: PropagationPolicy/web: unknown field "spec.unknownField"`))
	g.Expect(stdout).To(ContainSubstring("nothing was written"))
	g.Expect(readTree(t, out)).To(Equal(before), "the last good render stays")
}

func TestRenderCommitsToTheRenderedRef(t *testing.T) {
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	_, source := server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet", when)
	_, broken := server.PushDir(t, "fleet.git", "broken", brokenFleet, "a broken change", when.Add(time.Hour))
	repoDir := server.Dir("fleet.git")

	renderedTip := func(t *testing.T) (plumbing.Hash, string) {
		t.Helper()
		repo, err := git.PlainOpen(repoDir)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := repo.Reference(plumbing.NewBranchReferenceName("gitfleet/rendered"), true)
		if err != nil {
			return plumbing.ZeroHash, ""
		}
		c, err := repo.CommitObject(ref.Hash())
		if err != nil {
			t.Fatal(err)
		}
		return ref.Hash(), c.Message
	}

	t.Run("a local repository", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "render", "--repo", repoDir, "--commit", "-q")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(HavePrefix("committed "))
		first, message := renderedTip(t)
		g.Expect(first.IsZero()).To(BeFalse())
		g.Expect(message).To(ContainSubstring("Source-Commit: " + source.String()))

		out, code = runGitfleet(t, "render", "--repo", repoDir, "--commit", "-q")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("no commit"), "an unchanged tree makes no commit")
		again, _ := renderedTip(t)
		g.Expect(again).To(Equal(first))

		out, code = runGitfleet(t, "render", "--repo", repoDir, "--commit", "--cluster-branches", "-q")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("gitfleet/rendered is up to date"))
		g.Expect(out).To(ContainSubstring("to gitfleet/cluster/aws-use1-prod ("), "each cluster's directory gets its branch")

		out, code = runGitfleet(t, "render", "--repo", repoDir, "--source-ref", broken.String(), "--commit")
		g.Expect(code).To(Equal(1), out)
		g.Expect(out).To(ContainSubstring(`policies/web.yaml:16: PropagationPolicy/web: unknown field "spec.unknownField"`))
		after, _ := renderedTip(t)
		g.Expect(after).To(Equal(first), "bad input does not move the rendered ref")
	})

	t.Run("an http repository needs --push", func(t *testing.T) {
		g := NewWithT(t)
		auth := server.Auth()
		t.Setenv("GITFLEET_GIT_USERNAME", auth.Username)
		t.Setenv("GITFLEET_GIT_PASSWORD", auth.Password)
		out, code := runGitfleet(t, "render", "--repo", server.URL("fleet.git"), "--commit", "-q")
		g.Expect(code).To(Equal(2))
		g.Expect(out).To(ContainSubstring("add --push"))

		out, code = runGitfleet(t, "render", "--repo", server.URL("fleet.git"), "--commit", "--push", "-q")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("no commit"), "the tree is the one the local render committed")
	})
}
