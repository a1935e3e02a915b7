package syncer

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	. "github.com/onsi/gomega"
)

func TestReadTreeRefusesInvalidDirectories(t *testing.T) {
	ns := "apps"
	valid := func() fstest.MapFS {
		return newFixtureTree("member-1", namespaceObj(ns), configMapObj(ns, "settings", map[string]any{"k": "v"})).fs(t)
	}
	cmPath := ns + "/core.configmap.settings.yaml"
	tests := []struct {
		name    string
		cluster string
		edit    func(fstest.MapFS)
		wantMsg string
	}{
		{"no inventory", "", func(d fstest.MapFS) { delete(d, ".gitfleet-cluster.yaml") }, "no .gitfleet-cluster.yaml"},
		{"listed manifest missing", "", func(d fstest.MapFS) { delete(d, cmPath) }, cmPath + " listed in the inventory"},
		{"manifest edited after rendering", "", func(d fstest.MapFS) {
			d[cmPath] = &fstest.MapFile{Data: append(append([]byte{}, d[cmPath].Data...), "# edit\n"...)}
		}, "has digest"},
		{"another cluster's directory", "member-2", func(fstest.MapFS) {}, `is for cluster "member-1", not "member-2"`},
		{"inventory not YAML of the right kind", "", func(d fstest.MapFS) {
			d[".gitfleet-cluster.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: ConfigMap\ncluster: x\nobjects: []\n")}
		}, "not ClusterInventory"},
		{"unknown inventory field", "", func(d fstest.MapFS) {
			d[".gitfleet-cluster.yaml"] = &fstest.MapFile{Data: []byte("kind: ClusterInventory\nclusterz: x\n")}
		}, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			dir := valid()
			tt.edit(dir)
			_, err := readTree(dir, tt.cluster, newManifestCache())
			g.Expect(errors.Is(err, ErrInvalidTree)).To(BeTrue(), "%v", err)
			g.Expect(err.Error()).To(ContainSubstring(tt.wantMsg))
		})
	}
}

func TestReadTreeChecksIdentity(t *testing.T) {
	g := NewWithT(t)
	dir := newFixtureTree("member-1", configMapObj("a", "one", map[string]any{"k": "v"})).fs(t)
	// Move the manifest to another entry's path: digest matches, identity does not.
	inv := string(dir[".gitfleet-cluster.yaml"].Data)
	dir[".gitfleet-cluster.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(inv, "name: one", "name: two", 1))}
	_, err := readTree(dir, "", newManifestCache())
	g.Expect(err).To(MatchError(ErrInvalidTree))
	g.Expect(err.Error()).To(ContainSubstring("the inventory says v1 ConfigMap a/two"))
}

func TestReadTreeDecodesManifests(t *testing.T) {
	g := NewWithT(t)
	cm := configMapObj("a", "one", map[string]any{"k": "v"})
	cm["metadata"].(map[string]any)["annotations"] = map[string]any{"work.karmada.io/conflict-resolution": "overwrite"}
	tree, err := readTree(newFixtureTree("member-1", cm, namespaceObj("a")).fs(t), "member-1", newManifestCache())
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(tree.cluster).To(Equal("member-1"))
	g.Expect(tree.objects).To(HaveLen(2))
	d := tree.objects[0]
	g.Expect(d.path).To(Equal("_cluster/core.namespace.a.yaml"))
	g.Expect(tree.objects[1].overwrite).To(BeTrue())
	g.Expect(tree.objects[1].obj.GetLabels()).To(Equal(map[string]string{"app": "one", ManagedLabel: ManagedLabelValue}))
}

func TestInventoryRoundTrip(t *testing.T) {
	g := NewWithT(t)
	inv := &appliedInventory{cluster: "m", commit: "abc", objects: map[objectKey]appliedObject{
		{Kind: "Namespace", Name: "a"}:                                                {apiVersion: "v1", digest: "0123456789abcdef"},
		{Group: "apps", Kind: "Deployment", Namespace: "a", Name: "web"}:              {apiVersion: "apps/v1", digest: ""},
		{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "system:x y"}: {apiVersion: "rbac.authorization.k8s.io/v1", digest: "ff"},
	}}
	data := inv.encode()
	back, err := parseInventory(data)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(back).To(Equal(inv))
	g.Expect(data[inventoryKeyObjects]).To(HavePrefix(`["v1","Namespace","","a","0123456789abcdef"]`))

	_, err = parseInventory(map[string]string{inventoryKeyObjects: "not json\n"})
	g.Expect(err).To(MatchError(ContainSubstring("objects line 1")))
}
