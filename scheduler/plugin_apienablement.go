package scheduler

import "github.com/gitfleet/gitfleet/api/v1alpha1"

// reasonAPIEnablement is Karmada's APIEnablement filter reason.
const reasonAPIEnablement = "cluster(s) did not have the API resource"

// apiEnablementPlugin is Karmada's APIEnablement filter (§2.2): a new placement needs a
// cluster that serves the template's API. A cluster already in spec.clusters passes, so a
// CRD deleted by accident from a member never deletes the workloads placed there.
type apiEnablementPlugin struct{}

// Name is the plugin's registry name.
func (apiEnablementPlugin) Name() string { return "APIEnablement" }

// Filter passes clusters already in spec.clusters, clusters whose APIs are assumed (no status
// yet, see SnapshotOptions), and clusters whose status lists the
// template's kind in its group version (Cluster.APIEnablement == APIEnabled). Disabled and
// Unknown both fail: Karmada checks strictly even when the API list may be partial.
func (apiEnablementPlugin) Filter(st *cycleState, c *ClusterInfo) filterStatus {
	if st.targets.contains(c.Name) || c.APIsAssumed {
		return filterStatus{}
	}
	if apiEnabled(c.Cluster, st.groupVersion, st.kind) {
		return filterStatus{}
	}
	return unfit(reasonAPIEnablement)
}

// apiEnabled is Cluster.APIEnablement(gvk) == APIEnabled without building the group version
// string per call: the filter runs for every cluster of every binding.
func apiEnabled(cluster *v1alpha1.Cluster, groupVersion, kind string) bool {
	if cluster == nil {
		return false
	}
	for i := range cluster.Status.APIEnablements {
		e := &cluster.Status.APIEnablements[i]
		if e.GroupVersion != groupVersion {
			continue
		}
		for j := range e.Resources {
			if e.Resources[j].Kind == kind {
				return true
			}
		}
	}
	return false
}
