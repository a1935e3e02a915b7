package scheduler

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// UIDs whose FNV-32a hash is even and odd (§2.4.1).
const (
	asEvenUID types.UID = "4858ca61-3ff8-4095-8267-f3d059d8074c"
	asOddUID  types.UID = "d43fdeeb-d750-4e2b-bee3-64eb94534f4c"
)

// asVotes builds Webster votes from name, votes pairs.
func asVotes(pairs ...any) []party {
	out := make([]party, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, party{name: pairs[i].(string), votes: int64(pairs[i+1].(int))})
	}
	return out
}

// asTargets builds target clusters from name, replicas pairs.
func asTargets(pairs ...any) []v1alpha1.TargetCluster {
	out := make([]v1alpha1.TargetCluster, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, v1alpha1.TargetCluster{Name: pairs[i].(string), Replicas: int32(pairs[i+1].(int))})
	}
	return out
}

// asSeats renders parties as "name=seats" items, for readable failures.
func asSeats(parties []party) []string {
	out := make([]string, len(parties))
	for i, p := range parties {
		out[i] = fmt.Sprintf("%s=%d", p.name, p.seats)
	}
	return out
}

func TestNameOrderForUID(t *testing.T) {
	g := NewWithT(t)
	g.Expect(nameOrderForUID("")).To(Equal(smallerNameFirst))
	g.Expect(nameOrderForUID(asEvenUID)).To(Equal(smallerNameFirst))
	g.Expect(nameOrderForUID(asOddUID)).To(Equal(largerNameFirst))
}

func TestAllocateWebsterSeats(t *testing.T) {
	// The Sainte-Laguë example of Wikipedia: 230,000 votes for 8 seats among 4 parties.
	wiki := asVotes("A", 100000, "B", 80000, "C", 30000, "D", 20000)
	tests := []struct {
		name     string
		seats    int32
		votes    []party
		initial  []v1alpha1.TargetCluster
		order    nameOrder
		expected []string
	}{
		{name: "wikipedia, 1 seat", seats: 1, votes: wiki, expected: []string{"A=1", "B=0", "C=0", "D=0"}},
		{name: "wikipedia, 2 seats", seats: 2, votes: wiki, expected: []string{"A=1", "B=1", "C=0", "D=0"}},
		{name: "wikipedia, 3 seats", seats: 3, votes: wiki, expected: []string{"A=2", "B=1", "C=0", "D=0"}},
		{name: "wikipedia, 4 seats", seats: 4, votes: wiki, expected: []string{"A=2", "B=1", "C=1", "D=0"}},
		{name: "wikipedia, 5 seats", seats: 5, votes: wiki, expected: []string{"A=2", "B=2", "C=1", "D=0"}},
		{name: "wikipedia, 6 seats", seats: 6, votes: wiki, expected: []string{"A=2", "B=2", "C=1", "D=1"}},
		{name: "wikipedia, 7 seats", seats: 7, votes: wiki, expected: []string{"A=3", "B=2", "C=1", "D=1"}},
		{name: "wikipedia, 8 seats", seats: 8, votes: wiki, expected: []string{"A=3", "B=3", "C=1", "D=1"}},
		{
			name:     "1200:900:400 for 4 seats",
			seats:    4,
			votes:    asVotes("Alpha", 1200, "Beta", 900, "Gamma", 400),
			expected: []string{"Alpha=2", "Beta=1", "Gamma=1"},
		},
		{name: "no parties gives nothing", seats: 1, votes: nil, expected: []string{}},
		{name: "no seats keeps every party at 0", seats: 0, votes: asVotes("B", 200, "A", 100), expected: []string{"A=0", "B=0"}},
		{
			// 3/(2·1+1) = 1 = 1/(2·0+1): equal priority, the party with fewer seats wins.
			name:     "a tie goes to fewer seats first",
			seats:    1,
			votes:    asVotes("A", 3, "B", 1),
			initial:  asTargets("A", 1, "B", 0),
			expected: []string{"A=1", "B=1"},
		},
		{name: "a tie with equal seats goes to the smaller name", seats: 1, votes: asVotes("B", 1, "A", 1), expected: []string{"A=1", "B=0"}},
		{
			name:     "a tie with equal seats goes to the larger name when the uid asks",
			seats:    1,
			votes:    asVotes("A", 1, "B", 1),
			order:    largerNameFirst,
			expected: []string{"A=0", "B=1"},
		},
		{
			name:     "an initial party without votes keeps its seats and gets no more",
			seats:    2,
			votes:    asVotes("New1", 1, "New2", 1),
			initial:  asTargets("Old", 0),
			expected: []string{"New1=1", "New2=1", "Old=0"},
		},
		{
			name:     "initial seats compete with new parties",
			seats:    2,
			votes:    asVotes("Old", 1, "New", 1),
			initial:  asTargets("Old", 1),
			expected: []string{"New=2", "Old=1"},
		},
		{
			name:     "an initial party missing from the votes only keeps what it had",
			seats:    2,
			votes:    asVotes("A", 100),
			initial:  asTargets("B", 3),
			expected: []string{"A=2", "B=3"},
		},
		{
			name:     "a party listed twice takes its last votes",
			seats:    3,
			votes:    asVotes("A", 1, "B", 1, "A", 5),
			expected: []string{"A=2", "B=1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			got := allocateWebsterSeats(tt.seats, tt.votes, tt.initial, tt.order)
			g.Expect(asSeats(got)).To(Equal(tt.expected))
		})
	}
}

func TestDispenseByWeight(t *testing.T) {
	tests := []struct {
		name     string
		replicas int32
		initial  []v1alpha1.TargetCluster
		weights  []party
		uid      types.UID
		expected []v1alpha1.TargetCluster
	}{
		{
			name:     "6 more on 1/2/3 by 1:2:3 doubles each",
			replicas: 6,
			initial:  asTargets("A", 1, "B", 2, "C", 3),
			weights:  asVotes("A", 1, "B", 2, "C", 3),
			expected: asTargets("A", 2, "B", 4, "C", 6),
		},
		{
			name:     "3 more on 1/2/3 by 1:2:3",
			replicas: 3,
			initial:  asTargets("A", 1, "B", 2, "C", 3),
			weights:  asVotes("A", 1, "B", 2, "C", 3),
			expected: asTargets("A", 2, "B", 3, "C", 4),
		},
		{
			name:     "2 more on 1/2/3 by 1:2:3",
			replicas: 2,
			initial:  asTargets("A", 1, "B", 2, "C", 3),
			weights:  asVotes("A", 1, "B", 2, "C", 3),
			expected: asTargets("A", 1, "B", 3, "C", 4),
		},
		{name: "HA 2:1, 1 replica", replicas: 1, weights: asVotes("A", 2, "B", 1), expected: asTargets("A", 1, "B", 0)},
		{name: "HA 2:1, 2 replicas spread", replicas: 2, weights: asVotes("A", 2, "B", 1), expected: asTargets("A", 1, "B", 1)},
		{name: "HA 2:1, 3 replicas", replicas: 3, weights: asVotes("A", 2, "B", 1), expected: asTargets("A", 2, "B", 1)},
		{name: "170:110:60, 5 replicas", replicas: 5, weights: asVotes("A", 170, "B", 110, "C", 60), expected: asTargets("A", 2, "B", 2, "C", 1)},
		{name: "170:110:60, 6 replicas", replicas: 6, weights: asVotes("A", 170, "B", 110, "C", 60), expected: asTargets("A", 3, "B", 2, "C", 1)},
		{name: "1:1, 5 replicas, odd uid favours the larger name", replicas: 5, weights: asVotes("A", 1, "B", 1), uid: asOddUID, expected: asTargets("A", 2, "B", 3)},
		{name: "1:1, 5 replicas, even uid favours the smaller name", replicas: 5, weights: asVotes("A", 1, "B", 1), uid: asEvenUID, expected: asTargets("A", 3, "B", 2)},
		{name: "1:1, 5 replicas, no uid favours the smaller name", replicas: 5, weights: asVotes("A", 1, "B", 1), expected: asTargets("A", 3, "B", 2)},
		{name: "1:1:1, 10 replicas", replicas: 10, weights: asVotes("m1", 5, "m2", 5, "m3", 5), expected: asTargets("m1", 4, "m2", 3, "m3", 3)},
		{name: "1:2:3, 13 replicas", replicas: 13, weights: asVotes("m1", 1, "m2", 2, "m3", 3), expected: asTargets("m1", 2, "m2", 4, "m3", 7)},
		{name: "one cluster takes everything", replicas: 10, weights: asVotes("m1", 5), expected: asTargets("m1", 10)},
		{name: "no weights gives nothing", replicas: 10, weights: nil, expected: nil},
		{name: "a zero weight sum keeps the initial result", replicas: 4, initial: asTargets("A", 1), weights: asVotes("B", 0), expected: asTargets("A", 1)},
		{name: "nothing to give keeps the initial result", replicas: 0, initial: asTargets("B", 1, "A", 2), weights: asVotes("A", 1), expected: asTargets("B", 1, "A", 2)},
		{name: "nothing to give and no initial result lists every weight at 0", replicas: 0, weights: asVotes("B", 1, "A", 1), expected: asTargets("A", 0, "B", 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(dispenseByWeight(tt.replicas, tt.initial, tt.weights, tt.uid)).To(Equal(tt.expected))
		})
	}
}

// asWebsterSeatBySeat is the definition of §2.4.1 / A.1, with nothing clever: every seat
// goes to the party websterBefore ranks first, found by a linear scan.
func asWebsterSeatBySeat(newSeats int32, votes []party, initial []v1alpha1.TargetCluster, order nameOrder) []party {
	byName := map[string]*party{}
	var names []string
	for _, t := range initial {
		if _, ok := byName[t.Name]; !ok {
			names = append(names, t.Name)
		}
		byName[t.Name] = &party{name: t.Name, seats: t.Replicas}
	}
	for _, v := range votes {
		if p, ok := byName[v.name]; ok {
			p.votes = v.votes
			continue
		}
		names = append(names, v.name)
		byName[v.name] = &party{name: v.name, votes: v.votes}
	}
	if len(names) == 0 {
		return nil
	}
	all := make([]*party, len(names))
	for i, n := range names {
		all[i] = byName[n]
	}
	for range newSeats {
		best := all[0]
		for _, p := range all[1:] {
			if websterBefore(p, best, order) {
				best = p
			}
		}
		best.seats++
	}
	slices.Sort(names)
	out := make([]party, len(names))
	for i, n := range names {
		out[i] = *byName[n]
	}
	return out
}

// TestAllocateWebsterSeatsMatchesSeatBySeat proves that the lower-bound shortcut gives the
// seat-by-seat result, ties and large numbers included.
func TestAllocateWebsterSeatsMatchesSeatBySeat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type shape struct {
		parties, maxSeats, rounds int
		maxVotes                  int64
	}
	shapes := []shape{
		{parties: 2, maxSeats: 20, maxVotes: 3, rounds: 200},  // ties everywhere
		{parties: 5, maxSeats: 50, maxVotes: 10, rounds: 200}, // many ties
		{parties: 40, maxSeats: 60, maxVotes: 5, rounds: 100}, // fewer seats than twice the parties
		{parties: 10, maxSeats: 200, maxVotes: 1000, rounds: 100},
		{parties: 50, maxSeats: 3000, maxVotes: 1 << 40, rounds: 100},
		{parties: 3, maxSeats: 10000, maxVotes: 1 << 20, rounds: 20},
		{parties: 8, maxSeats: 5000, maxVotes: 1 << 58, rounds: 50}, // beyond float64 precision
		{parties: 200, maxSeats: 10000, maxVotes: 100, rounds: 20},
		{parties: 300, maxSeats: 10000, maxVotes: 1 << 31, rounds: 20},
	}
	for _, s := range shapes {
		for round := range s.rounds {
			n := 1 + rng.IntN(s.parties)
			votes := make([]party, n)
			for i := range votes {
				v := rng.Int64N(s.maxVotes + 1)
				if rng.IntN(10) == 0 {
					v = 0
				}
				votes[i] = party{name: fmt.Sprintf("c%03d", rng.IntN(1000)), votes: v}
			}
			var initial []v1alpha1.TargetCluster
			if round%5 == 4 {
				// Initial seats take the heap-only path; it must agree too.
				for i := 0; i < n; i += 2 {
					initial = append(initial, v1alpha1.TargetCluster{Name: votes[i].name, Replicas: int32(rng.IntN(5))})
				}
			}
			seats := int32(rng.IntN(s.maxSeats + 1))
			for _, order := range []nameOrder{smallerNameFirst, largerNameFirst} {
				want := asWebsterSeatBySeat(seats, votes, initial, order)
				got := allocateWebsterSeats(seats, slices.Clone(votes), initial, order)
				if !slices.Equal(got, want) {
					t.Fatalf("seats=%d order=%v votes=%v initial=%v:\n got %s\nwant %s", seats, order, votes, initial,
						strings.Join(asSeats(got), " "), strings.Join(asSeats(want), " "))
				}
			}
		}
	}
}

// TestWebsterLowerBoundsNeverExceedTheResult checks the bounds themselves against the
// seat-by-seat result, and that they leave at most n+2 seats to the heap.
func TestWebsterLowerBoundsNeverExceedTheResult(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		n := 1 + rng.IntN(60)
		votes := make([]party, n)
		for i := range votes {
			votes[i] = party{name: fmt.Sprintf("c%02d", i), votes: rng.Int64N(50)}
		}
		seats := int32(rng.IntN(2000))
		lower, ok := websterLowerBounds(seats, slices.Clone(votes))
		if !ok {
			continue
		}
		want := asWebsterSeatBySeat(seats, votes, nil, smallerNameFirst)
		var given int32
		for i := range votes {
			if lower[i] > want[i].seats { // names c00… are already sorted
				t.Fatalf("seats=%d votes=%v: lower bound %d of %s above its %d seats", seats, votes, lower[i], votes[i].name, want[i].seats)
			}
			given += lower[i]
		}
		if left := seats - given; left > int32(n+2) {
			t.Fatalf("seats=%d votes=%v: %d seats left to the heap, more than n+2", seats, votes, left)
		}
	}
}

func BenchmarkWebster(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 5000} {
		votes := asBenchVotes(n)
		b.Run(fmt.Sprintf("clusters=%d/replicas=10000", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				allocateWebsterSeats(10000, votes, nil, smallerNameFirst)
			}
		})
	}
}

// BenchmarkWebsterSeatBySeatHeap is the plain heap allocation (what Karmada does), for
// comparison with BenchmarkWebster.
func BenchmarkWebsterSeatBySeatHeap(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 5000} {
		votes := asBenchVotes(n)
		initial := []v1alpha1.TargetCluster{{Name: votes[0].name, Replicas: 1}} // initial seats disable the shortcut
		b.Run(fmt.Sprintf("clusters=%d/replicas=10000", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				allocateWebsterSeats(10000, votes, initial, smallerNameFirst)
			}
		})
	}
}

// asBenchVotes are n clusters with capacities between 1 and 1000.
func asBenchVotes(n int) []party {
	rng := rand.New(rand.NewPCG(5, 6))
	votes := make([]party, n)
	for i := range votes {
		votes[i] = party{name: fmt.Sprintf("member-%05d", i), votes: 1 + rng.Int64N(1000)}
	}
	return votes
}
