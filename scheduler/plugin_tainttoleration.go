package scheduler

// reasonUntoleratedTaintPrefix starts Karmada's TaintToleration filter reason, which goes on
// with the taint as Taint.ToString and a closing brace (filterStatus.Reason renders it).
const reasonUntoleratedTaintPrefix = "cluster(s) had untolerated taint {"

// taintTolerationPlugin is Karmada's TaintToleration filter (§2.2, A.8): a new placement
// needs every NoSchedule and NoExecute taint of the cluster tolerated by the placement's
// clusterTolerations. PreferNoSchedule taints are ignored.
type taintTolerationPlugin struct{}

// Name is the plugin's registry name.
func (taintTolerationPlugin) Name() string { return "TaintToleration" }

// Filter passes clusters already in spec.clusters (Karmada leaves those to the taint
// manager, which evicts after the tolerations' grace), and otherwise fails on the first
// untolerated NoSchedule/NoExecute taint, which the reason names.
func (taintTolerationPlugin) Filter(st *cycleState, c *ClusterInfo) filterStatus {
	if c.Cluster == nil || len(c.Cluster.Spec.Taints) == 0 || st.targets.contains(c.Name) {
		return filterStatus{}
	}
	taint, untolerated := findMatchingUntoleratedTaint(c.Cluster.Spec.Taints, st.tolerations())
	if !untolerated {
		return filterStatus{}
	}
	return filterStatus{taint: taint}
}
