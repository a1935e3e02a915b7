package overrides

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// applyOverriders applies one rule's overriders to obj in Karmada's fixed order (semantics
// §1.2.1 item 4): image, command, args, labels, annotations, field, then plaintext — whatever
// the order in the YAML. Every image, command, args, label, annotation and field item is its
// own patch, applied before the next item is built; all plaintext items form ONE patch.
// A failure returns an *overriderError naming the item.
func applyOverriders(obj *unstructured.Unstructured, o *v1alpha1.Overriders) error {
	for i := range o.ImageOverrider {
		ops, err := imagePatch(obj, &o.ImageOverrider[i])
		if err == nil {
			_, err = patchManifest(obj, ops)
		}
		if err != nil {
			return &overriderError{field: itemField("imageOverrider", i, ""), err: err}
		}
	}
	for _, list := range [...]struct {
		name, target string
		items        []v1alpha1.CommandArgsOverrider
	}{{"commandOverrider", "command", o.CommandOverrider}, {"argsOverrider", "args", o.ArgsOverrider}} {
		for i := range list.items {
			ops, err := commandArgsPatch(obj, list.target, &list.items[i])
			if err == nil {
				_, err = patchManifest(obj, ops)
			}
			if err != nil {
				return &overriderError{field: itemField(list.name, i, ""), err: err}
			}
		}
	}
	for _, list := range [...]struct {
		name, target string
		items        []v1alpha1.LabelAnnotationOverrider
	}{{"labelsOverrider", "labels", o.LabelsOverrider}, {"annotationsOverrider", "annotations", o.AnnotationsOverrider}} {
		for i := range list.items {
			ops := metadataPatch(obj, list.target, &list.items[i])
			if len(ops) == 0 {
				continue // Karmada applies no patch at all then
			}
			if _, err := patchManifest(obj, ops); err != nil {
				return &overriderError{field: itemField(list.name, i, ""), err: err}
			}
		}
	}
	for i := range o.FieldOverrider {
		if sub, err := applyFieldOverrider(obj, &o.FieldOverrider[i]); err != nil {
			return &overriderError{field: itemField("fieldOverrider", i, sub), err: err}
		}
	}
	return applyPlaintext(obj, o.Plaintext)
}

// applyPlaintext applies the plaintext overriders as one RFC 6902 patch (§1.2.2): the first
// operation that fails fails them all. Karmada applies the (possibly empty) patch for every
// rule, so the manifest's kind is checked even when there is no plaintext item.
func applyPlaintext(obj *unstructured.Unstructured, items []v1alpha1.PlaintextOverrider) error {
	ops := make([]patchOperation, len(items))
	for i := range items {
		value, err := decodeManifestValue(items[i].Value.Raw)
		if err != nil {
			return &overriderError{field: itemField("plaintext", i, "value"), err: err}
		}
		ops[i] = patchOperation{op: items[i].Operator, path: items[i].Path, value: value}
	}
	if i, err := patchManifest(obj, ops); err != nil {
		field := "plaintext"
		if i >= 0 {
			field = itemField("plaintext", i, "")
		}
		return &overriderError{field: field, err: err}
	}
	return nil
}

// decodeManifestValue decodes a JSON value for insertion into a manifest, with the number
// types unstructured objects use (int64 when integral, else float64) — what Karmada's
// decoding of the patched manifest produces. An empty value is JSON null, as
// apiextensionsv1.JSON marshals it.
func decodeManifestValue(raw []byte) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := utiljson.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}
