package scheduler

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// fxScheduled is the status of a binding scheduled at fxTime(5) with the observed affinity
// name, Scheduled=True.
func fxScheduled(observed string) *v1alpha1.ResourceBindingStatus {
	return &v1alpha1.ResourceBindingStatus{
		SchedulerObservedAffinityName: observed,
		LastScheduledTime:             fxTime(5),
		Conditions: []metav1.Condition{{
			Type: v1alpha1.BindingConditionScheduled, Status: metav1.ConditionTrue,
			Reason: v1alpha1.BindingReasonSuccess, Message: v1alpha1.BindingMessageScheduled,
		}},
	}
}

// scheduleGated schedules as a caller does (§2.1): only when NeedsSchedule says so;
// otherwise the binding keeps its spec.clusters, observed affinity name and Scheduled
// condition. Like scheduleChecked, it checks that nothing modified the inputs.
func scheduleGated(t *testing.T, clusters []*v1alpha1.Cluster, spec *v1alpha1.ResourceBindingSpec,
	status *v1alpha1.ResourceBindingStatus, applied *v1alpha1.Placement, opts Options) Result {
	t.Helper()
	specBefore, statusBefore, appliedBefore := spec.DeepCopy(), status.DeepCopy(), applied.DeepCopy()
	needed := NeedsSchedule(NewSnapshot(clusters), Binding{Spec: spec, Status: status}, applied)
	NewWithT(t).Expect([]any{spec, status, applied}).To(Equal([]any{specBefore, statusBefore, appliedBefore}),
		"NeedsSchedule modified its inputs")
	if needed {
		return scheduleChecked(t, clusters, spec, status, opts)
	}
	res := Result{Clusters: cloneTargets(spec.Clusters)}
	if status != nil {
		res.ObservedAffinityName = status.SchedulerObservedAffinityName
		if cond := meta.FindStatusCondition(status.Conditions, v1alpha1.BindingConditionScheduled); cond != nil {
			res.Condition = *cond
		}
	}
	return res
}

// triggerCase is one binding and applied placement with the trigger Karmada's
// doScheduleBinding would act on.
type triggerCase struct {
	name     string
	clusters []*v1alpha1.Cluster
	spec     *v1alpha1.ResourceBindingSpec
	status   *v1alpha1.ResourceBindingStatus
	applied  *v1alpha1.Placement
	nilSnap  bool
	want     ScheduleTrigger
}

func runTriggerCases(t *testing.T, cases []triggerCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			clusters := tc.clusters
			if clusters == nil {
				clusters = fxThree()
			}
			snap := NewSnapshot(clusters)
			if tc.nilSnap {
				snap = nil
			}
			specBefore, statusBefore, appliedBefore := tc.spec.DeepCopy(), tc.status.DeepCopy(), tc.applied.DeepCopy()
			b := Binding{Spec: tc.spec, Status: tc.status}
			got := DetectScheduleTrigger(snap, b, tc.applied)
			g.Expect(got).To(Equal(tc.want))
			g.Expect(NeedsSchedule(snap, b, tc.applied)).To(Equal(tc.want != TriggerNone))
			g.Expect(tc.spec).To(Equal(specBefore), "the spec was modified")
			g.Expect(tc.status).To(Equal(statusBefore), "the status was modified")
			g.Expect(tc.applied).To(Equal(appliedBefore), "the applied placement was modified")
		})
	}
}

// Fixtures of the trigger tests: a Divided (equal static weights) Deployment of 3 replicas
// placed 2/1 on member1/member2 and scheduled at fxTime(5) — settled, nothing to do — and
// variations of it.

func trDivided() *v1alpha1.Placement { return &v1alpha1.Placement{ReplicaScheduling: fxDivided()} }

func trSettled(replicas int32, placement *v1alpha1.Placement, targets ...any) *v1alpha1.ResourceBindingSpec {
	return withPrevious(fxDeployment(replicas, placement), fxTargets(targets...))
}

func trSuspended(spec *v1alpha1.ResourceBindingSpec, suspended bool) *v1alpha1.ResourceBindingSpec {
	spec.Suspension = &v1alpha1.BindingSuspension{Scheduling: &suspended}
	return spec
}

func trTriggered(spec *v1alpha1.ResourceBindingSpec, minutes int) *v1alpha1.ResourceBindingSpec {
	spec.RescheduleTriggeredAt = fxTime(minutes)
	return spec
}

func trAffinity(names ...string) *v1alpha1.Placement {
	p := trDivided()
	p.ClusterAffinity = &v1alpha1.ClusterAffinity{ClusterNames: names}
	return p
}

// trTerms is a Divided placement with clusterAffinities terms from name, cluster-names
// pairs: "primary", []string{"member1"}, ...
func trTerms(pairs ...any) *v1alpha1.Placement {
	p := trDivided()
	for i := 0; i+1 < len(pairs); i += 2 {
		p.ClusterAffinities = append(p.ClusterAffinities, v1alpha1.ClusterAffinityTerm{
			AffinityName: pairs[i].(string), ClusterAffinity: fxNamesAffinity(pairs[i+1].([]string)...)})
	}
	return p
}

func trWith(p *v1alpha1.Placement, edit func(*v1alpha1.Placement)) *v1alpha1.Placement {
	edit(p)
	return p
}

// §2.1 "Scheduling is skipped while spec.suspension.scheduling=true".
func TestScheduleTriggerSuspension(t *testing.T) {
	runTriggerCases(t, []triggerCase{
		{
			name: "a suspended binding is not scheduled even without an applied placement",
			spec: trSuspended(trSettled(3, trDivided(), "member1", 2, "member2", 1), true),
			want: TriggerNone,
		},
		{
			name:    "a suspended Duplicated binding is not scheduled",
			spec:    trSuspended(fxDeployment(3, &v1alpha1.Placement{}), true),
			applied: &v1alpha1.Placement{},
			want:    TriggerNone,
		},
		{
			name:     "a suspended binding on a deleting cluster is not scheduled",
			clusters: fxThree(fxDeleting()),
			spec:     trSuspended(trSettled(3, trDivided(), "member1", 2, "member2", 1), true),
			applied:  trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			name: "suspension false does not hold the binding",
			spec: trSuspended(trSettled(3, trDivided(), "member1", 2, "member2", 1), false),
			want: TriggerPlacementChanged,
		},
	})
}

// §2.1 trigger 1: the applied placement is missing or differs (Karmada's placementChanged).
func TestScheduleTriggerPlacementChanged(t *testing.T) {
	settled := func(p *v1alpha1.Placement) *v1alpha1.ResourceBindingSpec {
		return trSettled(3, p, "member1", 2, "member2", 1)
	}
	gpu := corev1.Toleration{Key: "gpu", Operator: corev1.TolerationOpExists}
	sc := v1alpha1.SpreadConstraint{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 1, MaxGroups: 2}
	wa := &v1alpha1.WorkloadAffinity{Affinity: &v1alpha1.WorkloadAffinityTerm{GroupByLabelKey: "app"}}
	m1, m2, m3 := []string{"member1"}, []string{"member2"}, []string{"member3"}

	runTriggerCases(t, []triggerCase{
		{
			name: "a settled Divided binding needs nothing",
			spec: settled(trDivided()), applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			name: "no applied placement: never scheduled",
			spec: settled(trDivided()), status: fxScheduled(""),
			want: TriggerPlacementChanged,
		},
		{
			// The applied placement is decoded JSON: an empty list and a missing one are the
			// same placement.
			name: "an empty list equals a missing one",
			spec: settled(trWith(trDivided(), func(p *v1alpha1.Placement) {
				p.ClusterTolerations, p.SpreadConstraints = []corev1.Toleration{}, []v1alpha1.SpreadConstraint{}
			})),
			applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			name: "clusterAffinity changed",
			spec: settled(trAffinity("member1", "member2", "member3")), applied: trAffinity("member1", "member2"),
			status: fxScheduled(""),
			want:   TriggerPlacementChanged,
		},
		{
			name: "clusterAffinity added",
			spec: settled(trAffinity("member1", "member2")), applied: trDivided(), status: fxScheduled(""),
			want: TriggerPlacementChanged,
		},
		{
			name: "clusterTolerations changed",
			spec: settled(trWith(trDivided(), func(p *v1alpha1.Placement) {
				p.ClusterTolerations = []corev1.Toleration{gpu}
			})),
			applied: trDivided(), status: fxScheduled(""),
			want: TriggerPlacementChanged,
		},
		{
			name: "spreadConstraints changed",
			spec: settled(trWith(trDivided(), func(p *v1alpha1.Placement) {
				p.SpreadConstraints = []v1alpha1.SpreadConstraint{sc}
			})),
			applied: trDivided(), status: fxScheduled(""),
			want: TriggerPlacementChanged,
		},
		{
			name: "replicaScheduling changed",
			spec: settled(&v1alpha1.Placement{ReplicaScheduling: fxAggregated()}), applied: trDivided(),
			status: fxScheduled(""),
			want:   TriggerPlacementChanged,
		},
		{
			// Another field differs and no term is observed: clusterAffinitiesChanged says
			// yes for an empty observed name.
			name:    "workloadAffinity changed without an observed term",
			spec:    settled(trWith(trDivided(), func(p *v1alpha1.Placement) { p.WorkloadAffinity = wa })),
			applied: trDivided(), status: fxScheduled(""),
			want: TriggerPlacementChanged,
		},
		{
			// ... and the same with a (stale) name no term carries.
			name:    "workloadAffinity changed with a stale observed name",
			spec:    settled(trWith(trDivided(), func(p *v1alpha1.Placement) { p.WorkloadAffinity = wa })),
			applied: trDivided(), status: fxScheduled("backup"),
			want: TriggerPlacementChanged,
		},
		{
			name:    "workloadAffinity changed while the observed term is unchanged",
			spec:    settled(trWith(trTerms("primary", m1), func(p *v1alpha1.Placement) { p.WorkloadAffinity = wa })),
			applied: trTerms("primary", m1), status: fxScheduled("primary"),
			want: TriggerNone,
		},
		{
			name: "clusterAffinities unchanged",
			spec: settled(trTerms("primary", m1, "backup", m2)), applied: trTerms("primary", m1, "backup", m2),
			status: fxScheduled("backup"),
			want:   TriggerNone,
		},
		{
			name: "clusterAffinities unchanged and no term observed yet",
			spec: settled(trTerms("primary", m1)), applied: trTerms("primary", m1), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			name: "the observed term changed",
			spec: settled(trTerms("primary", m1, "backup", m3)), applied: trTerms("primary", m1, "backup", m2),
			status: fxScheduled("backup"),
			want:   TriggerPlacementChanged,
		},
		{
			name: "another term changed, the observed one did not",
			spec: settled(trTerms("primary", m3, "backup", m2)), applied: trTerms("primary", m1, "backup", m2),
			status: fxScheduled("backup"),
			want:   TriggerNone,
		},
		{
			name: "a term added after the observed one",
			spec: settled(trTerms("primary", m1, "backup", m2)), applied: trTerms("primary", m1),
			status: fxScheduled("primary"),
			want:   TriggerNone,
		},
		{
			name: "the observed term disappeared",
			spec: settled(trTerms("primary", m1)), applied: trTerms("primary", m1, "backup", m2),
			status: fxScheduled("backup"),
			want:   TriggerPlacementChanged,
		},
		{
			name: "the observed term was not applied",
			spec: settled(trTerms("primary", m1, "backup", m2)), applied: trTerms("primary", m1),
			status: fxScheduled("backup"),
			want:   TriggerPlacementChanged,
		},
		{
			name: "terms changed and no term observed",
			spec: settled(trTerms("primary", m1, "backup", m2)), applied: trTerms("primary", m1),
			status: fxScheduled(""),
			want:   TriggerPlacementChanged,
		},
		{
			name: "clusterAffinities replaced by clusterAffinity",
			spec: settled(trAffinity("member1")), applied: trTerms("primary", m1), status: fxScheduled("primary"),
			want: TriggerPlacementChanged,
		},
		{
			// An unparsable annotation is an unchanged placement in Karmada; a caller passes
			// the binding's own placement for it.
			name: "the binding's own placement as the applied one",
			spec: settled(trTerms("primary", m1)), status: fxScheduled("gone"),
			applied: trTerms("primary", m1),
			want:    TriggerNone,
		},
	})
}

// §2.1 trigger 2: the previous result no longer matches spec.replicas
// (util.IsBindingReplicasChanged).
func TestScheduleTriggerReplicasChanged(t *testing.T) {
	duplicated := func() *v1alpha1.Placement {
		return &v1alpha1.Placement{ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDuplicated}}
	}
	withComponents := func(spec *v1alpha1.ResourceBindingSpec) *v1alpha1.ResourceBindingSpec {
		spec.Components = []v1alpha1.Component{{Name: "leader", Replicas: 1}, {Name: "worker", Replicas: 2}}
		return spec
	}
	runTriggerCases(t, []triggerCase{
		{
			name: "Divided scaled up",
			spec: trSettled(4, trDivided(), "member1", 2, "member2", 1), applied: trDivided(), status: fxScheduled(""),
			want: TriggerReplicasChanged,
		},
		{
			name: "Divided scaled down",
			spec: trSettled(2, trDivided(), "member1", 2, "member2", 1), applied: trDivided(), status: fxScheduled(""),
			want: TriggerReplicasChanged,
		},
		{
			name: "Divided never placed",
			spec: fxDeployment(3, trDivided()), applied: trDivided(), status: fxScheduled(""),
			want: TriggerReplicasChanged,
		},
		{
			name:    "Aggregated with the sum unchanged",
			spec:    trSettled(3, &v1alpha1.Placement{ReplicaScheduling: fxAggregated()}, "member3", 3),
			applied: &v1alpha1.Placement{ReplicaScheduling: fxAggregated()}, status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			// Checked before "Duplicated is always scheduled".
			name: "Duplicated with a target of other replicas",
			spec: trSettled(3, duplicated(), "member1", 3, "member2", 2), applied: duplicated(), status: fxScheduled(""),
			want: TriggerReplicasChanged,
		},
		{
			name: "Duplicated with every target at spec.replicas",
			spec: trSettled(3, duplicated(), "member1", 3, "member2", 3), applied: duplicated(), status: fxScheduled(""),
			want: TriggerAlwaysScheduled,
		},
		{
			// No replicaScheduling: IsBindingReplicasChanged has no strategy to check.
			name: "no replicaScheduling skips the replica check",
			spec: trSettled(3, &v1alpha1.Placement{}, "member1", 1), applied: &v1alpha1.Placement{},
			status: fxScheduled(""),
			want:   TriggerAlwaysScheduled,
		},
		{
			// spec.replicas 0 makes the Divided sum match: only the components rule fires.
			name: "a multi-component workload without clusters",
			spec: withComponents(fxDeployment(0, trDivided())), applied: trDivided(), status: fxScheduled(""),
			want: TriggerReplicasChanged,
		},
		{
			name: "a multi-component workload without clusters and without replicaScheduling",
			spec: withComponents(fxDeployment(0, &v1alpha1.Placement{})), applied: &v1alpha1.Placement{},
			status: fxScheduled(""),
			want:   TriggerAlwaysScheduled,
		},
	})
}

// §2.1 trigger 3: rescheduleTriggeredAt after lastScheduledTime (util.RescheduleRequired).
func TestScheduleTriggerRescheduleRequested(t *testing.T) {
	settled := func() *v1alpha1.ResourceBindingSpec { return trSettled(3, trDivided(), "member1", 2, "member2", 1) }
	runTriggerCases(t, []triggerCase{
		{
			name: "triggered after the last schedule",
			spec: trTriggered(settled(), 6), applied: trDivided(), status: fxScheduled(""),
			want: TriggerRescheduleRequested,
		},
		{
			name: "triggered before the last schedule",
			spec: trTriggered(settled(), 4), applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			name: "triggered at the last schedule",
			spec: trTriggered(settled(), 5), applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			// The first schedule has not finished (or keeps failing): it is the one awaited.
			name: "triggered before any schedule finished",
			spec: trTriggered(settled(), 6), applied: trDivided(),
			want: TriggerNone,
		},
		{
			name: "replicas changed is reported first",
			spec: trTriggered(trSettled(5, trDivided(), "member1", 2, "member2", 1), 6), applied: trDivided(),
			status: fxScheduled(""),
			want:   TriggerReplicasChanged,
		},
		{
			name: "reported before Duplicated",
			spec: trTriggered(trSettled(3, &v1alpha1.Placement{}, "member1", 3), 6), applied: &v1alpha1.Placement{},
			status: fxScheduled(""),
			want:   TriggerRescheduleRequested,
		},
	})
}

// §2.1 trigger 4: non-workloads and Duplicated bindings are always scheduled.
func TestScheduleTriggerAlwaysScheduled(t *testing.T) {
	withRequirements := func(spec *v1alpha1.ResourceBindingSpec) *v1alpha1.ResourceBindingSpec {
		spec.ReplicaRequirements = &v1alpha1.ReplicaRequirements{}
		return spec
	}
	runTriggerCases(t, []triggerCase{
		{
			name:    "a non-workload with a Divided placement",
			spec:    withPrevious(fxConfigMap(trDivided()), []v1alpha1.TargetCluster{{Name: "member1"}}),
			applied: trDivided(), status: fxScheduled(""),
			want: TriggerAlwaysScheduled,
		},
		{
			// IsWorkload: no replicas, no requirements, no components.
			name: "a Deployment scaled to 0 is no workload",
			spec: fxDeployment(0, trDivided()), applied: trDivided(), status: fxScheduled(""),
			want: TriggerAlwaysScheduled,
		},
		{
			name: "0 replicas with requirements is a settled workload",
			spec: withRequirements(fxDeployment(0, trDivided())), applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			name: "no replicaScheduling is Duplicated",
			spec: trSettled(3, &v1alpha1.Placement{}, "member1", 3), applied: &v1alpha1.Placement{},
			status: fxScheduled(""),
			want:   TriggerAlwaysScheduled,
		},
		{
			name: "a nil spec schedules like an empty one",
			want: TriggerPlacementChanged,
		},
		{
			name:    "a nil placement is an empty one",
			spec:    fxDeployment(3, nil),
			applied: &v1alpha1.Placement{},
			want:    TriggerAlwaysScheduled,
		},
	})
}

// §2.1 trigger 5: a target cluster is being deleted (HasTerminatingTargetClusters).
func TestScheduleTriggerTargetClusterDeleting(t *testing.T) {
	settled := func() *v1alpha1.ResourceBindingSpec { return trSettled(3, trDivided(), "member1", 2, "member2", 1) }
	runTriggerCases(t, []triggerCase{
		{
			name:     "a target cluster being deleted",
			clusters: fxThree(fxDeleting()),
			spec:     settled(), applied: trDivided(), status: fxScheduled(""),
			want: TriggerTargetClusterDeleting,
		},
		{
			name:     "another cluster being deleted",
			clusters: []*v1alpha1.Cluster{fxCluster("member1"), fxCluster("member2"), fxCluster("member3", fxDeleting())},
			spec:     settled(), applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			// Karmada lists the clusters and looks for a deletionTimestamp; one that is gone
			// already is not a trigger.
			name:     "a target cluster missing from the fleet",
			clusters: []*v1alpha1.Cluster{fxCluster("member1"), fxCluster("member3")},
			spec:     settled(), applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
		{
			name:    "no snapshot",
			nilSnap: true,
			spec:    settled(), applied: trDivided(), status: fxScheduled(""),
			want: TriggerNone,
		},
	})
}

// End to end: Schedule behind the gate, as a caller runs it (§2.1). The settled binding is
// Divided 3 replicas, 2/1 on member1/member2, from before member3 joined; Schedule alone
// would spread it 1/1/1.
func TestScheduleGatedByTriggers(t *testing.T) {
	settled := func() *v1alpha1.ResourceBindingSpec { return trSettled(3, trDivided(), "member1", 2, "member2", 1) }
	duplicated := &v1alpha1.Placement{}
	runParityCases(t, []prCase{
		{
			scheduleCase: scheduleCase{
				name:     "ungated, a new cluster gets a share",
				clusters: fxThree(), spec: settled(), status: fxScheduled(""),
				want: fxTargets("member1", 1, "member2", 1, "member3", 1), reason: success,
			},
		},
		{
			gated: true, applied: trDivided(),
			scheduleCase: scheduleCase{
				name:     "gated, the settled binding stays where it is",
				clusters: fxThree(), spec: settled(), status: fxScheduled(""),
				want: fxTargets("member1", 2, "member2", 1), reason: success,
			},
		},
		{
			gated: true, applied: trDivided(),
			scheduleCase: scheduleCase{
				name:     "a reschedule request spreads it",
				clusters: fxThree(), spec: trTriggered(settled(), 6), status: fxScheduled(""),
				want: fxTargets("member1", 1, "member2", 1, "member3", 1), reason: success,
			},
		},
		{
			gated: true, applied: trAffinity("member1", "member2"),
			scheduleCase: scheduleCase{
				name:     "a placement change spreads it",
				clusters: fxThree(), spec: settled(), status: fxScheduled(""),
				want: fxTargets("member1", 1, "member2", 1, "member3", 1), reason: success,
			},
		},
		{
			gated: true, applied: trDivided(),
			scheduleCase: scheduleCase{
				name:     "a scale up spreads it",
				clusters: fxThree(), spec: trSettled(6, trDivided(), "member1", 2, "member2", 1), status: fxScheduled(""),
				want: fxTargets("member1", 2, "member2", 2, "member3", 2), reason: success,
			},
		},
		{
			// 3 over member1 and member3 at equal weights: 2/1 (uid "", names ascending).
			gated: true, applied: trDivided(),
			scheduleCase: scheduleCase{
				name:     "a deleting target moves its replicas",
				clusters: fxThree(fxDeleting()), spec: settled(), status: fxScheduled(""),
				want: fxTargets("member1", 2, "member3", 1), reason: success,
			},
		},
		{
			gated: true, applied: duplicated,
			scheduleCase: scheduleCase{
				name:     "Duplicated reaches the new cluster",
				clusters: fxThree(), spec: trSettled(3, duplicated, "member1", 3, "member2", 3), status: fxScheduled(""),
				want: fxTargets("member1", 3, "member2", 3, "member3", 3), reason: success,
			},
		},
		{
			gated: true, applied: trTerms("primary", []string{"member1"}),
			scheduleCase: scheduleCase{
				name:     "a suspended binding keeps its clusters, name and condition",
				clusters: fxThree(), spec: trSuspended(fxDeployment(3, trAffinity("member3")), true),
				status:   fxScheduled("primary"),
				observed: "primary", reason: success,
			},
		},
	})
}
