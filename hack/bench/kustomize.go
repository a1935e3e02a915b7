package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gitfleet/gitfleet/reconciler/treedir"
	"github.com/gitfleet/gitfleet/renderer/fleetgen"
)

// kustomizeRun is the S1 comparator: `kubectl kustomize` over one overlay per cluster, run
// one after another like a CI job would.
type kustomizeRun struct {
	// skipped says why the comparator did not run (empty: it ran).
	skipped string
	// usage sums the builds' wall and CPU time; peakRSS is the largest build's.
	usage
	// measured of clusters were built (fewer with -kustomize-clusters).
	measured, clusters int
	// objects are the objects the measured builds produced.
	objects int
	// mismatched lists clusters whose build produced a different number of objects than
	// gitfleet rendered for them.
	mismatched []string
	// overlays describes what the overlays hold.
	overlays overlayStats
}

// overlayStats counts the parts of the kustomize overlays.
type overlayStats struct {
	bases int
	// patches are difference patches; deletes are `$patch: delete` patches.
	patches, deletes int
}

// countOverlays counts the bases and patches of KustomizeOverlays' tree by path.
func countOverlays(paths []string) overlayStats {
	var s overlayStats
	for _, p := range paths {
		switch {
		case strings.HasPrefix(p, "base/") && strings.HasSuffix(p, "/kustomization.yaml"):
			s.bases++
		case strings.Contains(p, "/patches/delete/"):
			s.deletes++
		case strings.Contains(p, "/patches/"):
			s.patches++
		}
	}
	return s
}

// scale is the factor that extrapolates the measured clusters to all of them.
func (k *kustomizeRun) scale() float64 {
	if k.measured == 0 {
		return 0
	}
	return float64(k.clusters) / float64(k.measured)
}

// extrapolated is the comparator's cost for every cluster: measured, scaled linearly.
func (k *kustomizeRun) extrapolated() usage {
	s := k.scale()
	return usage{wall: scaleDuration(k.wall, s), cpu: scaleDuration(k.cpu, s), peakRSS: k.peakRSS}
}

// kustomizeComparator writes the overlays of the cold render (in process, not measured) and
// measures `kubectl kustomize clusters/<cluster>` for every cluster, or a sample of evenly
// spaced clusters with -kustomize-clusters.
func (f *fleet) kustomizeComparator(cold renderRun) (*kustomizeRun, error) {
	clusters := slices.Sorted(maps.Keys(cold.tree.perCluster))
	k := &kustomizeRun{clusters: len(clusters)}
	if f.cfg.kubectl == "" {
		k.skipped = "kubectl not found"
		return k, nil
	}
	overlays, err := f.writeOverlays(cold, k)
	if err != nil {
		return nil, err
	}
	sample := sampleClusters(clusters, f.cfg.kustomizeClusters)
	k.measured = len(sample)
	for i, c := range sample {
		if i%10 == 0 {
			logf("%s: kubectl kustomize: %d of %d clusters built", f.size.name, i, len(sample))
		}
		out, u, err := measured(overlays, f.cfg.kubectl, "kustomize", "clusters/"+c)
		if err != nil {
			return nil, err
		}
		k.usage = k.usage.add(u)
		n := countDocuments(out)
		k.objects += n
		if n != cold.tree.perCluster[c] {
			k.mismatched = append(k.mismatched, fmt.Sprintf("%s (%d built, %d rendered)", c, n, cold.tree.perCluster[c]))
		}
	}
	return k, nil
}

// writeOverlays checks out a render and its source, writes the kustomize overlays
// expressing the render to <dir>/overlays and returns that directory. It records what the
// overlays hold in k.
func (f *fleet) writeOverlays(run renderRun, k *kustomizeRun) (string, error) {
	logf("%s: writing kustomize overlays", f.size.name)
	source, rendered := filepath.Join(f.dir, "overlays-source"), filepath.Join(f.dir, "overlays-rendered")
	if err := f.repo.checkout(run.source, source); err != nil {
		return "", err
	}
	if err := f.repo.checkout(run.commit, rendered); err != nil {
		return "", err
	}
	tree, err := fleetgen.KustomizeOverlays(os.DirFS(source), os.DirFS(rendered))
	if err != nil {
		return "", fmt.Errorf("expressing the render as overlays: %w", err)
	}
	k.overlays = countOverlays(tree.Paths())
	dir := filepath.Join(f.dir, "overlays")
	if err := treedir.Replace(dir, tree); err != nil {
		return "", fmt.Errorf("writing the overlays: %w", err)
	}
	return dir, nil
}

// sampleClusters picks n evenly spaced clusters (all of them when n is 0 or too large).
func sampleClusters(clusters []string, n int) []string {
	if n <= 0 || n >= len(clusters) {
		return clusters
	}
	out := make([]string, n)
	for i := range n {
		out[i] = clusters[i*len(clusters)/n]
	}
	return out
}

// countDocuments counts the documents of a YAML stream as kustomize prints it: separated
// by "---" lines.
func countDocuments(stream []byte) int {
	if len(bytes.TrimSpace(stream)) == 0 {
		return 0
	}
	n := 1
	for line := range bytes.Lines(stream) {
		if string(bytes.TrimRight(line, "\r\n")) == "---" {
			n++
		}
	}
	return n
}
