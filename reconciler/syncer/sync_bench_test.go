package syncer

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/flowcontrol"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// s4Phase is one measured step of BENCHMARKS.md S4.
type s4Phase struct {
	name     string
	duration time.Duration
	requests map[string]int
}

// total is the phase's request count.
func (p s4Phase) total() int {
	n := 0
	for _, c := range p.requests {
		n += c
	}
	return n
}

// runS4 runs the syncer side of S4 on a fresh fleet of namespaces and apps of 10 objects:
// create, no-op (a new rendered commit that changes nothing here), 1 % of the manifests
// changed, 1 % of the objects drifted in the cluster, and 1 % pruned. Each step checks its
// outcome, so the benchmark cannot get fast by doing less.
func runS4(tb testing.TB, cfg *rest.Config, namespaces, apps int) []s4Phase {
	tb.Helper()
	ctx := context.Background()
	tree := appFleet("member-1", randomName("s4"), namespaces, apps)
	n := len(tree.objects)
	k := max(1, n/100)
	opts := DefaultOptions()
	opts.InventoryName = randomName("inventory-s4")
	s, err := New(cfg, opts)
	if err != nil {
		tb.Fatal(err)
	}
	var phases []s4Phase
	step := func(name, commit string, check func(*Result) (int, int)) {
		tb.Helper()
		res, err := s.Sync(ctx, Request{Dir: tree.fs(tb), Commit: commit})
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		if got, want := check(res); got != want {
			tb.Fatalf("%s: got %d, want %d: %+v", name, got, want, failures(res))
		}
		phases = append(phases, s4Phase{name: name, duration: res.Duration, requests: res.Requests})
	}

	step("create", "c1", func(r *Result) (int, int) { return r.Applied, n })
	step("no-op", "c2", func(r *Result) (int, int) { return r.Unchanged, n })

	deployments, configMaps := pathsOfKind(tree, "apps.deployment."), pathsOfKind(tree, "core.configmap.")
	for _, p := range deployments[:k] {
		obj := tree.objects[p]
		meta := obj["metadata"].(map[string]any)
		tree.add(deploymentObj(meta["namespace"].(string), meta["name"].(string), "registry.example/app:1.1.0", 2))
	}
	step("1% change", "c3", func(r *Result) (int, int) { return r.Applied, k })

	admin, err := client.New(cfg, client.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range configMaps[:k] {
		meta := tree.objects[p]["metadata"].(map[string]any)
		obj := &unstructured.Unstructured{}
		obj.SetAPIVersion("v1")
		obj.SetKind("ConfigMap")
		obj.SetNamespace(meta["namespace"].(string))
		obj.SetName(meta["name"].(string))
		patch := client.RawPatch("application/merge-patch+json", []byte(`{"data":{"config.yaml":"edited by hand\n"}}`))
		if err := admin.Patch(ctx, obj, patch, client.FieldOwner("kubectl-edit")); err != nil {
			tb.Fatal(err)
		}
	}
	step("1% drift", "c3", func(r *Result) (int, int) { return r.Applied, k })

	for _, p := range configMaps[k : 2*k] {
		tree.remove(p)
	}
	step("1% prune", "c4", func(r *Result) (int, int) { return r.Pruned, k })
	return phases
}

// failures lists the results that are neither applied nor unchanged, for a failure message.
func failures(r *Result) []ObjectResult {
	var out []ObjectResult
	for _, o := range r.Objects {
		if o.Action == ActionFailed || o.Action == ActionConflict {
			out = append(out, o)
		}
	}
	return out
}

// pathsOfKind returns the sorted manifest paths containing infix.
func pathsOfKind(tree *fixtureTree, infix string) []string {
	var out []string
	for _, p := range tree.paths() {
		if strings.Contains(p, infix) {
			out = append(out, p)
		}
	}
	return out
}

// plainApply is S4's ceiling comparator: every manifest of a fresh copy of the fleet applied
// once with server-side apply, Namespaces first, in parallel on workers, no rate limit, no
// reads, no comparison.
func plainApply(tb testing.TB, cfg *rest.Config, namespaces, apps, workers int) s4Phase {
	tb.Helper()
	tree := appFleet("member-1", randomName("plain"), namespaces, apps)
	cfg = rest.CopyConfig(cfg)
	cfg.RateLimiter = flowcontrol.NewFakeAlwaysRateLimiter()
	counter := newRequestCounter()
	cfg.Wrap(counter.wrap)
	c, err := client.New(cfg, client.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	dir := tree.fs(tb)
	var defs, rest []*unstructured.Unstructured
	for _, p := range tree.paths() {
		u, err := decodeManifest(dir[p].Data)
		if err != nil {
			tb.Fatal(err)
		}
		if u.GetKind() == "Namespace" {
			defs = append(defs, u)
		} else {
			rest = append(rest, u)
		}
	}
	start := time.Now()
	for _, stage := range [][]*unstructured.Unstructured{defs, rest} {
		errs := make([]error, len(stage))
		forEach(len(stage), workers, func(i int) {
			errs[i] = c.Apply(context.Background(), client.ApplyConfigurationFromUnstructured(stage[i]), client.FieldOwner("plain"))
		})
		for _, err := range errs {
			if err != nil {
				tb.Fatal(err)
			}
		}
	}
	return s4Phase{name: "plain parallel apply (create)", duration: time.Since(start), requests: counter.snapshot()}
}

// kubectlRequest matches the request lines kubectl logs at -v=6: `GET https://… 200 OK in 3
// milliseconds` (kubectl 1.32) or `"Response" verb="GET" url="https://…"` (later versions).
var kubectlRequest = regexp.MustCompile(`round_trippers\.go:\d+\] (?:"Response" verb=")?([A-Z]+)"?(?: url=")? ?(https?://[^" ]+)`)

// kubectlApply is S4's kubectl comparator: `kubectl apply --server-side -R` of a fresh copy
// of the fleet, with extra arguments. It returns false when kubectl is not installed.
func kubectlApply(tb testing.TB, namespaces, apps int, extra ...string) (s4Phase, bool) {
	tb.Helper()
	kubectl, err := exec.LookPath(cmp.Or(os.Getenv("KUBECTL"), "kubectl")) // make bench builds bin/kubectl
	if err != nil || member.env == nil {
		return s4Phase{}, false
	}
	dir := tb.TempDir()
	tree := appFleet("member-1", randomName("kubectl"), namespaces, apps)
	for p, f := range tree.fs(tb) {
		if p == v1alpha1.ClusterInventoryFileName {
			continue
		}
		path := filepath.Join(dir, "manifests", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	kubeconfig := writeKubeconfig(tb, dir)
	args := append([]string{"--kubeconfig", kubeconfig, "--cache-dir", filepath.Join(dir, "cache"), "-v=6",
		"apply", "--server-side", "-R", "-f", filepath.Join(dir, "manifests")}, extra...)
	cmd := exec.Command(kubectl, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("kubectl %v: %v\n%s", args, err, lastLines(stderr.String(), 20))
	}
	elapsed := time.Since(start)
	requests := map[string]int{}
	for _, m := range kubectlRequest.FindAllStringSubmatch(stderr.String(), -1) {
		if req, err := httpRequest(m[1], m[2]); err == nil {
			requests[requestVerb(req)]++
		}
	}
	name := "kubectl apply --server-side " + strings.Join(extra, " ")
	return s4Phase{name: strings.TrimSpace(name), duration: elapsed, requests: requests}, true
}

// writeKubeconfig writes an admin kubeconfig of the test member cluster into dir.
func writeKubeconfig(tb testing.TB, dir string) string {
	tb.Helper()
	user, err := member.env.ControlPlane.AddUser(envtest.User{Name: "bench", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := user.KubeConfig()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// formatRequests prints request counts, divided by runs, as "verb=n ..." in verb order.
func formatRequests(req map[string]int, runs int) string {
	var parts []string
	for _, verb := range slices.Sorted(maps.Keys(req)) {
		parts = append(parts, fmt.Sprintf("%s=%.4g", verb, float64(req[verb])/float64(runs)))
	}
	return strings.Join(parts, " ")
}

// TestS4Scenario runs the S4 steps on a tenth of the fleet, so the benchmark's checks are
// exercised by `go test`.
func TestS4Scenario(t *testing.T) {
	cfg := memberConfig(t)
	for _, p := range runS4(t, cfg, 2, 10) {
		t.Logf("%-10s %8v  %3d requests: %s", p.name, p.duration.Round(time.Millisecond), p.total(), formatRequests(p.requests, 1))
		if p.name == "no-op" && p.total() > 10 {
			t.Errorf("a no-op sync made %d requests, want at most 10: %v", p.total(), p.requests)
		}
	}
}

// BenchmarkSync1000 is BENCHMARKS.md S4: syncing 1,000 objects (10 Namespaces; 99 apps of 4
// Deployments, 3 ConfigMaps, 3 Services) to one real API server — create, no-op, 1 %
// change, 1 % drift, 1 % prune — side by side, in the same run, with a plain parallel
// server-side apply of the same objects (the server's ceiling) and kubectl apply
// --server-side with and without validation. Every figure is reported as a metric:
// <step>-s (seconds) and <step>-req (API requests).
func BenchmarkSync1000(b *testing.B) {
	cfg := memberConfig(b)
	sums := map[string]s4Phase{}
	var order []string
	record := func(p s4Phase) {
		if _, ok := sums[p.name]; !ok {
			order = append(order, p.name)
		}
		acc := sums[p.name]
		acc.name = p.name
		acc.duration += p.duration
		if acc.requests == nil {
			acc.requests = map[string]int{}
		}
		for verb, n := range p.requests {
			acc.requests[verb] += n
		}
		sums[p.name] = acc
	}
	for b.Loop() {
		for _, p := range runS4(b, cfg, 10, 99) {
			record(p)
		}
		record(plainApply(b, cfg, 10, 99, DefaultOptions().Workers))
		for _, extra := range [][]string{nil, {"--validate=false"}} {
			if p, ok := kubectlApply(b, 10, 99, extra...); ok {
				record(p)
			}
		}
	}
	for _, name := range order {
		p := sums[name]
		secs := p.duration.Seconds() / float64(b.N)
		reqs := float64(p.total()) / float64(b.N)
		metric := strings.NewReplacer(" ", "-", "%", "pct", "(", "", ")", "", "=", "-").Replace(name)
		b.ReportMetric(secs, metric+"-s")
		b.ReportMetric(reqs, metric+"-req")
		b.Logf("%-44s %7.3fs %6.0f requests: %s", name, secs, reqs, formatRequests(p.requests, b.N))
	}
	reportS4Verdicts(b, sums)
}

// reportS4Verdicts reports S4's ratios as metrics (<a>-per-<b>-x) and logs each bar of the
// issue and target of BENCHMARKS.md with PASS or MISS. Comparators that did not run (no
// kubectl) leave their ratios out.
func reportS4Verdicts(b *testing.B, sums map[string]s4Phase) {
	secs := func(name string) float64 { return sums[name].duration.Seconds() / float64(b.N) }
	const plain, kubectl, kubectlNoValidate = "plain parallel apply (create)", "kubectl apply --server-side", "kubectl apply --server-side --validate=false"
	ratio := func(metric, num, den string) (float64, bool) {
		if sums[num].duration <= 0 || sums[den].duration <= 0 {
			return 0, false
		}
		r := secs(num) / secs(den)
		b.ReportMetric(r, metric)
		return r, true
	}
	verdict := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "MISS"
	}
	create, noop := secs("create"), secs("no-op")
	noopRequests := float64(sums["no-op"].total()) / float64(b.N)
	if r, ok := ratio("create-per-plain-x", "create", plain); ok {
		b.Logf("create %.2fs = %.2f× plain parallel apply: target ≤ 4 s and ≤ 1.3× %s", create, r, verdict(create <= 4 && r <= 1.3))
	}
	if r, ok := ratio("kubectl-novalidate-per-create-x", kubectlNoValidate, "create"); ok {
		b.Logf("kubectl --validate=false takes %.2f× gitfleet's create: bar: gitfleet faster %s", r, verdict(r > 1))
	}
	if r, ok := ratio("kubectl-per-create-x", kubectl, "create"); ok {
		b.Logf("kubectl (default) takes %.2f× gitfleet's create", r)
	}
	b.Logf("no-op %.3fs, %.0f requests: bar < 1 s %s; target ≤ 0.5 s with ≤ 10 requests %s",
		noop, noopRequests, verdict(noop < 1), verdict(noop <= 0.5 && noopRequests <= 10))
}
