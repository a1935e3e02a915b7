package overrides

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// patchOperation is one RFC 6902 operation: add, remove or replace. value is already in the
// representation of the document it is applied to (see applyOperation) and is owned by the
// operation: it is inserted, not copied.
type patchOperation struct {
	op    v1alpha1.OverriderOperator
	path  string
	value any
}

// Karmada applies every overrider as a JSON patch with github.com/evanphx/json-patch/v5.
// That module is not in gitfleet's module graph, and the v4 that is (gopkg.in/evanphx/
// json-patch.v4) behaves differently where it shows: v4 lets "replace" create a missing
// object member (v5 fails), and v4 sorts the members of a patched embedded JSON document
// (v5 keeps their order). So operations are applied here, on decoded documents, with v5's
// rules (v5.9.11, default options):
//   - a path is split on "/" and its first segment dropped; every segment but the last
//     must lead to an existing object member or array element holding an object or array,
//     else "doc is missing path";
//   - add sets an object member (creating or overwriting it) or inserts into an array at
//     index 0..len, "-" appending; remove and replace need an existing member or element;
//   - array indices are parsed with strconv.Atoi and may be negative, counting from the end
//     (-1 is the last element; for add, -1 appends);
//   - the empty path names the whole document: add and replace swap it for the value, which
//     must be an object or an array (replace may also make it null);
//   - segments are unescaped "~1" → "/" then "~0" → "~".
// Applying on decoded values also spares a JSON round trip of the whole manifest per
// overrider, which is what applying a byte-oriented library costs.

// applyOperations applies ops in order to the document root and returns the new root. On
// failure it returns the index of the failing operation; root may then be partly changed.
func applyOperations(root any, ops []patchOperation) (any, int, error) {
	for i, op := range ops {
		var err error
		if root, err = applyOperation(root, op); err != nil {
			return root, i, err
		}
	}
	return root, -1, nil
}

// applyOperation applies op to the document root and returns the new root.
//
// A document is made of objects (map[string]any for manifests, *orderedObject for embedded
// documents whose member order must survive), arrays ([]any) and leaves (anything else,
// null included). Arrays are values, so a change to one is stored back into its parent on
// the way out of the recursion.
func applyOperation(root any, op patchOperation) (any, error) {
	switch op.op {
	case v1alpha1.OverriderOpAdd, v1alpha1.OverriderOpRemove, v1alpha1.OverriderOpReplace:
	default:
		return root, fmt.Errorf("unexpected operation %q", op.op)
	}
	if op.path == "" && op.op != v1alpha1.OverriderOpRemove {
		switch {
		case isContainer(op.value):
			return op.value, nil
		case isNull(op.value) && op.op == v1alpha1.OverriderOpAdd:
			// v5 turns the document into an object without members that every later
			// operation fails on, and that cannot be written out.
			return nullObject{}, nil
		case isNull(op.value):
			// v5 makes the document null: later operations fail, the output is null.
			return op.value, nil
		}
		return root, fmt.Errorf("%s operation on the whole document needs an object or an array value", op.op)
	}
	if op.path == "" {
		// Removing "" removes the member with the empty name, as in v5.
		return applyAt(root, "", op)
	}
	segments := strings.Split(op.path, "/")
	if len(segments) < 2 {
		return root, missingPath(op)
	}
	return walk(root, segments[1:len(segments)-1], unescapePointerToken(segments[len(segments)-1]), op)
}

// walk descends along parts to the container of key and applies op there.
func walk(node any, parts []string, key string, op patchOperation) (any, error) {
	if len(parts) == 0 {
		return applyAt(node, key, op)
	}
	part := unescapePointerToken(parts[0])
	child, ok := childOf(node, part)
	if !ok || !isContainer(child) {
		return node, missingPath(op)
	}
	newChild, err := walk(child, parts[1:], key, op)
	if err != nil {
		return node, err
	}
	if _, isArray := child.([]any); isArray {
		storeChild(node, part, newChild)
	}
	return node, nil
}

// applyAt applies op to the member or element key of container.
func applyAt(container any, key string, op patchOperation) (any, error) {
	switch c := container.(type) {
	case map[string]any:
		_, exists := c[key]
		switch op.op {
		case v1alpha1.OverriderOpAdd:
			c[key] = op.value
		case v1alpha1.OverriderOpRemove:
			if !exists {
				return c, fmt.Errorf("unable to remove nonexistent key: %s: missing value", key)
			}
			delete(c, key)
		case v1alpha1.OverriderOpReplace:
			if !exists {
				return c, fmt.Errorf("replace operation does not apply: doc is missing key: %s: missing value", op.path)
			}
			c[key] = op.value
		}
		return c, nil
	case *orderedObject:
		_, exists := c.vals[key]
		switch op.op {
		case v1alpha1.OverriderOpAdd:
			c.set(key, op.value)
		case v1alpha1.OverriderOpRemove:
			if !exists {
				return c, fmt.Errorf("unable to remove nonexistent key: %s: missing value", key)
			}
			c.remove(key)
		case v1alpha1.OverriderOpReplace:
			if !exists {
				return c, fmt.Errorf("replace operation does not apply: doc is missing key: %s: missing value", op.path)
			}
			c.set(key, op.value)
		}
		return c, nil
	case []any:
		return applyAtIndex(c, key, op)
	}
	return container, fmt.Errorf("%s operation does not apply at %q: invalid value, expected object", op.op, op.path)
}

// applyAtIndex applies op to element key of arr and returns the new array.
func applyAtIndex(arr []any, key string, op patchOperation) ([]any, error) {
	if op.op == v1alpha1.OverriderOpAdd {
		if key == "-" {
			return append(arr, op.value), nil
		}
		idx, err := strconv.Atoi(key)
		if err != nil {
			return arr, fmt.Errorf("error in add for path: '%s': value was not a proper array index: '%s'", op.path, key)
		}
		size := len(arr) + 1
		if idx >= size || idx < -size {
			return arr, fmt.Errorf("error in add for path: '%s': Unable to access invalid index: %d", op.path, idx)
		}
		if idx < 0 {
			idx += size
		}
		return slices.Insert(arr, idx, op.value), nil
	}
	idx, ok := arrayIndex(key, len(arr))
	if !ok {
		return arr, fmt.Errorf("error in %s for path: '%s': Unable to access invalid index: %s", op.op, op.path, key)
	}
	if op.op == v1alpha1.OverriderOpRemove {
		return slices.Delete(arr, idx, idx+1), nil
	}
	arr[idx] = op.value
	return arr, nil
}

// childOf returns the member or element key of node, if node is a container that has it.
func childOf(node any, key string) (any, bool) {
	switch c := node.(type) {
	case map[string]any:
		v, ok := c[key]
		return v, ok
	case *orderedObject:
		v, ok := c.vals[key]
		return v, ok
	case []any:
		idx, ok := arrayIndex(key, len(c))
		if !ok {
			return nil, false
		}
		return c[idx], true
	}
	return nil, false
}

// storeChild stores child as the existing member or element key of node.
func storeChild(node any, key string, child any) {
	switch c := node.(type) {
	case map[string]any:
		c[key] = child
	case *orderedObject:
		c.vals[key] = child
	case []any:
		if idx, ok := arrayIndex(key, len(c)); ok {
			c[idx] = child
		}
	}
}

// arrayIndex resolves key to an index of an existing element of an array of length n:
// an integer as strconv.Atoi reads it, negative ones counting from the end.
func arrayIndex(key string, n int) (int, bool) {
	idx, err := strconv.Atoi(key)
	if err != nil || idx >= n || idx < -n {
		return 0, false
	}
	if idx < 0 {
		idx += n
	}
	return idx, true
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, *orderedObject, []any:
		return true
	}
	return false
}

// nullObject is what v5 makes of a null document, or of an add of null to the whole
// document: an object that has no members, takes none, and cannot be written out.
type nullObject struct{}

// isNull reports whether v is a JSON null, in either document representation.
func isNull(v any) bool {
	if raw, ok := v.(json.RawMessage); ok {
		return string(raw) == jsonNull
	}
	return v == nil
}

func missingPath(op patchOperation) error {
	return fmt.Errorf("%s operation does not apply: doc is missing path: %q: missing value", op.op, op.path)
}

// unescapePointerToken decodes a JSON-pointer reference token: "~1" → "/" first, then
// "~0" → "~" (RFC 6901 §4).
func unescapePointerToken(token string) string {
	if !strings.Contains(token, "~") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
}

// escapePointerToken encodes s as a JSON-pointer reference token. Karmada escapes only "/" in
// label and annotation keys ("~" cannot occur in a valid key), and so does this.
func escapePointerToken(s string) string {
	return strings.ReplaceAll(s, "/", "~1")
}

// patchManifest applies ops to the manifest obj as one patch. Like Karmada, which decodes
// the patched JSON back into an unstructured object, it then requires the result to be an
// object with a kind and a parseable apiVersion; that check is made even when ops is empty,
// as Karmada's round trip makes it for every patch it applies. On failure it returns the
// index of the failing operation, or -1 when the check failed.
func patchManifest(obj *unstructured.Unstructured, ops []patchOperation) (int, error) {
	if len(ops) > 0 {
		root, i, err := applyOperations(obj.Object, ops)
		if err != nil {
			return i, err
		}
		m, ok := root.(map[string]any)
		if !ok {
			return -1, fmt.Errorf("the patched manifest is not a JSON object")
		}
		obj.Object = m
	}
	if obj.GroupVersionKind().Kind == "" {
		return -1, fmt.Errorf("the patched manifest has no kind or an invalid apiVersion: Object 'Kind' is missing")
	}
	return -1, nil
}
