package interpreter

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// object decodes a YAML manifest the way the loader does (integers become int64).
func object(t testing.TB, manifest string) *unstructured.Unstructured {
	t.Helper()
	data, err := yaml.YAMLToJSON([]byte(manifest))
	if err != nil {
		t.Fatalf("bad test manifest: %v", err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		t.Fatalf("bad test manifest: %v", err)
	}
	return obj
}

// newRIC builds a ResourceInterpreterCustomization for the target from a YAML
// snippet of its spec.customizations.
func newRIC(t testing.TB, name, apiVersion, kind, rules string) *v1alpha1.ResourceInterpreterCustomization {
	t.Helper()
	ric := &v1alpha1.ResourceInterpreterCustomization{}
	ric.Name = name
	ric.Spec.Target = v1alpha1.CustomizationTarget{APIVersion: apiVersion, Kind: kind}
	if err := yaml.UnmarshalStrict([]byte(rules), &ric.Spec.Customizations); err != nil {
		t.Fatalf("bad test customization: %v", err)
	}
	return ric
}

// newInterpreter builds an interpreter from customizations, failing the test on error.
func newInterpreter(t testing.TB, rics ...*v1alpha1.ResourceInterpreterCustomization) *Interpreter {
	t.Helper()
	i, err := New(rics)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return i
}

// newInterpreterWith is newInterpreter with options.
func newInterpreterWith(t testing.TB, opts Options, rics ...*v1alpha1.ResourceInterpreterCustomization) *Interpreter {
	t.Helper()
	i, err := NewWithOptions(rics, opts)
	if err != nil {
		t.Fatalf("NewWithOptions: %v", err)
	}
	return i
}
