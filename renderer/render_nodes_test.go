package renderer

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// nodesStatusCluster is the recorded status of a Ready cluster serving Deployments, with
// the given resource summary (a YAML flow mapping).
func nodesStatusCluster(name, summary string) string {
	return `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata: {name: ` + name + `}
status:
  conditions:
  - {type: Ready, status: "True", reason: ClusterReady, message: ok, lastTransitionTime: "2026-01-01T00:00:00Z"}
  apiEnablements:
  - groupVersion: apps/v1
    resources: [{name: deployments, kind: Deployment}]
  resourceSummary: ` + summary + "\n"
}

// m1Nodes is m1's nodes.yaml: 12 CPU allocatable, 2 requested, so the pooled summary has
// room for 5 replicas of 2 CPU; node by node only n1 can take any (2): n2 is cordoned and
// n3 is tainted dedicated=batch:NoSchedule and too small anyway without the toleration.
const m1Nodes = `apiVersion: gitfleet.io/v1alpha1
kind: ClusterNodes
cluster: m1
nodes:
- name: n1
  ready: true
  labels: {kubernetes.io/hostname: n1}
  allocatable: {cpu: "6", pods: "110"}
  requested: {cpu: "2", pods: "3"}
- name: n2
  ready: true
  unschedulable: true
  allocatable: {cpu: "4", pods: "110"}
- name: n3
  ready: true
  taints: [{key: dedicated, value: batch, effect: NoSchedule}]
  allocatable: {cpu: "2", pods: "110"}
`

// With clusters/<cluster>/nodes.yaml recorded, the render estimates node by node: a
// Divided/Aggregated Deployment of 6 replicas of 2 CPU puts on m1 only the 2 its nodes can
// run and the rest on m2, where m1's pooled resourceSummary alone would have taken more.
func TestRenderEstimatesNodeByNode(t *testing.T) {
	g := NewWithT(t)
	deployment := func(extraPodSpec string) string {
		return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
` + extraPodSpec + `      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {cpu: "2"}}
`
	}
	source := func(extraPodSpec string) map[string]string {
		files := map[string]string{
			"web.yaml": deployment(extraPodSpec),
			"pp.yaml": pp("web", "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n"+
				"  placement: {replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}}\n"),
		}
		for _, m := range []string{"m1", "m2"} {
			files["clusters/"+m+".yaml"] = strings.ReplaceAll(clusterMember1, "member1", m)
		}
		return files
	}
	status := map[string]string{
		"clusters/m1.yaml": nodesStatusCluster("m1", `{allocatable: {cpu: "12", pods: "330"}, allocated: {cpu: "2", pods: "3"}}`),
		"clusters/m2.yaml": nodesStatusCluster("m2", `{allocatable: {cpu: "8", pods: "110"}}`),
	}
	withNodes := map[string]string{"clusters/m1/nodes.yaml": m1Nodes}
	for p, data := range status {
		withNodes[p] = data
	}
	summaryOnly, err := LoadStatusView(mapFS(status))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(summaryOnly.Nodes).To(BeEmpty(), "no nodes.yaml, no node estimator")
	nodesView, err := LoadStatusView(mapFS(withNodes))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(nodesView.Nodes).To(HaveKey("m1"))
	g.Expect(nodesView.Nodes["m1"]).To(HaveLen(3))
	g.Expect(nodesView.Nodes["m1"][2].Taints).To(HaveLen(1))
	g.Expect(nodesView.Nodes["m1"][0].Labels).To(HaveKeyWithValue("kubernetes.io/hostname", "n1"))

	replicasOn := func(res *Result) map[string]int32 {
		g.Expect(res.Bindings).To(HaveLen(1))
		out := map[string]int32{}
		for _, c := range res.Bindings[0].Binding.Spec.Clusters {
			out[c.Name] = c.Replicas
		}
		return out
	}

	// The summary alone: m1 (room for 5) and m2 (4) share the 6 by their room, and m1 gets
	// more than its nodes can run.
	pooled := replicasOn(renderTree(t, mapFS(source("")), summaryOnly, nil))
	g.Expect(pooled).To(Equal(map[string]int32{"m1": 3, "m2": 3}))

	// Node by node: m1 takes 2, m2 (no nodes.yaml, judged by its summary: 4) the rest.
	res := renderTree(t, mapFS(source("")), nodesView, nil)
	g.Expect(res.Bindings[0].Binding.Spec.Clusters).To(Equal([]v1alpha1.TargetCluster{
		{Name: "m1", Replicas: 2}, {Name: "m2", Replicas: 4},
	}))
	manifest, ok := res.Tree.Get("karmada-es-m1/shop/apps.deployment.web.yaml")
	g.Expect(ok).To(BeTrue())
	g.Expect(string(manifest)).To(ContainSubstring("\n  replicas: 2\n"))

	// Tolerating n3's taint opens it to one more replica on m1 (room 3 beside m2's 4).
	tolerant := replicasOn(renderTree(t, mapFS(source(
		"      tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]\n")), nodesView, nil))
	g.Expect(tolerant).To(Equal(map[string]int32{"m1": 3, "m2": 3}))

	// A nodeSelector no node of m1 matches leaves m1 no room, and m2 alone cannot hold 6.
	selective := renderTree(t, mapFS(source("      nodeSelector: {disk: ssd}\n")), nodesView, nil)
	g.Expect(selective.Bindings[0].Binding.Spec.Clusters).To(BeEmpty(),
		"m2 alone has room for 4 of 6: the binding does not fit (Karmada's Aggregated gives up rather than under-place)")
	g.Expect(selective.Bindings[0].Binding.Status.Conditions).To(ContainElement(And(
		HaveField("Type", "Scheduled"), HaveField("Reason", "Unschedulable"),
		HaveField("Message", ContainSubstring("available replicas 4 are not enough")))))
}

func TestReadNodesNamesTheFile(t *testing.T) {
	for _, bad := range []string{
		"nodes: [\n",
		"nodes: {name: n1}\n",
		"nodes:\n- {name: n1, allocatable: {cpu: lots}}\n",
	} {
		g := NewWithT(t)
		_, err := LoadStatusView(mapFS(map[string]string{
			"clusters/m1/nodes.yaml": m1Nodes,
			"clusters/m2/nodes.yaml": bad,
		}))
		g.Expect(err).To(MatchError(ContainSubstring("status clusters/m2/nodes.yaml: ")), "for %q", bad)
	}
}

func TestReadNodesWithoutNodes(t *testing.T) {
	g := NewWithT(t)
	view, err := LoadStatusView(mapFS(map[string]string{
		"clusters/m1.yaml":               nodesStatusCluster("m1", `{allocatable: {pods: "10"}}`),
		"clusters/m1/unschedulable.yaml": "workloads: []\n",
		"clusters/m2/nodes.yaml":         "apiVersion: gitfleet.io/v1alpha1\nkind: ClusterNodes\ncluster: m2\nnodes: []\n",
	}))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(view.Nodes).To(BeEmpty(), "a nodes file listing no node leaves the node estimator out")
}
