package membership

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer"
)

// ErrClusterExists is returned by AddCluster when the source already defines the cluster
// and overwriting was not asked for.
var ErrClusterExists = errors.New("already joined")

// ErrClusterNotFound is returned by RemoveCluster when the source defines no such cluster.
var ErrClusterNotFound = errors.New("unknown cluster")

// Tree is a source tree in memory: slash-separated paths to content, as
// gitstore.CommitRequest.Files wants them.
type Tree map[string][]byte

// ReadTree reads every file of fsys into a Tree. It refuses trees whose commits would change
// more than the edit: gitstore commits regular files only, so a symbolic link or an
// executable file would silently become a plain file, and submodules (.gitmodules) would
// disappear.
func ReadTree(fsys fs.FS) (Tree, error) {
	tree := Tree{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if p == ".gitmodules" {
			return fmt.Errorf("the source tree has submodules (.gitmodules), which gitfleet cannot commit back; edit it with git instead")
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 || info.Mode().Perm()&0o111 != 0 {
			return fmt.Errorf("%s is a symbolic link or an executable, which gitfleet cannot commit back unchanged; edit the tree with git instead", p)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		tree[p] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read source tree: %w", err)
	}
	return tree, nil
}

// load loads the tree with the renderer, as the hub will.
func (t Tree) load() (*renderer.Source, error) {
	fsys := fstest.MapFS{}
	for p, data := range t {
		fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return renderer.LoadSource(fsys, renderer.LoadOptions{})
}

// clusterKey is the renderer's key of the Cluster name.
func clusterKey(name string) renderer.ObjectKey {
	return renderer.ObjectKey{Group: v1alpha1.ClusterGroupVersion.Group, Kind: "Cluster", Name: name}
}

// definition finds where src defines the cluster name: its file, which must hold nothing
// else so that it can be removed or replaced as a whole.
func (t Tree) definition(src *renderer.Source, name string) (string, bool, error) {
	origin, ok := src.Origin(clusterKey(name))
	if !ok {
		return "", false, nil
	}
	if origin.Kustomization != "" {
		return "", true, fmt.Errorf("cluster %s is built by the kustomization in %s (%s); edit it there", name, origin.Kustomization, origin)
	}
	n, err := countDocuments(t[origin.Path])
	if err != nil {
		return "", true, fmt.Errorf("%s: %w", origin.Path, err)
	}
	if n != 1 {
		return "", true, fmt.Errorf("cluster %s is defined in %s together with %d other object(s); move it to a file of its own or edit %s by hand",
			name, origin, n-1, origin.Path)
	}
	return origin.Path, true, nil
}

// countDocuments counts the non-empty documents of a YAML stream.
func countDocuments(data []byte) (int, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		if len(doc.Content) > 0 && doc.Content[0].Tag != "!!null" {
			n++
		}
	}
}

// AddResult says what AddCluster changed.
type AddResult struct {
	// Path is the file that now defines the cluster.
	Path string
	// Replaced is the file that defined the cluster before, when it was overwritten; it is
	// Path when the file was rewritten in place, and removed otherwise.
	Replaced string
}

// AddCluster writes manifest, the YAML of Cluster name, to dir/name.yaml in t. The tree
// must load (renderer.LoadSource) before, so that an existing definition of the cluster is
// found wherever it is, and after, so that the edit never breaks the source. An existing
// definition is an ErrClusterExists unless overwrite is set; then its file is replaced (it
// must hold only that Cluster).
func (t Tree) AddCluster(name, dir string, manifest []byte, overwrite bool) (AddResult, error) {
	target := path.Join(dir, name+".yaml")
	if !fs.ValidPath(target) {
		return AddResult{}, fmt.Errorf("%q is not a relative slash-separated path in the tree", target)
	}
	src, err := t.load()
	if err != nil {
		return AddResult{}, fmt.Errorf("the source does not load, fix it first: %w", err)
	}
	res := AddResult{Path: target}
	existing, found, err := t.definition(src, name)
	switch {
	case found && !overwrite:
		where := existing
		if origin, ok := src.Origin(clusterKey(name)); ok {
			where = origin.String()
		}
		return AddResult{}, fmt.Errorf("%w: cluster %s is defined in %s (use --overwrite to replace it)", ErrClusterExists, name, where)
	case found && err != nil:
		return AddResult{}, err
	case found:
		res.Replaced = existing
		delete(t, existing)
	}
	if _, taken := t[target]; taken {
		return AddResult{}, fmt.Errorf("%s already exists and does not define cluster %s; choose another --clusters-dir", target, name)
	}
	t[target] = manifest

	after, err := t.load()
	if err != nil {
		return AddResult{}, fmt.Errorf("the source would not load with %s: %w", target, err)
	}
	if origin, ok := after.Origin(clusterKey(name)); !ok || origin.Path != target {
		// A kustomization above dir, or a dot-directory, hides the file from the loader.
		return AddResult{}, fmt.Errorf("the loader does not read %s as a plain file (is it in a kustomization or a dot-directory?); choose another --clusters-dir", target)
	}
	return res, nil
}

// RemoveCluster removes the file that defines Cluster name from t and returns its path and
// the Cluster as it was defined. It fails with ErrClusterNotFound when the source does not
// define the cluster, and names the file when it holds other objects too (then it is left
// for a human to edit).
func (t Tree) RemoveCluster(name string) (string, *v1alpha1.Cluster, error) {
	src, err := t.load()
	if err != nil {
		return "", nil, fmt.Errorf("the source does not load, fix it first: %w", err)
	}
	p, found, err := t.definition(src, name)
	if !found {
		return "", nil, fmt.Errorf("%w: the source defines no Cluster %s", ErrClusterNotFound, name)
	}
	if err != nil {
		return "", nil, err
	}
	var removed *v1alpha1.Cluster
	for _, c := range src.Clusters {
		if c.Name == name {
			removed = c
		}
	}
	delete(t, p)
	if _, err := t.load(); err != nil {
		return "", nil, fmt.Errorf("the source would not load without %s: %w", p, err)
	}
	return p, removed, nil
}
