package controller_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/credentials"
	"github.com/gitfleet/gitfleet/reconciler/devcluster"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

const policy = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: shop, namespace: shop}
spec:
  resourceSelectors:
  - {apiVersion: v1, kind: ConfigMap}
  placement:
    clusterAffinity: {clusterNames: [member1, member2]}
`

const configMaps = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {color: blue}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: extra, namespace: shop}
data: {size: large}
`

func clusterYAML(name, endpoint string) string {
	return fmt.Sprintf(`apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: %s}
spec:
  syncMode: Push
  apiEndpoint: %s
`, name, endpoint)
}

type fixture struct {
	t      *testing.T
	server *gitstoretest.Server
	fleet  *devcluster.Fleet
	ctrl   *controller.Controller
	repo   *gitstore.Repository
	when   time.Time
	files  fstest.MapFS
}

func newFixture(t *testing.T) *fixture {
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: []string{"member1", "member2"}})
	f := &fixture{t: t, server: gitstoretest.NewServer(t), fleet: fleet, when: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}
	f.files = fstest.MapFS{
		"clusters/member1.yaml": {Data: []byte(clusterYAML("member1", fleet.Cluster("member1").Config.Host))},
		"clusters/member2.yaml": {Data: []byte(clusterYAML("member2", fleet.Cluster("member2").Config.Host))},
		"shop/policy.yaml":      {Data: []byte(policy)},
		"shop/config.yaml":      {Data: []byte(configMaps)},
	}
	f.push("Fleet")
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: f.server.URL("fleet.git"), Auth: f.server.Auth()})
	if err != nil {
		t.Fatal(err)
	}
	f.repo = repo
	f.ctrl = controller.New(controller.Options{Repo: repo, Credentials: credentials.Resolver{Dir: fleet.Dir}})
	return f
}

func (f *fixture) push(message string) {
	f.when = f.when.Add(time.Minute)
	f.server.PushDir(f.t, "fleet.git", "main", f.files, message, f.when)
}

func (f *fixture) cycle() *controller.CycleResult {
	f.t.Helper()
	res, err := f.ctrl.Cycle(context.Background())
	if err != nil {
		f.t.Fatalf("cycle: %v", err)
	}
	return res
}

func (f *fixture) client(cluster string) kubernetes.Interface {
	return kubernetes.NewForConfigOrDie(f.fleet.Cluster(cluster).Config)
}

func (f *fixture) configMapExists(cluster, name string) bool {
	_, err := f.client(cluster).CoreV1().ConfigMaps("shop").Get(context.Background(), name, metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		f.t.Fatal(err)
	}
	return err == nil
}

func (f *fixture) statusFile(p string, into any) {
	f.t.Helper()
	hash, err := f.repo.Resolve("gitfleet/status")
	if err != nil {
		f.t.Fatal(err)
	}
	snap, err := f.repo.Snapshot(hash)
	if err != nil {
		f.t.Fatal(err)
	}
	data, err := fs.ReadFile(snap.FS, p)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		f.t.Fatal(err)
	}
}

// One fleet of two real API servers goes through the loop's life: first sync, the fixed
// point, drift, bad input and pruning.
func TestControllerLoop(t *testing.T) {
	f := newFixture(t)
	g := NewWithT(t)

	first := f.cycle()
	g.Expect(first.RenderErr).NotTo(HaveOccurred())
	g.Expect(first.Rendered.Changed).To(BeTrue())
	g.Expect(first.Status.Changed).To(BeTrue())
	for _, name := range []string{"member1", "member2"} {
		g.Expect(first.Syncs[name].Err).NotTo(HaveOccurred())
		g.Expect(f.configMapExists(name, "settings")).To(BeTrue(), name)
	}
	var sync v1alpha1.ClusterSyncStatus
	f.statusFile("clusters/member1/sync.yaml", &sync)
	g.Expect(sync.AppliedCommit).To(Equal(first.Rendered.Commit.String()))
	g.Expect(sync.Objects).To(Equal(3), "the namespace and two ConfigMaps")
	var cluster v1alpha1.Cluster
	f.statusFile("clusters/member1.yaml", &cluster)
	g.Expect(cluster.Status.Conditions).To(ContainElement(And(
		HaveField("Type", v1alpha1.ClusterConditionReady), HaveField("Status", metav1.ConditionTrue))))
	g.Expect(cluster.Status.APIEnablements).NotTo(BeEmpty())
	var settings clusterstatus.ResourceStatus
	f.statusFile("resources/shop/core.configmap.settings.yaml", &settings)
	g.Expect(settings.AggregatedStatus).To(HaveLen(2))
	for _, item := range settings.AggregatedStatus {
		g.Expect(item.Applied).To(BeTrue(), item.ClusterName)
	}

	t.Run("a converged fleet makes no commit", func(t *testing.T) {
		g := NewWithT(t)
		for range 3 {
			again := f.cycle()
			g.Expect(again.Rendered.Changed).To(BeFalse())
			g.Expect(again.Status.Changed).To(BeFalse())
			g.Expect(again.Status.Commit).To(Equal(first.Status.Commit))
		}
	})

	t.Run("drift is corrected", func(t *testing.T) {
		g := NewWithT(t)
		err := f.client("member1").CoreV1().ConfigMaps("shop").Delete(context.Background(), "settings", metav1.DeleteOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		res := f.cycle()
		g.Expect(res.Syncs["member1"].Result.Applied).To(Equal(1))
		g.Expect(f.configMapExists("member1", "settings")).To(BeTrue())
		g.Expect(res.Status.Changed).To(BeFalse(), "the status says the same as before")
	})

	t.Run("bad input moves nothing and is recorded", func(t *testing.T) {
		g := NewWithT(t)
		good := f.files["shop/config.yaml"]
		f.files["shop/config.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\n")}
		f.push("Break the source")
		res := f.cycle()
		g.Expect(res.RenderErr).To(HaveOccurred())
		g.Expect(res.Rendered.Changed).To(BeFalse())
		rendered, err := f.repo.Resolve("gitfleet/rendered")
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(rendered).To(Equal(first.Rendered.Commit), "the rendered ref stays at the last good render")
		g.Expect(f.configMapExists("member2", "extra")).To(BeTrue(), "what was applied stays")
		var st v1alpha1.RenderStatus
		f.statusFile(v1alpha1.RenderStatusFileName, &st)
		g.Expect(st.Result).To(Equal(v1alpha1.RenderFailed))
		g.Expect(st.SourceCommit).To(Equal(res.SourceCommit))
		g.Expect(st.RenderedCommit).To(Equal(first.Rendered.Commit.String()))
		g.Expect(st.Errors).NotTo(BeEmpty())
		g.Expect(st.Errors[0].Path).To(Equal("shop/config.yaml"))
		g.Expect(st.Errors[0].Line).To(BeNumerically(">", 0))
		f.files["shop/config.yaml"] = good
	})

	t.Run("a template removed from the source is pruned", func(t *testing.T) {
		g := NewWithT(t)
		f.files["shop/config.yaml"] = &fstest.MapFile{Data: []byte(configMaps[:len(configMaps)-len("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: shop}\ndata: {size: large}\n")])}
		f.push("Drop the extra ConfigMap")
		res := f.cycle()
		g.Expect(res.RenderErr).NotTo(HaveOccurred())
		g.Expect(res.Rendered.Changed).To(BeTrue())
		for _, name := range []string{"member1", "member2"} {
			g.Expect(res.Syncs[name].Result.Pruned).To(Equal(1), name)
			g.Expect(f.configMapExists(name, "extra")).To(BeFalse(), name)
			g.Expect(f.configMapExists(name, "settings")).To(BeTrue(), name)
		}
		var st v1alpha1.RenderStatus
		f.statusFile(v1alpha1.RenderStatusFileName, &st)
		g.Expect(st.Result).To(Equal(v1alpha1.RenderSucceeded))
		g.Expect(st.Errors).To(BeEmpty())
	})
}

// A cluster without credentials is reported; the others are synced all the same.
func TestControllerClusterWithoutCredentials(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t)
	f.files["clusters/member3.yaml"] = &fstest.MapFile{Data: []byte(clusterYAML("member3", "https://127.0.0.1:1"))}
	f.push("Add a cluster the hub cannot reach")
	res := f.cycle()
	g.Expect(res.Syncs["member3"].Err).To(MatchError(ContainSubstring("credentials of cluster member3")))
	g.Expect(res.Syncs["member1"].Err).NotTo(HaveOccurred())
	g.Expect(f.configMapExists("member1", "settings")).To(BeTrue())
	var st v1alpha1.ClusterSyncStatus
	f.statusFile("clusters/member3/sync.yaml", &st)
	g.Expect(st.Error).To(ContainSubstring("credentials"))
}

// A cluster whose spec.secretRef names a Secret in the hub's cluster is synced with the
// credentials in that Secret; without a Secret or a credentials file a cluster is reported,
// not guessed at.
func TestControllerCredentialsFromSecret(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t)
	ctx := context.Background()
	hub := f.client("member1") // member1's API server doubles as the hub's cluster
	_, err := hub.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "gitfleet-system"}}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	kubeconfig, err := os.ReadFile(credentials.KubeconfigPath(f.fleet.Dir, "member2"))
	g.Expect(err).NotTo(HaveOccurred())
	_, err = hub.CoreV1().Secrets("gitfleet-system").Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "member2", Namespace: "gitfleet-system"},
		Data:       map[string][]byte{credentials.SecretKubeconfigKey: kubeconfig},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	f.files["clusters/member2.yaml"] = &fstest.MapFile{Data: []byte(clusterYAML("member2", f.fleet.Cluster("member2").Config.Host) +
		"  secretRef: {namespace: gitfleet-system, name: member2}\n")}
	f.push("member2's credentials are in a Secret")

	f.ctrl = controller.New(controller.Options{Repo: f.repo, Credentials: credentials.Resolver{Hub: hub}})
	res := f.cycle()
	g.Expect(res.Syncs["member2"].Err).NotTo(HaveOccurred())
	g.Expect(f.configMapExists("member2", "settings")).To(BeTrue())
	g.Expect(res.Syncs["member1"].Err).To(MatchError(ContainSubstring("credentials of cluster member1")))
	g.Expect(f.configMapExists("member1", "settings")).To(BeFalse())
}

// A cycle that makes a failover decision is followed by another at once: with an interval
// of an hour, a NoExecute taint still moves the ConfigMaps off member1 in the render within
// seconds — the decision's cycle, then the one that renders it.
func TestControllerRunCyclesAgainAfterADecision(t *testing.T) {
	g := NewWithT(t)
	f := newFixture(t)
	g.Expect(f.cycle().Syncs["member1"].Err).NotTo(HaveOccurred(), "the ConfigMaps are placed on member1 before the taint")
	f.files["gitfleet.yaml"] = &fstest.MapFile{Data: []byte(`apiVersion: gitfleet.io/v1alpha1
kind: FleetConfig
metadata: {name: fleet}
spec:
  failover: {enabled: true, noExecuteTaintEviction: true}
`)}
	f.files["clusters/member1.yaml"] = &fstest.MapFile{Data: []byte(clusterYAML("member1", f.fleet.Cluster("member1").Config.Host) +
		"  taints: [{key: maintenance, effect: NoExecute, timeAdded: \"2026-05-06T07:00:00Z\"}]\n")}
	f.push("Drain member1")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.ctrl.Run(ctx, time.Hour)
	}()
	defer func() {
		cancel()
		<-done
	}()
	g.Eventually(func() []string {
		if err := f.repo.Fetch(context.Background()); err != nil {
			return nil
		}
		rendered, err := f.repo.BranchSnapshot("gitfleet/rendered")
		if err != nil || rendered == nil {
			return nil
		}
		data, err := fs.ReadFile(rendered.FS, "bindings/shop/core.configmap.settings.yaml")
		if err != nil {
			return nil
		}
		var b v1alpha1.ResourceBinding
		if yaml.Unmarshal(data, &b) != nil {
			return nil
		}
		var from []string
		for _, task := range b.Spec.GracefulEvictionTasks {
			from = append(from, task.FromCluster)
		}
		return from
	}).WithTimeout(30*time.Second).WithPolling(200*time.Millisecond).Should(ConsistOf("member1"),
		"the eviction decided in the first cycle is rendered by the next, without waiting an hour")
}
