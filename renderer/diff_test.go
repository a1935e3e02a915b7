package renderer

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// bound describes one binding of a hand-made rendered tree.
type bound struct {
	key      ObjectKey
	replicas int32
	clusters []v1alpha1.TargetCluster
	// requiredBy are the clusters of the workloads the template is a dependency of.
	requiredBy []string
	// scheduled is the Scheduled condition's status ("" for none) and reason.
	scheduled, reason string
}

var (
	webKey    = ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: "web"}
	configKey = ObjectKey{Kind: "ConfigMap", Namespace: "shop", Name: "web-config"}
)

// on is a shorthand for a placement: on("m1", 2, "m2", 1).
func on(pairs ...any) []v1alpha1.TargetCluster {
	var out []v1alpha1.TargetCluster
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, v1alpha1.TargetCluster{Name: pairs[i].(string), Replicas: int32(pairs[i+1].(int))})
	}
	return out
}

// renderedTree builds a rendered tree from bindings and files (paths from the tree root).
// Every cluster directory named in files gets an inventory, as a render writes one.
func renderedTree(t *testing.T, bindings []bound, files map[string]string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, b := range bindings {
		rb := v1alpha1.ResourceBinding{}
		rb.APIVersion, rb.Kind = "work.karmada.io/v1alpha2", "ResourceBinding"
		rb.Name, rb.Namespace = BindingName(b.key.Kind, b.key.Name), b.key.Namespace
		apiVersion := "v1"
		if b.key.Group != "" {
			apiVersion = b.key.Group + "/v1"
		}
		rb.Spec.Resource = v1alpha1.ObjectReference{APIVersion: apiVersion, Kind: b.key.Kind, Namespace: b.key.Namespace, Name: b.key.Name}
		rb.Spec.Replicas, rb.Spec.Clusters = b.replicas, b.clusters
		if len(b.requiredBy) > 0 {
			snap := v1alpha1.BindingSnapshot{Namespace: "shop", Name: "web-deployment"}
			for _, c := range b.requiredBy {
				snap.Clusters = append(snap.Clusters, v1alpha1.TargetCluster{Name: c, Replicas: 7})
			}
			rb.Spec.RequiredBy = []v1alpha1.BindingSnapshot{snap}
		}
		if b.scheduled != "" {
			rb.Status.Conditions = []metav1.Condition{{Type: "Scheduled", Status: metav1.ConditionStatus(b.scheduled), Reason: b.reason,
				Message: "0/2 clusters are available: 2 cluster(s) did not match the placement cluster affinity constraint."}}
		}
		data, err := yaml.Marshal(rb)
		if err != nil {
			t.Fatal(err)
		}
		out["bindings/"+ManifestPath(b.key.Group, b.key.Kind, b.key.Namespace, b.key.Name)] = &fstest.MapFile{Data: data}
	}
	for p, data := range files {
		out[p] = &fstest.MapFile{Data: []byte(data)}
		if dir, _, ok := strings.Cut(p, "/"); ok && strings.HasPrefix(dir, "karmada-es-") {
			out[dir+"/.gitfleet-cluster.yaml"] = &fstest.MapFile{Data: []byte("inventory of " + p + "\n")}
		}
	}
	return out
}

// webManifest is the web Deployment as a cluster receives it with the given replicas.
func webManifest(replicas int) string {
	return fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: %d\n  selector:\n    matchLabels:\n      app: web\n  template:\n    spec:\n      containers:\n        - image: nginx:1.27\n          name: web\n", replicas)
}

const webPath = "shop/apps.deployment.web.yaml"

// describeTemplate is a TemplateDiff in one line: key, change, each cluster's move, flags.
func describeTemplate(t TemplateDiff) string {
	parts := []string{t.Key().String(), string(t.Change)}
	for _, mv := range t.Moves() {
		parts = append(parts, mv.Cluster+":"+placementWord(t, mv.Before)+"→"+placementWord(t, mv.After))
	}
	if t.Unschedulable {
		parts = append(parts, "!unschedulable:"+t.Reason)
	}
	if t.LosesAllPlacement {
		parts = append(parts, "!loses-all-placement")
	}
	return strings.Join(parts, " ")
}

// describeCluster is a ClusterDiff in one line: cluster, directory change, +added -removed
// ~changed paths.
func describeCluster(c ClusterDiff) string {
	parts := []string{c.Cluster}
	if c.Directory != "" {
		parts = append(parts, "dir:"+string(c.Directory))
	}
	for _, o := range c.Objects {
		parts = append(parts, map[DiffChange]string{ChangeAdded: "+", ChangeRemoved: "-", ChangeModified: "~"}[o.Change]+o.Path)
	}
	return strings.Join(parts, " ")
}

func TestDiffTrees(t *testing.T) {
	unchanged := map[string]string{
		"karmada-es-m1/_cluster/core.namespace.shop.yaml": "kind: Namespace\n",
		"karmada-es-m2/_cluster/core.namespace.shop.yaml": "kind: Namespace\n",
	}
	with := func(files map[string]string) map[string]string {
		out := map[string]string{}
		for p, d := range unchanged {
			out[p] = d
		}
		for p, d := range files {
			out[p] = d
		}
		return out
	}
	web := func(clusters ...any) bound {
		return bound{key: webKey, replicas: 3, clusters: on(clusters...), scheduled: "True", reason: "Success"}
	}
	cases := []struct {
		name                 string
		base, head           []bound
		baseFiles, headFiles map[string]string
		summary              string
		templates, clusters  []string
	}{{
		name:      "identical trees",
		base:      []bound{web("m1", 2, "m2", 1)},
		head:      []bound{web("m1", 2, "m2", 1)},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(2)}),
		headFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(2)}),
		summary:   "0 templates moved, 0 objects changed in 0 clusters",
	}, {
		name: "inventories, README and provenance are not objects",
		base: []bound{web("m1", 3)}, head: []bound{web("m1", 3)},
		baseFiles: with(map[string]string{"README.md": "old\n", ".gitfleet/provenance.yaml": "sourceCommit: aaa\n"}),
		headFiles: with(map[string]string{"README.md": "new\n", ".gitfleet/provenance.yaml": "sourceCommit: bbb\n",
			"karmada-es-m1/.gitfleet-cluster.yaml": "a different inventory\n"}),
		summary: "0 templates moved, 0 objects changed in 0 clusters",
	}, {
		name:      "template added",
		head:      []bound{web("m1", 2, "m2", 1)},
		baseFiles: with(nil),
		headFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(2), "karmada-es-m2/" + webPath: webManifest(1)}),
		summary:   "1 templates moved, 2 objects changed in 2 clusters",
		templates: []string{"apps/Deployment/shop/web Added m1:-→2 m2:-→1"},
		clusters:  []string{"m1 +" + webPath, "m2 +" + webPath},
	}, {
		name:      "template removed",
		base:      []bound{web("m1", 3)},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(3)}),
		headFiles: with(nil),
		summary:   "1 templates moved, 1 objects changed in 1 clusters",
		templates: []string{"apps/Deployment/shop/web Removed m1:3→-"},
		clusters:  []string{"m1 -" + webPath},
	}, {
		name:      "moved to another cluster",
		base:      []bound{web("m1", 2, "m2", 1)},
		head:      []bound{web("m1", 2, "m3", 1)},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(2), "karmada-es-m2/" + webPath: webManifest(1)}),
		headFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(2), "karmada-es-m3/" + webPath: webManifest(1)}),
		summary:   "1 templates moved, 2 objects changed in 2 clusters",
		templates: []string{"apps/Deployment/shop/web Moved m1:2→2 m2:1→- m3:-→1"},
		clusters:  []string{"m2 -" + webPath, "m3 dir:Added +" + webPath},
	}, {
		name:      "rescaled on the same clusters",
		base:      []bound{web("m1", 2, "m2", 1)},
		head:      []bound{{key: webKey, replicas: 6, clusters: on("m1", 3, "m2", 3), scheduled: "True"}},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(2), "karmada-es-m2/" + webPath: webManifest(1)}),
		headFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(3), "karmada-es-m2/" + webPath: webManifest(3)}),
		summary:   "1 templates moved, 2 objects changed in 2 clusters",
		templates: []string{"apps/Deployment/shop/web Rescaled m1:2→3 m2:1→3"},
		clusters:  []string{"m1 ~" + webPath, "m2 ~" + webPath},
	}, {
		name:      "unschedulable, losing all placement",
		base:      []bound{web("m1", 3)},
		head:      []bound{{key: webKey, replicas: 3, scheduled: "False", reason: "NoClusterFit"}},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(3)}),
		headFiles: with(nil),
		summary:   "1 templates moved, 1 objects changed in 1 clusters",
		templates: []string{"apps/Deployment/shop/web Moved m1:3→- !unschedulable:NoClusterFit !loses-all-placement"},
		clusters:  []string{"m1 -" + webPath},
	}, {
		name:      "unschedulable while keeping its placement is listed, not counted",
		base:      []bound{web("m1", 3)},
		head:      []bound{{key: webKey, replicas: 3, clusters: on("m1", 3), scheduled: "False", reason: "NoClusterFit"}},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(3)}),
		headFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(3)}),
		summary:   "0 templates moved, 0 objects changed in 0 clusters",
		templates: []string{"apps/Deployment/shop/web Kept m1:3→3 !unschedulable:NoClusterFit"},
	}, {
		name:      "a template added unschedulable is flagged but has not moved",
		head:      []bound{{key: webKey, replicas: 3, scheduled: "False", reason: "NoClusterFit"}},
		baseFiles: with(nil), headFiles: with(nil),
		summary:   "0 templates moved, 0 objects changed in 0 clusters",
		templates: []string{"apps/Deployment/shop/web Added !unschedulable:NoClusterFit"},
	}, {
		name: "a dependency moves with its workload's clusters, not its replicas",
		base: []bound{web("m1", 3), {key: configKey, requiredBy: []string{"m1"}}},
		head: []bound{{key: webKey, replicas: 4, clusters: on("m1", 4)}, {key: configKey, requiredBy: []string{"m1", "m2"}}},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(3),
			"karmada-es-m1/shop/core.configmap.web-config.yaml": "kind: ConfigMap\n"}),
		headFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(4),
			"karmada-es-m1/shop/core.configmap.web-config.yaml": "kind: ConfigMap\n",
			"karmada-es-m2/shop/core.configmap.web-config.yaml": "kind: ConfigMap\n"}),
		summary: "2 templates moved, 2 objects changed in 2 clusters",
		templates: []string{
			"ConfigMap/shop/web-config Moved m1:dependency→dependency m2:-→dependency",
			"apps/Deployment/shop/web Rescaled m1:3→4",
		},
		clusters: []string{"m1 ~" + webPath, "m2 +shop/core.configmap.web-config.yaml"},
	}, {
		name:      "an override changes a manifest without moving anything",
		base:      []bound{web("m1", 3)},
		head:      []bound{web("m1", 3)},
		baseFiles: with(map[string]string{"karmada-es-m1/" + webPath: webManifest(3)}),
		headFiles: with(map[string]string{"karmada-es-m1/" + webPath: strings.Replace(webManifest(3), "nginx:1.27", "registry.eu/nginx:1.27", 1)}),
		summary:   "0 templates moved, 1 objects changed in 1 clusters",
		clusters:  []string{"m1 ~" + webPath},
	}, {
		name:      "a cluster leaving the fleet",
		baseFiles: with(map[string]string{"karmada-es-m9/_cluster/core.namespace.shop.yaml": "kind: Namespace\n"}),
		headFiles: with(nil),
		summary:   "0 templates moved, 1 objects changed in 1 clusters",
		clusters:  []string{"m9 dir:Removed -_cluster/core.namespace.shop.yaml"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			d, err := DiffTrees(renderedTree(t, tc.base, tc.baseFiles), renderedTree(t, tc.head, tc.headFiles))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(d.Summary.String()).To(Equal(tc.summary))
			var templates, clusters []string
			for _, tpl := range d.Templates {
				templates = append(templates, describeTemplate(tpl))
			}
			for _, c := range d.Clusters {
				clusters = append(clusters, describeCluster(c))
			}
			g.Expect(templates).To(Equal(tc.templates))
			g.Expect(clusters).To(Equal(tc.clusters))

			// The reverse diff mirrors it: the same counts.
			back, err := DiffTrees(renderedTree(t, tc.head, tc.headFiles), renderedTree(t, tc.base, tc.baseFiles))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(back.Summary.ObjectsChanged).To(Equal(d.Summary.ObjectsChanged))
			g.Expect(back.Summary.ClustersChanged).To(Equal(d.Summary.ClustersChanged))
			g.Expect(back.Summary.TemplatesMoved).To(Equal(d.Summary.TemplatesMoved))
		})
	}
}

func TestDiffTreesOfTwoRenders(t *testing.T) {
	g := NewWithT(t)
	fleet := func(replicas int) fstest.MapFS {
		return mapFS(map[string]string{
			"clusters.yaml": clusterMember1 + "---\n" + strings.ReplaceAll(clusterMember1, "member1", "member2"),
			"web.yaml":      strings.Replace(deploymentWeb, "replicas: 3", fmt.Sprintf("replicas: %d", replicas), 1),
			"pp.yaml": pp("web", "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n"+
				"  placement: {replicaScheduling: {replicaSchedulingType: Divided}}\n"),
		})
	}
	base, head := renderTree(t, fleet(3), nil, nil), renderTree(t, fleet(6), nil, nil)
	d, err := DiffTrees(base.Tree.FS(), head.Tree.FS())
	g.Expect(err).NotTo(HaveOccurred())
	// Divided, weighted equally over two clusters (Webster, ties to the smaller name):
	// 3 → 2/1 and 6 → 3/3.
	g.Expect(d.Summary.String()).To(Equal("1 templates moved, 2 objects changed in 2 clusters"))
	g.Expect(d.Templates).To(HaveLen(1))
	g.Expect(describeTemplate(d.Templates[0])).To(Equal("apps/Deployment/shop/web Rescaled member1:2→3 member2:1→3"))
	g.Expect(d.Templates[0].ReplicasBefore).To(BeEquivalentTo(3))
	g.Expect(d.Templates[0].ReplicasAfter).To(BeEquivalentTo(6))
	g.Expect(d.Clusters[1].Objects[0].Diff).To(Equal(`--- a/karmada-es-member2/shop/apps.deployment.web.yaml
+++ b/karmada-es-member2/shop/apps.deployment.web.yaml
@@ -4,7 +4,7 @@
   name: web
   namespace: shop
 spec:
-  replicas: 1
+  replicas: 3
   selector:
     matchLabels:
       app: web
`))

	same, err := DiffTrees(head.Tree.FS(), head.Tree.FS())
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(same.Summary.String()).To(Equal("0 templates moved, 0 objects changed in 0 clusters"))
	g.Expect(same.Templates).To(BeEmpty())
	g.Expect(same.Clusters).To(BeEmpty())

	// Against nothing, everything is added.
	fresh, err := DiffTrees(nil, head.Tree.FS())
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(fresh.Summary.String()).To(Equal("1 templates moved, 4 objects changed in 2 clusters"), "the Deployment and the shop namespace, in each cluster")
}

func TestDiffTreesRejectsUnreadableBindings(t *testing.T) {
	g := NewWithT(t)
	broken := fstest.MapFS{"bindings/shop/apps.deployment.web.yaml": {Data: []byte("spec: [not, a, binding\n")}}
	_, err := DiffTrees(broken, fstest.MapFS{})
	g.Expect(err).To(MatchError(ContainSubstring("base tree: ")))
	g.Expect(err).To(MatchError(ContainSubstring("bindings/shop/apps.deployment.web.yaml")))
}

func TestCheckRenderedTree(t *testing.T) {
	g := NewWithT(t)
	g.Expect(CheckRenderedTree(fstest.MapFS{".gitfleet/provenance.yaml": {}})).To(Succeed())
	g.Expect(CheckRenderedTree(fstest.MapFS{"karmada-es-m1/.gitfleet-cluster.yaml": {}})).To(Succeed())
	g.Expect(CheckRenderedTree(fstest.MapFS{"clusters/m1.yaml": {}, "apps/web.yaml": {}})).To(MatchError(ErrNotRenderedTree))
}

func TestUnifiedDiff(t *testing.T) {
	lines := func(from, to int) string {
		var b strings.Builder
		for i := from; i <= to; i++ {
			fmt.Fprintf(&b, "line %d\n", i)
		}
		return b.String()
	}
	cases := []struct {
		name, old, new, want string
		added, removed       int
	}{{
		name: "equal texts", old: "a\nb\n", new: "a\nb\n", want: "",
	}, {
		name: "one line replaced, context on both sides",
		old:  lines(1, 10), new: strings.Replace(lines(1, 10), "line 5\n", "line five\n", 1),
		want:  "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n",
		added: 1, removed: 1,
	}, {
		name: "changes six lines apart share a hunk",
		old:  lines(1, 12), new: strings.NewReplacer("line 2\n", "", "line 9\n", "").Replace(lines(1, 12)),
		want:    "--- a/f\n+++ b/f\n@@ -1,12 +1,10 @@\n line 1\n-line 2\n line 3\n line 4\n line 5\n line 6\n line 7\n line 8\n-line 9\n line 10\n line 11\n line 12\n",
		removed: 2,
	}, {
		name: "changes seven lines apart get two hunks",
		old:  lines(1, 13), new: strings.NewReplacer("line 2\n", "", "line 10\n", "").Replace(lines(1, 13)),
		want:    "--- a/f\n+++ b/f\n@@ -1,5 +1,4 @@\n line 1\n-line 2\n line 3\n line 4\n line 5\n@@ -7,7 +6,6 @@\n line 7\n line 8\n line 9\n-line 10\n line 11\n line 12\n line 13\n",
		removed: 2,
	}, {
		name: "from nothing", old: "", new: "a\nb\n",
		want:  "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n",
		added: 2,
	}, {
		name: "to nothing", old: "a\n", new: "",
		want:    "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n",
		removed: 1,
	}, {
		name: "a missing final newline is a change", old: "a\nb", new: "a\nb\n",
		want:  "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		added: 1, removed: 1,
	}, {
		name: "removals before additions",
		old:  "keep\nx1\nx2\nkeep2\n", new: "keep\ny1\ny2\nkeep2\n",
		want:  "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n keep\n-x1\n-x2\n+y1\n+y2\n keep2\n",
		added: 2, removed: 2,
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			diff, added, removed := UnifiedDiff("a/f", "b/f", []byte(tc.old), []byte(tc.new))
			g.Expect(diff).To(Equal(tc.want))
			g.Expect(added).To(Equal(tc.added))
			g.Expect(removed).To(Equal(tc.removed))
		})
	}
}

// TestLineEditsAreShortestAndCorrect checks the edit script on random texts against the
// longest common subsequence: it rebuilds both texts, and changes exactly the lines
// outside an LCS.
func TestLineEditsAreShortestAndCorrect(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	text := func() []string {
		out := make([]string, r.IntN(25))
		for i := range out {
			out[i] = fmt.Sprintf("l%d\n", r.IntN(5))
		}
		return out
	}
	for range 2000 {
		a, b := text(), text()
		var gotA, gotB []string
		changes := 0
		for _, e := range lineEdits(a, b) {
			switch e.op {
			case ' ':
				gotA, gotB = append(gotA, a[e.a]), append(gotB, b[e.b])
			case '-':
				gotA = append(gotA, a[e.a])
				changes++
			case '+':
				gotB = append(gotB, b[e.b])
				changes++
			}
		}
		if strings.Join(gotA, "") != strings.Join(a, "") || strings.Join(gotB, "") != strings.Join(b, "") {
			t.Fatalf("edit script does not rebuild the texts:\n%q\n%q", a, b)
		}
		if want := len(a) + len(b) - 2*lcsLength(a, b); changes != want {
			t.Fatalf("%d changes, want %d:\n%q\n%q", changes, want, a, b)
		}
	}
}

func lcsLength(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestUnifiedDiffOfVeryDifferentTextsReplacesTheMiddle(t *testing.T) {
	g := NewWithT(t)
	var a, b strings.Builder
	a.WriteString("same\n")
	b.WriteString("same\n")
	for i := range 3000 {
		fmt.Fprintf(&a, "old %d\n", i)
		fmt.Fprintf(&b, "new %d\n", i)
	}
	diff, added, removed := UnifiedDiff("a/f", "b/f", []byte(a.String()), []byte(b.String()))
	g.Expect(added).To(Equal(3000))
	g.Expect(removed).To(Equal(3000))
	g.Expect(diff).To(HavePrefix("--- a/f\n+++ b/f\n@@ -1,3001 +1,3001 @@\n same\n-old 0\n-old 1\n"))
	again, _, _ := UnifiedDiff("a/f", "b/f", []byte(a.String()), []byte(b.String()))
	g.Expect(again).To(Equal(diff))
}

// flaggedDiff is a TreeDiff with a flagged template, a rescaled one and one changed object.
func flaggedDiff(t *testing.T) *TreeDiff {
	t.Helper()
	api := ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: "api"}
	d, err := DiffTrees(
		renderedTree(t, []bound{
			{key: webKey, replicas: 3, clusters: on("m1", 2, "m2", 1)},
			{key: api, replicas: 2, clusters: on("m1", 2)},
		}, map[string]string{"karmada-es-m1/" + webPath: webManifest(2), "karmada-es-m1/shop/apps.deployment.api.yaml": "kind: Deployment\n"}),
		renderedTree(t, []bound{
			{key: webKey, replicas: 6, clusters: on("m1", 3, "m2", 3)},
			{key: api, replicas: 2, scheduled: "False", reason: "NoClusterFit"},
		}, map[string]string{"karmada-es-m1/" + webPath: webManifest(3)}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDiffText(t *testing.T) {
	g := NewWithT(t)
	g.Expect(flaggedDiff(t).Text()).To(Equal(`2 templates moved, 2 objects changed in 1 clusters

Templates (before → after):
! apps/Deployment/shop/api  moved, unschedulable, loses all placement  replicas 2 → 2
    Scheduled=False NoClusterFit: 0/2 clusters are available: 2 cluster(s) did not match the placement cluster affinity constraint.
    m1  2 → -
  apps/Deployment/shop/web  rescaled  replicas 3 → 6
    m1  2 → 3
    m2  1 → 3

karmada-es-m1: 1 removed, 1 changed
  - shop/apps.deployment.api.yaml
  ~ shop/apps.deployment.web.yaml (+1 -1)
--- a/karmada-es-m1/shop/apps.deployment.web.yaml
+++ b/karmada-es-m1/shop/apps.deployment.web.yaml
@@ -4,7 +4,7 @@
   name: web
   namespace: shop
 spec:
-  replicas: 2
+  replicas: 3
   selector:
     matchLabels:
       app: web
`))
}

func TestDiffMarkdown(t *testing.T) {
	g := NewWithT(t)
	md := flaggedDiff(t).Markdown(DefaultMarkdownOptions())
	g.Expect(md).To(HavePrefix("2 templates moved, 2 objects changed in 1 clusters\n\n> [!WARNING]\n> **1 templates become unschedulable**, **1 templates lose all placement** (in bold below).\n\n"))
	g.Expect(md).To(ContainSubstring(`| Template | Change | Replicas | Clusters (before → after) |
|---|---|---|---|
| **`+"`apps/Deployment/shop/api`"+`** | **moved, unschedulable, loses all placement**<br>NoClusterFit: 0/2 clusters are available: 2 cluster(s) did not match the placement cluster affinity constraint. | 2 → 2 | `+"`m1`"+` 2 → - |
| `+"`apps/Deployment/shop/web`"+` | rescaled | 3 → 6 | `+"`m1` 2 → 3<br>`m2`"+` 1 → 3 |
`), "flagged templates first and in bold, then the others")
	g.Expect(md).To(ContainSubstring("<details><summary><code>karmada-es-m1</code>: 1 removed, 1 changed</summary>\n\n" +
		"- removed `shop/apps.deployment.api.yaml`\n- changed `shop/apps.deployment.web.yaml` (+1 -1)\n\n" +
		"```diff\n--- a/karmada-es-m1/shop/apps.deployment.web.yaml\n"))
	g.Expect(md).To(HaveSuffix("       app: web\n```\n\n</details>\n\n"))

	empty := (&TreeDiff{}).Markdown(MarkdownOptions{})
	g.Expect(empty).To(Equal("0 templates moved, 0 objects changed in 0 clusters\n\nNo placement or manifest changes.\n"))
}

func TestDiffMarkdownFencesManifestsHoldingBackticks(t *testing.T) {
	g := NewWithT(t)
	old := "data:\n  README.md: |\n    ```sh\n    make\n    ```\n"
	d, err := DiffTrees(
		renderedTree(t, nil, map[string]string{"karmada-es-m1/shop/core.configmap.docs.yaml": old}),
		renderedTree(t, nil, map[string]string{"karmada-es-m1/shop/core.configmap.docs.yaml": strings.Replace(old, "make", "make all", 1)}),
	)
	g.Expect(err).NotTo(HaveOccurred())
	md := d.Markdown(MarkdownOptions{})
	g.Expect(md).To(ContainSubstring("\n````diff\n"))
	g.Expect(md).To(ContainSubstring("\n````\n\n</details>"))
}

// largeDiff is a TreeDiff over many clusters, each with long diffs, and many moved
// templates.
func largeDiff(t *testing.T, clusters, templates int) *TreeDiff {
	t.Helper()
	var base, head []bound
	baseFiles, headFiles := map[string]string{}, map[string]string{}
	for i := range templates {
		key := ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: fmt.Sprintf("app-%03d", i)}
		base = append(base, bound{key: key, replicas: 2, clusters: on("c000", 1, "c001", 1)})
		head = append(head, bound{key: key, replicas: 4, clusters: on("c000", 2, "c001", 2)})
	}
	for c := range clusters {
		for o := range 3 {
			p := fmt.Sprintf("karmada-es-c%03d/shop/core.configmap.cm-%d.yaml", c, o)
			var a, b strings.Builder
			for l := range 400 {
				fmt.Fprintf(&a, "  key-%d: value %d\n", l, l)
				fmt.Fprintf(&b, "  key-%d: value %d\n", l, l+l%2) // every other line changes
			}
			baseFiles[p], headFiles[p] = a.String(), b.String()
		}
	}
	d, err := DiffTrees(renderedTree(t, base, baseFiles), renderedTree(t, head, headFiles))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDiffMarkdownStaysUnderMaxBytes(t *testing.T) {
	d := largeDiff(t, 30, 40)
	summary := "40 templates moved, 90 objects changed in 30 clusters\n"
	for _, maxBytes := range []int{0, 1000, 4000, 8000, 20000, 65536, 10_000_000} {
		t.Run(fmt.Sprint(maxBytes), func(t *testing.T) {
			g := NewWithT(t)
			md := d.Markdown(MarkdownOptions{MaxBytes: maxBytes})
			limit := maxBytes
			if limit == 0 {
				limit = DefaultMarkdownMaxBytes
			}
			g.Expect(len(md)).To(BeNumerically("<=", limit))
			g.Expect(md).To(HavePrefix(summary), "the summary line comes first, whole")
			g.Expect(strings.Count(md, "<details>")).To(Equal(strings.Count(md, "</details>")))
			g.Expect(strings.Count(md, "```")%2).To(Equal(0), "every fence is closed")
			rows := strings.Count(md, "| `apps/Deployment/shop/app-")
			switch {
			case maxBytes >= 4000 || maxBytes == 0:
				g.Expect(rows).To(Equal(40), "the template table is whole when it fits")
			default:
				g.Expect(md).To(ContainSubstring("templates not shown: the comment reached its size limit."))
			}
			if maxBytes == 10_000_000 {
				g.Expect(md).NotTo(ContainSubstring("not shown"))
				g.Expect(strings.Count(md, "```diff")).To(Equal(90))
				g.Expect(md).To(ContainSubstring("_Diff cut after 120 of 603 lines._"), "each long diff is cut")
			} else if rows == 40 {
				g.Expect(md).To(Or(ContainSubstring("clusters not shown"), ContainSubstring("diffs not shown")))
			}
		})
	}

	g := NewWithT(t)
	md := d.Markdown(MarkdownOptions{MaxBytes: 10_000_000, MaxDiffLines: 10})
	g.Expect(md).To(ContainSubstring("_Diff cut after 10 of 603 lines._"))
}

func TestDiffMarkdownKeepsEveryClusterListBeforeAnyDiff(t *testing.T) {
	g := NewWithT(t)
	d := largeDiff(t, 30, 0)
	md := d.Markdown(MarkdownOptions{MaxBytes: 20000})
	g.Expect(strings.Count(md, "<details>")).To(Equal(30), "every cluster's list fits before the diffs")
	g.Expect(strings.Count(md, "```diff")).To(BeNumerically(">", 0))
	g.Expect(strings.Count(md, "```diff")).To(BeNumerically("<", 90))
	g.Expect(md).To(ContainSubstring("_3 of 3 diffs not shown: the comment reached its size limit._"))
}

func TestDiffJSON(t *testing.T) {
	g := NewWithT(t)
	d := flaggedDiff(t)
	data, err := d.JSON()
	g.Expect(err).NotTo(HaveOccurred())
	var back TreeDiff
	g.Expect(json.Unmarshal(data, &back)).To(Succeed())
	g.Expect(&back).To(Equal(d))
	g.Expect(string(data)).To(ContainSubstring(`"summary": {
    "templatesMoved": 2,
    "objectsChanged": 2,
    "clustersChanged": 1
  },`))
	g.Expect(string(data)).To(ContainSubstring(`"losesAllPlacement": true`))

	none, err := (&TreeDiff{Templates: []TemplateDiff{}, Clusters: []ClusterDiff{}}).JSON()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(none)).To(ContainSubstring(`"templates": []`))
}
