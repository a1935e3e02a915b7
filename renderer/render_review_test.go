package renderer

// Review cases: behaviour the contract (../shared/reference/karmada-semantics.md,
// ../shared/DESIGN.md, issue 4) asks of the renderer, each found missing by a review and
// kept as a regression test.

import (
	"errors"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

const clusterMember2 = `apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: member2
  labels: {env: prod}
spec:
  syncMode: Push
  apiEndpoint: https://10.0.0.2:6443
  region: eu
`

const configMapWebConfig = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {a: b}
`

// deploymentWebWithConfig is deploymentWeb referencing the ConfigMap web-config.
var deploymentWebWithConfig = deploymentWeb + `        envFrom:
        - configMapRef: {name: web-config}
`

func renderFiles(t *testing.T, files map[string]string, prev *Previous) *Result {
	t.Helper()
	return renderTree(t, mapFS(files), nil, prev)
}

func treeHas(res *Result, p string) bool {
	_, ok := res.Tree.Get(p)
	return ok
}

// Semantics §1.1.3 item 5: deleting a policy (or narrowing its selectors so that a claimed
// template no longer matches) removes the claim only; "the binding, Works and member objects
// are NOT deleted".
func TestReviewPolicyRemovalKeepsPropagatedResources(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll+"  placement: {clusterAffinity: {clusterNames: [member1]}}\n"),
	}
	first := renderFiles(t, files, nil)
	g.Expect(treeHas(first, "karmada-es-member1/shop/apps.deployment.web.yaml")).To(BeTrue())

	delete(files, "pp.yaml")
	second := renderFiles(t, files, mustPrevious(t, first.Tree))
	g.Expect(treeHas(second, "karmada-es-member1/shop/apps.deployment.web.yaml")).To(BeTrue(),
		"the member object stays where it was")
	g.Expect(second.Bindings).To(HaveLen(1), "the binding stays, unclaimed")
	b := second.Bindings[0].Binding
	g.Expect(b.Annotations).NotTo(HaveKey(v1alpha1.PropagationPolicyNameAnnotation), "the claim is removed")
	g.Expect(b.Spec.Clusters).To(Equal([]v1alpha1.TargetCluster{{Name: "member1", Replicas: 3}}))
}

// Semantics §2.1 trigger 5 and §2.4.3: a target cluster that leaves the fleet (Karmada: is
// deleted) reschedules the binding, and "replicas on clusters no longer candidates are
// treated as new replicas to place".
func TestReviewRemovedClusterReplicasAreRescheduled(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll+"  placement: {replicaScheduling: {replicaSchedulingType: Divided}}\n"),
	}
	first := renderFiles(t, files, nil)
	g.Expect(first.Bindings[0].Binding.Spec.Clusters).To(Equal([]v1alpha1.TargetCluster{
		{Name: "member1", Replicas: 2}, {Name: "member2", Replicas: 1}})) // §14 item 2

	files["clusters.yaml"] = clusterMember1 // member2 leaves the fleet
	second := renderFiles(t, files, mustPrevious(t, first.Tree))
	g.Expect(second.Bindings[0].Binding.Spec.Clusters).To(Equal([]v1alpha1.TargetCluster{{Name: "member1", Replicas: 3}}))
	data, _ := second.Tree.Get("karmada-es-member1/shop/apps.deployment.web.yaml")
	g.Expect(string(data)).To(ContainSubstring("\n  replicas: 3\n"))
}

// Semantics §11 step 10 (Karmada's namespace-sync controller): every Namespace that is not
// reserved, default, skipped or labelled skip-auto-propagation goes to ALL clusters, whether
// or not a policy also propagates it.
func TestReviewBoundNamespaceIsStillAutoPropagatedEverywhere(t *testing.T) {
	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1 + "---\n" + clusterMember2,
		"ns.yaml":       "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n",
		"cpp.yaml": cpp("team-a", "  resourceSelectors: [{apiVersion: v1, kind: Namespace, name: team-a}]\n"+
			"  placement: {clusterAffinity: {clusterNames: [member1]}}\n"),
	}, nil)
	g.Expect(treeHas(res, "karmada-es-member1/_cluster/core.namespace.team-a.yaml")).To(BeTrue())
	g.Expect(treeHas(res, "karmada-es-member2/_cluster/core.namespace.team-a.yaml")).To(BeTrue())
}

// Semantics §1.2.1 item 1 ("cluster-scoped resources only get COPs") and Karmada's
// namespace-sync controller, which applies ClusterOverridePolicies to every auto-propagated
// Namespace.
func TestReviewClusterOverridesApplyToAutoPropagatedNamespaces(t *testing.T) {
	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1,
		"ns.yaml":       "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n",
		"cop.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata: {name: ns-owner}
spec:
  resourceSelectors: [{apiVersion: v1, kind: Namespace}]
  overrideRules:
  - overriders:
      labelsOverrider: [{operator: add, value: {owner: platform}}]
`,
	}, nil)
	data, ok := res.Tree.Get("karmada-es-member1/_cluster/core.namespace.team-a.yaml")
	g.Expect(ok).To(BeTrue())
	g.Expect(string(data)).To(ContainSubstring("owner: platform"))
}

// Semantics §7 ("the namespace itself must exist in the member") and issue 4 ("a namespace
// that a template uses but the source does not define is created in that cluster"): a
// quota's namespace is created with it, or the ResourceQuota could not be applied.
func TestReviewQuotaNamespaceIsCreated(t *testing.T) {
	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1,
		"frq.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: FederatedResourceQuota
metadata: {name: analytics, namespace: analytics}
spec:
  overall: {cpu: "10"}
  staticAssignments: [{clusterName: member1, hard: {cpu: "4"}}]
`,
	}, nil)
	g.Expect(treeHas(res, "karmada-es-member1/analytics/core.resourcequota.analytics.yaml")).To(BeTrue())
	g.Expect(treeHas(res, "karmada-es-member1/_cluster/core.namespace.analytics.yaml")).To(BeTrue(),
		"the quota's namespace must exist in the cluster")
}

// Semantics §1.1 (dependentOverrides): the policy is not applied until the named
// OverridePolicies exist ("waiting for dependent overrides").
func TestReviewDependentOverridesWait(t *testing.T) {

	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll+"  dependentOverrides: [web-overrides]\n"),
	}, nil)
	g.Expect(treeHas(res, "karmada-es-member1/shop/apps.deployment.web.yaml")).To(BeFalse(),
		"the policy waits for OverridePolicy shop/web-overrides")
}

// Semantics §11 step 9: the attached binding of a dependency inherits conflictResolution and
// preserveResourcesOnDeletion from the binding that needs it.
func TestReviewAttachedBindingInheritsPreserveResourcesOnDeletion(t *testing.T) {

	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWebWithConfig,
		"cm.yaml":       configMapWebConfig,
		"pp.yaml":       pp("web", selectAll+"  propagateDeps: true\n  preserveResourcesOnDeletion: true\n"),
	}, nil)
	var found bool
	for _, rb := range res.Bindings {
		if rb.Template.Kind != "ConfigMap" {
			continue
		}
		found = true
		g.Expect(rb.Binding.Spec.RequiredBy).To(HaveLen(1))
		g.Expect(rb.Binding.Spec.PreserveResourcesOnDeletion).NotTo(BeNil())
		g.Expect(*rb.Binding.Spec.PreserveResourcesOnDeletion).To(BeTrue())
	}
	g.Expect(found).To(BeTrue(), "the ConfigMap has an attached binding")
}

// Semantics §1.1.2 and §1.4 (labels/annotations on propagated manifests): the member object
// carries work.karmada.io/conflict-resolution, which the applier reads: a pull agent that
// fetches only its karmada-es-<cluster>/ directory must see Overwrite on the manifest.
func TestReviewConflictResolutionReachesClusterDirectory(t *testing.T) {

	g := NewWithT(t)
	res := renderFiles(t, map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll+"  conflictResolution: Overwrite\n"),
	}, nil)
	manifest, _ := res.Tree.Get("karmada-es-member1/shop/apps.deployment.web.yaml")
	inventory, _ := res.Tree.Get("karmada-es-member1/.gitfleet-cluster.yaml")
	g.Expect(strings.ToLower(string(manifest) + string(inventory))).To(ContainSubstring("overwrite"))
}

// DESIGN §1.2: a binding file is Karmada's ResourceBinding; metav1.Condition requires
// lastTransitionTime (RFC 3339). Rendered from a directory (no commit time, Options.Epoch
// zero) the time is unknown and left out, never written as null; a later render with a
// commit time fills it in.
func TestReviewBindingConditionsHaveATime(t *testing.T) {
	g := NewWithT(t)
	files := map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll),
	}
	first := renderFiles(t, files, nil)
	data, _ := first.Tree.Get("bindings/shop/apps.deployment.web.yaml")
	g.Expect(string(data)).NotTo(ContainSubstring("lastTransitionTime: null"))

	// A later render from a commit (Epoch set) fills the time in.
	src := mustLoad(t, files)
	res, err := Render(src, nil, mustPrevious(t, first.Tree), Options{Epoch: metav1.Unix(1700000000, 0)})
	g.Expect(err).NotTo(HaveOccurred())
	data, _ = res.Tree.Get("bindings/shop/apps.deployment.web.yaml")
	g.Expect(string(data)).NotTo(ContainSubstring("lastTransitionTime: null"))
}

// DESIGN §1.1 and §5 ("every error names the file and line"): an override that does not apply
// is reported at the OverridePolicy's file and the line of the failing overrider.
func TestReviewOverrideErrorNamesThePolicyFile(t *testing.T) {
	g := NewWithT(t)
	src := mustLoad(t, map[string]string{
		"clusters.yaml": clusterMember1,
		"web.yaml":      deploymentWeb,
		"pp.yaml":       pp("web", selectAll),
		"policies/op.yaml": `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: broken, namespace: shop}
spec:
  overrideRules:
  - overriders:
      plaintext: [{path: /spec/does/not/exist, operator: replace, value: 1}]
`,
	})
	_, err := Render(src, nil, nil, Options{})
	var diags Diagnostics
	g.Expect(errors.As(err, &diags)).To(BeTrue())
	var paths []string
	for _, d := range diags {
		paths = append(paths, d.Path)
	}
	g.Expect(paths).To(ContainElement("policies/op.yaml"))
}
