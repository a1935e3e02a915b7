package main

import (
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/reconciler/devcluster"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

func TestControllerOnce(t *testing.T) {
	g := NewWithT(t)
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: []string{"member1"}})
	server := gitstoretest.NewServer(t)
	when := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	files := fstest.MapFS{
		"clusters/member1.yaml": {Data: []byte(fmt.Sprintf(
			"apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: member1}\nspec: {syncMode: Push, apiEndpoint: %q}\n",
			fleet.Cluster("member1").Config.Host))},
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
  placement: {clusterAffinity: {clusterNames: [member1]}}
`)},
	}
	server.PushDir(t, "fleet.git", "main", files, "Fleet", when)
	repo := server.Dir("fleet.git")

	out, code := runGitfleet(t, "controller", "--repo", repo, "--credentials-dir", fleet.Dir, "--once")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(ContainSubstring("(changed: true)"))
	g.Expect(out).To(ContainSubstring("member1: 1 applied, 0 unchanged"))

	out, code = runGitfleet(t, "controller", "--repo", repo, "--credentials-dir", fleet.Dir, "--once")
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(ContainSubstring("member1: 0 applied, 1 unchanged"))
	g.Expect(out).NotTo(ContainSubstring("(changed: true)"), "a converged fleet makes no commit")

	out, code = runGitfleet(t, "status", "--repo", repo)
	g.Expect(code).To(Equal(0), out)
	g.Expect(out).To(MatchRegexp(`member1\s+True \(ClusterReady\)\s+[0-9a-f]{12}\s+1\s+0`))
	g.Expect(out).To(MatchRegexp(`ConfigMap/default/settings\s+1\s+1\s+1\s+-`))

	files["app.yaml"] = &fstest.MapFile{Data: []byte("kind: ConfigMap\napiVersion: v1\nmetadata: [\n")}
	server.PushDir(t, "fleet.git", "main", files, "Break it", when.Add(time.Hour))
	out, code = runGitfleet(t, "controller", "--repo", repo, "--credentials-dir", fleet.Dir, "--once")
	g.Expect(code).To(Equal(1), out)
	g.Expect(out).To(ContainSubstring("app.yaml:"))
	g.Expect(out).To(ContainSubstring("member1: 0 applied, 1 unchanged"), "the last good render stays applied")
}
