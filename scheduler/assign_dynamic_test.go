package scheduler

import (
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// asRescheduled marks the binding as rescheduled by a user after its last scheduling, which
// asks for Fresh mode (§2.4.5).
func asRescheduled(b Binding) Binding {
	last := metav1.NewTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	triggered := metav1.NewTime(last.Add(time.Minute))
	b.Spec.RescheduleTriggeredAt = &triggered
	b.Status.LastScheduledTime = &last
	return b
}

// asNotEnough is the error of a dynamic division whose clusters cannot take the replicas.
func asNotEnough(step string, available int) string {
	return fmt.Sprintf("failed to %s: Clusters available replicas %d are not enough to schedule.", step, available)
}

func TestAssignDynamicWeight(t *testing.T) {
	tests := []asAssignCase{
		// §2.4.3 examples.
		{name: "12 by available 6:8:10", candidates: asCapacities("m1", 6, "m2", 8, "m3", 10), binding: asBinding(asDynamic, 12, nil), expected: asTargets("m1", 3, "m2", 4, "m3", 5)},
		{name: "12 by available 6:12:18 (the API documentation's example)", candidates: asCapacities("m1", 6, "m2", 12, "m3", 18), binding: asBinding(asDynamic, 12, nil), expected: asTargets("m1", 2, "m2", 4, "m3", 6)},
		// First schedulings.
		{name: "12 by 18:12:6", candidates: asCapacities("m1", 18, "m2", 12, "m3", 6), binding: asBinding(asDynamic, 12, nil), expected: asTargets("m1", 6, "m2", 4, "m3", 2)},
		{name: "12 by 20:12:6", candidates: asCapacities("m1", 20, "m2", 12, "m3", 6), binding: asBinding(asDynamic, 12, nil), expected: asTargets("m1", 6, "m2", 4, "m3", 2)},
		{name: "12 by 6:12:6", candidates: asCapacities("m1", 6, "m2", 12, "m3", 6), binding: asBinding(asDynamic, 12, nil), expected: asTargets("m1", 3, "m2", 6, "m3", 3)},
		{name: "12 by 8:8:10", candidates: asCapacities("m1", 8, "m2", 8, "m3", 10), binding: asBinding(asDynamic, 12, nil), expected: asTargets("m1", 4, "m2", 4, "m3", 4)},
		{name: "the result is sorted by name", candidates: asCapacities("m3", 10, "m1", 6, "m2", 8), binding: asBinding(asDynamic, 12, nil), expected: asTargets("m1", 3, "m2", 4, "m3", 5)},
		{name: "a cluster without capacity gets nothing", candidates: asCapacities("m1", 0, "m2", 8), binding: asBinding(asDynamic, 4, nil), expected: asTargets("m2", 4)},
		{
			name:          "12 by 3:3:3 is not enough",
			candidates:    asCapacities("m1", 3, "m2", 3, "m3", 3),
			binding:       asBinding(asDynamic, 12, nil),
			err:           asNotEnough("scale up", 9),
			unschedulable: true,
		},
		// Scale up keeps the previous result and divides only the new replicas.
		{
			name:       "12 → 24 by 10:10:10 on 2/4/6",
			candidates: asCapacities("m1", 10, "m2", 10, "m3", 10),
			binding:    asBinding(asDynamic, 24, asTargets("m1", 2, "m2", 4, "m3", 6)),
			expected:   asTargets("m1", 6, "m2", 8, "m3", 10),
		},
		{
			name:          "12 → 24 by 1:1:1 is not enough",
			candidates:    asCapacities("m1", 1, "m2", 1, "m3", 1),
			binding:       asBinding(asDynamic, 24, asTargets("m1", 2, "m2", 4, "m3", 6)),
			err:           asNotEnough("scale up", 3),
			unschedulable: true,
		},
		{
			name:       "replicas on a cluster that is no longer a candidate are placed again",
			candidates: asCapacities("m1", 3, "m2", 3),
			binding:    asBinding(asDynamic, 12, asTargets("m1", 6, "m3", 6)),
			expected:   asTargets("m1", 9, "m2", 3),
		},
		// Scale down shrinks the previous result in proportion.
		{
			name:       "12 → 6 on 2/4/6",
			candidates: asCapacities("m1", 1, "m2", 1, "m3", 1),
			binding:    asBinding(asDynamic, 6, asTargets("m1", 2, "m2", 4, "m3", 6)),
			expected:   asTargets("m1", 1, "m2", 2, "m3", 3),
		},
		{
			name:       "scale down ignores capacity",
			candidates: asCapacities("m1", 0, "m2", 0),
			binding:    asBinding(asDynamic, 3, asTargets("m1", 3, "m2", 3)),
			expected:   asTargets("m1", 2, "m2", 1),
		},
		{
			name:       "scale down to 0 with requirements leaves nothing",
			candidates: asCapacities("m1", 5, "m2", 5),
			binding:    asBinding(asDynamic, 0, asTargets("m1", 3, "m2", 3)),
			expected:   []v1alpha1.TargetCluster{},
		},
		// Unchanged replicas keep the previous result, in its order.
		{
			name:       "the same replicas keep the previous result as it is",
			candidates: asCapacities("m1", 0, "m2", 100, "m3", 100),
			binding:    asBinding(asDynamic, 12, asTargets("m2", 8, "m1", 4)),
			expected:   asTargets("m2", 8, "m1", 4),
		},
		{
			name:       "the previous result is read without its 0-replica entries",
			candidates: asCapacities("m1", 0, "m2", 100),
			binding:    asBinding(asDynamic, 4, asTargets("m2", 0, "m1", 4)),
			expected:   asTargets("m1", 4),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestAssignAggregated(t *testing.T) {
	tests := []asAssignCase{
		// §2.4.3 examples.
		{name: "12 by 6:8:10 packs into the two largest", candidates: asCapacities("m1", 6, "m2", 8, "m3", 10), binding: asBinding(asAggregated, 12, nil), expected: asTargets("m2", 5, "m3", 7)},
		{
			name:       "12 → 24 by 4:6:8 on 4/8: the previous clusters first, then the largest",
			candidates: asCapacities("m1", 4, "m2", 6, "m3", 8),
			binding:    asBinding(asAggregated, 24, asTargets("m1", 4, "m2", 8)),
			expected:   asTargets("m1", 7, "m2", 12, "m3", 5),
		},
		{
			name:       "12 → 6 on 4/8 keeps the largest",
			candidates: asCapacities("m1", 1, "m2", 1, "m3", 1),
			binding:    asBinding(asAggregated, 6, asTargets("m1", 4, "m2", 8)),
			expected:   asTargets("m2", 6),
		},
		// First schedulings.
		{name: "12 by 12:8:10 fits in one cluster", candidates: asCapacities("m1", 12, "m2", 8, "m3", 10), binding: asBinding(asAggregated, 12, nil), expected: asTargets("m1", 12)},
		{name: "12 by 12:6:6 fits in one cluster", candidates: asCapacities("m2", 12, "m1", 6, "m3", 6), binding: asBinding(asAggregated, 12, nil), expected: asTargets("m2", 12)},
		{name: "12 by 6:6:6 takes the first two of equal capacity", candidates: asCapacities("m1", 6, "m2", 6, "m3", 6), binding: asBinding(asAggregated, 12, nil), expected: asTargets("m1", 6, "m2", 6)},
		{name: "equal capacities keep the selection order", candidates: asCapacities("m3", 6, "m2", 6, "m1", 6), binding: asBinding(asAggregated, 12, nil), expected: asTargets("m2", 6, "m3", 6)},
		{
			name:          "12 by 3:3:3 is not enough",
			candidates:    asCapacities("m1", 3, "m2", 3, "m3", 3),
			binding:       asBinding(asAggregated, 12, nil),
			err:           asNotEnough("scale up", 9),
			unschedulable: true,
		},
		// Scaling.
		{
			name:       "12 → 8 on 4/8 by 100:100",
			candidates: asCapacities("m1", 100, "m2", 100),
			binding:    asBinding(asAggregated, 8, asTargets("m1", 4, "m2", 8)),
			expected:   asTargets("m2", 8),
		},
		{
			name:       "12 → 24 by 6:6:20 on 4/8 stays on the previous clusters",
			candidates: asCapacities("m1", 6, "m2", 6, "m3", 20),
			binding:    asBinding(asAggregated, 24, asTargets("m1", 4, "m2", 8)),
			expected:   asTargets("m1", 10, "m2", 14),
		},
		{
			name:          "12 → 24 by 1:1:1 on 4/8 is not enough",
			candidates:    asCapacities("m1", 1, "m2", 1, "m3", 1),
			binding:       asBinding(asAggregated, 24, asTargets("m1", 4, "m2", 8)),
			err:           asNotEnough("scale up", 3),
			unschedulable: true,
		},
		{
			name:       "12 → 24 by 4:8:12 on 4/8 after m2 left and m4 came",
			candidates: asCapacities("m1", 4, "m3", 8, "m4", 12),
			binding:    asBinding(asAggregated, 24, asTargets("m1", 4, "m2", 8)),
			expected:   asTargets("m1", 7, "m3", 7, "m4", 10),
		},
		{
			// Only m2 is needed for the 5 new replicas; m3 keeps its replica and, being only in
			// the previous result, comes after the merged division.
			name:       "previous clusters not needed for the new replicas are appended after the division",
			candidates: asCapacities("m1", 10, "m2", 10, "m3", 10),
			binding:    asBinding(asAggregated, 7, asTargets("m3", 1, "m2", 1)),
			expected:   asTargets("m2", 6, "m3", 1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestAssignFresh(t *testing.T) {
	tests := []asAssignCase{
		{
			name:       "dynamic: unchanged replicas are divided again by allocatable plus assigned",
			candidates: asCapacities("m1", 0, "m2", 8),
			binding:    asRescheduled(asBinding(asDynamic, 10, asTargets("m1", 6, "m2", 4))),
			expected:   asTargets("m1", 3, "m2", 7),
		},
		{
			name:       "dynamic: Steady mode for the same binding keeps the result",
			candidates: asCapacities("m1", 0, "m2", 8),
			binding:    asBinding(asDynamic, 10, asTargets("m1", 6, "m2", 4)),
			expected:   asTargets("m1", 6, "m2", 4),
		},
		{
			name:       "aggregated: the previous clusters lose their precedence",
			candidates: asCapacities("m1", 0, "m2", 20),
			binding:    asRescheduled(asBinding(asAggregated, 6, asTargets("m1", 6))),
			expected:   asTargets("m2", 6),
		},
		{
			name:       "aggregated: Steady mode for the same binding keeps the result",
			candidates: asCapacities("m1", 0, "m2", 20),
			binding:    asBinding(asAggregated, 6, asTargets("m1", 6)),
			expected:   asTargets("m1", 6),
		},
		{
			name:       "replicas on clusters that are no longer candidates do not count as capacity",
			candidates: asCapacities("m1", 2, "m2", 2),
			binding:    asRescheduled(asBinding(asDynamic, 4, asTargets("m1", 2, "m9", 2))),
			expected:   asTargets("m1", 3, "m2", 1), // by 4 (2 free + 2 assigned) : 2
		},
		{
			name:          "not enough capacity",
			candidates:    asCapacities("m1", 1, "m2", 1),
			binding:       asRescheduled(asBinding(asDynamic, 6, asTargets("m1", 2))),
			err:           asNotEnough("do fresh scale", 4),
			unschedulable: true,
		},
		{
			name:       "static weights are unaffected",
			candidates: asCands("m1", "m2"),
			binding:    asRescheduled(asBinding(asWeighted, 3, asTargets("m2", 3))),
			expected:   asTargets("m1", 2, "m2", 1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestMergeTargetClusters(t *testing.T) {
	g := NewWithT(t)
	g.Expect(mergeTargetClusters(nil, asTargets("a", 1))).To(Equal(asTargets("a", 1)))
	g.Expect(mergeTargetClusters(asTargets("a", 1), nil)).To(Equal(asTargets("a", 1)))
	g.Expect(mergeTargetClusters(asTargets("c", 1, "b", 2, "a", 3), asTargets("a", 1, "d", 4))).
		To(Equal(asTargets("a", 4, "d", 4, "c", 1, "b", 2)))
}

func TestByReplicasDesc(t *testing.T) {
	g := NewWithT(t)
	// Up to 12 entries Go's sort.Sort is an insertion sort: equal entries keep their order.
	g.Expect(byReplicasDesc(asTargets("a", 1, "b", 3, "c", 1, "d", 3))).To(Equal(asTargets("b", 3, "d", 3, "a", 1, "c", 1)))
}

func TestPreviousFirst(t *testing.T) {
	g := NewWithT(t)
	available := asTargets("a", 9, "b", 8, "c", 7, "d", 6)
	g.Expect(previousFirst(available, asTargets("d", 1, "b", 2, "a", 0))).To(Equal(asTargets("b", 8, "d", 6, "a", 9, "c", 7)))
	g.Expect(previousFirst(available, nil)).To(Equal(available))
}
