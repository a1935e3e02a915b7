package scheduler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSelectGroups checks selectGroups (§2.3, Appendix A.5). The first cases restate the
// expectations of Karmada's own select_groups table; the last ones isolate the tie-breaks
// and the strict-prefix rule.
func TestSelectGroups(t *testing.T) {
	type g struct {
		name   string
		value  int
		weight int64
	}
	tests := []struct {
		name     string
		groups   []g
		min, max int
		target   int
		want     []string
	}{
		{name: "no groups", min: 2, max: 3, target: 1},
		{name: "fewer groups than minGroups", groups: []g{{"R1", 1, 80}}, min: 2, max: 3, target: 1},
		{name: "not enough value", groups: []g{{"R1", 1, 80}, {"R2", 2, 30}}, min: 2, max: 3, target: 4},
		{name: "one group", groups: []g{{"R1", 1, 80}}, min: 1, max: 3, target: 1, want: []string{"R1"}},
		{
			// Only R5+R4+R6 (2+5+3) reaches 10 within 3 groups; the result is weight DESC,
			// name ASC.
			name:   "the only feasible path, in weight order",
			groups: []g{{"R1", 1, 80}, {"R3", 1, 80}, {"R2", 1, 60}, {"R5", 2, 60}, {"R4", 5, 50}, {"R6", 3, 50}},
			min:    1, max: 3, target: 10,
			want: []string{"R5", "R4", "R6"},
		},
		{
			// The heaviest paths weigh 150: R1+R3+R2 (value 6) and R1+R4+R2 (value 8), which
			// ranks first as [R1 R2 R4]. The feasible R1+R2, found later, is a strict prefix
			// of it and wins: fewer groups when they suffice.
			name:   "fewer groups when a prefix suffices",
			groups: []g{{"R1", 1, 80}, {"R2", 4, 40}, {"R3", 1, 30}, {"R4", 3, 30}, {"R5", 3, 20}, {"R6", 5, 10}},
			min:    2, max: 6, target: 5,
			want: []string{"R1", "R2"},
		},
		{
			name:   "highest total weight",
			groups: []g{{"R1", 1, 60}, {"R2", 1, 50}, {"R3", 1, 40}, {"R4", 3, 30}, {"R5", 3, 20}, {"R6", 3, 10}},
			min:    1, max: 3, target: 6,
			want: []string{"R1", "R4", "R5"},
		},
		{
			// R1+R4 and R2+R3 both weigh 90 with value 5; R1+R4 was found first.
			name:   "equal weight and value: first found",
			groups: []g{{"R1", 1, 60}, {"R2", 2, 50}, {"R3", 3, 40}, {"R4", 4, 30}},
			min:    1, max: 2, target: 5,
			want: []string{"R1", "R4"},
		},
		{
			// R4+R2 and R3+R1 both weigh 90; R3+R1 holds 6 clusters against 5.
			name:   "equal weight: greater value",
			groups: []g{{"R4", 1, 60}, {"R3", 3, 50}, {"R1", 3, 40}, {"R2", 4, 30}},
			min:    1, max: 2, target: 5,
			want: []string{"R3", "R1"},
		},
		{
			// Sorted by value: G3 (1), G1 (2), G2 (3). Feasible: G3+G1+G2 (id 1, weight 60) and
			// G1+G2 (id 2, weight 50). In weight order the first is [G1 G2 G3], of which
			// [G1 G2] is a strict prefix: the shorter one wins.
			name:   "a strict prefix of the best path wins",
			groups: []g{{"G1", 2, 30}, {"G2", 3, 20}, {"G3", 1, 10}},
			min:    1, max: 3, target: 5,
			want: []string{"G1", "G2"},
		},
		{
			// Same search, but G3 is now the heaviest: [G3 G1 G2] does not start with [G1 G2].
			name:   "a subset that is not a prefix does not win",
			groups: []g{{"G1", 2, 30}, {"G2", 3, 20}, {"G3", 1, 40}},
			min:    1, max: 3, target: 5,
			want: []string{"G3", "G1", "G2"},
		},
		{
			name:   "equal weight in a path: name order",
			groups: []g{{"b", 1, 10}, {"a", 1, 10}},
			min:    2, max: 2, target: 2,
			want: []string{"a", "b"},
		},
		{
			// All groups are needed to reach minGroups.
			name:   "exactly minGroups groups",
			groups: []g{{"R1", 1, 10}, {"R2", 2, 30}, {"R3", 1, 20}},
			min:    3, max: 3, target: 4,
			want: []string{"R2", "R3", "R1"},
		},
		{
			name:   "exactly minGroups groups, not enough value",
			groups: []g{{"R1", 1, 10}, {"R2", 2, 30}, {"R3", 1, 20}},
			min:    3, max: 3, target: 5,
		},
		{
			// maxGroups 0 is not "unbounded": nothing can be chosen.
			name:   "maxGroups 0",
			groups: []g{{"R1", 1, 10}},
			min:    1, max: 0, target: 1,
		},
		{
			// With nothing to reach and no minimum the empty path is the only feasible one.
			name:   "empty path",
			groups: []g{{"R1", 1, 10}},
			min:    0, max: 2, target: 0,
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var groups []spreadGroup
			for i, x := range tt.groups {
				groups = append(groups, spreadGroup{name: x.name, value: x.value, weight: x.weight, index: i})
			}
			var got []string
			if chosen := selectGroups(groups, tt.min, tt.max, tt.target); chosen != nil {
				got = []string{}
				for _, c := range chosen {
					got = append(got, c.name)
					if tt.groups[c.index].name != c.name {
						t.Errorf("group %s carries the index of %s", c.name, tt.groups[c.index].name)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("chosen (-want +got):\n%s", diff)
			}
		})
	}
}
