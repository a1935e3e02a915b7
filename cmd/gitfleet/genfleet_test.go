package main

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

func TestGenFleetRenders(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	out, status := filepath.Join(dir, "fleet"), filepath.Join(dir, "status")
	stdout, code := runGitfleet(t, "gen-fleet", "--seed", "3", "--clusters", "10", "--templates", "200",
		"--out", out, "--status-out", status)
	g.Expect(code).To(Equal(0), stdout)
	g.Expect(filepath.Join(status, "clusters")).To(BeADirectory())
	entries, err := os.ReadDir(filepath.Join(out, "clusters"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(entries).To(HaveLen(10))

	stdout, code = runGitfleet(t, "render", "--source", out, "--status", status, "-q")
	g.Expect(code).To(Equal(0), stdout)

	_, code = runGitfleet(t, "gen-fleet", "--clusters", "10", "--templates", "200")
	g.Expect(code).NotTo(Equal(0))
}
