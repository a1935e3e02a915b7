package controller_test

import (
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/credentials"
)

func (f *fixture) ready(cluster string) *metav1.Condition {
	f.t.Helper()
	var c v1alpha1.Cluster
	f.statusFile("clusters/"+cluster+".yaml", &c)
	return apimeta.FindStatusCondition(c.Status.Conditions, v1alpha1.ClusterConditionReady)
}

func (f *fixture) heartbeat(cluster string) time.Time {
	f.t.Helper()
	var st v1alpha1.ClusterSyncStatus
	f.statusFile("clusters/"+cluster+"/sync.yaml", &st)
	if st.HeartbeatTime == nil {
		f.t.Fatalf("%s: no heartbeat", cluster)
	}
	return st.HeartbeatTime.Time
}

// A member whose API server stops keeps its last status for the monitor grace period and
// turns Ready=Unknown after it, while the other member keeps syncing; it comes back Ready
// and catches up once its API server is back. Heartbeats are refreshed once per interval.
func TestControllerClusterLostAndBack(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t)
	clock := clocktesting.NewFakeClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	f.ctrl = controller.New(controller.Options{Repo: f.repo, Credentials: credentials.Resolver{Dir: f.fleet.Dir}, Now: clock.Now})

	first := f.cycle()
	g.Expect(first.Syncs["member1"].Err).NotTo(HaveOccurred())
	g.Expect(f.ready("member1").Status).To(Equal(metav1.ConditionTrue))
	g.Expect(f.heartbeat("member1")).To(BeTemporally("==", clock.Now()))

	t.Run("heartbeats are coarse", func(t *testing.T) {
		g := NewWithT(t)
		clock.Step(4 * time.Minute)
		g.Expect(f.cycle().Status.Changed).To(BeFalse(), "within the 5m heartbeat interval nothing is committed")
		clock.Step(time.Minute)
		res := f.cycle()
		g.Expect(res.Status.Changed).To(BeTrue(), "a heartbeat is due")
		g.Expect(f.heartbeat("member1")).To(BeTemporally("==", clock.Now()))
		g.Expect(f.cycle().Status.Changed).To(BeFalse())
	})

	member1 := f.fleet.Cluster("member1")
	g.Expect(member1.StopAPIServer()).To(Succeed())
	lost := clock.Now()
	beat := f.heartbeat("member1")

	t.Run("within the grace period the last status stays", func(t *testing.T) {
		g := NewWithT(t)
		f.files["shop/more.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: more, namespace: shop}\ndata: {k: v}\n")}
		f.push("Add a ConfigMap while member1 is down")
		clock.Step(39 * time.Second)
		res := f.cycle()
		g.Expect(res.Syncs["member1"].Err).To(HaveOccurred())
		g.Expect(res.Syncs["member2"].Err).NotTo(HaveOccurred(), "a failing cluster does not block the others")
		g.Expect(f.configMapExists("member2", "more")).To(BeTrue())
		g.Expect(f.ready("member1").Status).To(Equal(metav1.ConditionTrue))
		g.Expect(f.heartbeat("member1")).To(BeTemporally("==", beat), "no heartbeat from a cluster the hub cannot reach")
	})

	t.Run("after it the cluster is Ready=Unknown", func(t *testing.T) {
		g := NewWithT(t)
		clock.Step(time.Second) // 40s since the hub last reached member1
		res := f.cycle()
		g.Expect(res.Status.Changed).To(BeTrue())
		ready := f.ready("member1")
		g.Expect(ready.Status).To(Equal(metav1.ConditionUnknown))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ClusterReasonStatusUnknown))
		g.Expect(ready.LastTransitionTime.Time).To(BeTemporally("==", lost.Add(40*time.Second)))
		g.Expect(f.ready("member2").Status).To(Equal(metav1.ConditionTrue))
		var c v1alpha1.Cluster
		f.statusFile("clusters/member1.yaml", &c)
		g.Expect(c.Status.APIEnablements).NotTo(BeEmpty(), "the rest of the last status is kept")
		var decisions v1alpha1.TaintDecisions
		f.statusFile(v1alpha1.TaintDecisionsFileName, &decisions)
		g.Expect(decisions.Clusters).To(HaveLen(1))
		g.Expect(decisions.Clusters[0].Cluster).To(Equal("member1"))
		g.Expect(decisions.Clusters[0].Taints).To(HaveLen(1))
		taint := decisions.Clusters[0].Taints[0]
		g.Expect(taint.Key).To(Equal("cluster.karmada.io/unreachable"))
		g.Expect(string(taint.Effect)).To(Equal("NoSchedule"))
		g.Expect(taint.TimeAdded.Time).To(BeTemporally("==", lost.Add(40*time.Second)))
		g.Expect(taint.Reason).To(Equal(v1alpha1.TaintReasonReadyUnknown))
		clock.Step(10 * time.Second)
		g.Expect(f.cycle().Status.Changed).To(BeFalse(), "still Unknown: nothing new to say")
	})

	t.Run("back, Ready and synced", func(t *testing.T) {
		g := NewWithT(t)
		g.Expect(member1.StartAPIServer()).To(Succeed())
		clock.Step(5 * time.Second)
		res := f.cycle()
		g.Expect(res.Syncs["member1"].Err).NotTo(HaveOccurred())
		g.Expect(f.configMapExists("member1", "more")).To(BeTrue())
		g.Expect(f.ready("member1").Status).To(Equal(metav1.ConditionTrue))
		g.Expect(f.heartbeat("member1")).To(BeTemporally("==", clock.Now()))
		var decisions v1alpha1.TaintDecisions
		f.statusFile(v1alpha1.TaintDecisionsFileName, &decisions)
		g.Expect(decisions.Clusters).To(BeEmpty(), "Ready again: the unreachable taint is gone")
	})
}

// A cluster the hub never reached gets the startup grace period, counted from when this hub
// first saw it, and is then Ready=Unknown, never updated.
func TestControllerClusterNeverReached(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t)
	clock := clocktesting.NewFakeClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	g.Expect(f.fleet.Cluster("member2").StopAPIServer()).To(Succeed())
	f.ctrl = controller.New(controller.Options{Repo: f.repo, Credentials: credentials.Resolver{Dir: f.fleet.Dir}, Now: clock.Now})
	f.cycle()
	clock.Step(59 * time.Second)
	f.cycle()
	var st v1alpha1.ClusterSyncStatus
	f.statusFile("clusters/member2/sync.yaml", &st)
	g.Expect(st.Error).NotTo(BeEmpty())
	g.Expect(f.ready("member1").Status).To(Equal(metav1.ConditionTrue))
	snap, err := f.repo.BranchSnapshot("gitfleet/status")
	g.Expect(err).NotTo(HaveOccurred())
	_, err = fs.Stat(snap.FS, "clusters/member2.yaml")
	g.Expect(err).To(MatchError(fs.ErrNotExist), "within the startup grace period nothing is said of member2's health")
	clock.Step(time.Second)
	f.cycle()
	ready := f.ready("member2")
	g.Expect(ready.Status).To(Equal(metav1.ConditionUnknown))
	g.Expect(ready.Reason).To(Equal(v1alpha1.ClusterReasonStatusNeverUpdated))
}
