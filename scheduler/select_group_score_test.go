package scheduler

import (
	"fmt"
	"testing"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// selMembers builds group members member1..memberN with the scores and available replicas,
// in the order given (groupScore reads them in order).
func selMembers(scores []int64, available []int32) []candidate {
	members := make([]candidate, len(scores))
	for i := range scores {
		members[i] = selCand(fmt.Sprintf("member%d", i+1), "R", scores[i], available[i])
	}
	return members
}

// TestGroupScore checks the exact group scores of §2.3 calcGroupScore, worked out by hand.
func TestGroupScore(t *testing.T) {
	full := []int64{100, 100, 100, 100, 100}
	zero := []int64{0, 0, 0, 0}
	tests := []struct {
		name      string
		members   []candidate
		spec      *v1alpha1.ResourceBindingSpec
		minGroups int
		want      int64
	}{
		// Duplicated: valid = members with available >= replicas; valid*1000 + avg score of valid.
		{
			name:    "Duplicated: 2 of 5 can run 50 replicas",
			members: selMembers(full, []int32{60, 70, 40, 30, 10}),
			spec:    selSpec(selDuplicated(), 50),
			want:    2*1000 + 100,
		},
		{
			name:    "Duplicated: all 4 can, score 0",
			members: selMembers(zero, []int32{60, 60, 60, 60}),
			spec:    selSpec(selDuplicated(), 50),
			want:    4 * 1000,
		},
		{
			name:    "Duplicated: average over valid members only, truncated",
			members: selMembers([]int64{100, 100, 0, 0, 0}, []int32{30, 30, 30, 10, 10}),
			spec:    selSpec(selDuplicated(), 20),
			want:    3*1000 + 200/3,
		},
		{
			name:    "nil replicaScheduling is Duplicated",
			members: selMembers([]int64{90, 10}, []int32{5, 4}),
			spec:    selSpec(&v1alpha1.Placement{}, 5),
			want:    1*1000 + 90,
		},
		{
			name:    "nil placement is Duplicated",
			members: selMembers([]int64{90, 10}, []int32{5, 4}),
			spec:    selSpec(nil, 4),
			want:    2*1000 + 50,
		},
		{
			name:    "Duplicated: none can",
			members: selMembers([]int64{50, 50}, []int32{5, 5}),
			spec:    selSpec(selDuplicated(), 10),
			want:    0,
		},
		{
			name: "Duplicated: no members",
			spec: selSpec(selDuplicated(), 10),
			want: 0,
		},
		// Divided: target = ceil(replicas/minGroups); take members until
		// count >= max(minGroups, cluster minGroups) and their sum >= target.
		{
			name:      "Divided: the group falls short of the target",
			members:   selMembers(full, []int32{10, 10, 10, 10, 5}),
			spec:      selSpec(selAggregated(), 100),
			minGroups: 2,
			want:      45*1000 + 500/5,
		},
		{
			name:      "Divided: two members reach the target",
			members:   selMembers(zero, []int32{40, 30, 10, 10}),
			spec:      selSpec(selAggregated(), 100),
			minGroups: 2,
			want:      50*1000 + 0,
		},
		{
			name:      "Divided: the first member alone is not enough members",
			members:   selMembers(full, []int32{40, 40, 10, 10, 5}),
			spec:      selSpec(selWeighted(selDynamic), 100),
			minGroups: 2,
			want:      50*1000 + 200/2,
		},
		{
			name:      "Divided: the cluster constraint raises the count",
			members:   selMembers([]int64{90, 60, 30, 0}, []int32{20, 5, 5, 5}),
			spec:      selSpec(selAggregated(selSC(v1alpha1.SpreadByFieldCluster, 3, 4)), 10),
			minGroups: 1,
			want:      10*1000 + 180/3,
		},
		{
			name:      "Divided: a smaller cluster minGroups does not lower it",
			members:   selMembers([]int64{90, 60, 30, 0}, []int32{20, 5, 5, 5}),
			spec:      selSpec(selAggregated(selSC(v1alpha1.SpreadByFieldCluster, 1, 4)), 10),
			minGroups: 2,
			want:      5*1000 + 150/2,
		},
		{
			name:      "Divided: the first member suffices",
			members:   selMembers([]int64{90, 60, 30, 0}, []int32{20, 5, 5, 5}),
			spec:      selSpec(selAggregated(selSC(v1alpha1.SpreadByFieldCluster, 1, 4)), 10),
			minGroups: 1,
			want:      10*1000 + 90,
		},
		{
			name:      "Divided: the target is rounded up",
			members:   selMembers([]int64{50, 40}, []int32{3, 3}),
			spec:      selSpec(selAggregated(), 7),
			minGroups: 2,
			want:      4*1000 + 90/2,
		},
		{
			name:      "Divided: short of a rounded-up target",
			members:   selMembers([]int64{50, 40}, []int32{1, 1}),
			spec:      selSpec(selAggregated(), 7),
			minGroups: 2,
			want:      2*1000 + 90/2,
		},
		{
			name:      "Divided: enough replicas but fewer members than needed",
			members:   selMembers([]int64{50, 40}, []int32{30, 30}),
			spec:      selSpec(selAggregated(selSC(v1alpha1.SpreadByFieldCluster, 3, 3)), 10),
			minGroups: 1,
			want:      10*1000 + 90/2,
		},
		{
			name:      "Divided with no replicas",
			members:   selMembers([]int64{50, 40}, []int32{0, 0}),
			spec:      selSpec(selAggregated(), 0),
			minGroups: 1,
			want:      0*1000 + 50,
		},
		{
			name:      "static weights use the Divided formula",
			members:   selMembers([]int64{100, 100, 0, 0, 0}, []int32{10, 10, 10, 5, 5}),
			spec:      selSpec(selWeighted(&v1alpha1.ClusterPreferences{}), 100),
			minGroups: 2,
			want:      40*1000 + 200/5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupScore(tt.members, tt.spec, tt.minGroups); got != tt.want {
				t.Errorf("groupScore = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestGroupScoreRanking restates the pairwise expectations of Karmada's calcGroupScore
// table: which of two groups scores at least as high.
func TestGroupScoreRanking(t *testing.T) {
	five := func(scores []int64, available []int32) []candidate { return selMembers(scores, available) }
	hi := []int64{100, 100, 100, 100, 100}
	mixed := []int64{100, 100, 0, 0, 0}
	tests := []struct {
		name       string
		group1     []candidate
		group2     []candidate
		spec       *v1alpha1.ResourceBindingSpec
		minGroups  int
		group1Wins bool
	}{
		{
			name:       "Duplicated: more clusters that can run the replicas",
			group1:     five(mixed, []int32{30, 30, 30, 30, 30}),
			group2:     five(hi, []int32{30, 30, 30, 10, 10}),
			spec:       selSpec(selDuplicated(), 20),
			group1Wins: true,
		},
		{
			name:       "Duplicated: as many clusters, higher score",
			group1:     five(mixed, []int32{30, 30, 30, 10, 10}),
			group2:     five(hi, []int32{30, 30, 30, 10, 10}),
			spec:       selSpec(selDuplicated(), 20),
			group1Wins: false,
		},
		{
			name:       "Aggregated: meets the replicas against does not",
			group1:     five(mixed, []int32{30, 30, 30, 10, 10}),
			group2:     five(hi, []int32{10, 10, 10, 5, 5}),
			spec:       selSpec(selAggregated(), 100),
			minGroups:  2,
			group1Wins: true,
		},
		{
			name:       "dynamic weight: more available replicas",
			group1:     five(mixed, []int32{10, 10, 10, 10, 5}),
			group2:     five(hi, []int32{10, 10, 10, 5, 5}),
			spec:       selSpec(selWeighted(selDynamic), 100),
			minGroups:  2,
			group1Wins: true,
		},
		{
			name:       "static weight: as many replicas, higher score",
			group1:     five(mixed, []int32{10, 10, 10, 5, 5}),
			group2:     five(hi, []int32{10, 10, 10, 5, 5}),
			spec:       selSpec(selWeighted(&v1alpha1.ClusterPreferences{}), 100),
			minGroups:  2,
			group1Wins: false,
		},
		{
			name:       "Aggregated: both meet the replicas, higher score",
			group1:     five([]int64{0, 0, 0, 0, 0}, []int32{100, 100, 100, 100, 100}),
			group2:     five(hi, []int32{50, 50, 50, 50, 50}),
			spec:       selSpec(selAggregated(), 100),
			minGroups:  2,
			group1Wins: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s1 := groupScore(tt.group1, tt.spec, tt.minGroups)
			s2 := groupScore(tt.group2, tt.spec, tt.minGroups)
			if (s1 >= s2) != tt.group1Wins {
				t.Errorf("group1 = %d, group2 = %d, want group1 winning = %v", s1, s2, tt.group1Wins)
			}
		})
	}
}
