package overrides

import (
	"fmt"
	"reflect"

	"github.com/go-openapi/jsonpointer"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// applyFieldOverrider patches the document embedded in the string at fieldPath (semantics
// §1.2.2) and writes it back. On failure it also returns the failing part of the overrider,
// relative to it ("fieldPath", "yaml[1]", ...).
//
// As in Karmada (applyFieldOverriders):
//   - fieldPath is a JSON pointer (go-openapi/jsonpointer, as Karmada uses) and must lead to
//     a string;
//   - when both yaml and json are set, yaml wins; when neither is (validation forbids it),
//     the field is set to the empty string;
//   - json: the operations form one patch on the JSON text; the result keeps the members'
//     order and is written compact; an empty string stays empty whatever the operations;
//   - yaml: the text is converted with sigs.k8s.io/yaml YAMLToJSON, patched, and converted
//     back with JSONToYAML — the same library version as Karmada — so comments and layout
//     are lost and keys come out sorted.
func applyFieldOverrider(obj *unstructured.Unstructured, fo *v1alpha1.FieldOverrider) (string, error) {
	pointer, err := jsonpointer.New(fo.FieldPath)
	if err != nil {
		return "fieldPath", err
	}
	value, kind, err := pointer.Get(obj.Object)
	if err != nil {
		return "fieldPath", err
	}
	if kind != reflect.String {
		return "fieldPath", fmt.Errorf("the value at %s is not a string", fo.FieldPath)
	}
	doc := reflect.ValueOf(value).String()

	var patched string
	switch {
	case len(fo.YAML) > 0:
		ops, sub, err := embeddedOperations("yaml", len(fo.YAML), func(i int) (v1alpha1.OverriderOperator, string, apiextensionsv1.JSON) {
			return fo.YAML[i].Operator, fo.YAML[i].SubPath, fo.YAML[i].Value
		})
		if err != nil {
			return sub, err
		}
		if patched, sub, err = patchYAMLDocument(doc, ops); err != nil {
			return sub, err
		}
	case len(fo.JSON) > 0:
		ops, sub, err := embeddedOperations("json", len(fo.JSON), func(i int) (v1alpha1.OverriderOperator, string, apiextensionsv1.JSON) {
			return fo.JSON[i].Operator, fo.JSON[i].SubPath, fo.JSON[i].Value
		})
		if err != nil {
			return sub, err
		}
		out, i, err := patchEmbeddedJSON([]byte(doc), ops)
		if err != nil {
			return operationField("json", i), err
		}
		patched = string(out)
	}
	if _, err := pointer.Set(obj.Object, patched); err != nil {
		return "fieldPath", err
	}
	return "", nil
}

// embeddedOperations builds the operations of a field overrider's json or yaml list; item
// returns the operator, subPath and value of item i.
func embeddedOperations(list string, n int, item func(int) (v1alpha1.OverriderOperator, string, apiextensionsv1.JSON)) ([]patchOperation, string, error) {
	ops := make([]patchOperation, n)
	for i := range n {
		op, path, value := item(i)
		v, err := decodeEmbeddedValue(value.Raw)
		if err != nil {
			return nil, itemField(list, i, "value"), err
		}
		ops[i] = patchOperation{op: op, path: path, value: v}
	}
	return ops, "", nil
}

// decodeEmbeddedValue decodes a JSON value for insertion into an embedded document (an
// empty value is null, as apiextensionsv1.JSON marshals it).
func decodeEmbeddedValue(raw []byte) (any, error) {
	if len(raw) == 0 {
		return jsonRawNull(), nil
	}
	return decodeOrderedJSON(raw)
}

// patchYAMLDocument applies ops to a YAML document through its JSON form.
func patchYAMLDocument(doc string, ops []patchOperation) (string, string, error) {
	asJSON, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		return "", "yaml", fmt.Errorf("the value is not a YAML document: %w", err)
	}
	patched, i, err := patchEmbeddedJSON(asJSON, ops)
	if err != nil {
		return "", operationField("yaml", i), err
	}
	out, err := yaml.JSONToYAML(patched)
	if err != nil {
		return "", "yaml", err
	}
	return string(out), "", nil
}

// operationField names operation i of a field overrider's json or yaml list, or the whole
// list when i < 0.
func operationField(list string, i int) string {
	if i < 0 {
		return list
	}
	return itemField(list, i, "")
}
