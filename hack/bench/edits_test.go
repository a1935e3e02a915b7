package main

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

func TestBumpFirstWeight(t *testing.T) {
	g := NewWithT(t)
	policy := "        staticWeightList:\n        - targetCluster: {}\n          weight: 3\n        - targetCluster: {}\n          weight: 4\n"
	edited, what, err := bumpFirstWeight(policy)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(edited).To(Equal("        staticWeightList:\n        - targetCluster: {}\n          weight: 8\n        - targetCluster: {}\n          weight: 4\n"))
	g.Expect(what).To(Equal("first static weight 3 → 8"))

	_, _, err = bumpFirstWeight("kind: PropagationPolicy\n")
	g.Expect(err).To(HaveOccurred())
}

func TestRetagFirstImage(t *testing.T) {
	for _, tc := range []struct{ image, want string }{
		{"registry.example.com/fleet/api:1.2.3", "registry.example.com/fleet/api:9.9.9-bench"},
		{"registry.example.com:5000/fleet/api", "registry.example.com:5000/fleet/api:9.9.9-bench"},
		{"nginx@sha256:abc", "nginx:9.9.9-bench"},
	} {
		g := NewWithT(t)
		in := "      containers:\n      - name: a\n        image: " + tc.image + "\n      - name: b\n        image: other:1\n"
		edited, _, err := retagFirstImage(in)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(edited).To(Equal("      containers:\n      - name: a\n        image: " + tc.want + "\n      - name: b\n        image: other:1\n"))
	}
}

func TestEditFirstFile(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	write := func(p, content string) {
		g.Expect(os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)).To(Succeed())
		g.Expect(os.WriteFile(filepath.Join(dir, p), []byte(content), 0o644)).To(Succeed())
	}
	write("policies/ns-00/a.yaml", "kind: PropagationPolicy\n  weight: 1\n")
	write("policies/ns-01/b.yaml", "staticWeightList:\n  weight: 2\n")
	write("policies/ns-02/c.yaml", "staticWeightList:\n  weight: 3\n")

	what, err := policyWeightsEdit.apply(dir)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(what).To(Equal("policies/ns-01/b.yaml: first static weight 2 → 7"))
	data, _ := os.ReadFile(filepath.Join(dir, "policies/ns-01/b.yaml"))
	g.Expect(string(data)).To(Equal("staticWeightList:\n  weight: 7\n"))

	_, err = templateImageEdit.apply(dir)
	g.Expect(err).To(HaveOccurred(), "no apps directory")
}
