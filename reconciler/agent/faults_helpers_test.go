package agent_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/agent"
	"github.com/gitfleet/gitfleet/reconciler/syncer"
)

// settledFleet is a pull fleet whose clusters both hold the namespace and the ConfigMaps
// "settings" (blue) and "extra" (x), applied by their agents, with the hub's status folded;
// it returns the rendered commit applied.
func settledFleet(p *pullFleet, g Gomega) string {
	p.t.Helper()
	p.files["shop/settings.yaml"] = &fstest.MapFile{Data: []byte(configMapYAML("settings", "blue") + "---\n" + configMapYAML("extra", "x"))}
	p.push("Settings and an extra ConfigMap")
	rendered := p.hubCycle().Rendered.Commit.String()
	for _, name := range pullClusters {
		res := p.agentCycle(name)
		g.Expect(res.SyncErr).NotTo(HaveOccurred(), name)
		g.Expect(res.RenderedCommit).To(Equal(rendered), name)
	}
	p.hubCycle()
	p.expectStatus(g, rendered, 3)
	p.expectUntouched(g, "settings", "extra")
	return rendered
}

// expectStatus checks that the status ref records every cluster as synced, without error,
// to the rendered commit with objects objects.
func (p *pullFleet) expectStatus(g Gomega, rendered string, objects int) {
	p.t.Helper()
	for _, name := range pullClusters {
		var sync v1alpha1.ClusterSyncStatus
		p.statusFile("clusters/"+name+"/sync.yaml", &sync)
		g.Expect(sync.AppliedCommit).To(Equal(rendered), name)
		g.Expect(sync.Error).To(BeEmpty(), name)
		g.Expect(sync.Objects).To(Equal(objects), name)
	}
}

// expectConverges pushes a change to the source — a ConfigMap "after" of value round —
// and checks that it travels hub → both agents → status, as on a healthy fleet; objects is
// how many objects each cluster's directory holds after it.
func (p *pullFleet) expectConverges(g Gomega, round string, objects int) {
	p.t.Helper()
	p.files["shop/after.yaml"] = &fstest.MapFile{Data: []byte(configMapYAML("after", round))}
	p.push("After the fault: " + round)
	res := p.hubCycle()
	g.Expect(res.Rendered.Changed).To(BeTrue(), "the hub renders the change")
	rendered := res.Rendered.Commit.String()
	for _, name := range pullClusters {
		res := p.agentCycle(name)
		g.Expect(res.SyncErr).NotTo(HaveOccurred(), name)
		g.Expect(res.RenderedCommit).To(Equal(rendered), name)
		g.Expect(p.configMap(name, "after")).To(Equal(round), name)
	}
	p.hubCycle()
	p.expectStatus(g, rendered, objects)
}

// clusterState maps each ConfigMap gitfleet manages in cluster's shop namespace, and the
// in-cluster inventory, to its resourceVersion: equal states mean nothing was written.
func (p *pullFleet) clusterState(cluster string) map[string]string {
	p.t.Helper()
	ctx := context.Background()
	state := map[string]string{}
	list, err := p.client(cluster).CoreV1().ConfigMaps("shop").List(ctx, metav1.ListOptions{LabelSelector: syncer.ManagedLabel})
	if err != nil {
		p.t.Fatal(err)
	}
	for _, cm := range list.Items {
		state[cm.Name] = cm.ResourceVersion
	}
	inv, err := p.client(cluster).CoreV1().ConfigMaps(syncer.DefaultInventoryNamespace).Get(ctx, syncer.DefaultInventoryName, metav1.GetOptions{})
	if err != nil {
		p.t.Fatal(err)
	}
	state["(inventory)"] = inv.ResourceVersion
	return state
}

// fleetState is clusterState of every cluster.
func (p *pullFleet) fleetState() map[string]map[string]string {
	p.t.Helper()
	state := map[string]map[string]string{}
	for _, name := range pullClusters {
		state[name] = p.clusterState(name)
	}
	return state
}

// renderedTree copies the rendered ref's tree from the server.
func (p *pullFleet) renderedTree() fstest.MapFS {
	p.t.Helper()
	snap, err := p.clone().BranchSnapshot(agent.DefaultRenderedRef)
	if err != nil {
		p.t.Fatal(err)
	}
	if snap == nil {
		p.t.Fatal("no rendered ref")
	}
	tree := fstest.MapFS{}
	err = fs.WalkDir(snap.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(snap.FS, path)
		tree[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return tree
}

// renderedCommit returns the rendered ref's commit on the server.
func (p *pullFleet) renderedCommit() string {
	p.t.Helper()
	hash, err := p.clone().Resolve(agent.DefaultRenderedRef)
	if err != nil {
		p.t.Fatal(err)
	}
	return hash.String()
}

// clusterDirs returns the files of a rendered tree's cluster directories, as text.
func clusterDirs(tree fstest.MapFS) map[string]string {
	files := map[string]string{}
	for path, f := range tree {
		if strings.HasPrefix(path, v1alpha1.ExecutionSpacePrefix) {
			files[path] = string(f.Data)
		}
	}
	return files
}

// pushRendered commits files as the whole tree of the rendered ref, behind the hub's back,
// and returns the commit's hash. The commit is a child of the ref's tip (PushDir's way),
// which an agent cannot tell from a force push: it reads only the tip.
func (p *pullFleet) pushRendered(files fstest.MapFS, message string) string {
	p.t.Helper()
	p.when = p.when.Add(time.Minute)
	_, hash := p.server.PushDir(p.t, "fleet.git", agent.DefaultRenderedRef, files, message, p.when)
	return hash.String()
}

// report decodes report.yaml of cluster's report ref, as the hub would read it.
func (p *pullFleet) report(cluster string) *v1alpha1.AgentReport {
	p.t.Helper()
	data := p.refFile(v1alpha1.AgentReportBranchPrefix+cluster, v1alpha1.AgentReportFileName)
	if data == nil {
		p.t.Fatalf("no report of cluster %s", cluster)
	}
	rep := &v1alpha1.AgentReport{}
	if err := yaml.UnmarshalStrict(data, rep); err != nil {
		p.t.Fatalf("report of cluster %s: %v", cluster, err)
	}
	return rep
}

// reportHead reads the commit of cluster's report ref straight from the server's bare
// repository, which works while the server is down; zero when the ref does not exist.
func (p *pullFleet) reportHead(cluster string) plumbing.Hash {
	p.t.Helper()
	repo, err := git.PlainOpen(p.server.Dir("fleet.git"))
	if err != nil {
		p.t.Fatal(err)
	}
	ref, err := repo.Reference(plumbing.NewBranchReferenceName(v1alpha1.AgentReportBranchPrefix+cluster), true)
	if err != nil {
		return plumbing.ZeroHash
	}
	return ref.Hash()
}

// bulkConfigMaps is a source file of n ConfigMaps bulk-000, bulk-001, ….
func bulkConfigMaps(n int) []byte {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		b.WriteString(configMapYAML(bulkName(i), "v"))
	}
	return []byte(b.String())
}

func bulkName(i int) string { return fmt.Sprintf("bulk-%03d", i) }

// runAgent starts a new agent process for cluster — its own clone, cycling every 200ms and
// backing off up to a second — and returns a channel that receives what Run returns once
// ctx ends. Its Error logs go to errs, when not nil.
func (p *pullFleet) runAgent(ctx context.Context, cluster string, errs *errorLog) <-chan error {
	p.t.Helper()
	opts := agent.Options{Repo: p.clone(), Cluster: cluster, Config: p.fleet.Cluster(cluster).Config,
		Interval: 200 * time.Millisecond, MaxBackoff: time.Second}
	if errs != nil {
		opts.Log = errs.logger()
	}
	a, err := agent.New(opts)
	if err != nil {
		p.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	return done
}

// errorLog collects the records of level Error a logger receives, from any goroutine.
type errorLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// logger returns a logger writing its Error records to l.
func (l *errorLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelError}))
}

func (l *errorLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *errorLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
