package fleetgen

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/renderer"
)

// render loads and renders a generated fleet as the render command does.
func render(t *testing.T, source, status *renderer.Tree) *renderer.Result {
	t.Helper()
	src, err := renderer.LoadSource(source.FS(), renderer.LoadOptions{})
	if err != nil {
		t.Fatalf("loading the generated source: %v", err)
	}
	view, err := renderer.LoadStatusView(status.FS())
	if err != nil {
		t.Fatalf("loading the generated status: %v", err)
	}
	res, err := renderer.Render(src, view, nil, renderer.Options{})
	if err != nil {
		t.Fatalf("rendering the generated fleet: %v", err)
	}
	return res
}

func TestGenerateLoadsAndRenders(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"unlimited width", Options{Seed: 7, Clusters: 10, Templates: 200}},
		{"capped width", Options{Seed: 7, Clusters: 30, Templates: 400, MaxWidth: 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			source, status, err := Generate(tc.opts)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(status.Len()).To(Equal(tc.opts.Clusters))

			src, err := renderer.LoadSource(source.FS(), renderer.LoadOptions{})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(src.Clusters).To(HaveLen(tc.opts.Clusters))
			g.Expect(src.Templates).To(HaveLen(tc.opts.Templates + min(tc.opts.Templates/40, namespaceCount)))
			g.Expect(src.PropagationPolicies).To(HaveLen(tc.opts.Templates / 40))
			g.Expect(src.ClusterOverridePolicies).NotTo(BeEmpty())
			g.Expect(src.OverridePolicies).NotTo(BeEmpty())

			res := render(t, source, status)
			perCluster := map[string]int{}
			for _, p := range res.Tree.Paths() {
				dir, _, ok := strings.Cut(p, "/")
				if ok && strings.HasPrefix(dir, "karmada-es-") {
					perCluster[dir]++
				}
			}
			// Every cluster gets manifests; tainted staging clusters may only get the
			// Divided policies' ones, which is still some.
			g.Expect(perCluster).To(HaveLen(tc.opts.Clusters))
			for dir, n := range perCluster {
				g.Expect(n).To(BeNumerically(">", 5), dir)
			}
			for _, rb := range res.Bindings {
				for _, c := range rb.Binding.Status.Conditions {
					if c.Type == "Scheduled" {
						g.Expect(c.Reason).To(Equal("Success"), "%s: %s", rb.Template, c.Message)
					}
				}
			}
			if tc.opts.MaxWidth > 0 {
				for _, rb := range res.Bindings {
					g.Expect(len(rb.Binding.Spec.Clusters)).To(BeNumerically("<=", tc.opts.MaxWidth), rb.Template)
				}
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	g := NewWithT(t)
	opts := Options{Seed: 42, Clusters: 10, Templates: 200}
	src1, st1, err := Generate(opts)
	g.Expect(err).NotTo(HaveOccurred())
	src2, st2, err := Generate(opts)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(src1.Equal(src2)).To(BeTrue(), "same seed, different source")
	g.Expect(st1.Equal(st2)).To(BeTrue(), "same seed, different status")
	g.Expect(render(t, src1, st1).Tree.Equal(render(t, src2, st2).Tree)).To(BeTrue(), "same seed, different render")

	opts.Seed = 43
	src3, st3, err := Generate(opts)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(src1.Equal(src3)).To(BeFalse(), "different seeds, same source")
	g.Expect(st1.Equal(st3)).To(BeFalse(), "different seeds, same status")
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	g := NewWithT(t)
	for _, opts := range []Options{
		{Clusters: 0, Templates: 100},
		{Clusters: 10, Templates: 5},
		{Clusters: 10, Templates: 100, MaxWidth: -1},
	} {
		_, _, err := Generate(opts)
		g.Expect(err).To(HaveOccurred(), "%+v", opts)
	}
}
