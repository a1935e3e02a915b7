package eviction_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/eviction"
)

// At 0.5 evictions a second, a full bucket allows one at once, then one every two seconds;
// a quiet spell saves up no more than the burst.
func TestPacer(t *testing.T) {
	g := NewWithT(t)
	p := &eviction.Pacer{Rate: 0.5, Burst: 1}
	g.Expect(*p.Budget(at(0))).To(Equal(1))
	p.Spend(at(0), 1)
	g.Expect(*p.Budget(at(0))).To(Equal(0))
	g.Expect(p.Next(at(0))).To(Equal(at(2 * time.Second)))
	g.Expect(*p.Budget(at(1999 * time.Millisecond))).To(Equal(0))
	g.Expect(*p.Budget(at(2 * time.Second))).To(Equal(1))
	g.Expect(*p.Budget(at(time.Hour))).To(Equal(1), "no more than the burst saved up")
	p.Spend(at(time.Hour), 1)
	g.Expect(p.Next(at(time.Hour + time.Second))).To(Equal(at(time.Hour + 2*time.Second)))

	fast := &eviction.Pacer{Rate: 10, Burst: 10}
	g.Expect(*fast.Budget(at(0))).To(Equal(10))
	fast.Spend(at(0), 10)
	g.Expect(*fast.Budget(at(300 * time.Millisecond))).To(Equal(3))

	off := &eviction.Pacer{}
	g.Expect(off.Budget(at(0))).To(BeNil(), "no rate: no limit")
	g.Expect(off.Next(at(0))).To(Equal(at(0)))
}

// With a budget, the taint manager evicts that many, in binding order, and counts the rest
// as deferred; a later decision with budget again makes them.
func TestTaintManagerBudget(t *testing.T) {
	g := NewWithT(t)
	in := eviction.Input{
		Failover: failover(true, true),
		Clusters: []*v1alpha1.Cluster{cluster("a", noExecute("maintenance", 0)), cluster("b")},
		Bindings: bindings(deployment("api", "a"), deployment("db", "a"), deployment("web", "a", "b")),
	}
	one := 1
	in.Now, in.TaintEvictionBudget = at(time.Second), &one
	first := eviction.Decide(in)
	g.Expect(fromClusters(first)).To(Equal([]string{"default/api<-a"}))
	g.Expect(first.TaintEvictions).To(Equal(1))
	g.Expect(first.DeferredEvictions).To(Equal(2))

	in.Now, in.Previous = at(3*time.Second), first.Decisions
	second := eviction.Decide(in)
	g.Expect(fromClusters(second)).To(Equal([]string{"default/api<-a", "default/db<-a"}))
	g.Expect(second.DeferredEvictions).To(Equal(1))

	zero := 0
	in.Now, in.Previous, in.TaintEvictionBudget = at(4*time.Second), second.Decisions, &zero
	third := eviction.Decide(in)
	g.Expect(fromClusters(third)).To(Equal(fromClusters(second)), "no budget: nothing new")
	g.Expect(third.DeferredEvictions).To(Equal(1))

	in.TaintEvictionBudget = nil
	g.Expect(fromClusters(eviction.Decide(in))).To(ConsistOf("default/api<-a", "default/db<-a", "default/web<-a"), "no limit")
}
