package renderer

import (
	"maps"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
	"github.com/gitfleet/gitfleet/renderer/overrides"
)

// propagateDependencies sends the dependencies of bindings with propagateDeps (ConfigMaps,
// Secrets, ServiceAccounts, PVCs a workload references, ...) to the workload's clusters, as
// Karmada's dependencies distributor does (semantics §11 step 9): each dependency gets an
// "attached" binding whose requiredBy lists the workloads and their clusters, or — when a
// policy propagates it too — its own binding's requiredBy grows, and its manifests go to the
// union of both. A cluster where a workload's old copy is kept for a graceful eviction keeps
// the dependencies the previous render gave it too: the old copy still mounts them.
func (p *renderPass) propagateDependencies() {
	required := map[ObjectKey][]v1alpha1.BindingSnapshot{}
	kept := map[ObjectKey]map[string]bool{}
	overwrite := map[ObjectKey]bool{}
	preserve := map[ObjectKey]*bool{}
	for _, key := range p.sortedBindingKeys() {
		st := p.bindings[key]
		b := st.binding
		if !b.Spec.PropagateDeps || (len(b.Spec.Clusters) == 0 && len(st.kept) == 0) ||
			!p.interp.HookEnabled(st.template.GroupVersionKind(), v1alpha1.InterpreterOperationInterpretDependency) {
			continue
		}
		deps, err := p.interp.GetDependencies(st.template)
		if err != nil {
			p.fail(key, "interpreting dependencies: %v", err)
			continue
		}
		for _, dep := range deps {
			for _, depKey := range p.resolveDependency(dep.APIVersion, dep.Kind, dep.Namespace, dep.Name, dep.LabelSelector) {
				if depKey == key {
					continue
				}
				required[depKey] = append(required[depKey], v1alpha1.BindingSnapshot{
					Namespace: b.Namespace, Name: b.Name, Clusters: slices.Clone(b.Spec.Clusters),
				})
				overwrite[depKey] = overwrite[depKey] || b.Spec.ConflictResolution == v1alpha1.ConflictOverwrite
				if b.Spec.PreserveResourcesOnDeletion != nil && *b.Spec.PreserveResourcesOnDeletion {
					preserve[depKey] = b.Spec.PreserveResourcesOnDeletion
				}
				for _, c := range st.kept {
					if kept[depKey] == nil {
						kept[depKey] = map[string]bool{}
					}
					kept[depKey][c] = true
				}
			}
		}
	}
	for _, depKey := range sortedObjectKeys(required) {
		snapshots := required[depKey]
		st, own := p.bindings[depKey]
		if !own {
			tpl := p.templates[depKey]
			if p.matcher.Ignored(tpl) {
				continue
			}
			obj := withKubernetesDefaults(tpl)
			st = &bindingState{key: depKey, template: obj, overrides: map[string]bool{},
				binding: newAttachedBinding(depKey, obj, overwrite[depKey], preserve[depKey])}
			p.bindings[depKey] = st
		}
		st.binding.Spec.RequiredBy = append(st.binding.Spec.RequiredBy, snapshots...)
		var extra []v1alpha1.TargetCluster
		placed := map[string]bool{}
		for _, c := range st.binding.Spec.Clusters {
			placed[c.Name] = own
		}
		for _, s := range snapshots {
			for _, c := range s.Clusters {
				if !placed[c.Name] {
					placed[c.Name] = true
					extra = append(extra, v1alpha1.TargetCluster{Name: c.Name})
				}
			}
		}
		slices.SortFunc(extra, func(a, b v1alpha1.TargetCluster) int { return strings.Compare(a.Name, b.Name) })
		p.renderManifests(st, extra)
		for _, cluster := range slices.Sorted(maps.Keys(kept[depKey])) {
			if info, ok := p.snap.Get(cluster); ok && !placed[cluster] {
				p.jobs = append(p.jobs, manifestJob{st: st, cluster: info, keep: true})
			}
		}
	}
}

// resolveDependency finds the templates a dependency reference names: by name, or by label
// selector within the namespace.
func (p *renderPass) resolveDependency(apiVersion, kind, namespace, name string, selector *metav1.LabelSelector) []ObjectKey {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil
	}
	if name != "" {
		key := ObjectKey{Group: gv.Group, Kind: kind, Namespace: namespace, Name: name}
		if _, ok := p.templates[key]; ok {
			return []ObjectKey{key}
		}
		return nil
	}
	sel, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil || selector == nil {
		return nil
	}
	var keys []ObjectKey
	for key, tpl := range p.templates {
		if key.Group == gv.Group && key.Kind == kind && key.Namespace == namespace && sel.Matches(labels.Set(tpl.GetLabels())) {
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, compareKeys)
	return keys
}

// newAttachedBinding is the binding Karmada creates for a dependency no policy propagates:
// no placement of its own, its clusters come from requiredBy, and it inherits the conflict
// resolution and preserveResourcesOnDeletion of the workloads that need it (Overwrite, and
// preserve, when any of them says so) (semantics §11 step 9).
func newAttachedBinding(key ObjectKey, obj *unstructured.Unstructured, overwrite bool, preserve *bool) *v1alpha1.ResourceBinding {
	b := newBinding(key, obj, MatchedPolicy{Spec: &v1alpha1.PropagationSpec{}})
	b.Annotations = nil
	b.Spec.Placement = nil
	b.Spec.SchedulerName = ""
	b.Spec.ConflictResolution = v1alpha1.ConflictAbort
	if overwrite {
		b.Spec.ConflictResolution = v1alpha1.ConflictOverwrite
	}
	b.Spec.PreserveResourcesOnDeletion = preserve
	return b
}

// propagateNamespaces sends namespaces where they are needed, as Karmada's namespace
// controller does (semantics §11 step 10): every Namespace of the source — except reserved,
// skipped and `default` ones and those labelled namespace.karmada.io/skip-auto-propagation —
// goes to every cluster, with the ClusterOverridePolicies applied; and every cluster gets
// each namespace its objects live in, defined in the source or not. Where a policy also
// propagates a namespace to a cluster, its binding's manifest is the one rendered there.
func (p *renderPass) propagateNamespaces() {
	defined := map[string]*unstructured.Unstructured{}
	for key, tpl := range p.templates {
		if key.Group == "" && key.Kind == "Namespace" {
			defined[key.Name] = tpl
		}
	}
	for _, cluster := range p.clusters {
		needed := map[string]bool{}
		for _, m := range p.manifests[cluster] {
			if ns := m.namespace; ns != "" {
				needed[ns] = true
			}
		}
		for name, tpl := range defined {
			if p.matcher.SkippedNamespace(name) {
				continue
			}
			if tpl.GetLabels()[v1alpha1.NamespaceSkipAutoPropagationLabel] != "true" {
				needed[name] = true
			}
		}
		for _, name := range slices.Sorted(maps.Keys(needed)) {
			if name == metav1.NamespaceDefault || p.matcher.SkippedNamespace(name) {
				continue // exists in every cluster, or is the cluster's own
			}
			path := ManifestPath("", "Namespace", "", name)
			if _, present := p.manifests[cluster][path]; present {
				continue
			}
			ns := &unstructured.Unstructured{Object: map[string]any{
				"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name},
			}}
			if tpl := defined[name]; tpl != nil {
				ns = cleanManifest(tpl)
				// The namespace controller applies ClusterOverridePolicies to the namespaces
				// it propagates (semantics §1.2.1: cluster-scoped objects get only those).
				info, _ := p.snap.Get(cluster)
				if _, err := overrides.Apply(ns, info, overrides.Policies{Cluster: p.src.ClusterOverridePolicies}); err != nil {
					p.failOverride(ObjectKey{Kind: "Namespace", Name: name}, cluster, err)
					continue
				}
			}
			p.put(ObjectKey{Kind: "Namespace", Name: name}, cluster, ns)
		}
	}
}

// propagateQuotas turns each FederatedResourceQuota's static assignments into a
// ResourceQuota named like the quota in each assigned cluster (semantics §7).
func (p *renderPass) propagateQuotas() {
	for _, frq := range p.src.FederatedResourceQuotas {
		for _, a := range frq.Spec.StaticAssignments {
			if _, ok := p.manifests[a.ClusterName]; !ok {
				continue // not a cluster of this fleet
			}
			hard := map[string]any{}
			for name, q := range a.Hard {
				hard[string(name)] = q.String()
			}
			key := ObjectKey{Group: v1alpha1.PolicyGroupVersion.Group, Kind: "FederatedResourceQuota", Namespace: frq.Namespace, Name: frq.Name}
			p.put(key, a.ClusterName, &unstructured.Unstructured{Object: map[string]any{
				"apiVersion": "v1",
				"kind":       "ResourceQuota",
				"metadata":   map[string]any{"name": frq.Name, "namespace": frq.Namespace},
				"spec":       map[string]any{"hard": hard},
			}})
		}
	}
}

// cleanManifest copies a template without the fields a member cluster owns: status and
// server-set metadata. What remains is what the syncer applies.
func cleanManifest(tpl *unstructured.Unstructured) *unstructured.Unstructured {
	m := tpl.DeepCopy()
	delete(m.Object, "status")
	meta, _ := m.Object["metadata"].(map[string]any)
	for _, f := range []string{"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
		"deletionGracePeriodSeconds", "managedFields", "selfLink", "ownerReferences", "finalizers"} {
		delete(meta, f)
	}
	return m
}

// withKubernetesDefaults returns the template as Karmada's API server would hold it, for
// the defaults placement depends on: a Deployment, ReplicaSet or StatefulSet without
// replicas runs 1; a Job without parallelism runs 1 pod at a time, and one without either
// parallelism or completions completes once. (Git holds templates as written; Karmada sees
// them after kube-apiserver defaulting.)
func withKubernetesDefaults(tpl *unstructured.Unstructured) *unstructured.Unstructured {
	gvk := tpl.GroupVersionKind()
	switch {
	case gvk.Group == "apps" && (gvk.Kind == "Deployment" || gvk.Kind == "ReplicaSet" || gvk.Kind == "StatefulSet"):
		if _, found, _ := unstructured.NestedFieldNoCopy(tpl.Object, "spec", "replicas"); !found {
			obj := tpl.DeepCopy()
			_ = unstructured.SetNestedField(obj.Object, int64(1), "spec", "replicas")
			return obj
		}
	case gvk.Group == "batch" && gvk.Kind == "Job":
		_, hasParallelism, _ := unstructured.NestedFieldNoCopy(tpl.Object, "spec", "parallelism")
		_, hasCompletions, _ := unstructured.NestedFieldNoCopy(tpl.Object, "spec", "completions")
		if hasParallelism {
			return tpl
		}
		obj := tpl.DeepCopy()
		_ = unstructured.SetNestedField(obj.Object, int64(1), "spec", "parallelism")
		if !hasCompletions {
			_ = unstructured.SetNestedField(obj.Object, int64(1), "spec", "completions")
		}
		return obj
	}
	return tpl
}

func (p *renderPass) sortedBindingKeys() []ObjectKey {
	return sortedObjectKeys(p.bindings)
}

// sortedObjectKeys returns the keys of a map by object key, in order.
func sortedObjectKeys[V any](m map[ObjectKey]V) []ObjectKey {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, compareKeys)
	return keys
}
