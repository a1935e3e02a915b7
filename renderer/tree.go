package renderer

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/gitfleet/gitfleet/renderer/yamlenc"
)

// Tree is a rendered tree: file contents by slash-separated path relative to the tree root.
// It is a value the renderer returns; writing it to a directory or a Git commit is the
// caller's effect.
type Tree struct {
	files map[string][]byte
}

// NewTree returns an empty tree.
func NewTree() *Tree { return &Tree{files: map[string][]byte{}} }

// Put sets the content of the file at p, replacing what was there.
func (t *Tree) Put(p string, data []byte) { t.files[p] = data }

// Get returns the content of the file at p.
func (t *Tree) Get(p string) ([]byte, bool) {
	data, ok := t.files[p]
	return data, ok
}

// Len is the number of files in the tree.
func (t *Tree) Len() int { return len(t.files) }

// Paths returns every file path, sorted.
func (t *Tree) Paths() []string { return slices.Sorted(maps.Keys(t.files)) }

// FS returns a read-only fs.FS view of the tree, so a tree can be read back the way a
// checked-out rendered branch is (as the previous render of the next pass, say).
func (t *Tree) FS() fs.FS {
	m := make(fstest.MapFS, len(t.files))
	for p, data := range t.files {
		m[p] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return m
}

// Equal reports whether two trees hold the same files with the same bytes.
func (t *Tree) Equal(o *Tree) bool {
	return maps.EqualFunc(t.files, o.files, bytes.Equal)
}

// ManifestPath is where the manifest of one object goes inside a directory of the rendered
// tree (DESIGN §1.2): `<namespace|_cluster>/<group>.<kind>.<name>.yaml`, with `core` for the
// core group, the kind in lower case and ':' in names replaced by '.'.
func ManifestPath(group, kind, namespace, name string) string {
	if group == "" {
		group = "core"
	}
	if namespace == "" {
		namespace = "_cluster"
	}
	return namespace + "/" + group + "." + strings.ToLower(kind) + "." + strings.ReplaceAll(name, ":", ".") + ".yaml"
}

// Emitter serialises objects as YAML, deterministically (sorted keys, two-space indent), and
// keeps one copy of each distinct output: a manifest that is identical for many clusters —
// the usual case, since rendered manifests carry no per-cluster labels — shares its bytes
// (BENCHMARKS.md: emitting dominates rendering). It is safe for concurrent use.
type Emitter struct {
	mu    sync.Mutex
	cache map[[sha256.Size]byte][]byte
}

// NewEmitter returns an Emitter with an empty cache.
func NewEmitter() *Emitter { return &Emitter{cache: map[[sha256.Size]byte][]byte{}} }

// Emit returns the YAML encoding of obj, a JSON-compatible value (what unstructured objects
// and decoded JSON hold; maps are written with sorted keys). Equal values give
// byte-identical output.
func (e *Emitter) Emit(obj any) ([]byte, error) {
	data, _, err := e.emit(obj)
	return data, err
}

// emit is Emit, also returning the output's SHA-256.
func (e *Emitter) emit(obj any) ([]byte, [sha256.Size]byte, error) {
	out, err := yamlenc.Marshal(obj)
	if err != nil {
		return nil, [sha256.Size]byte{}, fmt.Errorf("encoding object as YAML: %w", err)
	}
	sum := sha256.Sum256(out)
	e.mu.Lock()
	defer e.mu.Unlock()
	if first, ok := e.cache[sum]; ok {
		return first, sum, nil
	}
	e.cache[sum] = out
	return out, sum, nil
}
