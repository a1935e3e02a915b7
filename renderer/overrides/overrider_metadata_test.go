package overrides

import (
	"testing"

	. "github.com/onsi/gomega"
)

// The cases of Karmada's Test_applyLabelsOverriders and Test_applyAnnotationsOverriders,
// run for both maps, and what they leave out (semantics §1.2.2).
func TestLabelsAndAnnotationsOverriders(t *testing.T) {
	const withFooBar = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: test, namespace: default, labels: {foo: foo, bar: bar}, annotations: {foo: foo, bar: bar}}}`
	const bare = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: test, namespace: default}}`
	tests := []struct {
		name      string
		manifest  string
		overrider string // the items of the list
		want      map[string]string
	}{
		{"add to a manifest without the map creates it", bare, `{operator: add, value: {test2: test2}}`,
			map[string]string{"test2": "test2"}},
		{"replace only touches existing keys", withFooBar, `{operator: replace, value: {foo: exist, non-exist: non-exist}}`,
			map[string]string{"foo": "exist", "bar": "bar"}},
		{"add", withFooBar, `{operator: add, value: {test: test}}`,
			map[string]string{"test": "test", "foo": "foo", "bar": "bar"}},
		{"add overwrites an existing key", withFooBar, `{operator: add, value: {foo: new}}`,
			map[string]string{"foo": "new", "bar": "bar"}},
		{"remove only touches existing keys and ignores values", withFooBar, `{operator: remove, value: {foo: whatever, non-exist: non-exist}}`,
			map[string]string{"bar": "bar"}},
		{"replace of missing keys changes nothing", withFooBar, `{operator: replace, value: {test: test}}`,
			map[string]string{"foo": "foo", "bar": "bar"}},
		{"remove of missing keys changes nothing", withFooBar, `{operator: remove, value: {test: test}}`,
			map[string]string{"foo": "foo", "bar": "bar"}},
		{"replace on a manifest without the map changes nothing", bare, `{operator: replace, value: {foo: x}}`, nil},
		{"a key with a slash is escaped in the patch path", withFooBar,
			`{operator: add, value: {testannotation/projectId: "c-m-lfx9lk92:p-v86cf"}}`,
			map[string]string{"foo": "foo", "bar": "bar", "testannotation/projectId": "c-m-lfx9lk92:p-v86cf"}},
		{"remove a key with a slash",
			`{apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: {app.kubernetes.io/name: web, foo: foo}, annotations: {app.kubernetes.io/name: web, foo: foo}}}`,
			`{operator: remove, value: {app.kubernetes.io/name: ""}}`, map[string]string{"foo": "foo"}},
		{"items apply in order, each seeing the previous one", bare,
			`{operator: add, value: {a: "1"}}, {operator: replace, value: {a: "2"}}, {operator: remove, value: {a: ""}}, {operator: add, value: {b: "3"}}`,
			map[string]string{"b": "3"}},
	}
	for _, target := range []string{"labels", "annotations"} {
		for _, tt := range tests {
			t.Run(target+"/"+tt.name, func(t *testing.T) {
				g := NewWithT(t)
				obj := manifest(t, tt.manifest)
				o := overriders(t, target+"Overrider: ["+tt.overrider+"]")
				g.Expect(applyOverriders(obj, &o)).To(Succeed())
				got := obj.GetLabels()
				if target == "annotations" {
					got = obj.GetAnnotations()
				}
				g.Expect(got).To(Equal(tt.want))
			})
		}
	}
}

// Karmada checks keys with unstructured.NestedStringMap: a map holding a non-string value
// counts as absent, so replace skips it and add starts from an empty map.
func TestLabelsOverriderNonStringValues(t *testing.T) {
	const doc = `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: {a: x, num: 1}}}`
	g := NewWithT(t)

	obj := manifest(t, doc)
	o := overriders(t, `labelsOverrider: [{operator: replace, value: {a: y}}]`)
	g.Expect(applyOverriders(obj, &o)).To(Succeed())
	g.Expect(obj.Object["metadata"]).To(HaveKeyWithValue("labels", map[string]any{"a": "x", "num": int64(1)}))

	obj = manifest(t, doc)
	o = overriders(t, `labelsOverrider: [{operator: add, value: {b: z}}]`)
	g.Expect(applyOverriders(obj, &o)).To(Succeed())
	g.Expect(obj.Object["metadata"]).To(HaveKeyWithValue("labels", map[string]any{"b": "z"}))
}

// Karmada skips a key whose map it cannot create (metadata is not an object).
func TestLabelsOverriderWithoutMetadataObject(t *testing.T) {
	g := NewWithT(t)
	obj := manifest(t, `{apiVersion: v1, kind: ConfigMap, metadata: null}`)
	o := overriders(t, `labelsOverrider: [{operator: add, value: {b: z}}]`)
	g.Expect(applyOverriders(obj, &o)).To(Succeed())
	g.Expect(obj.Object).To(HaveKeyWithValue("metadata", BeNil()))
}

func TestMetadataPatchOperations(t *testing.T) {
	g := NewWithT(t)
	obj := manifest(t, `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: {x/y: "1", b: "2"}}}`)
	o := overriders(t, `labelsOverrider: [{operator: replace, value: {x/y: "9", b: "8", c: "7"}}]`)
	g.Expect(describeOps(metadataPatch(obj, "labels", &o.LabelsOverrider[0]))).To(Equal([]string{
		"replace /metadata/labels/b 8",
		"replace /metadata/labels/x~1y 9",
	}))
}
