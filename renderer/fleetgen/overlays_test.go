package fleetgen

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// TestKustomizeOverlaysBuildTheRenderedObjects builds every cluster's overlay of a small
// generated fleet with kustomize, in process, and compares the result with the cluster's
// rendered directory: the same objects (kind/namespace/name), each with the same content —
// replicas, images, labels, env and all.
func TestKustomizeOverlaysBuildTheRenderedObjects(t *testing.T) {
	g := NewWithT(t)
	source, status, err := Generate(Options{Seed: 3, Clusters: 12, Templates: 400})
	g.Expect(err).NotTo(HaveOccurred())
	res := render(t, source, status)

	overlays, err := KustomizeOverlays(source.FS(), res.Tree.FS())
	g.Expect(err).NotTo(HaveOccurred())
	mem := filesys.MakeFsInMemory()
	for _, p := range overlays.Paths() {
		data, _ := overlays.Get(p)
		g.Expect(mem.WriteFile("/"+p, data)).To(Succeed())
	}

	clusters, err := renderedClusters(res.Tree.FS())
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(clusters).To(HaveLen(12))
	for _, cluster := range clusters {
		built, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(mem, "/clusters/"+cluster)
		g.Expect(err).NotTo(HaveOccurred(), cluster)
		got := map[string]map[string]any{}
		for _, r := range built.Resources() {
			m, err := r.Map()
			g.Expect(err).NotTo(HaveOccurred())
			got[objectID(m)], err = jsonValues(m) // kustomize's numbers are ints
			g.Expect(err).NotTo(HaveOccurred())
		}
		want := renderedObjects(t, res.Tree, cluster)
		g.Expect(slices.Sorted(maps.Keys(got))).To(Equal(slices.Sorted(maps.Keys(want))), cluster)
		for id, w := range want {
			if diff := cmp.Diff(w, got[id]); diff != "" {
				t.Errorf("%s: %s built differs from the rendered manifest (-rendered +built):\n%s", cluster, id, diff)
			}
		}
	}
	// The fleet exercises every part of an overlay.
	var all strings.Builder
	for _, p := range overlays.Paths() {
		if strings.HasSuffix(p, "/kustomization.yaml") {
			data, _ := overlays.Get(p)
			all.Write(data)
		}
	}
	g.Expect(all.String()).To(ContainSubstring("- path: patches/delete/"))
	g.Expect(all.String()).To(MatchRegexp(`- path: patches/ns-\d+/apps\.deployment\.`))
}

// TestKustomizeOverlaysLayout checks what a base and an overlay hold.
func TestKustomizeOverlaysLayout(t *testing.T) {
	g := NewWithT(t)
	source, status, err := Generate(Options{Seed: 3, Clusters: 5, Templates: 40})
	g.Expect(err).NotTo(HaveOccurred())
	res := render(t, source, status)
	overlays, err := KustomizeOverlays(source.FS(), res.Tree.FS())
	g.Expect(err).NotTo(HaveOccurred())

	base, ok := overlays.Get("base/apps/ns-00/app-0000/kustomization.yaml")
	g.Expect(ok).To(BeTrue(), "one base per source file")
	g.Expect(string(base)).To(ContainSubstring("- app-0000.yaml"))
	templates, _ := overlays.Get("base/apps/ns-00/app-0000/app-0000.yaml")
	g.Expect(strings.Count(string(templates), "\nkind: ")).To(Equal(templatesApp))

	overlay, ok := overlays.Get("clusters/us-east-0000/kustomization.yaml")
	g.Expect(ok).To(BeTrue())
	g.Expect(string(overlay)).To(ContainSubstring("- ../../base/apps/ns-00/app-0000\n"))
	g.Expect(string(overlay)).To(ContainSubstring("- ../../base/namespaces/ns-00\n"))
	for _, p := range overlays.Paths() {
		g.Expect(p).NotTo(HavePrefix("base/clusters/"), "Karmada kinds are not templates")
		g.Expect(p).NotTo(HavePrefix("base/policies/"), "Karmada kinds are not templates")
	}
}

func TestMergePatch(t *testing.T) {
	for _, tc := range []struct {
		name               string
		template, rendered map[string]any
		want               map[string]any
	}{
		{"equal", map[string]any{"a": 1.0}, map[string]any{"a": 1.0}, nil},
		{"changed scalar", map[string]any{"a": 1.0, "b": "x"}, map[string]any{"a": 2.0, "b": "x"}, map[string]any{"a": 2.0}},
		{"added field", map[string]any{}, map[string]any{"a": "x"}, map[string]any{"a": "x"}},
		{"removed field is null", map[string]any{"a": "x"}, map[string]any{}, map[string]any{"a": nil}},
		{
			"maps compared key by key",
			map[string]any{"m": map[string]any{"keep": "1", "change": "2"}},
			map[string]any{"m": map[string]any{"keep": "1", "change": "3", "add": "4"}},
			map[string]any{"m": map[string]any{"change": "3", "add": "4"}},
		},
		{
			"lists written whole",
			map[string]any{"l": []any{"a", "b"}},
			map[string]any{"l": []any{"a", "c"}},
			map[string]any{"l": []any{"a", "c"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			NewWithT(t).Expect(mergePatch(tc.template, tc.rendered)).To(Equal(tc.want))
		})
	}
}

// renderedObjects reads a cluster's rendered manifests by objectID.
func renderedObjects(t *testing.T, tree *renderer.Tree, cluster string) map[string]map[string]any {
	t.Helper()
	dir := v1alpha1.ExecutionSpacePrefix + cluster
	inv, err := readInventory(tree.FS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, e := range inv.Objects {
		data, _ := tree.Get(dir + "/" + e.Path)
		var obj map[string]any
		if err := yaml.Unmarshal(data, &obj); err != nil {
			t.Fatalf("%s/%s: %v", dir, e.Path, err)
		}
		out[objectID(obj)] = obj
	}
	return out
}

// objectID is kind/namespace/name.
func objectID(obj map[string]any) string {
	u := unstructured.Unstructured{Object: obj}
	return u.GetKind() + "/" + u.GetNamespace() + "/" + u.GetName()
}
