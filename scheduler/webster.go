package scheduler

import (
	"cmp"
	"container/heap"
	"hash/fnv"
	"math"
	"math/bits"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/types"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Webster (Sainte-Laguë) apportionment is the only rounding primitive of replica division
// (§2.4.1, A.1): static weights, dynamic weights and Aggregated all hand their weights to
// dispenseByWeight.

// party is one participant of a Webster apportionment: a cluster, its weight (votes) and the
// replicas (seats) it holds.
type party struct {
	name  string
	votes int64
	seats int32
}

// nameOrder says which name wins a Webster tie between parties with equal priority and equal
// seats.
type nameOrder bool

const (
	// smallerNameFirst gives the seat to the lexicographically smaller name.
	smallerNameFirst nameOrder = false
	// largerNameFirst gives the seat to the lexicographically larger name.
	largerNameFirst nameOrder = true
)

// nameOrderForUID derives the tie order from the resource template's UID, so that ties are
// broken differently (but stably) across workloads instead of always favouring the same
// cluster: an empty UID or an even FNV-32a hash prefers the smaller name, an odd hash the
// larger one (§2.4.1).
func nameOrderForUID(uid types.UID) nameOrder {
	if uid == "" {
		return smallerNameFirst
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(uid))
	if h.Sum32()&1 == 1 {
		return largerNameFirst
	}
	return smallerNameFirst
}

// websterPriority is a party's claim to its next seat, votes/(2*seats+1). It is computed in
// float64 and compared exactly, and 2*seats+1 is int32 arithmetic, because that is what
// Karmada does: any other rounding would break ties differently.
func websterPriority(p *party) float64 {
	return float64(p.votes) / float64(2*p.seats+1)
}

// websterBefore reports whether a gets the next seat before b: higher priority, then fewer
// seats, then the name order.
func websterBefore(a, b *party, order nameOrder) bool {
	pa, pb := websterPriority(a), websterPriority(b)
	if pa != pb {
		return pa > pb
	}
	if a.seats != b.seats {
		return a.seats < b.seats
	}
	if order == largerNameFirst {
		return a.name > b.name
	}
	return a.name < b.name
}

// websterQueue is a max-heap, by websterBefore, of positions in parties; the parties
// themselves stay in name order.
type websterQueue struct {
	parties []party
	heap    []int
	order   nameOrder
}

func (q *websterQueue) Len() int { return len(q.heap) }
func (q *websterQueue) Less(i, j int) bool {
	return websterBefore(&q.parties[q.heap[i]], &q.parties[q.heap[j]], q.order)
}
func (q *websterQueue) Swap(i, j int) { q.heap[i], q.heap[j] = q.heap[j], q.heap[i] }
func (q *websterQueue) Push(x any)    { q.heap = append(q.heap, x.(int)) }
func (q *websterQueue) Pop() any {
	last := q.heap[len(q.heap)-1]
	q.heap = q.heap[:len(q.heap)-1]
	return last
}

// allocateWebsterSeats gives newSeats more seats to the parties, one at a time, each to the
// party that websterBefore ranks first (§2.4.1, A.1). The parties are those of initial (with
// their seats, votes 0 unless in votes) and of votes (seats 0 unless in initial); a name
// listed twice takes its last entry. The result holds every party, 0-seat ones included,
// sorted by name; nil when there are no parties.
//
// Handing out seats one by one costs O(newSeats·log n). The result is the same as taking
// the newSeats best "next seat" claims over all parties, because each party's claims only get
// worse as it gains seats; so seats that are certainly among the best can be given in one go
// (websterLowerBounds, O(n log n)) and only the few remaining seats go through the heap.
func allocateWebsterSeats(newSeats int32, votes []party, initial []v1alpha1.TargetCluster, order nameOrder) []party {
	parties := websterParties(votes, initial)
	if len(parties) == 0 {
		return nil
	}
	remaining := newSeats
	if lower, ok := websterLowerBounds(newSeats, parties); ok {
		for i := range parties {
			parties[i].seats = lower[i]
			remaining -= lower[i]
		}
	}
	if remaining > 0 {
		q := &websterQueue{parties: parties, heap: make([]int, len(parties)), order: order}
		for i := range q.heap {
			q.heap[i] = i
		}
		heap.Init(q)
		for ; remaining > 0; remaining-- {
			// The best party is at the root: give it a seat and restore the heap in place.
			parties[q.heap[0]].seats++
			heap.Fix(q, 0)
		}
	}
	return parties
}

// websterParties merges initial and votes into parties sorted by name: initial entries bring
// seats, votes entries votes, and a later entry for a name overrides an earlier one of its
// kind. Sorting once, by name and then by input position, dedups without a map and yields
// the output order.
func websterParties(votes []party, initial []v1alpha1.TargetCluster) []party {
	type entry struct {
		party
		pos      int
		hasVotes bool
	}
	entries := make([]entry, 0, len(initial)+len(votes))
	for _, t := range initial {
		entries = append(entries, entry{party: party{name: t.Name, seats: t.Replicas}, pos: len(entries)})
	}
	for _, v := range votes {
		entries = append(entries, entry{party: party{name: v.name, votes: v.votes}, pos: len(entries), hasVotes: true})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	parties := make([]party, 0, len(entries))
	for i, e := range entries {
		if i == 0 || entries[i-1].name != e.name {
			parties = append(parties, e.party)
			continue
		}
		last := &parties[len(parties)-1]
		if e.hasVotes {
			last.votes = e.votes
		} else {
			last.seats = e.seats
		}
	}
	return parties
}

// websterLowerBounds returns, for an allocation that starts with no seats, a number of seats
// per party that the seat-by-seat allocation certainly reaches, and false when it cannot
// vouch for the inputs (initial seats, negative votes, sums that do not fit, seat counts
// where 2*seats+1 could wrap around in int32): the caller then hands out every seat
// one by one.
//
// Why the bound holds. Party i's claims are v_i/(2k+1), k = 0, 1, …; call count(M) the number
// of claims, over all parties, above V/(2M), V = Σv. Every claim above V/(2M) is among the N
// best (N = newSeats) when count(M+1) ≤ N: a claim that ranks ahead of it, or ties, is at
// least as large up to float64 rounding (a relative 2^-50, which V/(2M) → V/(2M+2) more than
// covers for M < 2^50), so it is above V/(2M+2), and there are at most N of those. The
// largest such M is found by bisection; count(M) ≈ M ± n/2, so M lies within N ± n. What is
// left for the heap, N - count(M) < count(M+2) - count(M), is at most n+2 seats and usually a
// handful, since a party only has a claim in that narrow band with probability ~2v_i/V.
func websterLowerBounds(newSeats int32, parties []party) ([]int32, bool) {
	seats := int64(newSeats)
	if seats <= 0 || seats >= 1<<29 {
		return nil, false
	}
	var total uint64
	for i := range parties {
		p := &parties[i]
		if p.seats != 0 || p.votes < 0 {
			return nil, false
		}
		total += uint64(p.votes)
		if total >= 1<<62 {
			return nil, false
		}
	}
	if total == 0 {
		return nil, false
	}
	n := int64(len(parties))
	// Invariant: count(lo+1) ≤ N; the answer is at most hi (count(N+n+2) > N).
	lo, hi := max(0, seats-n-1), seats+n+1
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if websterClaimsAbove(mid+1, parties, total, seats, nil) <= seats {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	lower := make([]int32, len(parties))
	websterClaimsAbove(lo, parties, total, math.MaxInt64, lower)
	return lower, true
}

// websterClaimsAbove counts the claims v_i/(2k+1) greater than V/(2m), in exact integer
// arithmetic: party i has one for every odd d with d·V < 2m·v_i. It stops counting once the
// count passes limit. When perParty is given, it receives each party's count.
func websterClaimsAbove(m int64, parties []party, total uint64, limit int64, perParty []int32) int64 {
	var count int64
	if m <= 0 {
		return 0 // nothing is above V/0; perParty is already zero
	}
	for i := range parties {
		if parties[i].votes == 0 {
			continue
		}
		// x = 2m·v_i in 128 bits; the largest odd d with d·V < x is at most (x-1)/V.
		hi, lo := bits.Mul64(uint64(2*m), uint64(parties[i].votes))
		lo, borrow := bits.Sub64(lo, 1, 0)
		hi -= borrow
		d, _ := bits.Div64(hi, lo, total)
		c := int64((d + 1) / 2)
		if perParty != nil {
			perParty[i] = int32(c)
		}
		if count += c; count > limit {
			return count
		}
	}
	return count
}

// SpreadByWeights divides total among targets in proportion to their Replicas, which serve
// as weights, with Webster's method and the UID tie-break (Karmada's
// helper.SpreadReplicasByTargetClusters with no previous assignment, §2.4.1). The binding
// controller divides a Job's completions this way. It returns every target sorted by name,
// zero-share ones included, and nothing when the weights sum to zero.
func SpreadByWeights(total int32, targets []v1alpha1.TargetCluster, uid types.UID) []v1alpha1.TargetCluster {
	weights := make([]party, len(targets))
	for i, t := range targets {
		weights[i] = party{name: t.Name, votes: int64(t.Replicas)}
	}
	return dispenseByWeight(total, nil, weights, uid)
}

// dispenseByWeight divides replicas among weighted clusters on top of an initial assignment,
// as Karmada's Dispenser.AllocateByWeight (A.1): nothing to give and an initial result means
// the initial result; a zero weight sum leaves the initial result alone; otherwise Webster
// with the UID tie-break. The result is sorted by name and keeps 0-replica entries.
func dispenseByWeight(replicas int32, initial []v1alpha1.TargetCluster, weights []party, uid types.UID) []v1alpha1.TargetCluster {
	if replicas == 0 && len(initial) != 0 {
		return slices.Clone(initial)
	}
	var sum int64
	for _, w := range weights {
		sum += w.votes
	}
	if sum == 0 {
		return slices.Clone(initial)
	}
	parties := allocateWebsterSeats(replicas, weights, initial, nameOrderForUID(uid))
	out := make([]v1alpha1.TargetCluster, len(parties))
	for i, p := range parties {
		out[i] = v1alpha1.TargetCluster{Name: p.name, Replicas: p.seats}
	}
	return out
}
