package main

import (
	"testing"

	. "github.com/onsi/gomega"
)

func TestParseCommitOutput(t *testing.T) {
	g := NewWithT(t)
	commit, committed, written, err := parseCommitOutput("committed 0123abcd to gitfleet/rendered (1234 objects written)\n")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect([]any{commit, committed, written}).To(Equal([]any{"0123abcd", true, 1234}))

	commit, committed, written, err = parseCommitOutput("gitfleet/rendered is up to date at 0123abcd: no commit\n")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect([]any{commit, committed, written}).To(Equal([]any{"0123abcd", false, 0}))

	_, _, _, err = parseCommitOutput("something else\n")
	g.Expect(err).To(HaveOccurred())
}

func TestCountTree(t *testing.T) {
	g := NewWithT(t)
	c := countTree([]string{
		".gitfleet/provenance.yaml",
		"README.md",
		"bindings/ns-00/apps.deployment.a.yaml",
		"bindings/ns-00/core.configmap.b.yaml",
		"karmada-es-c1/.gitfleet-cluster.yaml",
		"karmada-es-c1/_cluster/core.namespace.ns-00.yaml",
		"karmada-es-c1/ns-00/apps.deployment.a.yaml",
		"karmada-es-c2/.gitfleet-cluster.yaml",
	})
	g.Expect(c.objects).To(Equal(2))
	g.Expect(c.bindings).To(Equal(2))
	g.Expect(c.perCluster).To(Equal(map[string]int{"c1": 2, "c2": 0}))
}
