package scheduler

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// TestSelectClustersOrder checks §2.3 step 2: overflowOrder ASC, score DESC, available DESC,
// name ASC, whatever the input order; without spread constraints every candidate is kept.
func TestSelectClustersOrder(t *testing.T) {
	cands := []candidate{
		selCand("e", "", 100, 5),
		selOverflow(selCand("a", "", 100, 50), 1000),
		selOverflow(selCand("b", "", 100, 50), 1),
		selCand("d", "", 0, 90),
		selCand("c", "", 100, 5),
		selCand("f", "", 100, 7),
		selCand("g", "", 0, 90),
	}
	want := []string{"f", "c", "e", "d", "g", "b", "a"}

	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		in := append([]candidate(nil), cands...)
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		got, err := selectClusters(in, selSpec(&v1alpha1.Placement{}, 3))
		if err != nil {
			t.Fatalf("round %d: unexpected error: %v", round, err)
		}
		if diff := cmp.Diff(want, selNames(got)); diff != "" {
			t.Fatalf("round %d: order (-want +got):\n%s", round, diff)
		}
	}
}

// TestSelectClustersOrderBeyondInt32 checks that available replicas are an uncapped int64
// (§2.3 step 1, Karmada's AvailableReplicas): a cluster nothing limits has MaxInt32
// allocatable, plus what it already runs, and the sum still orders the candidates.
func TestSelectClustersOrderBeyondInt32(t *testing.T) {
	unlimited := func(name string, assigned int64) candidate {
		c := selCand(name, "", 100, math.MaxInt32)
		c.available += assigned
		return c
	}
	cands := []candidate{unlimited("a", 1), unlimited("b", 3), unlimited("c", 0)}
	got, err := selectClusters(cands, selSpec(&v1alpha1.Placement{}, 3))
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if diff := cmp.Diff([]string{"b", "a", "c"}, selNames(got)); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
}

// TestSelectClustersIgnoresSpreadConstraints checks §2.3 step 3: without constraints, or
// with static weights, all candidates are returned and min/maxGroups are not applied.
func TestSelectClustersIgnoresSpreadConstraints(t *testing.T) {
	// Ordered: member4, member2, member3, member1.
	cands := func() []candidate {
		return []candidate{
			selCand("member1", "R1", 20, 40),
			selCand("member2", "R1", 40, 60),
			selCand("member3", "R1", 30, 80),
			selCand("member4", "R2", 60, 50),
		}
	}
	all := []string{"member4", "member2", "member3", "member1"}
	cluster1 := selSC(v1alpha1.SpreadByFieldCluster, 1, 1)
	// minGroups 7 of 4: only not failing because the constraints are not looked at.
	cluster7 := selSC(v1alpha1.SpreadByFieldCluster, 7, 7)
	region := selSC(v1alpha1.SpreadByFieldRegion, 1, 1)
	zone := selSC(v1alpha1.SpreadByFieldZone, 1, 1)

	tests := []struct {
		name      string
		placement *v1alpha1.Placement
		want      []string
		wantErr   string
	}{
		{name: "nil placement", placement: nil, want: all},
		{name: "no spread constraints", placement: selAggregated(), want: all},
		{name: "weighted without weight preference", placement: selWeighted(nil, cluster7), want: all},
		{name: "static weight list", placement: selWeighted(selStatic, cluster7), want: all},
		{name: "static weights skip region and zone too", placement: selWeighted(selStatic, cluster1, region, zone), want: all},
		{
			name:      "static weight list with a dynamic weight is dynamic",
			placement: selWeighted(&v1alpha1.ClusterPreferences{StaticWeightList: selStatic.StaticWeightList, DynamicWeight: v1alpha1.DynamicWeightByAvailableReplicas}, cluster1),
			want:      []string{"member4"},
		},
		{name: "empty weight preference keeps constraints", placement: selWeighted(&v1alpha1.ClusterPreferences{}, cluster1), want: []string{"member4"}},
		{name: "dynamic weight keeps constraints", placement: selWeighted(selDynamic, cluster1), want: []string{"member4"}},
		{name: "aggregated keeps constraints", placement: selAggregated(cluster1), want: []string{"member4"}},
		{name: "duplicated keeps constraints", placement: selDuplicated(cluster1), want: []string{"member4"}},
		{
			name: "divided without a division preference keeps constraints",
			placement: &v1alpha1.Placement{
				SpreadConstraints: []v1alpha1.SpreadConstraint{cluster1},
				ReplicaScheduling: &v1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: v1alpha1.ReplicaSchedulingTypeDivided},
			},
			want: []string{"member4"},
		},
		{name: "dynamic weight applies minGroups", placement: selWeighted(selDynamic, cluster7), wantErr: "the number of feasible clusters is less than spreadConstraint.MinGroups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := selectClusters(cands(), selSpec(tt.placement, 10))
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

// TestSelectClustersSpreadFields checks §2.3 step 5: region wins over cluster, zone and
// provider ride along unused, and a placement with neither region nor cluster fails.
func TestSelectClustersSpreadFields(t *testing.T) {
	cands := func() []candidate {
		return []candidate{
			selCand("a1", "R1", 90, 10),
			selCand("a2", "R1", 80, 10),
			selCand("b1", "R2", 70, 10),
			selCand("b2", "R2", 60, 10),
		}
	}
	unsupported := "just support cluster and region spread constraint"
	tests := []struct {
		name        string
		constraints []v1alpha1.SpreadConstraint
		want        []string
		wantErr     string
	}{
		{name: "zone only", constraints: []v1alpha1.SpreadConstraint{selSC(v1alpha1.SpreadByFieldZone, 1, 2)}, wantErr: unsupported},
		{name: "provider only", constraints: []v1alpha1.SpreadConstraint{selSC(v1alpha1.SpreadByFieldProvider, 1, 2)}, wantErr: unsupported},
		{name: "label only", constraints: []v1alpha1.SpreadConstraint{{SpreadByLabel: "rack", MinGroups: 1, MaxGroups: 2}}, wantErr: unsupported},
		{
			name:        "zone and provider",
			constraints: []v1alpha1.SpreadConstraint{selSC(v1alpha1.SpreadByFieldZone, 1, 2), selSC(v1alpha1.SpreadByFieldProvider, 1, 2)},
			wantErr:     unsupported,
		},
		{
			name:        "zone is ignored next to cluster",
			constraints: []v1alpha1.SpreadConstraint{selSC(v1alpha1.SpreadByFieldZone, 3, 3), selSC(v1alpha1.SpreadByFieldCluster, 1, 3)},
			want:        []string{"a1", "a2", "b1"},
		},
		{
			name:        "label is ignored next to cluster",
			constraints: []v1alpha1.SpreadConstraint{{SpreadByLabel: "rack", MinGroups: 9}, selSC(v1alpha1.SpreadByFieldCluster, 1, 1)},
			want:        []string{"a1"},
		},
		{
			// One region, then one cluster per region as no more are allowed: b1 is the best
			// of R2 but R1's score (2 valid clusters, higher scores) wins.
			name:        "region wins over cluster",
			constraints: []v1alpha1.SpreadConstraint{selSC(v1alpha1.SpreadByFieldCluster, 1, 1), selSC(v1alpha1.SpreadByFieldRegion, 1, 1)},
			want:        []string{"a1"},
		},
		{
			name:        "the last constraint of a field wins",
			constraints: []v1alpha1.SpreadConstraint{selSC(v1alpha1.SpreadByFieldCluster, 1, 1), selSC(v1alpha1.SpreadByFieldCluster, 1, 2)},
			want:        []string{"a1", "a2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := selectClusters(cands(), selSpec(selDuplicated(tt.constraints...), 5))
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

// TestSelectClustersReplicasToFit checks §2.3 step 4: Duplicated ignores available
// replicas, Divided needs spec.replicas, and a multi-template workload scheduled as a whole
// on one cluster needs one.
func TestSelectClustersReplicasToFit(t *testing.T) {
	cands := func() []candidate {
		return []candidate{
			selCand("full", "", 100, 0),
			selCand("roomy", "", 0, 1),
		}
	}
	one := selSC(v1alpha1.SpreadByFieldCluster, 1, 1)
	components := []v1alpha1.Component{{Name: "jobmanager", Replicas: 1}, {Name: "taskmanager", Replicas: 4}}
	tests := []struct {
		name    string
		spec    *v1alpha1.ResourceBindingSpec
		want    []string
		wantErr string
	}{
		{name: "no replicaScheduling is Duplicated", spec: selSpec(&v1alpha1.Placement{SpreadConstraints: []v1alpha1.SpreadConstraint{one}}, 50), want: []string{"full"}},
		{name: "Duplicated", spec: selSpec(selDuplicated(one), 50), want: []string{"full"}},
		{name: "Divided needs spec.replicas", spec: selSpec(selAggregated(one), 50), wantErr: "no enough resource when selecting 1 clusters"},
		{name: "Divided swaps in capacity", spec: selSpec(selAggregated(one), 1), want: []string{"roomy"}},
		{
			name: "multi-template on one cluster needs one replica",
			spec: &v1alpha1.ResourceBindingSpec{Placement: selAggregated(one), Replicas: 50, Components: components},
			want: []string{"roomy"},
		},
		{
			name: "a single component counts as multi-template",
			spec: &v1alpha1.ResourceBindingSpec{Placement: selAggregated(one), Replicas: 50, Components: components[:1]},
			want: []string{"roomy"},
		},
		{
			name:    "multi-template over more than one cluster needs spec.replicas",
			spec:    &v1alpha1.ResourceBindingSpec{Placement: selAggregated(selSC(v1alpha1.SpreadByFieldCluster, 1, 2)), Replicas: 50, Components: components},
			wantErr: "no enough resource when selecting 2 clusters",
		},
		{
			name: "multi-template Duplicated ignores resources",
			spec: &v1alpha1.ResourceBindingSpec{Placement: selDuplicated(one), Replicas: 50, Components: components},
			want: []string{"full"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := selectClusters(cands(), tt.spec)
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
