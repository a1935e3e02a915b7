package membership

import (
	"io/fs"
	"maps"
	"testing"
	"testing/fstest"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func clusterYAML(name string) []byte {
	return []byte("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: " + name + "\nspec:\n  syncMode: Pull\n")
}

func mustManifest(t *testing.T, name string) []byte {
	t.Helper()
	c, err := NewCluster(ClusterOptions{Name: name, Credentials: &Credentials{Server: "https://10.0.0.1:6443"}, Region: "eu"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := MarshalCluster(c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAddCluster(t *testing.T) {
	manifest := mustManifest(t, "new")
	for _, tc := range []struct {
		name      string
		tree      Tree
		dir       string
		overwrite bool
		want      AddResult
		wantErr   string
		// gone are files the edit removes.
		gone []string
	}{
		{name: "an empty branch", tree: Tree{}, want: AddResult{Path: "clusters/new.yaml"}},
		{name: "next to other clusters", tree: Tree{"clusters/old.yaml": clusterYAML("old")}, want: AddResult{Path: "clusters/new.yaml"}},
		{name: "another directory", tree: Tree{}, dir: "fleet/members", want: AddResult{Path: "fleet/members/new.yaml"}},
		{name: "already defined elsewhere", tree: Tree{"a/b.yaml": clusterYAML("new")},
			wantErr: "already joined: cluster new is defined in a/b.yaml:1 (use --overwrite to replace it)"},
		{name: "overwrite moves the definition", tree: Tree{"a/b.yaml": clusterYAML("new")}, overwrite: true,
			want: AddResult{Path: "clusters/new.yaml", Replaced: "a/b.yaml"}, gone: []string{"a/b.yaml"}},
		{name: "overwrite in place", tree: Tree{"clusters/new.yaml": clusterYAML("new")}, overwrite: true,
			want: AddResult{Path: "clusters/new.yaml", Replaced: "clusters/new.yaml"}},
		{name: "overwrite refuses a shared file", tree: Tree{"all.yaml": append(append(clusterYAML("x"), "---\n"...), clusterYAML("new")...)}, overwrite: true,
			wantErr: "cluster new is defined in all.yaml:8 together with 1 other object(s)"},
		{name: "the target holds something else", tree: Tree{"clusters/new.yaml": clusterYAML("other")},
			wantErr: "clusters/new.yaml already exists and does not define cluster new"},
		{name: "a broken source", tree: Tree{"x.yaml": []byte("kind: [")},
			wantErr: "the source does not load, fix it first"},
		{name: "a directory the loader skips", tree: Tree{}, dir: ".hidden",
			wantErr: "the loader does not read .hidden/new.yaml as a plain file"},
		{name: "an invalid directory", tree: Tree{}, dir: "../up", wantErr: "is not a relative slash-separated path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			dir := tc.dir
			if dir == "" {
				dir = DefaultClustersDir
			}
			before := maps.Clone(tc.tree)
			got, err := tc.tree.AddCluster("new", dir, manifest, tc.overwrite)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tc.want))
			g.Expect(tc.tree[got.Path]).To(Equal(manifest))
			for p := range before {
				if p == got.Path {
					continue
				}
				if len(tc.gone) > 0 && p == tc.gone[0] {
					g.Expect(tc.tree).NotTo(HaveKey(p))
					continue
				}
				g.Expect(tc.tree[p]).To(Equal(before[p]), "%s is left alone", p)
			}
		})
	}
}

func TestRemoveCluster(t *testing.T) {
	g := NewWithT(t)
	tree := Tree{"clusters/a.yaml": clusterYAML("a"), "clusters/new.yaml": mustManifest(t, "new")}
	path, removed, err := tree.RemoveCluster("new")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(path).To(Equal("clusters/new.yaml"))
	g.Expect(removed.Spec.SyncMode).To(Equal(v1alpha1.Push))
	g.Expect(tree).To(HaveLen(1))

	_, _, err = tree.RemoveCluster("new")
	g.Expect(err).To(MatchError(ErrClusterNotFound))
	g.Expect(err).To(MatchError(ContainSubstring("the source defines no Cluster new")))
}

func TestReadTree(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fsys    fstest.MapFS
		wantErr string
	}{
		{name: "plain files", fsys: fstest.MapFS{"a.yaml": {Data: []byte("x")}, ".github/ci.yml": {Data: []byte("y")}}},
		{name: "an executable", fsys: fstest.MapFS{"hack/run.sh": {Data: []byte("x"), Mode: 0o755}}, wantErr: "hack/run.sh is a symbolic link or an executable"},
		{name: "a symbolic link", fsys: fstest.MapFS{"link": {Data: []byte("a.yaml"), Mode: fs.ModeSymlink | 0o777}}, wantErr: "link is a symbolic link"},
		{name: "submodules", fsys: fstest.MapFS{".gitmodules": {Data: []byte("")}}, wantErr: "submodules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			tree, err := ReadTree(tc.fsys)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(tree).To(HaveLen(len(tc.fsys)))
		})
	}
}
