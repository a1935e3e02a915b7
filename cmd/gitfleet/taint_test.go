package main

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

func TestTaintAndCordonOverHTTP(t *testing.T) {
	server := gitstoretest.NewServer(t)
	url, _ := server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet",
		time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	auth := server.Auth()
	t.Setenv("GITFLEET_GIT_USERNAME", auth.Username)
	t.Setenv("GITFLEET_GIT_PASSWORD", auth.Password)
	dir := server.Dir("fleet.git")
	example, err := os.ReadFile("../../fleet-repo-example/clusters/aws-euw1-prod.yaml")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("taint adds a NoExecute taint with the commit's time and nothing else", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "taint", "aws-euw1-prod", "maintenance=db:NoExecute", "--repo", url, "--push")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("tainted cluster aws-euw1-prod (maintenance=db:NoExecute): committed clusters/aws-euw1-prod.yaml to " + url + "@main"))
		commit, files := branchTip(t, dir, "main")
		g.Expect(commit.Message).To(Equal("Taint cluster aws-euw1-prod: maintenance=db:NoExecute\n\nEdit spec.taints in clusters/aws-euw1-prod.yaml.\n"))
		g.Expect(commit.Author.Name).To(Equal("gitfleet"))
		added := "  taints:\n  - key: maintenance\n    value: db\n    effect: NoExecute\n    timeAdded: \"" +
			commit.Author.When.UTC().Format(time.RFC3339) + "\"\n"
		g.Expect(files["clusters/aws-euw1-prod.yaml"]).To(Equal(string(example)+added), "appended to an unsorted spec; comments stay")
		c := clusterNamed(g, loadFiles(t, files).Clusters, "aws-euw1-prod")
		g.Expect(c.Spec.Taints).To(HaveLen(1))
		g.Expect(c.Spec.Taints[0].TimeAdded.Time.Equal(commit.Author.When)).To(BeTrue())
	})

	t.Run("changing the value needs --overwrite", func(t *testing.T) {
		g := NewWithT(t)
		before, _ := branchTip(t, dir, "main")
		out, code := runGitfleet(t, "taint", "aws-euw1-prod", "maintenance=network:NoExecute", "--repo", url, "--push")
		g.Expect(code).NotTo(Equal(0))
		g.Expect(out).To(ContainSubstring("use --overwrite to change it to maintenance=network:NoExecute"))
		after, _ := branchTip(t, dir, "main")
		g.Expect(after.Hash).To(Equal(before.Hash))

		out, code = runGitfleet(t, "taint", "aws-euw1-prod", "maintenance=network:NoExecute", "--overwrite", "--repo", url, "--push")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("taint: maintenance=network:NoExecute\n"))
	})

	t.Run("KEY- removes the taint and the field", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "taint", "aws-euw1-prod", "maintenance-", "--repo", url, "--push")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("taints: none"))
		commit, files := branchTip(t, dir, "main")
		g.Expect(commit.Message).To(HavePrefix("Taint cluster aws-euw1-prod: maintenance-\n"))
		g.Expect(files["clusters/aws-euw1-prod.yaml"]).To(Equal(string(example)), "back to the file as it was")
	})

	t.Run("cordon of a cordoned cluster commits nothing", func(t *testing.T) {
		g := NewWithT(t)
		before, _ := branchTip(t, dir, "main")
		out, code := runGitfleet(t, "cordon", "gcp-ase1-prod", "--repo", url, "--push")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("cluster gcp-ase1-prod is already cordoned: nothing to commit"))
		after, _ := branchTip(t, dir, "main")
		g.Expect(after.Hash).To(Equal(before.Hash))
	})

	t.Run("uncordon and cordon again", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "uncordon", "gcp-ase1-prod", "--repo", url, "--push")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("uncordoned cluster gcp-ase1-prod: committed clusters/gcp-ase1-prod.yaml"))
		commit, files := branchTip(t, dir, "main")
		g.Expect(commit.Message).To(HavePrefix("Uncordon cluster gcp-ase1-prod\n"))
		g.Expect(files["clusters/gcp-ase1-prod.yaml"]).NotTo(ContainSubstring("taints"))
		g.Expect(files["clusters/gcp-ase1-prod.yaml"]).NotTo(ContainSubstring("# Cordoned"), "the taints' comment goes with them")
		loadFiles(t, files)

		out, code = runGitfleet(t, "uncordon", "gcp-ase1-prod", "--repo", url, "--push")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("cluster gcp-ase1-prod is not cordoned: nothing to commit"))

		out, code = runGitfleet(t, "cordon", "gcp-ase1-prod", "--repo", url, "--push")
		g.Expect(code).To(Equal(0), out)
		commit, files = branchTip(t, dir, "main")
		g.Expect(commit.Message).To(HavePrefix("Cordon cluster gcp-ase1-prod\n"))
		g.Expect(files["clusters/gcp-ase1-prod.yaml"]).To(HaveSuffix("  - asia-southeast1-b\n  taints:\n  - key: cluster.karmada.io/unschedulable\n    effect: NoSchedule\n"))
		g.Expect(clusterNamed(g, loadFiles(t, files).Clusters, "gcp-ase1-prod").Spec.Taints).To(
			Equal([]corev1.Taint{{Key: "cluster.karmada.io/unschedulable", Effect: corev1.TaintEffectNoSchedule}}))
	})
}

func TestTaintErrors(t *testing.T) {
	server := gitstoretest.NewServer(t)
	server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet",
		time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	repo := server.Dir("fleet.git")
	before, _ := branchTip(t, repo, "main")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"an unknown cluster", []string{"taint", "nope", "a=b:NoSchedule"}, "unknown cluster: branch main defines no Cluster nope"},
		{"cordon of an unknown cluster", []string{"cordon", "nope", "--source-ref", "main"}, "branch main defines no Cluster nope"},
		{"a missing branch", []string{"uncordon", "gcp-ase1-prod", "--source-ref", "mian"}, "branch mian does not exist"},
		{"a spec without effect", []string{"taint", "aws-euw1-prod", "a=b"}, `invalid taint spec "a=b": want KEY[=VALUE]:EFFECT`},
		{"a bad effect", []string{"taint", "aws-euw1-prod", "a=b:Evict"}, `effect "Evict": want NoSchedule, PreferNoSchedule or NoExecute`},
		{"a bad key", []string{"taint", "aws-euw1-prod", "a b:NoSchedule"}, `key "a b"`},
		{"PreferNoSchedule", []string{"taint", "aws-euw1-prod", "a:PreferNoSchedule"}, `Unsupported value: "PreferNoSchedule"`},
		{"removing a taint that is not there", []string{"taint", "aws-euw1-prod", "a:NoSchedule-"}, "taint not found: the cluster has no taint a:NoSchedule"},
		{"no taints", []string{"taint", "aws-euw1-prod"}, "requires at least 2 arg(s)"},
		{"cordon without a name", []string{"cordon"}, "accepts 1 arg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			args := tc.args
			if len(args) > 1 {
				args = append(append([]string{}, args...), "--repo", repo)
			}
			out, code := runGitfleet(t, args...)
			g.Expect(code).NotTo(Equal(0))
			g.Expect(out).To(ContainSubstring(tc.want))
			after, _ := branchTip(t, repo, "main")
			g.Expect(after.Hash).To(Equal(before.Hash))
			g.Expect(strings.Count(out, "\n")).To(BeNumerically("<", 5))
		})
	}
}

// clusterNamed returns the cluster of that name, failing when there is none.
func clusterNamed(g Gomega, clusters []*v1alpha1.Cluster, name string) *v1alpha1.Cluster {
	i := slices.IndexFunc(clusters, func(c *v1alpha1.Cluster) bool { return c.Name == name })
	g.Expect(i).To(BeNumerically(">=", 0), "no cluster %s", name)
	return clusters[i]
}
