package renderer

import (
	"io/fs"
	"testing"

	. "github.com/onsi/gomega"
	"sigs.k8s.io/yaml"
)

func TestEmitterWritesStableReadableYAML(t *testing.T) {
	g := NewWithT(t)
	obj := map[string]any{
		"kind":       "ConfigMap",
		"apiVersion": "v1",
		"metadata":   map[string]any{"name": "cm", "labels": map[string]any{"b": "2", "a": "1"}},
		"data": map[string]any{
			"bool-like":   "true",
			"number-like": "1.0",
			"multi":       "line one\nline two\n",
			"empty":       "",
		},
		"list": []any{int64(1), 2.5, nil, true, map[string]any{}},
	}
	out, err := NewEmitter().Emit(obj)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(out)).To(Equal(`apiVersion: v1
data:
  bool-like: "true"
  empty: ""
  multi: |
    line one
    line two
  number-like: "1.0"
kind: ConfigMap
list:
  - 1
  - 2.5
  - null
  - true
  - {}
metadata:
  labels:
    a: "1"
    b: "2"
  name: cm
`))
	var back map[string]any
	g.Expect(yaml.Unmarshal(out, &back)).To(Succeed())
	g.Expect(back["data"]).To(Equal(obj["data"]), "strings stay strings")
}

func TestEmitterSharesIdenticalOutputs(t *testing.T) {
	g := NewWithT(t)
	e := NewEmitter()
	a, err := e.Emit(map[string]any{"x": "1", "y": []any{"a"}})
	g.Expect(err).NotTo(HaveOccurred())
	b, err := e.Emit(map[string]any{"y": []any{"a"}, "x": "1"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(&a[0]).To(BeIdenticalTo(&b[0]), "equal content is encoded once and shared")
	c, err := e.Emit(map[string]any{"x": "2", "y": []any{"a"}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(c)).NotTo(Equal(string(a)))
}

func TestManifestPath(t *testing.T) {
	g := NewWithT(t)
	g.Expect(ManifestPath("", "ConfigMap", "shop", "web-config")).To(Equal("shop/core.configmap.web-config.yaml"))
	g.Expect(ManifestPath("apps", "Deployment", "shop", "web")).To(Equal("shop/apps.deployment.web.yaml"))
	g.Expect(ManifestPath("rbac.authorization.k8s.io", "ClusterRole", "", "system:viewer")).
		To(Equal("_cluster/rbac.authorization.k8s.io.clusterrole.system.viewer.yaml"))
}

func TestTree(t *testing.T) {
	g := NewWithT(t)
	a, b := NewTree(), NewTree()
	a.Put("z.yaml", []byte("z"))
	a.Put("dir/a.yaml", []byte("a"))
	b.Put("dir/a.yaml", []byte("a"))
	g.Expect(a.Paths()).To(Equal([]string{"dir/a.yaml", "z.yaml"}))
	g.Expect(a.Equal(b)).To(BeFalse())
	b.Put("z.yaml", []byte("z"))
	g.Expect(a.Equal(b)).To(BeTrue())
	data, err := fsReadFile(a, "dir/a.yaml")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(data)).To(Equal("a"))
}

func fsReadFile(t *Tree, p string) ([]byte, error) { return fs.ReadFile(t.FS(), p) }
