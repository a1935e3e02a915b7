package validation

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

func TestValidateClusterTaintPolicy(t *testing.T) {
	noExecute := v1alpha1.Taint{Key: "example.io/broken", Effect: corev1.TaintEffectNoExecute}

	tests := []struct {
		name          string
		before, after func(*v1alpha1.ClusterTaintPolicy)
		opts          ClusterTaintPolicyOptions
		want          []wantErr
	}{
		{name: "add on not-ready, remove on ready"},
		{
			name: "the same key with another effect is a different taint",
			before: func(p *v1alpha1.ClusterTaintPolicy) {
				p.Spec.Taints = append(p.Spec.Taints, v1alpha1.Taint{Key: "example.io/not-ready", Effect: corev1.TaintEffectNoExecute})
			},
			opts: ClusterTaintPolicyOptions{AllowNoExecute: true},
		},

		// Metadata.
		{
			name:   "name must be a DNS subdomain",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Name = "Not Ready" },
			want:   []wantErr{invalid("metadata.name", "")},
		},
		{
			name:  "metadata.namespace is not allowed on a cluster-scoped kind",
			after: func(p *v1alpha1.ClusterTaintPolicy) { p.Namespace = "shop" },
			want:  []wantErr{forbidden("metadata.namespace", "")},
		},

		// Taints.
		{
			name:   "at least one taint",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints = nil },
			want:   []wantErr{required("spec.taints", "")},
		},
		{
			name:   "NoExecute taints are forbidden by default",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints = append(p.Spec.Taints, noExecute) },
			want:   []wantErr{forbidden("spec.taints[1].effect", "Configuring taint with NoExecute effect is not allowed")},
		},
		{
			name:   "NoExecute taints are allowed when the administrator opts in",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints = append(p.Spec.Taints, noExecute) },
			opts:   ClusterTaintPolicyOptions{AllowNoExecute: true},
		},
		{
			name:   "effect is NoSchedule or NoExecute",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints[0].Effect = "Evict" },
			want:   []wantErr{notSupported("spec.taints[0].effect")},
		},
		{
			// Karmada's Cluster validation rejects PreferNoSchedule, so such a taint could
			// never be put on a cluster.
			name:   "PreferNoSchedule is not a cluster taint effect",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints[0].Effect = corev1.TaintEffectPreferNoSchedule },
			want:   []wantErr{notSupported("spec.taints[0].effect")},
		},
		{
			name:   "effect is required",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints[0].Effect = "" },
			want:   []wantErr{required("spec.taints[0].effect", "")},
		},
		{
			name:   "key must not be empty",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints[0].Key = "" },
			want: []wantErr{
				invalid("spec.taints[0].key", "must be non-empty"),
				invalid("spec.taints[0].key", "must consist of alphanumeric characters"),
			},
		},
		{
			name:   "key is a qualified name",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints[0].Key = "not ready" },
			want:   []wantErr{invalid("spec.taints[0].key", "")},
		},
		{
			name:   "value is a label value",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.Taints[0].Value = strings.Repeat("v", 64) },
			want:   []wantErr{invalid("spec.taints[0].value", "")},
		},
		{
			name: "the same key and effect twice",
			before: func(p *v1alpha1.ClusterTaintPolicy) {
				p.Spec.Taints = append(p.Spec.Taints, v1alpha1.Taint{Key: "example.io/not-ready", Effect: corev1.TaintEffectNoSchedule, Value: "other"})
			},
			want: []wantErr{duplicated("spec.taints[1]", "taints must be unique by key and effect pair")},
		},

		// Conditions and target clusters.
		{
			name:   "condition operator is In or NotIn",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.AddOnConditions[0].Operator = "Exists" },
			want:   []wantErr{notSupported("spec.addOnConditions[0].operator")},
		},
		{
			name:   "condition operator is required",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.RemoveOnConditions[0].Operator = "" },
			want:   []wantErr{required("spec.removeOnConditions[0].operator", "")},
		},
		{
			name: "statusValues are True, False or Unknown",
			before: func(p *v1alpha1.ClusterTaintPolicy) {
				p.Spec.AddOnConditions[0].StatusValues = []metav1.ConditionStatus{"False", "false"}
			},
			want: []wantErr{notSupported("spec.addOnConditions[0].statusValues[1]")},
		},
		{
			name:   "statusValues are required",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.RemoveOnConditions[0].StatusValues = nil },
			want:   []wantErr{required("spec.removeOnConditions[0].statusValues", "")},
		},
		{
			name:   "conditionType is required",
			before: func(p *v1alpha1.ClusterTaintPolicy) { p.Spec.AddOnConditions[0].ConditionType = "" },
			want:   []wantErr{required("spec.addOnConditions[0].conditionType", "")},
		},
		{
			name: "targetClusters is a valid cluster affinity",
			before: func(p *v1alpha1.ClusterTaintPolicy) {
				p.Spec.TargetClusters = &v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("region", corev1.NodeSelectorOpExists)}
			},
			want: []wantErr{invalid("spec.targetClusters.fieldSelector.matchExpressions[0].operator", `unsupported operator "Exists", must be In or NotIn`)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &v1alpha1.ClusterTaintPolicy{
				ObjectMeta: metav1.ObjectMeta{Name: "not-ready"},
				Spec: v1alpha1.ClusterTaintPolicySpec{
					TargetClusters: &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}},
					AddOnConditions: []v1alpha1.MatchCondition{
						{ConditionType: "Ready", Operator: v1alpha1.MatchConditionOpIn, StatusValues: []metav1.ConditionStatus{"False", "Unknown"}},
					},
					RemoveOnConditions: []v1alpha1.MatchCondition{
						{ConditionType: "Ready", Operator: v1alpha1.MatchConditionOpNotIn, StatusValues: []metav1.ConditionStatus{"False", "Unknown"}},
					},
					Taints: []v1alpha1.Taint{{Key: "example.io/not-ready", Effect: corev1.TaintEffectNoSchedule}},
				},
			}
			if tt.before != nil {
				tt.before(p)
			}
			v1alpha1.SetDefaultsClusterTaintPolicy(p)
			if tt.after != nil {
				tt.after(p)
			}
			got := ValidateClusterTaintPolicyWithOptions(p, tt.opts)
			if tt.opts == (ClusterTaintPolicyOptions{}) {
				// The short form must behave as the zero options.
				expectErrors(t, ValidateClusterTaintPolicy(p), tt.want...)
			}
			expectErrors(t, got, tt.want...)
		})
	}
}
