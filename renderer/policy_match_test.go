package renderer

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// matchTree is a source with one Deployment `web` (labels app=web) in namespace shop, plus
// the policies of a case.
func matchTree(t *testing.T, policies string, fleetConfig string) (*PolicyMatcher, *unstructured.Unstructured) {
	t.Helper()
	labelled := strings.Replace(deploymentWeb, "  namespace: shop\n", "  namespace: shop\n  labels: {app: web}\n", 1)
	files := map[string]string{"web.yaml": labelled, "policies.yaml": policies}
	if fleetConfig != "" {
		files["gitfleet.yaml"] = fleetConfig
	}
	src := mustLoad(t, files)
	m, err := NewPolicyMatcher(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range src.Templates {
		if tpl.GetName() == "web" {
			return m, tpl
		}
	}
	t.Fatal("no template web")
	return nil, nil
}

func pp(name, extra string) string {
	return `---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ` + name + `, namespace: shop}
spec:
` + extra
}

func cpp(name, extra string) string {
	return `---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: ` + name + `}
spec:
` + extra
}

const (
	selectAll    = "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n"
	selectLabels = "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {app: web}}}]\n"
	selectName   = "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n"
	selectOther  = "  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: api}]\n"
)

func TestPolicyMatcher(t *testing.T) {
	preemptionOn := "apiVersion: gitfleet.io/v1alpha1\nkind: FleetConfig\nmetadata: {name: fleet}\nspec:\n  scheduling: {propagationPolicyPreemption: true}\n"
	for _, tc := range []struct {
		name     string
		policies string
		fleet    string
		claim    *PolicyRef
		want     string // "" when no policy matches
	}{
		{"no policy selects the template", pp("other", selectOther), "", nil, ""},
		{"a single matching policy", pp("web", selectAll), "", nil, "PropagationPolicy/shop/web"},
		{"explicit priority wins over specificity",
			pp("by-name", selectName) + pp("urgent", selectAll+"  priority: 5\n"), "", nil, "PropagationPolicy/shop/urgent"},
		{"on equal priority a name beats a label selector",
			pp("a-labels", selectLabels) + pp("z-name", selectName), "", nil, "PropagationPolicy/shop/z-name"},
		{"on equal priority a label selector beats match-all",
			pp("a-all", selectAll) + pp("b-labels", selectLabels), "", nil, "PropagationPolicy/shop/b-labels"},
		{"on a full tie the smaller name wins",
			pp("beta", selectAll) + pp("alpha", selectAll), "", nil, "PropagationPolicy/shop/alpha"},
		{"a PropagationPolicy beats a ClusterPropagationPolicy of higher priority",
			pp("low", selectAll) + cpp("high", selectName+"  priority: 100\n"), "", nil, "PropagationPolicy/shop/low"},
		{"a ClusterPropagationPolicy applies when no PropagationPolicy matches",
			pp("other", selectOther) + cpp("fleet-wide", selectAll), "", nil, "ClusterPropagationPolicy/fleet-wide"},
		{"a claimed template stays with its policy though a better one appears",
			pp("first", selectAll) + pp("better", selectName+"  priority: 10\n"), "",
			&PolicyRef{Namespace: "shop", Name: "first"}, "PropagationPolicy/shop/first"},
		{"a claim by a policy that no longer selects the template is dropped",
			pp("first", selectOther) + pp("second", selectAll), "",
			&PolicyRef{Namespace: "shop", Name: "first"}, "PropagationPolicy/shop/second"},
		{"a claim by a deleted policy is dropped",
			pp("second", selectAll), "", &PolicyRef{Namespace: "shop", Name: "gone"}, "PropagationPolicy/shop/second"},
		{"a ClusterPropagationPolicy claim stays while it selects",
			pp("late", selectAll) + cpp("fleet-wide", selectAll), "",
			&PolicyRef{Cluster: true, Name: "fleet-wide"}, "ClusterPropagationPolicy/fleet-wide"},
		{"preemption is off by default",
			pp("first", selectAll) + pp("preempter", selectName+"  priority: 10\n  preemption: Always\n"), "",
			&PolicyRef{Namespace: "shop", Name: "first"}, "PropagationPolicy/shop/first"},
		{"with preemption a higher-priority PropagationPolicy takes the template",
			pp("first", selectAll) + pp("preempter", selectName+"  priority: 10\n  preemption: Always\n"), preemptionOn,
			&PolicyRef{Namespace: "shop", Name: "first"}, "PropagationPolicy/shop/preempter"},
		{"preemption needs strictly higher priority between PropagationPolicies",
			pp("first", selectAll+"  priority: 10\n") + pp("preempter", selectName+"  priority: 10\n  preemption: Always\n"), preemptionOn,
			&PolicyRef{Namespace: "shop", Name: "first"}, "PropagationPolicy/shop/first"},
		{"a PropagationPolicy preempts a ClusterPropagationPolicy whatever the priorities",
			pp("preempter", selectName+"  preemption: Always\n") + cpp("fleet-wide", selectAll+"  priority: 100\n"), preemptionOn,
			&PolicyRef{Cluster: true, Name: "fleet-wide"}, "PropagationPolicy/shop/preempter"},
		{"a ClusterPropagationPolicy preempts a lower-priority ClusterPropagationPolicy",
			cpp("fleet-wide", selectAll) + cpp("urgent", selectName+"  priority: 3\n  preemption: Always\n"), preemptionOn,
			&PolicyRef{Cluster: true, Name: "fleet-wide"}, "ClusterPropagationPolicy/urgent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			m, tpl := matchTree(t, tc.policies, tc.fleet)
			got, ok := m.Match(tpl, tc.claim)
			if tc.want == "" {
				g.Expect(ok).To(BeFalse())
				return
			}
			g.Expect(ok).To(BeTrue())
			g.Expect(got.Ref.String()).To(Equal(tc.want))
			g.Expect(got.Spec).NotTo(BeNil())
		})
	}
}

func TestPolicyMatcherIgnoredTemplates(t *testing.T) {
	src := mustLoad(t, map[string]string{
		"gitfleet.yaml": "apiVersion: gitfleet.io/v1alpha1\nkind: FleetConfig\nmetadata: {name: fleet}\nspec:\n  propagation: {skippedPropagatingNamespaces: ['kube-.*', 'team-(a|b)']}\n",
		"cms.yaml": `apiVersion: v1
kind: ConfigMap
metadata: {name: in-kube-system, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: in-team-a, namespace: team-a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: in-my-kube-apps, namespace: my-kube-apps}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: in-team-ab, namespace: team-ab}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: in-karmada-system, namespace: karmada-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: in-es, namespace: karmada-es-member1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: claimed, namespace: shop, labels: {resourcetemplate.karmada.io/claimed-by: MultiClusterService}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: plain, namespace: shop}
`,
		"cpp.yaml": cpp("all-configmaps", "  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n"),
	})
	m, err := NewPolicyMatcher(src)
	if err != nil {
		t.Fatal(err)
	}
	var propagated []string
	for _, tpl := range src.Templates {
		if _, ok := m.Match(tpl, nil); ok {
			propagated = append(propagated, tpl.GetName())
		}
	}
	NewWithT(t).Expect(propagated).To(ConsistOf("in-my-kube-apps", "in-team-ab", "plain"),
		"skipped patterns are anchored; reserved namespaces and claimed templates are never matched")
}
