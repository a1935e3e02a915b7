package overrides

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
)

// Plaintext overriders are one RFC 6902 patch with the rules of evanphx/json-patch v5,
// which Karmada uses (semantics §1.2.2). Each case gives the patch and the manifest it
// must produce from base.
func TestPlaintextOverrider(t *testing.T) {
	const base = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - {name: a, image: a}
      - {name: b, image: b}
`
	tests := []struct {
		name  string
		patch string
		want  string
	}{
		{"replace a number", `[{path: /spec/replicas, operator: replace, value: 5}]`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 5
  template: {spec: {containers: [{name: a, image: a}, {name: b, image: b}]}}
`},
		{"add creates or overwrites a member; remove deletes one", `[
  {path: /metadata/labels/tier, operator: add, value: front},
  {path: /metadata/labels/app, operator: add, value: shop},
  {path: /spec/replicas, operator: remove}]`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: shop, tier: front}}
spec:
  template: {spec: {containers: [{name: a, image: a}, {name: b, image: b}]}}
`},
		{"array insert, append with -, negative index from the end", `[
  {path: /spec/template/spec/containers/0, operator: add, value: {name: first}},
  {path: /spec/template/spec/containers/-, operator: add, value: {name: last}},
  {path: /spec/template/spec/containers/-1/image, operator: add, value: z},
  {path: /spec/template/spec/containers/-2, operator: remove}]`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  template: {spec: {containers: [{name: first}, {name: a, image: a}, {name: last, image: z}]}}
`},
		{"add at -1 appends", `[{path: /spec/template/spec/containers/-1, operator: add, value: {name: c}}]`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  template: {spec: {containers: [{name: a, image: a}, {name: b, image: b}, {name: c}]}}
`},
		{"later operations see earlier ones", `[
  {path: /metadata/annotations, operator: add, value: {}},
  {path: /metadata/annotations/example.com~1owner, operator: add, value: team},
  {path: /metadata/annotations/x~0y, operator: add, value: "~0"},
  {path: /spec/template/spec/containers/01/image, operator: replace, value: c}]`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}, annotations: {example.com/owner: team, x~y: "~0"}}
spec:
  replicas: 3
  template: {spec: {containers: [{name: a, image: a}, {name: b, image: c}]}}
`},
		{"values of any JSON type; a missing value is null", `[
  {path: /spec/paused, operator: add, value: true},
  {path: /spec/ratio, operator: add, value: 1.5},
  {path: /spec/strategy, operator: add}]`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  paused: true
  ratio: 1.5
  strategy: null
  template: {spec: {containers: [{name: a, image: a}, {name: b, image: b}]}}
`},
		{"the whole manifest can be replaced", `[{path: "", operator: replace, value: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}}]`,
			`{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := manifest(t, base)
			o := overriders(t, "plaintext: "+tt.patch)
			if err := applyOverriders(obj, &o); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(yamlMap(t, tt.want), obj.Object); diff != "" {
				t.Errorf("manifest (-want +got):\n%s", diff)
			}
		})
	}
}

// A plaintext patch fails as a whole on its first invalid operation; the error names it.
func TestPlaintextOverriderErrors(t *testing.T) {
	const base = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {template: {spec: {containers: [{name: a}]}}}}`
	tests := []struct {
		name  string
		patch string
		want  string
	}{
		// json-patch v4 would let this replace add the member; v5, and so Karmada, fail.
		{"replace of a missing member", `[{path: /spec/replicas, operator: replace, value: 2}]`,
			"plaintext[0]: replace operation does not apply: doc is missing key: /spec/replicas"},
		{"remove of a missing member", `[{path: /metadata/labels, operator: add, value: {}}, {path: /metadata/labels/x, operator: remove}]`,
			"plaintext[1]: unable to remove nonexistent key: x"},
		{"add below a missing member", `[{path: /spec/strategy/type, operator: add, value: Recreate}]`,
			`plaintext[0]: add operation does not apply: doc is missing path: "/spec/strategy/type"`},
		{"add below a scalar", `[{path: /metadata/name/x, operator: add, value: 1}]`,
			`plaintext[0]: add operation does not apply: doc is missing path: "/metadata/name/x"`},
		{"an index past the end", `[{path: /spec/template/spec/containers/2, operator: add, value: {}}]`,
			"plaintext[0]: error in add for path: '/spec/template/spec/containers/2': Unable to access invalid index: 2"},
		{"replace past the end", `[{path: /spec/template/spec/containers/1, operator: replace, value: {}}]`,
			"plaintext[0]: error in replace for path: '/spec/template/spec/containers/1': Unable to access invalid index: 1"},
		{"an index that is not a number", `[{path: /spec/template/spec/containers/a, operator: add, value: {}}]`,
			"value was not a proper array index: 'a'"},
		{"removing the kind", `[{path: /kind, operator: remove}]`,
			"plaintext: the patched manifest has no kind"},
		{"an invalid apiVersion", `[{path: /apiVersion, operator: replace, value: a/b/c}]`,
			"plaintext: the patched manifest has no kind or an invalid apiVersion"},
		{"the whole manifest replaced by an array", `[{path: "", operator: replace, value: [1]}]`,
			"plaintext: the patched manifest is not a JSON object"},
		{"an operator outside add, remove and replace", `[{path: /spec, operator: move}]`,
			`plaintext[0]: unexpected operation "move"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := overriders(t, "plaintext: "+tt.patch)
			NewWithT(t).Expect(applyOverriders(manifest(t, base), &o)).To(MatchError(ContainSubstring(tt.want)))
		})
	}
}

// v5 drops the first segment of a path whatever it is, so a path without a leading slash
// addresses the root (validation requires JSON pointers; this pins the library rule).
func TestPatchPathWithoutLeadingSlash(t *testing.T) {
	g := NewWithT(t)
	root, _, err := applyOperations(map[string]any{}, []patchOperation{{op: "add", path: "spec/replicas", value: int64(1)}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(root).To(Equal(map[string]any{"replicas": int64(1)}))

	_, _, err = applyOperations(map[string]any{}, []patchOperation{{op: "add", path: "replicas", value: int64(1)}})
	g.Expect(err).To(MatchError(ContainSubstring("doc is missing path")))
}
