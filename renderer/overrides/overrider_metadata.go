package overrides

import (
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// metadataPatch builds the patch of one labels or annotations overrider (semantics
// §1.2.2); target is "labels" or "annotations". One operation per key of value, with the
// overrider's operator, at /metadata/<target>/<key> ("/" in the key escaped as "~1"):
//   - add sets the key, creating the map first when metadata has none;
//   - replace and remove only touch keys that exist (remove ignores the value).
//
// The existence checks use unstructured.NestedStringMap as Karmada does, so a map holding a
// non-string value counts as absent: replace and remove then skip every key, and add
// replaces the map with an empty one before adding. Keys are taken in sorted order (Karmada
// ranges over the Go map; the operations commute, so only determinism changes).
func metadataPatch(obj *unstructured.Unstructured, target string, o *v1alpha1.LabelAnnotationOverrider) []patchOperation {
	keys := make([]string, 0, len(o.Value))
	for k := range o.Value {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// Every key sees the manifest as it was before this overrider: its patch is applied
	// only once all keys have been looked at.
	current, exists, _ := unstructured.NestedStringMap(obj.Object, "metadata", target)
	if o.Operator == v1alpha1.OverriderOpAdd && !exists && len(keys) > 0 {
		if err := unstructured.SetNestedStringMap(obj.Object, map[string]string{}, "metadata", target); err != nil {
			return nil // metadata is not an object: Karmada skips every key
		}
	}
	ops := make([]patchOperation, 0, len(keys))
	for _, key := range keys {
		if o.Operator == v1alpha1.OverriderOpRemove || o.Operator == v1alpha1.OverriderOpReplace {
			if _, found := current[key]; !found {
				continue
			}
		}
		ops = append(ops, patchOperation{
			op:    o.Operator,
			path:  "/metadata/" + target + "/" + escapePointerToken(key),
			value: o.Value[key],
		})
	}
	return ops
}
