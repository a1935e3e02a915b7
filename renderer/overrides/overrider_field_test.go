package overrides

import (
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// configMap returns a ConfigMap whose data holds key = value.
func configMap(key, value string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1",
		"kind":       "ConfigMap",
		"metadata":   map[string]any{"name": "test1", "namespace": "default"},
		"data":       map[string]any{key: value},
	}}
}

// Field overriders patch a document held in a string (semantics §1.2.2). The first two
// cases are Karmada's Test_overrideManagerImpl_ApplyFieldOverriderPolicies_YAML and
// Test_overrideManagerImpl_ApplyJSONOverridePolicies_JSON.
func TestFieldOverrider(t *testing.T) {
	tests := []struct {
		name      string
		key, doc  string
		overrider string
		want      string
	}{
		{"YAML replace (Karmada's case)", "test.yaml", "\nkey: \n  key1: value\n",
			`{fieldPath: /data/test.yaml, yaml: [{subPath: /key/key1, operator: replace, value: updated_value}]}`,
			"key:\n  key1: updated_value\n"},
		{"JSON replace (Karmada's case)", "test.json", `{"key":{"key1":"value"}}`,
			`{fieldPath: /data/test.json, json: [{subPath: /key/key1, operator: replace, value: updated_value}]}`,
			`{"key":{"key1":"updated_value"}}`},

		// JSON keeps member order and the text of scalars, and is written compact.
		{"JSON keeps member order; new members go last", "c.json", "{\n  \"z\": 1.50,\n  \"a\": {\"y\": 2, \"b\": 1e3}\n}",
			`{fieldPath: /data/c.json, json: [{subPath: /a/c, operator: add, value: 4}, {subPath: /m, operator: add, value: {q: 1, p: 2}}]}`,
			`{"z":1.50,"a":{"y":2,"b":1e3,"c":4},"m":{"p":2,"q":1}}`},
		{"JSON escapes <, > and &", "c.json", `{"a":"x"}`,
			`{fieldPath: /data/c.json, json: [{subPath: /a, operator: replace, value: "<b>&"}]}`,
			`{"a":"\u003cb\u003e\u0026"}`},
		{"JSON operations form one patch", "c.json", `{"list":[1,2]}`,
			`{fieldPath: /data/c.json, json: [{subPath: /list/-, operator: add, value: 3}, {subPath: /list/0, operator: remove}, {subPath: /list/-1, operator: replace, value: 9}]}`,
			`{"list":[2,9]}`},
		{"an empty JSON document stays empty whatever the operations", "c.json", "",
			`{fieldPath: /data/c.json, json: [{subPath: /a, operator: replace, value: 1}]}`, ""},
		{"a JSON array document", "c.json", `[1,2]`,
			`{fieldPath: /data/c.json, json: [{subPath: /0, operator: add, value: 0}]}`, `[0,1,2]`},

		// YAML goes through JSON: comments and layout are lost, keys come out sorted.
		{"YAML is normalised", "app.yaml", "# settings\nz: 1\na:\n    - x\n",
			`{fieldPath: /data/app.yaml, yaml: [{subPath: /a/-, operator: add, value: "y"}]}`,
			"a:\n- x\n- \"y\"\nz: 1\n"},
		{"YAML add of an object", "app.yaml", "server:\n  host: a\n",
			`{fieldPath: /data/app.yaml, yaml: [{subPath: /server/tls, operator: add, value: {enabled: true, port: 8443}}]}`,
			"server:\n  host: a\n  tls:\n    enabled: true\n    port: 8443\n"},
		{"YAML remove", "app.yaml", "a: 1\nb: 2\n",
			`{fieldPath: /data/app.yaml, yaml: [{subPath: /a, operator: remove}]}`, "b: 2\n"},
		{"YAML wins when both are set", "app.yaml", "a: 1\n",
			`{fieldPath: /data/app.yaml, yaml: [{subPath: /a, operator: replace, value: 2}], json: [{subPath: /a, operator: replace, value: 3}]}`,
			"a: 2\n"},
		{"neither set writes the empty string (validation forbids it)", "app.yaml", "a: 1\n",
			`{fieldPath: /data/app.yaml}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			obj := configMap(tt.key, tt.doc)
			o := overriders(t, "fieldOverrider: ["+tt.overrider+"]")
			g.Expect(applyOverriders(obj, &o)).To(Succeed())
			g.Expect(obj.Object["data"]).To(Equal(map[string]any{tt.key: tt.want}))
		})
	}
}

// fieldPath is a JSON pointer: "~1" is "/", and it may go through arrays.
func TestFieldOverriderPointer(t *testing.T) {
	g := NewWithT(t)
	obj := manifest(t, `
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    example.com/config: '{"level":"info"}'
spec:
  containers:
  - name: a
    env:
    - {name: CONFIG, value: 'level: info'}
`)
	o := overriders(t, `fieldOverrider:
- {fieldPath: /metadata/annotations/example.com~1config, json: [{subPath: /level, operator: replace, value: debug}]}
- {fieldPath: /spec/containers/0/env/0/value, yaml: [{subPath: /level, operator: replace, value: debug}]}
`)
	g.Expect(applyOverriders(obj, &o)).To(Succeed())
	g.Expect(obj.GetAnnotations()).To(HaveKeyWithValue("example.com/config", `{"level":"debug"}`))
	g.Expect(obj.Object).To(HaveKeyWithValue("spec", HaveKeyWithValue("containers",
		ContainElement(HaveKeyWithValue("env", ContainElement(HaveKeyWithValue("value", "level: debug\n")))))))
}

func TestFieldOverriderErrors(t *testing.T) {
	tests := []struct {
		name      string
		doc       string
		overrider string
		want      string
	}{
		{"a fieldPath to nothing", `{"a":1}`,
			`{fieldPath: /data/missing, json: [{subPath: /a, operator: remove}]}`, "fieldOverrider[0].fieldPath: "},
		{"a fieldPath to an object", `{"a":1}`,
			`{fieldPath: /data, json: [{subPath: /a, operator: remove}]}`, "fieldOverrider[0].fieldPath: the value at /data is not a string"},
		{"not JSON", `{"a":`,
			`{fieldPath: /data/c, json: [{subPath: /a, operator: remove}]}`, "fieldOverrider[0].json: invalid JSON document"},
		{"a JSON scalar", `"a"`,
			`{fieldPath: /data/c, json: [{subPath: /a, operator: remove}]}`, "fieldOverrider[0].json: cannot unmarshal"},
		{"a JSON operation that fails names its index", `{"a":1}`,
			`{fieldPath: /data/c, json: [{subPath: /a, operator: replace, value: 2}, {subPath: /b, operator: replace, value: 2}]}`,
			"fieldOverrider[0].json[1]: replace operation does not apply: doc is missing key: /b"},
		{"not YAML", "a: [1",
			`{fieldPath: /data/c, yaml: [{subPath: /a, operator: remove}]}`, "fieldOverrider[0].yaml: the value is not a YAML document"},
		{"an empty YAML document is null", "",
			`{fieldPath: /data/c, yaml: [{subPath: /a, operator: add, value: 1}]}`, "fieldOverrider[0].yaml[0]: "},
		{"a YAML operation below a scalar", "a: 1\n",
			`{fieldPath: /data/c, yaml: [{subPath: /a/b, operator: add, value: 1}]}`,
			`fieldOverrider[0].yaml[0]: add operation does not apply: doc is missing path: "/a/b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := configMap("c", tt.doc)
			o := overriders(t, "fieldOverrider: ["+tt.overrider+"]")
			NewWithT(t).Expect(applyOverriders(obj, &o)).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}
