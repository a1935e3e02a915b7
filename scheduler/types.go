package scheduler

import (
	"fmt"
	"math"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Binding is what the scheduler places: the spec and the scheduling-relevant status of a
// (Cluster)ResourceBinding. Spec.Clusters is the previous result (Steady division keeps it);
// Status.SchedulerObservedAffinityName and Status.LastScheduledTime drive the
// clusterAffinities fallback and Fresh rescheduling.
type Binding struct {
	Spec   *v1alpha1.ResourceBindingSpec
	Status *v1alpha1.ResourceBindingStatus
}

// Result is the outcome of scheduling one binding.
type Result struct {
	// Clusters is the new spec.clusters. On a FitError (NoClusterFit) it is empty, as Karmada
	// patches the empty result; on any other error it is the previous spec.clusters unchanged.
	Clusters []v1alpha1.TargetCluster
	// ObservedAffinityName is the new status.schedulerObservingAffinityName: the
	// clusterAffinities term the result was scheduled with on success, and the binding's
	// status value otherwise. Like Karmada, which only writes the name after scheduling
	// successfully with clusterAffinities, Schedule never clears it: a placement without
	// clusterAffinities, or a failed schedule, keeps the name it found, and a stale name is
	// the term tried first should the placement move back to clusterAffinities.
	ObservedAffinityName string
	// Condition is the binding's Scheduled condition: True/Success, or False with reason
	// NoClusterFit, Unschedulable or SchedulerError and the error's message. Its
	// LastTransitionTime is left zero: the caller owns time.
	Condition metav1.Condition
	// Err is the scheduling error, nil on success. It is a *FitError, an *UnschedulableError
	// or another error (SchedulerError).
	Err error
}

// Options are the scheduler's switches (Karmada's scheduler flags and feature gates).
type Options struct {
	// EnableEmptyWorkloadPropagation keeps selected clusters that got 0 replicas in the
	// result, with replicas 0 (--enable-empty-workload-propagation, default false).
	EnableEmptyWorkloadPropagation bool
	// Estimators limit how many replicas fit in each cluster. The general estimator (from
	// cluster status.resourceSummary) is always used; these are added to it and the minimum
	// wins (§2.5).
	Estimators []Estimator
	// UnknownCapacityUnlimited makes the general estimator treat a cluster without
	// status.resourceSummary as unknown (-1, not limiting) instead of having room for 0
	// replicas as in Karmada. gitfleet renders a fresh fleet before any status exists.
	UnknownCapacityUnlimited bool
}

// Estimator estimates how many replicas with the given requirements fit in each cluster.
// The accurate (per-node) estimator implements it later.
type Estimator interface {
	// MaxAvailableReplicas returns, for each cluster (same order), how many more replicas
	// fit; -1 means the estimator cannot tell (ignored, as Karmada's "unauthentic" result).
	MaxAvailableReplicas(clusters []*ClusterInfo, requirements *v1alpha1.ReplicaRequirements) []int32
}

// unlimitedReplicas is what a cluster can take when nothing limits it (Karmada's MaxInt32).
const unlimitedReplicas = math.MaxInt32

// candidate is a cluster that passed every filter, with what selection and assignment read.
type candidate struct {
	info *ClusterInfo
	// score is the sum of the score plugins' scores.
	score int64
	// available is allocatable plus the replicas currently assigned to this cluster in
	// spec.clusters (§2.3 step 1). It is an int64 and never capped, as Karmada's
	// ClusterDetailInfo.AvailableReplicas: a cluster nothing limits (allocatable MaxInt32)
	// that already runs replicas has more than MaxInt32, and ranks above one that runs fewer.
	available int64
	// allocatable is the estimated number of additional replicas that fit (§2.3 step 1).
	allocatable int32
	// overflowOrder is 0 for the observed clusterAffinities term's primary affinity, i for
	// its i-th (1-based) matching overflow affinity and 1000 otherwise; 0 when the placement
	// has no clusterAffinities (§2.3 step 1). An int32 as in Karmada, which also keeps a
	// candidate at 32 bytes for the sorts.
	overflowOrder int32
}

func (c candidate) name() string { return c.info.Name }

// UnschedulableError says that feasible clusters exist but cannot take the replicas
// (Scheduled=False, reason Unschedulable; the previous result is kept).
type UnschedulableError struct {
	Message string
}

func (e *UnschedulableError) Error() string { return e.Message }

// FitError says that no cluster passed the filters (Scheduled=False, reason NoClusterFit).
// Its message is Karmada's "0/N clusters are available: <sorted reason histogram>.".
type FitError struct {
	// NumAllClusters is the number of clusters considered.
	NumAllClusters int
	// Reasons counts, per filter failure reason, the clusters that failed with it.
	Reasons map[string]int
}

func (e *FitError) Error() string {
	// Karmada formats the empty case too, and uses it whenever no cluster was filtered out
	// (an empty fleet, or every cluster being deleted): "0/0 clusters are available: no
	// cluster exists." (framework/types.go and its unit test).
	if e.NumAllClusters == 0 || len(e.Reasons) == 0 {
		return fmt.Sprintf("0/%d clusters are available: no cluster exists.", e.NumAllClusters)
	}
	return fmt.Sprintf("0/%d clusters are available: %s.", e.NumAllClusters, sortedReasons(e.Reasons))
}

// sortedReasons renders a reason histogram as Karmada does: "<count> <reason>" items sorted
// as strings and joined with ", ".
func sortedReasons(reasons map[string]int) string {
	items := make([]string, 0, len(reasons))
	for reason, n := range reasons {
		items = append(items, fmt.Sprintf("%d %s", n, reason))
	}
	slices.Sort(items)
	return strings.Join(items, ", ")
}
