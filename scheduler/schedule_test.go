package scheduler

import (
	"errors"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// scheduleCase is one binding scheduled over one fleet, with the outcome worked out from the
// semantics reference (§2.1–§2.4, §14).
type scheduleCase struct {
	name     string
	clusters []*v1alpha1.Cluster
	spec     *v1alpha1.ResourceBindingSpec
	status   *v1alpha1.ResourceBindingStatus
	opts     Options

	// want is spec.clusters after scheduling (order included: it is written to the binding).
	want []v1alpha1.TargetCluster
	// reason is the Scheduled condition's reason; message its message when not empty.
	reason  string
	message string
	// observed is the expected ObservedAffinityName.
	observed string
}

// scheduleChecked schedules and checks that Schedule left its inputs alone.
func scheduleChecked(t *testing.T, clusters []*v1alpha1.Cluster, spec *v1alpha1.ResourceBindingSpec,
	status *v1alpha1.ResourceBindingStatus, opts Options) Result {
	t.Helper()
	g := NewWithT(t)
	var clustersBefore []*v1alpha1.Cluster
	for _, c := range clusters {
		clustersBefore = append(clustersBefore, c.DeepCopy())
	}
	specBefore, statusBefore := spec.DeepCopy(), status.DeepCopy()
	res := Schedule(NewSnapshot(clusters), Binding{Spec: spec, Status: status}, opts)
	var internal *internalError
	if errors.As(res.Err, &internal) {
		t.Fatalf("scheduler panicked: %v\n%s", internal.value, internal.stack)
	}
	g.Expect(clusters).To(Equal(clustersBefore), "Schedule modified the clusters")
	g.Expect(spec).To(Equal(specBefore), "Schedule modified the binding spec")
	g.Expect(status).To(Equal(statusBefore), "Schedule modified the binding status")
	return res
}

func runScheduleCases(t *testing.T, cases []scheduleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			res := scheduleChecked(t, tc.clusters, tc.spec, tc.status, tc.opts)
			g.Expect(res.Condition.Type).To(Equal(v1alpha1.BindingConditionScheduled))
			g.Expect(res.Condition.Reason).To(Equal(tc.reason), "condition message: %s", res.Condition.Message)
			if tc.message != "" {
				g.Expect(res.Condition.Message).To(Equal(tc.message))
			}
			if tc.reason == v1alpha1.BindingReasonSuccess {
				g.Expect(res.Condition.Status).To(Equal(metav1.ConditionTrue))
				g.Expect(res.Condition.Message).To(Equal("Binding has been scheduled successfully."))
				g.Expect(res.Err).NotTo(HaveOccurred())
			} else {
				g.Expect(res.Condition.Status).To(Equal(metav1.ConditionFalse))
				g.Expect(res.Err).To(HaveOccurred())
				g.Expect(res.Condition.Message).To(Equal(res.Err.Error()))
			}
			if len(tc.want) == 0 {
				g.Expect(res.Clusters).To(BeEmpty())
			} else {
				g.Expect(res.Clusters).To(Equal(tc.want))
			}
			g.Expect(res.ObservedAffinityName).To(Equal(tc.observed))
		})
	}
}

func fxThree(opts2 ...fxOpt) []*v1alpha1.Cluster {
	return []*v1alpha1.Cluster{fxCluster("member1"), fxCluster("member2", opts2...), fxCluster("member3")}
}

func withPrevious(spec *v1alpha1.ResourceBindingSpec, targets []v1alpha1.TargetCluster) *v1alpha1.ResourceBindingSpec {
	spec.Clusters = targets
	return spec
}

const success = v1alpha1.BindingReasonSuccess

var maintenance = fxTaint("maintenance", "true", corev1.TaintEffectNoSchedule)

// §14 items 1, 2 and 4: Duplicated and the default Divided placement.
func TestScheduleDuplicatedAndDivided(t *testing.T) {
	runScheduleCases(t, []scheduleCase{
		{
			name:     "a placement without replicaScheduling runs every replica on every cluster",
			clusters: fxThree(), spec: fxDeployment(3, &v1alpha1.Placement{}),
			want: fxTargets("member1", 3, "member2", 3, "member3", 3), reason: success,
		},
		{
			name:     "a binding without placement schedules like an empty placement",
			clusters: fxThree(), spec: fxDeployment(3, nil),
			want: fxTargets("member1", 3, "member2", 3, "member3", 3), reason: success,
		},
		{
			// ClusterLocality scores member3 100, and clusters are sorted by score first.
			name:     "clusters already running the binding come first",
			clusters: fxThree(), spec: withPrevious(fxDeployment(3, &v1alpha1.Placement{}), fxTargets("member3", 3)),
			want: fxTargets("member3", 3, "member1", 3, "member2", 3), reason: success,
		},
		{
			name:     "a cluster being deleted gets nothing",
			clusters: fxThree(fxDeleting()), spec: fxDeployment(2, &v1alpha1.Placement{}),
			want: fxTargets("member1", 2, "member3", 2), reason: success,
		},
		{
			name:     "Divided without a preference splits by equal weights, the extra replica to the smaller name",
			clusters: fxThree()[:2], spec: fxDeployment(3, &v1alpha1.Placement{ReplicaScheduling: fxDivided()}),
			want: fxTargets("member1", 2, "member2", 1), reason: success,
		},
		{
			name:     "clusters left with 0 replicas are dropped",
			clusters: fxThree(), spec: fxDeployment(1, &v1alpha1.Placement{ReplicaScheduling: fxDivided()}),
			want: fxTargets("member1", 1), reason: success,
		},
		{
			name:     "a non-workload goes to every cluster without replicas, whatever the division",
			clusters: fxThree(), spec: fxConfigMap(&v1alpha1.Placement{ReplicaScheduling: fxDivided()}),
			want: fxTargets("member1", 0, "member2", 0, "member3", 0), reason: success,
		},
	})
}

// §14 item 14 and §2.2: taints, tolerations, APIs, evictions and the clusters already placed.
func TestScheduleFilters(t *testing.T) {
	evicting := fxDeployment(2, &v1alpha1.Placement{})
	evicting.GracefulEvictionTasks = []v1alpha1.GracefulEvictionTask{{
		FromCluster: "member2", PurgeMode: v1alpha1.PurgeModeGracefully, Reason: v1alpha1.EvictionReasonTaintUntolerated,
		Producer: v1alpha1.EvictionProducerTaintManager,
	}}
	runScheduleCases(t, []scheduleCase{
		{
			name:     "a NoSchedule taint keeps a new placement off the cluster",
			clusters: fxThree(maintenance), spec: fxDeployment(2, &v1alpha1.Placement{}),
			want: fxTargets("member1", 2, "member3", 2), reason: success,
		},
		{
			name:     "a NoSchedule taint keeps the existing placement on the cluster",
			clusters: fxThree(maintenance), spec: withPrevious(fxDeployment(2, &v1alpha1.Placement{}), fxTargets("member2", 2)),
			want: fxTargets("member2", 2, "member1", 2, "member3", 2), reason: success,
		},
		{
			name:     "a toleration lets the placement onto the tainted cluster",
			clusters: fxThree(maintenance),
			spec: fxDeployment(2, &v1alpha1.Placement{ClusterTolerations: []corev1.Toleration{
				{Key: "maintenance", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}}),
			want: fxTargets("member1", 2, "member2", 2, "member3", 2), reason: success,
		},
		{
			name:     "an untolerated NoExecute taint keeps a new placement off the cluster",
			clusters: fxThree(fxTaint("maintenance", "", corev1.TaintEffectNoExecute)), spec: fxDeployment(2, &v1alpha1.Placement{}),
			want: fxTargets("member1", 2, "member3", 2), reason: success,
		},
		{
			name:     "a PreferNoSchedule taint does not keep the placement off",
			clusters: fxThree(fxTaint("spot", "", corev1.TaintEffectPreferNoSchedule)), spec: fxDeployment(2, &v1alpha1.Placement{}),
			want: fxTargets("member1", 2, "member2", 2, "member3", 2), reason: success,
		},
		{
			name:     "a cluster without the API gets no new placement",
			clusters: fxThree(fxNoAPIs(true)), spec: fxDeployment(2, &v1alpha1.Placement{}),
			want: fxTargets("member1", 2, "member3", 2), reason: success,
		},
		{
			name:     "a cluster without the API keeps its existing placement",
			clusters: fxThree(fxNoAPIs(true)), spec: withPrevious(fxDeployment(2, &v1alpha1.Placement{}), fxTargets("member2", 2)),
			want: fxTargets("member2", 2, "member1", 2, "member3", 2), reason: success,
		},
		{
			name:     "a cluster the workload is being evicted from is excluded",
			clusters: fxThree(), spec: evicting,
			want: fxTargets("member1", 2, "member3", 2), reason: success,
		},
		{
			name: "the cluster affinity applies to clusters already placed too",
			clusters: []*v1alpha1.Cluster{fxCluster("member1", fxLabels("env", "prod")), fxCluster("member2", fxLabels("env", "staging")),
				fxCluster("member3", fxLabels("env", "prod"))},
			spec: withPrevious(fxDeployment(2, &v1alpha1.Placement{ClusterAffinity: &v1alpha1.ClusterAffinity{
				LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}}), fxTargets("member2", 2)),
			want: fxTargets("member1", 2, "member3", 2), reason: success,
		},
	})
}

// §14 item 6 and §2.1: no feasible cluster clears the result and explains why.
func TestScheduleNoClusterFits(t *testing.T) {
	prod := &v1alpha1.Placement{ClusterAffinity: &v1alpha1.ClusterAffinity{
		LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}}}
	runScheduleCases(t, []scheduleCase{
		{
			name: "the message counts every cluster and sorts the reasons",
			clusters: []*v1alpha1.Cluster{
				fxCluster("member1", fxLabels("env", "prod"), fxNoAPIs(true)),
				fxCluster("member2", fxLabels("env", "prod"), maintenance),
				fxCluster("member3", fxLabels("env", "staging")),
				fxCluster("member4", fxLabels("env", "staging")),
				fxCluster("member5", fxLabels("env", "prod"), fxDeleting()),
			},
			// Being placed on member3 spares it the API and taint checks, not the affinity.
			spec:   withPrevious(fxDeployment(1, prod), fxTargets("member3", 1)),
			reason: v1alpha1.BindingReasonNoClusterFit,
			message: "0/5 clusters are available: 1 cluster(s) did not have the API resource, " +
				"1 cluster(s) had untolerated taint {maintenance=true:NoSchedule}, " +
				"2 cluster(s) did not match the placement cluster affinity constraint.",
		},
		{
			name:     "an empty fleet has no cluster",
			clusters: nil, spec: withPrevious(fxDeployment(1, &v1alpha1.Placement{}), fxTargets("member1", 1)),
			reason: v1alpha1.BindingReasonNoClusterFit, message: "0/0 clusters are available: no cluster exists.",
		},
		{
			name:     "a fleet whose clusters are all being deleted has no cluster either",
			clusters: []*v1alpha1.Cluster{fxCluster("member1", fxDeleting()), fxCluster("member2", fxDeleting())},
			spec:     withPrevious(fxDeployment(1, &v1alpha1.Placement{}), fxTargets("member1", 1)),
			reason:   v1alpha1.BindingReasonNoClusterFit, message: "0/2 clusters are available: no cluster exists.",
		},
		{
			name:     "a binding without a spec fits no cluster's API",
			clusters: fxThree(), spec: nil,
			reason: v1alpha1.BindingReasonNoClusterFit, message: "0/3 clusters are available: 3 cluster(s) did not have the API resource.",
		},
	})

	t.Run("a nil snapshot is an empty fleet", func(t *testing.T) {
		g := NewWithT(t)
		res := Schedule(nil, Binding{Spec: fxDeployment(1, nil)}, Options{})
		g.Expect(res.Condition.Message).To(Equal("0/0 clusters are available: no cluster exists."))
		var fitErr *FitError
		g.Expect(errors.As(res.Err, &fitErr)).To(BeTrue())
		g.Expect(fitErr.NumAllClusters).To(Equal(0))
	})
}

// §14 item 5 and §2.1: errors after filtering keep the previous result.
func TestScheduleErrorsKeepThePreviousResult(t *testing.T) {
	fleet := []*v1alpha1.Cluster{fxCluster("member1", fxPods(2)), fxCluster("member2", fxPods(2))}
	runScheduleCases(t, []scheduleCase{
		{
			// Scale-up needs 10-2 = 8 more replicas; the clusters can take 2+2 = 4.
			name:     "not enough capacity for dynamic weights is Unschedulable",
			clusters: fleet, spec: withPrevious(fxDeployment(10, &v1alpha1.Placement{ReplicaScheduling: fxDynamic()}), fxTargets("member1", 2)),
			want:   fxTargets("member1", 2),
			reason: v1alpha1.BindingReasonUnschedulable,
			message: "failed to assign replicas: failed to scale up: " +
				"Clusters available replicas 4 are not enough to schedule.",
		},
		{
			name:     "not enough capacity to aggregate is Unschedulable",
			clusters: fleet, spec: withPrevious(fxDeployment(6, &v1alpha1.Placement{ReplicaScheduling: fxAggregated()}), fxTargets("member2", 1)),
			want:   fxTargets("member2", 1),
			reason: v1alpha1.BindingReasonUnschedulable,
			message: "failed to assign replicas: failed to scale up: " +
				"Clusters available replicas 4 are not enough to schedule.",
		},
		{
			name:     "too few clusters for the spread constraint is a SchedulerError",
			clusters: fxThree(),
			spec: withPrevious(fxDeployment(2, &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{
				{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 4, MaxGroups: 5}}}), fxTargets("member1", 2)),
			want:    fxTargets("member1", 2),
			reason:  v1alpha1.BindingReasonSchedulerError,
			message: "failed to select clusters: the number of feasible clusters is less than spreadConstraint.MinGroups",
		},
		{
			// Karmada quirk (§2.3): maxGroups 0 selects no cluster.
			name:     "a cluster spread constraint with maxGroups 0 selects nothing and fails assignment",
			clusters: fxThree(),
			spec: withPrevious(fxDeployment(2, &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{
				{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 1}}}), fxTargets("member3", 2)),
			want:    fxTargets("member3", 2),
			reason:  v1alpha1.BindingReasonSchedulerError,
			message: "failed to assign replicas: no clusters available to schedule",
		},
	})

	t.Run("the kept result does not share memory with the binding", func(t *testing.T) {
		g := NewWithT(t)
		spec := withPrevious(fxDeployment(10, &v1alpha1.Placement{ReplicaScheduling: fxDynamic()}), fxTargets("member1", 2))
		res := Schedule(NewSnapshot(fleet), Binding{Spec: spec}, Options{})
		g.Expect(res.Clusters).To(Equal(fxTargets("member1", 2)))
		res.Clusters[0].Replicas = 99
		g.Expect(spec.Clusters[0].Replicas).To(Equal(int32(2)))
		var unschedulable *UnschedulableError
		g.Expect(errors.As(res.Err, &unschedulable)).To(BeTrue())
	})
}

// §14 item 8-9 through the pipeline: the spread-constraint filter and selection see the
// scores and the clusters that passed the filters.
func TestScheduleSpreadConstraints(t *testing.T) {
	regions := []*v1alpha1.Cluster{
		fxCluster("member1", fxRegion("r1")), fxCluster("member2", fxRegion("r2")),
		fxCluster("member3"), fxCluster("member4", fxRegion("r1")),
	}
	runScheduleCases(t, []scheduleCase{
		{
			// member3 has no region and is filtered out. Regions r1 {member1, member4} and
			// r2 {member2} both score 0 (no capacity is known, so no cluster can run 2
			// replicas); selectGroups finds the path r2+r1, re-sorted by weight then name
			// to r1, r2, and each region gives its first cluster; cluster maxGroups 2
			// leaves no room for member4 (A.5, A.6).
			name:     "region spread picks one cluster per region among clusters that have a region",
			clusters: regions,
			spec: fxDeployment(2, &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{
				{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 2, MaxGroups: 2},
				{SpreadByField: v1alpha1.SpreadByFieldRegion, MinGroups: 2, MaxGroups: 2}}}),
			want: fxTargets("member1", 2, "member2", 2), reason: success,
		},
		{
			name:     "cluster spread keeps the clusters already placed, ranked first by their score",
			clusters: fxThree(),
			spec: withPrevious(fxDeployment(2, &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{
				{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 1, MaxGroups: 2}}}), fxTargets("member3", 2)),
			want: fxTargets("member3", 2, "member1", 2), reason: success,
		},
	})
}

// §14 item 7 and §2.1 ClusterAffinities: ordered fallback, stickiness, observed name.
func TestScheduleClusterAffinities(t *testing.T) {
	terms := func(s *v1alpha1.ReplicaSchedulingStrategy) *v1alpha1.Placement {
		return &v1alpha1.Placement{ReplicaScheduling: s, ClusterAffinities: []v1alpha1.ClusterAffinityTerm{
			{AffinityName: "primary", ClusterAffinity: fxNamesAffinity("member1")},
			{AffinityName: "backup", ClusterAffinity: fxNamesAffinity("member2")},
			{AffinityName: "last-resort", ClusterAffinity: fxNamesAffinity("member3")},
		}}
	}
	observing := func(name string, triggeredMin, lastMin int) *v1alpha1.ResourceBindingStatus {
		st := &v1alpha1.ResourceBindingStatus{SchedulerObservedAffinityName: name}
		if lastMin > 0 {
			st.LastScheduledTime = fxTime(lastMin)
		}
		return st
	}
	triggered := func(spec *v1alpha1.ResourceBindingSpec, minutes int) *v1alpha1.ResourceBindingSpec {
		spec.RescheduleTriggeredAt = fxTime(minutes)
		return spec
	}
	overflow := &v1alpha1.Placement{ReplicaScheduling: fxDynamic(), ClusterAffinities: []v1alpha1.ClusterAffinityTerm{{
		AffinityName: "primary", ClusterAffinity: fxNamesAffinity("member1"),
		OverflowAffinities: []v1alpha1.OverflowClusterAffinity{{AffinityName: "burst", ClusterAffinity: fxNamesAffinity("member2")}},
	}}}
	capacity := []*v1alpha1.Cluster{fxCluster("member1", fxPods(2)), fxCluster("member2", fxPods(5)), fxCluster("member3", fxPods(5))}
	runScheduleCases(t, []scheduleCase{
		{
			name:     "with terms, an empty fleet clears the result too",
			clusters: nil, spec: withPrevious(fxDeployment(2, terms(nil)), fxTargets("member1", 2)),
			reason: v1alpha1.BindingReasonNoClusterFit, message: "0/0 clusters are available: no cluster exists.",
		},
		{
			name:     "an unfit first term falls back to the next one, which is recorded",
			clusters: []*v1alpha1.Cluster{fxCluster("member1", maintenance), fxCluster("member2"), fxCluster("member3")},
			spec:     fxDeployment(2, terms(nil)),
			want:     fxTargets("member2", 2), reason: success, observed: "backup",
		},
		{
			name:     "the scheduler sticks to the observed term even when an earlier one fits again",
			clusters: fxThree(), spec: withPrevious(fxDeployment(2, terms(nil)), fxTargets("member2", 2)), status: observing("backup", 0, 5),
			want: fxTargets("member2", 2), reason: success, observed: "backup",
		},
		{
			name:     "a fresh reschedule starts again from the first term",
			clusters: fxThree(), spec: triggered(withPrevious(fxDeployment(2, terms(nil)), fxTargets("member2", 2)), 10),
			status: observing("backup", 0, 5),
			want:   fxTargets("member1", 2), reason: success, observed: "primary",
		},
		{
			name:     "a reschedule request older than the last schedule changes nothing",
			clusters: fxThree(), spec: triggered(withPrevious(fxDeployment(2, terms(nil)), fxTargets("member2", 2)), 1),
			status: observing("backup", 0, 5),
			want:   fxTargets("member2", 2), reason: success, observed: "backup",
		},
		{
			name:     "an observed name no term has any more starts from the first term",
			clusters: fxThree(), spec: fxDeployment(2, terms(nil)), status: observing("gone", 0, 0),
			want: fxTargets("member1", 2), reason: success, observed: "primary",
		},
		{
			// Starting at backup, neither backup nor last-resort fits; primary is never
			// tried again. The message is the FitError of the first term tried.
			name: "when every remaining term fails the result is cleared and the observed name kept",
			clusters: []*v1alpha1.Cluster{fxCluster("member1"), fxCluster("member2", maintenance),
				fxCluster("member3", maintenance)},
			spec:   withPrevious(fxDeployment(2, terms(nil)), fxTargets("member1", 2)),
			status: observing("backup", 0, 5),
			reason: v1alpha1.BindingReasonNoClusterFit, observed: "backup",
			message: "0/3 clusters are available: 1 cluster(s) did not match the placement cluster affinity constraint, " +
				"2 cluster(s) had untolerated taint {maintenance=true:NoSchedule}.",
		},
		{
			name:     "a term without enough capacity falls back to the next one",
			clusters: capacity, spec: fxDeployment(3, terms(fxDynamic())),
			want: fxTargets("member2", 3), reason: success, observed: "backup",
		},
		{
			// primary: member1 has 1 replica and room for 1 more, 2 are missing
			// (Unschedulable); the other terms' clusters are tainted (FitError). The first
			// error is returned, and as it is not a FitError the previous result is kept.
			name: "when the first error is not a FitError the previous result is kept",
			clusters: []*v1alpha1.Cluster{fxCluster("member1", fxPods(1)), fxCluster("member2", fxPods(5), maintenance),
				fxCluster("member3", fxPods(5), maintenance)},
			spec:   withPrevious(fxDeployment(3, terms(fxDynamic())), fxTargets("member1", 1)),
			want:   fxTargets("member1", 1),
			reason: v1alpha1.BindingReasonUnschedulable,
			message: "failed to assign replicas: failed to scale up: " +
				"Clusters available replicas 1 are not enough to schedule.",
		},
		{
			// Tier 0 (member1) takes what it can (2), tier 1 (member2) the rest (2);
			// member3 is outside the term.
			name:     "overflow affinities take what the primary group cannot",
			clusters: capacity, spec: fxDeployment(4, overflow),
			want: fxTargets("member1", 2, "member2", 2), reason: success, observed: "primary",
		},
		{
			name:     "overflow affinities are unused while the primary group has room",
			clusters: capacity, spec: fxDeployment(2, overflow),
			want: fxTargets("member1", 2), reason: success, observed: "primary",
		},
		{
			name:     "a non-workload never overflows",
			clusters: capacity, spec: fxConfigMap(overflow),
			want: fxTargets("member1", 0), reason: success, observed: "primary",
		},
		{
			// Karmada dispatches on a non-nil list and has no term to try: nothing is
			// patched but the Success condition, whatever the fleet.
			name:     "an empty clusterAffinities list leaves the binding as it is, even on an empty fleet",
			clusters: nil,
			spec: withPrevious(fxDeployment(2, &v1alpha1.Placement{ClusterAffinities: []v1alpha1.ClusterAffinityTerm{}}),
				fxTargets("member1", 2)),
			status: observing("backup", 0, 5),
			want:   fxTargets("member1", 2), reason: success, observed: "backup",
		},
		{
			// Only a successful clusterAffinities schedule writes the observed name.
			name:     "without clusterAffinities a failure keeps the observed name",
			clusters: fxThree(), spec: fxDeployment(2, &v1alpha1.Placement{ClusterAffinity: &v1alpha1.ClusterAffinity{
				ClusterNames: []string{"member9"}}}),
			status: observing("backup", 0, 5),
			reason: v1alpha1.BindingReasonNoClusterFit, observed: "backup",
			message: "0/3 clusters are available: 3 cluster(s) did not match the placement cluster affinity constraint.",
		},
		{
			name:     "without any affinity a success keeps the observed name",
			clusters: fxThree(), spec: fxDeployment(1, &v1alpha1.Placement{}), status: observing("backup", 0, 5),
			want: fxTargets("member1", 1, "member2", 1, "member3", 1), reason: success, observed: "backup",
		},
	})
}

func TestScheduleSuccessCondition(t *testing.T) {
	g := NewWithT(t)
	res := Schedule(NewSnapshot(fxThree()), Binding{Spec: fxDeployment(1, &v1alpha1.Placement{})}, Options{})
	g.Expect(res.Condition).To(Equal(metav1.Condition{
		Type:    "Scheduled",
		Status:  metav1.ConditionTrue,
		Reason:  "Success",
		Message: "Binding has been scheduled successfully.",
	}))
	g.Expect(res.Err).NotTo(HaveOccurred())
}
