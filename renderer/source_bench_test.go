package renderer

import (
	"os"
	"testing"
)

// BenchmarkLoadExampleFleet loads fleet-repo-example: walk, kustomize builds, YAML parsing,
// classification, defaulting and validation.
func BenchmarkLoadExampleFleet(b *testing.B) {
	fsys := os.DirFS("../fleet-repo-example")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadSource(fsys, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderExampleFleet renders the loaded example fleet (matching, scheduling,
// overrides, emission) — loading is measured by BenchmarkLoadExampleFleet.
func BenchmarkRenderExampleFleet(b *testing.B) {
	src, err := LoadSource(os.DirFS("../fleet-repo-example"), LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(src, nil, nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
