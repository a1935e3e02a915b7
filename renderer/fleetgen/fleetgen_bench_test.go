package fleetgen

import (
	"testing"

	"github.com/gitfleet/gitfleet/renderer"
)

// BenchmarkRenderF100 measures a cold full render of the shared fixture F100
// (BENCHMARKS.md, scenario S1 without the commit): loading the source and status trees and
// rendering them. Generation happens once, outside the timer.
func BenchmarkRenderF100(b *testing.B) {
	if testing.Short() {
		b.Skip("F100 renders ~100k manifests; skipped under -short")
	}
	source, status, err := Generate(Options{Seed: 1, Clusters: 100, Templates: 2000})
	if err != nil {
		b.Fatal(err)
	}
	sourceFS, statusFS := source.FS(), status.FS()
	b.ReportAllocs()
	var files int
	for b.Loop() {
		src, err := renderer.LoadSource(sourceFS, renderer.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		view, err := renderer.LoadStatusView(statusFS)
		if err != nil {
			b.Fatal(err)
		}
		res, err := renderer.Render(src, view, nil, renderer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		files = res.Tree.Len()
	}
	b.ReportMetric(float64(files), "files")
}
