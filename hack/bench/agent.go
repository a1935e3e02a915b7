package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The agent scenario: one Pull cluster (a local API server from `gitfleet dev up`) that
// receives agentNamespaces Namespaces, each with agentConfigMaps ConfigMaps and
// agentDeployments Deployments — 1,000 objects.
const (
	agentCluster     = "bench-agent"
	agentNamespaces  = 10
	agentConfigMaps  = 89
	agentDeployments = 10
	// agentIdleInterval is the agent's --interval while it idles.
	agentIdleInterval = 5 * time.Second
	// agentIdleWindow is how long the idle agent is sampled, after its first cycle.
	agentIdleWindow = 60 * time.Second
	// agentConvergeTimeout bounds the idle run's first cycle (which applies nothing).
	agentConvergeTimeout = 3 * time.Minute
)

// agentResult is what the agent scenario measured.
type agentResult struct {
	// skipped says why the scenario did not run (empty: it ran).
	skipped string
	// objects are the manifests rendered for the cluster.
	objects int
	// first is `gitfleet agent --once` applying every object to an empty cluster.
	first usage
	// firstOutput is what that cycle printed.
	firstOutput string
	idle        idleRun
}

// idleRun is a long-running agent sampled from /proc once its first cycle has reported.
type idleRun struct {
	idleStats
	// converged is how long the run's first cycle (no changes) took to report;
	// convergedSync is what that cycle's sync logged.
	converged     time.Duration
	convergedSync agentLogEvent
	// cycles counts the syncs during the window; applied, pruned and failed sum theirs.
	cycles, applied, pruned, failed int
	// peakRSS is the process's peak from its rusage: the whole run, first cycle included.
	peakRSS int64
}

// benchAgent runs the agent scenario: a dev cluster, a fleet repository rendered for it, one
// measured `agent --once` that applies everything, then an idling `agent --interval` sampled
// for agentIdleWindow. The cluster is always stopped at the end.
func benchAgent(cfg config) (res *agentResult, err error) {
	if runtime.GOOS != "linux" {
		return &agentResult{skipped: "needs Linux (gitfleet dev up, /proc sampling)"}, nil
	}
	dir := filepath.Join(cfg.workDir, "agent")
	state := filepath.Join(dir, "state")
	if _, err := os.Stat(state); err == nil {
		// A run that died without cleaning up: stop its clusters before removing their data.
		_, _, _ = measured(cfg.workDir, cfg.gitfleet, "dev", "down", "--state-dir", state)
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("clearing %s: %w", dir, err)
	}
	logf("agent: gitfleet dev up --clusters %s", agentCluster)
	if _, _, err := measured(cfg.workDir, cfg.gitfleet, "dev", "up", "--clusters", agentCluster, "--state-dir", state); err != nil {
		return nil, err
	}
	defer func() {
		if _, _, downErr := measured(cfg.workDir, cfg.gitfleet, "dev", "down", "--state-dir", state); downErr != nil {
			err = errors.Join(err, fmt.Errorf("dev down: %w", downErr))
		}
	}()
	kubeconfig := filepath.Join(state, agentCluster+".kubeconfig")

	repo, objects, err := prepareAgentRepo(cfg, dir)
	if err != nil {
		return nil, err
	}
	res = &agentResult{objects: objects}
	args := []string{"agent", "--cluster", agentCluster, "--repo", repo.dir, "--kubeconfig", kubeconfig}
	logf("agent: first cycle (%d objects)", objects)
	out, u, err := measured(dir, cfg.gitfleet, append(args, "--once")...)
	if err != nil {
		return nil, fmt.Errorf("first cycle: %w", err)
	}
	res.first, res.firstOutput = u, firstLine(string(out))
	logf("agent: idle, interval %s, sampled for %s", agentIdleInterval, agentIdleWindow)
	if res.idle, err = runIdleAgent(dir, cfg.gitfleet, append(args, "--interval", agentIdleInterval.String())); err != nil {
		return nil, fmt.Errorf("idle agent: %w", err)
	}
	return res, nil
}

// prepareAgentRepo writes the scenario's fleet source, commits it on main of a new
// repository, renders it with `gitfleet render --commit` and returns the repository and the
// number of objects rendered for the cluster.
func prepareAgentRepo(cfg config, dir string) (gitRepo, int, error) {
	source := filepath.Join(dir, "source")
	for name, data := range agentFleetFiles() {
		file := filepath.Join(source, name)
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return gitRepo{}, 0, err
		}
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			return gitRepo{}, 0, err
		}
	}
	repo, err := initGitRepo(filepath.Join(dir, "repo"))
	if err != nil {
		return repo, 0, err
	}
	if _, err := repo.commitDir(source, sourceBranch, "Agent bench source"); err != nil {
		return repo, 0, err
	}
	if _, _, err := measured(repo.dir, cfg.gitfleet, "render", "-q", "--repo", repo.dir, "--commit"); err != nil {
		return repo, 0, err
	}
	paths, err := repo.paths(renderedBranch)
	if err != nil {
		return repo, 0, err
	}
	objects := countTree(paths).perCluster[agentCluster]
	if objects == 0 {
		return repo, 0, fmt.Errorf("the render gives cluster %s no objects", agentCluster)
	}
	return repo, objects, nil
}

// agentFleetFiles is the scenario's fleet source by path: the Pull cluster, and per
// namespace the Namespace, its ConfigMaps and Deployments, all propagated to the cluster by
// one ClusterPropagationPolicy.
func agentFleetFiles() map[string]string {
	files := map[string]string{
		"clusters/" + agentCluster + ".yaml": fmt.Sprintf("apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\n"+
			"metadata:\n  name: %s\nspec:\n  syncMode: Pull\n", agentCluster),
		"fleet/propagation.yaml": fmt.Sprintf(`apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata:
  name: bench-agent
spec:
  resourceSelectors:
  - apiVersion: v1
    kind: Namespace
  - apiVersion: v1
    kind: ConfigMap
  - apiVersion: apps/v1
    kind: Deployment
  placement:
    clusterAffinity:
      clusterNames:
      - %s
`, agentCluster),
	}
	for n := range agentNamespaces {
		ns := fmt.Sprintf("bench-%02d", n)
		files["apps/"+ns+"/namespace.yaml"] = fmt.Sprintf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n", ns)
		var cms, deps []string
		for i := range agentConfigMaps {
			cms = append(cms, fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-%02d\n  namespace: %s\n"+
				"data:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: a,b,c\n  INDEX: %q\n", i, ns, strconv.Itoa(i)))
		}
		for i := range agentDeployments {
			name := fmt.Sprintf("app-%02d", i)
			deps = append(deps, fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: %[1]s
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: %[1]s
  template:
    metadata:
      labels:
        app.kubernetes.io/name: %[1]s
    spec:
      containers:
      - name: app
        image: registry.example.com/bench/%[1]s:1.0.0
        envFrom:
        - configMapRef:
            name: config-%02[3]d
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
`, name, ns, i))
		}
		files["apps/"+ns+"/configmaps.yaml"] = strings.Join(cms, "---\n")
		files["apps/"+ns+"/deployments.yaml"] = strings.Join(deps, "---\n")
	}
	return files
}

// runIdleAgent starts a long-running agent, waits for its first cycle to report, samples
// its RSS and CPU time from /proc every second for agentIdleWindow, then stops it.
func runIdleAgent(dir, gitfleet string, args []string) (idleRun, error) {
	var run idleRun
	cmd := exec.Command(gitfleet, args...)
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return run, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return run, err
	}
	logs := watchAgentLog(stderr)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	}

	// The first cycle re-applies everything unchanged; the window starts once it reported.
	if run.convergedSync, err = awaitReport(logs, exited, agentConvergeTimeout); err != nil {
		stop()
		return run, err
	}
	run.converged = time.Since(start)
	proc := procFiles(cmd.Process.Pid)
	var samples []procSample
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	windowStart := time.Now()
	for {
		s, err := proc.sample(windowStart)
		if err != nil {
			stop()
			return run, err
		}
		samples = append(samples, s)
		if s.at >= agentIdleWindow {
			break
		}
		select {
		case err := <-exited:
			return run, fmt.Errorf("exited while idle: %v: %s", err, logs.tail())
		case <-ticker.C:
		}
	}
	stop()
	for ev := range logs.drain() { // the window's cycles: the log is read to its end only now
		run.count(ev)
	}
	if ps := cmd.ProcessState; ps != nil {
		run.peakRSS = peakRSS(ps)
	}
	run.idleStats, err = summarizeIdle(samples, clockTicks())
	return run, err
}

// count adds one synced cycle of the window.
func (r *idleRun) count(ev agentLogEvent) {
	if ev.Msg == "synced" {
		r.cycles++
		r.applied += ev.Applied
		r.pruned += ev.Pruned
		r.failed += ev.Failed
	}
}

// awaitReport waits for the agent's first "reported" log line and returns the sync logged
// before it.
func awaitReport(logs *agentLog, exited <-chan error, timeout time.Duration) (agentLogEvent, error) {
	deadline := time.After(timeout)
	var synced agentLogEvent
	for {
		select {
		case ev := <-logs.events:
			switch ev.Msg {
			case "synced":
				synced = ev
			case "reported":
				return synced, nil
			}
		case err := <-exited:
			return synced, fmt.Errorf("exited before its first report: %v: %s", err, logs.tail())
		case <-deadline:
			return synced, fmt.Errorf("no report within %s: %s", timeout, logs.tail())
		}
	}
}

// agentLogEvent is the part of one of the agent's JSON log lines the bench reads.
type agentLogEvent struct {
	Msg                                string
	Applied, Unchanged, Pruned, Failed int
}

// parseAgentLogLine reads one line of the agent's slog JSON output; ok is false for lines
// that are not JSON.
func parseAgentLogLine(line []byte) (ev agentLogEvent, ok bool) {
	var raw struct {
		Msg       string `json:"msg"`
		Applied   int    `json:"applied"`
		Unchanged int    `json:"unchanged"`
		Pruned    int    `json:"pruned"`
		Failed    int    `json:"failed"`
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return ev, false
	}
	return agentLogEvent{Msg: raw.Msg, Applied: raw.Applied, Unchanged: raw.Unchanged, Pruned: raw.Pruned, Failed: raw.Failed}, true
}

// agentLog follows the agent's standard error: its events, and the last lines for errors.
type agentLog struct {
	events chan agentLogEvent
	done   chan struct{}
	lines  chan []string
}

// watchAgentLog reads r until it ends, sending the events of its JSON lines.
func watchAgentLog(r io.Reader) *agentLog {
	l := &agentLog{events: make(chan agentLogEvent, 1024), done: make(chan struct{}), lines: make(chan []string, 1)}
	go func() {
		defer close(l.done)
		var last []string
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			last = append(last[max(0, len(last)-9):], sc.Text())
			if ev, ok := parseAgentLogLine(sc.Bytes()); ok {
				l.events <- ev
			}
		}
		l.lines <- last
	}()
	return l
}

// drain returns the events still to be read once the log has ended.
func (l *agentLog) drain() <-chan agentLogEvent {
	<-l.done
	close(l.events)
	return l.events
}

// tail is the log's last lines, once it has ended.
func (l *agentLog) tail() string {
	select {
	case <-l.done:
	case <-time.After(5 * time.Second):
		return "(log still open)"
	}
	select {
	case last := <-l.lines:
		return strings.Join(last, "\n")
	default:
		return ""
	}
}

// procFiles reads a process's /proc entries.
type procFiles int

// procSample is one reading of a process: when, resident set, CPU time in clock ticks.
type procSample struct {
	at       time.Duration
	rss      int64
	cpuTicks int64
}

func (p procFiles) sample(since time.Time) (procSample, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", int(p)))
	if err != nil {
		return procSample{}, err
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", int(p)))
	if err != nil {
		return procSample{}, err
	}
	s := procSample{at: time.Since(since)}
	if s.rss, err = parseVmRSS(string(status)); err != nil {
		return s, err
	}
	s.cpuTicks, err = parseStatCPU(string(stat))
	return s, err
}

// parseVmRSS reads VmRSS from /proc/<pid>/status, in bytes.
func parseVmRSS(status string) (int64, error) {
	for line := range strings.Lines(status) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc status: VmRSS %q: %w", strings.TrimSpace(v), err)
			}
			return kb * 1024, nil
		}
	}
	return 0, errors.New("/proc status: no VmRSS line")
}

// parseStatCPU reads utime+stime (clock ticks) from /proc/<pid>/stat. The command name, in
// parentheses, may hold spaces and parentheses: fields are counted after the last ')'.
func parseStatCPU(stat string) (int64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc stat: no command name in %q", stat)
	}
	// After the name: state(3) ppid(4) … utime(14) stime(15), so utime is the 12th field.
	fields := strings.Fields(stat[i+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc stat: %d fields after the command name", len(fields))
	}
	var total int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		total += n
	}
	return total, nil
}

// idleStats summarizes the samples of an idle window.
type idleStats struct {
	// window is the time between the first and the last sample.
	window time.Duration
	// cpu is the CPU time used in the window; cpuPercent is it per wall time, in % of one core.
	cpu        time.Duration
	cpuPercent float64
	// medianRSS and maxRSS are over the samples.
	medianRSS, maxRSS int64
	samples           int
}

// summarizeIdle turns samples (in time order) into the window's CPU use and RSS; ticks is
// the number of clock ticks per second.
func summarizeIdle(samples []procSample, ticks int64) (idleStats, error) {
	if len(samples) < 2 || ticks <= 0 {
		return idleStats{}, fmt.Errorf("%d samples, %d ticks per second: nothing to summarize", len(samples), ticks)
	}
	first, last := samples[0], samples[len(samples)-1]
	s := idleStats{window: last.at - first.at, samples: len(samples)}
	s.cpu = time.Duration(last.cpuTicks-first.cpuTicks) * time.Second / time.Duration(ticks)
	if s.window > 0 {
		s.cpuPercent = 100 * s.cpu.Seconds() / s.window.Seconds()
	}
	rss := make([]int64, len(samples))
	for i, x := range samples {
		rss[i] = x.rss
	}
	slices.Sort(rss)
	s.maxRSS = rss[len(rss)-1]
	s.medianRSS = rss[len(rss)/2]
	if len(rss)%2 == 0 {
		s.medianRSS = (rss[len(rss)/2-1] + rss[len(rss)/2]) / 2
	}
	return s, nil
}

// clockTicks is the kernel's clock ticks per second (USER_HZ), in which /proc counts CPU
// time: getconf's answer, else 100, which it is on every Linux architecture Go runs on.
func clockTicks() int64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return 100
}

// firstLine is the first line of s, trimmed.
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
