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
	var sel labels.Selector
	var invalid bool
	if s.Name == "" && s.LabelSelector != nil {
		var err error
		sel, err = metav1.LabelSelectorAsSelector(s.LabelSelector)
		invalid = err != nil
	}
	return s.match(obj, sel, invalid)
}

// match is Match with the labelSelector already parsed into sel (invalid: it does not
// parse).
func (s ResourceSelector) match(obj SelectedObject, sel labels.Selector, invalid bool) ImplicitPriority {
	switch {
	case s.APIVersion != obj.APIVersion || s.Kind != obj.Kind, s.Namespace != "" && s.Namespace != obj.Namespace:
		return PriorityMisMatch
	case s.Name != "":
		if s.Name == obj.Name {
			return PriorityMatchName
		}
		return PriorityMisMatch
	case s.LabelSelector == nil:
		return PriorityMatchAll
	case invalid || !sel.Matches(labels.Set(obj.Labels)):
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

// CompiledSelectors are resource selectors with their label selectors parsed once, for
// matching many templates: parsing a LabelSelector costs more than matching it. They match
// exactly as the selectors do, and are safe for concurrent use.
// +kubebuilder:object:generate=false
type CompiledSelectors struct {
	selectors []ResourceSelector
	// labels holds each selector's parsed labelSelector (nil when it has none, or when it
	// names a template); invalid marks those that do not parse, which match nothing.
	labels  []labels.Selector
	invalid []bool
}

// CompileSelectors parses the label selectors of selectors.
func CompileSelectors(selectors []ResourceSelector) CompiledSelectors {
	c := CompiledSelectors{selectors: selectors, labels: make([]labels.Selector, len(selectors)), invalid: make([]bool, len(selectors))}
	for i, s := range selectors {
		if s.Name != "" || s.LabelSelector == nil {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(s.LabelSelector)
		c.labels[i], c.invalid[i] = sel, err != nil
	}
	return c
}

// HighestPriority is HighestPriority of the selectors.
func (c CompiledSelectors) HighestPriority(obj SelectedObject) ImplicitPriority {
	best := PriorityMisMatch
	for i, s := range c.selectors {
		best = max(best, s.match(obj, c.labels[i], c.invalid[i]))
	}
	return best
}
