package scheduler

import (
	"errors"
	"fmt"
	"runtime/debug"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Schedule places one binding on the clusters of the snapshot, as Karmada's scheduler does
// (§2.1): skip deleting clusters, run the filter plugins, score the clusters that fit, give
// each its estimated capacity, select clusters under the spread constraints, and assign the
// replicas. With placement.clusterAffinities the terms are tried in order from the observed
// one (see scheduleWithAffinityTerms).
//
// Schedule always computes a placement; it does not decide whether the binding should be
// scheduled at all. Karmada's scheduler only schedules a binding when one of its reschedule
// triggers fires, and a Divided workload otherwise keeps its clusters even when new ones
// join the fleet; callers ask NeedsSchedule (or DetectScheduleTrigger) first, and keep the
// binding's spec.clusters, observed affinity name and Scheduled condition when it says no.
//
// The result carries the new spec.clusters and the Scheduled condition. A FitError (no
// cluster fits) clears the clusters; any other error keeps the previous ones. Schedule never
// modifies its inputs, never panics, and gives the same result for the same inputs. A nil
// Placement schedules like an empty one (Duplicated to every cluster).
func Schedule(snap *Snapshot, b Binding, opts Options) (res Result) {
	spec := normalizeSpec(b.Spec)
	status := b.Status
	if status == nil {
		status = &v1alpha1.ResourceBindingStatus{}
	}
	defer func() {
		// A panic is a bug in the scheduler, never the input's fault; report it as a
		// SchedulerError (previous placement kept) rather than take the caller down.
		if r := recover(); r != nil {
			err := &internalError{value: r, stack: debug.Stack()}
			res = failedResult(err, spec, status.SchedulerObservedAffinityName)
		}
	}()

	var clusters []*ClusterInfo
	if snap != nil {
		clusters = snap.Clusters()
	}
	// Karmada dispatches on a non-nil list (scheduleResourceBinding), so an explicitly empty
	// clusterAffinities takes the terms path too, where it schedules nothing.
	if spec.Placement.ClusterAffinities != nil {
		return scheduleWithAffinityTerms(clusters, spec, status, opts)
	}
	st := newCycleState(spec)
	st.setAffinityTerm(status.SchedulerObservedAffinityName)
	targets, err := scheduleOnce(clusters, st, Binding{Spec: spec, Status: status}, opts)
	if err != nil {
		return failedResult(err, spec, status.SchedulerObservedAffinityName)
	}
	return Result{
		Clusters:             targets,
		ObservedAffinityName: status.SchedulerObservedAffinityName,
		Condition:            scheduledCondition(nil),
	}
}

// scheduleWithAffinityTerms is Karmada's scheduleResourceBindingWithClusterAffinities
// (§2.1): start at the term named by status.schedulerObservingAffinityName (the first term
// when the name is empty or unknown, or when rescheduleTriggeredAt asks for a fresh
// schedule) and try each term in order until one schedules. The scheduler never moves back
// to an earlier term by itself: once a workload fell back, it stays there until a fresh
// reschedule. When every term fails, a FitError of the first term tried clears the result;
// any other first error keeps the previous result. The observed name only changes on
// success.
//
// An explicitly empty list (`clusterAffinities: []`, which validation lets through) has no
// term to try: Karmada then returns without an error and without patching anything, so the
// binding keeps its spec.clusters and observed name, and its condition becomes Success.
func scheduleWithAffinityTerms(clusters []*ClusterInfo, spec *v1alpha1.ResourceBindingSpec, status *v1alpha1.ResourceBindingStatus, opts Options) Result {
	terms := spec.Placement.ClusterAffinities
	if len(terms) == 0 {
		return Result{
			Clusters:             cloneTargets(spec.Clusters),
			ObservedAffinityName: status.SchedulerObservedAffinityName,
			Condition:            scheduledCondition(nil),
		}
	}
	index := affinityIndex(terms, status.SchedulerObservedAffinityName)
	if RescheduleRequired(spec.RescheduleTriggeredAt, status.LastScheduledTime) {
		index = 0
	}
	// Each attempt sees the status as Karmada's does: the observed name set to the term
	// being tried (assignment reads it for overflow tiers). The copy shares the caller's
	// slices but is never written through.
	tried := *status
	st := newCycleState(spec)
	var firstErr error
	for ; index < len(terms); index++ {
		tried.SchedulerObservedAffinityName = terms[index].AffinityName
		st.setAffinityTerm(tried.SchedulerObservedAffinityName)
		targets, err := scheduleOnce(clusters, st, Binding{Spec: spec, Status: &tried}, opts)
		if err == nil {
			return Result{
				Clusters:             targets,
				ObservedAffinityName: tried.SchedulerObservedAffinityName,
				Condition:            scheduledCondition(nil),
			}
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return failedResult(firstErr, spec, status.SchedulerObservedAffinityName)
}

// scheduleOnce is Karmada's genericScheduler.Schedule for one affinity: filter, score,
// estimate, select, assign. Errors of selection and assignment are wrapped as Karmada wraps
// them, since the wrapped text is the condition message users see.
func scheduleOnce(clusters []*ClusterInfo, st *cycleState, b Binding, opts Options) ([]v1alpha1.TargetCluster, error) {
	feasible, fitErr := findClustersThatFit(clusters, st)
	if fitErr != nil {
		return nil, fitErr
	}
	cands, err := buildCandidates(feasible, st, opts)
	if err != nil {
		return nil, err
	}
	selected, err := selectClusters(cands, b.Spec)
	if err != nil {
		return nil, fmt.Errorf("failed to select clusters: %w", err)
	}
	targets, err := assignReplicas(selected, b, opts)
	if err != nil {
		return nil, fmt.Errorf("failed to assign replicas: %w", err)
	}
	return targets, nil
}

// findClustersThatFit runs the filter plugins over every cluster that is not being deleted
// (Karmada never schedules to a deleting cluster, and does not filter unhealthy ones: only
// taints keep workloads off those). When none fits it returns the FitError, counting every
// cluster of the snapshot, deleting or not, as Karmada does. The reason histogram is only
// built then, in a second pass, so that a binding that fits somewhere renders no reason.
func findClustersThatFit(clusters []*ClusterInfo, st *cycleState) ([]*ClusterInfo, *FitError) {
	feasible := make([]*ClusterInfo, 0, len(clusters))
	for _, c := range clusters {
		if c != nil && !c.Deleting && runFilterPlugins(st, c).fits() {
			feasible = append(feasible, c)
		}
	}
	if len(feasible) > 0 {
		return feasible, nil
	}
	fitErr := &FitError{NumAllClusters: len(clusters)}
	for _, c := range clusters {
		if c == nil || c.Deleting {
			continue
		}
		if fitErr.Reasons == nil {
			fitErr.Reasons = make(map[string]int)
		}
		fitErr.Reasons[runFilterPlugins(st, c).Reason()]++
	}
	return nil, fitErr
}

// buildCandidates scores the feasible clusters and gives each its capacity (§2.3 step 1):
// allocatable is what the estimators say fits; available adds the replicas the cluster
// already has in spec.clusters, as an int64 without cap (Karmada's AvailableReplicas).
func buildCandidates(feasible []*ClusterInfo, st *cycleState, opts Options) ([]candidate, error) {
	allocatable := estimateAllocatable(feasible, st.spec, opts)
	if len(allocatable) != len(feasible) {
		return nil, fmt.Errorf("failed to estimate available replicas: got %d results for %d clusters", len(allocatable), len(feasible))
	}
	cands := make([]candidate, len(feasible))
	for i, c := range feasible {
		cands[i] = candidate{
			info:          c,
			score:         runScorePlugins(st, c),
			allocatable:   allocatable[i],
			available:     int64(allocatable[i]) + int64(st.targets.replicas(c.Name)),
			overflowOrder: st.overflowOrder(c),
		}
	}
	return cands, nil
}

// failedResult is the result of a failed schedule (§2.1): a FitError clears spec.clusters
// (Karmada patches the empty result); any other error keeps the previous spec.clusters.
// The observed affinity name is kept: it only changes on success.
func failedResult(err error, spec *v1alpha1.ResourceBindingSpec, observed string) Result {
	res := Result{Condition: scheduledCondition(err), ObservedAffinityName: observed, Err: err}
	var fitErr *FitError
	if !errors.As(err, &fitErr) {
		res.Clusters = cloneTargets(spec.Clusters)
	}
	return res
}

// scheduledCondition is Karmada's getConditionByError: Scheduled=True/Success on success;
// otherwise False with Unschedulable (checked first), NoClusterFit or SchedulerError, and
// the error's text as message.
func scheduledCondition(err error) metav1.Condition {
	cond := metav1.Condition{Type: v1alpha1.BindingConditionScheduled}
	var unschedulable *UnschedulableError
	var fitErr *FitError
	switch {
	case err == nil:
		cond.Status, cond.Reason, cond.Message = metav1.ConditionTrue, v1alpha1.BindingReasonSuccess, v1alpha1.BindingMessageScheduled
		return cond
	case errors.As(err, &unschedulable):
		cond.Reason = v1alpha1.BindingReasonUnschedulable
	case errors.As(err, &fitErr):
		cond.Reason = v1alpha1.BindingReasonNoClusterFit
	default:
		cond.Reason = v1alpha1.BindingReasonSchedulerError
	}
	cond.Status, cond.Message = metav1.ConditionFalse, err.Error()
	return cond
}

// affinityIndex is Karmada's getAffinityIndex: the index of the term named observed, 0 when
// the name is empty or no term has it.
func affinityIndex(terms []v1alpha1.ClusterAffinityTerm, observed string) int {
	if observed == "" {
		return 0
	}
	for i := range terms {
		if terms[i].AffinityName == observed {
			return i
		}
	}
	return 0
}

// RescheduleRequired is Karmada's util.RescheduleRequired: a fresh schedule is asked for
// when rescheduleTriggeredAt is after lastScheduledTime. Without a lastScheduledTime the
// first schedule has not finished yet, and that schedule is the one waited for.
func RescheduleRequired(triggeredAt, lastScheduled *metav1.Time) bool {
	if triggeredAt == nil || lastScheduled == nil {
		return false
	}
	return triggeredAt.After(lastScheduled.Time)
}

// normalizeSpec returns the spec with a non-nil Placement, copying the spec (shallowly) only
// when it must fill one in, so that the stages below never meet a nil.
func normalizeSpec(spec *v1alpha1.ResourceBindingSpec) *v1alpha1.ResourceBindingSpec {
	if spec == nil {
		return &v1alpha1.ResourceBindingSpec{Placement: &v1alpha1.Placement{}}
	}
	if spec.Placement == nil {
		s := *spec
		s.Placement = &v1alpha1.Placement{}
		return &s
	}
	return spec
}

// cloneTargets deep-copies a target list, so that a result never aliases the binding.
func cloneTargets(targets []v1alpha1.TargetCluster) []v1alpha1.TargetCluster {
	if targets == nil {
		return nil
	}
	out := make([]v1alpha1.TargetCluster, len(targets))
	for i := range targets {
		targets[i].DeepCopyInto(&out[i])
	}
	return out
}

// internalError is a panic recovered inside Schedule: a scheduler bug, reported as a
// SchedulerError. The stack is kept for tests and debugging, out of the message.
type internalError struct {
	value any
	stack []byte
}

func (e *internalError) Error() string {
	return fmt.Sprintf("internal scheduler error: %v", e.value)
}
