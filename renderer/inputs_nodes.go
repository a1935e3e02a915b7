package renderer

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// nodesFileName is the file of a cluster's status directory that records its nodes.
const nodesFileName = "nodes.yaml"

// readNodes reads clusters/<cluster>/nodes.yaml of every cluster, when there are, into
// v.Nodes by the cluster the directory is named after. A file listing no node adds nothing:
// the node estimator answers "unknown" for such a cluster anyway, and an empty v.Nodes keeps
// the estimator out of the render altogether.
func (v *StatusView) readNodes(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, "clusters")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading status: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p := path.Join("clusters", e.Name(), nodesFileName)
		data, err := fs.ReadFile(fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading status %s: %w", p, err)
		}
		var f v1alpha1.ClusterNodes
		if err := yaml.Unmarshal(data, &f); err != nil {
			return fmt.Errorf("status %s: %w", p, err)
		}
		if len(f.Nodes) == 0 {
			continue
		}
		if v.Nodes == nil {
			v.Nodes = map[string][]v1alpha1.NodeResources{}
		}
		v.Nodes[e.Name()] = f.Nodes
	}
	return nil
}
