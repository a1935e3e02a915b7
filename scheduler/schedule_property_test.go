package scheduler

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Property tests (issue 3): random fleets and policies decoded from fuzz bytes. Run as
// normal tests over the seed corpus, or explore with
//
//	go test ./scheduler/ -run '^$' -fuzz '^FuzzSchedule$' -fuzztime 30s
//	go test ./scheduler/ -run '^$' -fuzz '^FuzzScheduleInputOrder$' -fuzztime 30s

// fuzzBytes reads decisions from fuzz input; past its end every decision is 0, so every
// input, however short, decodes to a valid (if small) case.
type fuzzBytes struct {
	data []byte
	pos  int
}

func (r *fuzzBytes) next() byte {
	if r.pos >= len(r.data) {
		return 0
	}
	b := r.data[r.pos]
	r.pos++
	return b
}

// intn returns a number in [0, n).
func (r *fuzzBytes) intn(n int) int { return int(r.next()) % n }

// chance returns true with probability about 1/n.
func (r *fuzzBytes) chance(n int) bool { return r.intn(n) == 0 }

// fuzzCase is a decoded scheduling problem.
type fuzzCase struct {
	clusters []*v1alpha1.Cluster
	spec     *v1alpha1.ResourceBindingSpec
	status   *v1alpha1.ResourceBindingStatus
	opts     Options
}

// genFleet decodes 1 to 12 clusters with labels, provider, region, zones, taints,
// capacities, API lists, and now and then a deletion.
func genFleet(r *fuzzBytes) []*v1alpha1.Cluster {
	n := 1 + r.intn(12)
	clusters := make([]*v1alpha1.Cluster, 0, n)
	for i := range n {
		var opts []fxOpt
		if env := r.intn(3); env < 2 {
			opts = append(opts, fxLabels("env", []string{"prod", "staging"}[env]))
		}
		opts = append(opts, fxLabels("tier", fmt.Sprintf("t%d", r.intn(3))))
		if p := r.intn(3); p < 2 {
			opts = append(opts, fxProvider(fmt.Sprintf("p%d", p)))
		}
		if reg := r.intn(4); reg < 3 {
			opts = append(opts, fxRegion(fmt.Sprintf("r%d", reg)))
		}
		var zones []string
		for z := range r.intn(3) {
			zones = append(zones, fmt.Sprintf("z%d", (z+r.intn(4))%4))
		}
		if len(zones) > 0 {
			opts = append(opts, fxZones(zones...))
		}
		for range r.intn(3) {
			switch r.intn(5) {
			case 0:
				opts = append(opts, fxTaint("maintenance", "true", corev1.TaintEffectNoSchedule))
			case 1:
				opts = append(opts, fxTaint(v1alpha1.TaintClusterNotReady, "", corev1.TaintEffectNoExecute))
			case 2:
				opts = append(opts, fxTaint("spot", "", corev1.TaintEffectPreferNoSchedule))
			case 3:
				opts = append(opts, fxTaint("dedicated", "gpu", corev1.TaintEffectNoSchedule))
			}
		}
		if c := r.intn(4); c > 0 {
			opts = append(opts, fxPods(int64(r.intn(24))))
		}
		if r.chance(8) {
			opts = append(opts, fxNoAPIs(r.chance(2)))
		}
		if r.chance(16) {
			opts = append(opts, fxDeleting())
		}
		clusters = append(clusters, fxCluster(fmt.Sprintf("m%02d", i), opts...))
	}
	return clusters
}

// genAffinity decodes a cluster affinity over the fleet's names and labels.
func genAffinity(r *fuzzBytes, names []string) v1alpha1.ClusterAffinity {
	var a v1alpha1.ClusterAffinity
	switch r.intn(6) {
	case 0:
		a.LabelSelector = &metav1.LabelSelector{MatchLabels: map[string]string{"env": "prod"}}
	case 1:
		a.FieldSelector = &v1alpha1.FieldSelector{MatchExpressions: []corev1.NodeSelectorRequirement{
			{Key: "region", Operator: corev1.NodeSelectorOpIn, Values: []string{"r0", "r1"}}}}
	case 2:
		a.FieldSelector = &v1alpha1.FieldSelector{MatchExpressions: []corev1.NodeSelectorRequirement{
			{Key: "zone", Operator: []corev1.NodeSelectorOperator{"In", "NotIn", "Exists", "DoesNotExist"}[r.intn(4)], Values: []string{"z1"}}}}
		if a.FieldSelector.MatchExpressions[0].Operator == corev1.NodeSelectorOpExists ||
			a.FieldSelector.MatchExpressions[0].Operator == corev1.NodeSelectorOpDoesNotExist {
			a.FieldSelector.MatchExpressions[0].Values = nil
		}
	case 3:
		a.LabelSelector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"t0"}}}}
	}
	for _, n := range names {
		switch r.intn(8) {
		case 0:
			a.ClusterNames = append(a.ClusterNames, n)
		case 1:
			a.ExcludeClusters = append(a.ExcludeClusters, n)
		}
	}
	return a
}

// genBinding decodes a binding of a Deployment (or now and then a ConfigMap) with a random
// placement, previous result, eviction tasks and scheduling status.
func genBinding(r *fuzzBytes, clusters []*v1alpha1.Cluster) (*v1alpha1.ResourceBindingSpec, *v1alpha1.ResourceBindingStatus) {
	names := make([]string, len(clusters))
	for i, c := range clusters {
		names[i] = c.Name
	}
	p := &v1alpha1.Placement{}
	var spec *v1alpha1.ResourceBindingSpec
	if r.chance(5) {
		spec = fxConfigMap(p)
	} else {
		spec = fxDeployment(int32(r.intn(31)), p)
		if r.chance(3) {
			spec.ReplicaRequirements = &v1alpha1.ReplicaRequirements{ResourceRequest: corev1.ResourceList{
				corev1.ResourceCPU: *resource.NewMilliQuantity(int64(100*(1+r.intn(8))), resource.DecimalSI)}}
		}
	}
	spec.Resource.UID = []types.UID{"", "4858ca61-3ff8-4095-8267-f3d059d8074c", "d43fdeeb-d750-4e2b-bee3-64eb94534f4c"}[r.intn(3)]

	status := &v1alpha1.ResourceBindingStatus{}
	if r.chance(3) {
		terms := 1 + r.intn(3)
		for i := range terms {
			term := v1alpha1.ClusterAffinityTerm{AffinityName: fmt.Sprintf("term%d", i), ClusterAffinity: genAffinity(r, names)}
			if r.chance(3) {
				term.OverflowAffinities = []v1alpha1.OverflowClusterAffinity{
					{AffinityName: fmt.Sprintf("term%d-burst", i), ClusterAffinity: genAffinity(r, names)}}
			}
			p.ClusterAffinities = append(p.ClusterAffinities, term)
		}
		switch r.intn(3) {
		case 0:
			status.SchedulerObservedAffinityName = p.ClusterAffinities[r.intn(terms)].AffinityName
		case 1:
			status.SchedulerObservedAffinityName = "gone"
		}
	} else if !r.chance(3) {
		a := genAffinity(r, names)
		p.ClusterAffinity = &a
	}
	switch r.intn(4) {
	case 1:
		p.ClusterTolerations = []corev1.Toleration{{Key: "maintenance", Operator: corev1.TolerationOpExists}}
	case 2:
		p.ClusterTolerations = []corev1.Toleration{{Operator: corev1.TolerationOpExists}}
	}
	switch r.intn(7) {
	case 1:
		p.ReplicaScheduling = &v1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDuplicated}
	case 2:
		p.ReplicaScheduling = fxDivided()
	case 3:
		p.ReplicaScheduling = fxDivided()
		p.ReplicaScheduling.WeightPreference = &v1alpha1.ClusterPreferences{StaticWeightList: []v1alpha1.StaticClusterWeight{
			{TargetCluster: genAffinity(r, names), Weight: int64(1 + r.intn(3))},
			{TargetCluster: genAffinity(r, names), Weight: int64(1 + r.intn(3))},
		}}
	case 4:
		p.ReplicaScheduling = fxDynamic()
	case 5:
		p.ReplicaScheduling = fxAggregated()
	}
	switch r.intn(4) {
	case 1:
		p.SpreadConstraints = []v1alpha1.SpreadConstraint{
			{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 1 + r.intn(3), MaxGroups: 1 + r.intn(5)}}
	case 2:
		p.SpreadConstraints = []v1alpha1.SpreadConstraint{
			{SpreadByField: v1alpha1.SpreadByFieldCluster, MinGroups: 1 + r.intn(2), MaxGroups: 2 + r.intn(6)},
			{SpreadByField: v1alpha1.SpreadByFieldRegion, MinGroups: 1 + r.intn(2), MaxGroups: 1 + r.intn(3)}}
	}
	if r.chance(16) {
		spec.Placement = nil
	}
	for _, n := range names {
		if r.chance(3) {
			spec.Clusters = append(spec.Clusters, v1alpha1.TargetCluster{Name: n, Replicas: int32(r.intn(8))})
		}
	}
	if r.chance(4) {
		spec.GracefulEvictionTasks = []v1alpha1.GracefulEvictionTask{{FromCluster: names[r.intn(len(names))],
			Reason: v1alpha1.EvictionReasonTaintUntolerated, Producer: v1alpha1.EvictionProducerTaintManager}}
	}
	if r.chance(3) {
		status.LastScheduledTime = fxTime(10)
		spec.RescheduleTriggeredAt = fxTime(5 + 10*r.intn(2))
	}
	return spec, status
}

func genCase(data []byte) fuzzCase {
	r := &fuzzBytes{data: data}
	clusters := genFleet(r)
	spec, status := genBinding(r, clusters)
	return fuzzCase{
		clusters: clusters, spec: spec, status: status,
		opts: Options{EnableEmptyWorkloadPropagation: r.chance(4), UnknownCapacityUnlimited: r.chance(3)},
	}
}

// seedCorpus adds reproducible random inputs, so the properties are checked by every
// `go test` run, not only when fuzzing.
func seedCorpus(f *testing.F, n int) {
	rng := rand.New(rand.NewPCG(3, 2025))
	for range n {
		b := make([]byte, 40+rng.IntN(200))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		f.Add(b)
	}
	f.Add([]byte{})
}

// scheduleCopy schedules a deep copy of the case with a fresh snapshot.
func scheduleCopy(c fuzzCase) Result {
	clusters := make([]*v1alpha1.Cluster, len(c.clusters))
	for i, cl := range c.clusters {
		clusters[i] = cl.DeepCopy()
	}
	return Schedule(NewSnapshot(clusters), Binding{Spec: c.spec.DeepCopy(), Status: c.status.DeepCopy()}, c.opts)
}

// sameResult compares results, errors by type and text.
func sameResult(a, b Result) bool {
	if (a.Err == nil) != (b.Err == nil) || (a.Err != nil && (a.Err.Error() != b.Err.Error() || reflect.TypeOf(a.Err) != reflect.TypeOf(b.Err))) {
		return false
	}
	return reflect.DeepEqual(a.Clusters, b.Clusters) && a.ObservedAffinityName == b.ObservedAffinityName &&
		reflect.DeepEqual(a.Condition, b.Condition)
}

// FuzzSchedule checks the scheduler's invariants on random fleets and policies: it never
// panics or modifies its inputs, gives the same output for the same input, divides exactly
// spec.replicas, and never newly places on a cluster the filters must exclude.
func FuzzSchedule(f *testing.F) {
	seedCorpus(f, 300)
	f.Fuzz(func(t *testing.T, data []byte) {
		c := genCase(data)
		before := fuzzCase{spec: c.spec.DeepCopy(), status: c.status.DeepCopy(), opts: c.opts}
		for _, cl := range c.clusters {
			before.clusters = append(before.clusters, cl.DeepCopy())
		}
		snap := NewSnapshot(c.clusters)
		res := Schedule(snap, Binding{Spec: c.spec, Status: c.status}, c.opts)

		var internal *internalError
		if errors.As(res.Err, &internal) {
			t.Fatalf("scheduler panicked: %v\n%s", internal.value, internal.stack)
		}
		if !reflect.DeepEqual(before.clusters, c.clusters) || !reflect.DeepEqual(before.spec, c.spec) || !reflect.DeepEqual(before.status, c.status) {
			t.Fatalf("Schedule modified its inputs")
		}
		if again := scheduleCopy(before); !sameResult(res, again) {
			t.Fatalf("same input, different output:\n%+v\n%+v", res, again)
		}
		checkCondition(t, res)
		if res.Err != nil {
			checkFailedResult(t, c, res)
			return
		}
		checkReplicaSum(t, c.spec, res.Clusters)
		checkPlacementAllowed(t, snap, c.spec, res)
	})
}

// FuzzScheduleSettles checks the reschedule gate against Schedule (§2.1): a binding never
// scheduled needs scheduling unless suspended; and once a successful result is recorded as
// Karmada records it (spec.clusters, applied placement, observed term, lastScheduledTime),
// a Divided workload needs no further scheduling, while non-workloads and Duplicated
// bindings are always scheduled again.
func FuzzScheduleSettles(f *testing.F) {
	seedCorpus(f, 300)
	f.Fuzz(func(t *testing.T, data []byte) {
		c := genCase(data)
		snap := NewSnapshot(c.clusters)
		if got := DetectScheduleTrigger(snap, Binding{Spec: c.spec, Status: c.status}, nil); got != TriggerPlacementChanged {
			t.Fatalf("nothing applied yet, trigger %q", got)
		}
		res := scheduleCopy(c)
		if res.Err != nil {
			return
		}
		spec := c.spec.DeepCopy()
		spec.Clusters = res.Clusters
		applied := spec.Placement
		if applied == nil {
			applied = &v1alpha1.Placement{}
		}
		status := &v1alpha1.ResourceBindingStatus{SchedulerObservedAffinityName: res.ObservedAffinityName, LastScheduledTime: fxTime(20)}
		got := DetectScheduleTrigger(snap, Binding{Spec: spec, Status: status}, applied.DeepCopy())
		switch {
		case isWorkloadResource(spec) && applied.ReplicaSchedulingType() == v1alpha1.ReplicaSchedulingTypeDivided:
			if got != TriggerNone {
				t.Fatalf("settled %s binding (clusters %v) has trigger %q", strategyName(spec.Placement), res.Clusters, got)
			}
		case got == TriggerAlwaysScheduled:
		case got == TriggerReplicasChanged && isWorkloadResource(spec):
			// Duplicated overflow tiers can give a tier fewer than spec.replicas per
			// cluster (even 0 with empty-workload propagation), as in Karmada.
		default:
			t.Fatalf("settled %s binding (clusters %v) has trigger %q, want %q", strategyName(spec.Placement), res.Clusters, got, TriggerAlwaysScheduled)
		}
		suspended := true
		spec.Suspension = &v1alpha1.BindingSuspension{Scheduling: &suspended}
		if NeedsSchedule(snap, Binding{Spec: spec, Status: status}, nil) {
			t.Fatalf("a suspended binding needs scheduling")
		}
	})
}

// checkCondition: the condition agrees with the error.
func checkCondition(t *testing.T, res Result) {
	t.Helper()
	var fitErr *FitError
	var unschedulable *UnschedulableError
	want := v1alpha1.BindingReasonSuccess
	switch {
	case res.Err == nil:
	case errors.As(res.Err, &unschedulable):
		want = v1alpha1.BindingReasonUnschedulable
	case errors.As(res.Err, &fitErr):
		want = v1alpha1.BindingReasonNoClusterFit
	default:
		want = v1alpha1.BindingReasonSchedulerError
	}
	if res.Condition.Type != v1alpha1.BindingConditionScheduled || res.Condition.Reason != want {
		t.Fatalf("condition %+v for error %v", res.Condition, res.Err)
	}
	if (res.Err == nil) != (res.Condition.Status == metav1.ConditionTrue) {
		t.Fatalf("condition status %s for error %v", res.Condition.Status, res.Err)
	}
}

// checkFailedResult: a FitError clears the result, other errors keep the previous one.
func checkFailedResult(t *testing.T, c fuzzCase, res Result) {
	t.Helper()
	var fitErr *FitError
	if errors.As(res.Err, &fitErr) {
		if len(res.Clusters) != 0 {
			t.Fatalf("FitError %v kept clusters %v", res.Err, res.Clusters)
		}
		return
	}
	if !reflect.DeepEqual(res.Clusters, c.spec.Clusters) {
		t.Fatalf("error %v changed clusters %v to %v", res.Err, c.spec.Clusters, res.Clusters)
	}
}

// checkReplicaSum: Divided workloads get exactly spec.replicas; Duplicated workloads get all
// replicas on every cluster.
func checkReplicaSum(t *testing.T, spec *v1alpha1.ResourceBindingSpec, targets []v1alpha1.TargetCluster) {
	t.Helper()
	if spec.Replicas == 0 && spec.ReplicaRequirements == nil {
		return // not a workload: no replicas are assigned
	}
	var sum int64
	for _, tc := range targets {
		sum += int64(tc.Replicas)
	}
	if spec.Placement == nil || spec.Placement.ReplicaSchedulingType() == v1alpha1.ReplicaSchedulingTypeDuplicated {
		if hasOverflowAffinities(spec.Placement) {
			// Validation allows overflow tiers only for dynamic division; Karmada's
			// scheduler then gives each Duplicated tier only what is left, a result the
			// policy could never ask for.
			return
		}
		for _, tc := range targets {
			if tc.Replicas != spec.Replicas {
				t.Fatalf("Duplicated gave %s %d replicas, want %d", tc.Name, tc.Replicas, spec.Replicas)
			}
		}
		return
	}
	if sum != int64(spec.Replicas) {
		t.Fatalf("Divided result %v sums to %d, want %d", targets, sum, spec.Replicas)
	}
}

func hasOverflowAffinities(p *v1alpha1.Placement) bool {
	if p == nil {
		return false
	}
	for _, term := range p.ClusterAffinities {
		if len(term.OverflowAffinities) > 0 {
			return true
		}
	}
	return false
}

// strategyName names a placement's replica strategy (§2.4).
func strategyName(p *v1alpha1.Placement) string {
	switch {
	case p == nil || p.ReplicaSchedulingType() == v1alpha1.ReplicaSchedulingTypeDuplicated:
		return "Duplicated"
	case p.ReplicaScheduling.ReplicaDivisionPreference == v1alpha1.ReplicaDivisionPreferenceAggregated:
		return "Aggregated"
	case p.ReplicaScheduling.WeightPreference != nil && p.ReplicaScheduling.WeightPreference.DynamicWeight != "":
		return "DynamicWeight"
	case p.ReplicaScheduling.WeightPreference != nil && len(p.ReplicaScheduling.WeightPreference.StaticWeightList) > 0:
		return "StaticWeightList"
	default:
		return "EqualWeights"
	}
}

// checkPlacementAllowed: every chosen cluster exists, is not being deleted or evicted from,
// matches the affinity in force, and, unless it was already placed, tolerates its taints and
// serves the API. The checks are written out here rather than reusing the filters.
func checkPlacementAllowed(t *testing.T, snap *Snapshot, spec *v1alpha1.ResourceBindingSpec, res Result) {
	t.Helper()
	placement := spec.Placement
	if placement == nil {
		placement = &v1alpha1.Placement{}
	}
	var affinities []*v1alpha1.ClusterAffinity
	switch {
	case placement.ClusterAffinity != nil:
		affinities = append(affinities, placement.ClusterAffinity)
	case len(placement.ClusterAffinities) > 0:
		found := false
		for i := range placement.ClusterAffinities {
			term := &placement.ClusterAffinities[i]
			if term.AffinityName != res.ObservedAffinityName {
				continue
			}
			found = true
			affinities = append(affinities, &term.ClusterAffinity)
			if spec.Replicas > 0 || spec.ReplicaRequirements != nil || len(spec.Components) > 0 {
				for j := range term.OverflowAffinities {
					affinities = append(affinities, &term.OverflowAffinities[j].ClusterAffinity)
				}
			}
			break
		}
		if !found {
			t.Fatalf("scheduled with clusterAffinities but observed term %q is not one of them", res.ObservedAffinityName)
		}
	}
	seen := map[string]bool{}
	gvk := schema.FromAPIVersionAndKind(spec.Resource.APIVersion, spec.Resource.Kind)
	for _, tc := range res.Clusters {
		if seen[tc.Name] {
			t.Fatalf("cluster %s chosen twice: %v", tc.Name, res.Clusters)
		}
		seen[tc.Name] = true
		info, ok := snap.Get(tc.Name)
		if !ok {
			t.Fatalf("chose unknown cluster %s", tc.Name)
		}
		if info.Deleting {
			t.Fatalf("chose deleting cluster %s", tc.Name)
		}
		for _, task := range spec.GracefulEvictionTasks {
			if task.FromCluster == tc.Name {
				t.Fatalf("chose cluster %s that is being evicted from", tc.Name)
			}
		}
		if affinities != nil {
			matched := false
			for _, a := range affinities {
				matched = matched || ClusterMatches(info, a)
			}
			if !matched {
				t.Fatalf("chose cluster %s outside the affinity", tc.Name)
			}
		}
		previously := false
		for _, prev := range spec.Clusters {
			previously = previously || prev.Name == tc.Name
		}
		if previously {
			continue
		}
		if info.Cluster.APIEnablement(gvk) != v1alpha1.APIEnabled {
			t.Fatalf("newly chose cluster %s, which does not serve %s", tc.Name, gvk)
		}
		for _, taint := range info.Cluster.Spec.Taints {
			if taint.Effect != corev1.TaintEffectNoSchedule && taint.Effect != corev1.TaintEffectNoExecute {
				continue
			}
			tolerated := false
			for _, tol := range placement.ClusterTolerations {
				keyOK := tol.Key == "" || tol.Key == taint.Key
				effectOK := tol.Effect == "" || tol.Effect == taint.Effect
				valueOK := tol.Operator == corev1.TolerationOpExists ||
					((tol.Operator == "" || tol.Operator == corev1.TolerationOpEqual) && tol.Value == taint.Value)
				tolerated = tolerated || (keyOK && effectOK && valueOK)
			}
			if !tolerated {
				t.Fatalf("newly chose cluster %s with untolerated taint %s", tc.Name, taint.ToString())
			}
		}
	}
}

// FuzzScheduleInputOrder checks that the order clusters are listed in never matters, and
// that static-weight results do not depend on the order of the previous result or of the
// weight rules either.
func FuzzScheduleInputOrder(f *testing.F) {
	seedCorpus(f, 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		c := genCase(data)
		res := scheduleCopy(c)

		r := &fuzzBytes{data: data, pos: len(data) / 2}
		shuffled := c
		shuffled.clusters = append([]*v1alpha1.Cluster(nil), c.clusters...)
		for i := len(shuffled.clusters) - 1; i > 0; i-- {
			j := r.intn(i + 1)
			shuffled.clusters[i], shuffled.clusters[j] = shuffled.clusters[j], shuffled.clusters[i]
		}
		if got := scheduleCopy(shuffled); !sameResult(res, got) {
			t.Fatalf("cluster order changed the result:\n%+v\n%+v", res, got)
		}

		p := c.spec.Placement
		staticWeights := p != nil && p.ReplicaScheduling != nil &&
			p.ReplicaScheduling.ReplicaSchedulingType == v1alpha1.ReplicaSchedulingTypeDivided &&
			p.ReplicaScheduling.ReplicaDivisionPreference == v1alpha1.ReplicaDivisionPreferenceWeighted &&
			(p.ReplicaScheduling.WeightPreference == nil || p.ReplicaScheduling.WeightPreference.DynamicWeight == "")
		if !staticWeights {
			return
		}
		shuffled.spec = c.spec.DeepCopy()
		prev := shuffled.spec.Clusters
		for i := len(prev) - 1; i > 0; i-- {
			j := r.intn(i + 1)
			prev[i], prev[j] = prev[j], prev[i]
		}
		if wp := shuffled.spec.Placement.ReplicaScheduling.WeightPreference; wp != nil && len(wp.StaticWeightList) == 2 && r.chance(2) {
			wp.StaticWeightList[0], wp.StaticWeightList[1] = wp.StaticWeightList[1], wp.StaticWeightList[0]
		}
		// A failure returns the previous result as it was given, so only successes and
		// the failure itself are compared.
		got := scheduleCopy(shuffled)
		if res.Err != nil || got.Err != nil {
			got.Clusters, res.Clusters = nil, nil
		}
		if !sameResult(res, got) {
			t.Fatalf("static weights depend on the order of the previous result or the rules:\n%+v\n%+v", res, got)
		}
	})
}

// TestPropertyCorpusCoversTheOutcomes guards the generator: the seed corpus must reach every
// kind of outcome, or the properties above would be checked on too little.
func TestPropertyCorpusCoversTheOutcomes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 2025))
	reasons := map[string]int{}
	strategies := map[string]int{}
	for range 300 {
		b := make([]byte, 40+rng.IntN(200))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		c := genCase(b)
		res := scheduleCopy(c)
		reasons[res.Condition.Reason]++
		if res.Err == nil && isWorkloadResource(c.spec) {
			strategies[strategyName(c.spec.Placement)]++
		}
	}
	t.Logf("outcomes: %v; successful strategies: %v", reasons, strategies)
	for _, reason := range []string{v1alpha1.BindingReasonSuccess, v1alpha1.BindingReasonNoClusterFit,
		v1alpha1.BindingReasonUnschedulable, v1alpha1.BindingReasonSchedulerError} {
		if reasons[reason] < 5 {
			t.Errorf("only %d seeds end with %s", reasons[reason], reason)
		}
	}
	if len(strategies) < 5 {
		t.Errorf("successful schedules cover only %v", strategies)
	}
}
