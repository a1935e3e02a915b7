package renderer

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

const webOnMember2 = "karmada-es-member2/shop/apps.deployment.web.yaml"
const webOnMember1 = "karmada-es-member1/shop/apps.deployment.web.yaml"

func manifestOf(t *testing.T, res *Result, p string) string {
	t.Helper()
	data, ok := res.Tree.Get(p)
	if !ok {
		t.Fatalf("%s is not rendered", p)
	}
	return string(data)
}

// Semantics §1.1.2 and §11 step 5: a cluster whose dispatching is suspended gets nothing new.
// With no previous render there is nothing to keep, so the manifest is absent there.
func TestSuspendedDispatchingOnAClusterRendersNothingNewThere(t *testing.T) {
	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll+"  suspension: {dispatchingOnClusters: {clusterNames: [member2]}}\n"),
	}, nil)
	g.Expect(treeHas(res, webOnMember1)).To(BeTrue())
	g.Expect(treeHas(res, webOnMember2)).To(BeFalse(), "dispatching to member2 is suspended")
	g.Expect(res.Bindings[0].Binding.Spec.Clusters).To(HaveLen(2), "scheduling is not suspended")
	inv := manifestOf(t, res, "karmada-es-member2/"+v1alpha1.ClusterInventoryFileName)
	g.Expect(inv).NotTo(ContainSubstring("apps.deployment.web"))
}

// A suspended cluster keeps the manifest the previous render gave it — byte for byte and in
// its inventory, so nothing is updated or pruned there — while the other clusters get the
// change; lifting the suspension delivers it.
func TestSuspendedDispatchingKeepsThePreviousManifest(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll),
	}
	first := renderFiles(t, files, nil)
	before := manifestOf(t, first, webOnMember2)

	files["web.yaml"] = strings.Replace(deploymentWeb, "nginx:1.27", "nginx:1.28", 1)
	files["pp.yaml"] = pp("web", selectAll+"  suspension: {dispatchingOnClusters: {clusterNames: [member2]}}\n")
	second := renderFiles(t, files, mustPrevious(t, first.Tree))
	g.Expect(manifestOf(t, second, webOnMember2)).To(Equal(before))
	g.Expect(manifestOf(t, second, webOnMember1)).To(ContainSubstring("nginx:1.28"))
	g.Expect(manifestOf(t, second, "karmada-es-member2/"+v1alpha1.ClusterInventoryFileName)).To(ContainSubstring("apps.deployment.web"))

	files["pp.yaml"] = pp("web", selectAll)
	third := renderFiles(t, files, mustPrevious(t, second.Tree))
	g.Expect(manifestOf(t, third, webOnMember2)).To(ContainSubstring("nginx:1.28"))
}

// suspension.dispatching: true holds every cluster.
func TestSuspendedDispatchingEverywhere(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll),
	}
	first := renderFiles(t, files, nil)
	files["web.yaml"] = strings.Replace(deploymentWeb, "replicas: 3", "replicas: 5", 1)
	files["pp.yaml"] = pp("web", selectAll+"  suspension: {dispatching: true}\n")
	second := renderFiles(t, files, mustPrevious(t, first.Tree))
	g.Expect(manifestOf(t, second, webOnMember1)).To(Equal(manifestOf(t, first, webOnMember1)))
	g.Expect(manifestOf(t, second, webOnMember2)).To(Equal(manifestOf(t, first, webOnMember2)))
	g.Expect(second.Bindings[0].Binding.Spec.Replicas).To(BeEquivalentTo(5), "the binding still follows the template")
}

func lazyPolicy(cluster string) string {
	return pp("web", selectAll+"  activationPreference: Lazy\n  placement: {clusterAffinity: {clusterNames: ["+cluster+"]}}\n")
}

// Semantics §1.1 and §11 step 1: a Lazy policy's changes reach a template only when the
// template itself changes.
func TestLazyActivationWaitsForTheTemplateToChange(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       lazyPolicy("member1"),
	}
	first := renderFiles(t, files, nil)
	g.Expect(first.Bindings[0].Binding.Annotations).To(HaveKey(TemplateDigestAnnotation))

	files["pp.yaml"] = lazyPolicy("member2") // the template does not change
	second := renderFiles(t, files, mustPrevious(t, first.Tree))
	g.Expect(second.Bindings[0].Binding.Spec.Clusters).To(Equal([]v1alpha1.TargetCluster{{Name: "member1", Replicas: 3}}))
	g.Expect(treeHas(second, webOnMember2)).To(BeFalse())
	g.Expect(second.Tree.Equal(first.Tree)).To(BeTrue(), "nothing changes until the template does")

	files["web.yaml"] = strings.Replace(deploymentWeb, "nginx:1.27", "nginx:1.28", 1)
	third := renderFiles(t, files, mustPrevious(t, second.Tree))
	g.Expect(third.Bindings[0].Binding.Spec.Clusters).To(Equal([]v1alpha1.TargetCluster{{Name: "member2", Replicas: 3}}))
	g.Expect(treeHas(third, webOnMember1)).To(BeFalse())
	g.Expect(manifestOf(t, third, webOnMember2)).To(ContainSubstring("nginx:1.28"))
}

// A policy that is not Lazy applies its change at once, and records no template digest.
func TestEagerActivationMovesAtOnce(t *testing.T) {
	g := NewWithT(t)
	policy := func(cluster string) string {
		return pp("web", selectAll+"  placement: {clusterAffinity: {clusterNames: ["+cluster+"]}}\n")
	}
	files := map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       policy("member1"),
	}
	first := renderFiles(t, files, nil)
	g.Expect(first.Bindings[0].Binding.Annotations).NotTo(HaveKey(TemplateDigestAnnotation))
	files["pp.yaml"] = policy("member2")
	second := renderFiles(t, files, mustPrevious(t, first.Tree))
	g.Expect(treeHas(second, webOnMember2)).To(BeTrue())
	g.Expect(treeHas(second, webOnMember1)).To(BeFalse())
}

// A template newly claimed by a Lazy policy (no previous binding) propagates at once: from
// Git's point of view its appearance is its change.
func TestLazyActivationPropagatesNewTemplates(t *testing.T) {
	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       lazyPolicy("member2"),
	}, nil)
	g.Expect(treeHas(res, webOnMember2)).To(BeTrue())
}
