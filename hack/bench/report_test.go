package main

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// results builds F100 and F1000 results with the given cold render times, kustomize time
// and re-render time.
func results(f100, kustomize, f1000, rerender time.Duration, rss int64) []*sizeResult {
	changes := []changeRun{
		{edit: policyWeightsEdit, render: renderRun{usage: usage{wall: rerender}, committed: true}, identical: true},
		{edit: templateImageEdit, render: renderRun{usage: usage{wall: rerender}, committed: true}, identical: false},
	}
	return []*sizeResult{
		{
			size:      fleetSizes["f100"],
			cold:      renderRun{usage: usage{wall: f100, cpu: f100, peakRSS: rss}, tree: treeCount{objects: 1000}},
			kustomize: &kustomizeRun{measured: 100, clusters: 100, usage: usage{wall: kustomize}},
			changes:   changes,
		},
		{
			size:    fleetSizes["f1000"],
			cold:    renderRun{usage: usage{wall: f1000, cpu: f1000, peakRSS: rss}, tree: treeCount{objects: 1000}},
			changes: changes,
		},
	}
}

func resultsOf(checks []check) map[string]string {
	out := map[string]string{}
	for _, c := range checks {
		out[c.size+" | "+c.scenario+" | "+c.source] = c.result
	}
	return out
}

func TestEvaluate(t *testing.T) {
	g := NewWithT(t)
	got := resultsOf(evaluate(results(30*time.Second, 150*time.Second, 70*time.Second, 500*time.Millisecond, 600*mb)))
	g.Expect(got).To(Equal(map[string]string{
		"F100 | S1 full render + commit | issue":                                                                    "PASS",
		"F100 | S1 full render + commit | target":                                                                   "MISS",
		"F100 | S1 full render + commit: peak RSS | target":                                                         "MISS",
		"F100 | S1 speed-up over `kubectl kustomize` | issue":                                                       "PASS",
		"F100 | S1 speed-up over `kubectl kustomize` | target":                                                      "MISS",
		"F100 | S1 comparator builds the rendered object counts | bench":                                            "PASS",
		"F100 | S2 re-render + commit after policy weights change | target":                                         "PASS",
		"F100 | S2 re-render + commit after policy weights change: tree | target":                                   "PASS",
		"F100 | S2 re-render + commit after template edit (one Deployment's image) | target":                        "MISS",
		"F100 | S2 re-render + commit after template edit (one Deployment's image): tree | target":                  "MISS",
		"F1000 | S1 full render + commit | issue":                                                                   "PASS",
		"F1000 | S1 full render + commit: peak RSS | issue":                                                         "PASS",
		"F1000 | S6 peak RSS | target":                                                                              "PASS",
		"F1000 | S2 re-render + commit after policy weights change | target":                                        "PASS",
		"F1000 | S2 re-render + commit after policy weights change: tree | target":                                  "PASS",
		"F1000 | S2 re-render + commit after template edit (one Deployment's image) | target":                       "MISS",
		"F1000 | S2 re-render + commit after template edit (one Deployment's image): tree | target":                 "MISS",
		"F100 → F1000 | S6 user+sys per rendered object, cold render + commit | target (our reading of \"linear\")": "MISS",
	}))
}

func TestEvaluateSkipsTheComparatorWithoutKubectl(t *testing.T) {
	g := NewWithT(t)
	sizes := results(10*time.Second, 0, 20*time.Second, 0, 0)[:1]
	sizes[0].kustomize = &kustomizeRun{skipped: "kubectl not found", clusters: 100}
	got := resultsOf(evaluate(sizes))
	g.Expect(got).To(HaveKeyWithValue("F100 | S1 speed-up over `kubectl kustomize` | issue", "SKIP"))
	g.Expect(got).To(HaveKeyWithValue("F100 | S1 speed-up over `kubectl kustomize` | target", "SKIP"))
}

func TestMarkdown(t *testing.T) {
	g := NewWithT(t)
	r := &report{cfg: config{seed: 1, gitfleet: "bin/gitfleet"}, uptimeStart: "up 1 day", uptimeEnd: "up 1 day",
		kubectlVersion: "v1.32", sizes: results(20*time.Second, 100*time.Second, 40*time.Second, 200*time.Millisecond, 3<<30)}
	r.sizes[0].kustomize = &kustomizeRun{measured: 10, clusters: 100, objects: 500, usage: usage{wall: 10 * time.Second, cpu: 8 * time.Second}}
	md := r.markdown()
	g.Expect(md).To(ContainSubstring("## F100 — `gitfleet gen-fleet --seed 1 --clusters 100 --templates 2000`"))
	g.Expect(md).To(ContainSubstring("## F1000 — `gitfleet gen-fleet --seed 1 --clusters 1000 --templates 10000 --max-width 10`"))
	g.Expect(md).To(ContainSubstring("| S1 full render + commit (cold) | 20.0 s | 20.0 s | 3.00 GiB | 1,000 | 1.00 (reference) |"))
	g.Expect(md).To(ContainSubstring("| 100.0 s |"), "10 of 100 clusters extrapolated")
	g.Expect(md).To(ContainSubstring("5.0× render (user+sys 4.0×)"))
	g.Expect(md).To(ContainSubstring("extrapolated linearly (×10.0)"))
	g.Expect(md).To(ContainSubstring("**committed tree differs from this render**"))
	g.Expect(strings.Count(md, "| PASS |") + strings.Count(md, "| MISS |")).To(BeNumerically(">", 10))
}

func TestCount(t *testing.T) {
	g := NewWithT(t)
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		g.Expect(count(n)).To(Equal(want))
	}
}
