package scheduler

// reasonClusterAffinity is Karmada's ClusterAffinity filter reason.
const reasonClusterAffinity = "cluster(s) did not match the placement cluster affinity constraint"

// clusterAffinityPlugin is Karmada's ClusterAffinity filter and score plugin (§2.2). The
// affinities it checks are prepared in the cycle state: the placement's clusterAffinity, or
// the clusterAffinities term being tried (with its overflowAffinities for workloads).
type clusterAffinityPlugin struct{}

// Name is the plugin's registry name.
func (clusterAffinityPlugin) Name() string { return "ClusterAffinity" }

// Filter passes a cluster that matches any of the affinities, and every cluster when the
// placement has none. Unlike APIEnablement and TaintToleration it does not spare clusters
// already in spec.clusters: narrowing the affinity moves the workload.
func (clusterAffinityPlugin) Filter(st *cycleState, c *ClusterInfo) filterStatus {
	if st.affinities == nil {
		return filterStatus{}
	}
	for _, m := range st.affinities {
		if m.matches(c) {
			return filterStatus{}
		}
	}
	return unfit(reasonClusterAffinity)
}

// Score is 0 for every cluster: Karmada registers ClusterAffinity as a score plugin only to
// keep a place for preferred affinities.
func (clusterAffinityPlugin) Score(*cycleState, *ClusterInfo) int64 { return minClusterScore }
