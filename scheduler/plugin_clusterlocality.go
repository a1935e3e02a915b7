package scheduler

// clusterLocalityPlugin is Karmada's ClusterLocality score plugin (§2.2): clusters that
// already run the binding rank first, so rescheduling moves as little as possible.
type clusterLocalityPlugin struct{}

// Name is the plugin's registry name.
func (clusterLocalityPlugin) Name() string { return "ClusterLocality" }

// Score is 100 for a cluster in the binding's non-empty spec.clusters, else 0.
func (clusterLocalityPlugin) Score(st *cycleState, c *ClusterInfo) int64 {
	if st.targets.contains(c.Name) {
		return maxClusterScore
	}
	return minClusterScore
}
