package scheduler

import (
	"cmp"
	"slices"
	"strings"
)

// spreadGroup is one group of clusters (a region) as selectGroups weighs it.
type spreadGroup struct {
	// name is the group's name (the region).
	name string
	// value is what the group contributes towards the target: its number of clusters.
	value int
	// weight is the group's score (calcGroupScore); higher is better.
	weight int64
	// index is the caller's position of the group, handed back to find the group's clusters.
	index int
}

// groupPath is one feasible combination of groups found by selectGroups.
type groupPath struct {
	// id numbers paths in discovery order, from 1; it breaks the final ties.
	id int
	// groups are the path's groups ordered by weight DESC, name ASC.
	groups []spreadGroup
	weight int64
	value  int
}

// selectGroups chooses the combination of groups that satisfies minGroups <= len <=
// maxGroups and sum(value) >= target with the best total weight (§2.3, Appendix A.5,
// Karmada's select_groups.go). It returns the chosen groups ordered by weight DESC and name
// ASC, or nil when no combination is feasible. It sorts groups in place.
//
// The search is a depth-first enumeration of combinations over groups ordered by value ASC,
// weight DESC, name ASC: a path stops growing as soon as it is feasible, and once maxGroups
// long. When there are exactly minGroups groups, only the first branch is explored at each
// depth (Karmada's shortcut: all of them are needed). The feasible paths are ranked by total
// weight DESC, total value DESC, discovery order ASC; the winner is then replaced by any
// later-ranked path that is a strict prefix of it (by names, in weight order), so that no
// group is taken that a higher-ranked subset did without.
//
// It is exponential in the number of groups, as Karmada's is; it runs over regions, which
// are few.
func selectGroups(groups []spreadGroup, minGroups, maxGroups, target int) []spreadGroup {
	if len(groups) == 0 {
		return nil
	}
	slices.SortStableFunc(groups, func(a, b spreadGroup) int {
		if a.value != b.value {
			return cmp.Compare(a.value, b.value)
		}
		if a.weight != b.weight {
			return cmp.Compare(b.weight, a.weight)
		}
		return strings.Compare(a.name, b.name)
	})

	var paths []groupPath
	stack := make([]int, 0, len(groups))
	var dfs func(sum, begin int)
	dfs = func(sum, begin int) {
		if sum >= target && len(stack) >= minGroups && len(stack) <= maxGroups {
			paths = append(paths, newGroupPath(len(paths)+1, groups, stack))
			return
		}
		if len(stack) >= maxGroups {
			return
		}
		for i := begin; i < len(groups); i++ {
			stack = append(stack, i)
			dfs(sum+groups[i].value, i+1)
			stack = stack[:len(stack)-1]
			if len(groups) == minGroups {
				break
			}
		}
	}
	dfs(0, 0)

	if len(paths) == 0 {
		return nil
	}
	return bestGroupPath(paths).groups
}

// newGroupPath records the groups at the stack positions as a path, ordered by weight DESC
// and name ASC.
func newGroupPath(id int, groups []spreadGroup, stack []int) groupPath {
	p := groupPath{id: id, groups: make([]spreadGroup, len(stack))}
	for i, g := range stack {
		p.groups[i] = groups[g]
		p.weight += groups[g].weight
		p.value += groups[g].value
	}
	slices.SortStableFunc(p.groups, func(a, b spreadGroup) int {
		if a.weight != b.weight {
			return cmp.Compare(b.weight, a.weight)
		}
		return strings.Compare(a.name, b.name)
	})
	return p
}

// bestGroupPath ranks feasible paths by weight DESC, value DESC, id ASC and applies the
// strict-prefix rule of selectGroups. It sorts paths in place.
func bestGroupPath(paths []groupPath) groupPath {
	slices.SortStableFunc(paths, func(a, b groupPath) int {
		if a.weight != b.weight {
			return cmp.Compare(b.weight, a.weight)
		}
		if a.value != b.value {
			return cmp.Compare(b.value, a.value)
		}
		return cmp.Compare(a.id, b.id)
	})
	best := paths[0]
	for _, p := range paths[1:] {
		if isStrictGroupPrefix(p, best) {
			best = p
		}
	}
	return best
}

// isStrictGroupPrefix reports whether sub is shorter than p and names the same groups as
// p's first len(sub) groups.
func isStrictGroupPrefix(sub, p groupPath) bool {
	if len(sub.groups) >= len(p.groups) {
		return false
	}
	for i, g := range sub.groups {
		if p.groups[i].name != g.name {
			return false
		}
	}
	return true
}
