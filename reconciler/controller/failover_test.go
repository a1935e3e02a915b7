package controller_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/credentials"
	"github.com/gitfleet/gitfleet/reconciler/devcluster"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
	"github.com/gitfleet/gitfleet/reconciler/membership"
	"github.com/gitfleet/gitfleet/renderer"
)

// The failover suite's settings: Karmada's, with every period shortened so the suite runs
// in minutes. The graceful-eviction timeout stays long, so that an eviction retires because
// the new copies are healthy, not because time ran out.
const failoverFleetConfig = `apiVersion: gitfleet.io/v1alpha1
kind: FleetConfig
metadata: {name: fleet}
spec:
  failover:
    enabled: true
    noExecuteTaintEviction: true
    noExecuteTaintEvictionPurgeMode: Gracefully
    gracefulEvictionTimeout: 10m
    allowNoExecuteTaintPolicy: true
  health:
    clusterMonitorGracePeriod: 6s
    clusterStartupGracePeriod: 20s
  descheduler:
    enabled: true
    deschedulingInterval: 2s
    unschedulableThreshold: 3s
`

// The example fleet's policy: a production cluster that is not Ready is tainted NoExecute.
const notReadyTaintPolicy = `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterTaintPolicy
metadata: {name: prod-not-ready}
spec:
  targetClusters:
    labelSelector:
      matchLabels: {env: prod}
  addOnConditions:
  - {conditionType: Ready, operator: In, statusValues: ["False", Unknown]}
  removeOnConditions:
  - {conditionType: Ready, operator: In, statusValues: ["True"]}
  taints:
  - {key: cluster.karmada.io/not-ready, effect: NoExecute}
`

// Every cluster gets the shop namespace and a ConfigMap, so each has a directory in the
// render whatever its workloads.
const failoverCommon = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {color: blue}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: settings, namespace: shop}
spec:
  resourceSelectors:
  - {apiVersion: v1, kind: ConfigMap, name: settings}
  placement:
    clusterAffinity: {clusterNames: [a, b, c]}
`

// aggregatedDeployment is a Deployment and its policy: dynamically divided, Aggregated, so
// its replicas go to the fewest clusters with room.
func aggregatedDeployment(name string, replicas int, cpu string) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: %[1]s, namespace: shop}
spec:
  replicas: %[2]d
  selector: {matchLabels: {app: %[1]s}}
  template:
    metadata: {labels: {app: %[1]s}}
    spec:
      containers:
      - name: app
        image: registry.example/%[1]s:1
        resources: {requests: {cpu: %[3]s, memory: 64Mi}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: %[1]s, namespace: shop}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: %[1]s}
  placement:
    clusterAffinity: {clusterNames: [a, b, c]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Aggregated
`, name, replicas, cpu)
}

// failoverFleet is three workload clusters (controller manager, scheduler, kwok nodes: pods
// really become Ready), a fleet repository over HTTP and a hub running its loop.
type failoverFleet struct {
	t      *testing.T
	fleet  *devcluster.Fleet
	server *gitstoretest.Server
	files  fstest.MapFS
	when   time.Time
	// watch is the test's own clone, to read what the hub committed.
	watch *gitstore.Repository
}

func startFailoverFleet(t *testing.T) *failoverFleet {
	t.Helper()
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: []string{"a", "b", "c"}, Workloads: true, Nodes: -1})
	ctx := context.Background()
	// a is the largest, so Aggregated places there first.
	for name, cpu := range map[string]string{"a": "8", "b": "4", "c": "4"} {
		capacity := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse("16Gi")}
		if _, err := fleet.Cluster(name).AddFakeNodes(ctx, 1, capacity); err != nil {
			t.Fatal(err)
		}
	}
	f := &failoverFleet{t: t, fleet: fleet, server: gitstoretest.NewServer(t), when: time.Now().Add(-time.Hour).UTC().Truncate(time.Second)}
	f.files = fstest.MapFS{
		"gitfleet.yaml":           {Data: []byte(failoverFleetConfig)},
		"fleet/taint-policy.yaml": {Data: []byte(notReadyTaintPolicy)},
		"shop/common.yaml":        {Data: []byte(failoverCommon)},
		"clusters/a.yaml":         {Data: []byte(prodClusterYAML("a", fleet.Cluster("a").Config.Host))},
		"clusters/b.yaml":         {Data: []byte(prodClusterYAML("b", fleet.Cluster("b").Config.Host))},
		"clusters/c.yaml":         {Data: []byte(prodClusterYAML("c", fleet.Cluster("c").Config.Host))},
	}
	f.push("Fleet of three")

	hubRepo := f.open()
	ctrl := controller.New(controller.Options{Repo: hubRepo, Credentials: credentials.Resolver{Dir: fleet.Dir},
		Log: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = ctrl.Run(runCtx, time.Second)
	}()
	t.Cleanup(func() {
		stop()
		<-done
	})
	f.watch = f.open()
	return f
}

func prodClusterYAML(name, endpoint string) string {
	return fmt.Sprintf(`apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: %s
  labels: {env: prod}
spec:
  syncMode: Push
  apiEndpoint: %s
`, name, endpoint)
}

func (f *failoverFleet) open() *gitstore.Repository {
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: f.server.URL("fleet.git"), Auth: f.server.Auth()})
	if err != nil {
		f.t.Fatal(err)
	}
	return repo
}

func (f *failoverFleet) push(message string) {
	f.when = f.when.Add(time.Second)
	if now := time.Now().UTC().Truncate(time.Second); now.After(f.when) {
		f.when = now
	}
	f.server.PushDir(f.t, "fleet.git", "main", f.files, message, f.when)
}

func (f *failoverFleet) client(cluster string) kubernetes.Interface {
	return kubernetes.NewForConfigOrDie(f.fleet.Cluster(cluster).Config)
}

// deployment returns a Deployment's spec replicas and ready replicas in a cluster; found is
// false when it does not exist, ok false when the cluster did not answer.
func (f *failoverFleet) deployment(cluster, name string) (spec, ready int32, found, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	d, err := f.client(cluster).AppsV1().Deployments("shop").Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return 0, 0, false, true
	case err != nil:
		return 0, 0, false, false
	}
	return *d.Spec.Replicas, d.Status.ReadyReplicas, true, true
}

// waitReady waits until a Deployment has want ready replicas summed over the clusters and
// returns them per cluster.
func (f *failoverFleet) waitReady(t *testing.T, name string, want int32, clusters []string, timeout time.Duration) map[string]int32 {
	t.Helper()
	var per map[string]int32
	NewWithT(t).Eventually(func() int32 {
		per = map[string]int32{}
		var sum int32
		for _, c := range clusters {
			if _, ready, found, _ := f.deployment(c, name); found {
				per[c] = ready
				sum += ready
			}
		}
		return sum
	}).WithTimeout(timeout).WithPolling(500*time.Millisecond).Should(Equal(want), "ready replicas of %s on %v", name, clusters)
	return per
}

// hubView is what the hub has committed at one moment: the web binding's target clusters and
// eviction tasks in the render, whether cluster a's directory still has the workload, and the
// eviction tasks, taints and reductions on the status ref.
type hubView struct {
	rendered, status string
	targets          map[string]int32
	renderedTasks    []string
	kept             map[string]bool
	evictions        map[string][]string
	decidedTaints    map[string][]string
	reductions       []v1alpha1.ReplicaReduction
	statusMessage    string
}

func (f *failoverFleet) view(workload string) (*hubView, error) {
	if err := f.watch.Fetch(context.Background()); err != nil {
		return nil, err
	}
	v := &hubView{targets: map[string]int32{}, kept: map[string]bool{}, evictions: map[string][]string{}, decidedTaints: map[string][]string{}}
	rendered, err := f.watch.BranchSnapshot("gitfleet/rendered")
	if err != nil || rendered == nil {
		return nil, fmt.Errorf("rendered: %v", err)
	}
	v.rendered = rendered.Commit.Hash
	prev, err := renderer.LoadPrevious(rendered.FS)
	if err != nil {
		return nil, err
	}
	key := renderer.ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: workload}
	if b := prev.Bindings[key]; b != nil {
		for _, t := range b.Spec.Clusters {
			v.targets[t.Name] = t.Replicas
		}
		for _, task := range b.Spec.GracefulEvictionTasks {
			v.renderedTasks = append(v.renderedTasks, task.FromCluster)
		}
	}
	for _, c := range []string{"a", "b", "c"} {
		_, err := fs.Stat(rendered.FS, v1alpha1.ExecutionSpacePrefix+c+"/"+renderer.ManifestPath("apps", "Deployment", "shop", workload))
		v.kept[c] = err == nil
	}
	status, err := f.watch.BranchSnapshot("gitfleet/status")
	if err != nil || status == nil {
		return nil, fmt.Errorf("status: %v", err)
	}
	v.status, v.statusMessage = status.Commit.Hash, status.Commit.Message
	var ev v1alpha1.EvictionDecisions
	if readYAML(status.FS, v1alpha1.EvictionDecisionsFileName, &ev) {
		for _, b := range ev.Bindings {
			for _, task := range b.Tasks {
				v.evictions[b.Resource.Name] = append(v.evictions[b.Resource.Name], task.FromCluster+"/"+task.Reason)
			}
		}
	}
	var td v1alpha1.TaintDecisions
	if readYAML(status.FS, v1alpha1.TaintDecisionsFileName, &td) {
		for _, c := range td.Clusters {
			for _, t := range c.Taints {
				v.decidedTaints[c.Cluster] = append(v.decidedTaints[c.Cluster], t.Key+":"+string(t.Effect))
			}
		}
	}
	var ds v1alpha1.DeschedulingDecisions
	if readYAML(status.FS, v1alpha1.DeschedulingDecisionsFileName, &ds) {
		v.reductions = ds.Reductions
	}
	return v, nil
}

func readYAML(fsys fs.FS, p string, into any) bool {
	data, err := fs.ReadFile(fsys, p)
	return err == nil && yaml.Unmarshal(data, into) == nil
}

// timeline records when each thing was first seen.
type timeline struct {
	mu     sync.Mutex
	start  time.Time
	events map[string]time.Duration
	order  []string
}

func newTimeline() *timeline { return &timeline{start: time.Now(), events: map[string]time.Duration{}} }

func (tl *timeline) mark(event string) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if _, ok := tl.events[event]; !ok {
		tl.events[event] = time.Since(tl.start)
		tl.order = append(tl.order, event)
	}
}

func (tl *timeline) at(event string) (time.Duration, bool) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	d, ok := tl.events[event]
	return d, ok
}

func (tl *timeline) String() string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	var b strings.Builder
	for _, e := range tl.order {
		fmt.Fprintf(&b, "\n  %6.1fs  %s", tl.events[e].Seconds(), e)
	}
	return b.String()
}

// sampler reads, every half second, the workload's ready replicas in every cluster that answers,
// and what the hub committed, until stopped.
type sampler struct {
	f        *failoverFleet
	workload string
	tl       *timeline
	observe  func(tl *timeline, ready map[string]int32, found map[string]bool, v *hubView)

	stop    chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	minSum  int32
	samples int
}

func (f *failoverFleet) sample(workload string, tl *timeline, observe func(tl *timeline, ready map[string]int32, found map[string]bool, v *hubView)) *sampler {
	s := &sampler{f: f, workload: workload, tl: tl, observe: observe, stop: make(chan struct{}), done: make(chan struct{}), minSum: 1 << 30}
	go s.run()
	return s
}

func (s *sampler) run() {
	defer close(s.done)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		ready, found := map[string]int32{}, map[string]bool{}
		var sum int32
		answered := 0
		for _, c := range []string{"a", "b", "c"} {
			_, r, ok, answer := s.f.deployment(c, s.workload)
			if !answer {
				continue
			}
			answered++
			found[c], ready[c] = ok, r
			sum += r
		}
		v, err := s.f.view(s.workload)
		if err != nil {
			s.f.t.Logf("sampler: %v", err)
		}
		s.mu.Lock()
		if answered == 3 {
			s.minSum = min(s.minSum, sum)
			s.samples++
		}
		s.mu.Unlock()
		if v != nil {
			s.observe(s.tl, ready, found, v)
		}
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
	}
}

// finish stops the sampler and returns the lowest sum of ready replicas it saw with every
// cluster answering, and how many such samples it took.
func (s *sampler) finish() (minReady int32, samples int) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.minSum, s.samples
}

// testWriter sends the hub's logs to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Failover end to end on three real clusters: a drained cluster's workload moves without
// its ready replicas ever dropping to zero and the old copy is removed only once the new
// ones are healthy; a lost cluster's workload is re-placed on the survivors and its stale
// objects are pruned when it returns; pods that cannot be scheduled are descheduled to
// clusters with room. Every step is a commit.
func TestFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three workload clusters")
	}
	f := startFailoverFleet(t)
	g := NewWithT(t)
	ctx := context.Background()

	// The hub's first cycles record every cluster Ready before the workload arrives, so the
	// render places it by the clusters' capacity: all of it on a, the largest.
	g.Eventually(func() bool {
		return f.allReady()
	}).WithTimeout(90*time.Second).WithPolling(time.Second).Should(BeTrue(), "every cluster recorded Ready")
	f.files["shop/web.yaml"] = &fstest.MapFile{Data: []byte(aggregatedDeployment("web", 6, "250m"))}
	f.push("Deploy web")
	f.waitReady(t, "web", 6, []string{"a"}, 2*time.Minute)

	t.Run("drain without downtime", func(t *testing.T) {
		g := NewWithT(t)
		tl := newTimeline()
		readyElsewhereAtDeletion := int32(-1) // b's and c's ready replicas when a's copy is first seen gone
		s := f.sample("web", tl, func(tl *timeline, ready map[string]int32, found map[string]bool, v *hubView) {
			if slices.Contains(v.evictions["web"], "a/"+v1alpha1.EvictionReasonTaintUntolerated) {
				tl.mark("eviction task committed")
			}
			if v.targets["a"] == 0 && v.targets["b"]+v.targets["c"] == 6 && slices.Contains(v.renderedTasks, "a") {
				tl.mark("new placement committed")
				if v.kept["a"] {
					tl.mark("a's copy kept in the render during the eviction")
				}
			}
			if ready["b"]+ready["c"] == 6 {
				tl.mark("6/6 ready on b and c")
			}
			if _, ok := tl.at("eviction task committed"); ok && len(v.evictions["web"]) == 0 {
				tl.mark("eviction task retired")
			}
			if _, ok := tl.at("new placement committed"); ok && !found["a"] && ready["a"] == 0 {
				if _, answered := ready["a"]; answered {
					if _, seen := tl.at("a's copy deleted"); !seen {
						readyElsewhereAtDeletion = ready["b"] + ready["c"]
					}
					tl.mark("a's copy deleted")
				}
			}
		})
		edit, err := membership.ParseTaints([]string{"maintenance=drain:NoExecute"})
		g.Expect(err).NotTo(HaveOccurred())
		repo := f.open()
		_, err = membership.Taint(ctx, repo, "main", "a", edit, gitstore.Signature{Name: "operator", Email: "ops@example.com", When: time.Now()})
		g.Expect(err).NotTo(HaveOccurred())
		tl.mark("taint committed")

		g.Eventually(func() bool {
			_, ok := tl.at("a's copy deleted")
			return ok
		}).WithTimeout(3*time.Minute).WithPolling(time.Second).Should(BeTrue(), "a's copy is cleaned up; so far:%s", tl)
		minReady, samples := s.finish()
		t.Logf("drain timeline:%s", tl)
		g.Expect(samples).To(BeNumerically(">", 3))
		g.Expect(minReady).To(BeNumerically(">", 0), "ready replicas over a, b and c never reach 0")
		g.Expect(readyElsewhereAtDeletion).To(Equal(int32(6)), "when a's copy is gone, b and c already run all 6 replicas")
		per := f.waitReady(t, "web", 6, []string{"b", "c"}, 30*time.Second)
		t.Logf("web ready per cluster after the drain: %v", per)
		for _, e := range []string{"eviction task committed", "new placement committed", "a's copy kept in the render during the eviction",
			"6/6 ready on b and c", "eviction task retired", "a's copy deleted"} {
			_, ok := tl.at(e)
			g.Expect(ok).To(BeTrue(), "never seen: %s; timeline:%s", e, tl)
		}
		before := func(x, y string) {
			dx, _ := tl.at(x)
			dy, _ := tl.at(y)
			g.Expect(dx <= dy).To(BeTrue(), "%s (%v) must come before %s (%v)", x, dx, y, dy)
		}
		// The eviction and its retirement are each a status commit saying so.
		history := f.statusHistory(t)
		created := slices.IndexFunc(history, func(m string) bool {
			return strings.Contains(m, "apps/v1 Deployment shop/web from a: created (TaintUntolerated")
		})
		retired := slices.IndexFunc(history, func(m string) bool {
			return strings.Contains(m, "apps/v1 Deployment shop/web from a: retired: the workload is Healthy")
		})
		g.Expect(created).To(BeNumerically(">=", 0), "a status commit records the eviction")
		g.Expect(retired).To(BeNumerically(">", created), "a later status commit records its retirement")
		before("eviction task committed", "new placement committed")
		before("6/6 ready on b and c", "eviction task retired")
		before("6/6 ready on b and c", "a's copy deleted")
		before("eviction task retired", "a's copy deleted")
	})

	// Back to a fleet without maintenance: the workload stays where it was moved.
	untaint, err := membership.ParseTaints([]string{"maintenance:NoExecute-"})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = membership.Taint(ctx, f.open(), "main", "a", untaint, gitstore.Signature{Name: "operator", Email: "ops@example.com", When: time.Now()})
	g.Expect(err).NotTo(HaveOccurred())

	t.Run("lost cluster", func(t *testing.T) {
		g := NewWithT(t)
		v, err := f.view("web")
		g.Expect(err).NotTo(HaveOccurred())
		var lost string
		for c, n := range v.targets {
			if n > 0 && (lost == "" || c < lost) {
				lost = c
			}
		}
		g.Expect(lost).NotTo(BeEmpty())
		survivors := slices.DeleteFunc([]string{"a", "b", "c"}, func(c string) bool { return c == lost })
		tl := newTimeline()
		s := f.sample("web", tl, func(tl *timeline, ready map[string]int32, found map[string]bool, v *hubView) {
			if slices.Contains(v.decidedTaints[lost], "cluster.karmada.io/not-ready:NoExecute") {
				tl.mark("not-ready NoExecute taint committed")
			}
			if slices.Contains(v.evictions["web"], lost+"/"+v1alpha1.EvictionReasonTaintUntolerated) {
				tl.mark("eviction task committed")
			}
			if v.targets[lost] == 0 && v.targets[survivors[0]]+v.targets[survivors[1]] == 6 {
				tl.mark("new placement committed")
			}
			if ready[survivors[0]]+ready[survivors[1]] == 6 {
				tl.mark("6/6 ready on the survivors")
			}
		})
		g.Expect(f.fleet.Cluster(lost).StopAPIServer()).To(Succeed())
		tl.mark("API server of " + lost + " stopped")
		g.Eventually(func() bool {
			_, ok := tl.at("6/6 ready on the survivors")
			return ok
		}).WithTimeout(3*time.Minute).WithPolling(time.Second).Should(BeTrue(), "the survivors run web; so far:%s", tl)
		g.Eventually(func() bool {
			v, err := f.view("web")
			return err == nil && len(v.evictions["web"]) == 0 && !v.kept[lost]
		}).WithTimeout(time.Minute).WithPolling(time.Second).Should(BeTrue(), "the eviction retires once the survivors are healthy")

		g.Expect(f.fleet.Cluster(lost).StartAPIServer()).To(Succeed())
		tl.mark("API server of " + lost + " started again")
		g.Eventually(func() bool {
			_, _, found, ok := f.deployment(lost, "web")
			return ok && !found
		}).WithTimeout(2*time.Minute).WithPolling(time.Second).Should(BeTrue(), "the stale copy on %s is pruned", lost)
		tl.mark("stale copy on " + lost + " pruned")
		g.Eventually(func() []string {
			v, err := f.view("web")
			if err != nil {
				return []string{err.Error()}
			}
			return v.decidedTaints[lost]
		}).WithTimeout(time.Minute).WithPolling(time.Second).ShouldNot(ContainElement("cluster.karmada.io/not-ready:NoExecute"))
		s.finish()
		t.Logf("lost cluster timeline:%s", tl)
		for _, e := range []string{"not-ready NoExecute taint committed", "eviction task committed", "new placement committed"} {
			_, ok := tl.at(e)
			g.Expect(ok).To(BeTrue(), "never seen: %s; timeline:%s", e, tl)
		}
		f.waitReady(t, "web", 6, survivors, 30*time.Second)
	})

	t.Run("workload rebalancer", f.rebalance)

	t.Run("application failover", f.applicationFailover)

	t.Run("descheduler", func(t *testing.T) {
		g := NewWithT(t)
		f.files["gitfleet.yaml"] = &fstest.MapFile{Data: []byte(failoverFleetConfig)} // the descheduler on again
		f.files["shop/api.yaml"] = &fstest.MapFile{Data: []byte(aggregatedDeployment("api", 4, "500m"))}
		f.push("Deploy api")
		g.Eventually(func() int {
			v, err := f.view("api")
			if err != nil {
				return -1
			}
			return len(v.targets)
		}).WithTimeout(time.Minute).WithPolling(time.Second).Should(Equal(1), "api is placed on one cluster")
		v, err := f.view("api")
		g.Expect(err).NotTo(HaveOccurred())
		var home string
		for c := range v.targets {
			home = c
		}
		f.waitReady(t, "api", 4, []string{home}, 2*time.Minute)

		// home's big node is cordoned and a small one added; api's pods are deleted, and only
		// one of the recreated pods fits: three stay Pending.
		cs := f.client(home)
		f.cordonNodes(t, home)
		_, err = f.fleet.Cluster(home).AddFakeNodes(ctx, 1, corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("700m"), corev1.ResourceMemory: resource.MustParse("4Gi")})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(cs.CoreV1().Pods("shop").DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{LabelSelector: "app=api"})).To(Succeed())
		tl := newTimeline()
		s := f.sample("api", tl, func(tl *timeline, ready map[string]int32, found map[string]bool, v *hubView) {
			for _, r := range v.reductions {
				if r.Resource.Name == "api" && r.Cluster == home {
					tl.mark(fmt.Sprintf("reduction %d→%d committed", r.FromReplicas, r.ToReplicas))
				}
			}
			if v.targets[home] < 4 && len(v.targets) > 1 {
				tl.mark("replicas moved in the render")
			}
		})
		// Ready again only counts once the replicas have moved: right after the pods are
		// deleted, the Deployment's status still says 4 ready.
		g.Eventually(func() int32 {
			if _, moved := tl.at("replicas moved in the render"); !moved {
				return -1
			}
			var sum int32
			for _, c := range []string{"a", "b", "c"} {
				if _, r, found, _ := f.deployment(c, "api"); found {
					sum += r
				}
			}
			return sum
		}).WithTimeout(3*time.Minute).WithPolling(time.Second).Should(Equal(int32(4)), "api moves and is fully ready again; so far:%s", tl)
		s.finish()
		t.Logf("descheduler timeline:%s", tl)
		_, moved := tl.at("replicas moved in the render")
		g.Expect(moved).To(BeTrue(), "the descheduler moved replicas; timeline:%s", tl)
		g.Expect(slices.ContainsFunc(f.statusHistory(t), func(m string) bool {
			return strings.Contains(m, "reduce apps/Deployment/shop/api in "+home+" from 4 to ")
		})).To(BeTrue(), "the move is the descheduler's: a status commit records its reduction")
		v, err = f.view("api")
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(v.targets[home]).To(BeNumerically("<", 4), "home keeps only what fits: %v", v.targets)
	})
}

// rebalance pushes a WorkloadRebalancer for web and waits for its result on the status ref.
func (f *failoverFleet) rebalance(t *testing.T) {
	g := NewWithT(t)
	f.files["shop/rebalance.yaml"] = &fstest.MapFile{Data: []byte(`apiVersion: apps.karmada.io/v1alpha1
kind: WorkloadRebalancer
metadata: {name: web-once}
spec:
  workloads:
  - {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web}
  - {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: gone}
`)}
	f.push("Rebalance web")
	var decisions v1alpha1.RebalanceDecisions
	g.Eventually(func() *metav1.Time {
		if err := f.watch.Fetch(context.Background()); err != nil {
			return nil
		}
		status, err := f.watch.BranchSnapshot("gitfleet/status")
		if err != nil || status == nil || !readYAML(status.FS, v1alpha1.RebalanceDecisionsFileName, &decisions) || len(decisions.Rebalancers) != 1 {
			return nil
		}
		return decisions.Rebalancers[0].Status.FinishTime
	}).WithTimeout(time.Minute).WithPolling(time.Second).ShouldNot(BeNil(), "the rebalancer finishes")
	d := decisions.Rebalancers[0]
	g.Expect(d.Name).To(Equal("web-once"))
	g.Expect(d.Status.ObservedWorkloads).To(ConsistOf(
		And(HaveField("Workload.Name", "web"), HaveField("Result", v1alpha1.RebalanceSuccessful)),
		And(HaveField("Workload.Name", "gone"), HaveField("Result", v1alpha1.RebalanceFailed),
			HaveField("Reason", v1alpha1.RebalanceObjectNotFound))))
	rendered, err := f.watch.BranchSnapshot("gitfleet/rendered")
	g.Expect(err).NotTo(HaveOccurred())
	prev, err := renderer.LoadPrevious(rendered.FS)
	g.Expect(err).NotTo(HaveOccurred())
	b := prev.Bindings[renderer.ObjectKey{Group: "apps", Kind: "Deployment", Namespace: "shop", Name: "web"}]
	g.Expect(b.Spec.RescheduleTriggeredAt).NotTo(BeNil())
	g.Expect(b.Spec.RescheduleTriggeredAt.Time).To(Equal(d.TriggeredAt.Time))
	g.Expect(b.Status.LastScheduledTime.Time.Before(d.TriggeredAt.Time)).To(BeFalse(), "scheduled once, after the trigger")
}

// applicationFailover deploys a workload whose policy fails it over when it stays unhealthy,
// makes it unhealthy where it runs (every node cordoned, its pods deleted: they stay
// Pending), and checks that it is evicted from there and runs elsewhere.
func (f *failoverFleet) applicationFailover(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	// The descheduler would also act on Pending pods; this scene is about application failover.
	f.files["gitfleet.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(failoverFleetConfig, "  descheduler:\n    enabled: true", "  descheduler:\n    enabled: false", 1))}
	f.files["shop/shipping.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(aggregatedDeployment("shipping", 2, "100m"),
		"  placement:\n", `  propagateDeps: true
  failover:
    application:
      decisionConditions: {tolerationSeconds: 3}
      purgeMode: Gracefully
      gracePeriodSeconds: 600
  placement:
`, 1))}
	f.push("Deploy shipping, failed over when unhealthy for 3s")
	var home string
	g.Eventually(func() int {
		v, err := f.view("shipping")
		if err != nil {
			return -1
		}
		for c := range v.targets {
			home = c
		}
		return len(v.targets)
	}).WithTimeout(time.Minute).WithPolling(time.Second).Should(Equal(1), "shipping is placed on one cluster")
	f.waitReady(t, "shipping", 2, []string{home}, 2*time.Minute)
	others := slices.DeleteFunc([]string{"a", "b", "c"}, func(c string) bool { return c == home })

	tl := newTimeline()
	s := f.sample("shipping", tl, func(tl *timeline, ready map[string]int32, found map[string]bool, v *hubView) {
		if slices.Contains(v.evictions["shipping"], home+"/"+v1alpha1.EvictionReasonApplicationFailure) {
			tl.mark("application failure eviction committed")
		}
		if v.targets[home] == 0 && v.targets[others[0]]+v.targets[others[1]] == 2 {
			tl.mark("new placement committed")
		}
		if ready[others[0]]+ready[others[1]] == 2 {
			tl.mark("2/2 ready elsewhere")
		}
		if _, answered := ready[home]; answered && !found[home] {
			tl.mark("old copy deleted")
		}
	})
	cs := f.client(home)
	f.cordonNodes(t, home)
	g.Expect(cs.CoreV1().Pods("shop").DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{LabelSelector: "app=shipping"})).To(Succeed())
	tl.mark("shipping made unhealthy on " + home)
	g.Eventually(func() bool {
		_, ok := tl.at("old copy deleted")
		return ok
	}).WithTimeout(2*time.Minute).WithPolling(time.Second).Should(BeTrue(), "shipping leaves %s; so far:%s", home, tl)
	s.finish()
	t.Logf("application failover timeline:%s", tl)
	for _, e := range []string{"application failure eviction committed", "new placement committed", "2/2 ready elsewhere"} {
		_, ok := tl.at(e)
		g.Expect(ok).To(BeTrue(), "never seen: %s; timeline:%s", e, tl)
	}
}

// cordonNodes marks every node of a cluster unschedulable, as `kubectl cordon` does.
func (f *failoverFleet) cordonNodes(t *testing.T, cluster string) {
	t.Helper()
	ctx := context.Background()
	cs := f.client(cluster)
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes.Items {
		n.Spec.Unschedulable = true
		if _, err := cs.CoreV1().Nodes().Update(ctx, &n, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// statusHistory returns the messages of the status ref's commits, oldest first, read from
// the Git server's own repository.
func (f *failoverFleet) statusHistory(t *testing.T) []string {
	t.Helper()
	repo, err := git.PlainOpen(f.server.Dir("fleet.git"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName("gitfleet/status"), true)
	if err != nil {
		t.Fatal(err)
	}
	commits, err := repo.Log(&git.LogOptions{From: ref.Hash()})
	if err != nil {
		t.Fatal(err)
	}
	var messages []string
	err = commits.ForEach(func(c *object.Commit) error {
		messages = append(messages, c.Message)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(messages)
	return messages
}

// allReady reports whether the status ref records every cluster Ready.
func (f *failoverFleet) allReady() bool {
	if err := f.watch.Fetch(context.Background()); err != nil {
		return false
	}
	status, err := f.watch.BranchSnapshot("gitfleet/status")
	if err != nil || status == nil {
		return false
	}
	for _, c := range []string{"a", "b", "c"} {
		var cl v1alpha1.Cluster
		if !readYAML(status.FS, "clusters/"+c+".yaml", &cl) {
			return false
		}
		ready := false
		for _, cond := range cl.Status.Conditions {
			ready = ready || (cond.Type == v1alpha1.ClusterConditionReady && cond.Status == metav1.ConditionTrue)
		}
		if !ready {
			return false
		}
	}
	return true
}
