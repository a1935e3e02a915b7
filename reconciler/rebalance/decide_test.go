package rebalance_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/rebalance"
	"github.com/gitfleet/gitfleet/renderer"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func deploy(name string) v1alpha1.WorkloadReference {
	return v1alpha1.WorkloadReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: name}
}

func rebalancer(name string, ws ...v1alpha1.WorkloadReference) *v1alpha1.WorkloadRebalancer {
	w := &v1alpha1.WorkloadRebalancer{Spec: v1alpha1.WorkloadRebalancerSpec{Workloads: ws}}
	w.Name = name
	return w
}

// rendered are bindings of the named Deployments, each stamped with the reschedule time
// given after t0 (nil: never).
func rendered(stamps map[string]*time.Duration) map[renderer.ObjectKey]*v1alpha1.ResourceBinding {
	out := map[renderer.ObjectKey]*v1alpha1.ResourceBinding{}
	for name, at := range stamps {
		b := &v1alpha1.ResourceBinding{}
		b.Spec.Resource = v1alpha1.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "default", Name: name}
		if at != nil {
			t := metav1.NewTime(t0.Add(*at))
			b.Spec.RescheduleTriggeredAt = &t
		}
		out[renderer.ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "default", Name: name}] = b
	}
	return out
}

func after(d time.Duration) *time.Duration { return &d }

// results lists a decision's observed workloads as "name=Result(Reason)".
func results(d v1alpha1.RebalanceDecision) []string {
	out := []string{}
	for _, o := range d.Status.ObservedWorkloads {
		s := o.Workload.Name + "=" + string(o.Result)
		if o.Reason != "" {
			s += "(" + string(o.Reason) + ")"
		}
		out = append(out, s)
	}
	return out
}

// A rebalancer seen first is triggered now; its workloads' results then follow the
// rendered bindings, and it finishes when each has one.
func TestTriggerAndFinish(t *testing.T) {
	g := NewWithT(t)
	w := rebalancer("move-web", deploy("web"), deploy("api"), deploy("gone"))

	res := rebalance.Decide(rebalance.Input{Now: t0, Rebalancers: []*v1alpha1.WorkloadRebalancer{w},
		Bindings: rendered(map[string]*time.Duration{"web": nil, "api": nil})})
	g.Expect(res.Decisions.APIVersion).To(Equal("gitfleet.io/v1alpha1"))
	g.Expect(res.Decisions.Kind).To(Equal("RebalanceDecisions"))
	g.Expect(res.Decisions.Rebalancers).To(HaveLen(1))
	d := res.Decisions.Rebalancers[0]
	g.Expect(d.Name).To(Equal("move-web"))
	g.Expect(d.SpecDigest).To(Equal(rebalance.SpecDigest(w)))
	g.Expect(d.TriggeredAt.Time).To(Equal(t0))
	g.Expect(results(d)).To(Equal([]string{"api=", "gone=Failed(ReferencedBindingNotFound)", "web="}), "sorted; only the missing binding has a result")
	g.Expect(d.Status.FinishTime).To(BeNil())
	g.Expect(res.Changes).To(Equal([]string{
		"WorkloadRebalancer move-web: apps/v1/Deployment/default/gone Failed (ReferencedBindingNotFound)",
		"trigger WorkloadRebalancer move-web at 2026-11-27T10:00:00Z",
	}))

	// The render stamped web with the trigger; api still carries an older request.
	res = rebalance.Decide(rebalance.Input{Now: t0.Add(time.Minute), Rebalancers: []*v1alpha1.WorkloadRebalancer{w}, Previous: res.Decisions,
		Bindings: rendered(map[string]*time.Duration{"web": after(0), "api": after(-time.Hour)})})
	d = res.Decisions.Rebalancers[0]
	g.Expect(d.TriggeredAt.Time).To(Equal(t0), "the trigger is kept")
	g.Expect(results(d)).To(Equal([]string{"api=", "gone=Failed(ReferencedBindingNotFound)", "web=Successful"}))
	g.Expect(d.Status.FinishTime).To(BeNil())
	g.Expect(res.Changes).To(Equal([]string{"WorkloadRebalancer move-web: apps/v1/Deployment/default/web Successful"}))

	// A later stamp (another rebalancer's) also carries out this one.
	res = rebalance.Decide(rebalance.Input{Now: t0.Add(2 * time.Minute), Rebalancers: []*v1alpha1.WorkloadRebalancer{w}, Previous: res.Decisions,
		Bindings: rendered(map[string]*time.Duration{"web": after(0), "api": after(time.Minute)})})
	d = res.Decisions.Rebalancers[0]
	g.Expect(results(d)).To(Equal([]string{"api=Successful", "gone=Failed(ReferencedBindingNotFound)", "web=Successful"}))
	g.Expect(d.Status.FinishTime).NotTo(BeNil())
	g.Expect(d.Status.FinishTime.Time).To(Equal(t0.Add(2 * time.Minute)))
	g.Expect(res.Changes).To(Equal([]string{
		"WorkloadRebalancer move-web finished",
		"WorkloadRebalancer move-web: apps/v1/Deployment/default/api Successful",
	}))

	// A finished rebalancer is left alone, whatever the bindings become.
	finished := res.Decisions
	res = rebalance.Decide(rebalance.Input{Now: t0.Add(time.Hour), Rebalancers: []*v1alpha1.WorkloadRebalancer{w}, Previous: finished,
		Bindings: rendered(map[string]*time.Duration{"gone": nil})})
	g.Expect(res.Decisions).To(Equal(finished))
	g.Expect(res.Changes).To(BeEmpty())
}

// Before it finishes, a Successful workload stays Successful, while a missing binding's
// failure follows the render: a binding that appears can still be rescheduled.
func TestResultsBeforeFinish(t *testing.T) {
	g := NewWithT(t)
	w := rebalancer("r", deploy("web"), deploy("api"), deploy("late"))
	res := rebalance.Decide(rebalance.Input{Now: t0, Rebalancers: []*v1alpha1.WorkloadRebalancer{w},
		Bindings: rendered(map[string]*time.Duration{"web": after(0), "api": nil})})
	g.Expect(results(res.Decisions.Rebalancers[0])).To(Equal([]string{"api=", "late=Failed(ReferencedBindingNotFound)", "web=Successful"}))

	res = rebalance.Decide(rebalance.Input{Now: t0.Add(time.Minute), Rebalancers: []*v1alpha1.WorkloadRebalancer{w}, Previous: res.Decisions,
		Bindings: rendered(map[string]*time.Duration{"api": nil, "late": nil})})
	g.Expect(results(res.Decisions.Rebalancers[0])).To(Equal([]string{"api=", "late=", "web=Successful"}))
	g.Expect(res.Decisions.Rebalancers[0].Status.FinishTime).To(BeNil())
	g.Expect(res.Changes).To(Equal([]string{"WorkloadRebalancer r: apps/v1/Deployment/default/late in progress"}))
}

// A changed set of workloads triggers again, from an empty status; reordering or repeating
// workloads, or changing the TTL, does not.
func TestSpecChange(t *testing.T) {
	g := NewWithT(t)
	w := rebalancer("r", deploy("web"))
	bindings := rendered(map[string]*time.Duration{"web": after(0), "api": after(0)})
	res := rebalance.Decide(rebalance.Input{Now: t0, Rebalancers: []*v1alpha1.WorkloadRebalancer{w}, Bindings: bindings})
	g.Expect(res.Decisions.Rebalancers[0].Status.FinishTime).NotTo(BeNil())

	ttl := int32(60)
	same := rebalancer("r", deploy("web"), deploy("web"))
	same.Spec.TTLSecondsAfterFinished = &ttl
	g.Expect(rebalance.SpecDigest(same)).To(Equal(rebalance.SpecDigest(w)))
	g.Expect(rebalance.SpecDigest(rebalancer("x", deploy("a"), deploy("b")))).To(Equal(rebalance.SpecDigest(rebalancer("y", deploy("b"), deploy("a")))))
	again := rebalance.Decide(rebalance.Input{Now: t0.Add(time.Minute), Rebalancers: []*v1alpha1.WorkloadRebalancer{same}, Bindings: bindings, Previous: res.Decisions})
	g.Expect(again.Decisions).To(Equal(res.Decisions))
	g.Expect(again.Changes).To(BeEmpty())

	changed := rebalancer("r", deploy("web"), deploy("api"))
	g.Expect(rebalance.SpecDigest(changed)).NotTo(Equal(rebalance.SpecDigest(w)))
	res = rebalance.Decide(rebalance.Input{Now: t0.Add(time.Minute), Rebalancers: []*v1alpha1.WorkloadRebalancer{changed}, Bindings: bindings, Previous: res.Decisions})
	d := res.Decisions.Rebalancers[0]
	g.Expect(d.SpecDigest).To(Equal(rebalance.SpecDigest(changed)))
	g.Expect(d.TriggeredAt.Time).To(Equal(t0.Add(time.Minute)))
	g.Expect(results(d)).To(Equal([]string{"api=", "web="}), "the bindings' stamps are older than the new trigger")
	g.Expect(d.Status.FinishTime).To(BeNil())
	g.Expect(res.Changes).To(Equal([]string{"trigger WorkloadRebalancer r again at 2026-11-27T10:01:00Z: its workloads changed"}))
}

// A rebalancer removed from the source loses its decision; the rest stay, sorted by name.
func TestDropAndSort(t *testing.T) {
	g := NewWithT(t)
	bindings := rendered(map[string]*time.Duration{"web": nil})
	res := rebalance.Decide(rebalance.Input{Now: t0, Bindings: bindings,
		Rebalancers: []*v1alpha1.WorkloadRebalancer{rebalancer("c", deploy("web")), rebalancer("a", deploy("web")), rebalancer("b", deploy("web"))}})
	names := func(d *v1alpha1.RebalanceDecisions) []string {
		out := []string{}
		for _, r := range d.Rebalancers {
			out = append(out, r.Name)
		}
		return out
	}
	g.Expect(names(res.Decisions)).To(Equal([]string{"a", "b", "c"}))

	res = rebalance.Decide(rebalance.Input{Now: t0.Add(time.Minute), Bindings: bindings, Previous: res.Decisions,
		Rebalancers: []*v1alpha1.WorkloadRebalancer{rebalancer("c", deploy("web")), rebalancer("a", deploy("web"))}})
	g.Expect(names(res.Decisions)).To(Equal([]string{"a", "c"}))
	g.Expect(res.Changes).To(Equal([]string{"forget WorkloadRebalancer b: it is no longer in the source"}))

	res = rebalance.Decide(rebalance.Input{Now: t0.Add(2 * time.Minute), Bindings: bindings, Previous: res.Decisions})
	g.Expect(res.Decisions.Rebalancers).NotTo(BeNil())
	g.Expect(res.Decisions.Rebalancers).To(BeEmpty())
	g.Expect(res.Changes).To(HaveLen(2))
}

// Times are recorded in UTC whole seconds, as they read back from YAML, so a workload
// stamped with the trigger read back from the file compares equal to it.
func TestTimesAreUTCSeconds(t *testing.T) {
	g := NewWithT(t)
	now := t0.Add(1500 * time.Millisecond).In(time.FixedZone("CET", 3600))
	res := rebalance.Decide(rebalance.Input{Now: now, Rebalancers: []*v1alpha1.WorkloadRebalancer{rebalancer("r", deploy("web"))},
		Bindings: rendered(map[string]*time.Duration{"web": nil})})
	at := res.Decisions.Rebalancers[0].TriggeredAt.Time
	g.Expect(at.Location()).To(Equal(time.UTC))
	g.Expect(at).To(Equal(t0.Add(time.Second)))

	res = rebalance.Decide(rebalance.Input{Now: now.Add(time.Minute), Rebalancers: []*v1alpha1.WorkloadRebalancer{rebalancer("r", deploy("web"))},
		Bindings: rendered(map[string]*time.Duration{"web": after(time.Second)}), Previous: res.Decisions})
	g.Expect(results(res.Decisions.Rebalancers[0])).To(Equal([]string{"web=Successful"}))
	g.Expect(res.Decisions.Rebalancers[0].Status.FinishTime.Time).To(Equal(t0.Add(61 * time.Second)))
}
