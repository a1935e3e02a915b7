package scheduler

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// asWithUID sets the template UID, which picks the Webster tie order.
func asWithUID(b Binding, uid string) Binding {
	b.Spec.Resource.UID = types.UID(uid)
	return b
}

func TestAssignStaticWeight(t *testing.T) {
	three := asCands("m1", "m2", "m3")
	four := asCands("m1", "m2", "m3", "m4")
	byLabel := func(value string, weight int64) v1alpha1.StaticClusterWeight {
		return v1alpha1.StaticClusterWeight{
			TargetCluster: v1alpha1.ClusterAffinity{LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"tier": value}}},
			Weight:        weight,
		}
	}
	labelled := []candidate{asCand("gold-1", 10, "tier", "gold"), asCand("gold-2", 10, "tier", "gold"), asCand("bronze", 10, "tier", "bronze")}
	tests := []asAssignCase{
		// §2.4.2 examples.
		{name: "12 by 3:2:1", candidates: three, binding: asBinding(asStatic("m1", 3, "m2", 2, "m3", 1), 12, nil), expected: asTargets("m1", 6, "m2", 4, "m3", 2)},
		{name: "13 by 3:2:1", candidates: three, binding: asBinding(asStatic("m1", 3, "m2", 2, "m3", 1), 13, nil), expected: asTargets("m1", 7, "m2", 4, "m3", 2)},
		{name: "14 by 3:2:1", candidates: three, binding: asBinding(asStatic("m1", 3, "m2", 2, "m3", 1), 14, nil), expected: asTargets("m1", 7, "m2", 5, "m3", 2)},
		{name: "3 by 1:1, no uid: the smaller name gets the odd replica", candidates: asCands("m1", "m2"), binding: asBinding(asStatic("m1", 1, "m2", 1), 3, nil), expected: asTargets("m1", 2, "m2", 1)},
		{name: "7 by 2:1:1:1", candidates: four, binding: asBinding(asStatic("m1", 2, "m2", 1, "m3", 1, "m4", 1), 7, nil), expected: asTargets("m1", 3, "m2", 2, "m3", 1, "m4", 1)},
		{name: "8 by 2:1:1:1", candidates: four, binding: asBinding(asStatic("m1", 2, "m2", 1, "m3", 1, "m4", 1), 8, nil), expected: asTargets("m1", 3, "m2", 2, "m3", 2, "m4", 1)},
		{name: "9 by 2:1:1:1", candidates: four, binding: asBinding(asStatic("m1", 2, "m2", 1, "m3", 1, "m4", 1), 9, nil), expected: asTargets("m1", 3, "m2", 2, "m3", 2, "m4", 2)},
		// §14 item 2: Divided without a preference weighs every cluster 1.
		{name: "12 without weights is 4 each", candidates: three, binding: asBinding(asWeighted, 12, nil), expected: asTargets("m1", 4, "m2", 4, "m3", 4)},
		{name: "3 over two clusters without weights: 2/1 to the smaller name", candidates: asCands("b", "a"), binding: asBinding(asWeighted, 3, nil), expected: asTargets("a", 2, "b", 1)},
		{
			name:       "an empty weight list weighs every cluster 1",
			candidates: three,
			binding:    asBinding(asDivided(v1alpha1.ReplicaDivisionPreferenceWeighted, &v1alpha1.ClusterPreferences{}), 6, nil),
			expected:   asTargets("m1", 2, "m2", 2, "m3", 2),
		},
		// The UID tie-break.
		{name: "5 by 1:1, even uid: the smaller name gets the odd replica", candidates: asCands("A", "B"), binding: asWithUID(asBinding(asWeighted, 5, nil), string(asEvenUID)), expected: asTargets("A", 3, "B", 2)},
		{name: "5 by 1:1, odd uid: the larger name gets the odd replica", candidates: asCands("A", "B"), binding: asWithUID(asBinding(asWeighted, 5, nil), string(asOddUID)), expected: asTargets("A", 2, "B", 3)},
		{name: "10 by 1:1:1, odd uid", candidates: three, binding: asWithUID(asBinding(asWeighted, 10, nil), string(asOddUID)), expected: asTargets("m1", 3, "m2", 3, "m3", 4)},
		// Weight rules (§2.4.2, §14 item 4).
		{name: "a cluster without a weight gets nothing", candidates: asCands("m1", "m2"), binding: asBinding(asStatic("m1", 1), 2, nil), expected: asTargets("m1", 2)},
		{name: "a cluster matched twice takes the larger weight", candidates: asCands("m1", "m2"), binding: asBinding(asStatic("m1", 1, "m2", 1, "m1", 2), 3, nil), expected: asTargets("m1", 2, "m2", 1)},
		{name: "rules matching no candidate weigh every candidate 1", candidates: asCands("m1", "m2"), binding: asBinding(asStatic("m9", 5), 4, nil), expected: asTargets("m1", 2, "m2", 2)},
		{
			name:       "label selector weights",
			candidates: labelled,
			binding: asBinding(asDivided(v1alpha1.ReplicaDivisionPreferenceWeighted, &v1alpha1.ClusterPreferences{
				StaticWeightList: []v1alpha1.StaticClusterWeight{byLabel("gold", 2), byLabel("bronze", 1)},
			}), 10, nil),
			expected: asTargets("bronze", 2, "gold-1", 4, "gold-2", 4),
		},
		{
			name:       "a cluster no rule matches is left out, the others share",
			candidates: labelled,
			binding: asBinding(asDivided(v1alpha1.ReplicaDivisionPreferenceWeighted, &v1alpha1.ClusterPreferences{
				StaticWeightList: []v1alpha1.StaticClusterWeight{byLabel("gold", 1)},
			}), 5, nil),
			expected: asTargets("gold-1", 3, "gold-2", 2),
		},
		{
			name:       "a cluster weighted 0 by its only rule is left out",
			candidates: asCands("m1", "m2", "m3"),
			binding:    asBinding(asStatic("m1", 1, "m2", 1, "m3", 0), 4, nil),
			expected:   asTargets("m1", 2, "m2", 2),
		},
		{
			name:       "a weight too small for a replica leaves the cluster out of the result",
			candidates: asCands("m1", "m2"),
			binding:    asBinding(asStatic("m1", 10, "m2", 1), 2, nil),
			expected:   asTargets("m1", 2),
		},
		// Static weights ignore capacity and the previous result (§14 item 3).
		{name: "capacity does not matter", candidates: asCapacities("m1", 0, "m2", 1), binding: asBinding(asWeighted, 6, nil), expected: asTargets("m1", 3, "m2", 3)},
		{name: "the previous result does not matter on scale up", candidates: three, binding: asBinding(asStatic("m1", 3, "m2", 2, "m3", 1), 14, asTargets("m3", 12)), expected: asTargets("m1", 7, "m2", 5, "m3", 2)},
		{name: "the previous result does not matter on scale down", candidates: three, binding: asBinding(asStatic("m1", 3, "m2", 2, "m3", 1), 6, asTargets("m1", 1, "m2", 1, "m3", 10)), expected: asTargets("m1", 3, "m2", 2, "m3", 1)},
		{name: "the result is sorted by name", candidates: asCands("m3", "m1", "m2"), binding: asBinding(asStatic("m3", 1, "m1", 1, "m2", 1), 3, nil), expected: asTargets("m1", 1, "m2", 1, "m3", 1)},
		{name: "0 replicas with requirements give nothing", candidates: asCands("m1", "m2"), binding: asBinding(asWeighted, 0, nil), expected: []v1alpha1.TargetCluster{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestAssignStaticWeightKeepsZeroEntries(t *testing.T) {
	// Before 0-replica entries are dropped, every weighted cluster is in the division.
	g := NewWithT(t)
	b := asBinding(asStatic("m1", 1, "m2", 1), 0, nil)
	a := &assignment{candidates: asCands("m1", "m2"), replicas: 0, spec: b.Spec, strategy: strategyStaticWeight}
	g.Expect(assignStaticWeight(a)).To(Equal(asTargets("m1", 0, "m2", 0)))
}

func TestStaticWeights(t *testing.T) {
	g := NewWithT(t)
	cands := asCands("m1", "m2", "m3")
	g.Expect(staticWeights(cands, asPlacement(asWeighted))).To(Equal(asVotes("m1", 1, "m2", 1, "m3", 1)))
	g.Expect(staticWeights(cands, asPlacement(asStatic("m3", 2, "m1", 4)))).To(Equal(asVotes("m1", 4, "m3", 2)))
	g.Expect(staticWeights(cands, asPlacement(asStatic("m9", 2)))).To(Equal(asVotes("m1", 1, "m2", 1, "m3", 1)))
}
