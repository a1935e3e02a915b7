package clusterstatus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"maps"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/devcluster"
)

// TestFleetStatus collects the status of a real two-cluster fleet (API servers, controller
// managers, schedulers and kwok with two fake nodes each) with a Deployment of 2 replicas in
// each cluster. The subtests share the fleet and run in order; the last one stops an API
// server.
func TestFleetStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real fleet")
	}
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("4"),
		corev1.ResourceMemory: resource.MustParse("8Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	clusters := []string{"status-a", "status-b"}
	fleet := devcluster.StartForTest(t, devcluster.Options{Clusters: clusters, Workloads: true, Nodes: 2, NodeCapacity: capacity})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	ns, name := randomName("cs"), "web"
	deployment := testDeployment(ns, name)
	for _, c := range fleet.Clusters {
		cs := kubernetes.NewForConfigOrDie(c.Config)
		_, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.AppsV1().Deployments(ns).Create(ctx, deployment.DeepCopy(), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	inventory := func(cluster string) *v1alpha1.ClusterInventory {
		return &v1alpha1.ClusterInventory{Cluster: cluster, Objects: []v1alpha1.InventoryEntry{
			{APIVersion: "v1", Kind: "Namespace", Name: ns},
			{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: name},
		}}
	}
	templateObj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(deployment)
	if err != nil {
		t.Fatal(err)
	}
	template := &unstructured.Unstructured{Object: templateObj}
	template.SetAPIVersion("apps/v1")
	template.SetKind("Deployment")
	templates := []TemplateInput{{Template: template, Clusters: clusters}}

	// collect runs one round over the fleet, at a given clock, and builds the tree on prev.
	collect := func(t *testing.T, now time.Time, prev fstest.MapFS) (map[string][]byte, []ClusterInput) {
		t.Helper()
		var inputs []ClusterInput
		for _, c := range fleet.Clusters {
			start := time.Now()
			in, err := CollectCluster(ctx, c.Name, c.Config, inventory(c.Name), nil,
				ProbeOptions{Timeout: 3 * time.Second, Now: func() time.Time { return now }}, CollectOptions{})
			if err != nil {
				t.Fatalf("collecting %s: %v", c.Name, err)
			}
			t.Logf("collected %s in %v", c.Name, time.Since(start))
			inputs = append(inputs, in)
		}
		var prevFS fstest.MapFS
		if prev != nil {
			prevFS = prev
		}
		files, err := BuildTree(prevFS, Inputs{Clusters: inputs, Templates: templates})
		if err != nil {
			t.Fatal(err)
		}
		return files, inputs
	}
	aggregated := func(t *testing.T, files map[string][]byte) ResourceStatus {
		t.Helper()
		var rs ResourceStatus
		data := files["resources/"+ns+"/apps.deployment.web.yaml"]
		if err := yaml.Unmarshal(data, &rs); err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		return rs
	}

	var tree fstest.MapFS
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	t.Run("Ready, apiEnablements, summaries, and the Deployment aggregated", func(t *testing.T) {
		g := NewWithT(t)
		var files map[string][]byte
		// Wait until both Deployments are rolled out and the status says so.
		g.Eventually(func(g Gomega) {
			files, _ = collect(t, t0, nil)
			rs := aggregated(t, files)
			g.Expect(rs.AggregatedStatus).To(HaveLen(2))
			for _, item := range rs.AggregatedStatus {
				g.Expect(item.Applied).To(BeTrue())
				g.Expect(item.Health).To(Equal(v1alpha1.ResourceHealthy))
			}
			g.Expect(rs.Status).To(HaveKeyWithValue("readyReplicas", BeNumerically("==", 4)))
		}).WithTimeout(2 * time.Minute).WithPolling(time.Second).Should(Succeed())
		tree = mapFS(files)

		for _, c := range clusters {
			data := files[ClusterFilePath(c)]
			var cl v1alpha1.Cluster
			g.Expect(yaml.Unmarshal(data, &cl)).To(Succeed())
			g.Expect(cl.APIVersion).To(Equal("cluster.karmada.io/v1alpha1"))
			g.Expect(cl.Kind).To(Equal("Cluster"))
			g.Expect(cl.Name).To(Equal(c))
			ready := apimeta.FindStatusCondition(cl.Status.Conditions, v1alpha1.ClusterConditionReady)
			g.Expect(ready).NotTo(BeNil())
			g.Expect(ready.Status).To(Equal(metav1.ConditionTrue))
			g.Expect(ready.Reason).To(Equal(v1alpha1.ClusterReasonReady))
			g.Expect(ready.LastTransitionTime.Time).To(BeTemporally("==", t0))
			g.Expect(cl.Status.KubernetesVersion).To(HavePrefix("v1."))
			g.Expect(cl.APIEnablement(appsv1.SchemeGroupVersion.WithKind("Deployment"))).To(Equal(v1alpha1.APIEnabled))
			g.Expect(cl.Status.APIEnablements).To(ContainElement(And(
				HaveField("GroupVersion", "apps/v1"),
				HaveField("Resources", ContainElement(v1alpha1.APIResource{Name: "deployments", Kind: "Deployment"})))))
			g.Expect(*cl.Status.NodeSummary).To(Equal(v1alpha1.NodeSummary{TotalNum: 2, ReadyNum: 2}))
			rs := cl.Status.ResourceSummary
			g.Expect(rs.Allocatable.Cpu().String()).To(Equal("8"))
			g.Expect(rs.Allocatable.Memory().String()).To(Equal("16Gi"))
			g.Expect(rs.Allocatable.Pods().String()).To(Equal("220"))
			g.Expect(rs.Allocated.Cpu().String()).To(Equal("200m"))
			g.Expect(rs.Allocated.Memory().String()).To(Equal("128Mi"))
			g.Expect(rs.Allocated.Pods().String()).To(Equal("2"))
			g.Expect(rs.Allocating).To(BeEmpty())

			var nodes struct {
				Kind  string                   `json:"kind"`
				Nodes []v1alpha1.NodeResources `json:"nodes"`
			}
			g.Expect(yaml.Unmarshal(files[NodesFilePath(c)], &nodes)).To(Succeed())
			g.Expect(nodes.Kind).To(Equal(v1alpha1.ClusterNodesKind))
			g.Expect(nodes.Nodes).To(HaveLen(2))
			var pods int64
			for _, n := range nodes.Nodes {
				g.Expect(n.Ready).To(BeTrue())
				g.Expect(n.Unschedulable).To(BeFalse())
				g.Expect(n.Labels).To(HaveKeyWithValue(corev1.LabelHostname, n.Name))
				g.Expect(n.Labels).To(HaveKeyWithValue(devcluster.FakeNodeLabel, devcluster.FakeNodeLabelValue))
				g.Expect(n.Taints).To(BeEmpty())
				g.Expect(n.Allocatable.Cpu().String()).To(Equal("4"))
				pods += n.Requested.Pods().Value()
			}
			g.Expect(pods).To(BeEquivalentTo(2))
		}
		rs := aggregated(t, files)
		g.Expect(rs.Resource).To(Equal(ResourceRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: name}))
		g.Expect(rs.Status).To(HaveKeyWithValue("replicas", BeNumerically("==", 4)))
		for _, item := range rs.AggregatedStatus {
			var reflected map[string]any
			g.Expect(yaml.Unmarshal(item.Status.Raw, &reflected)).To(Succeed())
			g.Expect(reflected).To(HaveKeyWithValue("readyReplicas", BeNumerically("==", 2)))
		}
		t.Logf("%s:\n%s", ClusterFilePath(clusters[0]), files[ClusterFilePath(clusters[0])][:min(600, len(files[ClusterFilePath(clusters[0])]))])
		t.Logf("resources/%s/apps.deployment.web.yaml:\n%s", ns, files["resources/"+ns+"/apps.deployment.web.yaml"])
	})

	t.Run("an unchanged fleet gives a byte-identical tree", func(t *testing.T) {
		if tree == nil {
			t.Skip("no first tree")
		}
		files, _ := collect(t, t0.Add(time.Hour), tree)
		g := NewWithT(t)
		g.Expect(sortedKeys(files)).To(Equal(sortedKeys(tree)))
		for p, data := range files {
			g.Expect(string(data)).To(Equal(string(tree[p].Data)), p)
		}
	})

	t.Run("a cordoned, tainted node is recorded in nodes.yaml", func(t *testing.T) {
		if tree == nil {
			t.Skip("no first tree")
		}
		g := NewWithT(t)
		cs := kubernetes.NewForConfigOrDie(fleet.Cluster(clusters[0]).Config)
		list, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(list.Items).NotTo(BeEmpty())
		var names []string
		for _, n := range list.Items {
			names = append(names, n.Name)
		}
		slices.Sort(names)
		name := names[0]
		// NoSchedule, so that the Deployment's pods stay where they run.
		taint := corev1.Taint{Key: "gitfleet.io/" + ns, Value: "test", Effect: corev1.TaintEffectNoSchedule}
		g.Eventually(func() error {
			node, err := cs.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			node.Spec.Unschedulable = true
			node.Spec.Taints = append(node.Spec.Taints, taint)
			_, err = cs.CoreV1().Nodes().Update(ctx, node, metav1.UpdateOptions{})
			return err
		}).WithTimeout(30 * time.Second).Should(Succeed())

		g.Eventually(func(g Gomega) {
			files, _ := collect(t, t0.Add(90*time.Minute), tree)
			var nodes v1alpha1.ClusterNodes
			g.Expect(yaml.Unmarshal(files[NodesFilePath(clusters[0])], &nodes)).To(Succeed())
			var recorded *v1alpha1.NodeResources
			for i := range nodes.Nodes {
				if nodes.Nodes[i].Name == name {
					recorded = &nodes.Nodes[i]
				}
			}
			g.Expect(recorded).NotTo(BeNil())
			g.Expect(recorded.Unschedulable).To(BeTrue())
			g.Expect(recorded.Taints).To(ContainElement(taint), "recorded without timeAdded")
			g.Expect(recorded.Labels).To(HaveKeyWithValue(corev1.LabelHostname, name))
			// The other cluster's nodes did not change.
			g.Expect(files[NodesFilePath(clusters[1])]).To(Equal(tree[NodesFilePath(clusters[1])].Data))
		}).WithTimeout(30 * time.Second).WithPolling(time.Second).Should(Succeed())
	})

	t.Run("a stopped API server makes the cluster not reachable", func(t *testing.T) {
		if tree == nil {
			t.Skip("no first tree")
		}
		g := NewWithT(t)
		down := fleet.Cluster(clusters[1])
		g.Expect(down.StopAPIServer()).To(Succeed())
		later := t0.Add(2 * time.Hour)
		files, _ := collect(t, later, tree)

		var cl v1alpha1.Cluster
		g.Expect(yaml.Unmarshal(files[ClusterFilePath(down.Name)], &cl)).To(Succeed())
		ready := apimeta.FindStatusCondition(cl.Status.Conditions, v1alpha1.ClusterConditionReady)
		g.Expect(ready.Status).To(BeElementOf(metav1.ConditionFalse, metav1.ConditionUnknown))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ClusterReasonNotReachable))
		g.Expect(ready.LastTransitionTime.Time).To(BeTemporally("==", later))
		// What could not be collected keeps its last value, as in Karmada.
		g.Expect(*cl.Status.NodeSummary).To(Equal(v1alpha1.NodeSummary{TotalNum: 2, ReadyNum: 2}))
		g.Expect(files[NodesFilePath(down.Name)]).To(Equal(tree[NodesFilePath(down.Name)].Data))
		// The other cluster is unaffected.
		g.Expect(files[ClusterFilePath(clusters[0])]).To(Equal(tree[ClusterFilePath(clusters[0])].Data))
		g.Expect(aggregated(t, files).Status).To(HaveKeyWithValue("readyReplicas", BeNumerically("==", 4)))
	})
}

func testDeployment(ns, name string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](2),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "web", Image: "nginx",
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
						corev1.ResourceCPU:    resource.MustParse("100m"),
						corev1.ResourceMemory: resource.MustParse("64Mi"),
					}},
				}}},
			},
		},
	}
}

func mapFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for p, data := range files {
		m[p] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return m
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	return slices.Sorted(maps.Keys(m))
}

// randomName returns prefix-<8 hex digits>.
func randomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}
