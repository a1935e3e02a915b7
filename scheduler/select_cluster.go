package scheduler

import (
	"errors"
	"fmt"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// errTooFewClusters is returned when fewer candidates passed the filters than the cluster
// spread constraint's minGroups (Appendix A.7).
var errTooFewClusters = errors.New("the number of feasible clusters is less than spreadConstraint.MinGroups")

// selectByCluster selects clusters under a cluster spread constraint alone (Karmada's
// select_clusters_by_cluster.go, §2.3 and Appendix A.7). cands must be ordered by
// compareCandidates; the result aliases cands, whose order it may change.
//
// It keeps the first min(len(cands), maxGroups) candidates. maxGroups = 0 is taken literally,
// not as "unbounded": a Duplicated placement then selects nothing (and assignment fails with
// "no clusters available to schedule"), any other placement fails here with "no enough
// resource when selecting 0 clusters". When needReplicas is not ignoreAvailableReplicas,
// higher-capacity clusters are swapped in until the selection can take needReplicas.
func selectByCluster(cands []candidate, sc v1alpha1.SpreadConstraint, needReplicas int32) ([]candidate, error) {
	if len(cands) < sc.MinGroups {
		return nil, errTooFewClusters
	}
	// Validation rejects a negative maxGroups; clamp rather than panic if one slips through.
	n := min(len(cands), max(sc.MaxGroups, 0))
	if needReplicas == ignoreAvailableReplicas {
		return cands[:n], nil
	}
	selected := swapInCapacity(cands, n, needReplicas)
	// Karmada treats an empty selection as failure too, so n = 0 always fails here, even when
	// no replicas are needed.
	if len(selected) == 0 {
		return nil, fmt.Errorf("no enough resource when selecting %d clusters", n)
	}
	return selected, nil
}

// swapInCapacity returns cands[:n] once their available replicas add up to needReplicas, or
// nil when that cannot be reached (Appendix A.7, Karmada's selectClustersByAvailableResource).
//
// Walking the selected slots from the last (lowest ranked) to the first, each slot is
// swapped with the remaining candidate with the most available replicas, first in cands
// order on ties, if that one has strictly more than the slot; the walk stops as soon as the
// sum is enough. The swap is done in place, so the candidate swapped out becomes a remaining
// one at the position the swapped-in one left.
//
// Karmada scans the remaining candidates for every slot; a max-heap keyed by (available
// DESC, position ASC) answers the same question, keeping the walk O(n log n) when capacity is
// short on a large fleet.
func swapInCapacity(cands []candidate, n int, needReplicas int32) []candidate {
	selected, rest := cands[:n], cands[n:]
	var sum int64
	for _, c := range selected {
		sum += c.available
	}
	need := int64(needReplicas)
	if sum >= need {
		return selected
	}
	if len(rest) > 0 {
		h := newCapacityHeap(rest)
		for i := n - 1; i >= 0 && sum < need; i-- {
			j := h.top()
			if rest[j].available <= selected[i].available {
				continue
			}
			sum += rest[j].available - selected[i].available
			selected[i], rest[j] = rest[j], selected[i]
			// rest[j] now holds a smaller value under the same position: restore the heap.
			h.down(0)
		}
	}
	if sum < need {
		return nil
	}
	return selected
}

// capacityHeap is a max-heap of positions in rest, ordered by rest[pos].available DESC and
// then pos ASC, so its top is the candidate Karmada's linear scan would pick.
type capacityHeap struct {
	rest []candidate
	pos  []int
}

func newCapacityHeap(rest []candidate) *capacityHeap {
	h := &capacityHeap{rest: rest, pos: make([]int, len(rest))}
	for i := range h.pos {
		h.pos[i] = i
	}
	for i := len(h.pos)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
	return h
}

func (h *capacityHeap) top() int { return h.pos[0] }

// before reports whether heap slot a ranks above heap slot b.
func (h *capacityHeap) before(a, b int) bool {
	pa, pb := h.pos[a], h.pos[b]
	if x, y := h.rest[pa].available, h.rest[pb].available; x != y {
		return x > y
	}
	return pa < pb
}

func (h *capacityHeap) down(i int) {
	for {
		best := i
		if l := 2*i + 1; l < len(h.pos) && h.before(l, best) {
			best = l
		}
		if r := 2*i + 2; r < len(h.pos) && h.before(r, best) {
			best = r
		}
		if best == i {
			return
		}
		h.pos[i], h.pos[best] = h.pos[best], h.pos[i]
		i = best
	}
}
