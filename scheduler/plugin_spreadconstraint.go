package scheduler

import "github.com/gitfleet/gitfleet/api/v1alpha1"

// Karmada's SpreadConstraint filter reasons.
const (
	reasonMissingProvider = "cluster(s) did not have provider property"
	reasonMissingRegion   = "cluster(s) did not have region property"
	reasonMissingZones    = "cluster(s) did not have zones property"
)

// spreadConstraintPlugin is Karmada's SpreadConstraint filter (§2.2): a cluster cannot be
// counted in a provider, region or zone group it has no value for.
type spreadConstraintPlugin struct{}

// Name is the plugin's registry name.
func (spreadConstraintPlugin) Name() string { return "SpreadConstraint" }

// Filter fails on the first spread constraint, in placement order, whose field the cluster
// lacks: spreadByField provider needs spec.provider, region spec.region, zone spec.zones.
func (spreadConstraintPlugin) Filter(st *cycleState, c *ClusterInfo) filterStatus {
	if len(st.spreadFields) == 0 {
		return filterStatus{}
	}
	if c.Cluster == nil {
		return unfit(spreadReason(st.spreadFields[0]))
	}
	spec := &c.Cluster.Spec
	for _, field := range st.spreadFields {
		switch {
		case field == v1alpha1.SpreadByFieldProvider && spec.Provider == "",
			field == v1alpha1.SpreadByFieldRegion && spec.Region == "",
			field == v1alpha1.SpreadByFieldZone && len(spec.Zones) == 0:
			return unfit(spreadReason(field))
		}
	}
	return filterStatus{}
}

func spreadReason(field v1alpha1.SpreadFieldValue) string {
	switch field {
	case v1alpha1.SpreadByFieldProvider:
		return reasonMissingProvider
	case v1alpha1.SpreadByFieldRegion:
		return reasonMissingRegion
	default:
		return reasonMissingZones
	}
}
