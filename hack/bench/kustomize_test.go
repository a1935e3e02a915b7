package main

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestSampleClusters(t *testing.T) {
	g := NewWithT(t)
	all := []string{"a", "b", "c", "d", "e", "f"}
	g.Expect(sampleClusters(all, 0)).To(Equal(all))
	g.Expect(sampleClusters(all, 10)).To(Equal(all))
	g.Expect(sampleClusters(all, 3)).To(Equal([]string{"a", "c", "e"}))
	g.Expect(sampleClusters(all, 1)).To(Equal([]string{"a"}))
}

func TestCountDocuments(t *testing.T) {
	g := NewWithT(t)
	g.Expect(countDocuments(nil)).To(Equal(0))
	g.Expect(countDocuments([]byte("kind: A\n"))).To(Equal(1))
	g.Expect(countDocuments([]byte("kind: A\n---\nkind: B\n---\nkind: C\n"))).To(Equal(3))
	g.Expect(countDocuments([]byte("data:\n  x: |\n    ---x\n"))).To(Equal(1), "only separator lines count")
}

func TestKustomizeExtrapolation(t *testing.T) {
	g := NewWithT(t)
	k := &kustomizeRun{measured: 10, clusters: 100, usage: usage{wall: 3 * time.Second, cpu: 4 * time.Second, peakRSS: 7}}
	g.Expect(k.extrapolated()).To(Equal(usage{wall: 30 * time.Second, cpu: 40 * time.Second, peakRSS: 7}))
}

func TestCountOverlays(t *testing.T) {
	NewWithT(t).Expect(countOverlays([]string{
		"base/apps/ns-00/app-0000/app-0000.yaml",
		"base/apps/ns-00/app-0000/kustomization.yaml",
		"base/namespaces/ns-00/kustomization.yaml",
		"clusters/c1/kustomization.yaml",
		"clusters/c1/resources.yaml",
		"clusters/c1/patches/ns-00/apps.deployment.a.yaml",
		"clusters/c1/patches/delete/ns-00/apps.deployment.b.yaml",
	})).To(Equal(overlayStats{bases: 2, patches: 1, deletes: 1}))
}
