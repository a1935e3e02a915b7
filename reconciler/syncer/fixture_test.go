package syncer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// fixtureTree builds a rendered cluster directory the way the renderer writes one:
// manifests at renderer.ManifestPath, YAML from renderer/yamlenc, and the inventory with a
// digest of every manifest.
type fixtureTree struct {
	cluster string
	objects map[string]map[string]any // by path
}

func newFixtureTree(cluster string, objs ...map[string]any) *fixtureTree {
	t := &fixtureTree{cluster: cluster, objects: map[string]map[string]any{}}
	t.add(objs...)
	return t
}

// add puts objects into the tree, replacing those at the same path.
func (t *fixtureTree) add(objs ...map[string]any) *fixtureTree {
	for _, o := range objs {
		t.objects[manifestPathOf(o)] = o
	}
	return t
}

// remove drops the object at path.
func (t *fixtureTree) remove(path string) *fixtureTree {
	delete(t.objects, path)
	return t
}

// paths returns the manifest paths, sorted.
func (t *fixtureTree) paths() []string { return slices.Sorted(maps.Keys(t.objects)) }

// fs writes the directory.
func (t *fixtureTree) fs(tb testing.TB) fstest.MapFS {
	tb.Helper()
	dir := fstest.MapFS{}
	inv := v1alpha1.ClusterInventory{Cluster: t.cluster, Objects: []v1alpha1.InventoryEntry{}}
	inv.APIVersion, inv.Kind = v1alpha1.GitfleetGroupVersion.String(), "ClusterInventory"
	for _, p := range t.paths() {
		o := t.objects[p]
		data, err := yamlenc.Marshal(o)
		if err != nil {
			tb.Fatalf("encoding %s: %v", p, err)
		}
		dir[p] = &fstest.MapFile{Data: data}
		sum := sha256.Sum256(data)
		meta := o["metadata"].(map[string]any)
		ns, _ := meta["namespace"].(string)
		inv.Objects = append(inv.Objects, v1alpha1.InventoryEntry{
			APIVersion: o["apiVersion"].(string), Kind: o["kind"].(string),
			Namespace: ns, Name: meta["name"].(string),
			Path: p, Digest: "sha256:" + hex.EncodeToString(sum[:]),
		})
	}
	dir[v1alpha1.ClusterInventoryFileName] = &fstest.MapFile{Data: encodeYAML(tb, inv)}
	return dir
}

// encodeYAML writes a typed value as the renderer does: through JSON, then yamlenc.
func encodeYAML(tb testing.TB, v any) []byte {
	tb.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	data, err := yamlenc.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// manifestPathOf is where the renderer puts o.
func manifestPathOf(o map[string]any) string {
	gv, _ := schema.ParseGroupVersion(o["apiVersion"].(string))
	meta := o["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	return renderer.ManifestPath(gv.Group, o["kind"].(string), ns, meta["name"].(string))
}

// Object constructors. Each returns a fresh map, so tests can change what they get.

func namespaceObj(name string) map[string]any {
	return map[string]any{
		"apiVersion": "v1", "kind": "Namespace",
		"metadata": map[string]any{"name": name},
	}
}

func configMapObj(ns, name string, data map[string]any) map[string]any {
	return map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": map[string]any{"app": name}},
		"data":     data,
	}
}

func serviceObj(ns, name string) map[string]any {
	return map[string]any{
		"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": map[string]any{"app": name}},
		"spec": map[string]any{
			"selector": map[string]any{"app": name},
			"ports": []any{map[string]any{
				"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP",
			}},
		},
	}
}

// deploymentObj is a realistic Deployment (~1.5 KB of YAML): resources, env, probes.
func deploymentObj(ns, name, image string, replicas int) map[string]any {
	labels := map[string]any{"app": name, "tier": "backend"}
	container := map[string]any{
		"name":  "app",
		"image": image,
		"args":  []any{"--port=8080", "--log-level=info"},
		"env": []any{
			map[string]any{"name": "APP_NAME", "value": name},
			map[string]any{"name": "GOMAXPROCS", "value": "2"},
		},
		"ports": []any{map[string]any{"name": "http", "containerPort": 8080, "protocol": "TCP"}},
		"resources": map[string]any{
			"requests": map[string]any{"cpu": "100m", "memory": "128Mi"},
			"limits":   map[string]any{"cpu": "0.5", "memory": "256Mi"},
		},
		"readinessProbe": map[string]any{
			"httpGet":       map[string]any{"path": "/healthz", "port": "http"},
			"periodSeconds": 10,
		},
	}
	return map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": labels},
		"spec": map[string]any{
			"replicas": replicas,
			"selector": map[string]any{"matchLabels": map[string]any{"app": name}},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec":     map[string]any{"containers": []any{container}},
			},
		},
	}
}

// crdObj is a namespaced CRD <plural>.<group> serving v1 with an open schema.
func crdObj(group, kind, plural string) map[string]any {
	return map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": plural + "." + group},
		"spec": map[string]any{
			"group": group,
			"names": map[string]any{"kind": kind, "listKind": kind + "List", "plural": plural, "singular": strings.ToLower(kind)},
			"scope": "Namespaced",
			"versions": []any{map[string]any{
				"name": "v1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{
					"type": "object",
					"properties": map[string]any{"spec": map[string]any{
						"type": "object", "x-kubernetes-preserve-unknown-fields": true,
					}},
				}},
			}},
		},
	}
}

func customObj(group, kind, ns, name string, spec map[string]any) map[string]any {
	return map[string]any{
		"apiVersion": group + "/v1", "kind": kind,
		"metadata": map[string]any{"name": name, "namespace": ns},
		"spec":     spec,
	}
}

// appObjects are the ten objects of one app of F100 (BENCHMARKS.md): 4 Deployments,
// 3 ConfigMaps, 3 Services.
func appObjects(ns string, app int) []map[string]any {
	var out []map[string]any
	for i := range 4 {
		out = append(out, deploymentObj(ns, fmt.Sprintf("app%03d-d%d", app, i), "registry.example/app:1.0.0", 2))
	}
	for i := range 3 {
		out = append(out, configMapObj(ns, fmt.Sprintf("app%03d-c%d", app, i), map[string]any{
			"config.yaml": fmt.Sprintf("app: %d\nlevel: info\nfeature: %d\n", app, i),
		}))
	}
	for i := range 3 {
		out = append(out, serviceObj(ns, fmt.Sprintf("app%03d-s%d", app, i)))
	}
	return out
}

// appFleet is the S4 fixture at a given size: namespaces Namespaces and apps apps of 10
// objects spread over them. appFleet(c, p, 10, 99) is S4's 1,000 objects. prefix keeps the
// namespaces of separate runs apart.
func appFleet(cluster, prefix string, namespaces, apps int) *fixtureTree {
	t := newFixtureTree(cluster)
	for n := range namespaces {
		t.add(namespaceObj(fmt.Sprintf("%s-ns%d", prefix, n)))
	}
	for app := range apps {
		t.add(appObjects(fmt.Sprintf("%s-ns%d", prefix, app%namespaces), app)...)
	}
	return t
}
