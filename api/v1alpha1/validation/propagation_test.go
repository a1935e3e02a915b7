package validation

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// wantErr describes an expected validation error: its type, its exact field path, and a
// fragment of its detail ("" accepts any detail).
type wantErr struct {
	typ    field.ErrorType
	field  string
	detail string
}

func required(path, detail string) wantErr  { return wantErr{field.ErrorTypeRequired, path, detail} }
func invalid(path, detail string) wantErr   { return wantErr{field.ErrorTypeInvalid, path, detail} }
func forbidden(path, detail string) wantErr { return wantErr{field.ErrorTypeForbidden, path, detail} }
func duplicated(path, detail string) wantErr {
	return wantErr{field.ErrorTypeDuplicate, path, detail}
}
func notSupported(path string) wantErr { return wantErr{field.ErrorTypeNotSupported, path, ""} }
func tooLong(path string) wantErr      { return wantErr{field.ErrorTypeTooLong, path, ""} }

// expectErrors fails unless got holds exactly the wanted errors, in any order.
func expectErrors(t *testing.T, got field.ErrorList, want ...wantErr) {
	t.Helper()
	rest := slices.Clone(got)
	for _, w := range want {
		i := slices.IndexFunc(rest, func(e *field.Error) bool {
			return e.Type == w.typ && e.Field == w.field && strings.Contains(e.Detail, w.detail)
		})
		if i < 0 {
			t.Errorf("missing error: %s at %s with detail containing %q", w.typ, w.field, w.detail)
			continue
		}
		rest = slices.Delete(rest, i, i+1)
	}
	for _, e := range rest {
		t.Errorf("unexpected error: %v", e)
	}
}

// labelSelector returns a selector whose single expression is broken in the way the test
// wants (In without values).
func inWithoutValues() *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
		{Key: "tier", Operator: metav1.LabelSelectorOpIn},
	}}
}

func fieldSelector(key string, op corev1.NodeSelectorOperator) *v1alpha1.FieldSelector {
	return &v1alpha1.FieldSelector{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: key, Operator: op, Values: []string{"x"}}}}
}

func aggregated() *v1alpha1.ReplicaSchedulingStrategy {
	return &v1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Aggregated"}
}

type ppCase struct {
	name string
	// before edits the policy as written in Git, after edits it once defaulted (to reach states
	// defaulting would otherwise repair).
	before, after func(*v1alpha1.PropagationPolicy)
	want          []wantErr
}

func basePropagationPolicy() *v1alpha1.PropagationPolicy {
	return &v1alpha1.PropagationPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web"},
		Spec: v1alpha1.PropagationSpec{
			ResourceSelectors: []v1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}},
		},
	}
}

func TestValidatePropagationPolicy(t *testing.T) {
	tests := []ppCase{
		// Valid policies.
		{name: "minimal policy"},
		{
			name: "policy using every field correctly",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Labels = map[string]string{"team": "shop"}
				p.Spec.ResourceSelectors = append(p.Spec.ResourceSelectors, v1alpha1.ResourceSelector{
					APIVersion: "v1", Kind: "ConfigMap", Namespace: "shop",
					LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
				})
				p.Spec.PropagateDeps = true
				p.Spec.Priority = ptr.To[int32](10)
				p.Spec.ConflictResolution = v1alpha1.ConflictOverwrite
				p.Spec.ActivationPreference = v1alpha1.LazyActivation
				p.Spec.DependentOverrides = []string{"images"}
				p.Spec.Suspension = &v1alpha1.Suspension{Dispatching: ptr.To(false),
					DispatchingOnClusters: &v1alpha1.SuspendClusters{ClusterNames: []string{"m1"}}}
				p.Spec.SchedulePriority = &v1alpha1.SchedulePriority{PriorityClassSource: v1alpha1.KubePriorityClass, PriorityClassName: "high"}
				p.Spec.Failover = &v1alpha1.FailoverBehavior{
					Application: &v1alpha1.ApplicationFailoverBehavior{
						DecisionConditions: v1alpha1.DecisionConditions{TolerationSeconds: ptr.To[int32](0)},
						PurgeMode:          v1alpha1.Never,
						StatePreservation: &v1alpha1.StatePreservation{Rules: []v1alpha1.StatePreservationRule{
							{AliasLabelName: "app.example.io/offset", JSONPath: "{.offset}"}}},
					},
					Cluster: &v1alpha1.ClusterFailoverBehavior{PurgeMode: v1alpha1.PurgeModeDirectly},
				}
				p.Spec.Placement = v1alpha1.Placement{
					ClusterAffinities: []v1alpha1.ClusterAffinityTerm{
						{
							AffinityName: "primary",
							ClusterAffinity: v1alpha1.ClusterAffinity{
								LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "gold"}},
								FieldSelector: &v1alpha1.FieldSelector{MatchExpressions: []corev1.NodeSelectorRequirement{
									{Key: "provider", Operator: corev1.NodeSelectorOpIn, Values: []string{"aws"}},
									{Key: "region", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"us"}},
									{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"eu-1a"}},
								}},
							},
							OverflowAffinities: []v1alpha1.OverflowClusterAffinity{
								{AffinityName: "burst", ClusterAffinity: v1alpha1.ClusterAffinity{ClusterNames: []string{"m9"}}},
							},
						},
						{AffinityName: "backup", ClusterAffinity: v1alpha1.ClusterAffinity{ExcludeClusters: []string{"m1"}}},
					},
					ClusterTolerations: []corev1.Toleration{
						{Key: "cluster.karmada.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
						{Key: "dedicated", Value: "shop"},
					},
					SpreadConstraints: []v1alpha1.SpreadConstraint{
						{SpreadByField: "cluster", MinGroups: 2, MaxGroups: 3},
						{SpreadByField: "region", MinGroups: 1},
						{SpreadByLabel: "rack"},
					},
					ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
						ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Weighted",
						WeightPreference: &v1alpha1.ClusterPreferences{
							StaticWeightList: []v1alpha1.StaticClusterWeight{
								{TargetCluster: v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}}, Weight: 1},
							},
							DynamicWeight: v1alpha1.DynamicWeightByAvailableReplicas,
						},
					},
					WorkloadAffinity: &v1alpha1.WorkloadAffinity{
						Affinity:     &v1alpha1.WorkloadAffinityTerm{GroupByLabelKey: "app.group"},
						AntiAffinity: &v1alpha1.WorkloadAntiAffinityTerm{GroupByLabelKey: "app.anti"},
					},
				}
			},
		},

		// Metadata.
		{
			name:   "name must be a DNS subdomain",
			before: func(p *v1alpha1.PropagationPolicy) { p.Name = "Web_1" },
			want:   []wantErr{invalid("metadata.name", "")},
		},
		{
			name:   "namespace is required",
			before: func(p *v1alpha1.PropagationPolicy) { p.Namespace = "" },
			want:   []wantErr{required("metadata.namespace", "")},
		},
		{
			name:   "labels are checked key by key",
			before: func(p *v1alpha1.PropagationPolicy) { p.Labels = map[string]string{"ok": "fine", "bad key": "v"} },
			want:   []wantErr{invalid("metadata.labels[bad key]", "")},
		},
		{
			name:   "annotation keys must be qualified names",
			before: func(p *v1alpha1.PropagationPolicy) { p.Annotations = map[string]string{"a/b/c": "v"} },
			want:   []wantErr{invalid("metadata.annotations[a/b/c]", "")},
		},
		{
			name:  "the permanent-id label set by defaulting is required",
			after: func(p *v1alpha1.PropagationPolicy) { delete(p.Labels, v1alpha1.PropagationPolicyPermanentIDLabel) },
			want:  []wantErr{required("metadata.labels[propagationpolicy.karmada.io/permanent-id]", "")},
		},

		// Resource selectors.
		{
			name:   "at least one resource selector (empty does not mean all)",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.ResourceSelectors = nil },
			want:   []wantErr{required("spec.resourceSelectors", "")},
		},
		{
			name:   "selector apiVersion is required",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.ResourceSelectors[0].APIVersion = "" },
			want:   []wantErr{required("spec.resourceSelectors[0].apiVersion", "")},
		},
		{
			name:   "selector apiVersion must parse as group/version",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.ResourceSelectors[0].APIVersion = "apps/v1/beta" },
			want:   []wantErr{invalid("spec.resourceSelectors[0].apiVersion", "")},
		},
		{
			name:   "selector kind is required",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.ResourceSelectors[0].Kind = "" },
			want:   []wantErr{required("spec.resourceSelectors[0].kind", "")},
		},
		{
			name: "selector namespace must be the policy's",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.ResourceSelectors = append(p.Spec.ResourceSelectors,
					v1alpha1.ResourceSelector{APIVersion: "v1", Kind: "Service", Namespace: "other"})
			},
			want: []wantErr{invalid("spec.resourceSelectors[1].namespace",
				"namespace of resource selector must be the same as the namespace of the policy")},
		},
		{
			name:   "selector labelSelector must be valid",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.ResourceSelectors[0].LabelSelector = inWithoutValues() },
			want:   []wantErr{required("spec.resourceSelectors[0].labelSelector.matchExpressions[0].values", "")},
		},
		{
			name: "selector matchLabels are checked key by key",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.ResourceSelectors[0].LabelSelector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "a b"}}
			},
			want: []wantErr{invalid("spec.resourceSelectors[0].labelSelector.matchLabels[app]", "")},
		},
		{
			name: "preemption Always needs a name in every selector",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Preemption = v1alpha1.PreemptAlways
				p.Spec.ResourceSelectors = append(p.Spec.ResourceSelectors, v1alpha1.ResourceSelector{APIVersion: "v1", Kind: "Service"})
			},
			want: []wantErr{required("spec.resourceSelectors[1].name", "name cannot be empty if preemption is Always")},
		},

		// Top-level spec fields.
		{
			name: "application failover requires propagateDeps",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{}}
			},
			want: []wantErr{invalid("spec.propagateDeps", "application failover is set, propagateDeps must be true")},
		},
		{
			name:   "preemption is Always or Never",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.Preemption = "Sometimes" },
			want:   []wantErr{notSupported("spec.preemption")},
		},
		{
			name:   "conflictResolution is Abort or Overwrite",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.ConflictResolution = "Merge" },
			want:   []wantErr{notSupported("spec.conflictResolution")},
		},
		{
			name:   "activationPreference is empty or Lazy",
			before: func(p *v1alpha1.PropagationPolicy) { p.Spec.ActivationPreference = "Eager" },
			want:   []wantErr{notSupported("spec.activationPreference")},
		},
		{
			name: "dispatching cannot be combined with dispatchingOnClusters",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Suspension = &v1alpha1.Suspension{Dispatching: ptr.To(true),
					DispatchingOnClusters: &v1alpha1.SuspendClusters{ClusterNames: []string{"m1"}}}
			},
			want: []wantErr{invalid("spec.suspension", "suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames")},
		},
		{
			name: "priorityClassSource only allows KubePriorityClass",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.SchedulePriority = &v1alpha1.SchedulePriority{PriorityClassSource: v1alpha1.PodPriorityClass, PriorityClassName: "high"}
			},
			want: []wantErr{notSupported("spec.schedulePriority.priorityClassSource")},
		},
		{
			name: "priorityClassSource and priorityClassName are required",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.SchedulePriority = &v1alpha1.SchedulePriority{}
			},
			want: []wantErr{required("spec.schedulePriority.priorityClassSource", ""), required("spec.schedulePriority.priorityClassName", "")},
		},

		// Cluster affinity.
		{
			name: "clusterAffinity and clusterAffinities cannot co-exist",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinity = &v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}}
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a"}}
			},
			want: []wantErr{forbidden("spec.placement.clusterAffinities", "clusterAffinities cannot co-exist with clusterAffinity")},
		},
		{
			name: "fieldSelector keys are provider, region or zone",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinity = &v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("metadata.name", corev1.NodeSelectorOpIn)}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].key",
				`unsupported key "metadata.name", must be provider, region, or zone`)},
		},
		{
			name: "fieldSelector operators are In or NotIn",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinity = &v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("zone", corev1.NodeSelectorOpExists)}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinity.fieldSelector.matchExpressions[0].operator",
				`unsupported operator "Exists", must be In or NotIn`)},
		},
		{
			name: "clusterAffinity labelSelector must be valid",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinity = &v1alpha1.ClusterAffinity{LabelSelector: inWithoutValues()}
			},
			want: []wantErr{required("spec.placement.clusterAffinity.labelSelector.matchExpressions[0].values", "")},
		},
		{
			name: "affinityName is required",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a"}, {}}
			},
			want: []wantErr{required("spec.placement.clusterAffinities[1].affinityName", "")},
		},
		{
			name: "affinityName is at most 32 characters",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: strings.Repeat("a", 33)}}
			},
			want: []wantErr{tooLong("spec.placement.clusterAffinities[0].affinityName")},
		},
		{
			name: "affinityName of exactly 32 characters is fine",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: strings.Repeat("a", 32)}}
			},
		},
		{
			name: "affinityName must be a label key",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "main group"}}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinities[0].affinityName", "")},
		},
		{
			name: "affinityNames are unique",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a"}, {AffinityName: "a"}}
			},
			want: []wantErr{duplicated("spec.placement.clusterAffinities[1].affinityName", "each affinity term in a policy must have a unique name")},
		},
		{
			name: "an affinity term's inline affinity is validated at the term's path",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity: v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("cloud", corev1.NodeSelectorOpIn)}}}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinities[0].fieldSelector.matchExpressions[0].key", `unsupported key "cloud"`)},
		},

		// Overflow affinities.
		{
			name: "overflowAffinities need aggregated or dynamic-weight division",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{} // Divided, Weighted, static
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity:    v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "b"}}}}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinities[0].overflowAffinities",
				"overflowAffinities can only be used together with dynamic weight or aggregated scheduling")},
		},
		{
			name: "overflowAffinities are not allowed without replicaScheduling (Duplicated)",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity:    v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "b"}}}}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinities[0].overflowAffinities", "dynamic weight or aggregated")},
		},
		{
			name: "overflowAffinities are fine with dynamic weights",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{
					WeightPreference: &v1alpha1.ClusterPreferences{DynamicWeight: v1alpha1.DynamicWeightByAvailableReplicas}}
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity:    v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "b"}}}}
			},
		},
		{
			name: "overflowAffinities need a non-empty inline affinity",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = aggregated()
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "b"}}}}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinities[0].overflowAffinities",
				"overflowAffinities can only be used together with the inline ClusterAffinity")},
		},
		{
			name: "overflow names differ from the primary name",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = aggregated()
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity:    v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "a"}}}}
			},
			want: []wantErr{duplicated("spec.placement.clusterAffinities[0].overflowAffinities[0].affinityName",
				"must not duplicate the primary group's affinityName")},
		},
		{
			name: "overflow names are unique",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = aggregated()
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity:    v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "b"}, {AffinityName: "b"}}}}
			},
			want: []wantErr{duplicated("spec.placement.clusterAffinities[0].overflowAffinities[1].affinityName", "must be unique")},
		},
		{
			name: "overflow names are label keys of at most 32 characters",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = aggregated()
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity: v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{
						{AffinityName: "b c"}, {AffinityName: strings.Repeat("b", 33)}, {}}}}
			},
			want: []wantErr{
				invalid("spec.placement.clusterAffinities[0].overflowAffinities[0].affinityName", ""),
				tooLong("spec.placement.clusterAffinities[0].overflowAffinities[1].affinityName"),
				required("spec.placement.clusterAffinities[0].overflowAffinities[2].affinityName", ""),
			},
		},
		{
			name: "an overflow affinity is validated at its own path",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = aggregated()
				p.Spec.Placement.ClusterAffinities = []v1alpha1.ClusterAffinityTerm{{AffinityName: "a",
					ClusterAffinity: v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}},
					OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "b",
						ClusterAffinity: v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("region", corev1.NodeSelectorOpGt)}}}}}
			},
			want: []wantErr{invalid("spec.placement.clusterAffinities[0].overflowAffinities[0].fieldSelector.matchExpressions[0].operator",
				`unsupported operator "Gt", must be In or NotIn`)},
		},

		// Tolerations.
		{
			name: "toleration operators Lt and Gt are rejected",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ClusterTolerations = []corev1.Toleration{
					{Key: "a", Operator: corev1.TolerationOpExists},
					{Key: "b", Operator: corev1.TolerationOpLt, Value: "5"},
					{Key: "c", Operator: corev1.TolerationOpGt, Value: "5"},
				}
			},
			want: []wantErr{notSupported("spec.placement.clusterTolerations[1].operator"), notSupported("spec.placement.clusterTolerations[2].operator")},
		},

		// Spread constraints.
		{
			name: "spreadByField and spreadByLabel are exclusive",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{SpreadByField: "cluster", SpreadByLabel: "rack"}}
			},
			want: []wantErr{invalid("spec.placement.spreadConstraints[0].spreadByLabel", "spreadByLabel should not co-exist with spreadByField")},
		},
		{
			name: "spreadByField is cluster, region, zone or provider",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{SpreadByField: "cluster"}, {SpreadByField: "rack"}}
			},
			want: []wantErr{notSupported("spec.placement.spreadConstraints[1].spreadByField")},
		},
		{
			name: "minGroups below 0",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{MinGroups: -1}}
			},
			want: []wantErr{invalid("spec.placement.spreadConstraints[0].minGroups", "minGroups lower than 0 is not allowed")},
		},
		{
			name: "maxGroups below 0",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{MaxGroups: -1}}
			},
			want: []wantErr{invalid("spec.placement.spreadConstraints[0].maxGroups", "maxGroups lower than 0 is not allowed")},
		},
		{
			name: "maxGroups below minGroups",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{MinGroups: 3, MaxGroups: 2}}
			},
			want: []wantErr{invalid("spec.placement.spreadConstraints[0].maxGroups", "maxGroups lower than minGroups is not allowed")},
		},
		{
			name: "maxGroups 0 means unbounded, whatever minGroups",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{MinGroups: 3}}
			},
		},
		{
			name: "one constraint per spreadByField",
			before: func(p *v1alpha1.PropagationPolicy) {
				// The empty constraint is defaulted to spreadByField cluster.
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{SpreadByField: "cluster", MaxGroups: 2}, {}}
			},
			want: []wantErr{duplicated("spec.placement.spreadConstraints[1].spreadByField", "multiple cluster spread constraints are not allowed")},
		},
		{
			name: "spreading by region needs a cluster constraint",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{SpreadByField: "region", MaxGroups: 2}}
			},
			want: []wantErr{invalid("spec.placement.spreadConstraints",
				"the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled")},
		},
		{
			name: "spreading by label alone needs no cluster constraint",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{SpreadByLabel: "rack", MaxGroups: 2}}
			},
		},

		// Replica scheduling.
		{
			name: "replicaSchedulingType is Duplicated or Divided",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: "Split"}
			},
			want: []wantErr{notSupported("spec.placement.replicaScheduling.replicaSchedulingType")},
		},
		{
			name: "replicaDivisionPreference is Aggregated or Weighted",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{ReplicaDivisionPreference: "Even"}
			},
			want: []wantErr{notSupported("spec.placement.replicaScheduling.replicaDivisionPreference")},
		},
		{
			name: "static weights are at least 1",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{WeightPreference: &v1alpha1.ClusterPreferences{
					StaticWeightList: []v1alpha1.StaticClusterWeight{
						{TargetCluster: v1alpha1.ClusterAffinity{ClusterNames: []string{"m1"}}, Weight: 1},
						{TargetCluster: v1alpha1.ClusterAffinity{ClusterNames: []string{"m2"}}, Weight: 0},
					}}}
			},
			want: []wantErr{invalid("spec.placement.replicaScheduling.weightPreference.staticWeightList[1].weight", "must be greater than or equal to 1")},
		},
		{
			name: "a static weight's targetCluster is validated",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{WeightPreference: &v1alpha1.ClusterPreferences{
					StaticWeightList: []v1alpha1.StaticClusterWeight{
						{TargetCluster: v1alpha1.ClusterAffinity{FieldSelector: fieldSelector("az", corev1.NodeSelectorOpIn)}, Weight: 1},
					}}}
			},
			want: []wantErr{invalid("spec.placement.replicaScheduling.weightPreference.staticWeightList[0].targetCluster.fieldSelector.matchExpressions[0].key", "unsupported key")},
		},
		{
			name: "dynamicWeight is AvailableReplicas",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{
					WeightPreference: &v1alpha1.ClusterPreferences{DynamicWeight: "CPU"}}
			},
			want: []wantErr{notSupported("spec.placement.replicaScheduling.weightPreference.dynamicWeight")},
		},

		// Workload affinity.
		{
			name: "groupByLabelKey must be a label key",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.WorkloadAffinity = &v1alpha1.WorkloadAffinity{Affinity: &v1alpha1.WorkloadAffinityTerm{GroupByLabelKey: "app group"}}
			},
			want: []wantErr{invalid("spec.placement.workloadAffinity.affinity.groupByLabelKey", "")},
		},
		{
			name: "groupByLabelKey is required",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.WorkloadAffinity = &v1alpha1.WorkloadAffinity{AntiAffinity: &v1alpha1.WorkloadAntiAffinityTerm{}}
			},
			want: []wantErr{required("spec.placement.workloadAffinity.antiAffinity.groupByLabelKey", "")},
		},
		{
			name: "affinity and antiAffinity use different keys",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Placement.WorkloadAffinity = &v1alpha1.WorkloadAffinity{
					Affinity:     &v1alpha1.WorkloadAffinityTerm{GroupByLabelKey: "app.group"},
					AntiAffinity: &v1alpha1.WorkloadAntiAffinityTerm{GroupByLabelKey: "app.group"}}
			},
			want: []wantErr{invalid("spec.placement.workloadAffinity.antiAffinity.groupByLabelKey", "affinity and antiAffinity must not use the same groupByLabelKey")},
		},

		// Failover.
		{
			name: "tolerationSeconds is not negative",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.PropagateDeps = true
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{
					DecisionConditions: v1alpha1.DecisionConditions{TolerationSeconds: ptr.To[int32](-1)}}}
			},
			want: []wantErr{invalid("spec.failover.application.decisionConditions.tolerationSeconds", "must be greater than or equal to 0")},
		},
		{
			name: "application purgeMode is Directly, Gracefully or Never",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.PropagateDeps = true
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{PurgeMode: "Later"}}
			},
			want: []wantErr{notSupported("spec.failover.application.purgeMode")},
		},
		{
			name: "gracePeriodSeconds only with purgeMode Gracefully",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.PropagateDeps = true
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{
					PurgeMode: v1alpha1.PurgeModeDirectly, GracePeriodSeconds: ptr.To[int32](60)}}
			},
			want: []wantErr{invalid("spec.failover.application.gracePeriodSeconds", "only takes effect when purgeMode is gracefully")},
		},
		{
			name: "gracePeriodSeconds is required with purgeMode Gracefully",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.PropagateDeps = true
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{}}
			},
			after: func(p *v1alpha1.PropagationPolicy) { p.Spec.Failover.Application.GracePeriodSeconds = nil },
			want:  []wantErr{required("spec.failover.application.gracePeriodSeconds", "should not be empty when purgeMode is gracefully")},
		},
		{
			name: "gracePeriodSeconds is positive",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.PropagateDeps = true
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{GracePeriodSeconds: ptr.To[int32](0)}}
			},
			want: []wantErr{invalid("spec.failover.application.gracePeriodSeconds", "must be greater than 0")},
		},
		{
			name: "statePreservation rules are required",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.PropagateDeps = true
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{
					StatePreservation: &v1alpha1.StatePreservation{}}}
			},
			want: []wantErr{required("spec.failover.application.statePreservation.rules", "")},
		},
		{
			name: "aliasLabelName must be a label name and jsonPath a JSONPath template",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.PropagateDeps = true
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Application: &v1alpha1.ApplicationFailoverBehavior{
					StatePreservation: &v1alpha1.StatePreservation{Rules: []v1alpha1.StatePreservationRule{
						{AliasLabelName: "bad label", JSONPath: "{.offset}"},
						{AliasLabelName: "offset", JSONPath: "{.offset"},
						{},
					}}}}
			},
			want: []wantErr{
				invalid("spec.failover.application.statePreservation.rules[0].aliasLabelName", ""),
				invalid("spec.failover.application.statePreservation.rules[1].jsonPath", ""),
				required("spec.failover.application.statePreservation.rules[2].aliasLabelName", ""),
				required("spec.failover.application.statePreservation.rules[2].jsonPath", ""),
			},
		},
		{
			name: "cluster purgeMode is Directly or Gracefully",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Cluster: &v1alpha1.ClusterFailoverBehavior{PurgeMode: v1alpha1.Never}}
			},
			want: []wantErr{notSupported("spec.failover.cluster.purgeMode")},
		},
		{
			name: "cluster failover statePreservation is validated",
			before: func(p *v1alpha1.PropagationPolicy) {
				p.Spec.Failover = &v1alpha1.FailoverBehavior{Cluster: &v1alpha1.ClusterFailoverBehavior{
					StatePreservation: &v1alpha1.StatePreservation{Rules: []v1alpha1.StatePreservationRule{{AliasLabelName: "-x", JSONPath: "{.a}"}}}}}
			},
			want: []wantErr{invalid("spec.failover.cluster.statePreservation.rules[0].aliasLabelName", "")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basePropagationPolicy()
			if tt.before != nil {
				tt.before(p)
			}
			v1alpha1.SetDefaultsPropagationPolicy(p)
			if tt.after != nil {
				tt.after(p)
			}
			expectErrors(t, ValidatePropagationPolicy(p), tt.want...)
		})
	}
}

func TestValidateClusterPropagationPolicy(t *testing.T) {
	tests := []struct {
		name          string
		before, after func(*v1alpha1.ClusterPropagationPolicy)
		want          []wantErr
	}{
		{name: "selectors may name any namespace or none"},
		{
			name:  "metadata.namespace is not allowed on a cluster-scoped kind",
			after: func(p *v1alpha1.ClusterPropagationPolicy) { p.Namespace = "shop" },
			want:  []wantErr{forbidden("metadata.namespace", "")},
		},
		{
			name:  "the cluster permanent-id label is required",
			after: func(p *v1alpha1.ClusterPropagationPolicy) { p.Labels = nil },
			want:  []wantErr{required("metadata.labels[clusterpropagationpolicy.karmada.io/permanent-id]", "")},
		},
		{
			name:   "at least one resource selector",
			before: func(p *v1alpha1.ClusterPropagationPolicy) { p.Spec.ResourceSelectors = []v1alpha1.ResourceSelector{} },
			want:   []wantErr{required("spec.resourceSelectors", "")},
		},
		{
			name:   "a selector namespace must be a valid namespace name",
			before: func(p *v1alpha1.ClusterPropagationPolicy) { p.Spec.ResourceSelectors[0].Namespace = "Shop_1" },
			want:   []wantErr{invalid("spec.resourceSelectors[0].namespace", "")},
		},
		{
			name: "placement rules are shared with PropagationPolicy",
			before: func(p *v1alpha1.ClusterPropagationPolicy) {
				p.Spec.Placement.SpreadConstraints = []v1alpha1.SpreadConstraint{{SpreadByField: "zone"}}
			},
			want: []wantErr{invalid("spec.placement.spreadConstraints", "the cluster spread constraint must be enabled")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &v1alpha1.ClusterPropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Name: "everything"},
				Spec: v1alpha1.PropagationSpec{ResourceSelectors: []v1alpha1.ResourceSelector{
					{APIVersion: "v1", Kind: "Namespace"},
					{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop"},
					{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "blog"},
				}},
			}
			if tt.before != nil {
				tt.before(p)
			}
			v1alpha1.SetDefaultsClusterPropagationPolicy(p)
			if tt.after != nil {
				tt.after(p)
			}
			expectErrors(t, ValidateClusterPropagationPolicy(p), tt.want...)
		})
	}
}

func TestValidateClusterAffinity(t *testing.T) {
	path := field.NewPath("spec", "targetCluster")
	tests := []struct {
		name     string
		affinity *v1alpha1.ClusterAffinity
		want     []wantErr
	}{
		{name: "nil is valid"},
		{name: "empty matches every cluster", affinity: &v1alpha1.ClusterAffinity{}},
		{
			name: "every broken expression is reported",
			affinity: &v1alpha1.ClusterAffinity{FieldSelector: &v1alpha1.FieldSelector{MatchExpressions: []corev1.NodeSelectorRequirement{
				{Key: "provider", Operator: corev1.NodeSelectorOpIn, Values: []string{"aws"}},
				{Key: "name", Operator: corev1.NodeSelectorOpDoesNotExist},
			}}},
			want: []wantErr{
				invalid("spec.targetCluster.fieldSelector.matchExpressions[1].key", `unsupported key "name", must be provider, region, or zone`),
				invalid("spec.targetCluster.fieldSelector.matchExpressions[1].operator", `unsupported operator "DoesNotExist", must be In or NotIn`),
			},
		},
		{
			name:     "label selector",
			affinity: &v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"-bad": "v"}}},
			want:     []wantErr{invalid("spec.targetCluster.labelSelector.matchLabels[-bad]", "")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectErrors(t, ValidateClusterAffinity(tt.affinity, path), tt.want...)
		})
	}
}

func TestValidationErrorOrderIsStable(t *testing.T) {
	p := basePropagationPolicy()
	p.Labels = map[string]string{"b b": "1", "a a": "2", "c c": "3", "d d": "4"}
	p.Annotations = map[string]string{"x/y/z": "", "p/q/r": ""}
	v1alpha1.SetDefaultsPropagationPolicy(p)
	first := ValidatePropagationPolicy(p).ToAggregate().Error()
	for range 20 {
		if got := ValidatePropagationPolicy(p).ToAggregate().Error(); got != first {
			t.Fatalf("error order changed between runs:\n%s\n---\n%s", first, got)
		}
	}
}
