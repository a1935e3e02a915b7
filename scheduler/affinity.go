package scheduler

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// zoneField is the fieldSelector key matched against spec.zones rather than the field labels
// (Karmada's util.ZoneField, §1.1.1).
const zoneField = string(v1alpha1.SpreadByFieldZone)

// ClusterMatches reports whether the cluster matches the affinity, as Karmada's
// util.ClusterMatches does (§1.1.1). The conditions are ANDed: the cluster is not in
// exclude (checked first), the labelSelector matches its labels, every fieldSelector
// expression matches (zone against spec.zones, provider and region against the field
// labels), and clusterNames, when non-empty, lists it. An invalid selector or requirement
// matches no cluster; an empty affinity, like a nil one, matches every cluster.
//
// It compiles the affinity on each call. To match one affinity against many clusters,
// compile it once with compileAffinity.
func ClusterMatches(c *ClusterInfo, affinity *v1alpha1.ClusterAffinity) bool {
	if c == nil {
		return false
	}
	return compileAffinity(affinity).matches(c)
}

// CompiledAffinity is a ClusterAffinity prepared for matching many clusters: what
// ClusterMatches does per call, done once. It is immutable, so safe for concurrent use.
type CompiledAffinity struct{ m *affinityMatcher }

// CompileAffinity prepares an affinity for matching. A nil affinity matches everything.
func CompileAffinity(affinity *v1alpha1.ClusterAffinity) CompiledAffinity {
	return CompiledAffinity{m: compileAffinity(affinity)}
}

// Matches reports whether the cluster matches the affinity, as ClusterMatches would.
func (a CompiledAffinity) Matches(c *ClusterInfo) bool { return c != nil && a.m.matches(c) }

// affinityMatcher is a ClusterAffinity converted once into what matching a cluster needs:
// selectors built, name lists indexed. Converting a LabelSelector or NodeSelectorRequirements
// costs microseconds and allocations; a binding is matched against every cluster of the
// fleet, so the scheduler compiles each affinity once per binding and never per cluster.
type affinityMatcher struct {
	// never is set when a selector or requirement is invalid: Karmada then matches no
	// cluster (§1.1.1).
	never bool
	// exclude lists the clusters rejected whatever the other conditions say.
	exclude nameSet
	// labels is the compiled labelSelector; nil when the affinity has none.
	labels labels.Selector
	// zones are the fieldSelector expressions with key zone, matched by matchZones.
	zones []*corev1.NodeSelectorRequirement
	// fields is the compiled selector of the other fieldSelector expressions, matched
	// against ClusterInfo.FieldLabels; nil when there are none.
	fields labels.Selector
	// names, when non-empty, lists the only clusters admitted.
	names nameSet
}

// compileAffinity builds the matcher of an affinity. A nil affinity matches everything.
func compileAffinity(affinity *v1alpha1.ClusterAffinity) *affinityMatcher {
	m := &affinityMatcher{}
	if affinity == nil {
		return m
	}
	m.exclude = newNameSet(affinity.ExcludeClusters)
	m.names = newNameSet(affinity.ClusterNames)
	if affinity.LabelSelector != nil {
		s, err := metav1.LabelSelectorAsSelector(affinity.LabelSelector)
		if err != nil {
			m.never = true
			return m
		}
		m.labels = s
	}
	if affinity.FieldSelector != nil {
		var others []corev1.NodeSelectorRequirement
		for i := range affinity.FieldSelector.MatchExpressions {
			expr := &affinity.FieldSelector.MatchExpressions[i]
			if expr.Key == zoneField {
				m.zones = append(m.zones, expr)
				continue
			}
			others = append(others, *expr)
		}
		if len(others) > 0 {
			s, ok := nodeSelectorRequirementsAsSelector(others)
			if !ok {
				m.never = true
				return m
			}
			m.fields = s
		}
	}
	return m
}

// matches reports whether the cluster matches the compiled affinity.
func (m *affinityMatcher) matches(c *ClusterInfo) bool {
	if m.never || m.exclude.has(c.Name) {
		return false
	}
	if m.labels != nil && !m.labels.Matches(c.Labels) {
		return false
	}
	if len(m.zones) > 0 {
		var zones []string
		if c.Cluster != nil {
			zones = c.Cluster.Spec.Zones
		}
		for _, expr := range m.zones {
			if !matchZones(expr, zones) {
				return false
			}
		}
	}
	if m.fields != nil && !m.fields.Matches(c.FieldLabels) {
		return false
	}
	return m.names.empty() || m.names.has(c.Name)
}

// matchZones matches one zone expression against a cluster's zones (Karmada's
// util.matchZones, §1.1.1): In needs one of the zones among the values (no zones: false);
// NotIn needs none of them among the values (no zones: true); Exists needs zones;
// DoesNotExist needs none; any other operator never matches.
func matchZones(expr *corev1.NodeSelectorRequirement, zones []string) bool {
	switch expr.Operator {
	case corev1.NodeSelectorOpIn:
		for _, zone := range zones {
			if slices.Contains(expr.Values, zone) {
				return true
			}
		}
		return false
	case corev1.NodeSelectorOpNotIn:
		for _, zone := range zones {
			if slices.Contains(expr.Values, zone) {
				return false
			}
		}
		return true
	case corev1.NodeSelectorOpExists:
		return len(zones) > 0
	case corev1.NodeSelectorOpDoesNotExist:
		return len(zones) == 0
	default:
		return false
	}
}

// nodeSelectorRequirementsAsSelector converts node selector requirements into a label
// selector, as Karmada's lifted copy of the Kubernetes helper does; ok is false when any
// requirement is invalid (unknown operator, malformed key, values that do not suit the
// operator), in which case Karmada's ClusterMatches returns false.
func nodeSelectorRequirementsAsSelector(reqs []corev1.NodeSelectorRequirement) (labels.Selector, bool) {
	selector := labels.NewSelector()
	for _, expr := range reqs {
		var op selection.Operator
		switch expr.Operator {
		case corev1.NodeSelectorOpIn:
			op = selection.In
		case corev1.NodeSelectorOpNotIn:
			op = selection.NotIn
		case corev1.NodeSelectorOpExists:
			op = selection.Exists
		case corev1.NodeSelectorOpDoesNotExist:
			op = selection.DoesNotExist
		case corev1.NodeSelectorOpGt:
			op = selection.GreaterThan
		case corev1.NodeSelectorOpLt:
			op = selection.LessThan
		default:
			return nil, false
		}
		r, err := labels.NewRequirement(expr.Key, op, expr.Values)
		if err != nil || r == nil {
			return nil, false
		}
		selector = selector.Add(*r)
	}
	return selector, true
}

// ToleratesTaint is Kubernetes' Toleration.ToleratesTaint with the comparison operators
// disabled, as Karmada calls it (A.8): an empty effect matches every effect, an empty key
// (with Exists) every key, an empty operator means Equal, and Lt/Gt never match.
func ToleratesTaint(tol *corev1.Toleration, taint *corev1.Taint) bool {
	if tol.Effect != "" && tol.Effect != taint.Effect {
		return false
	}
	if tol.Key != "" && tol.Key != taint.Key {
		return false
	}
	switch tol.Operator {
	case "", corev1.TolerationOpEqual:
		return tol.Value == taint.Value
	case corev1.TolerationOpExists:
		return true
	default:
		return false
	}
}

// tolerationsTolerateTaint reports whether any of the tolerations tolerates the taint (A.8).
func tolerationsTolerateTaint(tolerations []corev1.Toleration, taint *corev1.Taint) bool {
	for i := range tolerations {
		if ToleratesTaint(&tolerations[i], taint) {
			return true
		}
	}
	return false
}

// findMatchingUntoleratedTaint returns the first taint with effect NoSchedule or NoExecute
// that no toleration tolerates, as Kubernetes' FindMatchingUntoleratedTaint with Karmada's
// filter predicate (§2.2, A.8). PreferNoSchedule taints never block placement.
func findMatchingUntoleratedTaint(taints []corev1.Taint, tolerations []corev1.Toleration) (*corev1.Taint, bool) {
	for i := range taints {
		taint := &taints[i]
		if taint.Effect != corev1.TaintEffectNoSchedule && taint.Effect != corev1.TaintEffectNoExecute {
			continue
		}
		if !tolerationsTolerateTaint(tolerations, taint) {
			return taint, true
		}
	}
	return nil, false
}

// smallNameSet is the size up to which a nameSet scans its list instead of hashing: for a
// handful of names a linear scan is faster than a map and allocates nothing.
const smallNameSet = 8

// nameSet is a set of cluster names (clusterNames, exclude, eviction tasks) that answers
// membership in O(1) however long the list is, so that checking every cluster of a large
// fleet against a long list stays linear.
type nameSet struct {
	list []string
	set  map[string]struct{}
}

func newNameSet(names []string) nameSet {
	s := nameSet{list: names}
	if len(names) > smallNameSet {
		s.set = make(map[string]struct{}, len(names))
		for _, n := range names {
			s.set[n] = struct{}{}
		}
	}
	return s
}

func (s nameSet) empty() bool { return len(s.list) == 0 }

func (s nameSet) has(name string) bool {
	if s.set != nil {
		_, ok := s.set[name]
		return ok
	}
	return slices.Contains(s.list, name)
}
