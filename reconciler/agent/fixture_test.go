package agent_test

import (
	"context"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/reconciler/agent"
	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/devcluster"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// pullClusters are the fixture's member clusters, both in Pull mode.
var pullClusters = []string{"edge1", "edge2"}

const policyYAML = `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: shop, namespace: shop}
spec:
  resourceSelectors:
  - {apiVersion: v1, kind: ConfigMap}
  placement:
    clusterAffinity: {clusterNames: [edge1, edge2]}
`

func pullClusterYAML(name string) string {
	return fmt.Sprintf("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: %s}\nspec:\n  syncMode: Pull\n", name)
}

func configMapYAML(name, value string) string {
	return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: shop}\ndata: {value: %q}\n", name, value)
}

// pullFleet is a fleet of two Pull clusters (real API servers), its repository on a real
// Git HTTP server, a hub that renders and folds reports, and one agent per cluster, each
// with its own clone.
type pullFleet struct {
	t      *testing.T
	server *gitstoretest.Server
	fleet  *devcluster.Fleet
	hub    *controller.Controller
	agents map[string]*agent.Agent
	files  fstest.MapFS
	when   time.Time
}

func newPullFleet(t *testing.T) *pullFleet {
	t.Helper()
	p := &pullFleet{t: t, server: gitstoretest.NewServer(t), when: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC),
		fleet: devcluster.StartForTest(t, devcluster.Options{Clusters: pullClusters})}
	p.files = fstest.MapFS{
		"shop/namespace.yaml": {Data: []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")},
		"shop/policy.yaml":    {Data: []byte(policyYAML)},
		"shop/settings.yaml":  {Data: []byte(configMapYAML("settings", "blue"))},
	}
	for _, name := range pullClusters {
		p.files["clusters/"+name+".yaml"] = &fstest.MapFile{Data: []byte(pullClusterYAML(name))}
	}
	p.push("Fleet of two Pull clusters")
	p.hub = controller.New(controller.Options{Repo: p.clone()})
	p.agents = map[string]*agent.Agent{}
	for _, name := range pullClusters {
		p.agents[name] = p.newAgent(name)
	}
	return p
}

// clone opens a new clone of the fleet repository.
func (p *pullFleet) clone() *gitstore.Repository {
	p.t.Helper()
	repo, err := gitstore.Open(context.Background(), gitstore.Options{URL: p.server.URL("fleet.git"), Auth: p.server.Auth()})
	if err != nil {
		p.t.Fatal(err)
	}
	return repo
}

// newAgent starts over with a new agent process for cluster: its own clone, nothing in
// memory.
func (p *pullFleet) newAgent(cluster string) *agent.Agent {
	p.t.Helper()
	a, err := agent.New(agent.Options{Repo: p.clone(), Cluster: cluster, Config: p.fleet.Cluster(cluster).Config})
	if err != nil {
		p.t.Fatal(err)
	}
	return a
}

// push commits the source files to main.
func (p *pullFleet) push(message string) {
	p.when = p.when.Add(time.Minute)
	p.server.PushDir(p.t, "fleet.git", "main", p.files, message, p.when)
}

// hubCycle runs one hub cycle, which must render.
func (p *pullFleet) hubCycle() *controller.CycleResult {
	p.t.Helper()
	res, err := p.hub.Cycle(context.Background())
	if err != nil {
		p.t.Fatalf("hub cycle: %v", err)
	}
	if res.RenderErr != nil {
		p.t.Fatalf("hub cycle: render: %v", res.RenderErr)
	}
	return res
}

// agentCycle runs one cycle of cluster's agent; it must reach Git.
func (p *pullFleet) agentCycle(cluster string) *agent.CycleResult {
	p.t.Helper()
	res, err := p.agents[cluster].Cycle(context.Background())
	if err != nil {
		p.t.Fatalf("agent %s: %v", cluster, err)
	}
	return res
}

func (p *pullFleet) client(cluster string) kubernetes.Interface {
	return kubernetes.NewForConfigOrDie(p.fleet.Cluster(cluster).Config)
}

// configMap returns the ConfigMap's value in cluster; "" when it does not exist.
func (p *pullFleet) configMap(cluster, name string) string {
	p.t.Helper()
	cm, err := p.client(cluster).CoreV1().ConfigMaps("shop").Get(context.Background(), name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return ""
	}
	if err != nil {
		p.t.Fatal(err)
	}
	return cm.Data["value"]
}

// configMaps lists the names of the ConfigMaps gitfleet manages in cluster's shop namespace.
func (p *pullFleet) configMaps(cluster string) []string {
	p.t.Helper()
	list, err := p.client(cluster).CoreV1().ConfigMaps("shop").List(context.Background(), metav1.ListOptions{LabelSelector: "gitfleet.io/managed"})
	if err != nil {
		p.t.Fatal(err)
	}
	var names []string
	for _, cm := range list.Items {
		names = append(names, cm.Name)
	}
	return names
}

// refFile reads a file of a branch on the server (through a fresh clone); nil when the
// branch or the file does not exist.
func (p *pullFleet) refFile(branch, path string) []byte {
	p.t.Helper()
	snap, err := p.clone().BranchSnapshot(branch)
	if err != nil {
		p.t.Fatal(err)
	}
	if snap == nil {
		return nil
	}
	data, err := fs.ReadFile(snap.FS, path)
	if err != nil {
		return nil
	}
	return data
}

// statusFile decodes a file of the status ref into v.
func (p *pullFleet) statusFile(path string, v any) {
	p.t.Helper()
	data := p.refFile("gitfleet/status", path)
	if data == nil {
		p.t.Fatalf("status ref has no %s", path)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		p.t.Fatal(err)
	}
}

// expectUntouched checks that every named ConfigMap still exists in every cluster.
func (p *pullFleet) expectUntouched(g Gomega, names ...string) {
	for _, cluster := range pullClusters {
		g.Expect(p.configMaps(cluster)).To(ContainElements(names), "cluster %s lost applied objects", cluster)
	}
}
