package eviction_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/eviction"
)

// The same input gives the same decisions, in order, whatever order the maps are walked in.
func TestDecideDeterministic(t *testing.T) {
	g := NewWithT(t)
	var bs []*v1alpha1.ResourceBinding
	for _, name := range []string{"web", "api", "db", "cache", "queue"} {
		b := deployment(name, "c", "a", "b")
		bs = append(bs, b)
	}
	ns := deployment("zeta", "a")
	ns.Spec.Resource.Namespace = "apps"
	bs = append(bs, ns)
	in := eviction.Input{
		Now:      at(time.Minute),
		Failover: failover(true, true),
		Clusters: []*v1alpha1.Cluster{cluster("c", noExecute("x", 0)), cluster("a", noExecute("x", 0)), cluster("b")},
		Bindings: bindings(bs...),
		Previous: previous(bs[0], task("b", 0), task("c", 0)),
	}
	first := eviction.Decide(in)
	g.Expect(fromClusters(first)).To(Equal([]string{
		"apps/zeta<-a",
		"default/api<-a", "default/api<-c",
		"default/cache<-a", "default/cache<-c",
		"default/db<-a", "default/db<-c",
		"default/queue<-a", "default/queue<-c",
		"default/web<-a", "default/web<-b", "default/web<-c",
	}))
	g.Expect(first.Changes).To(HaveLen(10), "web keeps its task from c")
	g.Expect(first.Changes[0]).To(HavePrefix("apps/v1 Deployment apps/zeta from a: created"))
	for range 20 {
		g.Expect(eviction.Decide(in)).To(Equal(first))
	}
}
