package renderer

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

var update = flag.Bool("update", false, "rewrite the golden files of the render tests")

// renderTree loads and renders a tree that must be valid.
func renderTree(t *testing.T, fsys fs.FS, status *StatusView, prev *Previous) *Result {
	t.Helper()
	src, err := LoadSource(fsys, LoadOptions{})
	if err != nil {
		t.Fatalf("LoadSource: %v", err)
	}
	res, err := Render(src, status, prev, Options{Version: "test"})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return res
}

func TestRenderExampleFleetMatchesGolden(t *testing.T) {
	res := renderTree(t, os.DirFS("../fleet-repo-example"), nil, nil)
	golden := filepath.Join("testdata", "golden", "fleet-repo-example")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Tree.Paths() {
			data, _ := res.Tree.Get(p)
			full := filepath.Join(golden, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string]string{}
	err := filepath.WalkDir(golden, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(golden, p)
		want[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatalf("reading golden tree (run `go test ./renderer -run Golden -update` to create it): %v", err)
	}
	got := map[string]string{}
	for _, p := range res.Tree.Paths() {
		data, _ := res.Tree.Get(p)
		got[p] = string(data)
	}
	g := NewWithT(t)
	g.Expect(got).To(HaveLen(len(want)), "the rendered tree has exactly the golden files")
	for p, w := range want {
		g.Expect(got).To(HaveKey(p), "file %s is missing from the render", p)
		g.Expect(got[p]).To(Equal(w), "file %s differs from the golden tree (refresh with -update after checking the change)", p)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	g := NewWithT(t)
	example := os.DirFS("../fleet-repo-example")
	first := renderTree(t, example, nil, nil)
	for range 3 {
		g.Expect(renderTree(t, example, nil, nil).Tree.Equal(first.Tree)).To(BeTrue())
	}

	// The same objects in other files and another order render the same tree.
	docs := []string{clusterMember1, strings.ReplaceAll(clusterMember1, "member1", "member2"), deploymentWeb,
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: shop}\ndata: {a: b}\n",
		pp("web", "  propagateDeps: true\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}, {apiVersion: v1, kind: ConfigMap}]\n  placement: {replicaScheduling: {replicaSchedulingType: Divided}}\n")}
	together := map[string]string{"all.yaml": strings.Join(docs, "\n---\n")}
	apart := map[string]string{}
	for i, d := range docs {
		apart[fmt.Sprintf("z/%d-%d.yaml", len(docs)-i, i)] = d
	}
	a := renderTree(t, mapFS(together), nil, nil)
	b := renderTree(t, mapFS(apart), nil, nil)
	g.Expect(a.Tree.Paths()).To(Equal(b.Tree.Paths()))
	g.Expect(a.Tree.Equal(b.Tree)).To(BeTrue())
}

// capacityStatus is a status view giving each cluster room for the given number of pods.
func capacityStatus(pods map[string]string) *StatusView {
	view := &StatusView{Clusters: map[string]*v1alpha1.ClusterStatus{}}
	for name, n := range pods {
		view.Clusters[name] = &v1alpha1.ClusterStatus{
			Conditions: []metav1.Condition{{Type: "Ready", Status: metav1.ConditionTrue, Reason: "ClusterReady"}},
			APIEnablements: []v1alpha1.APIEnablement{{GroupVersion: "apps/v1", Resources: []v1alpha1.APIResource{{Name: "deployments", Kind: "Deployment"}}},
				{GroupVersion: "v1", Resources: []v1alpha1.APIResource{{Name: "configmaps", Kind: "ConfigMap"}}}},
			ResourceSummary: &v1alpha1.ResourceSummary{Allocatable: mustResources(map[string]string{"pods": n})},
		}
	}
	return view
}

func TestRenderKeepsDynamicDivisionSteady(t *testing.T) {
	g := NewWithT(t)
	fleet := func(replicas int) fs.FS {
		files := map[string]string{
			"web.yaml": strings.Replace(deploymentWeb, "replicas: 3", fmt.Sprintf("replicas: %d", replicas), 1),
			"pp.yaml": pp("web", "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n"+
				"  placement: {replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}}\n"),
		}
		for _, m := range []string{"m1", "m2", "m3"} {
			files["clusters/"+m+".yaml"] = strings.ReplaceAll(clusterMember1, "member1", m)
		}
		return mapFS(files)
	}
	status := capacityStatus(map[string]string{"m1": "4", "m2": "6", "m3": "8"})
	key := ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: "web"}

	// The previous render placed 12 replicas as m1:4, m2:8 with the same placement.
	first := renderTree(t, fleet(12), status, nil)
	prevBinding := first.Bindings[0].Binding.DeepCopy()
	g.Expect(first.Bindings[0].Template).To(Equal(key))
	prevBinding.Spec.Clusters = []v1alpha1.TargetCluster{{Name: "m1", Replicas: 4}, {Name: "m2", Replicas: 8}}
	prev := &Previous{Bindings: map[ObjectKey]*v1alpha1.ResourceBinding{key: prevBinding}}

	// Scaling to 24 keeps those and places the 12 new ones by capacity (semantics §2.4.3:
	// 12→24, previous 4/8, available 4:6:8, aggregated ⇒ 7/12/5).
	scaled := renderTree(t, fleet(24), status, prev)
	g.Expect(scaled.Bindings[0].Binding.Spec.Clusters).To(Equal([]v1alpha1.TargetCluster{
		{Name: "m1", Replicas: 7}, {Name: "m2", Replicas: 12}, {Name: "m3", Replicas: 5},
	}))
	manifest, ok := scaled.Tree.Get("karmada-es-m2/shop/apps.deployment.web.yaml")
	g.Expect(ok).To(BeTrue())
	g.Expect(string(manifest)).To(ContainSubstring("\n  replicas: 12\n"), "each cluster's copy runs its share")

	// Rendering again from that result changes nothing: the loop reaches a fixed point.
	again := renderTree(t, fleet(24), status, mustPrevious(t, scaled.Tree))
	g.Expect(again.Tree.Equal(scaled.Tree)).To(BeTrue())
}

func mustPrevious(t *testing.T, tree *Tree) *Previous {
	t.Helper()
	prev, err := LoadPrevious(tree.FS())
	if err != nil {
		t.Fatal(err)
	}
	return prev
}

func TestRenderRecordsUnschedulableTemplates(t *testing.T) {
	g := NewWithT(t)
	res := renderTree(t, mapFS(map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWeb,
		"pp.yaml": pp("web", "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n"+
			"  placement: {clusterAffinity: {clusterNames: [nowhere]}}\n"),
	}), nil, nil)
	g.Expect(res.Bindings).To(HaveLen(1))
	b := res.Bindings[0].Binding
	g.Expect(b.Spec.Clusters).To(BeEmpty())
	g.Expect(b.Status.Conditions).To(HaveLen(1))
	cond := b.Status.Conditions[0]
	g.Expect(cond.Type).To(Equal("Scheduled"))
	g.Expect(string(cond.Status)).To(Equal("False"))
	g.Expect(cond.Reason).To(Equal("NoClusterFit"))
	g.Expect(cond.Message).To(Equal("0/1 clusters are available: 1 cluster(s) did not match the placement cluster affinity constraint."))
	_, ok := res.Tree.Get("bindings/shop/apps.deployment.web.yaml")
	g.Expect(ok).To(BeTrue(), "an unschedulable template still has its binding, never a silent drop")
	_, ok = res.Tree.Get("karmada-es-member1/shop/apps.deployment.web.yaml")
	g.Expect(ok).To(BeFalse())
	_, ok = res.Tree.Get("karmada-es-member1/.gitfleet-cluster.yaml")
	g.Expect(ok).To(BeTrue(), "every cluster's directory has its inventory")
}

func TestRenderReportsOverridesThatDoNotApply(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n"),
		"op.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: broken, namespace: shop}
spec:
  overrideRules:
  - overriders:
      plaintext: [{path: /spec/does/not/exist, operator: replace, value: 1}]
`,
	})
	_, err := Render(src, nil, nil, Options{})
	var diags Diagnostics
	g.Expect(err).To(BeAssignableToTypeOf(diags))
	g.Expect(err.Error()).To(Equal(`op.yaml:7: OverridePolicy/broken: spec.overrideRules[0].overriders.plaintext[0]: replace operation does not apply: doc is missing path: "/spec/does/not/exist": missing value (overriding apps/Deployment/shop/web for cluster member1)`),
		"reported at the overrider that failed, naming the template and the cluster")
}

func TestRenderPropagatesNamespacesAndQuotas(t *testing.T) {
	g := NewWithT(t)
	res := renderTree(t, mapFS(map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + strings.ReplaceAll(clusterMember1, "member1", "member2"),
		"ns.yaml": `apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: private, labels: {namespace.karmada.io/skip-auto-propagation: "true"}}
`,
		"web.yaml": deploymentWeb,
		"pp.yaml": pp("web", "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n"+
			"  placement: {clusterAffinity: {clusterNames: [member1]}}\n"),
		"frq.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: FederatedResourceQuota
metadata: {name: team-a, namespace: team-a}
spec:
  overall: {cpu: "10"}
  staticAssignments: [{clusterName: member2, hard: {cpu: "4"}}]
`,
	}), nil, nil)
	for _, want := range []string{
		"karmada-es-member1/_cluster/core.namespace.team-a.yaml", // every namespace to every cluster
		"karmada-es-member2/_cluster/core.namespace.team-a.yaml",
		"karmada-es-member1/_cluster/core.namespace.shop.yaml", // a namespace a template uses, defined nowhere
		"karmada-es-member2/team-a/core.resourcequota.team-a.yaml",
	} {
		_, ok := res.Tree.Get(want)
		g.Expect(ok).To(BeTrue(), want)
	}
	for _, absent := range []string{
		"karmada-es-member2/_cluster/core.namespace.shop.yaml",    // nothing of shop goes there
		"karmada-es-member1/_cluster/core.namespace.private.yaml", // opted out
		"karmada-es-member1/team-a/core.resourcequota.team-a.yaml",
	} {
		_, ok := res.Tree.Get(absent)
		g.Expect(ok).To(BeFalse(), absent)
	}
	data, _ := res.Tree.Get("karmada-es-member1/_cluster/core.namespace.team-a.yaml")
	g.Expect(string(data)).To(Equal("apiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    team: a\n  name: team-a\n"))
}

func mustResources(m map[string]string) corev1.ResourceList {
	out := corev1.ResourceList{}
	for k, v := range m {
		out[corev1.ResourceName(k)] = resource.MustParse(v)
	}
	return out
}
