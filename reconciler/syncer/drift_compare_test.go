package syncer

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestCovers(t *testing.T) {
	container := func(name, image string) map[string]any { return map[string]any{"name": name, "image": image} }
	tests := []struct {
		name          string
		desired, live any
		want          bool
	}{
		{"equal strings", "a", "a", true},
		{"changed string", "a", "b", false},
		{"integers", int64(2), int64(2), true},
		{"integer and float", int64(1), float64(1), true},
		{"changed integer", int64(2), int64(5), false},
		{"bool", true, true, true},
		{"cpu stored canonically", "0.5", "500m", true},
		{"integer cpu stored as string", int64(1), "1", true},
		{"memory stored canonically", "1024Mi", "1Gi", true},
		{"not a quantity", "abc", "", false},
		{"changed quantity", "100m", "200m", false},
		{"extra live fields are not drift", map[string]any{"a": "1"}, map[string]any{"a": "1", "b": "2"}, true},
		{"missing live field", map[string]any{"a": "1"}, map[string]any{"b": "2"}, false},
		{"empty desired map, absent live", map[string]any{"annotations": map[string]any{}}, map[string]any{}, true},
		{"false desired, absent live", map[string]any{"hostNetwork": false}, map[string]any{}, true},
		{"null desired, absent live", map[string]any{"creationTimestamp": nil}, map[string]any{}, true},
		{"map vs scalar", map[string]any{"a": "1"}, "x", false},
		{"lists item by item", []any{container("a", "x"), container("b", "y")}, []any{container("a", "x"), container("b", "y")}, true},
		{"list item changed", []any{container("a", "x")}, []any{container("a", "z")}, false},
		{"list item added by another manager", []any{container("a", "x")}, []any{container("sidecar", "s"), container("a", "x")}, true},
		{"list item removed", []any{container("a", "x"), container("b", "y")}, []any{container("a", "x")}, false},
		{"scalar lists compare whole", []any{"--a", "--b"}, []any{"--a", "--b", "--c"}, false},
		{"scalar list equal", []any{"--a"}, []any{"--a"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := covers(tt.desired, tt.live, true); got != tt.want {
				t.Errorf("covers(%v, %v) = %v, want %v", tt.desired, tt.live, got, tt.want)
			}
		})
	}
}

func TestInSync(t *testing.T) {
	owned := []metav1.ManagedFieldsEntry{{Manager: FieldManager, Operation: metav1.ManagedFieldsOperationApply}}
	live := func(data map[string]any, managers []metav1.ManagedFieldsEntry) *unstructured.Unstructured {
		u := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "Secret",
			"metadata": map[string]any{"name": "s", "namespace": "ns", "resourceVersion": "7", "uid": "u"},
			"data":     data,
			"type":     "Opaque",
		}}
		u.SetManagedFields(managers)
		return u
	}
	desired := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata":   map[string]any{"name": "s", "namespace": "ns"},
		"stringData": map[string]any{"password": "hunter2"},
		"status":     map[string]any{"ignored": true},
	}}
	tests := []struct {
		name string
		live *unstructured.Unstructured
		want bool
	}{
		{"stringData stored as data", live(map[string]any{"password": "aHVudGVyMg=="}, owned), true},
		{"data changed", live(map[string]any{"password": "b3RoZXI="}, owned), false},
		{"fields no longer applied by gitfleet", live(map[string]any{"password": "aHVudGVyMg=="},
			[]metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationApply}}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inSync(desired, tt.live, FieldManager); got != tt.want {
				t.Errorf("inSync = %v, want %v", got, tt.want)
			}
		})
	}
}
