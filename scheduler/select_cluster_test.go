package scheduler

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// TestSelectByCluster checks cluster-only selection (§2.3, Appendix A.7). The fleet is the
// one of Karmada's own SelectBestClusters table; ordered it reads
// member4 (score 60, 50 available), member2 (40, 60), member3 (30, 80), member1 (20, 40).
func TestSelectByCluster(t *testing.T) {
	fleet := func() []candidate {
		return []candidate{
			selCand("member1", "R1", 20, 40),
			selCand("member2", "R1", 40, 60),
			selCand("member3", "R1", 30, 80),
			selCand("member4", "R2", 60, 50),
		}
	}
	sc := func(minGroups, maxGroups int) v1alpha1.SpreadConstraint {
		return selSC(v1alpha1.SpreadByFieldCluster, minGroups, maxGroups)
	}
	tests := []struct {
		name      string
		cands     []candidate
		placement *v1alpha1.Placement
		replicas  int32
		want      []string
		wantErr   string
	}{
		{
			name:      "no replicaScheduling takes the best maxGroups by score, resources ignored",
			placement: &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{sc(1, 2)}},
			replicas:  100,
			want:      []string{"member4", "member2"},
		},
		{
			name:      "Duplicated ignores available replicas",
			placement: selDuplicated(sc(1, 2)),
			replicas:  120,
			want:      []string{"member4", "member2"},
		},
		{
			name:      "maxGroups caps the selection when resources suffice",
			placement: selAggregated(sc(1, 3)),
			replicas:  100,
			want:      []string{"member4", "member2", "member3"},
		},
		{
			name:      "maxGroups above the number of clusters takes them all",
			placement: selAggregated(sc(1, 10)),
			replicas:  230,
			want:      []string{"member4", "member2", "member3", "member1"},
		},
		{
			// 50+60 < 120: the last slot (member2, 60) is swapped for member3 (80).
			name:      "the last slot is swapped for the largest remaining cluster",
			placement: selAggregated(sc(1, 2)),
			replicas:  120,
			want:      []string{"member4", "member3"},
		},
		{
			// 50+80 < 135 after the first swap; member4 (50) is then swapped for member2 (60),
			// which the first swap put back among the remaining clusters.
			name:      "swapping walks back to earlier slots until enough",
			placement: selWeighted(selDynamic, sc(1, 2)),
			replicas:  135,
			want:      []string{"member2", "member3"},
		},
		{
			name:      "no enough resource",
			placement: selAggregated(sc(1, 2)),
			replicas:  200,
			wantErr:   "no enough resource when selecting 2 clusters",
		},
		{
			name:      "minGroups above the number of clusters",
			placement: &v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{sc(7, 7)}},
			replicas:  30,
			wantErr:   "the number of feasible clusters is less than spreadConstraint.MinGroups",
		},
		{
			name:      "minGroups above the number of clusters, Divided",
			placement: selAggregated(sc(5, 5)),
			wantErr:   "the number of feasible clusters is less than spreadConstraint.MinGroups",
		},
		{
			name:      "maxGroups 0 selects nothing for Duplicated",
			placement: selDuplicated(sc(1, 0)),
			replicas:  3,
			want:      []string{},
		},
		{
			name:      "maxGroups 0 fails for Divided",
			placement: selAggregated(sc(1, 0)),
			replicas:  3,
			wantErr:   "no enough resource when selecting 0 clusters",
		},
		{
			name:      "maxGroups 0 fails for Divided even with no replicas",
			placement: selAggregated(sc(0, 0)),
			wantErr:   "no enough resource when selecting 0 clusters",
		},
		{
			name:      "Divided with no replicas keeps the best",
			placement: selAggregated(sc(1, 2)),
			want:      []string{"member4", "member2"},
		},
		{
			// Ordered a (10), b (5), c (20), d (20). Slot 1 (b) takes c, the first of the two
			// largest; slot 0 (a) then takes d.
			name: "ties between remaining clusters go to the first",
			cands: []candidate{
				selCand("a", "", 90, 10),
				selCand("b", "", 80, 5),
				selCand("c", "", 70, 20),
				selCand("d", "", 60, 20),
			},
			placement: selAggregated(sc(1, 2)),
			replicas:  40,
			want:      []string{"d", "c"},
		},
		{
			// Ordered big (score 90, 5), small (80, 1), mid (70, 3), tiny (60, 1). Slot 1
			// (small) takes mid: 5+3 = 8 suffices and big is never compared.
			name: "a slot is only swapped for strictly more",
			cands: []candidate{
				selCand("big", "", 90, 5),
				selCand("small", "", 80, 1),
				selCand("mid", "", 70, 3),
				selCand("tiny", "", 60, 1),
			},
			placement: selAggregated(sc(1, 2)),
			replicas:  8,
			want:      []string{"big", "mid"},
		},
		{
			// Ordered x (9), y (9), z (2): nothing remaining beats either slot.
			name: "no remaining cluster beats the slots",
			cands: []candidate{
				selCand("x", "", 90, 9),
				selCand("y", "", 80, 9),
				selCand("z", "", 70, 2),
			},
			placement: selAggregated(sc(1, 2)),
			replicas:  19,
			wantErr:   "no enough resource when selecting 2 clusters",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands := tt.cands
			if cands == nil {
				cands = fleet()
			}
			got, err := selectClusters(cands, selSpec(tt.placement, tt.replicas))
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

// TestSelectSwapInCapacityMatchesLinearScan checks that the heap in swapInCapacity picks the
// same clusters as the per-slot linear scan of Appendix A.7, ties included.
func TestSelectSwapInCapacityMatchesLinearScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 2000 {
		size := 1 + rng.IntN(30)
		cands := make([]candidate, size)
		for i := range cands {
			// Few distinct values, so that ties are common.
			cands[i] = selCand(string(rune('A'+i)), "", int64(rng.IntN(3)), int32(rng.IntN(6)))
		}
		orderCandidates(cands)
		n := rng.IntN(size + 1)
		need := int32(rng.IntN(6 * size))

		want := selLinearScanSwap(append([]candidate(nil), cands...), n, need)
		got := swapInCapacity(append([]candidate(nil), cands...), n, need)
		if diff := cmp.Diff(selNames(want), selNames(got)); diff != "" {
			t.Fatalf("round %d (n=%d, need=%d, cands=%v) (-linear +heap):\n%s", round, n, need, selNames(cands), diff)
		}
	}
}

// selLinearScanSwap is Appendix A.7's swap loop written literally: for each slot from the
// last, scan the remaining clusters for the first with the most available replicas.
func selLinearScanSwap(cands []candidate, n int, need int32) []candidate {
	selected, rest := cands[:n], cands[n:]
	sum := func() int64 {
		var s int64
		for _, c := range selected {
			s += int64(c.available)
		}
		return s
	}
	for i := n - 1; i >= 0 && sum() < int64(need); i-- {
		best, j := selected[i].available, -1
		for k, c := range rest {
			if c.available > best {
				best, j = c.available, k
			}
		}
		if j >= 0 {
			selected[i], rest[j] = rest[j], selected[i]
		}
	}
	if sum() < int64(need) {
		return nil
	}
	return selected
}
