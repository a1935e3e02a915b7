package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/devcluster"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// The hub renders for a Pull cluster, `gitfleet agent --once` applies it and reports, and
// the hub folds the report into the status `gitfleet status` shows.
func TestAgentOnce(t *testing.T) {
	g := NewWithT(t)
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: []string{"edge1"}})
	server := gitstoretest.NewServer(t)
	files := fstest.MapFS{
		"clusters/edge1.yaml": {Data: []byte("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: edge1}\nspec: {syncMode: Pull}\n")},
		"app.yaml": {Data: []byte(`apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data: {color: blue}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: settings, namespace: default}
spec:
  resourceSelectors: [{apiVersion: v1, kind: ConfigMap, name: settings}]
  placement: {clusterAffinity: {clusterNames: [edge1]}}
`)},
	}
	server.PushDir(t, "fleet.git", "main", files, "Fleet", time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	url := server.URL("fleet.git")
	passwordFile := filepath.Join(t.TempDir(), "password")
	g.Expect(os.WriteFile(passwordFile, []byte(server.Auth().Password+"\n"), 0o600)).To(Succeed())
	kubeconfig := filepath.Join(fleet.Dir, "edge1.kubeconfig")
	agentArgs := []string{"agent", "--cluster", "edge1", "--repo", url, "--kubeconfig", kubeconfig,
		"--git-username", server.Auth().Username, "--git-password-file", passwordFile, "--once"}

	out, code := runGitfleet(t, agentArgs...)
	g.Expect(code).To(Equal(1), out)
	g.Expect(out).To(ContainSubstring("the rendered ref gitfleet/rendered does not exist: nothing applied"))
	g.Expect(out).NotTo(ContainSubstring(server.Auth().Password))

	repo := server.Dir("fleet.git")
	out, code = runGitfleet(t, "controller", "--repo", repo, "--once")
	g.Expect(code).To(Equal(0), out)
	out, code = runGitfleet(t, agentArgs...)
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(MatchRegexp(`cluster edge1: rendered [0-9a-f]{12}: 1 applied, 0 unchanged`))
	out, code = runGitfleet(t, "controller", "--repo", repo, "--once")
	g.Expect(code).To(Equal(0), out)
	out, code = runGitfleet(t, "status", "--repo", repo)
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(MatchRegexp(`edge1\s+True \(ClusterReady\)\s+[0-9a-f]{12}\s+1\s+0`))
}

func TestAgentErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	token := filepath.Join(dir, "token")
	for p, data := range map[string]string{empty: "\n", token: "t0k3n\n"} {
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	base := []string{"agent", "--cluster", "edge1", "--repo", dir, "--kubeconfig", filepath.Join(dir, "absent.kubeconfig")}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{name: "no cluster", args: []string{"agent", "--repo", dir}, want: "--repo and --cluster are required"},
		{name: "token and password", args: append(base, "--git-token-file", token, "--git-password-file", token), want: "exclude each other"},
		{name: "user without password", args: append(base, "--git-username", "ops"), want: "--git-username needs --git-password-file"},
		{name: "empty token", args: append(base, "--git-token-file", empty), want: fmt.Sprintf("--git-token-file: %s is empty", empty)},
		{name: "known hosts without key", args: append(base, "--git-known-hosts-file", token), want: "--git-known-hosts-file needs --git-ssh-key-file"},
		{name: "missing kubeconfig", args: base, want: "--kubeconfig:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			out, code := runGitfleet(t, tc.args...)
			g.Expect(code).To(Equal(2), out)
			g.Expect(out).To(ContainSubstring(tc.want))
			g.Expect(out).NotTo(ContainSubstring("t0k3n"))
		})
	}
}
