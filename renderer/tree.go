package renderer

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"

	"go.yaml.in/yaml/v3"
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

// Emitter serialises objects as YAML, deterministically (sorted keys, two-space indent) and
// once per distinct content: a manifest that is identical for many clusters — the usual case,
// since rendered manifests carry no per-cluster labels — is encoded once and its bytes
// shared (BENCHMARKS.md: emitting dominates rendering).
type Emitter struct {
	mu    sync.Mutex
	cache map[[sha256.Size]byte][]byte
}

// NewEmitter returns an Emitter with an empty cache. An Emitter is safe for concurrent use.
func NewEmitter() *Emitter { return &Emitter{cache: map[[sha256.Size]byte][]byte{}} }

// Emit returns the YAML encoding of obj (any value encoding/json accepts; maps are written
// with sorted keys). Equal values give byte-identical output.
func (e *Emitter) Emit(obj any) ([]byte, error) {
	canonical, err := json.Marshal(obj) // sorted map keys: equal values give equal bytes
	if err != nil {
		return nil, fmt.Errorf("encoding object: %w", err)
	}
	key := sha256.Sum256(canonical)
	e.mu.Lock()
	out, ok := e.cache[key]
	e.mu.Unlock()
	if ok {
		return out, nil
	}
	node, err := valueNode(obj)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(node); err != nil {
		return nil, fmt.Errorf("encoding object as YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding object as YAML: %w", err)
	}
	out = buf.Bytes()
	e.mu.Lock()
	defer e.mu.Unlock()
	if first, ok := e.cache[key]; ok {
		return first, nil // another worker encoded it meanwhile: share its bytes
	}
	e.cache[key] = out
	return out, nil
}

// valueNode builds the YAML node of a JSON-compatible value (what unstructured objects and
// decoded JSON hold) directly, with mapping keys sorted: building nodes is what makes YAML
// emission cheap enough to render tens of thousands of manifests. Strings are tagged as
// strings, so the encoder quotes those that would read as another type ("true", "1.0").
func valueNode(v any) (*yaml.Node, error) {
	switch t := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range slices.Sorted(maps.Keys(t)) {
			val, err := valueNode(t[k])
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, val)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, item := range t {
			val, err := valueNode(item)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, val)
		}
		return n, nil
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	case int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(t, 10)}, nil
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(t)}, nil
	case float64:
		return floatNode(t), nil
	case json.Number:
		if _, err := t.Int64(); err == nil {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: t.String()}, nil
		}
		f, err := t.Float64()
		if err != nil {
			return nil, fmt.Errorf("number %q: %w", t, err)
		}
		return floatNode(f), nil
	}
	return nil, fmt.Errorf("cannot encode a %T as YAML", v)
}

// floatNode writes a number as JSON would: integral values without a fraction.
func floatNode(f float64) *yaml.Node {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(int64(f), 10)}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(f, 'g', -1, 64)}
}
