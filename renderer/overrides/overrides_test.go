package overrides

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/scheduler"
)

// markerCOP is a ClusterOverridePolicy that appends its name to the args of container web,
// so that the args of the result spell out the order policies were applied in.
func markerCOP(t testing.TB, name, selectors string) *v1alpha1.ClusterOverridePolicy {
	return clusterOverridePolicy(t, fmt.Sprintf(`
metadata: {name: %s}
spec:
  resourceSelectors: %s
  overrideRules:
  - overriders: {argsOverrider: [{containerName: web, operator: add, value: [%s]}]}
`, name, selectors, name))
}

// markerOP is the OverridePolicy counterpart of markerCOP.
func markerOP(t testing.TB, namespace, name, selectors string) *v1alpha1.OverridePolicy {
	return overridePolicy(t, fmt.Sprintf(`
metadata: {name: %s, namespace: %s}
spec:
  resourceSelectors: %s
  overrideRules:
  - overriders: {argsOverrider: [{containerName: web, operator: add, value: [%s]}]}
`, name, namespace, selectors, name))
}

// webArgs returns the args of container web of the deployment.
func webArgs(t testing.TB, obj *unstructured.Unstructured) []any {
	t.Helper()
	containers, _, _ := unstructured.NestedSlice(obj.Object, "spec", "template", "spec", "containers")
	for _, c := range containers {
		if c.(map[string]any)["name"] == "web" {
			args, _ := c.(map[string]any)["args"].([]any)
			return args
		}
	}
	return nil
}

func policyNames(items []AppliedOverrider) []string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.PolicyName
	}
	return names
}

// Order between policies (semantics §1.2.1 items 1-2, §14 item 11): every
// ClusterOverridePolicy before every OverridePolicy; within each kind ascending implicit
// priority (match-all, then label selector, then name), then name; policies whose
// selectors do not match, and OverridePolicies of other namespaces, are left out.
func TestApplyOrderBetweenPolicies(t *testing.T) {
	const deploymentSel = "{apiVersion: apps/v1, kind: Deployment"
	policies := Policies{
		Cluster: []*v1alpha1.ClusterOverridePolicy{
			markerCOP(t, "cop-z", "[]"),
			markerCOP(t, "cop-a", "["+deploymentSel+", name: web}]"),
			markerCOP(t, "cop-m", "["+deploymentSel+", labelSelector: {matchLabels: {app: web}}}]"),
			markerCOP(t, "cop-b", "["+deploymentSel+"}]"),
			// The best selector decides: a name that does not match, a namespace that does.
			markerCOP(t, "cop-c", "["+deploymentSel+", name: other}, "+deploymentSel+", namespace: shop}]"),
			markerCOP(t, "cop-no-match", "["+deploymentSel+", name: other}, {apiVersion: v1, kind: Deployment}]"),
		},
		Namespaced: []*v1alpha1.OverridePolicy{
			markerOP(t, "shop", "op-a", "["+deploymentSel+", name: web}]"),
			markerOP(t, "shop", "op-b", "[]"),
			markerOP(t, "shop", "op-c", "["+deploymentSel+", labelSelector: {matchExpressions: [{key: app, operator: Exists}]}}]"),
			markerOP(t, "other", "op-other-namespace", "[]"),
			markerOP(t, "shop", "op-no-match", "["+deploymentSel+", labelSelector: {matchLabels: {app: db}}}]"),
		},
	}
	wantCOPs := []string{"cop-b", "cop-c", "cop-z", "cop-m", "cop-a"}
	wantOPs := []string{"op-b", "op-c", "op-a"}
	want := make([]any, 0)
	for _, n := range append(slices.Clone(wantCOPs), wantOPs...) {
		want = append(want, n)
	}

	// The order of the input lists never shows.
	for _, reverse := range []bool{false, true} {
		t.Run(fmt.Sprintf("reversed input %v", reverse), func(t *testing.T) {
			g := NewWithT(t)
			p := Policies{Cluster: slices.Clone(policies.Cluster), Namespaced: slices.Clone(policies.Namespaced)}
			if reverse {
				slices.Reverse(p.Cluster)
				slices.Reverse(p.Namespaced)
			}
			obj := manifest(t, deploymentYAML)
			applied, err := Apply(obj, memberCluster("member1", "", nil), p)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(policyNames(applied.ClusterOverrides)).To(Equal(wantCOPs))
			g.Expect(policyNames(applied.Overrides)).To(Equal(wantOPs))
			g.Expect(webArgs(t, obj)).To(Equal(want))
		})
	}
}

// Karmada's TestGetMatchingOverridePolicies, re-expressed: rules apply in order, each only
// on the clusters its targetCluster matches, and the applied list has one entry per rule.
func TestApplyRulesPerCluster(t *testing.T) {
	policies := Policies{Namespaced: []*v1alpha1.OverridePolicy{
		overridePolicy(t, `
metadata: {name: overridePolicy1, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: test}]
  overrideRules:
  - targetCluster: {clusterNames: [cluster1, cluster2]}
    overriders: {plaintext: [{path: /metadata/annotations/one, operator: add, value: "foo: bar"}]}
  - targetCluster: {clusterNames: [cluster2]}
    overriders: {plaintext: [{path: /metadata/annotations/two, operator: add, value: "aaa: bbb"}]}
`),
		overridePolicy(t, `
metadata: {name: overridePolicy2, namespace: default}
spec:
  overrideRules:
  - targetCluster: {clusterNames: [cluster1, cluster2]}
    overriders: {plaintext: [{path: /metadata/annotations, operator: add, value: {three: "hello: world"}}]}
`),
	}}
	const deployment = `{apiVersion: apps/v1, kind: Deployment, metadata: {name: test, namespace: default}}`
	tests := []struct {
		cluster         string
		wantPolicies    []string
		wantAnnotations map[string]string
	}{
		{"cluster1", []string{"overridePolicy2", "overridePolicy1"}, map[string]string{"three": "hello: world", "one": "foo: bar"}},
		{"cluster2", []string{"overridePolicy2", "overridePolicy1", "overridePolicy1"},
			map[string]string{"three": "hello: world", "one": "foo: bar", "two": "aaa: bbb"}},
		{"cluster3", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.cluster, func(t *testing.T) {
			g := NewWithT(t)
			obj := manifest(t, deployment)
			applied, err := Apply(obj, memberCluster(tt.cluster, "", nil), policies)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(applied.ClusterOverrides).To(BeEmpty())
			g.Expect(policyNames(applied.Overrides)).To(Equal(append([]string{}, tt.wantPolicies...)))
			g.Expect(obj.GetAnnotations()).To(Equal(tt.wantAnnotations))
		})
	}
}

// targetCluster is a full ClusterAffinity: labels, fields, names and exclusions.
func TestApplyTargetCluster(t *testing.T) {
	cop := clusterOverridePolicy(t, `
metadata: {name: per-cluster}
spec:
  overrideRules:
  - targetCluster: {labelSelector: {matchLabels: {env: prod}}}
    overriders: {argsOverrider: [{containerName: web, operator: add, value: [prod]}]}
  - overriders: {argsOverrider: [{containerName: web, operator: add, value: [everywhere]}]}
  - targetCluster: {fieldSelector: {matchExpressions: [{key: region, operator: In, values: [eu-west-1]}]}}
    overriders: {argsOverrider: [{containerName: web, operator: add, value: [eu]}]}
  - targetCluster: {exclude: [member1]}
    overriders: {argsOverrider: [{containerName: web, operator: add, value: [not-member1]}]}
  - targetCluster: {}
    overriders: {argsOverrider: [{containerName: web, operator: add, value: [empty-affinity]}]}
`)
	tests := []struct {
		cluster *scheduler.ClusterInfo
		want    []any
	}{
		{memberCluster("member1", "eu-west-1", map[string]string{"env": "prod"}), []any{"prod", "everywhere", "eu", "empty-affinity"}},
		{memberCluster("member2", "us-east-1", map[string]string{"env": "dev"}), []any{"everywhere", "not-member1", "empty-affinity"}},
	}
	plain := Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{cop}}
	for _, tt := range tests {
		for name, policies := range map[string]Policies{"plain": plain, "compiled": plain.Compile()} {
			t.Run(tt.cluster.Name+"/"+name, func(t *testing.T) {
				g := NewWithT(t)
				obj := manifest(t, deploymentYAML)
				applied, err := Apply(obj, tt.cluster, policies)
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(webArgs(t, obj)).To(Equal(tt.want))
				g.Expect(applied.ClusterOverrides).To(HaveLen(len(tt.want)))
			})
		}
	}

	// No rule for the cluster: nothing applied, nothing recorded.
	g := NewWithT(t)
	obj := manifest(t, deploymentYAML)
	onlyProd := clusterOverridePolicy(t, `
metadata: {name: prod-only}
spec:
  overrideRules:
  - targetCluster: {clusterNames: [member1]}
    overriders: {labelsOverrider: [{operator: add, value: {prod: "true"}}]}
`)
	applied, err := Apply(obj, memberCluster("member2", "", nil), Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{onlyProd}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(applied).To(Equal(Applied{}))
	g.Expect(obj.Object).To(Equal(manifest(t, deploymentYAML).Object))
}

// Within one rule the overriders run as image, command, args, labels, annotations, field,
// plaintext, whatever their order in the YAML (semantics §1.2.1 item 4). Each step below
// only works, or only wins, because of that order.
func TestApplyOverriderOrderWithinRule(t *testing.T) {
	g := NewWithT(t)
	cop := clusterOverridePolicy(t, `
metadata: {name: all-kinds}
spec:
  overrideRules:
  - overriders:
      # plaintext comes last whatever its place: it replaces the label the labels
      # overrider adds, and overwrites the image and the field overrider's result.
      plaintext:
      - {path: /metadata/labels/tier, operator: replace, value: plaintext}
      - {path: /spec/template/spec/containers/1/image, operator: replace, value: "plain:1"}
      - {path: /metadata/annotations/final, operator: add, value: plaintext}
      # the field overrider patches the annotation the annotations overrider adds
      fieldOverrider:
      - {fieldPath: /metadata/annotations/config, json: [{subPath: /level, operator: replace, value: debug}]}
      annotationsOverrider:
      - {operator: add, value: {config: '{"level":"info"}', final: annotations}}
      labelsOverrider:
      - {operator: add, value: {tier: labels}}
      # args sees the command overrider's result only through its own field; both run
      argsOverrider:
      - {containerName: web, operator: add, value: [--port=8080]}
      commandOverrider:
      - {containerName: web, operator: remove, value: [-t]}
      imageOverrider:
      - {component: Registry, operator: replace, value: mirror.example}
`)
	obj := manifest(t, deploymentYAML)
	_, err := Apply(obj, memberCluster("member1", "", nil), Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{cop}})
	g.Expect(err).NotTo(HaveOccurred())

	want := manifest(t, deploymentYAML)
	g.Expect(unstructured.SetNestedStringMap(want.Object, map[string]string{"app": "web", "tier": "plaintext"}, "metadata", "labels")).To(Succeed())
	g.Expect(unstructured.SetNestedStringMap(want.Object,
		map[string]string{"team": "storefront", "config": `{"level":"debug"}`, "final": "plaintext"}, "metadata", "annotations")).To(Succeed())
	containers, _, _ := unstructured.NestedSlice(want.Object, "spec", "template", "spec", "containers")
	containers[0].(map[string]any)["image"] = "mirror.example/imagename:v1.0.0"
	containers[0].(map[string]any)["command"] = []any{"nginx", "-v"}
	containers[0].(map[string]any)["args"] = []any{"--port=8080"}
	containers[1].(map[string]any)["image"] = "plain:1"
	g.Expect(unstructured.SetNestedSlice(want.Object, containers, "spec", "template", "spec", "containers")).To(Succeed())
	if diff := cmp.Diff(want.Object, obj.Object); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
}

// The deprecated single rule (spec.targetCluster + spec.overriders) is used when
// overrideRules is empty.
func TestApplyLegacyRule(t *testing.T) {
	legacy := clusterOverridePolicy(t, `
metadata: {name: oldOverridePolicy}
spec:
  targetCluster: {clusterNames: [cluster1]}
  overriders: {labelsOverrider: [{operator: add, value: {legacy: "true"}}]}
`)
	g := NewWithT(t)
	obj := manifest(t, deploymentYAML)
	applied, err := Apply(obj, memberCluster("cluster1", "", nil), Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{legacy}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(applied.ClusterOverrides).To(Equal([]AppliedOverrider{{PolicyName: "oldOverridePolicy", Overriders: legacy.Spec.Overriders}}))
	g.Expect(obj.GetLabels()).To(HaveKeyWithValue("legacy", "true"))

	for _, policies := range []Policies{{Cluster: []*v1alpha1.ClusterOverridePolicy{legacy}}, Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{legacy}}.Compile()} {
		obj = manifest(t, deploymentYAML)
		applied, err = Apply(obj, memberCluster("cluster2", "", nil), policies)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(applied.ClusterOverrides).To(BeEmpty())
		g.Expect(obj.GetLabels()).NotTo(HaveKey("legacy"))
	}
	compiled := Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{legacy}}.Compile()
	applied, err = Apply(manifest(t, deploymentYAML), memberCluster("cluster1", "", nil), compiled)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(applied.ClusterOverrides).To(HaveLen(1), "the compiled legacy target matches cluster1")

	// A policy with neither rules nor overriders is one empty rule for every cluster: it
	// changes nothing but is recorded, as Karmada records it.
	empty := clusterOverridePolicy(t, `{metadata: {name: nothing}, spec: {overrideRules: []}}`)
	applied, err = Apply(manifest(t, deploymentYAML), memberCluster("cluster2", "", nil), Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{empty}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(applied.ClusterOverrides).To(Equal([]AppliedOverrider{{PolicyName: "nothing"}}))
}

// A cluster-scoped manifest only gets ClusterOverridePolicies, however OverridePolicies
// select (semantics §1.2.1 item 1; Karmada's "test clusterOverridePolicy").
func TestApplyClusterScopedGetsOnlyClusterOverridePolicies(t *testing.T) {
	g := NewWithT(t)
	obj := manifest(t, `{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: test2, labels: {testLabel: testLabel}}}`)
	policies := Policies{
		Cluster: []*v1alpha1.ClusterOverridePolicy{clusterOverridePolicy(t, `
metadata: {name: test2}
spec:
  resourceSelectors: [{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, name: test2}]
  overrideRules:
  - targetCluster: {clusterNames: [test2]}
    overriders: {labelsOverrider: [{operator: add, value: {testAddLabel: testAddLabel}}]}
`)},
		Namespaced: []*v1alpha1.OverridePolicy{overridePolicy(t, `
metadata: {name: everything, namespace: default}
spec:
  overrideRules: [{overriders: {labelsOverrider: [{operator: add, value: {fromOP: "true"}}]}}]
`)},
	}
	applied, err := Apply(obj, memberCluster("test2", "", nil), policies)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(policyNames(applied.ClusterOverrides)).To(Equal([]string{"test2"}))
	g.Expect(applied.Overrides).To(BeNil())
	g.Expect(obj.GetLabels()).To(Equal(map[string]string{"testLabel": "testLabel", "testAddLabel": "testAddLabel"}))
}

// Karmada selects OverridePolicies only after applying the ClusterOverridePolicies, against
// the manifest they produced: a label a COP adds can select an OP, and a COP that moves
// the manifest to another namespace brings that namespace's OPs.
func TestApplyOverridePoliciesSeeClusterOverrides(t *testing.T) {
	g := NewWithT(t)
	policies := Policies{
		Cluster: []*v1alpha1.ClusterOverridePolicy{clusterOverridePolicy(t, `
metadata: {name: move}
spec:
  overrideRules:
  - overriders:
      labelsOverrider: [{operator: add, value: {tier: gold}}]
      plaintext: [{path: /metadata/namespace, operator: replace, value: shop-eu}]
`)},
		Namespaced: []*v1alpha1.OverridePolicy{
			markerOP(t, "shop-eu", "gold", "[{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {tier: gold}}}]"),
			markerOP(t, "shop", "old-namespace", "[]"),
		},
	}
	obj := manifest(t, deploymentYAML)
	applied, err := Apply(obj, memberCluster("member1", "", nil), policies)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(policyNames(applied.Overrides)).To(Equal([]string{"gold"}))
	g.Expect(webArgs(t, obj)).To(Equal([]any{"gold"}))
	g.Expect(obj.GetNamespace()).To(Equal("shop-eu"))

	// A COP that clears the namespace makes the manifest cluster-scoped: no OP at all.
	policies.Cluster = []*v1alpha1.ClusterOverridePolicy{clusterOverridePolicy(t, `
metadata: {name: unscope}
spec: {overrideRules: [{overriders: {plaintext: [{path: /metadata/namespace, operator: remove}]}}]}
`)}
	applied, err = Apply(manifest(t, deploymentYAML), memberCluster("member1", "", nil), policies)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(applied.Overrides).To(BeEmpty())
}

// Errors name the policy, the rule and the overrider; nothing is reported as applied.
func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name     string
		policies Policies
		want     string
		wantErr  PolicyError
	}{
		{"a plaintext operation of a ClusterOverridePolicy",
			Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{clusterOverridePolicy(t, `
metadata: {name: regional-registries}
spec:
  overrideRules:
  - overriders: {labelsOverrider: [{operator: add, value: {a: b}}]}
  - overriders:
      plaintext:
      - {path: /spec/replicas, operator: replace, value: 1}
      - {path: /spec/paused, operator: replace, value: true}
`)}},
			`ClusterOverridePolicy/regional-registries: overrideRules[1].overriders.plaintext[1]: replace operation does not apply: doc is missing key: /spec/paused: missing value`,
			PolicyError{Kind: "ClusterOverridePolicy", Name: "regional-registries", Field: "overrideRules[1].overriders.plaintext[1]"}},
		{"an image overrider of an OverridePolicy",
			Policies{Namespaced: []*v1alpha1.OverridePolicy{overridePolicy(t, `
metadata: {name: tags, namespace: shop}
spec:
  overrideRules:
  - overriders: {imageOverrider: [{component: Tag, operator: add, value: x}, {predicate: {path: /spec/nothing}, component: Tag, operator: add, value: x}]}
`)}},
			`OverridePolicy/shop/tags: overrideRules[0].overriders.imageOverrider[1]: failed to obtain imageValue with predicate path(/spec/nothing), error: failed to convert path(nothing) to string`,
			PolicyError{Kind: "OverridePolicy", Namespace: "shop", Name: "tags", Field: "overrideRules[0].overriders.imageOverrider[1]"}},
		{"the legacy rule",
			Policies{Cluster: []*v1alpha1.ClusterOverridePolicy{clusterOverridePolicy(t, `
metadata: {name: old}
spec: {overriders: {fieldOverrider: [{fieldPath: /spec/replicas, yaml: [{subPath: /a, operator: remove}]}]}}
`)}},
			`ClusterOverridePolicy/old: overriders.fieldOverrider[0].fieldPath: the value at /spec/replicas is not a string`,
			PolicyError{Kind: "ClusterOverridePolicy", Name: "old", Field: "overriders.fieldOverrider[0].fieldPath"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			applied, err := Apply(manifest(t, deploymentYAML), memberCluster("member1", "", nil), tt.policies)
			g.Expect(err).To(MatchError(tt.want))
			g.Expect(applied).To(Equal(Applied{}))
			var pe *PolicyError
			g.Expect(errors.As(err, &pe)).To(BeTrue())
			g.Expect(pe.Kind).To(Equal(tt.wantErr.Kind))
			g.Expect(pe.Namespace).To(Equal(tt.wantErr.Namespace))
			g.Expect(pe.Name).To(Equal(tt.wantErr.Name))
			g.Expect(pe.Field).To(Equal(tt.wantErr.Field))
			g.Expect(errors.Unwrap(err)).To(Equal(pe.Err))
		})
	}

	g := NewWithT(t)
	_, err := Apply(manifest(t, deploymentYAML), nil, Policies{})
	g.Expect(err).To(MatchError("applying overrides: no cluster"))
	_, err = Apply(nil, memberCluster("member1", "", nil), Policies{})
	g.Expect(err).To(MatchError("applying overrides: no manifest"))
}

// The annotations Karmada writes on the Work: the JSON of each list, ordered by policy name
// (Karmada's shadow_test), absent when the list is empty.
func TestAppliedAnnotations(t *testing.T) {
	g := NewWithT(t)

	none, err := Applied{}.Annotations()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(none).To(BeNil())

	applied := Applied{
		ClusterOverrides: []AppliedOverrider{{PolicyName: "bbb"}, {PolicyName: "aaa"}, {PolicyName: "ccc"}},
		Overrides: []AppliedOverrider{
			{PolicyName: "web", Overriders: overriders(t, `
plaintext: [{path: /spec/replicas, operator: replace, value: 2}]
labelsOverrider: [{operator: add, value: {z: "1", a: "2"}}]
imageOverrider: [{component: Registry, operator: remove}]
`)},
			{PolicyName: "base", Overriders: overriders(t, `commandOverrider: [{containerName: web, operator: add, value: [-x]}]`)},
		},
	}
	got, err := applied.Annotations()
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got).To(Equal(map[string]string{
		"policy.karmada.io/applied-cluster-overrides": `[{"policyName":"aaa","overriders":{}},{"policyName":"bbb","overriders":{}},{"policyName":"ccc","overriders":{}}]`,
		"policy.karmada.io/applied-overrides": `[{"policyName":"base","overriders":{"commandOverrider":[{"containerName":"web","operator":"add","value":["-x"]}]}},` +
			`{"policyName":"web","overriders":{"plaintext":[{"path":"/spec/replicas","operator":"replace","value":2}],` +
			`"imageOverrider":[{"component":"Registry","operator":"remove"}],"labelsOverrider":[{"operator":"add","value":{"a":"2","z":"1"}}]}}]`,
	}))
	// The record itself stays in application order.
	g.Expect(policyNames(applied.ClusterOverrides)).To(Equal([]string{"bbb", "aaa", "ccc"}))
}

// Karmada's Test_overrideManagerImpl_ApplyOverridePolicies "test overridePolicies": an
// OverridePolicy naming the Deployment adds a label and an annotation on cluster test1.
func TestApplyNamespacedManifest(t *testing.T) {
	g := NewWithT(t)
	obj := manifest(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: test1, namespace: default, labels: {testLabel: testLabel}, annotations: {testAnnotation: testAnnotation}}
`)
	op := overridePolicy(t, `
metadata: {name: test1, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, namespace: default, name: test1}]
  overrideRules:
  - targetCluster: {clusterNames: [test1]}
    overriders:
      labelsOverrider: [{operator: add, value: {testAddLabel: testAddLabel}}]
      annotationsOverrider: [{operator: add, value: {testAddAnnotation: testAddAnnotation}}]
`)
	applied, err := Apply(obj, memberCluster("test1", "", nil), Policies{Namespaced: []*v1alpha1.OverridePolicy{op}})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(applied).To(Equal(Applied{Overrides: []AppliedOverrider{{PolicyName: "test1", Overriders: op.Spec.OverrideRules[0].Overriders}}}))
	g.Expect(obj.GetLabels()).To(Equal(map[string]string{"testLabel": "testLabel", "testAddLabel": "testAddLabel"}))
	g.Expect(obj.GetAnnotations()).To(Equal(map[string]string{"testAnnotation": "testAnnotation", "testAddAnnotation": "testAddAnnotation"}))
}
