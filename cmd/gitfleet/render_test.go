package main

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
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
