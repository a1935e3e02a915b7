package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// BenchmarkSelectClusters measures selection over 1,000 candidates in 10 regions: the
// budget is 10,000 bindings over 1,000 clusters in under 10 s for the whole pipeline.
func BenchmarkSelectClusters(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 5))
	fleet := make([]candidate, 1000)
	for i := range fleet {
		fleet[i] = selCand(fmt.Sprintf("member-%04d", i), fmt.Sprintf("region-%d", i%10),
			int64(rng.IntN(2)*100), int32(rng.IntN(50)))
	}
	cluster := func(minGroups, maxGroups int) v1alpha1.SpreadConstraint {
		return selSC(v1alpha1.SpreadByFieldCluster, minGroups, maxGroups)
	}
	cases := []struct {
		name string
		spec *v1alpha1.ResourceBindingSpec
	}{
		{"no constraints", selSpec(selAggregated(), 100)},
		{"cluster", selSpec(selAggregated(cluster(1, 5)), 100)},
		// Not enough capacity anywhere: every slot is visited.
		{"cluster short of capacity", selSpec(selAggregated(cluster(1, 500)), 1<<30)},
		{"region", selSpec(selAggregated(selSC(v1alpha1.SpreadByFieldRegion, 2, 4), cluster(3, 50)), 100)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			cands := make([]candidate, len(fleet))
			b.ReportAllocs()
			for b.Loop() {
				copy(cands, fleet)
				_, _ = selectClusters(cands, c.spec)
			}
		})
	}
}
