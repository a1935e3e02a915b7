package interpreter

import (
	"cmp"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// DependentObjectReference names an object a resource template depends on: by name, or by
// label selector for a set of objects (Karmada's config/v1alpha1 DependentObjectReference,
// with the same JSON shape, which is also what dependency scripts return).
type DependentObjectReference struct {
	// APIVersion is the dependency's API version, such as "v1".
	APIVersion string `json:"apiVersion"`
	// Kind is the dependency's kind, such as "ConfigMap".
	Kind string `json:"kind"`
	// Namespace is the dependency's namespace; empty for cluster-scoped objects.
	Namespace string `json:"namespace,omitempty"`
	// Name is the dependency's name; empty when LabelSelector selects the objects instead.
	Name string `json:"name,omitempty"`
	// LabelSelector selects the dependencies by label; used only when Name is empty.
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`
}

// verifyDependencies rejects dependencies Karmada rejects (util/interpreter/validation
// VerifyDependencies): each needs an apiVersion, a kind, and a name or a label selector, and
// its selector must be valid.
//
// Note that an Ingress TLS entry without a secretName (valid Kubernetes: it uses the
// controller's default certificate) yields a Secret dependency without a name, which fails
// this check in Karmada too: its dependencies are not propagated and the error is reported.
func verifyDependencies(deps []DependentObjectReference) error {
	var errs field.ErrorList
	base := field.NewPath("dependencies")
	for i, d := range deps {
		p := base.Index(i)
		if d.APIVersion == "" {
			errs = append(errs, field.Invalid(p.Child("apiVersion"), d.APIVersion, "missing required apiVersion"))
		}
		if d.Kind == "" {
			errs = append(errs, field.Invalid(p.Child("kind"), d.Kind, "missing required kind"))
		}
		if d.Name == "" && d.LabelSelector == nil {
			errs = append(errs, field.Invalid(p, d, "dependency can not leave name and labelSelector all empty"))
		}
		errs = append(errs, metav1validation.ValidateLabelSelector(d.LabelSelector,
			metav1validation.LabelSelectorValidationOptions{}, p.Child("labelSelector"))...)
	}
	return errs.ToAggregate()
}

// normalizeDependencies sorts the dependencies by apiVersion, kind, namespace, name and label
// selector, and drops duplicates. Karmada sorts customization results by the first four keys
// and returns native results in map order; a fixed order keeps rendered bindings stable.
func normalizeDependencies(deps []DependentObjectReference) []DependentObjectReference {
	if len(deps) == 0 {
		return nil
	}
	type keyed struct {
		DependentObjectReference
		selector string
	}
	ks := make([]keyed, len(deps))
	for i, d := range deps {
		ks[i] = keyed{DependentObjectReference: d}
		if d.LabelSelector != nil {
			ks[i].selector = d.LabelSelector.String()
		}
	}
	compare := func(a, b keyed) int {
		return cmp.Or(
			cmp.Compare(a.APIVersion, b.APIVersion),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Namespace, b.Namespace),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.selector, b.selector),
		)
	}
	slices.SortFunc(ks, compare)
	// A nil selector renders as "" and any other as "&LabelSelector{...}", so equal keys
	// mean equal references.
	ks = slices.CompactFunc(ks, func(a, b keyed) bool { return compare(a, b) == 0 })
	out := make([]DependentObjectReference, len(ks))
	for i := range ks {
		out[i] = ks[i].DependentObjectReference
	}
	return out
}
