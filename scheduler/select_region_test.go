package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// TestSelectByRegion checks region selection (§2.3, Appendix A.6) end to end: region scores
// from groupScore, regions from selectGroups, then one cluster per region and the fill-up.
func TestSelectByRegion(t *testing.T) {
	region := func(minGroups, maxGroups int) v1alpha1.SpreadConstraint {
		return selSC(v1alpha1.SpreadByFieldRegion, minGroups, maxGroups)
	}
	cluster := func(minGroups, maxGroups int) v1alpha1.SpreadConstraint {
		return selSC(v1alpha1.SpreadByFieldCluster, minGroups, maxGroups)
	}
	// Two regions as in Karmada's region table: R1 {member1 100, member2 80},
	// R2 {member3 80, member4 80, member5 60}, all with 40 available. With Duplicated and
	// 10 replicas every cluster counts: R1 scores 2*1000+90, R2 3*1000+73.
	twoRegions := func() []candidate {
		return []candidate{
			selCand("member1", "R1", 100, 40),
			selCand("member2", "R1", 80, 40),
			selCand("member3", "R2", 80, 40),
			selCand("member4", "R2", 80, 40),
			selCand("member5", "R2", 60, 40),
		}
	}
	// R1 {x1 50/10, x2 20/10}, R2 {y1 40/10, y2 20/30, y3 20/10}, R3 {z1 100/2}.
	// Duplicated, 5 replicas: R1 = 2*1000+35, R2 = 3*1000+26, R3 = 0 (z1 cannot run 5).
	threeRegions := func() []candidate {
		return []candidate{
			selCand("x1", "R1", 50, 10),
			selCand("x2", "R1", 20, 10),
			selCand("y1", "R2", 40, 10),
			selCand("y2", "R2", 20, 30),
			selCand("y3", "R2", 20, 10),
			selCand("z1", "R3", 100, 2),
		}
	}
	tests := []struct {
		name     string
		cands    []candidate
		spec     *v1alpha1.ResourceBindingSpec
		want     []string
		wantErr  string
		noRegion bool
	}{
		{
			// R2 scores higher (3 valid clusters) and holds enough clusters.
			name:  "one region, filled up to cluster maxGroups",
			cands: twoRegions(),
			spec:  selSpec(selDuplicated(region(1, 1), cluster(2, 2)), 10),
			want:  []string{"member3", "member4"},
		},
		{
			// Only R2 holds 3 clusters.
			name:  "the region with enough clusters",
			cands: twoRegions(),
			spec:  selSpec(selDuplicated(region(1, 1), cluster(3, 3)), 10),
			want:  []string{"member3", "member4", "member5"},
		},
		{
			// With 50 replicas nothing is valid: R1 = R2 = 0, so the DFS order decides:
			// [R1] (value 2) is found before [R2] (value 3) but R2 has the greater value.
			name:  "equal region scores: more clusters",
			cands: twoRegions(),
			spec:  selSpec(selDuplicated(region(1, 1), cluster(1, 1)), 50),
			want:  []string{"member3"},
		},
		{
			name:    "fewer regions than region minGroups",
			cands:   twoRegions(),
			spec:    selSpec(selDuplicated(region(3, 3), cluster(3, 3)), 10),
			wantErr: "the number of feasible region is less than spreadConstraint.MinGroups",
		},
		{
			name:    "no region holds cluster minGroups clusters",
			cands:   twoRegions(),
			spec:    selSpec(selDuplicated(region(1, 1), cluster(4, 4)), 10),
			wantErr: "the number of clusters is less than the cluster spreadConstraint.MinGroups",
		},
		{
			// Both regions are chosen; R2 (heavier) comes first, then the fill-up, where
			// member2 and member4 tie on score and available replicas.
			name:  "two regions, best clusters first in region order",
			cands: twoRegions(),
			spec:  selSpec(selDuplicated(region(2, 2), cluster(2, 5)), 10),
			want:  []string{"member3", "member1", "member2", "member4", "member5"},
		},
		{
			// [R1 R2] weighs 5061 against 3026 ([R3 R2]) and 2035 ([R3 R1]). R2 is heavier
			// and leads. The fill-up takes two of the rest, ordered score DESC, available
			// DESC, name ASC: y2 (20/30), then x2 before y3 (both 20/10).
			name:  "fill-up order: score, available, name",
			cands: threeRegions(),
			spec:  selSpec(selDuplicated(region(2, 2), cluster(3, 4)), 5),
			want:  []string{"y1", "x1", "y2", "x2"},
		},
		{
			// The fill-up order puts overflow clusters last, whatever their score.
			name: "fill-up order: overflowOrder first",
			cands: []candidate{
				selCand("a1", "R1", 50, 10),
				selOverflow(selCand("a2", "R1", 100, 10), 1),
				selCand("a3", "R1", 10, 10),
			},
			spec: selSpec(selDuplicated(region(1, 1), cluster(1, 2)), 5),
			want: []string{"a1", "a3"},
		},
		{
			// Validation requires a cluster constraint next to a region one; without it, the
			// zero constraint allows one cluster per region.
			name:  "no cluster constraint: one cluster per region",
			cands: threeRegions(),
			spec:  selSpec(selDuplicated(region(2, 2)), 5),
			want:  []string{"y1", "x1"},
		},
		{
			name:  "cluster maxGroups below the regions chosen keeps a cluster per region",
			cands: threeRegions(),
			spec:  selSpec(selDuplicated(region(3, 3), cluster(1, 1)), 5),
			want:  []string{"y1", "x1", "z1"},
		},
		{
			name:  "cluster maxGroups 0 keeps a cluster per region",
			cands: threeRegions(),
			spec:  selSpec(selDuplicated(region(2, 2), cluster(1, 0)), 5),
			want:  []string{"y1", "x1"},
		},
		{
			// 1000 replicas cannot fit, but the region path does not check capacity. Scores
			// (target 1000, never reached): R1 = 20*1000+35, R2 = 50*1000+26, R3 = 2*1000+100.
			name:  "available replicas are not checked",
			cands: threeRegions(),
			spec:  selSpec(selAggregated(region(1, 1), cluster(1, 2)), 1000),
			want:  []string{"y1", "y2"},
		},
		{
			// The best cluster has no region: it cannot be grouped and is not selected.
			name: "clusters without a region are skipped",
			cands: []candidate{
				selCand("nowhere", "", 100, 10),
				selCand("b1", "R1", 10, 10),
			},
			spec: selSpec(selDuplicated(region(1, 1), cluster(1, 2)), 5),
			want: []string{"b1"},
		},
		{
			name:    "no regions at all",
			cands:   []candidate{selCand("nowhere", "", 100, 10)},
			spec:    selSpec(selDuplicated(region(1, 1), cluster(1, 2)), 5),
			wantErr: "the number of feasible region is less than spreadConstraint.MinGroups",
		},
		{
			// Only without defaulting (minGroups 0) does an empty fleet reach selectGroups.
			name:    "no regions at all, region minGroups 0",
			cands:   []candidate{selCand("nowhere", "", 100, 10)},
			spec:    selSpec(selDuplicated(region(0, 1), cluster(1, 2)), 5),
			wantErr: "the number of clusters is less than the cluster spreadConstraint.MinGroups",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := selectClusters(tt.cands, tt.spec)
			if diff := cmp.Diff(tt.wantErr, selErrString(err)); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, selNames(got)); diff != "" {
				t.Errorf("selected (-want +got):\n%s", diff)
			}
		})
	}
}
