package renderer

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// StatusView is the narrow part of the status tree that placement depends on (DESIGN §1.4):
// each cluster's observed status (conditions, apiEnablements, resourceSummary) and nodes,
// and the hub's decisions: taints, evictions, descheduling reductions and rebalances. A cluster
// without an entry has no status yet: the renderer treats it as having every API and
// unknown capacity, so a fresh fleet renders before any status exists.
type StatusView struct {
	// Clusters holds the observed status of each cluster, by name.
	Clusters map[string]*v1alpha1.ClusterStatus
	// Taints holds the taints the hub decided for each cluster (decisions/taints.yaml), by
	// name; the renderer schedules as if they were on the clusters beside their own.
	Taints map[string][]corev1.Taint
	// Evictions holds the graceful eviction tasks the hub decided
	// (decisions/evictions.yaml), by the key of the binding's template.
	Evictions map[ObjectKey][]v1alpha1.GracefulEvictionTask
	// Reductions holds the descheduler's replica reductions (decisions/descheduling.yaml),
	// by the key of the binding's template.
	Reductions map[ObjectKey][]v1alpha1.ReplicaReduction
	// Rebalances holds the hub's record of each WorkloadRebalancer
	// (decisions/rebalances.yaml), by the rebalancer's name.
	Rebalances map[string]v1alpha1.RebalanceDecision
	// Nodes holds each cluster's nodes (clusters/<cluster>/nodes.yaml), by cluster name,
	// for the node-by-node estimator.
	Nodes map[string][]v1alpha1.NodeResources
}

// LoadStatusView reads clusters/<cluster>.yaml files (Karmada Cluster objects whose status
// the hub recorded) and decisions/taints.yaml from a status tree. A nil fsys gives an empty
// view.
func LoadStatusView(fsys fs.FS) (*StatusView, error) {
	view := &StatusView{Clusters: map[string]*v1alpha1.ClusterStatus{}, Taints: map[string][]corev1.Taint{}}
	if fsys == nil {
		return view, nil
	}
	if err := view.readTaints(fsys); err != nil {
		return nil, err
	}
	if err := view.readDecisions(fsys); err != nil {
		return nil, err
	}
	if err := view.readNodes(fsys); err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, "clusters")
	if errors.Is(err, fs.ErrNotExist) {
		return view, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading status: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		p := path.Join("clusters", e.Name())
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("reading status %s: %w", p, err)
		}
		var c v1alpha1.Cluster
		if err := yaml.Unmarshal(data, &c); err != nil {
			return nil, fmt.Errorf("status %s: %w", p, err)
		}
		name := c.Name
		if name == "" {
			name = strings.TrimSuffix(e.Name(), ".yaml")
		}
		view.Clusters[name] = &c.Status
	}
	return view, nil
}

// readTaints reads decisions/taints.yaml, when there is one.
func (v *StatusView) readTaints(fsys fs.FS) error {
	var d v1alpha1.TaintDecisions
	if err := readStatusFile(fsys, v1alpha1.TaintDecisionsFileName, &d); err != nil {
		return err
	}
	for _, c := range d.Clusters {
		for _, t := range c.Taints {
			v.Taints[c.Cluster] = append(v.Taints[c.Cluster], t.Taint)
		}
	}
	return nil
}

// Previous is what the previous render decided, read back from its tree: the bindings,
// by the key of their template. Karmada's dynamic division is steady and policy claims are
// sticky, so the next render starts from them.
type Previous struct {
	// Bindings holds each previous binding (a ClusterResourceBinding is read into the same
	// type), by the key of the template it propagates.
	Bindings map[ObjectKey]*v1alpha1.ResourceBinding

	// tree is the previous rendered tree, read only for the manifests a render keeps as they
	// were (a cluster whose dispatching is suspended).
	tree fs.FS
}

// manifest returns a cluster's manifest at a path of its directory in the previous render.
func (p *Previous) manifest(cluster, manifestPath string) ([]byte, bool) {
	if p.tree == nil {
		return nil, false
	}
	data, err := fs.ReadFile(p.tree, v1alpha1.ExecutionSpacePrefix+cluster+"/"+manifestPath)
	return data, err == nil
}

// has reports whether the previous render gave a cluster a manifest at a path of its
// directory, without reading it.
func (p *Previous) has(cluster, manifestPath string) bool {
	if p.tree == nil {
		return false
	}
	_, err := fs.Stat(p.tree, v1alpha1.ExecutionSpacePrefix+cluster+"/"+manifestPath)
	return err == nil
}

// LoadPrevious reads the bindings/ directory of a rendered tree. A nil fsys, or a tree
// without bindings, gives an empty Previous (the first render).
func LoadPrevious(fsys fs.FS) (*Previous, error) {
	prev := &Previous{Bindings: map[ObjectKey]*v1alpha1.ResourceBinding{}, tree: fsys}
	if fsys == nil {
		return prev, nil
	}
	err := fs.WalkDir(fsys, "bindings", func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == "bindings" {
			return fs.SkipAll
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var b v1alpha1.ResourceBinding
		if err := yaml.Unmarshal(data, &b); err != nil {
			return fmt.Errorf("previous render %s: %w", p, err)
		}
		r := b.Spec.Resource
		group, _, _ := strings.Cut(r.APIVersion, "/")
		if !strings.Contains(r.APIVersion, "/") {
			group = ""
		}
		prev.Bindings[ObjectKey{Group: group, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name}] = &b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading previous render: %w", err)
	}
	return prev, nil
}
