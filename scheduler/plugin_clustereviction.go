package scheduler

// reasonClusterEviction is Karmada's ClusterEviction filter reason.
const reasonClusterEviction = "cluster(s) is in the process of eviction"

// clusterEvictionPlugin is Karmada's ClusterEviction filter (§2.2, §3.3): while a graceful
// eviction task moves the workload away from a cluster, the scheduler must not place it back
// there, or the eviction would never finish.
type clusterEvictionPlugin struct{}

// Name is the plugin's registry name.
func (clusterEvictionPlugin) Name() string { return "ClusterEviction" }

// Filter fails for the fromCluster of any of the binding's graceful eviction tasks.
func (clusterEvictionPlugin) Filter(st *cycleState, c *ClusterInfo) filterStatus {
	if st.evicting.has(c.Name) {
		return unfit(reasonClusterEviction)
	}
	return filterStatus{}
}
