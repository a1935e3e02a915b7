package renderer

import (
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The source commit's time in these tests; every decision is made after it.
var decisionsEpoch = metav1.NewTime(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))

var (
	webConfPath = ManifestPath("", "ConfigMap", "shop", "web-config")
	shopNSPath  = ManifestPath("", "Namespace", "", "shop")
	dividedWeb  = "  propagateDeps: true\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n" +
		"  placement: {replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}}\n"
	duplicatedWeb = "  propagateDeps: true\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n" +
		"  placement: {clusterAffinity: {clusterNames: [a, b, c]}, replicaScheduling: {replicaSchedulingType: Duplicated}}\n"
)

// decisionsFleet is three clusters a, b and c, the Deployment web of 6 replicas using the
// ConfigMap web-config, and a policy propagating web (and, through propagateDeps, its
// ConfigMap).
func decisionsFleet(policy string) map[string]string {
	files := map[string]string{
		"web.yaml":    strings.Replace(deploymentWebWithConfig, "replicas: 3", "replicas: 6", 1),
		"config.yaml": configMapWebConfig,
		"pp.yaml":     pp("web", policy),
	}
	for _, c := range []string{"a", "b", "c"} {
		files["clusters/"+c+".yaml"] = strings.ReplaceAll(clusterMember1, "member1", c)
	}
	return files
}

// decisionsView is a status view with the given decision files and room for the given
// number of pods per cluster.
func decisionsView(t *testing.T, pods map[string]string, decisionFiles map[string]string) *StatusView {
	t.Helper()
	view, err := LoadStatusView(mapFS(decisionFiles))
	if err != nil {
		t.Fatalf("LoadStatusView: %v", err)
	}
	view.Clusters = capacityStatus(pods).Clusters
	return view
}

// renderAt renders files as of the source commit decisionsEpoch.
func renderAt(t *testing.T, files map[string]string, status *StatusView, prev *Previous) *Result {
	t.Helper()
	src, err := LoadSource(mapFS(files), LoadOptions{})
	if err != nil {
		t.Fatalf("LoadSource: %v", err)
	}
	res, err := Render(src, status, prev, Options{Version: "test", Epoch: decisionsEpoch})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return res
}

func evictionsFile(fromCluster, purgeMode, createdAt string) string {
	return `apiVersion: gitfleet.io/v1alpha1
kind: EvictionDecisions
bindings:
- resource: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
  tasks:
  - fromCluster: ` + fromCluster + `
    purgeMode: ` + purgeMode + `
    reason: TaintUntolerated
    producer: TaintManager
    creationTimestamp: "` + createdAt + `"
`
}

func webBinding(t *testing.T, res *Result) *v1alpha1.ResourceBinding {
	t.Helper()
	for _, rb := range res.Bindings {
		if rb.Template == webKey {
			return rb.Binding
		}
	}
	t.Fatal("no binding of web")
	return nil
}

// placement reads a binding's clusters as a map, and their sum.
func placement(b *v1alpha1.ResourceBinding) (map[string]int32, int32) {
	out := map[string]int32{}
	var sum int32
	for _, c := range b.Spec.Clusters {
		out[c.Name] = c.Replicas
		sum += c.Replicas
	}
	return out, sum
}

func clusterFile(res *Result, cluster, path string) (string, bool) {
	data, ok := res.Tree.Get(v1alpha1.ExecutionSpacePrefix + cluster + "/" + path)
	return string(data), ok
}

// Semantics §3.3: a graceful eviction takes the cluster out of the binding, the scheduler
// places its replicas elsewhere, and the old copy — with its dependencies and namespace —
// stays rendered exactly as it was until the hub retires the task.
func TestGracefulEvictionKeepsTheOldCopyUntilTheTaskIsRetired(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	pods := map[string]string{"a": "10", "b": "4", "c": "4"}
	first := renderAt(t, files, decisionsView(t, pods, nil), nil)
	before, _ := placement(webBinding(t, first))
	g.Expect(before).To(Equal(map[string]int32{"a": 6}), "precondition: aggregated onto the roomiest cluster")
	oldWeb, _ := clusterFile(first, "a", webPath)
	oldConf, _ := clusterFile(first, "a", webConfPath)
	g.Expect(oldWeb).NotTo(BeEmpty())
	g.Expect(oldConf).NotTo(BeEmpty(), "precondition: propagateDeps sends the ConfigMap along")

	// An untouched source: the render is caused by the decision alone. The template changes
	// too, so "kept" cannot pass by the old copy happening to equal a fresh one.
	files["web.yaml"] = strings.Replace(files["web.yaml"], "nginx:1.27", "nginx:1.28", 1)
	view := decisionsView(t, pods, map[string]string{v1alpha1.EvictionDecisionsFileName: evictionsFile("a", "Gracefully", "2026-11-27T10:00:00Z")})
	second := renderAt(t, files, view, mustPrevious(t, first.Tree))
	b := webBinding(t, second)
	after, sum := placement(b)
	g.Expect(sum).To(BeEquivalentTo(6))
	g.Expect(after).NotTo(HaveKey("a"), "the evicted cluster gets no new placement")
	g.Expect(b.Spec.GracefulEvictionTasks).To(HaveLen(1))
	g.Expect(b.Spec.GracefulEvictionTasks[0].FromCluster).To(Equal("a"))
	g.Expect(b.Status.LastScheduledTime.Time).To(BeTemporally("==", time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)),
		"the schedule is dated by the decision that caused it, not the older source commit")
	for cluster := range after {
		m, ok := clusterFile(second, cluster, webPath)
		g.Expect(ok).To(BeTrue(), "cluster %s runs its share", cluster)
		g.Expect(m).To(ContainSubstring("nginx:1.28"))
		g.Expect(must(clusterFile(second, cluster, webConfPath))).To(Equal(oldConf))
	}
	g.Expect(must(clusterFile(second, "a", webPath))).To(Equal(oldWeb), "the old copy is kept byte for byte")
	g.Expect(must(clusterFile(second, "a", webConfPath))).To(Equal(oldConf), "and the ConfigMap it uses")
	_, hasNS := clusterFile(second, "a", shopNSPath)
	g.Expect(hasNS).To(BeTrue(), "and its namespace")
	inv, _ := clusterFile(second, "a", v1alpha1.ClusterInventoryFileName)
	g.Expect(inv).To(ContainSubstring(webPath), "the syncer does not prune it")

	// While the task lasts, rendering again changes nothing.
	again := renderAt(t, files, view, mustPrevious(t, second.Tree))
	g.Expect(again.Tree.Equal(second.Tree)).To(BeTrue())

	// The hub retires the task: the old copy leaves, the new placement stays.
	retired := renderAt(t, files, decisionsView(t, pods, nil), mustPrevious(t, again.Tree))
	g.Expect(webBinding(t, retired).Spec.Clusters).To(Equal(b.Spec.Clusters))
	g.Expect(webBinding(t, retired).Spec.GracefulEvictionTasks).To(BeEmpty())
	for _, p := range []string{webPath, webConfPath} {
		_, ok := clusterFile(retired, "a", p)
		g.Expect(ok).To(BeFalse(), "%s leaves cluster a", p)
	}
	for cluster := range after {
		for _, p := range []string{webPath, webConfPath} {
			g.Expect(must(clusterFile(retired, cluster, p))).To(Equal(must(clusterFile(second, cluster, p))))
		}
	}
}

// must drops the found flag of clusterFile, for comparing contents (a missing file reads
// as empty, which no rendered manifest is).
func must(s string, _ bool) string { return s }

// targets is the placement of a binding as a map.
func targets(b *v1alpha1.ResourceBinding) map[string]int32 {
	m, _ := placement(b)
	return m
}

// purgeMode Directly removes the old copy at once.
func TestDirectEvictionRemovesTheOldCopyAtOnce(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	pods := map[string]string{"a": "10", "b": "4", "c": "4"}
	first := renderAt(t, files, decisionsView(t, pods, nil), nil)
	_, onA := clusterFile(first, "a", webPath)
	g.Expect(onA).To(BeTrue())

	view := decisionsView(t, pods, map[string]string{v1alpha1.EvictionDecisionsFileName: evictionsFile("a", "Directly", "2026-11-27T10:00:00Z")})
	second := renderAt(t, files, view, mustPrevious(t, first.Tree))
	after, sum := placement(webBinding(t, second))
	g.Expect(sum).To(BeEquivalentTo(6))
	g.Expect(after).NotTo(HaveKey("a"))
	for _, p := range []string{webPath, webConfPath} {
		_, ok := clusterFile(second, "a", p)
		g.Expect(ok).To(BeFalse(), "%s leaves cluster a at once", p)
	}
	g.Expect(webBinding(t, second).Spec.GracefulEvictionTasks).To(HaveLen(1), "the task is still recorded")
}

// A Duplicated workload is rescheduled whenever it is looked at: the evicted cluster leaves
// its targets, the others keep the full replicas, and the old copy is kept.
func TestGracefulEvictionOfADuplicatedWorkload(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(duplicatedWeb)
	pods := map[string]string{"a": "10", "b": "10", "c": "10"}
	first := renderAt(t, files, decisionsView(t, pods, nil), nil)
	g.Expect(targets(webBinding(t, first))).To(HaveLen(3))
	oldB, _ := clusterFile(first, "b", webPath)
	g.Expect(oldB).NotTo(BeEmpty())

	view := decisionsView(t, pods, map[string]string{v1alpha1.EvictionDecisionsFileName: evictionsFile("b", "Never", "2026-11-27T10:00:00Z")})
	second := renderAt(t, files, view, mustPrevious(t, first.Tree))
	after, _ := placement(webBinding(t, second))
	g.Expect(after).To(Equal(map[string]int32{"a": 6, "c": 6}))
	g.Expect(must(clusterFile(second, "b", webPath))).To(Equal(oldB))
}

// A cluster that never had the template keeps nothing.
func TestEvictionFromAClusterWithoutACopyKeepsNothing(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	pods := map[string]string{"a": "10", "b": "4", "c": "4"}
	view := decisionsView(t, pods, map[string]string{v1alpha1.EvictionDecisionsFileName: evictionsFile("a", "Gracefully", "2026-11-27T10:00:00Z")})
	res := renderAt(t, files, view, nil)
	after, sum := placement(webBinding(t, res))
	g.Expect(sum).To(BeEquivalentTo(6))
	g.Expect(after).NotTo(HaveKey("a"))
	_, ok := clusterFile(res, "a", webPath)
	g.Expect(ok).To(BeFalse())
}

// A binding a Lazy policy holds still follows the hub's decisions: the taint manager writes
// the binding itself, not through the detector.
func TestEvictionReachesABindingHeldByLazyActivation(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb + "  activationPreference: Lazy\n")
	pods := map[string]string{"a": "10", "b": "4", "c": "4"}
	first := renderAt(t, files, decisionsView(t, pods, nil), nil)
	oldA, _ := clusterFile(first, "a", webPath)
	g.Expect(oldA).NotTo(BeEmpty())

	view := decisionsView(t, pods, map[string]string{v1alpha1.EvictionDecisionsFileName: evictionsFile("a", "Gracefully", "2026-11-27T10:00:00Z")})
	second := renderAt(t, files, view, mustPrevious(t, first.Tree))
	b := webBinding(t, second)
	after, sum := placement(b)
	g.Expect(sum).To(BeEquivalentTo(6))
	g.Expect(after).NotTo(HaveKey("a"))
	g.Expect(b.Annotations).To(HaveKey(TemplateDigestAnnotation), "still held by the Lazy policy")
	g.Expect(must(clusterFile(second, "a", webPath))).To(Equal(oldA))
	g.Expect(renderAt(t, files, view, mustPrevious(t, second.Tree)).Tree.Equal(second.Tree)).To(BeTrue())
}

func reductionFile(cluster string, from, to string) string {
	return `apiVersion: gitfleet.io/v1alpha1
kind: DeschedulingDecisions
reductions:
- resource: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
  cluster: ` + cluster + `
  fromReplicas: ` + from + `
  toReplicas: ` + to + `
  unschedulable: 2
  decidedAt: "2026-11-27T11:00:00Z"
`
}

// Semantics §4: a reduction lowers the cluster's replicas and the scheduler's scale-up
// places the difference elsewhere — once: the next render finds the binding no longer
// assigns fromReplicas, and ignores it.
func TestReplicaReductionMovesTheUnschedulableReplicas(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	first := renderAt(t, files, decisionsView(t, map[string]string{"a": "10", "b": "4", "c": "4"}, nil), nil)
	g.Expect(targets(webBinding(t, first))).To(Equal(map[string]int32{"a": 6}))

	// Cluster a turned out to fit only 4: two pods stayed unschedulable.
	pods := map[string]string{"a": "0", "b": "4", "c": "4"}
	view := decisionsView(t, pods, map[string]string{v1alpha1.DeschedulingDecisionsFileName: reductionFile("a", "6", "4")})
	second := renderAt(t, files, view, mustPrevious(t, first.Tree))
	b := webBinding(t, second)
	after, sum := placement(b)
	g.Expect(sum).To(BeEquivalentTo(6))
	g.Expect(after["a"]).To(BeEquivalentTo(4))
	g.Expect(b.Status.LastScheduledTime.Time).To(BeTemporally("==", time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)))
	g.Expect(must(clusterFile(second, "a", webPath))).To(ContainSubstring("\n  replicas: 4\n"))

	again := renderAt(t, files, view, mustPrevious(t, second.Tree))
	g.Expect(again.Tree.Equal(second.Tree)).To(BeTrue(), "an applied reduction is not applied again")
}

// A reduction made against another state of the binding is stale.
func TestReplicaReductionForAnotherBindingStateIsIgnored(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	first := renderAt(t, files, decisionsView(t, map[string]string{"a": "10", "b": "4", "c": "4"}, nil), nil)
	pods := map[string]string{"a": "0", "b": "4", "c": "4"}
	without := renderAt(t, files, decisionsView(t, pods, nil), mustPrevious(t, first.Tree))
	for _, stale := range []string{reductionFile("a", "5", "3"), reductionFile("b", "6", "4")} {
		view := decisionsView(t, pods, map[string]string{v1alpha1.DeschedulingDecisionsFileName: stale})
		with := renderAt(t, files, view, mustPrevious(t, first.Tree))
		g.Expect(with.Tree.Equal(without.Tree)).To(BeTrue(), "ignored: %s", stale)
		g.Expect(targets(webBinding(t, with))).To(Equal(map[string]int32{"a": 6}))
	}
}

const rebalancer = `apiVersion: apps.karmada.io/v1alpha1
kind: WorkloadRebalancer
metadata: {name: rebalance-web}
spec:
  workloads: [{apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}]
`

const rebalanceDecision = `apiVersion: gitfleet.io/v1alpha1
kind: RebalanceDecisions
rebalancers:
- name: rebalance-web
  specDigest: sha256:0
  triggeredAt: "2026-11-27T12:00:00Z"
`

// Semantics §1.7: a WorkloadRebalancer reschedules its workloads from scratch, once.
func TestWorkloadRebalancerReschedulesOnce(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	first := renderAt(t, files, decisionsView(t, map[string]string{"a": "10", "b": "4", "c": "4"}, nil), nil)
	g.Expect(targets(webBinding(t, first))).To(Equal(map[string]int32{"a": 6}))

	// b now has the most room: a steady schedule stays on a, a fresh one moves.
	pods := map[string]string{"a": "4", "b": "20", "c": "4"}
	files["rebalancer.yaml"] = rebalancer
	undecided := renderAt(t, files, decisionsView(t, pods, nil), mustPrevious(t, first.Tree))
	g.Expect(undecided.Tree.Equal(first.Tree)).To(BeTrue(), "a rebalancer the hub has not seen does nothing")

	view := decisionsView(t, pods, map[string]string{v1alpha1.RebalanceDecisionsFileName: rebalanceDecision})
	second := renderAt(t, files, view, mustPrevious(t, first.Tree))
	b := webBinding(t, second)
	triggered := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	g.Expect(b.Spec.RescheduleTriggeredAt.Time).To(BeTemporally("==", triggered))
	g.Expect(targets(b)).To(Equal(map[string]int32{"b": 6}))
	g.Expect(b.Status.LastScheduledTime.Time).NotTo(BeTemporally("<", triggered))

	again := renderAt(t, files, view, mustPrevious(t, second.Tree))
	g.Expect(again.Tree.Equal(second.Tree)).To(BeTrue(), "the same inputs render the same tree")
	// Even where a fresh schedule would now choose otherwise, the rebalance is done.
	moved := renderAt(t, files, decisionsView(t, map[string]string{"a": "4", "b": "20", "c": "40"},
		map[string]string{v1alpha1.RebalanceDecisionsFileName: rebalanceDecision}), mustPrevious(t, second.Tree))
	g.Expect(targets(webBinding(t, moved))).To(Equal(map[string]int32{"b": 6}))
}

// A broken decisions file fails the load and names the file.
func TestBrokenDecisionsFileIsReported(t *testing.T) {
	for _, name := range []string{v1alpha1.EvictionDecisionsFileName, v1alpha1.DeschedulingDecisionsFileName,
		v1alpha1.RebalanceDecisionsFileName} {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := LoadStatusView(mapFS(map[string]string{name: "bindings: {not: a list}\nreductions: 3\nrebalancers: x\n"}))
			g.Expect(err).To(MatchError(ContainSubstring("status " + name + ": ")))
		})
	}
	g := NewWithT(t)
	_, err := LoadStatusView(mapFS(map[string]string{v1alpha1.EvictionDecisionsFileName: evictionsFile("", "Gracefully", "2026-11-27T10:00:00Z")}))
	g.Expect(err).To(MatchError(ContainSubstring(v1alpha1.EvictionDecisionsFileName)))
	_, err = LoadStatusView(mapFS(map[string]string{v1alpha1.DeschedulingDecisionsFileName: reductionFile("a", "4", "6")}))
	g.Expect(err).To(MatchError(ContainSubstring(v1alpha1.DeschedulingDecisionsFileName)))
}

// Decisions are keyed like the templates they name, and read as written.
func TestLoadStatusViewReadsDecisions(t *testing.T) {
	g := NewWithT(t)
	view, err := LoadStatusView(mapFS(map[string]string{
		v1alpha1.EvictionDecisionsFileName:     evictionsFile("a", "Gracefully", "2026-11-27T10:00:00Z"),
		v1alpha1.DeschedulingDecisionsFileName: reductionFile("b", "6", "4"),
		v1alpha1.RebalanceDecisionsFileName:    rebalanceDecision,
	}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(view.Evictions).To(HaveKey(webKey))
	g.Expect(view.Evictions[webKey][0].PurgeMode).To(Equal(v1alpha1.PurgeModeGracefully))
	g.Expect(view.Reductions[webKey]).To(HaveLen(1))
	g.Expect(view.Reductions[webKey][0].ToReplicas).To(BeEquivalentTo(4))
	g.Expect(view.Rebalances).To(HaveKey("rebalance-web"))

	empty, err := LoadStatusView(mapFS(map[string]string{}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(empty.Evictions).To(BeEmpty())
}

// The same inputs, decisions included, give byte-identical trees.
func TestRenderWithDecisionsIsDeterministic(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	pods := map[string]string{"a": "10", "b": "4", "c": "4"}
	first := renderAt(t, files, decisionsView(t, pods, nil), nil)
	files["rebalancer.yaml"] = rebalancer
	decisions := map[string]string{
		v1alpha1.EvictionDecisionsFileName:     evictionsFile("a", "Gracefully", "2026-11-27T10:00:00Z"),
		v1alpha1.DeschedulingDecisionsFileName: reductionFile("b", "3", "1"),
		v1alpha1.RebalanceDecisionsFileName:    rebalanceDecision,
	}
	one := renderAt(t, files, decisionsView(t, pods, decisions), mustPrevious(t, first.Tree))
	for range 3 {
		other := renderAt(t, files, decisionsView(t, pods, decisions), mustPrevious(t, first.Tree))
		g.Expect(other.Tree.Paths()).To(Equal(one.Tree.Paths()))
		g.Expect(other.Tree.Equal(one.Tree)).To(BeTrue())
	}
	g.Expect(slices.Contains(one.Tree.Paths(), v1alpha1.ExecutionSpacePrefix+"a/"+webPath)).To(BeTrue())
}

// A rebalance whose fresh schedule lands where the workload already is counts as done too:
// otherwise the next render, with capacity that moved, would reschedule from scratch again.
func TestWorkloadRebalancerThatChangesNothingIsDone(t *testing.T) {
	g := NewWithT(t)
	files := decisionsFleet(dividedWeb)
	files["rebalancer.yaml"] = rebalancer
	pods := map[string]string{"a": "10", "b": "4", "c": "4"}
	first := renderAt(t, files, decisionsView(t, pods, nil), nil)
	decisions := map[string]string{v1alpha1.RebalanceDecisionsFileName: rebalanceDecision}
	second := renderAt(t, files, decisionsView(t, pods, decisions), mustPrevious(t, first.Tree))
	b := webBinding(t, second)
	g.Expect(targets(b)).To(Equal(map[string]int32{"a": 6}))
	g.Expect(b.Status.LastScheduledTime.Time).NotTo(BeTemporally("<", time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)))

	third := renderAt(t, files, decisionsView(t, map[string]string{"a": "10", "b": "40", "c": "4"}, decisions), mustPrevious(t, second.Tree))
	g.Expect(targets(webBinding(t, third))).To(Equal(map[string]int32{"a": 6}))
}
