package renderer

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// PolicyRef names the PropagationPolicy or ClusterPropagationPolicy that propagates a
// template (Karmada records it on the template as its claim, semantics §1.1.3).
type PolicyRef struct {
	// Cluster is true for a ClusterPropagationPolicy.
	Cluster bool `json:"cluster,omitempty"`
	// Namespace is the PropagationPolicy's namespace (empty for a ClusterPropagationPolicy).
	Namespace string `json:"namespace,omitempty"`
	// Name is the policy's name.
	Name string `json:"name"`
}

// String renders the reference as PropagationPolicy/ns/name or ClusterPropagationPolicy/name.
func (r PolicyRef) String() string {
	if r.Cluster {
		return "ClusterPropagationPolicy/" + r.Name
	}
	return "PropagationPolicy/" + r.Namespace + "/" + r.Name
}

// candidatePolicy is a PropagationPolicy or ClusterPropagationPolicy, seen the same way.
type candidatePolicy struct {
	ref       PolicyRef
	spec      *v1alpha1.PropagationSpec
	selectors v1alpha1.CompiledSelectors
}

// MatchedPolicy is the policy chosen for one template.
type MatchedPolicy struct {
	Ref  PolicyRef
	Spec *v1alpha1.PropagationSpec
}

// PolicyMatcher chooses the propagation policy of each resource template as Karmada's
// resource detector does (semantics §1.1.3): claimed templates stay with their policy while
// it still selects them; otherwise the best PropagationPolicy of the template's namespace
// wins, and only when there is none the best ClusterPropagationPolicy. "Best" is the highest
// explicit priority, then the highest implicit priority (name > labelSelector > match-all),
// then the smaller name.
type PolicyMatcher struct {
	byNamespace map[string][]candidatePolicy
	cluster     []candidatePolicy
	skipped     []*regexp.Regexp
	preemption  bool
}

// NewPolicyMatcher prepares matching for a loaded source tree. The FleetConfig gives the
// skipped namespaces and whether preemption (Karmada's PropagationPolicyPreemption gate)
// is on.
func NewPolicyMatcher(src *Source) (*PolicyMatcher, error) {
	m := &PolicyMatcher{byNamespace: map[string][]candidatePolicy{}}
	for _, p := range src.PropagationPolicies {
		m.byNamespace[p.Namespace] = append(m.byNamespace[p.Namespace],
			candidatePolicy{ref: PolicyRef{Namespace: p.Namespace, Name: p.Name}, spec: &p.Spec,
				selectors: v1alpha1.CompileSelectors(p.Spec.ResourceSelectors)})
	}
	for _, p := range src.ClusterPropagationPolicies {
		m.cluster = append(m.cluster, candidatePolicy{ref: PolicyRef{Cluster: true, Name: p.Name}, spec: &p.Spec,
			selectors: v1alpha1.CompileSelectors(p.Spec.ResourceSelectors)})
	}
	if fc := src.FleetConfig; fc != nil {
		for _, pattern := range fc.Spec.Propagation.SkippedPropagatingNamespaces {
			// Karmada anchors each pattern: "kube-.*" skips kube-system, not my-kube-apps.
			re, err := regexp.Compile("^(?:" + pattern + ")$")
			if err != nil {
				return nil, fmt.Errorf("FleetConfig spec.propagation.skippedPropagatingNamespaces: %q: %w", pattern, err)
			}
			m.skipped = append(m.skipped, re)
		}
		m.preemption = fc.Spec.Scheduling.PropagationPolicyPreemption != nil && *fc.Spec.Scheduling.PropagationPolicyPreemption
	}
	return m, nil
}

// Ignored reports whether policies never apply to a template: templates in Karmada's
// reserved namespaces or in skipped namespaces, kube-system's
// extension-apiserver-authentication ConfigMap, and templates another controller claims.
func (m *PolicyMatcher) Ignored(tpl *unstructured.Unstructured) bool {
	ns := tpl.GetNamespace()
	if ns != "" && m.SkippedNamespace(ns) {
		return true
	}
	if ns == "kube-system" && tpl.GetKind() == "ConfigMap" && tpl.GetName() == "extension-apiserver-authentication" {
		return true
	}
	_, claimed := tpl.GetLabels()[v1alpha1.ResourceTemplateClaimedByLabel]
	return claimed
}

// SkippedNamespace reports whether gitfleet never propagates into or as namespace ns:
// Karmada's reserved namespaces and the FleetConfig's skipped ones.
func (m *PolicyMatcher) SkippedNamespace(ns string) bool {
	if IsReservedNamespace(ns) {
		return true
	}
	for _, re := range m.skipped {
		if re.MatchString(ns) {
			return true
		}
	}
	return false
}

// IsReservedNamespace reports whether ns is one of Karmada's own namespaces, which are
// never propagated: karmada-system, karmada-cluster and the karmada-es-* execution spaces.
func IsReservedNamespace(ns string) bool {
	return ns == "karmada-system" || ns == "karmada-cluster" || strings.HasPrefix(ns, "karmada-es-")
}

// Match returns the policy that propagates tpl, given the policy that claimed it in the
// previous render (nil when unclaimed). It returns false when no policy selects tpl.
func (m *PolicyMatcher) Match(tpl *unstructured.Unstructured, claim *PolicyRef) (MatchedPolicy, bool) {
	if m.Ignored(tpl) {
		return MatchedPolicy{}, false
	}
	obj := selectedObject(tpl)
	namespaced := m.matching(m.byNamespace[tpl.GetNamespace()], obj)
	if tpl.GetNamespace() == "" {
		namespaced = nil // a PropagationPolicy selects only templates of its own namespace
	}
	cluster := m.matching(m.cluster, obj)

	if claim != nil {
		claimed, stillSelects := findPolicy(namespaced, cluster, *claim)
		if stillSelects {
			if p, ok := m.preempter(claimed, namespaced, cluster); ok {
				return p, true
			}
			return MatchedPolicy{Ref: claimed.ref, Spec: claimed.spec}, true
		}
		// The claiming policy is gone or no longer selects the template: Karmada removes the
		// claim, and the template is matched afresh.
	}
	if len(namespaced) > 0 {
		return MatchedPolicy{Ref: namespaced[0].ref, Spec: namespaced[0].spec}, true
	}
	if len(cluster) > 0 {
		return MatchedPolicy{Ref: cluster[0].ref, Spec: cluster[0].spec}, true
	}
	return MatchedPolicy{}, false
}

// matching returns the policies of list that select obj, best first.
func (m *PolicyMatcher) matching(list []candidatePolicy, obj v1alpha1.SelectedObject) []candidatePolicy {
	type ranked struct {
		candidatePolicy
		implicit v1alpha1.ImplicitPriority
	}
	var out []ranked
	for _, p := range list {
		if implicit := p.selectors.HighestPriority(obj); implicit > v1alpha1.PriorityMisMatch {
			out = append(out, ranked{p, implicit})
		}
	}
	slices.SortFunc(out, func(a, b ranked) int {
		return cmp.Or(
			-cmp.Compare(a.spec.ExplicitPriority(), b.spec.ExplicitPriority()),
			-cmp.Compare(a.implicit, b.implicit),
			cmp.Compare(a.ref.Name, b.ref.Name),
		)
	})
	policies := make([]candidatePolicy, len(out))
	for i, r := range out {
		policies[i] = r.candidatePolicy
	}
	return policies
}

// findPolicy finds the claimed policy among those that still select the template.
func findPolicy(namespaced, cluster []candidatePolicy, ref PolicyRef) (candidatePolicy, bool) {
	list := namespaced
	if ref.Cluster {
		list = cluster
	}
	for _, p := range list {
		if p.ref == ref {
			return p, true
		}
	}
	return candidatePolicy{}, false
}

// preempter returns the policy that takes a claimed template over, when preemption is on
// (semantics §1.1.3 item 4): a PropagationPolicy with preemption Always takes templates
// from PropagationPolicies of strictly lower explicit priority and from any
// ClusterPropagationPolicy; a ClusterPropagationPolicy with Always takes them only from
// ClusterPropagationPolicies of strictly lower priority.
func (m *PolicyMatcher) preempter(claimed candidatePolicy, namespaced, cluster []candidatePolicy) (MatchedPolicy, bool) {
	if !m.preemption {
		return MatchedPolicy{}, false
	}
	priority := claimed.spec.ExplicitPriority()
	for _, p := range namespaced { // best first
		if p.ref == claimed.ref || p.spec.Preemption != v1alpha1.PreemptAlways {
			continue
		}
		if claimed.ref.Cluster || p.spec.ExplicitPriority() > priority {
			return MatchedPolicy{Ref: p.ref, Spec: p.spec}, true
		}
	}
	if !claimed.ref.Cluster {
		return MatchedPolicy{}, false
	}
	for _, p := range cluster {
		if p.ref != claimed.ref && p.spec.Preemption == v1alpha1.PreemptAlways && p.spec.ExplicitPriority() > priority {
			return MatchedPolicy{Ref: p.ref, Spec: p.spec}, true
		}
	}
	return MatchedPolicy{}, false
}

// selectedObject is what resource selectors see of a template.
func selectedObject(tpl *unstructured.Unstructured) v1alpha1.SelectedObject {
	return v1alpha1.SelectedObject{
		APIVersion: tpl.GetAPIVersion(),
		Kind:       tpl.GetKind(),
		Namespace:  tpl.GetNamespace(),
		Name:       tpl.GetName(),
		Labels:     tpl.GetLabels(),
	}
}
