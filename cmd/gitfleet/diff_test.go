package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/review/reviewtest"
)

var pinnedPolicy = map[string]string{"policies/pinned.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: pinned, namespace: shop}
spec:
  priority: 10
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement:
    clusterAffinity: {clusterNames: [member1]}
    replicaScheduling: {replicaSchedulingType: Divided}
`}

const rescaleSummary = "1 templates moved, 2 objects changed in 2 clusters"

func TestDiffSourceRevisions(t *testing.T) {
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	_, rev1 := server.PushDir(t, "fleet.git", "main", reviewtest.SmallFleet(3, nil), "web: 3 replicas", when)
	_, rev2 := server.PushDir(t, "fleet.git", "main", reviewtest.SmallFleet(6, nil), "web: 6 replicas", when.Add(time.Hour))
	server.PushDir(t, "fleet.git", "broken", brokenFleet, "a broken change", when.Add(2*time.Hour))
	repo := server.Dir("fleet.git")

	t.Run("text", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "diff", "--repo", repo, "--base", rev1.String(), "--head", rev2.String()[:10])
		g.Expect(code).To(Equal(0), out)
		g.Expect(strings.SplitN(out, "\n", 2)[0]).To(Equal(rescaleSummary))
		// 3 → 6 over two clusters: 2/1 → 3/3, as the scheduler divides them.
		g.Expect(out).To(ContainSubstring("  apps/Deployment/shop/web  rescaled  replicas 3 → 6\n    member1  2 → 3\n    member2  1 → 3\n"))
		g.Expect(out).To(ContainSubstring("karmada-es-member2: 1 changed\n  ~ shop/apps.deployment.web.yaml (+1 -1)\n"))
		g.Expect(out).To(ContainSubstring("-  replicas: 1\n+  replicas: 3\n"))
	})

	t.Run("json", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "diff", "--repo", repo, "--base", rev1.String(), "--head", "main", "--format", "json")
		g.Expect(code).To(Equal(0), out)
		var d struct {
			Summary   struct{ TemplatesMoved, ObjectsChanged, ClustersChanged int }
			Templates []struct {
				Name, Change  string
				Before, After []struct {
					Cluster  string
					Replicas int
				}
			}
		}
		g.Expect(json.Unmarshal([]byte(out), &d)).To(Succeed())
		g.Expect(d.Summary.TemplatesMoved).To(Equal(1))
		g.Expect(d.Summary.ObjectsChanged).To(Equal(2))
		g.Expect(d.Summary.ClustersChanged).To(Equal(2))
		g.Expect(d.Templates).To(HaveLen(1))
		g.Expect(d.Templates[0].Change).To(Equal("Rescaled"))
		g.Expect(d.Templates[0].Before[0].Replicas).To(Equal(2))
		g.Expect(d.Templates[0].After[0].Replicas).To(Equal(3))
		g.Expect(d.Templates[0].Before[1].Replicas).To(Equal(1))
		g.Expect(d.Templates[0].After[1].Replicas).To(Equal(3))
	})

	t.Run("markdown", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "diff", "--repo", repo, "--base", rev1.String(), "--head", "main", "-o", "markdown")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(HavePrefix(rescaleSummary + "\n\n| Template |"))
		g.Expect(out).To(ContainSubstring("| `apps/Deployment/shop/web` | rescaled | 3 → 6 | `member1` 2 → 3<br>`member2` 1 → 3 |"))
		g.Expect(out).To(ContainSubstring("<details><summary><code>karmada-es-member1</code>: 1 changed</summary>"))
	})

	t.Run("no differences exits 0", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "diff", "--repo", repo, "--base", "main", "--head", rev2.String())
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(Equal("0 templates moved, 0 objects changed in 0 clusters\n"))
	})

	t.Run("an invalid revision exits 1 with file:line", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "diff", "--repo", repo, "--base", "main", "--head", "broken")
		g.Expect(code).To(Equal(1), out)
		g.Expect(out).To(HavePrefix("--head broken ("))
		for _, e := range brokenFleetErrors {
			g.Expect(out).To(ContainSubstring(e + "\n"))
		}
		g.Expect(out).NotTo(ContainSubstring("templates moved"))
	})

	t.Run("an unknown revision is a usage error", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "diff", "--repo", repo, "--base", "main", "--head", "no-such-branch")
		g.Expect(code).To(Equal(2), out)
		g.Expect(out).To(ContainSubstring("--head"))
	})
}

func TestDiffRendersBothRevisionsAgainstTheSamePreviousRender(t *testing.T) {
	g := NewWithT(t)
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	server.PushDir(t, "fleet.git", "main", reviewtest.SmallFleet(3, nil), "web over two clusters", when)
	server.PushDir(t, "fleet.git", "pin", reviewtest.SmallFleet(3, pinnedPolicy), "a higher-priority policy for web", when.Add(time.Hour))
	repo := server.Dir("fleet.git")

	// Without a previous render, nothing has claimed web yet: the higher-priority policy
	// takes it to member1 alone, and member2 loses web and the shop namespace.
	out, code := runGitfleet(t, "diff", "--repo", repo, "--base", "main", "--head", "pin")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(HavePrefix("1 templates moved, 3 objects changed in 2 clusters\n"))
	g.Expect(out).To(ContainSubstring("  apps/Deployment/shop/web  moved  replicas 3 → 3\n    member1  2 → 3\n    member2  1 → -\n"))

	// Once main is rendered, its policy has claimed web, and the claim sticks in both
	// renders (no preemption): the change moves nothing.
	out, code = runGitfleet(t, "render", "--repo", repo, "--source-ref", "main", "--commit", "-q")
	g.Expect(code).To(Equal(0), out)
	out, code = runGitfleet(t, "diff", "--repo", repo, "--base", "main", "--head", "pin")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(Equal("0 templates moved, 0 objects changed in 0 clusters\n"))

	// Another --rendered-ref (absent) means no previous render again.
	out, code = runGitfleet(t, "diff", "--repo", repo, "--base", "main", "--head", "pin", "--rendered-ref", "gitfleet/none")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(HavePrefix("1 templates moved, 3 objects changed in 2 clusters\n"))
}

func TestDiffRenderedDirectories(t *testing.T) {
	g := NewWithT(t)
	base, head := filepath.Join(t.TempDir(), "base"), filepath.Join(t.TempDir(), "head")
	out, code := runGitfleet(t, "render", "--source", writeTree(t, reviewtest.SmallFleet(3, nil)), "--out", base, "-q")
	g.Expect(code).To(Equal(0), out)
	out, code = runGitfleet(t, "render", "--source", writeTree(t, reviewtest.SmallFleet(6, nil)), "--out", head, "-q")
	g.Expect(code).To(Equal(0), out)

	out, code = runGitfleet(t, "diff", "--base-dir", base, "--head-dir", head)
	g.Expect(code).To(Equal(0), out)
	g.Expect(strings.SplitN(out, "\n", 2)[0]).To(Equal(rescaleSummary))
	g.Expect(out).To(ContainSubstring("    member1  2 → 3\n    member2  1 → 3\n"))
	g.Expect(out).To(ContainSubstring("--- a/karmada-es-member1/shop/apps.deployment.web.yaml\n+++ b/karmada-es-member1/shop/apps.deployment.web.yaml\n"))

	out, code = runGitfleet(t, "diff", "--base-dir", head, "--head-dir", base, "--format", "markdown", "--max-bytes", "2000")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(HavePrefix(rescaleSummary + "\n"))
	g.Expect(out).To(ContainSubstring("`member1` 3 → 2<br>`member2` 3 → 1"))
	g.Expect(len(out)).To(BeNumerically("<=", 2000))

	out, code = runGitfleet(t, "diff", "--base-dir", head, "--head-dir", head)
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(Equal("0 templates moved, 0 objects changed in 0 clusters\n"))
}

func TestDiffUsage(t *testing.T) {
	rendered := filepath.Join(t.TempDir(), "rendered")
	if out, code := runGitfleet(t, "render", "--source", writeTree(t, reviewtest.SmallFleet(3, nil)), "--out", rendered, "-q"); code != 0 {
		t.Fatal(out)
	}
	source := writeTree(t, reviewtest.SmallFleet(3, nil))
	cases := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"nothing to compare", nil, 2, "--base-dir DIR --head-dir DIR, or --repo PATH_OR_URL --base REV --head REV"},
		{"one directory", []string{"--base-dir", rendered}, 2, "--base-dir and --head-dir go together"},
		{"a revision without a repository", []string{"--base", "main", "--head", "x"}, 2, "--repo, --base and --head go together"},
		{"both ways at once", []string{"--base-dir", rendered, "--head-dir", rendered, "--repo", "."}, 2, "not both"},
		{"an unknown format", []string{"--base-dir", rendered, "--head-dir", rendered, "--format", "yaml"}, 2, `unsupported format "yaml"`},
		{"a missing directory", []string{"--base-dir", rendered, "--head-dir", "does-not-exist"}, 2, "does-not-exist"},
		{"a source tree where a rendered one belongs", []string{"--base-dir", rendered, "--head-dir", source}, 1, "not a rendered tree"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, append([]string{"diff"}, tc.args...)...)
			g.Expect(code).To(Equal(tc.code), out)
			g.Expect(out).To(ContainSubstring(tc.says))
		})
	}
}
