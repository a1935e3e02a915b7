package scheduler

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The scheduling framework, after Karmada's pkg/scheduler/framework (§2.2): filter plugins
// decide whether a cluster can take the binding at all, score plugins rank the clusters that
// can. Karmada hands every plugin the whole binding and cluster and lets each recompute what
// it needs; here everything a plugin reads from the binding is prepared once per binding in a
// cycleState (compiled affinities, name sets, the resource's group version), so that running
// the plugins over a cluster is a few comparisons and never allocates on success.

// Score bounds of the score plugins (Karmada's framework.MinClusterScore/MaxClusterScore).
const (
	minClusterScore int64 = 0
	maxClusterScore int64 = 100
)

// filterPlugin is a filter plugin: it rejects clusters the binding must not be placed on.
type filterPlugin interface {
	// Name is the plugin's name in Karmada's registry.
	Name() string
	// Filter returns the zero filterStatus when the cluster fits, or why it does not.
	Filter(state *cycleState, cluster *ClusterInfo) filterStatus
}

// filterStatus is a filter plugin's verdict on one cluster: the zero value means the cluster
// fits. Its reason is rendered only when needed: the reasons only matter for the FitError
// message, when no cluster fits at all, and building the taint reason for every tainted
// cluster of every binding would allocate for nothing.
type filterStatus struct {
	// reason is a fixed reason text.
	reason string
	// taint is the untolerated taint of a TaintToleration failure.
	taint *corev1.Taint
}

// fits reports whether the cluster passed.
func (s filterStatus) fits() bool { return s.reason == "" && s.taint == nil }

// Reason is the failure reason worded exactly as Karmada's plugin words it (the FitError
// histogram counts them), "" when the cluster fits.
func (s filterStatus) Reason() string {
	if s.taint != nil {
		return reasonUntoleratedTaintPrefix + s.taint.ToString() + "}"
	}
	return s.reason
}

// unfit is the status of a failure with a fixed reason.
func unfit(reason string) filterStatus { return filterStatus{reason: reason} }

// scorePlugin is a score plugin: it ranks the clusters that passed the filters.
type scorePlugin interface {
	// Name is the plugin's name in Karmada's registry.
	Name() string
	// Score returns the cluster's score, between minClusterScore and maxClusterScore.
	Score(state *cycleState, cluster *ClusterInfo) int64
}

// filterPlugins are the filter plugins in the order of Karmada's in-tree registry
// (framework/plugins/registry.go); the first failure decides a cluster's reason.
var filterPlugins = []filterPlugin{
	apiEnablementPlugin{},
	taintTolerationPlugin{},
	clusterAffinityPlugin{},
	spreadConstraintPlugin{},
	clusterEvictionPlugin{},
}

// scorePlugins are the score plugins; a cluster's score is the sum of theirs (Karmada
// configures no score weights).
var scorePlugins = []scorePlugin{
	clusterLocalityPlugin{},
	clusterAffinityPlugin{},
}

// cycleState is what the plugins read about one binding, prepared once per scheduling
// attempt (one per clusterAffinities term tried) and shared by every cluster.
type cycleState struct {
	spec      *v1alpha1.ResourceBindingSpec
	placement *v1alpha1.Placement

	// targets are the binding's current spec.clusters.
	targets targetIndex
	// evicting are the fromCluster of the binding's graceful eviction tasks.
	evicting nameSet

	// groupVersion and kind identify the resource template's API (APIEnablement).
	groupVersion string
	kind         string

	// spreadFields are the spread constraints' fields the SpreadConstraint filter checks
	// (provider, region, zone), in constraint order.
	spreadFields []v1alpha1.SpreadFieldValue

	// affinities are the affinities the ClusterAffinity filter accepts a cluster for
	// matching any of; nil when the placement has none (every cluster passes).
	affinities []*affinityMatcher

	// usesTerms is set when the placement schedules with clusterAffinities (and no
	// clusterAffinity), so that candidates get an overflow order (§2.3 step 1). It tests the
	// list's length, as Karmada's getClusterOverflowOrder does; Schedule dispatches on a
	// non-nil list instead, but an empty one never gets as far as building candidates.
	usesTerms bool
	// term is the clusterAffinities term being tried (the one named by the observed
	// affinity name); termPrimary and termOverflow are its compiled affinities.
	term         *v1alpha1.ClusterAffinityTerm
	termPrimary  *affinityMatcher
	termOverflow []*affinityMatcher
}

// newCycleState prepares what the plugins read about the binding, except the affinity:
// setAffinityTerm must follow. spec and its Placement must be non-nil.
func newCycleState(spec *v1alpha1.ResourceBindingSpec) *cycleState {
	placement := spec.Placement
	st := &cycleState{
		spec:      spec,
		placement: placement,
		targets:   newTargetIndex(spec.Clusters),
	}
	if len(spec.GracefulEvictionTasks) > 0 {
		names := make([]string, len(spec.GracefulEvictionTasks))
		for i := range spec.GracefulEvictionTasks {
			names[i] = spec.GracefulEvictionTasks[i].FromCluster
		}
		st.evicting = newNameSet(names)
	}
	// schema.FromAPIVersionAndKind, as Karmada's plugin: an unparsable apiVersion leaves an
	// empty group version, which no cluster lists.
	gvk := schema.FromAPIVersionAndKind(spec.Resource.APIVersion, spec.Resource.Kind)
	st.groupVersion, st.kind = gvk.GroupVersion().String(), gvk.Kind
	for _, sc := range placement.SpreadConstraints {
		switch sc.SpreadByField {
		case v1alpha1.SpreadByFieldProvider, v1alpha1.SpreadByFieldRegion, v1alpha1.SpreadByFieldZone:
			st.spreadFields = append(st.spreadFields, sc.SpreadByField)
		}
	}
	return st
}

// setAffinityTerm prepares the affinities of the ClusterAffinity filter and the overflow
// order for the clusterAffinities term named name, looked up as Karmada's
// ClusterAffinity filter and getClusterOverflowOrder look it up: the placement's
// clusterAffinity wins if set; otherwise the first term with that name, plus its
// overflowAffinities for workloads only (non-workloads consume no capacity, so they never
// overflow, §2.2).
func (st *cycleState) setAffinityTerm(name string) {
	placement := st.placement
	st.affinities, st.term, st.termPrimary, st.termOverflow = nil, nil, nil, nil
	st.usesTerms = placement.ClusterAffinity == nil && len(placement.ClusterAffinities) > 0
	if placement.ClusterAffinity != nil {
		st.affinities = []*affinityMatcher{compileAffinity(placement.ClusterAffinity)}
		return
	}
	for i := range placement.ClusterAffinities {
		term := &placement.ClusterAffinities[i]
		if term.AffinityName != name {
			continue
		}
		st.term = term
		st.termPrimary = compileAffinity(&term.ClusterAffinity)
		st.termOverflow = make([]*affinityMatcher, len(term.OverflowAffinities))
		for j := range term.OverflowAffinities {
			st.termOverflow[j] = compileAffinity(&term.OverflowAffinities[j].ClusterAffinity)
		}
		st.affinities = []*affinityMatcher{st.termPrimary}
		if isWorkloadResource(st.spec) {
			st.affinities = append(st.affinities, st.termOverflow...)
		}
		return
	}
	// No term of that name (Schedule only tries names of existing terms, so this is the
	// placement without affinities): no affinity, every cluster passes, as in Karmada.
}

// overflowOrder is the cluster's overflow tier (§2.3 step 1): 0 when the placement does not
// use clusterAffinities or the cluster matches the term's primary affinity, i for the first
// (1-based) matching overflow affinity, 1000 otherwise.
func (st *cycleState) overflowOrder(c *ClusterInfo) int32 {
	if !st.usesTerms {
		return 0
	}
	if st.term == nil {
		return 1000
	}
	if st.termPrimary.matches(c) {
		return 0
	}
	for i, m := range st.termOverflow {
		if m.matches(c) {
			return int32(i + 1)
		}
	}
	return 1000
}

// runFilterPlugins runs the filter plugins in registry order and returns the first failure,
// or the zero status when the cluster fits.
func runFilterPlugins(st *cycleState, c *ClusterInfo) filterStatus {
	for _, p := range filterPlugins {
		if status := p.Filter(st, c); !status.fits() {
			return status
		}
	}
	return filterStatus{}
}

// runScorePlugins sums the score plugins' scores of the cluster (Karmada's
// prioritizeClusters).
func runScorePlugins(st *cycleState, c *ClusterInfo) int64 {
	var score int64
	for _, p := range scorePlugins {
		score += p.Score(st, c)
	}
	return score
}

// isWorkloadResource is Karmada's ResourceBindingSpec.IsWorkload: the template has
// replicas, replica requirements or components. (Assignment's isWorkload leaves out
// components: Karmada uses both tests, in different places.)
func isWorkloadResource(spec *v1alpha1.ResourceBindingSpec) bool {
	return spec.Replicas > 0 || spec.ReplicaRequirements != nil || len(spec.Components) >= 1
}

// tolerations returns the placement's cluster tolerations.
func (st *cycleState) tolerations() []corev1.Toleration { return st.placement.ClusterTolerations }

// targetIndex answers "is this cluster in spec.clusters, with how many replicas" in O(1),
// so that plugins and candidate building stay linear in the number of clusters even when a
// binding is already placed on every cluster of a large fleet.
type targetIndex struct {
	targets []v1alpha1.TargetCluster
	// byName maps a name to its first position in targets; nil for short lists.
	byName map[string]int
}

func newTargetIndex(targets []v1alpha1.TargetCluster) targetIndex {
	idx := targetIndex{targets: targets}
	if len(targets) > smallNameSet {
		idx.byName = make(map[string]int, len(targets))
		for i := len(targets) - 1; i >= 0; i-- {
			idx.byName[targets[i].Name] = i
		}
	}
	return idx
}

func (t targetIndex) find(name string) int {
	if t.byName != nil {
		if i, ok := t.byName[name]; ok {
			return i
		}
		return -1
	}
	for i := range t.targets {
		if t.targets[i].Name == name {
			return i
		}
	}
	return -1
}

// contains is Karmada's ResourceBindingSpec.TargetContains.
func (t targetIndex) contains(name string) bool { return t.find(name) >= 0 }

// replicas is Karmada's ResourceBindingSpec.AssignedReplicasForCluster: the replicas of the
// first entry with that name, 0 when there is none.
func (t targetIndex) replicas(name string) int32 {
	if i := t.find(name); i >= 0 {
		return t.targets[i].Replicas
	}
	return 0
}
