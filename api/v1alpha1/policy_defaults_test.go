package v1alpha1

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

// defaultedSpec returns the spec Karmada stores for a policy that only selects deployments of
// ns: every CRD default filled in, nothing else.
func defaultedSpec(ns string) PropagationSpec {
	return PropagationSpec{
		ResourceSelectors:  []ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns}},
		Priority:           ptr.To[int32](0),
		Preemption:         PreemptNever,
		ConflictResolution: ConflictAbort,
		SchedulerName:      "default-scheduler",
	}
}

func TestSetDefaultsPropagationPolicy(t *testing.T) {
	const ns, name = "shop", "web"
	id := DerivePermanentID("PropagationPolicy", ns, name)
	meta := metav1.ObjectMeta{Namespace: ns, Name: name}
	defaultedMeta := metav1.ObjectMeta{Namespace: ns, Name: name,
		Labels: map[string]string{"propagationpolicy.karmada.io/permanent-id": id}}
	deployments := []ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}}

	tests := []struct {
		name string
		in   PropagationPolicy
		want PropagationPolicy
	}{
		{
			name: "CRD defaults, selector namespace and permanent id fill a minimal policy",
			in:   PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments}},
			want: PropagationPolicy{ObjectMeta: defaultedMeta, Spec: defaultedSpec(ns)},
		},
		{
			name: "explicit values are kept",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{
				ResourceSelectors:  []ResourceSelector{{APIVersion: "v1", Kind: "ConfigMap", Namespace: ns, Name: "cm"}},
				Priority:           ptr.To[int32](7),
				Preemption:         PreemptAlways,
				ConflictResolution: ConflictOverwrite,
				SchedulerName:      "my-scheduler",
			}},
			want: PropagationPolicy{ObjectMeta: defaultedMeta, Spec: PropagationSpec{
				ResourceSelectors:  []ResourceSelector{{APIVersion: "v1", Kind: "ConfigMap", Namespace: ns, Name: "cm"}},
				Priority:           ptr.To[int32](7),
				Preemption:         PreemptAlways,
				ConflictResolution: ConflictOverwrite,
				SchedulerName:      "my-scheduler",
			}},
		},
		{
			name: "a selector naming another namespace is left for validation to reject",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: []ResourceSelector{
				{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "other"},
				{APIVersion: "v1", Kind: "Service"},
			}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.ResourceSelectors = []ResourceSelector{
					{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "other"},
					{APIVersion: "v1", Kind: "Service", Namespace: ns},
				}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "spread constraints: empty field and label become cluster, minGroups 0 becomes 1, maxGroups untouched",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Placement: Placement{SpreadConstraints: []SpreadConstraint{
					{},
					{SpreadByLabel: "topology.example.io/rack", MaxGroups: 3},
					{SpreadByField: SpreadByFieldRegion, MinGroups: 2, MaxGroups: 2},
				}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Placement.SpreadConstraints = []SpreadConstraint{
					{SpreadByField: "cluster", MinGroups: 1},
					{SpreadByLabel: "topology.example.io/rack", MaxGroups: 3, MinGroups: 1},
					{SpreadByField: "region", MinGroups: 2, MaxGroups: 2},
				}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "selecting a multicluster.x-k8s.io/v1alpha1 ServiceImport forces propagateDeps",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: []ResourceSelector{
				{APIVersion: "multicluster.x-k8s.io/v1alpha1", Kind: "ServiceImport", Name: "db"},
			}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.ResourceSelectors = []ResourceSelector{
					{APIVersion: "multicluster.x-k8s.io/v1alpha1", Kind: "ServiceImport", Namespace: ns, Name: "db"},
				}
				spec.PropagateDeps = true
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "a ServiceImport of another group does not force propagateDeps",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: []ResourceSelector{
				{APIVersion: "example.io/v1", Kind: "ServiceImport"},
			}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.ResourceSelectors = []ResourceSelector{{APIVersion: "example.io/v1", Kind: "ServiceImport", Namespace: ns}}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "replicaScheduling {} becomes Divided and Weighted",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Placement: Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Placement.ReplicaScheduling = &ReplicaSchedulingStrategy{
					ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Weighted"}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "Divided keeps an explicit Aggregated preference",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Placement: Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{
					ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Aggregated"}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Placement.ReplicaScheduling = &ReplicaSchedulingStrategy{
					ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Aggregated"}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "Duplicated gets no division preference",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Placement: Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Duplicated"}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Placement.ReplicaScheduling = &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Duplicated"}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "application failover {} gets tolerationSeconds 300, purgeMode Gracefully and gracePeriodSeconds 600",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Failover: &FailoverBehavior{Application: &ApplicationFailoverBehavior{}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Failover = &FailoverBehavior{Application: &ApplicationFailoverBehavior{
					DecisionConditions: DecisionConditions{TolerationSeconds: ptr.To[int32](300)},
					PurgeMode:          "Gracefully",
					GracePeriodSeconds: ptr.To[int32](600),
				}}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "application failover keeps tolerationSeconds 0 and gets no grace period when purged Directly",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Failover: &FailoverBehavior{Application: &ApplicationFailoverBehavior{
					DecisionConditions: DecisionConditions{TolerationSeconds: ptr.To[int32](0)},
					PurgeMode:          "Directly",
				}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Failover = &FailoverBehavior{Application: &ApplicationFailoverBehavior{
					DecisionConditions: DecisionConditions{TolerationSeconds: ptr.To[int32](0)},
					PurgeMode:          "Directly",
				}}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "an explicit grace period is kept",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Failover: &FailoverBehavior{Application: &ApplicationFailoverBehavior{GracePeriodSeconds: ptr.To[int32](30)}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Failover = &FailoverBehavior{Application: &ApplicationFailoverBehavior{
					DecisionConditions: DecisionConditions{TolerationSeconds: ptr.To[int32](300)},
					PurgeMode:          "Gracefully",
					GracePeriodSeconds: ptr.To[int32](30),
				}}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "cluster failover {} gets purgeMode Gracefully",
			in: PropagationPolicy{ObjectMeta: meta, Spec: PropagationSpec{ResourceSelectors: deployments,
				Failover: &FailoverBehavior{Cluster: &ClusterFailoverBehavior{}}}},
			want: func() PropagationPolicy {
				spec := defaultedSpec(ns)
				spec.Failover = &FailoverBehavior{Cluster: &ClusterFailoverBehavior{PurgeMode: "Gracefully"}}
				return PropagationPolicy{ObjectMeta: defaultedMeta, Spec: spec}
			}(),
		},
		{
			name: "a permanent id already in Git is kept, other labels too",
			in: PropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{
					"propagationpolicy.karmada.io/permanent-id": "0b7e2ad4-6a43-4e0b-9b2e-5d3c0c3e1d11", "team": "a"}},
				Spec: PropagationSpec{ResourceSelectors: deployments},
			},
			want: PropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{
					"propagationpolicy.karmada.io/permanent-id": "0b7e2ad4-6a43-4e0b-9b2e-5d3c0c3e1d11", "team": "a"}},
				Spec: defaultedSpec(ns),
			},
		},
		{
			name: "an empty permanent id is replaced by the derived one",
			in: PropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{
					"propagationpolicy.karmada.io/permanent-id": ""}},
				Spec: PropagationSpec{ResourceSelectors: deployments},
			},
			want: PropagationPolicy{ObjectMeta: defaultedMeta, Spec: defaultedSpec(ns)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.DeepCopy()
			SetDefaultsPropagationPolicy(got)
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("SetDefaultsPropagationPolicy() mismatch (-want +got):\n%s", diff)
			}
			again := got.DeepCopy()
			SetDefaultsPropagationPolicy(again)
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("defaulting twice changed the policy (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestSetDefaultsClusterPropagationPolicy(t *testing.T) {
	const name = "everything"
	id := DerivePermanentID("ClusterPropagationPolicy", "", name)

	tests := []struct {
		name string
		in   ClusterPropagationPolicy
		want ClusterPropagationPolicy
	}{
		{
			name: "selectors keep an empty namespace; CRD and webhook defaults apply; id uses the cluster label",
			in: ClusterPropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Name: name},
				Spec: PropagationSpec{
					ResourceSelectors: []ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}},
					Placement: Placement{
						SpreadConstraints: []SpreadConstraint{{}},
						ReplicaScheduling: &ReplicaSchedulingStrategy{},
					},
					Failover: &FailoverBehavior{
						Application: &ApplicationFailoverBehavior{},
						Cluster:     &ClusterFailoverBehavior{},
					},
				},
			},
			want: ClusterPropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Name: name,
					Labels: map[string]string{"clusterpropagationpolicy.karmada.io/permanent-id": id}},
				Spec: PropagationSpec{
					ResourceSelectors: []ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}},
					Placement: Placement{
						SpreadConstraints: []SpreadConstraint{{SpreadByField: "cluster", MinGroups: 1}},
						ReplicaScheduling: &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Weighted"},
					},
					Priority:           ptr.To[int32](0),
					Preemption:         "Never",
					ConflictResolution: "Abort",
					SchedulerName:      "default-scheduler",
					Failover: &FailoverBehavior{
						Application: &ApplicationFailoverBehavior{
							DecisionConditions: DecisionConditions{TolerationSeconds: ptr.To[int32](300)},
							PurgeMode:          "Gracefully",
							GracePeriodSeconds: ptr.To[int32](600),
						},
						Cluster: &ClusterFailoverBehavior{PurgeMode: "Gracefully"},
					},
				},
			},
		},
		{
			name: "a metadata.namespace (e.g. from kustomize) is dropped as the API server does",
			in: ClusterPropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop"},
				Spec:       PropagationSpec{ResourceSelectors: []ResourceSelector{{APIVersion: "v1", Kind: "Namespace", Name: "shop"}}},
			},
			want: ClusterPropagationPolicy{
				ObjectMeta: metav1.ObjectMeta{Name: name,
					Labels: map[string]string{"clusterpropagationpolicy.karmada.io/permanent-id": id}},
				Spec: PropagationSpec{
					ResourceSelectors:  []ResourceSelector{{APIVersion: "v1", Kind: "Namespace", Name: "shop"}},
					Priority:           ptr.To[int32](0),
					Preemption:         "Never",
					ConflictResolution: "Abort",
					SchedulerName:      "default-scheduler",
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.DeepCopy()
			SetDefaultsClusterPropagationPolicy(got)
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("SetDefaultsClusterPropagationPolicy() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPermanentIDsAreDistinctPerIdentity(t *testing.T) {
	pp := func(ns, name string) string {
		p := &PropagationPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
		SetDefaultsPropagationPolicy(p)
		return p.Labels[PropagationPolicyPermanentIDLabel]
	}
	cpp := &ClusterPropagationPolicy{ObjectMeta: metav1.ObjectMeta{Name: "a"}}
	SetDefaultsClusterPropagationPolicy(cpp)

	ids := map[string]string{
		"pp a/a": pp("a", "a"), "pp b/a": pp("b", "a"), "pp a/b": pp("a", "b"),
		"cpp a": cpp.Labels[ClusterPropagationPolicyPermanentIDLabel],
	}
	seen := map[string]string{}
	for who, id := range ids {
		if id == "" {
			t.Fatalf("%s: no permanent id", who)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share permanent id %s", who, other, id)
		}
		seen[id] = who
	}
	if pp("a", "a") != ids["pp a/a"] {
		t.Error("the permanent id of the same policy changed between two defaulting runs")
	}
}

func TestSetDefaultsOverridePolicy(t *testing.T) {
	in := &OverridePolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "images"},
		Spec: OverrideSpec{ResourceSelectors: []ResourceSelector{
			{APIVersion: "apps/v1", Kind: "Deployment"},
			{APIVersion: "apps/v1", Kind: "StatefulSet", Namespace: "other"},
		}},
	}
	want := &OverridePolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "images"},
		Spec: OverrideSpec{ResourceSelectors: []ResourceSelector{
			{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop"},
			{APIVersion: "apps/v1", Kind: "StatefulSet", Namespace: "other"},
		}},
	}
	SetDefaultsOverridePolicy(in)
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("SetDefaultsOverridePolicy() mismatch (-want +got):\n%s", diff)
	}
}

func TestSetDefaultsClusterOverridePolicy(t *testing.T) {
	in := &ClusterOverridePolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: "from-kustomize", Name: "registry"},
		Spec:       OverrideSpec{ResourceSelectors: []ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}}},
	}
	want := &ClusterOverridePolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "registry"},
		Spec:       OverrideSpec{ResourceSelectors: []ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment"}}},
	}
	SetDefaultsClusterOverridePolicy(in)
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("SetDefaultsClusterOverridePolicy() mismatch (-want +got):\n%s", diff)
	}
}

func TestSetDefaultsFederatedResourceQuotaChangesNothing(t *testing.T) {
	in := &FederatedResourceQuota{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "quota"},
		Spec: FederatedResourceQuotaSpec{
			Overall: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10")},
		},
	}
	want := in.DeepCopy()
	SetDefaultsFederatedResourceQuota(in)
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("SetDefaultsFederatedResourceQuota() changed the quota (-want +got):\n%s", diff)
	}
}

func TestSetDefaultsClusterTaintPolicy(t *testing.T) {
	in := &ClusterTaintPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: "from-kustomize", Name: "not-ready"},
		Spec:       ClusterTaintPolicySpec{Taints: []Taint{{Key: "example.io/not-ready", Effect: corev1.TaintEffectNoSchedule}}},
	}
	want := &ClusterTaintPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "not-ready"},
		Spec:       ClusterTaintPolicySpec{Taints: []Taint{{Key: "example.io/not-ready", Effect: corev1.TaintEffectNoSchedule}}},
	}
	SetDefaultsClusterTaintPolicy(in)
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("SetDefaultsClusterTaintPolicy() mismatch (-want +got):\n%s", diff)
	}
}

func TestPlacementReplicaSchedulingType(t *testing.T) {
	tests := []struct {
		name      string
		placement Placement
		want      ReplicaSchedulingType
		dynamic   bool
	}{
		{"no replicaScheduling is Duplicated", Placement{}, ReplicaSchedulingTypeDuplicated, false},
		{"explicit Duplicated", Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Duplicated"}}, "Duplicated", false},
		{"Divided Weighted with static weights is not dynamic",
			Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Weighted"}}, "Divided", false},
		{"Divided Weighted by AvailableReplicas is dynamic",
			Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Weighted",
				WeightPreference: &ClusterPreferences{DynamicWeight: "AvailableReplicas"}}}, "Divided", true},
		{"Divided Aggregated is dynamic",
			Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Divided", ReplicaDivisionPreference: "Aggregated"}}, "Divided", true},
		{"Duplicated with an Aggregated preference is not dynamic",
			Placement{ReplicaScheduling: &ReplicaSchedulingStrategy{ReplicaSchedulingType: "Duplicated", ReplicaDivisionPreference: "Aggregated"}}, "Duplicated", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.placement.ReplicaSchedulingType(); got != tt.want {
				t.Errorf("ReplicaSchedulingType() = %q, want %q", got, tt.want)
			}
			if got := tt.placement.IsReplicaDynamicDivided(); got != tt.dynamic {
				t.Errorf("IsReplicaDynamicDivided() = %v, want %v", got, tt.dynamic)
			}
		})
	}
}

// karmadaPolicies is Karmada-style YAML using every field of the policy kinds, spelled as in
// Karmada's CRDs. Strict decoding fails on any field name the Go types spell differently.
var karmadaPolicies = map[string]string{
	"PropagationPolicy": `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: shop}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web, labelSelector: {matchLabels: {app: web}}}
  association: false
  propagateDeps: true
  priority: 5
  preemption: Always
  dependentOverrides: [images]
  schedulerName: default-scheduler
  conflictResolution: Overwrite
  activationPreference: Lazy
  preserveResourcesOnDeletion: true
  suspension: {dispatching: false, dispatchingOnClusters: {clusterNames: [m1]}}
  schedulePriority: {priorityClassSource: KubePriorityClass, priorityClassName: high}
  failover:
    application:
      decisionConditions: {tolerationSeconds: 60}
      purgeMode: Gracefully
      gracePeriodSeconds: 120
      statePreservation: {rules: [{aliasLabelName: app.example.io/offset, jsonPath: "{.offset}"}]}
    cluster:
      purgeMode: Directly
      statePreservation: {rules: [{aliasLabelName: app.example.io/epoch, jsonPath: "{.epoch}"}]}
  placement:
    clusterAffinities:
    - affinityName: primary
      labelSelector: {matchLabels: {tier: gold}}
      fieldSelector: {matchExpressions: [{key: region, operator: In, values: [eu]}]}
      clusterNames: [m1, m2]
      exclude: [m3]
      overflowAffinities:
      - {affinityName: burst, clusterNames: [m4]}
    clusterTolerations: [{key: cluster.karmada.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]
    spreadConstraints:
    - {spreadByField: cluster, maxGroups: 2, minGroups: 1}
    - {spreadByLabel: rack}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList: [{targetCluster: {clusterNames: [m1]}, weight: 2}]
        dynamicWeight: AvailableReplicas
    workloadAffinity: {affinity: {groupByLabelKey: app.group}, antiAffinity: {groupByLabelKey: app.anti}}
`,
	"OverridePolicy": `
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: images, namespace: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
  overrideRules:
  - targetCluster: {clusterNames: [m1]}
    overriders:
      plaintext: [{path: /spec/replicas, operator: replace, value: 3}]
      imageOverrider: [{predicate: {path: /spec/template/spec/containers/0/image}, component: Registry, operator: replace, value: mirror.example.io}]
      commandOverrider: [{containerName: web, operator: add, value: [--debug]}]
      argsOverrider: [{containerName: web, operator: remove, value: [--quiet]}]
      labelsOverrider: [{operator: add, value: {env: prod}}]
      annotationsOverrider: [{operator: remove, value: {note: ""}}]
      fieldOverrider:
      - fieldPath: /data/config.json
        json: [{subPath: /log/level, operator: replace, value: debug}]
      - fieldPath: /data/config.yaml
        yaml: [{subPath: /log/level, operator: remove}]
  targetCluster: {clusterNames: [m2]}
  overriders: {}
`,
	"FederatedResourceQuota": `
apiVersion: policy.karmada.io/v1alpha1
kind: FederatedResourceQuota
metadata: {name: quota, namespace: shop}
spec:
  overall: {cpu: "10", memory: 10Gi}
  staticAssignments: [{clusterName: m1, hard: {cpu: "4"}}]
status:
  overall: {cpu: "10"}
  overallUsed: {cpu: "1"}
  aggregatedStatus: [{clusterName: m1, hard: {cpu: "4"}, used: {cpu: "1"}}]
`,
	"ClusterTaintPolicy": `
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterTaintPolicy
metadata: {name: not-ready}
spec:
  targetClusters: {clusterNames: [m1]}
  addOnConditions: [{conditionType: Ready, operator: In, statusValues: ["False", Unknown]}]
  removeOnConditions: [{conditionType: Ready, operator: In, statusValues: ["True"]}]
  taints: [{key: example.io/not-ready, effect: NoSchedule, value: "yes"}]
`,
}

func TestKarmadaYAMLDecodesStrictly(t *testing.T) {
	targets := map[string]any{
		"PropagationPolicy":      &PropagationPolicy{},
		"OverridePolicy":         &OverridePolicy{},
		"FederatedResourceQuota": &FederatedResourceQuota{},
		"ClusterTaintPolicy":     &ClusterTaintPolicy{},
	}
	for kind, doc := range karmadaPolicies {
		t.Run(kind, func(t *testing.T) {
			obj := targets[kind]
			if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
				t.Fatalf("strict decode: %v", err)
			}
			// Encoding and decoding again must give the same object: no field is lost.
			out, err := yaml.Marshal(obj)
			if err != nil {
				t.Fatal(err)
			}
			back := reflect.New(reflect.TypeOf(obj).Elem()).Interface()
			if err := yaml.UnmarshalStrict(out, back); err != nil {
				t.Fatalf("strict decode of re-encoded object: %v", err)
			}
			if diff := cmp.Diff(obj, back); diff != "" {
				t.Errorf("round trip changed the object (-first +second):\n%s", diff)
			}
		})
	}

	pp := targets["PropagationPolicy"].(*PropagationPolicy)
	term := pp.Spec.Placement.ClusterAffinities[0]
	if term.AffinityName != "primary" || len(term.ExcludeClusters) != 1 || term.OverflowAffinities[0].ClusterNames[0] != "m4" {
		t.Errorf("inline cluster affinity decoded wrongly: %+v", term)
	}
	if got := pp.Spec.Placement.ReplicaScheduling.WeightPreference.StaticWeightList[0].Weight; got != 2 {
		t.Errorf("static weight = %d, want 2", got)
	}
	op := targets["OverridePolicy"].(*OverridePolicy)
	if got := string(op.Spec.OverrideRules[0].Overriders.Plaintext[0].Value.Raw); got != "3" {
		t.Errorf("plaintext value = %s, want 3", got)
	}
	frq := targets["FederatedResourceQuota"].(*FederatedResourceQuota)
	if got := frq.Status.AggregatedStatus[0].Used.Cpu().String(); got != "1" {
		t.Errorf("aggregated used cpu = %s, want 1", got)
	}
}
