package overrides

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/scheduler"
)

// Policies are the override policies of a source tree, as loaded (defaulted and
// validated). Their order does not matter: Apply sorts what it selects.
type Policies struct {
	// Cluster are the ClusterOverridePolicies.
	Cluster []*v1alpha1.ClusterOverridePolicy
	// Namespaced are the OverridePolicies of every namespace; a manifest only gets those of
	// its own namespace.
	Namespaced []*v1alpha1.OverridePolicy

	// targets and selectors hold the rules' target clusters and the policies' resource
	// selectors compiled once (see Compile); what is not in them is compiled when used.
	targets   map[*v1alpha1.ClusterAffinity]scheduler.CompiledAffinity
	selectors map[*v1alpha1.OverrideSpec]v1alpha1.CompiledSelectors
}

// Compile returns the policies with every resource selector and rule target cluster
// compiled, for applying them to many manifests: selecting a policy and matching a rule to a
// cluster then cost no selector parsing. The policies must not change afterwards. The
// result is safe for concurrent use.
func (p Policies) Compile() Policies {
	p.targets = map[*v1alpha1.ClusterAffinity]scheduler.CompiledAffinity{}
	p.selectors = map[*v1alpha1.OverrideSpec]v1alpha1.CompiledSelectors{}
	add := func(spec *v1alpha1.OverrideSpec) {
		p.selectors[spec] = v1alpha1.CompileSelectors(spec.ResourceSelectors)
		if spec.TargetCluster != nil {
			p.targets[spec.TargetCluster] = scheduler.CompileAffinity(spec.TargetCluster)
		}
		for i := range spec.OverrideRules {
			if t := spec.OverrideRules[i].TargetCluster; t != nil {
				p.targets[t] = scheduler.CompileAffinity(t)
			}
		}
	}
	for _, c := range p.Cluster {
		add(&c.Spec)
	}
	for _, n := range p.Namespaced {
		add(&n.Spec)
	}
	return p
}

// targetMatches reports whether a rule's target cluster matches the cluster.
func (p Policies) targetMatches(target *v1alpha1.ClusterAffinity, cluster *scheduler.ClusterInfo) bool {
	if compiled, ok := p.targets[target]; ok {
		return compiled.Matches(cluster)
	}
	return scheduler.ClusterMatches(cluster, target)
}

// AppliedOverrider is one applied rule: the name of its policy and the rule's overriders.
// It is Karmada's OverridePolicyShadow, and marshals to the same JSON
// (`{"policyName":…,"overriders":{…}}`).
type AppliedOverrider struct {
	// PolicyName is the name of the policy the rule belongs to.
	PolicyName string `json:"policyName"`
	// Overriders are the rule's overriders. They share memory with the policy.
	Overriders v1alpha1.Overriders `json:"overriders"`
}

// Applied records the override rules applied to one manifest, in application order. A
// policy appears once per rule that applied to the cluster, including rules whose
// overriders are empty — as Karmada records them.
type Applied struct {
	// ClusterOverrides are the rules of ClusterOverridePolicies.
	ClusterOverrides []AppliedOverrider
	// Overrides are the rules of OverridePolicies.
	Overrides []AppliedOverrider
}

// Annotations returns the annotations Karmada writes on the Work of the manifest (semantics
// §1.2.1 item 6): policy.karmada.io/applied-cluster-overrides and
// policy.karmada.io/applied-overrides, each the JSON of its list, present only when the list
// is not empty. As in Karmada the lists are ordered by policy name — not in application
// order — with sort.Slice, Karmada's own (unstable) sort, so that several rules of one
// policy end up in the same order as there.
func (a Applied) Annotations() (map[string]string, error) {
	var out map[string]string
	for _, list := range [...]struct {
		key   string
		items []AppliedOverrider
	}{{v1alpha1.AppliedClusterOverrides, a.ClusterOverrides}, {v1alpha1.AppliedOverrides, a.Overrides}} {
		if len(list.items) == 0 {
			continue
		}
		items := slices.Clone(list.items)
		sort.Slice(items, func(i, j int) bool { return items[i].PolicyName < items[j].PolicyName })
		data, err := json.Marshal(items)
		if err != nil {
			return nil, fmt.Errorf("recording applied overrides: %w", err)
		}
		if out == nil {
			out = map[string]string{}
		}
		out[list.key] = string(data)
	}
	return out, nil
}

// Apply applies the override policies to obj, the manifest of one resource template for
// cluster, and returns what it applied. It changes obj in place, so the caller passes its
// own copy; after an error obj may be partly changed and must be dropped, as Karmada drops
// the Work.
//
// The order is Karmada's (semantics §1.2.1, pkg/util/overridemanager):
//  1. ClusterOverridePolicies, then — only when the manifest is namespaced — the
//     OverridePolicies of its namespace. The OverridePolicies are selected against the
//     manifest as the ClusterOverridePolicies left it (its labels, even its namespace), as
//     Karmada selects them only after applying those.
//  2. Within each kind: the policies whose resourceSelectors are empty or match, stably
//     sorted by implicit priority ascending (empty selectors count as match-all), then by
//     name ascending — so the most specific policy applies last and wins.
//  3. Within a policy: overrideRules in order, or the legacy spec.targetCluster and
//     spec.overriders as the one rule when overrideRules is empty; a rule applies when its
//     targetCluster is nil or matches the cluster.
//  4. Within a rule: the overriders in their fixed order — image, command, args, labels,
//     annotations, field, plaintext — each image, command, args, label, annotation and
//     field item as its own patch, all plaintext items as one patch.
func Apply(obj *unstructured.Unstructured, cluster *scheduler.ClusterInfo, policies Policies) (Applied, error) {
	if obj == nil {
		return Applied{}, errors.New("applying overrides: no manifest")
	}
	if cluster == nil {
		return Applied{}, errors.New("applying overrides: no cluster")
	}
	var applied Applied

	cops := make([]candidate, 0, len(policies.Cluster))
	target := selectedObject(obj)
	for _, p := range policies.Cluster {
		if c, ok := policies.selectPolicy(v1alpha1.ResourceKindClusterOverridePolicy, "", p.Name, &p.Spec, target); ok {
			cops = append(cops, c)
		}
	}
	var err error
	if applied.ClusterOverrides, err = policies.applyPolicies(obj, cluster, cops); err != nil {
		return Applied{}, err
	}

	// Karmada decides whether the manifest is namespaced, and which namespace's policies
	// apply, after the ClusterOverridePolicies have run.
	namespace := obj.GetNamespace()
	if namespace == "" {
		return applied, nil
	}
	target = selectedObject(obj)
	var ops []candidate
	for _, p := range policies.Namespaced {
		if p.Namespace != namespace {
			continue
		}
		if c, ok := policies.selectPolicy(v1alpha1.ResourceKindOverridePolicy, p.Namespace, p.Name, &p.Spec, target); ok {
			ops = append(ops, c)
		}
	}
	if applied.Overrides, err = policies.applyPolicies(obj, cluster, ops); err != nil {
		return Applied{}, err
	}
	return applied, nil
}

// candidate is a policy whose resource selectors match the manifest.
type candidate struct {
	kind, namespace, name string
	spec                  *v1alpha1.OverrideSpec
	priority              v1alpha1.ImplicitPriority
}

// selectPolicy matches a policy's resource selectors against the manifest (§1.2.1 item 2):
// an empty list matches with priority match-all, otherwise the best selector decides.
func (p Policies) selectPolicy(kind, namespace, name string, spec *v1alpha1.OverrideSpec, target v1alpha1.SelectedObject) (candidate, bool) {
	priority := v1alpha1.PriorityMatchAll
	if len(spec.ResourceSelectors) > 0 {
		compiled, ok := p.selectors[spec]
		if !ok {
			compiled = v1alpha1.CompileSelectors(spec.ResourceSelectors)
		}
		priority = compiled.HighestPriority(target)
		if priority == v1alpha1.PriorityMisMatch {
			return candidate{}, false
		}
	}
	return candidate{kind: kind, namespace: namespace, name: name, spec: spec, priority: priority}, true
}

// applyPolicies sorts the candidates of one kind and applies their rules that target the
// cluster, returning them in application order.
func (p Policies) applyPolicies(obj *unstructured.Unstructured, cluster *scheduler.ClusterInfo, candidates []candidate) ([]AppliedOverrider, error) {
	// Stable, as Karmada's sort.SliceStable; names are unique within a kind and namespace,
	// so the input order never shows.
	slices.SortStableFunc(candidates, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.priority, b.priority), strings.Compare(a.name, b.name))
	})
	var applied []AppliedOverrider
	for _, c := range candidates {
		rules, legacy := c.spec.OverrideRules, false
		if len(rules) == 0 {
			// The deprecated single rule; validation keeps it apart from overrideRules.
			rules = []v1alpha1.RuleWithCluster{{TargetCluster: c.spec.TargetCluster, Overriders: c.spec.Overriders}}
			legacy = true
		}
		for i := range rules {
			rule := &rules[i]
			if rule.TargetCluster != nil && !p.targetMatches(rule.TargetCluster, cluster) {
				continue
			}
			if err := applyOverriders(obj, &rule.Overriders); err != nil {
				return nil, policyError(c, i, legacy, err)
			}
			applied = append(applied, AppliedOverrider{PolicyName: c.name, Overriders: rule.Overriders})
		}
	}
	return applied, nil
}

// policyError wraps the failure of rule i of candidate c.
func policyError(c candidate, i int, legacy bool, err error) *PolicyError {
	field := fmt.Sprintf("overrideRules[%d].overriders", i)
	if legacy {
		field = "overriders"
	}
	var oe *overriderError
	if errors.As(err, &oe) {
		field += "." + oe.field
		err = oe.err
	}
	return &PolicyError{Kind: c.kind, Namespace: c.namespace, Name: c.name, Field: field, Err: err}
}

// selectedObject is what resource selectors see of the manifest.
func selectedObject(obj *unstructured.Unstructured) v1alpha1.SelectedObject {
	return v1alpha1.SelectedObject{
		APIVersion: obj.GetAPIVersion(),
		Kind:       obj.GetKind(),
		Namespace:  obj.GetNamespace(),
		Name:       obj.GetName(),
		Labels:     obj.GetLabels(),
	}
}
