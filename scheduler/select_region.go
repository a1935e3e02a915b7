package scheduler

import (
	"errors"
	"slices"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

var (
	// errTooFewRegions is returned when the candidates span fewer regions than the region
	// spread constraint's minGroups (Karmada's selectBestClustersByRegion).
	errTooFewRegions = errors.New("the number of feasible region is less than spreadConstraint.MinGroups")
	// errNoRegionCombination is returned when no combination of regions satisfies the region
	// constraint and holds the cluster constraint's minGroups clusters (§2.3).
	errNoRegionCombination = errors.New("the number of clusters is less than the cluster spreadConstraint.MinGroups")
)

// regionGroup is the candidates of one region, in compareCandidates order.
type regionGroup struct {
	name    string
	members []candidate
}

// selectByRegion selects clusters under a region spread constraint (Karmada's
// select_clusters_by_region.go, §2.3 and Appendix A.6). cands must be ordered by
// compareCandidates. clusterSC is the cluster spread constraint, or the zero constraint when
// there is none, which then selects one cluster per region.
//
// Regions are chosen by selectGroups (value = number of clusters, weight = groupScore,
// target = cluster minGroups). The best cluster of each chosen region comes first, in the
// chosen regions' order; then the other clusters of those regions, in compareCandidates
// order, fill the selection up to cluster maxGroups. Available replicas are not checked on
// this path: assignment reports a shortage.
func selectByRegion(cands []candidate, spec *v1alpha1.ResourceBindingSpec, regionSC, clusterSC v1alpha1.SpreadConstraint) ([]candidate, error) {
	regions := groupByRegion(cands)
	if len(regions) < regionSC.MinGroups {
		return nil, errTooFewRegions
	}

	groups := make([]spreadGroup, len(regions))
	for i, r := range regions {
		groups[i] = spreadGroup{
			name:   r.name,
			value:  len(r.members),
			weight: groupScore(r.members, spec, regionSC.MinGroups),
			index:  i,
		}
	}
	chosen := selectGroups(groups, regionSC.MinGroups, regionSC.MaxGroups, clusterSC.MinGroups)
	if len(chosen) == 0 {
		return nil, errNoRegionCombination
	}

	total := 0
	for _, g := range chosen {
		total += g.value
	}
	selected := make([]candidate, 0, min(total, max(len(chosen), clusterSC.MaxGroups)))
	rest := make([]candidate, 0, total-len(chosen))
	for _, g := range chosen {
		members := regions[g.index].members
		selected = append(selected, members[0])
		rest = append(rest, members[1:]...)
	}
	// A cluster maxGroups below the number of chosen regions does not drop any region's best
	// cluster; it only means nothing is added.
	if fill := min(total, clusterSC.MaxGroups) - len(selected); fill > 0 {
		slices.SortFunc(rest, compareCandidates) // a total order, see orderCandidates
		selected = append(selected, rest[:fill]...)
	}
	return selected, nil
}

// groupByRegion splits cands by spec.region, skipping clusters without one, keeping cands'
// order within each region. Regions come in the order of their best cluster; selectGroups
// re-sorts them by a total order, so this order only needs to be deterministic.
func groupByRegion(cands []candidate) []regionGroup {
	regionOf := make([]int, len(cands))
	index := make(map[string]int)
	var regions []regionGroup
	var counts []int
	grouped := 0
	for i, c := range cands {
		name := c.info.Cluster.Spec.Region
		if name == "" {
			regionOf[i] = -1
			continue
		}
		r, ok := index[name]
		if !ok {
			r = len(regions)
			index[name] = r
			regions = append(regions, regionGroup{name: name})
			counts = append(counts, 0)
		}
		regionOf[i] = r
		counts[r]++
		grouped++
	}

	// One backing array for all members, cut into a slice per region.
	backing := make([]candidate, grouped)
	start := 0
	for r := range regions {
		regions[r].members = backing[start : start : start+counts[r]]
		start += counts[r]
	}
	for i, c := range cands {
		if r := regionOf[i]; r >= 0 {
			regions[r].members = append(regions[r].members, c)
		}
	}
	return regions
}
