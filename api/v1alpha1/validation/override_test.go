package validation

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func jsonValue(raw string) apiextensionsv1.JSON { return apiextensionsv1.JSON{Raw: []byte(raw)} }

// withRule returns an edit that replaces the policy's rules by one rule with the given
// overriders for every cluster.
func withRule(o v1alpha1.Overriders) func(*v1alpha1.OverrideSpec) {
	return func(s *v1alpha1.OverrideSpec) { s.OverrideRules = []v1alpha1.RuleWithCluster{{Overriders: o}} }
}

func TestValidateOverridePolicy(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*v1alpha1.OverrideSpec)
		editOP func(*v1alpha1.OverridePolicy)
		want   []wantErr
	}{
		// Valid policies.
		{name: "one rule using every overrider correctly"},
		{name: "no resource selectors matches everything", edit: func(s *v1alpha1.OverrideSpec) { s.ResourceSelectors = nil }},
		{
			name: "the legacy single rule alone",
			edit: func(s *v1alpha1.OverrideSpec) {
				s.OverrideRules = nil
				s.TargetCluster = &v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}}
				s.Overriders = v1alpha1.Overriders{Plaintext: []v1alpha1.PlaintextOverrider{
					{Path: "/spec/replicas", Operator: "replace", Value: jsonValue("2")}}}
			},
		},

		// Metadata and selectors.
		{
			name:   "namespace is required",
			editOP: func(p *v1alpha1.OverridePolicy) { p.Namespace = "" },
			// The selectors were defaulted to the empty namespace too, so only metadata fails.
			want: []wantErr{required("metadata.namespace", "")},
		},
		{
			name: "selector namespace must be the policy's",
			edit: func(s *v1alpha1.OverrideSpec) {
				s.ResourceSelectors = append(s.ResourceSelectors, v1alpha1.ResourceSelector{APIVersion: "v1", Kind: "Service", Namespace: "blog"})
			},
			want: []wantErr{invalid("spec.resourceSelectors[1].namespace", "namespace of resource selector must be the same as the namespace of the policy")},
		},
		{
			name: "selector apiVersion and kind are required",
			edit: func(s *v1alpha1.OverrideSpec) { s.ResourceSelectors = []v1alpha1.ResourceSelector{{}} },
			want: []wantErr{required("spec.resourceSelectors[0].apiVersion", ""), required("spec.resourceSelectors[0].kind", "")},
		},

		// Legacy rule versus overrideRules.
		{
			name: "targetCluster and overrideRules cannot co-exist",
			edit: func(s *v1alpha1.OverrideSpec) {
				s.TargetCluster = &v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}}
			},
			want: []wantErr{forbidden("spec.targetCluster", "overrideRules and targetCluster can't co-exist")},
		},
		{
			name: "overriders and overrideRules cannot co-exist",
			edit: func(s *v1alpha1.OverrideSpec) {
				s.Overriders = v1alpha1.Overriders{LabelsOverrider: []v1alpha1.LabelAnnotationOverrider{{Operator: "add", Value: map[string]string{"a": "b"}}}}
			},
			want: []wantErr{forbidden("spec.overriders", "overrideRules and overriders can't co-exist")},
		},
		{
			name: "the legacy targetCluster is validated",
			edit: func(s *v1alpha1.OverrideSpec) {
				s.OverrideRules = nil
				s.TargetCluster = &v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("cloud", corev1.NodeSelectorOpIn)}
			},
			want: []wantErr{invalid("spec.targetCluster.fieldSelector.matchExpressions[0].key", `unsupported key "cloud"`)},
		},
		{
			name: "the legacy overriders are validated",
			edit: func(s *v1alpha1.OverrideSpec) {
				s.OverrideRules = nil
				s.Overriders = v1alpha1.Overriders{Plaintext: []v1alpha1.PlaintextOverrider{{Path: "spec/replicas", Operator: "replace"}}}
			},
			want: []wantErr{invalid("spec.overriders.plaintext[0].path", `JSON pointer must be empty or start with a "/"`)},
		},
		{
			name: "a rule's targetCluster is validated",
			edit: func(s *v1alpha1.OverrideSpec) {
				s.OverrideRules[0].TargetCluster = &v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("zone", corev1.NodeSelectorOpExists)}
			},
			want: []wantErr{invalid("spec.overrideRules[0].targetCluster.fieldSelector.matchExpressions[0].operator", `unsupported operator "Exists"`)},
		},

		// Plaintext.
		{
			name: "plaintext path is a required JSON pointer; operator is add, remove or replace",
			edit: withRule(v1alpha1.Overriders{Plaintext: []v1alpha1.PlaintextOverrider{
				{Path: "spec/replicas", Operator: "replace"},
				{Operator: "add"},
				{Path: "/spec/paused", Operator: "move"},
			}}),
			want: []wantErr{
				invalid("spec.overrideRules[0].overriders.plaintext[0].path", `JSON pointer must be empty or start with a "/"`),
				required("spec.overrideRules[0].overriders.plaintext[1].path", ""),
				notSupported("spec.overrideRules[0].overriders.plaintext[2].operator"),
			},
		},

		// Image overrider.
		{
			name: "image predicate path must be a JSON pointer",
			edit: withRule(v1alpha1.Overriders{ImageOverrider: []v1alpha1.ImageOverrider{
				{Predicate: &v1alpha1.ImagePredicate{Path: "spec/template/spec/containers/0/image"}, Component: "Tag", Operator: "replace", Value: "v2"},
			}}),
			want: []wantErr{invalid("spec.overrideRules[0].overriders.imageOverrider[0].predicate.path", `JSON pointer must be empty or start with a "/"`)},
		},
		{
			name: "image predicate path is required",
			edit: withRule(v1alpha1.Overriders{ImageOverrider: []v1alpha1.ImageOverrider{
				{Predicate: &v1alpha1.ImagePredicate{}, Component: "Tag", Operator: "replace", Value: "v2"},
			}}),
			want: []wantErr{required("spec.overrideRules[0].overriders.imageOverrider[0].predicate.path", "")},
		},
		{
			name: "image component is Registry, Repository or Tag; operator is required",
			edit: withRule(v1alpha1.Overriders{ImageOverrider: []v1alpha1.ImageOverrider{{Component: "Digest"}}}),
			want: []wantErr{
				notSupported("spec.overrideRules[0].overriders.imageOverrider[0].component"),
				required("spec.overrideRules[0].overriders.imageOverrider[0].operator", ""),
			},
		},

		// Command and args overriders.
		{
			name: "command operator is add or remove",
			edit: withRule(v1alpha1.Overriders{CommandOverrider: []v1alpha1.CommandArgsOverrider{
				{ContainerName: "web", Operator: "replace", Value: []string{"x"}}}}),
			want: []wantErr{notSupported("spec.overrideRules[0].overriders.commandOverrider[0].operator")},
		},
		{
			name: "args containerName is required",
			edit: withRule(v1alpha1.Overriders{ArgsOverrider: []v1alpha1.CommandArgsOverrider{
				{ContainerName: "web", Operator: "add"}, {Operator: "remove"}}}),
			want: []wantErr{required("spec.overrideRules[0].overriders.argsOverrider[1].containerName", "")},
		},

		// Labels and annotations overriders.
		{
			name: "label overrider values are valid labels, checked key by key",
			edit: withRule(v1alpha1.Overriders{LabelsOverrider: []v1alpha1.LabelAnnotationOverrider{
				{Operator: "add", Value: map[string]string{"env": "prod", "bad key": "v", "tier": "a b"}}}}),
			want: []wantErr{
				invalid("spec.overrideRules[0].overriders.labelsOverrider[0].value[bad key]", ""),
				invalid("spec.overrideRules[0].overriders.labelsOverrider[0].value[tier]", ""),
			},
		},
		{
			name: "label overrider operator and value are required",
			edit: withRule(v1alpha1.Overriders{LabelsOverrider: []v1alpha1.LabelAnnotationOverrider{{}}}),
			want: []wantErr{
				required("spec.overrideRules[0].overriders.labelsOverrider[0].operator", ""),
				required("spec.overrideRules[0].overriders.labelsOverrider[0].value", ""),
			},
		},
		{
			name: "annotation overrider keys are valid annotation keys",
			edit: withRule(v1alpha1.Overriders{AnnotationsOverrider: []v1alpha1.LabelAnnotationOverrider{
				{Operator: "replace", Value: map[string]string{"Example.io/Note": "any value at all", "a/b/c": ""}}}}),
			want: []wantErr{invalid("spec.overrideRules[0].overriders.annotationsOverrider[0].value[a/b/c]", "")},
		},
		{
			name: "annotation overrider operator is add, remove or replace",
			edit: withRule(v1alpha1.Overriders{AnnotationsOverrider: []v1alpha1.LabelAnnotationOverrider{
				{Operator: "merge", Value: map[string]string{"a": "b"}}}}),
			want: []wantErr{notSupported("spec.overrideRules[0].overriders.annotationsOverrider[0].operator")},
		},

		// Field overrider.
		{
			name: "field overrider needs exactly one of json and yaml: both",
			edit: withRule(v1alpha1.Overriders{FieldOverrider: []v1alpha1.FieldOverrider{{
				FieldPath: "/data/config",
				JSON:      []v1alpha1.JSONPatchOperation{{SubPath: "/a", Operator: "remove"}},
				YAML:      []v1alpha1.YAMLPatchOperation{{SubPath: "/a", Operator: "remove"}},
			}}}),
			want: []wantErr{invalid("spec.overrideRules[0].overriders.fieldOverrider[0]", "FieldOverrider has both YAML and JSON set. Only one is allowed")},
		},
		{
			name: "field overrider needs exactly one of json and yaml: neither",
			edit: withRule(v1alpha1.Overriders{FieldOverrider: []v1alpha1.FieldOverrider{{FieldPath: "/data/config"}}}),
			want: []wantErr{required("spec.overrideRules[0].overriders.fieldOverrider[0]", "FieldOverrider must have either JSON or YAML set")},
		},
		{
			name: "fieldPath is a required JSON pointer",
			edit: withRule(v1alpha1.Overriders{FieldOverrider: []v1alpha1.FieldOverrider{
				{FieldPath: "data/config", YAML: []v1alpha1.YAMLPatchOperation{{SubPath: "/a", Operator: "remove"}}},
				{YAML: []v1alpha1.YAMLPatchOperation{{SubPath: "/a", Operator: "remove"}}},
			}}),
			want: []wantErr{
				invalid("spec.overrideRules[0].overriders.fieldOverrider[0].fieldPath", `JSON pointer must be empty or start with a "/"`),
				required("spec.overrideRules[0].overriders.fieldOverrider[1].fieldPath", ""),
			},
		},
		{
			name: "json subPath must be a JSON pointer; add and replace need a value",
			edit: withRule(v1alpha1.Overriders{FieldOverrider: []v1alpha1.FieldOverrider{{
				FieldPath: "/data/config.json",
				JSON: []v1alpha1.JSONPatchOperation{
					{SubPath: "log/level", Operator: "replace", Value: jsonValue(`"debug"`)},
					{SubPath: "/log/level", Operator: "add"},
					{SubPath: "", Operator: "replace", Value: jsonValue(`{}`)},
				},
			}}}),
			want: []wantErr{
				invalid("spec.overrideRules[0].overriders.fieldOverrider[0].json[0].subPath", `JSON pointer must be empty or start with a "/"`),
				required("spec.overrideRules[0].overriders.fieldOverrider[0].json[1].value", "value is required for add or replace operation"),
			},
		},
		{
			name: "yaml remove must not have a value; replace needs one; operator is required",
			edit: withRule(v1alpha1.Overriders{FieldOverrider: []v1alpha1.FieldOverrider{{
				FieldPath: "/data/config.yaml",
				YAML: []v1alpha1.YAMLPatchOperation{
					{SubPath: "/log", Operator: "remove", Value: jsonValue(`"x"`)},
					{SubPath: "/log", Operator: "replace"},
					{SubPath: "/log"},
				},
			}}}),
			want: []wantErr{
				forbidden("spec.overrideRules[0].overriders.fieldOverrider[0].yaml[0].value", "value is not allowed for remove operation"),
				required("spec.overrideRules[0].overriders.fieldOverrider[0].yaml[1].value", "value is required for add or replace operation"),
				required("spec.overrideRules[0].overriders.fieldOverrider[0].yaml[2].operator", ""),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &v1alpha1.OverridePolicy{
				ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "overrides"},
				Spec:       validOverrideSpec(),
			}
			if tt.edit != nil {
				tt.edit(&p.Spec)
			}
			if tt.editOP != nil {
				tt.editOP(p)
			}
			v1alpha1.SetDefaultsOverridePolicy(p)
			expectErrors(t, ValidateOverridePolicy(p), tt.want...)
		})
	}
}

// validOverrideSpec uses every overrider once, correctly.
func validOverrideSpec() v1alpha1.OverrideSpec {
	return v1alpha1.OverrideSpec{
		ResourceSelectors: []v1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}},
		OverrideRules: []v1alpha1.RuleWithCluster{{
			TargetCluster: &v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
			Overriders: v1alpha1.Overriders{
				Plaintext: []v1alpha1.PlaintextOverrider{{Path: "/spec/replicas", Operator: "replace", Value: jsonValue("3")}},
				ImageOverrider: []v1alpha1.ImageOverrider{
					{Component: "Registry", Operator: "replace", Value: "mirror.example.io"},
					{Predicate: &v1alpha1.ImagePredicate{Path: "/spec/template/spec/initContainers/0/image"}, Component: "Tag", Operator: "remove"},
				},
				CommandOverrider:     []v1alpha1.CommandArgsOverrider{{ContainerName: "web", Operator: "add", Value: []string{"--debug"}}},
				ArgsOverrider:        []v1alpha1.CommandArgsOverrider{{ContainerName: "web", Operator: "remove", Value: []string{"--quiet"}}},
				LabelsOverrider:      []v1alpha1.LabelAnnotationOverrider{{Operator: "add", Value: map[string]string{"env": "prod"}}},
				AnnotationsOverrider: []v1alpha1.LabelAnnotationOverrider{{Operator: "remove", Value: map[string]string{"example.io/note": ""}}},
				FieldOverrider: []v1alpha1.FieldOverrider{
					{FieldPath: "/data/config.json", JSON: []v1alpha1.JSONPatchOperation{{SubPath: "/log/level", Operator: "replace", Value: jsonValue(`"debug"`)}}},
					{FieldPath: "/data/config.yaml", YAML: []v1alpha1.YAMLPatchOperation{{SubPath: "/log", Operator: "remove"}}},
				},
			},
		}},
	}
}

func TestValidateClusterOverridePolicy(t *testing.T) {
	tests := []struct {
		name          string
		before, after func(*v1alpha1.ClusterOverridePolicy)
		want          []wantErr
	}{
		{
			name: "selectors may name any namespace",
			before: func(p *v1alpha1.ClusterOverridePolicy) {
				p.Spec.ResourceSelectors = []v1alpha1.ResourceSelector{
					{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop"},
					{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "system:viewer"},
				}
			},
		},
		{
			name:  "metadata.namespace is not allowed on a cluster-scoped kind",
			after: func(p *v1alpha1.ClusterOverridePolicy) { p.Namespace = "shop" },
			want:  []wantErr{forbidden("metadata.namespace", "")},
		},
		{
			name: "overrider rules are shared with OverridePolicy",
			before: func(p *v1alpha1.ClusterOverridePolicy) {
				p.Spec.OverrideRules[0].Overriders.ArgsOverrider[0].ContainerName = ""
			},
			want: []wantErr{required("spec.overrideRules[0].overriders.argsOverrider[0].containerName", "")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &v1alpha1.ClusterOverridePolicy{ObjectMeta: metav1.ObjectMeta{Name: "overrides"}, Spec: validOverrideSpec()}
			if tt.before != nil {
				tt.before(p)
			}
			v1alpha1.SetDefaultsClusterOverridePolicy(p)
			if tt.after != nil {
				tt.after(p)
			}
			expectErrors(t, ValidateClusterOverridePolicy(p), tt.want...)
		})
	}
}
