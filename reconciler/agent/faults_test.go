package agent_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/agent"
	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/syncer"
)

// Faults the pull agent must survive without losing what it applied (package doc): every
// test breaks one thing, checks that no applied object was deleted or changed, and then
// that the fleet converges again.

// Git down for a while: agent and hub cycles fail and change nothing; a running agent keeps
// retrying through the outage and reports again once Git is back; a change pushed after it
// reaches both clusters.
func TestGitServerDown(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)
	applied := settledFleet(p, g)

	// A second agent process for edge1, running on its own across the outage.
	runCtx, stop := context.WithCancel(context.Background())
	defer stop()
	settled := p.reportHead("edge1")
	run := p.runAgent(runCtx, "edge1", nil)
	g.Eventually(func() plumbing.Hash { return p.reportHead("edge1") }, 10*time.Second, 50*time.Millisecond).
		ShouldNot(Equal(settled), "the running agent reports")
	state := p.fleetState()

	p.server.SetDown(true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, name := range pullClusters {
		res, err := p.agents[name].Cycle(ctx)
		g.Expect(err).To(HaveOccurred(), "agent %s cannot fetch", name)
		g.Expect(res).To(BeNil(), name)
	}
	_, err := p.hub.Cycle(ctx)
	g.Expect(err).To(HaveOccurred(), "the hub cannot fetch either")
	during := p.reportHead("edge1")
	g.Consistently(func() plumbing.Hash { return p.reportHead("edge1") }, 1500*time.Millisecond, 100*time.Millisecond).
		Should(Equal(during), "no report reaches Git while it is down")
	g.Expect(p.fleetState()).To(Equal(state), "nothing was written to the clusters")
	p.expectUntouched(g, "settings", "extra")

	p.server.SetDown(false)
	g.Eventually(func() plumbing.Hash { return p.reportHead("edge1") }, 10*time.Second, 50*time.Millisecond).
		ShouldNot(Equal(during), "the running agent kept going and reports after the outage")
	rep := p.report("edge1")
	g.Expect(rep.ObservedCommit).To(Equal(applied))
	g.Expect(rep.Sync.AppliedCommit).To(Equal(applied))
	g.Expect(rep.Sync.Error).To(BeEmpty())
	stop()
	g.Eventually(run, 10*time.Second).Should(Receive(MatchError(context.Canceled)), "Run returns only when its context ends")

	p.expectConverges(g, "after-outage", 4)
}

// invalidRender is a rendered tree broken behind the hub's back, and what the agents must
// make of it.
type invalidRender struct {
	name string
	// tamper breaks a copy of the good rendered tree.
	tamper func(g Gomega, tree fstest.MapFS) fstest.MapFS
	// refused are the clusters whose directory is no longer valid; the others' is intact.
	refused []string
	// why matches the error the refused clusters report.
	why types.GomegaMatcher
}

const (
	edge1Dir     = "karmada-es-edge1/"
	settingsPath = "shop/core.configmap.settings.yaml"
	extraPath    = "shop/core.configmap.extra.yaml"
)

var invalidRenders = []invalidRender{{
	// A bad force push: a tree without any cluster directory.
	name: "rendered ref emptied",
	tamper: func(Gomega, fstest.MapFS) fstest.MapFS {
		return fstest.MapFS{"README.md": {Data: []byte("# Nothing rendered\n")}}
	},
	refused: pullClusters,
	why:     ContainSubstring("no " + v1alpha1.ClusterInventoryFileName + "; refusing to change anything"),
}, {
	// edge1's inventory gone, and a manifest with it: without an inventory the missing
	// manifest must not read as a deletion.
	name: "inventory missing",
	tamper: func(_ Gomega, tree fstest.MapFS) fstest.MapFS {
		delete(tree, edge1Dir+v1alpha1.ClusterInventoryFileName)
		delete(tree, edge1Dir+extraPath)
		return tree
	},
	refused: []string{"edge1"},
	why:     ContainSubstring("no " + v1alpha1.ClusterInventoryFileName + "; refusing to change anything"),
}, {
	// A manifest whose bytes no longer match their digest, beside a manifest changed with a
	// matching digest: the whole directory is refused, the valid change with it.
	name: "manifest corrupted",
	tamper: func(g Gomega, tree fstest.MapFS) fstest.MapFS {
		tree[edge1Dir+settingsPath] = &fstest.MapFile{Data: []byte(configMapYAML("settings", "tampered"))}
		extra := []byte(configMapYAML("extra", "changed"))
		tree[edge1Dir+extraPath] = &fstest.MapFile{Data: extra}
		var inv v1alpha1.ClusterInventory
		g.Expect(yaml.UnmarshalStrict(tree[edge1Dir+v1alpha1.ClusterInventoryFileName].Data, &inv)).To(Succeed())
		for i, o := range inv.Objects {
			if o.Path == extraPath {
				sum := sha256.Sum256(extra)
				inv.Objects[i].Digest = "sha256:" + hex.EncodeToString(sum[:])
			}
		}
		data, err := yaml.Marshal(&inv)
		g.Expect(err).NotTo(HaveOccurred())
		tree[edge1Dir+v1alpha1.ClusterInventoryFileName] = &fstest.MapFile{Data: data}
		return tree
	},
	refused: []string{"edge1"},
	why:     And(ContainSubstring(settingsPath+" has digest"), Not(ContainSubstring(extraPath))),
}}

// A rendered tree that is not a valid render for a cluster: its agent applies nothing,
// deletes nothing and says why in its report, which reaches the status; a cluster whose
// directory is intact syncs as usual. The hub's next render restores the tree and the
// agents converge on it. The cases share one fleet, each starting from a converged one.
func TestInvalidRender(t *testing.T) {
	p := newPullFleet(t)
	g := NewWithT(t)
	settledFleet(p, g)
	p.expectConverges(g, "before", 4)
	for _, tc := range invalidRenders {
		t.Run(tc.name, func(t *testing.T) {
			parent := p.t
			p.t = t // the fixture fails the test it runs in
			defer func() { p.t = parent }()
			g := NewWithT(t)
			applied := p.renderedCommit()
			good := p.renderedTree()
			state := p.fleetState()

			broken := p.pushRendered(tc.tamper(g, p.renderedTree()), "Break the render: "+tc.name)
			for _, name := range pullClusters {
				res := p.agentCycle(name)
				g.Expect(res.RenderedCommit).To(Equal(broken), name)
				rep := p.report(name)
				g.Expect(rep.ObservedCommit).To(Equal(broken), name)
				if !slices.Contains(tc.refused, name) {
					g.Expect(res.SyncErr).NotTo(HaveOccurred(), "%s: its directory is intact", name)
					g.Expect(res.Sync.Applied).To(BeZero(), name)
					g.Expect(res.Sync.Pruned).To(BeZero(), name)
					g.Expect(rep.Sync.AppliedCommit).To(Equal(broken), name)
					g.Expect(rep.Sync.Error).To(BeEmpty(), name)
					continue
				}
				g.Expect(res.Sync).To(BeNil(), "%s: nothing applied", name)
				g.Expect(res.SyncErr).To(MatchError(syncer.ErrInvalidTree), name)
				g.Expect(rep.Sync.Error).To(tc.why, "%s: the report says why", name)
				g.Expect(rep.Sync.AppliedCommit).To(Equal(applied), "%s: the commit applied last is still the one applied", name)
				g.Expect(rep.Sync.Objects).To(Equal(4), name)
				g.Expect(p.clusterState(name)).To(Equal(state[name]), "%s: nothing was written to the cluster", name)
			}
			for _, name := range pullClusters {
				g.Expect(p.configMap(name, "settings")).To(Equal("blue"), name)
				g.Expect(p.configMap(name, "extra")).To(Equal("x"), name)
			}
			p.expectUntouched(g, "settings", "extra", "after")

			// The hub renders the same source against the broken tree: the trees differ, so
			// it commits the render again, and folds the agents' reports into the status.
			res := p.hubCycle()
			g.Expect(res.Rendered.Changed).To(BeTrue(), "the hub restores the render")
			restored := res.Rendered.Commit.String()
			// Cluster directories are restored as applied (bindings, whose scheduling times
			// came from the previous render, are stamped anew).
			g.Expect(clusterDirs(p.renderedTree())).To(Equal(clusterDirs(good)), "the restored render is the one applied")
			for _, name := range tc.refused {
				var sync v1alpha1.ClusterSyncStatus
				p.statusFile("clusters/"+name+"/sync.yaml", &sync)
				g.Expect(sync.Error).To(tc.why, "%s: the status shows the agent's error", name)
				g.Expect(sync.AppliedCommit).To(Equal(applied), name)
			}
			for _, name := range pullClusters {
				res := p.agentCycle(name)
				g.Expect(res.SyncErr).NotTo(HaveOccurred(), name)
				g.Expect(res.RenderedCommit).To(Equal(restored), name)
				g.Expect(res.Sync.Applied).To(BeZero(), "%s: the objects were never touched", name)
				g.Expect(res.Sync.Pruned).To(BeZero(), name)
			}
			p.hubCycle()
			p.expectStatus(g, restored, 4)
			p.expectConverges(g, "after "+tc.name, 4)
		})
	}
}

// An agent killed in the middle of applying 300 new ConfigMaps, and a new agent process
// started after it: everything ends up applied, nothing is deleted, and the in-cluster
// inventory holds every object (the next cycle has nothing to apply).
func TestAgentKilledMidApply(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)
	settledFleet(p, g)
	const bulk = 300
	p.files["shop/bulk.yaml"] = &fstest.MapFile{Data: bulkConfigMaps(bulk)}
	p.push("300 ConfigMaps")
	rendered := p.hubCycle().Rendered.Commit.String()

	// edge1's agent process, throttled (100 requests/s, two at a time) so that its apply
	// lasts seconds and the kill lands in the middle of it.
	doomed, err := agent.New(agent.Options{Repo: p.clone(), Cluster: "edge1", Config: p.fleet.Cluster("edge1").Config,
		Syncer: syncer.Options{QPS: 100, Burst: 1, Workers: 2}})
	g.Expect(err).NotTo(HaveOccurred())
	client := p.client("edge1")
	countBulk := func(ctx context.Context) (int, error) {
		list, err := client.CoreV1().ConfigMaps("shop").List(ctx, metav1.ListOptions{LabelSelector: syncer.ManagedLabel})
		if err != nil {
			return 0, err
		}
		n := 0
		for _, cm := range list.Items {
			if strings.HasPrefix(cm.Name, "bulk-") {
				n++
			}
		}
		return n, nil
	}
	ctx, kill := context.WithCancel(context.Background())
	defer kill()
	killedAt := make(chan int, 1)
	go func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				killedAt <- 0 // the cycle ended by itself
				return
			case <-tick.C:
			}
			if n, err := countBulk(ctx); err == nil && n > 0 {
				kill()
				killedAt <- n
				return
			}
		}
	}()
	_, _ = doomed.Cycle(ctx) // killed: its error, if any, is the context's
	kill()
	n := <-killedAt
	g.Expect(n).To(BeNumerically(">", 0), "the kill happened during the apply")
	left, err := countBulk(context.Background())
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(left).To(And(BeNumerically(">=", n), BeNumerically("<", bulk)), "the apply was interrupted")
	p.expectUntouched(g, "settings", "extra")

	p.agents["edge1"] = p.newAgent("edge1")
	res := p.agentCycle("edge1")
	g.Expect(res.SyncErr).NotTo(HaveOccurred())
	g.Expect(res.RenderedCommit).To(Equal(rendered))
	g.Expect(res.Sync.Failed).To(BeZero())
	g.Expect(res.Sync.Conflicts).To(BeZero(), "the objects the killed agent created are gitfleet's")
	g.Expect(res.Sync.Pruned).To(BeZero())
	g.Expect(res.Sync.Applied + res.Sync.Unchanged).To(Equal(bulk + 3))
	g.Expect(countBulk(context.Background())).To(Equal(bulk))
	p.expectUntouched(g, "settings", "extra")

	next := p.agentCycle("edge1")
	g.Expect(next.SyncErr).NotTo(HaveOccurred())
	g.Expect(next.Sync.PreviousCommit).To(Equal(rendered), "the inventory records the commit")
	g.Expect(next.Sync.Applied).To(BeZero(), "the inventory records every object at its digest")
	g.Expect(next.Sync.Pruned).To(BeZero())
	g.Expect(next.Sync.Unchanged).To(Equal(bulk + 3))

	g.Expect(p.agentCycle("edge2").SyncErr).NotTo(HaveOccurred())
	p.hubCycle()
	p.expectStatus(g, rendered, bulk+3)
	p.expectConverges(g, "after-kill", bulk+4)
}

// The hub restarted while both agents run and report: the new hub folds their reports, and
// the status converges to each cluster's latest report, with no failed cycle anywhere.
func TestHubRestartWhileAgentsReport(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)
	settledFleet(p, g)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var agentErrors errorLog
	runs := map[string]<-chan error{}
	for _, name := range pullClusters {
		runs[name] = p.runAgent(ctx, name, &agentErrors)
	}
	// converged checks, after one more hub cycle (which must not fail), that the status
	// records each cluster's latest report and that the report applied rendered.
	converged := func(rendered string, objects int) func(Gomega) {
		return func(g Gomega) {
			p.hubCycle()
			for _, name := range pullClusters {
				rep := p.report(name)
				g.Expect(rep.Sync.AppliedCommit).To(Equal(rendered), name)
				g.Expect(rep.Sync.Error).To(BeEmpty(), name)
				var sync v1alpha1.ClusterSyncStatus
				p.statusFile("clusters/"+name+"/sync.yaml", &sync)
				g.Expect(sync.AppliedCommit).To(Equal(rep.Sync.AppliedCommit), name)
				g.Expect(sync.Objects).To(Equal(objects), name)
				g.Expect(sync.Error).To(BeEmpty(), name)
			}
		}
	}

	p.files["shop/settings.yaml"] = &fstest.MapFile{Data: []byte(configMapYAML("settings", "green") + "---\n" + configMapYAML("extra", "x"))}
	p.push("Green settings")
	first := p.hubCycle().Rendered.Commit.String()
	g.Eventually(converged(first, 3), 20*time.Second, 100*time.Millisecond).Should(Succeed())

	// The old hub renders a change and is replaced before it folds the agents' reports.
	p.files["shop/during.yaml"] = &fstest.MapFile{Data: []byte(configMapYAML("during", "restart"))}
	p.push("A ConfigMap during the restart")
	second := p.hubCycle()
	g.Expect(second.Rendered.Changed).To(BeTrue())
	p.hub = controller.New(controller.Options{Repo: p.clone()})
	g.Eventually(converged(second.Rendered.Commit.String(), 4), 20*time.Second, 100*time.Millisecond).Should(Succeed())
	for _, name := range pullClusters {
		g.Expect(p.configMap(name, "settings")).To(Equal("green"), name)
		g.Expect(p.configMap(name, "during")).To(Equal("restart"), name)
	}
	p.expectUntouched(g, "settings", "extra", "during")

	stop()
	for name, run := range runs {
		g.Eventually(run, 10*time.Second).Should(Receive(MatchError(context.Canceled)), name)
	}
	g.Expect(agentErrors.String()).To(BeEmpty(), "no agent cycle failed")
}

// A report ref keeps no history: after several cycles it is one parentless commit whose
// report.yaml is the cluster's AgentReport.
func TestReportRefsKeepNoHistory(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)
	rendered := settledFleet(p, g)

	last := map[string]plumbing.Hash{}
	for range 3 {
		for _, name := range pullClusters {
			last[name] = p.agentCycle(name).Report.Commit
		}
	}
	repo, err := git.PlainOpen(p.server.Dir("fleet.git"))
	g.Expect(err).NotTo(HaveOccurred())
	for _, name := range pullClusters {
		ref, err := repo.Reference(plumbing.NewBranchReferenceName(v1alpha1.AgentReportBranchPrefix+name), true)
		g.Expect(err).NotTo(HaveOccurred(), name)
		g.Expect(ref.Hash()).To(Equal(last[name]), "%s: the ref is the last report", name)
		commit, err := repo.CommitObject(ref.Hash())
		g.Expect(err).NotTo(HaveOccurred(), name)
		g.Expect(commit.NumParents()).To(BeZero(), "%s: a report has no parent", name)
		commits := 0
		history, err := repo.Log(&git.LogOptions{From: ref.Hash()})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(history.ForEach(func(*object.Commit) error { commits++; return nil })).To(Succeed())
		g.Expect(commits).To(Equal(1), "%s: the ref's history is the report alone", name)

		file, err := commit.File(v1alpha1.AgentReportFileName)
		g.Expect(err).NotTo(HaveOccurred(), name)
		data, err := file.Contents()
		g.Expect(err).NotTo(HaveOccurred())
		var rep v1alpha1.AgentReport
		g.Expect(yaml.UnmarshalStrict([]byte(data), &rep)).To(Succeed(), name)
		g.Expect(rep.APIVersion).To(Equal(v1alpha1.GitfleetGroupVersion.String()))
		g.Expect(rep.Kind).To(Equal("AgentReport"))
		g.Expect(rep.Cluster).To(Equal(name))
		g.Expect(rep.HeartbeatTime.IsZero()).To(BeFalse(), name)
		g.Expect(rep.ObservedCommit).To(Equal(rendered), name)
		g.Expect(rep.Sync.AppliedCommit).To(Equal(rendered), name)
		g.Expect(rep.Sync.Objects).To(Equal(3), name)
		g.Expect(rep.Sync.Error).To(BeEmpty(), name)
	}

	p.hubCycle()
	p.expectStatus(g, rendered, 3)
	p.expectConverges(g, "after-reports", 4)
}

// An agent restarted while the render is invalid still reports what the cluster holds — the
// commit applied and its objects, from its own last report or, without one, from the
// in-cluster inventory — rather than a sync that never happened; the hub's status keeps them.
func TestRestartedAgentFacingInvalidRender(t *testing.T) {
	g := NewWithT(t)
	p := newPullFleet(t)
	applied := settledFleet(p, g)
	state := p.fleetState()

	broken := p.pushRendered(fstest.MapFS{"README.md": {Data: []byte("# Nothing rendered\n")}}, "Replace the render with nothing")
	p.agents["edge1"] = p.newAgent("edge1")
	res := p.agentCycle("edge1")
	g.Expect(res.RenderedCommit).To(Equal(broken))
	g.Expect(res.SyncErr).To(MatchError(syncer.ErrInvalidTree))
	g.Expect(p.clusterState("edge1")).To(Equal(state["edge1"]), "nothing was written to edge1")
	rep := p.report("edge1")
	g.Expect(rep.Sync.Error).To(ContainSubstring(v1alpha1.ClusterInventoryFileName))
	g.Expect(rep.Sync.AppliedCommit).To(Equal(applied), "its last report records the commit applied")
	g.Expect(rep.Sync.Objects).To(Equal(3))

	// Without its report ref as well, the agent reads the commit from the cluster's inventory.
	bare, err := git.PlainOpen(p.server.Dir("fleet.git"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(bare.Storer.RemoveReference(plumbing.NewBranchReferenceName(v1alpha1.AgentReportBranchPrefix + "edge1"))).To(Succeed())
	p.agents["edge1"] = p.newAgent("edge1")
	g.Expect(p.agentCycle("edge1").SyncErr).To(MatchError(syncer.ErrInvalidTree))
	rep = p.report("edge1")
	g.Expect(rep.Sync.AppliedCommit).To(Equal(applied), "the cluster's inventory records the commit applied")
	g.Expect(rep.Sync.Objects).To(Equal(3))

	restored := p.hubCycle().Rendered.Commit.String()
	var sync v1alpha1.ClusterSyncStatus
	p.statusFile("clusters/edge1/sync.yaml", &sync)
	g.Expect(sync.Error).To(ContainSubstring(v1alpha1.ClusterInventoryFileName))
	g.Expect(sync.AppliedCommit).To(Equal(applied), "the status keeps the commit applied")
	g.Expect(sync.Objects).To(Equal(3))

	for _, name := range pullClusters {
		g.Expect(p.agentCycle(name).SyncErr).NotTo(HaveOccurred(), name)
	}
	p.hubCycle()
	p.expectStatus(g, restored, 3)
	p.expectConverges(g, "after-restart", 4)
}
