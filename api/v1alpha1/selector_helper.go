package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// ImplicitPriority ranks how specifically a ResourceSelector matches a resource template.
// Policy selection and the order overrides are applied in both use it (semantics §1.1.3,
// §1.2.1): a selector that names the template beats one that matches it by labels, which
// beats one that matches every template of the kind.
type ImplicitPriority int

// The implicit priorities, lowest first.
const (
	// PriorityMisMatch: the selector does not match.
	PriorityMisMatch ImplicitPriority = iota
	// PriorityMatchAll: the selector names neither a template nor labels.
	PriorityMatchAll
	// PriorityMatchLabelSelector: the selector matches the template's labels.
	PriorityMatchLabelSelector
	// PriorityMatchName: the selector names the template.
	PriorityMatchName
)

// SelectedObject is what a ResourceSelector is matched against: a template's apiVersion,
// kind, namespace, name and labels.
type SelectedObject struct {
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
	Labels     map[string]string
}

// Match reports how the selector matches obj. apiVersion and kind must be equal; a
// namespace, when given, must be equal; a name, when given, decides alone (the labelSelector
// is then ignored); otherwise a labelSelector, when given, must match the labels. An invalid
// labelSelector matches nothing.
func (s ResourceSelector) Match(obj SelectedObject) ImplicitPriority {
	if s.APIVersion != obj.APIVersion || s.Kind != obj.Kind {
		return PriorityMisMatch
	}
	if s.Namespace != "" && s.Namespace != obj.Namespace {
		return PriorityMisMatch
	}
	if s.Name != "" {
		if s.Name == obj.Name {
			return PriorityMatchName
		}
		return PriorityMisMatch
	}
	if s.LabelSelector == nil {
		return PriorityMatchAll
	}
	sel, err := metav1.LabelSelectorAsSelector(s.LabelSelector)
	if err != nil || !sel.Matches(labels.Set(obj.Labels)) {
		return PriorityMisMatch
	}
	return PriorityMatchLabelSelector
}

// HighestPriority returns the best match among selectors (PriorityMisMatch when none
// matches).
func HighestPriority(selectors []ResourceSelector, obj SelectedObject) ImplicitPriority {
	best := PriorityMisMatch
	for _, s := range selectors {
		if p := s.Match(obj); p > best {
			best = p
		}
	}
	return best
}
