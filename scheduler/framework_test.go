package scheduler

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// fxState prepares the cycle state of a binding spec as Schedule does.
func fxState(spec *v1alpha1.ResourceBindingSpec, observedAffinityName string) *cycleState {
	st := newCycleState(normalizeSpec(spec))
	st.setAffinityTerm(observedAffinityName)
	return st
}

// filterCase is one cluster checked by one filter plugin for one binding.
type filterCase struct {
	name     string
	spec     *v1alpha1.ResourceBindingSpec
	observed string
	cluster  *ClusterInfo
	// reason is the expected failure reason, "" when the cluster passes.
	reason string
}

func runFilterCases(t *testing.T, plugin filterPlugin, cases []filterCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			status := plugin.Filter(fxState(tc.spec, tc.observed), tc.cluster)
			g.Expect(status.Reason()).To(Equal(tc.reason))
			g.Expect(status.fits()).To(Equal(tc.reason == ""))
		})
	}
}

func TestAPIEnablementFilter(t *testing.T) {
	deployment := fxDeployment(1, &v1alpha1.Placement{})
	placed := fxDeployment(1, &v1alpha1.Placement{})
	placed.Clusters = fxTargets("member1", 1)
	crd := &v1alpha1.ResourceBindingSpec{
		Resource: v1alpha1.ObjectReference{APIVersion: "example.io/v1", Kind: "Widget", Name: "w"},
	}
	runFilterCases(t, apiEnablementPlugin{}, []filterCase{
		{name: "a cluster serving the kind fits", spec: deployment, cluster: fxInfo("member1")},
		{name: "a core-group kind is looked up under v1", spec: fxConfigMap(nil), cluster: fxInfo("member1")},
		{name: "a cluster whose complete API list lacks the kind does not fit", spec: crd,
			cluster: fxInfo("member1"), reason: "cluster(s) did not have the API resource"},
		{name: "a cluster serving the group version but not the kind does not fit",
			spec:    &v1alpha1.ResourceBindingSpec{Resource: v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "DaemonSet"}},
			cluster: fxInfo("member1"), reason: "cluster(s) did not have the API resource"},
		{name: "a cluster whose API list may be partial does not fit either (Unknown)", spec: deployment,
			cluster: fxInfo("member1", fxNoAPIs(false)), reason: "cluster(s) did not have the API resource"},
		{name: "a cluster already running the binding fits without the API", spec: placed,
			cluster: fxInfo("member1", fxNoAPIs(true))},
		{name: "an unparsable apiVersion fits no new cluster",
			spec:    &v1alpha1.ResourceBindingSpec{Resource: v1alpha1.ObjectReference{APIVersion: "a/b/c", Kind: "Deployment"}},
			cluster: fxInfo("member1"), reason: "cluster(s) did not have the API resource"},
	})
}

// The fast lookup the filter uses agrees with Cluster.APIEnablement.
func TestAPIEnabledAgreesWithClusterAPIEnablement(t *testing.T) {
	g := NewWithT(t)
	clusters := []*v1alpha1.Cluster{fxCluster("a"), fxCluster("b", fxNoAPIs(true)), fxCluster("c", fxNoAPIs(false)), {}}
	refs := []v1alpha1.ObjectReference{
		{APIVersion: "apps/v1", Kind: "Deployment"}, {APIVersion: "v1", Kind: "ConfigMap"},
		{APIVersion: "apps/v1", Kind: "ConfigMap"}, {APIVersion: "", Kind: ""}, {APIVersion: "a/b/c", Kind: "X"},
	}
	for _, c := range clusters {
		for _, ref := range refs {
			st := fxState(&v1alpha1.ResourceBindingSpec{Resource: ref}, "")
			gvk := schema.FromAPIVersionAndKind(ref.APIVersion, ref.Kind)
			g.Expect(apiEnabled(c, st.groupVersion, st.kind)).To(Equal(c.APIEnablement(gvk) == v1alpha1.APIEnabled),
				"cluster %q, %s %s", c.Name, ref.APIVersion, ref.Kind)
		}
	}
}

func TestTaintTolerationFilter(t *testing.T) {
	tolerating := func(tols ...corev1.Toleration) *v1alpha1.ResourceBindingSpec {
		return fxDeployment(1, &v1alpha1.Placement{ClusterTolerations: tols})
	}
	placed := fxDeployment(1, &v1alpha1.Placement{})
	placed.Clusters = fxTargets("member1", 1)
	maintenance := fxTaint("maintenance", "true", corev1.TaintEffectNoSchedule)
	runFilterCases(t, taintTolerationPlugin{}, []filterCase{
		{name: "an untainted cluster fits", spec: tolerating(), cluster: fxInfo("member1")},
		{name: "an untolerated NoSchedule taint keeps new placements off", spec: tolerating(),
			cluster: fxInfo("member1", maintenance), reason: "cluster(s) had untolerated taint {maintenance=true:NoSchedule}"},
		{name: "an untolerated NoExecute taint keeps new placements off", spec: tolerating(),
			cluster: fxInfo("member1", fxTaint(v1alpha1.TaintClusterNotReady, "", corev1.TaintEffectNoExecute)),
			reason:  "cluster(s) had untolerated taint {cluster.karmada.io/not-ready:NoExecute}"},
		{name: "a PreferNoSchedule taint is ignored", spec: tolerating(),
			cluster: fxInfo("member1", fxTaint("spot", "true", corev1.TaintEffectPreferNoSchedule))},
		{name: "a tolerated taint does not block",
			spec:    tolerating(corev1.Toleration{Key: "maintenance", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}),
			cluster: fxInfo("member1", maintenance)},
		{name: "the reason names the first untolerated taint",
			spec: tolerating(corev1.Toleration{Key: "maintenance", Value: "true"}),
			cluster: fxInfo("member1", maintenance, fxTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule),
				fxTaint("zzz", "", corev1.TaintEffectNoExecute)),
			reason: "cluster(s) had untolerated taint {dedicated=gpu:NoSchedule}"},
		{name: "a cluster already running the binding keeps it (the taint manager decides)", spec: placed,
			cluster: fxInfo("member1", maintenance, fxTaint("x", "", corev1.TaintEffectNoExecute))},
	})
}

func TestClusterAffinityFilter(t *testing.T) {
	prodOnly := &v1alpha1.ClusterAffinity{ClusterNames: []string{"member1"}}
	placed := fxDeployment(1, &v1alpha1.Placement{ClusterAffinity: prodOnly})
	placed.Clusters = fxTargets("member2", 1)
	terms := &v1alpha1.Placement{ClusterAffinities: []v1alpha1.ClusterAffinityTerm{
		{AffinityName: "primary", ClusterAffinity: fxNamesAffinity("member1"),
			OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "burst", ClusterAffinity: fxNamesAffinity("member3")}}},
		{AffinityName: "backup", ClusterAffinity: fxNamesAffinity("member2")},
	}}
	const reason = "cluster(s) did not match the placement cluster affinity constraint"
	runFilterCases(t, clusterAffinityPlugin{}, []filterCase{
		{name: "without an affinity every cluster fits", spec: fxDeployment(1, &v1alpha1.Placement{}), cluster: fxInfo("member9")},
		{name: "without a placement every cluster fits", spec: fxDeployment(1, nil), cluster: fxInfo("member9")},
		{name: "a cluster the clusterAffinity selects fits", spec: fxDeployment(1, &v1alpha1.Placement{ClusterAffinity: prodOnly}),
			cluster: fxInfo("member1")},
		{name: "a cluster the clusterAffinity does not select does not fit", spec: fxDeployment(1, &v1alpha1.Placement{ClusterAffinity: prodOnly}),
			cluster: fxInfo("member2"), reason: reason},
		{name: "a cluster already running the binding must still match", spec: placed, cluster: fxInfo("member2"), reason: reason},
		{name: "the observed term's affinity decides", spec: fxDeployment(1, terms), observed: "backup", cluster: fxInfo("member2")},
		{name: "other terms do not count", spec: fxDeployment(1, terms), observed: "backup", cluster: fxInfo("member1"), reason: reason},
		{name: "a workload may use the observed term's overflow affinities", spec: fxDeployment(1, terms), observed: "primary",
			cluster: fxInfo("member3")},
		{name: "a workload with only replica requirements counts as a workload", observed: "primary", cluster: fxInfo("member3"),
			spec: &v1alpha1.ResourceBindingSpec{Resource: v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment"},
				ReplicaRequirements: &v1alpha1.ReplicaRequirements{}, Placement: terms}},
		{name: "a multi-component workload counts as a workload", observed: "primary", cluster: fxInfo("member3"),
			spec: &v1alpha1.ResourceBindingSpec{Components: []v1alpha1.Component{{Name: "jm", Replicas: 0}}, Placement: terms}},
		{name: "a non-workload never overflows", spec: fxConfigMap(terms), observed: "primary", cluster: fxInfo("member3"), reason: reason},
		{name: "the clusterAffinity wins over terms (an invalid mix)", observed: "backup", cluster: fxInfo("member2"), reason: reason,
			spec: fxDeployment(1, &v1alpha1.Placement{ClusterAffinity: prodOnly, ClusterAffinities: terms.ClusterAffinities})},
	})
}

func TestSpreadConstraintFilter(t *testing.T) {
	spread := func(fields ...v1alpha1.SpreadFieldValue) *v1alpha1.ResourceBindingSpec {
		p := &v1alpha1.Placement{}
		for _, f := range fields {
			p.SpreadConstraints = append(p.SpreadConstraints, v1alpha1.SpreadConstraint{SpreadByField: f, MinGroups: 1})
		}
		return fxDeployment(1, p)
	}
	full := fxInfo("member1", fxProvider("aws"), fxRegion("us-east-1"), fxZones("us-east-1a"))
	runFilterCases(t, spreadConstraintPlugin{}, []filterCase{
		{name: "a cluster with provider, region and zones fits every constraint", cluster: full,
			spec: spread(v1alpha1.SpreadByFieldCluster, v1alpha1.SpreadByFieldProvider, v1alpha1.SpreadByFieldRegion, v1alpha1.SpreadByFieldZone)},
		{name: "spreading by cluster needs nothing", spec: spread(v1alpha1.SpreadByFieldCluster), cluster: fxInfo("member1")},
		{name: "spreading by label needs nothing here", cluster: fxInfo("member1"),
			spec: fxDeployment(1, &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{{SpreadByLabel: "team"}}})},
		{name: "spreading by provider needs spec.provider", spec: spread(v1alpha1.SpreadByFieldProvider),
			cluster: fxInfo("member1", fxRegion("r")), reason: "cluster(s) did not have provider property"},
		{name: "spreading by region needs spec.region", spec: spread(v1alpha1.SpreadByFieldCluster, v1alpha1.SpreadByFieldRegion),
			cluster: fxInfo("member1", fxProvider("aws")), reason: "cluster(s) did not have region property"},
		{name: "spreading by zone needs spec.zones", spec: spread(v1alpha1.SpreadByFieldZone),
			cluster: fxInfo("member1", fxRegion("r")), reason: "cluster(s) did not have zones property"},
		{name: "the first constraint the cluster lacks decides the reason",
			spec:    spread(v1alpha1.SpreadByFieldZone, v1alpha1.SpreadByFieldRegion),
			cluster: fxInfo("member1"), reason: "cluster(s) did not have zones property"},
	})
}

func TestClusterEvictionFilter(t *testing.T) {
	evicting := fxDeployment(1, &v1alpha1.Placement{})
	evicting.GracefulEvictionTasks = []v1alpha1.GracefulEvictionTask{
		{FromCluster: "member2", Reason: v1alpha1.EvictionReasonTaintUntolerated, Producer: v1alpha1.EvictionProducerTaintManager},
	}
	runFilterCases(t, clusterEvictionPlugin{}, []filterCase{
		{name: "a cluster being evicted from does not fit", spec: evicting, cluster: fxInfo("member2"),
			reason: "cluster(s) is in the process of eviction"},
		{name: "other clusters fit", spec: evicting, cluster: fxInfo("member1")},
		{name: "without eviction tasks every cluster fits", spec: fxDeployment(1, &v1alpha1.Placement{}), cluster: fxInfo("member2")},
	})
}

// The filters run in Karmada's registry order and the first failure is the cluster's reason.
func TestFilterPluginsRunInRegistryOrder(t *testing.T) {
	g := NewWithT(t)
	names := make([]string, len(filterPlugins))
	for i, p := range filterPlugins {
		names[i] = p.Name()
	}
	g.Expect(names).To(Equal([]string{"APIEnablement", "TaintToleration", "ClusterAffinity", "SpreadConstraint", "ClusterEviction"}))

	spec := fxDeployment(1, &v1alpha1.Placement{
		ClusterAffinity:   &v1alpha1.ClusterAffinity{ClusterNames: []string{"member1"}},
		SpreadConstraints: []v1alpha1.SpreadConstraint{{SpreadByField: v1alpha1.SpreadByFieldRegion, MinGroups: 1}},
	})
	spec.GracefulEvictionTasks = []v1alpha1.GracefulEvictionTask{{FromCluster: "member1"}, {FromCluster: "member2"}}
	st := fxState(spec, "")
	taint := fxTaint("maintenance", "true", corev1.TaintEffectNoSchedule)
	tests := []struct {
		name    string
		cluster *ClusterInfo
		reason  string
	}{
		{"a missing API is reported before a taint", fxInfo("member2", fxNoAPIs(true), taint),
			"cluster(s) did not have the API resource"},
		{"a taint is reported before the affinity", fxInfo("member2", taint), "cluster(s) had untolerated taint {maintenance=true:NoSchedule}"},
		{"the affinity is reported before a missing region", fxInfo("member2"),
			"cluster(s) did not match the placement cluster affinity constraint"},
		{"a missing region is reported before an eviction", fxInfo("member1"), "cluster(s) did not have region property"},
		{"an eviction is reported last", fxInfo("member1", fxRegion("r1")), "cluster(s) is in the process of eviction"},
	}
	for _, tt := range tests {
		g.Expect(runFilterPlugins(st, tt.cluster).Reason()).To(Equal(tt.reason), tt.name)
	}
}

func TestScorePlugins(t *testing.T) {
	placed := fxDeployment(2, &v1alpha1.Placement{})
	placed.Clusters = fxTargets("member1", 2)
	tests := []struct {
		name    string
		spec    *v1alpha1.ResourceBindingSpec
		cluster string
		want    int64
	}{
		{"a cluster already running the binding scores 100", placed, "member1", 100},
		{"a cluster not running it scores 0", placed, "member2", 0},
		{"a first schedule scores every cluster 0", fxDeployment(2, &v1alpha1.Placement{}), "member1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			st := fxState(tt.spec, "")
			g.Expect(runScorePlugins(st, fxInfo(tt.cluster))).To(Equal(tt.want))
			g.Expect(clusterAffinityPlugin{}.Score(st, fxInfo(tt.cluster))).To(Equal(int64(0)))
		})
	}
}

// Many targets are indexed; lookups give the first entry of a name, as Karmada's
// AssignedReplicasForCluster.
func TestTargetIndex(t *testing.T) {
	g := NewWithT(t)
	for _, n := range []int{3, 30} {
		var targets []v1alpha1.TargetCluster
		for i := range n {
			targets = append(targets, v1alpha1.TargetCluster{Name: string(rune('a'+i%26)) + string(rune('a'+i/26)), Replicas: int32(i + 1)})
		}
		targets = append(targets, v1alpha1.TargetCluster{Name: "aa", Replicas: 99})
		idx := newTargetIndex(targets)
		g.Expect(idx.contains("aa")).To(BeTrue())
		g.Expect(idx.replicas("aa")).To(Equal(int32(1)))
		g.Expect(idx.replicas("ca")).To(Equal(int32(3)))
		g.Expect(idx.contains("zz")).To(BeFalse())
		g.Expect(idx.replicas("zz")).To(Equal(int32(0)))
	}
}

func TestAPIEnablementAssumedForClustersWithoutStatus(t *testing.T) {
	g := NewWithT(t)
	fresh := &v1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "fresh"}}
	reported := &v1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "reported"},
		Status: v1alpha1.ClusterStatus{Conditions: []metav1.Condition{{Type: "Ready", Status: metav1.ConditionTrue}}}}
	spec := &v1alpha1.ResourceBindingSpec{Resource: v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}}

	strict := NewSnapshot([]*v1alpha1.Cluster{fresh, reported})
	res := Schedule(strict, Binding{Spec: spec}, Options{})
	g.Expect(res.Condition.Reason).To(Equal(v1alpha1.BindingReasonNoClusterFit), "Karmada: an unknown API enablement fails")

	assuming := NewSnapshotWithOptions([]*v1alpha1.Cluster{fresh, reported}, SnapshotOptions{AssumeAPIsWithoutStatus: true})
	res = Schedule(assuming, Binding{Spec: spec}, Options{})
	g.Expect(res.Err).NotTo(HaveOccurred())
	g.Expect(res.Clusters).To(Equal([]v1alpha1.TargetCluster{{Name: "fresh"}}), "only the cluster without any status is assumed to serve the API")
}
