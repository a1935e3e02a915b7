package controller_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/reconciler/clusterstatus"
	"github.com/gitfleet/gitfleet/reconciler/controller"
	"github.com/gitfleet/gitfleet/reconciler/gitstore"
	"github.com/gitfleet/gitfleet/reconciler/gitstore/gitstoretest"
)

// Settings of TestAgentReportsLoad.
const (
	// loadClusters is how many Pull clusters (and simulated agents) the fleet has.
	loadClusters = 50
	// loadDurationEnv overrides loadDefaultDuration (a time.ParseDuration string, "5m"):
	// `make bench` runs the test longer.
	loadDurationEnv     = "GITFLEET_LOAD_DURATION"
	loadDefaultDuration = 60 * time.Second
	// loadReportEvery and loadReportJitter space an agent's reports: every 4–6 s.
	loadReportEvery  = 4 * time.Second
	loadReportJitter = 2 * time.Second
	// loadHubInterval is the hub's cycle interval, as Run ticks.
	loadHubInterval = 500 * time.Millisecond
	// loadWatchEvery is how often the watcher polls the status ref: the resolution of the
	// fold latencies.
	loadWatchEvery = 200 * time.Millisecond
	// loadTargetP99 is the fold latency the log compares p99 with. It is reported, not
	// asserted: on a shared 2-core machine the test Git server (a git process per request)
	// saturates long before the hub does.
	loadTargetP99 = 10 * time.Second
)

// loadClusterName is the name of the i-th Pull cluster: edge-00 … edge-49.
func loadClusterName(i int) string { return fmt.Sprintf("edge-%02d", i) }

// TestAgentReportsLoad runs 50 simulated pull agents against one hub on a real Git HTTP
// server: each agent replaces its report ref every 2–3 s with a report whose sync.objects is
// a sequence number, the hub cycles every 500 ms, and a watcher polls the status ref to time
// when each report appears in clusters/<c>/sync.yaml. A report the hub skipped because a newer
// one replaced it before a cycle read it is superseded, not lost; the last report of every
// agent must reach the status. It also checks that no report ref is corrupted (one root
// commit, the right cluster), that the status history is linear and that no hub cycle fails.
func TestAgentReportsLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: skipped with -short")
	}
	duration := loadDefaultDuration
	if v := os.Getenv(loadDurationEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("%s=%q: want a positive duration such as 5m", loadDurationEnv, v)
		}
		duration = d
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := gitstoretest.NewServer(t)
	clusters := make([]string, loadClusters)
	for i := range clusters {
		clusters[i] = loadClusterName(i)
	}
	srv.PushDir(t, "fleet.git", "main", loadSource(clusters), "Fleet of 50 Pull clusters",
		time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC))
	clone := func(branches ...string) *gitstore.Repository {
		t.Helper()
		repo, err := gitstore.Open(ctx, gitstore.Options{URL: srv.URL("fleet.git"), Auth: srv.Auth(), Branches: branches})
		if err != nil {
			t.Fatal(err)
		}
		return repo
	}

	rec := newLoadRecorder(clusters)
	hub := &loadHub{ctrl: controller.New(controller.Options{Repo: clone()})}
	// The watcher reads the server's repository in place rather than through a clone: its
	// Fetch is then a re-read of the pack index, not three Git processes on the server every
	// 200 ms, so that the measurement does not add to the load it measures.
	watched, err := gitstore.Open(ctx, gitstore.Options{URL: srv.Dir("fleet.git")})
	if err != nil {
		t.Fatal(err)
	}
	watcher := &loadWatcher{repo: watched, clusters: clusters, rec: rec}
	agents := make([]*loadAgent, len(clusters))
	for i, c := range clusters {
		// As gitfleet agent does, each agent's clone holds only its report ref.
		agents[i] = &loadAgent{repo: clone(v1alpha1.AgentReportBranchPrefix + c), cluster: c, rec: rec}
	}

	start := time.Now()
	stopAgents, stopHub, stopWatcher := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var agentsDone, hubDone, watcherDone sync.WaitGroup
	hubDone.Go(func() { hub.loop(ctx, stopHub) })
	watcherDone.Go(func() { watcher.loop(ctx, stopWatcher) })
	for _, a := range agents {
		agentsDone.Go(func() { a.loop(ctx, stopAgents) })
	}

	time.Sleep(duration)
	close(stopAgents)
	agentsDone.Wait()
	close(stopHub)
	hubDone.Wait()
	// Two more cycles with the agents quiet: every last report must be folded by then.
	hub.cycle(ctx)
	hub.cycle(ctx)
	close(stopWatcher)
	watcherDone.Wait()
	watcher.poll(ctx)
	elapsed := time.Since(start)

	st := rec.stats(start, duration)
	cycles, cycleErrs, statusCommits, meanCycle, maxCycle, cycleErrSamples := hub.stats()
	summary := fmt.Sprintf("agent reports load: %d Pull clusters, %s (%d CPUs): %d reports pushed, %d folded, %d superseded, %d lost; "+
		"agent push time p50 %s p99 %s, push conflicts %d, push errors %d; watcher errors %d; hub cycles %d (errors %d, status commits %d, mean %s, max %s); "+
		"fold latency p50 %s p90 %s p99 %s max %s (watcher resolution %s)",
		len(clusters), elapsed.Round(time.Second), runtime.NumCPU(), st.pushed, st.folded, st.superseded, len(st.lost),
		roundLatency(st.pushP50), roundLatency(st.pushP99), st.conflicts, st.pushErrors, watcher.errors, cycles, cycleErrs, statusCommits, meanCycle.Round(time.Millisecond), maxCycle.Round(time.Millisecond),
		roundLatency(st.p50), roundLatency(st.p90), roundLatency(st.p99), roundLatency(st.max), loadWatchEvery)
	t.Log(summary)
	t.Logf("trend, first fifth → last fifth of the run: fold latency p50 %s → %s, agent push time p50 %s → %s",
		roundLatency(st.foldFirst), roundLatency(st.foldLast), roundLatency(st.pushFirst), roundLatency(st.pushLast))
	for _, e := range st.errSamples {
		t.Logf("agent push error: %s", e)
	}
	for _, e := range watcher.errSamples {
		t.Logf("watcher error: %s", e)
	}
	if st.early > 0 {
		t.Logf("%d reports appeared in the status before their push returned (latency counted as 0)", st.early)
	}

	if cycleErrs > 0 {
		t.Errorf("%d hub cycles failed, e.g. %v", cycleErrs, cycleErrSamples)
	}
	if len(st.lost) > 0 {
		t.Errorf("lost reports (the final report is not in the status as seen by the watcher): %v", st.lost)
	}
	if st.regressions > 0 {
		t.Errorf("%d times a cluster's sync.objects went back to an older report in the status", st.regressions)
	}
	if st.p99 > loadTargetP99 {
		t.Logf("MISS: fold latency p99 %s > %s (p50 %s, max %s)", st.p99, loadTargetP99, st.p50, st.max)
	}
	checkLoadStatus(t, clone(), clusters, rec)
	checkLoadRefs(t, srv.Dir("fleet.git"), clusters, rec, statusCommits)
}

// loadSource is the fleet's source: the Pull clusters and one ConfigMap propagated to all
// of them.
func loadSource(clusters []string) fstest.MapFS {
	files := fstest.MapFS{
		"shop/namespace.yaml": {Data: []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")},
		"shop/settings.yaml": {Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n" +
			"data: {color: blue}\n")},
		"shop/policy.yaml": {Data: []byte(`apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: shop, namespace: shop}
spec:
  resourceSelectors:
  - {apiVersion: v1, kind: ConfigMap}
  placement:
    clusterAffinity: {clusterNames: [` + strings.Join(clusters, ", ") + `]}
`)},
	}
	for _, c := range clusters {
		files["clusters/"+c+".yaml"] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: %s}\nspec:\n  syncMode: Pull\n", c)}
	}
	return files
}

// loadAgent is a simulated pull agent: it applies nothing and reports, like agent.Agent's
// report, a Ready cluster and a sync whose objects count is the report's sequence number.
type loadAgent struct {
	repo    *gitstore.Repository
	cluster string
	rec     *loadRecorder
}

// loop reports every 2–3 s until stop is closed; when the last report failed it keeps
// trying (a few times) so that the agent's final report is on its ref.
func (a *loadAgent) loop(ctx context.Context, stop <-chan struct{}) {
	seq, ok := 0, true
	wait := rand.N(loadReportEvery + loadReportJitter/2) // agents do not start in step
	for {
		t := time.NewTimer(wait)
		select {
		case <-stop:
			t.Stop()
			for n := 0; !ok && n < 5; n++ {
				seq++
				ok = a.report(ctx, seq)
			}
			return
		case <-t.C:
		}
		seq++
		ok = a.report(ctx, seq)
		wait = loadReportEvery + rand.N(loadReportJitter)
	}
}

// report pushes report seq and records when its push returned; it reports whether it did.
func (a *loadAgent) report(ctx context.Context, seq int) bool {
	start := time.Now()
	_, err := a.repo.UpdateBranch(ctx, v1alpha1.AgentReportBranchPrefix+a.cluster, func(*gitstore.Snapshot) (gitstore.CommitRequest, error) {
		// The clone was just fetched: the rendered commit is the one an agent would apply.
		var rendered string
		if h, err := a.repo.Resolve("gitfleet/rendered"); err == nil {
			rendered = h.String()
		}
		files, err := loadReportFiles(a.cluster, seq, rendered, time.Now())
		if err != nil {
			return gitstore.CommitRequest{}, err
		}
		return gitstore.CommitRequest{
			Files:   files,
			Message: fmt.Sprintf("Report of cluster %s", a.cluster),
			Author:  gitstore.Signature{Name: "gitfleet agent " + a.cluster, Email: "gitfleet@localhost", When: time.Now()},
			Replace: true,
		}, nil
	})
	a.rec.pushed(a.cluster, seq, start, time.Now(), err)
	return err == nil
}

// loadTransition is the Ready condition's transition time in every report: the cluster has
// been Ready all along.
var loadTransition = metav1.NewTime(time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC))

// loadReportFiles are the files of report seq, as agent.Agent writes them: the collected
// status (clusterstatus.EncodeReport) and report.yaml.
func loadReportFiles(cluster string, seq int, rendered string, now time.Time) (map[string][]byte, error) {
	return clusterstatus.EncodeAgentReport(clusterstatus.ClusterInput{Name: cluster, Status: &v1alpha1.ClusterStatus{
		Conditions: []metav1.Condition{{Type: v1alpha1.ClusterConditionReady, Status: metav1.ConditionTrue,
			Reason: v1alpha1.ClusterReasonReady, Message: v1alpha1.ClusterMessageReady, LastTransitionTime: loadTransition}},
	}}, &v1alpha1.AgentReport{Cluster: cluster, AgentVersion: "load-test",
		HeartbeatTime: metav1.NewTime(now.UTC().Truncate(time.Second)), ObservedCommit: rendered,
		Sync: v1alpha1.ClusterSyncStatus{Cluster: cluster, AppliedCommit: rendered, Objects: seq}})
}

// loadHub runs the hub's cycles as Run does — one per tick of loadHubInterval, the next one
// at once when a cycle overran — and counts them, their time and their failures.
type loadHub struct {
	ctrl *controller.Controller

	mu                            sync.Mutex
	cycles, errors, statusCommits int
	total, longest                time.Duration
	errSamples                    []string
}

func (h *loadHub) loop(ctx context.Context, stop <-chan struct{}) {
	t := time.NewTicker(loadHubInterval)
	defer t.Stop()
	for {
		h.cycle(ctx)
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// cycle runs one cycle; a failed cycle, or a source that does not render, is an error.
func (h *loadHub) cycle(ctx context.Context) {
	start := time.Now()
	res, err := h.ctrl.Cycle(ctx)
	d := time.Since(start)
	if err == nil && res.RenderErr != nil {
		err = fmt.Errorf("render: %w", res.RenderErr)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cycles++
	h.total += d
	h.longest = max(h.longest, d)
	if err != nil {
		h.errors++
		if len(h.errSamples) < 5 {
			h.errSamples = append(h.errSamples, err.Error())
		}
		return
	}
	if res.Status.Changed {
		h.statusCommits++
	}
}

func (h *loadHub) stats() (cycles, errs, statusCommits int, mean, longest time.Duration, errSamples []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cycles > 0 {
		mean = h.total / time.Duration(h.cycles)
	}
	return h.cycles, h.errors, h.statusCommits, mean, h.longest, slices.Clone(h.errSamples)
}

// loadWatcher polls the status ref (in the server's repository) and records when each report first shows in a cluster's
// sync.yaml. Only loop and, after it returned, poll touch it.
type loadWatcher struct {
	repo       *gitstore.Repository
	clusters   []string
	rec        *loadRecorder
	last       string
	errors     int
	errSamples []string
}

func (w *loadWatcher) loop(ctx context.Context, stop <-chan struct{}) {
	t := time.NewTicker(loadWatchEvery)
	defer t.Stop()
	for {
		w.poll(ctx)
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

func (w *loadWatcher) poll(ctx context.Context) {
	err := w.repo.Fetch(ctx)
	seen := time.Now()
	var snap *gitstore.Snapshot
	if err == nil {
		snap, err = w.repo.BranchSnapshot("gitfleet/status")
	}
	if err != nil {
		w.errors++
		if len(w.errSamples) < 5 {
			w.errSamples = append(w.errSamples, err.Error())
		}
		return
	}
	if snap == nil || snap.Commit.Hash == w.last {
		return
	}
	w.last = snap.Commit.Hash
	for _, c := range w.clusters {
		data, err := fs.ReadFile(snap.FS, "clusters/"+c+"/"+v1alpha1.ClusterSyncFileName)
		if errors.Is(err, fs.ErrNotExist) {
			continue // no report folded yet
		}
		var st v1alpha1.ClusterSyncStatus
		if err == nil {
			err = yaml.Unmarshal(data, &st)
		}
		if err != nil {
			w.errors++
			w.errSamples = append(w.errSamples, fmt.Sprintf("status %s: %s: %v", snap.Commit.Hash, c, err))
			continue
		}
		w.rec.seen(c, st.Objects, seen)
	}
}

// loadRecorder records, per cluster and report, when the agent's push returned and when the
// watcher first saw the report in the status.
type loadRecorder struct {
	mu sync.Mutex
	// pushedAt and seenAt are by cluster, then by sequence number.
	pushedAt, seenAt map[string]map[int]time.Time
	// final is each cluster's last report that was pushed; highest the highest seen.
	final, highest        map[string]int
	conflicts, pushErrors int
	regressions           int
	errSamples            []string
	// pushTimes are when each report's UpdateBranch started and how long it took.
	pushTimes []loadPush
}

type loadPush struct {
	start time.Time
	took  time.Duration
}

func newLoadRecorder(clusters []string) *loadRecorder {
	r := &loadRecorder{pushedAt: map[string]map[int]time.Time{}, seenAt: map[string]map[int]time.Time{},
		final: map[string]int{}, highest: map[string]int{}}
	for _, c := range clusters {
		r.pushedAt[c], r.seenAt[c] = map[int]time.Time{}, map[int]time.Time{}
	}
	return r
}

func (r *loadRecorder) pushed(cluster string, seq int, start, at time.Time, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pushTimes = append(r.pushTimes, loadPush{start: start, took: at.Sub(start)})
	switch {
	case errors.Is(err, gitstore.ErrConflict):
		r.conflicts++
	case err != nil:
		r.pushErrors++
	default:
		r.pushedAt[cluster][seq] = at
		r.final[cluster] = seq
		return
	}
	if len(r.errSamples) < 5 {
		r.errSamples = append(r.errSamples, fmt.Sprintf("%s report %d: %v", cluster, seq, err))
	}
}

func (r *loadRecorder) seen(cluster string, seq int, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seenAt[cluster][seq]; ok {
		return
	}
	if seq < r.highest[cluster] {
		r.regressions++
	}
	r.seenAt[cluster][seq] = at
	r.highest[cluster] = max(r.highest[cluster], seq)
}

// loadStats sums up a recorder.
type loadStats struct {
	pushed, folded, superseded int
	// early counts reports seen before their push returned (the hub read the ref between
	// the server's update and the agent's return).
	early                 int
	lost                  []string
	conflicts, pushErrors int
	regressions           int
	errSamples            []string
	p50, p90, p99, max    time.Duration
	// pushP50 and pushP99 are percentiles of the agents' UpdateBranch times.
	pushP50, pushP99 time.Duration
	// The trend over the run: medians of the fold latency and of the push time of the
	// reports pushed in its first and in its last fifth.
	foldFirst, foldLast, pushFirst, pushLast time.Duration
}

// stats sums up the run that started at start and lasted d (agents reporting).
func (r *loadRecorder) stats(start time.Time, d time.Duration) loadStats {
	firstEnd, lastStart := start.Add(d/5), start.Add(d-d/5)
	var foldFirst, foldLast, pushFirst, pushLast []time.Duration
	r.mu.Lock()
	defer r.mu.Unlock()
	s := loadStats{conflicts: r.conflicts, pushErrors: r.pushErrors, regressions: r.regressions, errSamples: r.errSamples}
	var latencies []time.Duration
	for c, pushed := range r.pushedAt {
		s.pushed += len(pushed)
		for seq, at := range pushed {
			seen, ok := r.seenAt[c][seq]
			switch {
			case !ok && seq < r.final[c]:
				s.superseded++
			case !ok:
				s.lost = append(s.lost, fmt.Sprintf("%s#%d", c, seq))
			default:
				s.folded++
				d := seen.Sub(at)
				if d < 0 {
					s.early++
					d = 0
				}
				latencies = append(latencies, d)
				if at.Before(firstEnd) {
					foldFirst = append(foldFirst, d)
				} else if !at.Before(lastStart) {
					foldLast = append(foldLast, d)
				}
			}
		}
	}
	var pushTimes []time.Duration
	for _, p := range r.pushTimes {
		pushTimes = append(pushTimes, p.took)
		if p.start.Before(firstEnd) {
			pushFirst = append(pushFirst, p.took)
		} else if !p.start.Before(lastStart) {
			pushLast = append(pushLast, p.took)
		}
	}
	slices.Sort(pushTimes)
	s.pushP50, s.pushP99 = percentile(pushTimes, 50), percentile(pushTimes, 99)
	for _, l := range [][]time.Duration{foldFirst, foldLast, pushFirst, pushLast} {
		slices.Sort(l)
	}
	s.foldFirst, s.foldLast = percentile(foldFirst, 50), percentile(foldLast, 50)
	s.pushFirst, s.pushLast = percentile(pushFirst, 50), percentile(pushLast, 50)
	slices.Sort(s.lost)
	slices.Sort(latencies)
	s.p50, s.p90, s.p99 = percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99)
	if len(latencies) > 0 {
		s.max = latencies[len(latencies)-1]
	}
	return s
}

// percentile is the nearest-rank p-th percentile of sorted durations; 0 for none.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ⌈p·n/100⌉
	return sorted[max(rank, 1)-1]
}

func roundLatency(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }

// checkLoadStatus checks the status ref once everything stopped: every cluster's sync.yaml
// holds its final report and its cluster file says Ready=True.
func checkLoadStatus(t *testing.T, repo *gitstore.Repository, clusters []string, rec *loadRecorder) {
	t.Helper()
	snap, err := repo.BranchSnapshot("gitfleet/status")
	if err != nil || snap == nil {
		t.Fatalf("status ref: %v (snapshot %v)", err, snap)
	}
	for _, c := range clusters {
		var st v1alpha1.ClusterSyncStatus
		if err := loadReadYAML(snap.FS, "clusters/"+c+"/"+v1alpha1.ClusterSyncFileName, &st); err != nil {
			t.Errorf("status: %v", err)
		} else if want := rec.final[c]; st.Objects != want || st.Cluster != c {
			t.Errorf("status: clusters/%s/sync.yaml is report %d of cluster %q, want the final report %d of %s", c, st.Objects, st.Cluster, want, c)
		}
		var cl v1alpha1.Cluster
		if err := loadReadYAML(snap.FS, clusterstatus.ClusterFilePath(c), &cl); err != nil {
			t.Errorf("status: %v", err)
		} else if ready := apimeta.FindStatusCondition(cl.Status.Conditions, v1alpha1.ClusterConditionReady); ready == nil || ready.Status != metav1.ConditionTrue {
			t.Errorf("status: %s is not Ready=True: %+v", clusterstatus.ClusterFilePath(c), ready)
		}
	}
}

func loadReadYAML(fsys fs.FS, p string, v any) error {
	data, err := fs.ReadFile(fsys, p)
	if err == nil {
		err = yaml.Unmarshal(data, v)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// checkLoadRefs checks the server's bare repository: one report ref per cluster, each a
// single root commit holding that cluster's final report, and a linear status history of
// exactly the commits the hub made.
func checkLoadRefs(t *testing.T, dir string, clusters []string, rec *loadRecorder, statusCommits int) {
	t.Helper()
	bare, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := bare.References()
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]plumbing.Hash{}
	prefix := plumbing.NewBranchReferenceName(v1alpha1.AgentReportBranchPrefix).String()
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		if c, ok := strings.CutPrefix(ref.Name().String(), prefix); ok {
			reports[c] = ref.Hash()
		}
		return nil
	})
	if len(reports) != len(clusters) {
		t.Errorf("server has %d report refs, want %d", len(reports), len(clusters))
	}
	for _, c := range clusters {
		h, ok := reports[c]
		if !ok {
			t.Errorf("server has no report ref for %s", c)
			continue
		}
		commit, err := bare.CommitObject(h)
		if err != nil {
			t.Errorf("report ref of %s: %v", c, err)
			continue
		}
		if n := len(commit.ParentHashes); n != 0 {
			t.Errorf("report ref of %s: commit %s has %d parents, want a single root commit", c, h, n)
		}
		f, err := commit.File(v1alpha1.AgentReportFileName)
		var content string
		if err == nil {
			content, err = f.Contents()
		}
		var rep v1alpha1.AgentReport
		if err == nil {
			err = yaml.Unmarshal([]byte(content), &rep)
		}
		switch {
		case err != nil:
			t.Errorf("report ref of %s: %s: %v", c, v1alpha1.AgentReportFileName, err)
		case rep.Cluster != c || rep.Kind != "AgentReport" || rep.APIVersion != v1alpha1.GitfleetGroupVersion.String():
			t.Errorf("report ref of %s: report.yaml is a %s %s of cluster %q", c, rep.APIVersion, rep.Kind, rep.Cluster)
		case rep.Sync.Objects != rec.final[c]:
			t.Errorf("report ref of %s: report %d, want the final report %d", c, rep.Sync.Objects, rec.final[c])
		}
	}

	head, err := bare.Reference(plumbing.NewBranchReferenceName("gitfleet/status"), true)
	if err != nil {
		t.Fatalf("status ref on the server: %v", err)
	}
	n := 0
	for h := head.Hash(); ; n++ {
		commit, err := bare.CommitObject(h)
		if err != nil {
			t.Fatalf("status history at %s: %v", h, err)
		}
		if len(commit.ParentHashes) > 1 {
			t.Errorf("status history is not linear: %s has %d parents", h, len(commit.ParentHashes))
		}
		if len(commit.ParentHashes) == 0 {
			n++
			break
		}
		h = commit.ParentHashes[0]
	}
	if n != statusCommits {
		t.Errorf("status history has %d commits, the hub made %d", n, statusCommits)
	}
}
