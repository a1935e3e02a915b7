package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// runGitfleet runs the CLI in-process and returns its output and exit code.
func runGitfleet(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	var exit *exitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.code
	default:
		return out.String() + err.Error(), 2
	}
}

// brokenFleet has one problem of each of a few sorts, in two files.
var brokenFleet = fstest.MapFS{
	"clusters/member1.yaml": {Data: []byte(`apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: member1
spec:
  syncMode: Push
  apiEndpoint: https://10.0.0.1:6443
`)},
	"policies/web.yaml": {Data: []byte(`apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: web
  namespace: shop
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    namespace: other
  placement:
    clusterAffinity:
      clusterNames: [member1]
    clusterAffinities:
    - affinityName: primary
  unknownField: true
`)},
}

var brokenFleetErrors = []string{
	`policies/web.yaml:10: PropagationPolicy/web: spec.resourceSelectors[0].namespace: Invalid value: "other": namespace of resource selector must be the same as the namespace of the policy`,
	"policies/web.yaml:14: PropagationPolicy/web: spec.placement.clusterAffinities: Forbidden: clusterAffinities cannot co-exist with clusterAffinity",
	`policies/web.yaml:16: PropagationPolicy/web: unknown field "spec.unknownField"`,
}

func writeTree(t *testing.T, tree fstest.MapFS) string {
	t.Helper()
	dir := t.TempDir()
	for p, f := range tree {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestValidateExampleFleet(t *testing.T) {
	g := NewWithT(t)
	out, code := runGitfleet(t, "validate", "--source", "../../fleet-repo-example")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(MatchRegexp(`^\.\./\.\./fleet-repo-example: valid — [1-9]\d* clusters, [1-9]\d* propagation policies`))
}

func TestValidateReportsEveryErrorWithFileAndLine(t *testing.T) {
	g := NewWithT(t)
	dir := writeTree(t, brokenFleet)
	out, code := runGitfleet(t, "validate", "--source", dir)
	g.Expect(code).To(Equal(1))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	g.Expect(lines).To(HaveLen(len(brokenFleetErrors) + 1))
	g.Expect(lines[:len(lines)-1]).To(Equal(brokenFleetErrors))
	g.Expect(lines[len(lines)-1]).To(Equal(dir + ": 3 error(s)"))

	out, code = runGitfleet(t, "validate", "--source", dir, "-o", "yaml")
	g.Expect(code).To(Equal(1))
	g.Expect(out).To(ContainSubstring("valid: false"))
	g.Expect(out).To(ContainSubstring("line: 16"))

	out, code = runGitfleet(t, "validate", "--source", dir, "-o", "json")
	g.Expect(code).To(Equal(1))
	var report struct {
		Valid  bool
		Errors []struct {
			Path, Kind, Name, Field, Message string
			Line                             int
		}
	}
	g.Expect(json.Unmarshal([]byte(out), &report)).To(Succeed())
	g.Expect(report.Valid).To(BeFalse())
	g.Expect(report.Errors).To(HaveLen(3))
	g.Expect(report.Errors[2].Path).To(Equal("policies/web.yaml"))
	g.Expect(report.Errors[2].Line).To(Equal(16))
	g.Expect(report.Errors[2].Field).To(Equal("spec.unknownField"))
	g.Expect(report.Errors[2].Kind).To(Equal("PropagationPolicy"))
}

func TestValidateUsage(t *testing.T) {
	g := NewWithT(t)
	out, code := runGitfleet(t, "validate")
	g.Expect(code).To(Equal(2))
	g.Expect(out).To(ContainSubstring("--source DIR or --repo PATH_OR_URL"))
	out, code = runGitfleet(t, "validate", "--source", "does-not-exist")
	g.Expect(code).To(Equal(2))
	g.Expect(out).To(ContainSubstring("does-not-exist"))
}

func TestValidateGitRepository(t *testing.T) {
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	server.PushDir(t, "fleet.git", "main", os.DirFS("../../fleet-repo-example"), "example fleet", when)
	_, broken := server.PushDir(t, "fleet.git", "broken", brokenFleet, "a broken change", when.Add(time.Hour))

	t.Run("local path", func(t *testing.T) {
		g := NewWithT(t)
		out, code := runGitfleet(t, "validate", "--repo", server.Dir("fleet.git"), "--source-ref", "main")
		g.Expect(code).To(Equal(0), out)
		g.Expect(out).To(ContainSubstring("@main ("))

		out, code = runGitfleet(t, "validate", "--repo", server.Dir("fleet.git"), "--source-ref", broken.String()[:10])
		g.Expect(code).To(Equal(1), out)
		g.Expect(out).To(ContainSubstring(`policies/web.yaml:16: PropagationPolicy/web: unknown field "spec.unknownField"`))
	})

	t.Run("http with credentials from the environment", func(t *testing.T) {
		g := NewWithT(t)
		auth := server.Auth()
		t.Setenv("GITFLEET_GIT_USERNAME", auth.Username)
		t.Setenv("GITFLEET_GIT_PASSWORD", auth.Password)
		out, code := runGitfleet(t, "validate", "--repo", server.URL("fleet.git"), "--source-ref", "main")
		g.Expect(code).To(Equal(0), out)

		out, code = runGitfleet(t, "validate", "--repo", server.URL("fleet.git"), "--source-ref", "broken", "-o", "json")
		g.Expect(code).To(Equal(1), out)
		g.Expect(out).To(ContainSubstring(`"line": 16`))
	})

	t.Run("http with a wrong password", func(t *testing.T) {
		g := NewWithT(t)
		t.Setenv("GITFLEET_GIT_USERNAME", gitstoretest.Username)
		t.Setenv("GITFLEET_GIT_PASSWORD", "not-the-password")
		out, code := runGitfleet(t, "validate", "--repo", server.URL("fleet.git"))
		g.Expect(code).To(Equal(2))
		g.Expect(out).NotTo(ContainSubstring("not-the-password"))
		g.Expect(out).To(ContainSubstring("fleet.git"))
	})
}
