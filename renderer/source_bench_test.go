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
