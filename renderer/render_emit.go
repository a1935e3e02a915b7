package renderer

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// OverridePoliciesAnnotation records on a binding the override policies applied to its
// manifests in any cluster (Karmada records them per Work; gitfleet has no Works, and the
// manifests themselves carry no per-cluster annotations).
const OverridePoliciesAnnotation = "gitfleet.io/override-policies"

// emit writes the tree: bindings, one directory per cluster with its inventory, the README
// and the provenance.
func (p *renderPass) emit() (*Result, error) {
	tree := NewTree()
	em := p.emitter
	res := &Result{Tree: tree}
	for _, key := range p.sortedBindingKeys() {
		st := p.bindings[key]
		b := st.binding
		if len(st.overrides) > 0 {
			if b.Annotations == nil {
				b.Annotations = map[string]string{}
			}
			b.Annotations[OverridePoliciesAnnotation] = strings.Join(slices.Sorted(maps.Keys(st.overrides)), ",")
		}
		data, err := emitTyped(em, b)
		if err != nil {
			return nil, fmt.Errorf("binding of %s: %w", key, err)
		}
		tree.Put("bindings/"+ManifestPath(key.Group, key.Kind, key.Namespace, key.Name), data)
		res.Bindings = append(res.Bindings, RenderedBinding{Template: key, Binding: b})
	}
	customizations, err := p.emitCustomizations()
	if err != nil {
		return nil, err
	}
	for _, cluster := range p.clusters {
		dir := v1alpha1.ExecutionSpacePrefix + cluster
		if customizations != nil {
			tree.Put(dir+"/"+v1alpha1.ClusterInterpreterFileName, customizations)
		}
		inv := &v1alpha1.ClusterInventory{Cluster: cluster, Objects: []v1alpha1.InventoryEntry{}}
		inv.APIVersion, inv.Kind = v1alpha1.GitfleetGroupVersion.String(), "ClusterInventory"
		manifests := p.manifests[cluster]
		for _, path := range slices.Sorted(maps.Keys(manifests)) {
			m := manifests[path]
			tree.Put(dir+"/"+path, m.data)
			sum := m.digest
			inv.Objects = append(inv.Objects, v1alpha1.InventoryEntry{
				APIVersion: m.apiVersion, Kind: m.kind, Namespace: m.namespace, Name: m.name,
				Path: path, Digest: "sha256:" + hex.EncodeToString(sum[:]),
			})
		}
		data, err := emitTyped(em, inv)
		if err != nil {
			return nil, fmt.Errorf("%s inventory: %w", dir, err)
		}
		tree.Put(dir+"/"+v1alpha1.ClusterInventoryFileName, data)
	}
	prov := &v1alpha1.RenderProvenance{SourceCommit: p.opts.SourceCommit, GitfleetVersion: p.opts.Version}
	prov.APIVersion, prov.Kind = v1alpha1.GitfleetGroupVersion.String(), "RenderProvenance"
	data, err := emitTyped(em, prov)
	if err != nil {
		return nil, err
	}
	tree.Put(".gitfleet/provenance.yaml", data)
	tree.Put("README.md", []byte(renderedReadme))
	return res, nil
}

// emitCustomizations is the source's ResourceInterpreterCustomizations as one list, for
// every cluster's directory (identical bytes: Git stores them once); nil when there are none.
func (p *renderPass) emitCustomizations() ([]byte, error) {
	if len(p.src.InterpreterCustomizations) == 0 {
		return nil, nil
	}
	list := &v1alpha1.ResourceInterpreterCustomizationList{}
	list.APIVersion, list.Kind = v1alpha1.ConfigGroupVersion.String(), "ResourceInterpreterCustomizationList"
	for _, c := range p.src.InterpreterCustomizations {
		c = c.DeepCopy()
		c.APIVersion, c.Kind = v1alpha1.ConfigGroupVersion.String(), "ResourceInterpreterCustomization"
		list.Items = append(list.Items, *c)
	}
	data, err := emitTyped(p.emitter, list)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v1alpha1.ClusterInterpreterFileName, err)
	}
	return data, nil
}

// emitTyped writes a typed object without the empty creationTimestamp every ObjectMeta
// encodes, which would be noise in every file, and without null condition times.
func emitTyped(em *Emitter, obj any) ([]byte, error) {
	generic, err := yamlenc.JSONValue(obj)
	if err != nil {
		return nil, err
	}
	m, _ := generic.(map[string]any)
	if meta, ok := m["metadata"].(map[string]any); ok {
		if meta["creationTimestamp"] == nil {
			delete(meta, "creationTimestamp")
		}
		if len(meta) == 0 {
			delete(m, "metadata")
		}
	}
	// A render from a plain directory has no source commit time to record: leave the time
	// out rather than write null.
	if status, ok := m["status"].(map[string]any); ok {
		conditions, _ := status["conditions"].([]any)
		for _, c := range conditions {
			if c, ok := c.(map[string]any); ok && c["lastTransitionTime"] == nil {
				delete(c, "lastTransitionTime")
			}
		}
	}
	return em.Emit(m)
}

// renderedReadme explains the rendered branch to whoever opens it.
const renderedReadme = `# Rendered fleet

This branch is written by gitfleet's renderer; do not edit it by hand. It is rendered from the
source branch (see .gitfleet/provenance.yaml and each commit's Source-Commit trailer).

- ` + "`karmada-es-<cluster>/`" + ` holds the manifests one member cluster receives, as
  ` + "`<namespace|_cluster>/<group>.<kind>.<name>.yaml`" + `, and ` + "`.gitfleet-cluster.yaml`" + `,
  the inventory of that directory (every object and a digest of its manifest). The syncer and the
  pull agents apply exactly these files and prune what leaves them.
- ` + "`bindings/`" + ` holds one ResourceBinding (ClusterResourceBinding under ` + "`_cluster/`" + `) per
  propagated template: the policy that matched it, the clusters and replicas the scheduler chose,
  and its Scheduled condition — unschedulable templates included, with the reason.

A pull request that changes the source shows here, file by file, which cluster gains or loses
which object and how many replicas.
`
