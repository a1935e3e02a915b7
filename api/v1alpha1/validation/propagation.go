package validation

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validate/content"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/util/jsonpath"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// affinityNameMaxLength is the CRD's maxLength of clusterAffinities[].affinityName and of
// overflow affinity names.
const affinityNameMaxLength = 32

// ValidatePropagationPolicy checks a defaulted PropagationPolicy: metadata, the permanent-id
// label, and the spec rules of Karmada's CRD schema and validating webhook. Its resource
// selectors must stay in the policy's namespace.
func ValidatePropagationPolicy(p *v1alpha1.PropagationPolicy) field.ErrorList {
	allErrs := validateObjectMeta(&p.ObjectMeta, true)
	allErrs = append(allErrs, validatePermanentIDLabel(p.Labels, v1alpha1.PropagationPolicyPermanentIDLabel)...)
	allErrs = append(allErrs, validatePropagationSpec(&p.Spec, p.Namespace)...)
	return allErrs
}

// ValidateClusterPropagationPolicy checks a defaulted ClusterPropagationPolicy: metadata, the
// permanent-id label, and the spec rules of Karmada's CRD schema and validating webhook.
func ValidateClusterPropagationPolicy(p *v1alpha1.ClusterPropagationPolicy) field.ErrorList {
	allErrs := validateObjectMeta(&p.ObjectMeta, false)
	allErrs = append(allErrs, validatePermanentIDLabel(p.Labels, v1alpha1.ClusterPropagationPolicyPermanentIDLabel)...)
	allErrs = append(allErrs, validatePropagationSpec(&p.Spec, "")...)
	return allErrs
}

// validatePropagationSpec checks spec; policyNamespace is empty for cluster-scoped policies.
func validatePropagationSpec(spec *v1alpha1.PropagationSpec, policyNamespace string) field.ErrorList {
	var allErrs field.ErrorList

	selectorsPath := specPath.Child("resourceSelectors")
	if len(spec.ResourceSelectors) == 0 {
		allErrs = append(allErrs, field.Required(selectorsPath, "at least one resource selector is required"))
	}
	allErrs = append(allErrs, validateResourceSelectors(spec.ResourceSelectors, policyNamespace, selectorsPath)...)
	if spec.Preemption == v1alpha1.PreemptAlways {
		for i, rs := range spec.ResourceSelectors {
			if rs.Name == "" {
				allErrs = append(allErrs, field.Required(selectorsPath.Index(i).Child("name"),
					"name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption"))
			}
		}
	}

	if spec.Failover != nil && spec.Failover.Application != nil && !spec.PropagateDeps {
		allErrs = append(allErrs, field.Invalid(specPath.Child("propagateDeps"), spec.PropagateDeps,
			"application failover is set, propagateDeps must be true"))
	}
	allErrs = append(allErrs, validateEnum(spec.Preemption, false, specPath.Child("preemption"),
		v1alpha1.PreemptAlways, v1alpha1.PreemptNever)...)
	allErrs = append(allErrs, validateEnum(spec.ConflictResolution, false, specPath.Child("conflictResolution"),
		v1alpha1.ConflictAbort, v1alpha1.ConflictOverwrite)...)
	allErrs = append(allErrs, validateEnum(spec.ActivationPreference, false, specPath.Child("activationPreference"),
		v1alpha1.LazyActivation)...)

	allErrs = append(allErrs, validatePlacement(&spec.Placement, specPath.Child("placement"))...)
	allErrs = append(allErrs, validateFailover(spec.Failover, specPath.Child("failover"))...)
	allErrs = append(allErrs, validateSuspension(spec.Suspension, specPath.Child("suspension"))...)
	allErrs = append(allErrs, validateSchedulePriority(spec.SchedulePriority, specPath.Child("schedulePriority"))...)
	return allErrs
}

func validatePlacement(placement *v1alpha1.Placement, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	// A present-but-empty clusterAffinities list counts, as in Karmada (it checks for nil).
	if placement.ClusterAffinity != nil && placement.ClusterAffinities != nil {
		allErrs = append(allErrs, field.Forbidden(fldPath.Child("clusterAffinities"),
			"clusterAffinities cannot co-exist with clusterAffinity"))
	}
	allErrs = append(allErrs, ValidateClusterAffinity(placement.ClusterAffinity, fldPath.Child("clusterAffinity"))...)
	allErrs = append(allErrs, validateClusterAffinityTerms(placement.ClusterAffinities,
		placement.IsReplicaDynamicDivided(), fldPath.Child("clusterAffinities"))...)
	allErrs = append(allErrs, validateClusterTolerations(placement.ClusterTolerations, fldPath.Child("clusterTolerations"))...)
	allErrs = append(allErrs, validateSpreadConstraints(placement.SpreadConstraints, fldPath.Child("spreadConstraints"))...)
	allErrs = append(allErrs, validateReplicaScheduling(placement.ReplicaScheduling, fldPath.Child("replicaScheduling"))...)
	allErrs = append(allErrs, validateWorkloadAffinity(placement.WorkloadAffinity, fldPath.Child("workloadAffinity"))...)
	return allErrs
}

// validateClusterAffinityTerms checks the ordered affinity groups. overflowAllowed tells
// whether replica scheduling divides by capacity, which overflow groups need.
func validateClusterAffinityTerms(terms []v1alpha1.ClusterAffinityTerm, overflowAllowed bool, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	names := sets.New[string]()
	for i := range terms {
		term := &terms[i]
		termPath := fldPath.Index(i)
		namePath := termPath.Child("affinityName")
		allErrs = append(allErrs, validateAffinityName(term.AffinityName, namePath)...)
		if names.Has(term.AffinityName) {
			allErrs = append(allErrs, duplicate(namePath, term.AffinityName,
				"each affinity term in a policy must have a unique name"))
		}
		names.Insert(term.AffinityName)
		allErrs = append(allErrs, ValidateClusterAffinity(&term.ClusterAffinity, termPath)...)
		allErrs = append(allErrs, validateOverflowAffinities(term, overflowAllowed, termPath.Child("overflowAffinities"))...)
	}
	return allErrs
}

func validateOverflowAffinities(term *v1alpha1.ClusterAffinityTerm, overflowAllowed bool, fldPath *field.Path) field.ErrorList {
	if term.OverflowAffinities == nil {
		return nil
	}
	var allErrs field.ErrorList
	if !overflowAllowed {
		allErrs = append(allErrs, field.Invalid(fldPath, omitValue,
			"overflowAffinities can only be used together with dynamic weight or aggregated scheduling"))
	}
	if isEmptyClusterAffinity(&term.ClusterAffinity) {
		allErrs = append(allErrs, field.Invalid(fldPath, omitValue,
			"overflowAffinities can only be used together with the inline ClusterAffinity"))
	}
	names := sets.New(term.AffinityName)
	for i := range term.OverflowAffinities {
		overflow := &term.OverflowAffinities[i]
		namePath := fldPath.Index(i).Child("affinityName")
		allErrs = append(allErrs, validateAffinityName(overflow.AffinityName, namePath)...)
		if names.Has(overflow.AffinityName) {
			allErrs = append(allErrs, duplicate(namePath, overflow.AffinityName,
				"overflow affinity name must be unique and must not duplicate the primary group's affinityName"))
		}
		names.Insert(overflow.AffinityName)
		allErrs = append(allErrs, ValidateClusterAffinity(&overflow.ClusterAffinity, fldPath.Index(i))...)
	}
	return allErrs
}

// isEmptyClusterAffinity reports whether the affinity has no filter at all.
func isEmptyClusterAffinity(a *v1alpha1.ClusterAffinity) bool {
	return a.LabelSelector == nil && a.FieldSelector == nil && len(a.ClusterNames) == 0 && len(a.ExcludeClusters) == 0
}

// validateAffinityName checks an affinity group name: a label key of 1 to 32 characters.
func validateAffinityName(name string, fldPath *field.Path) field.ErrorList {
	if name == "" {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	var allErrs field.ErrorList
	if len(name) > affinityNameMaxLength {
		allErrs = append(allErrs, field.TooLong(fldPath, name, affinityNameMaxLength))
	}
	for _, msg := range content.IsLabelKey(name) {
		allErrs = append(allErrs, field.Invalid(fldPath, name, msg))
	}
	return allErrs
}

// validateClusterTolerations rejects operators other than Exists and Equal. Karmada rejects the
// node-only Lt and Gt in particular: cluster tolerations are not node tolerations.
func validateClusterTolerations(tolerations []corev1.Toleration, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for i, t := range tolerations {
		allErrs = append(allErrs, validateEnum(t.Operator, false, fldPath.Index(i).Child("operator"),
			corev1.TolerationOpExists, corev1.TolerationOpEqual)...)
	}
	return allErrs
}

func validateSpreadConstraints(constraints []v1alpha1.SpreadConstraint, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	byField := sets.New[v1alpha1.SpreadFieldValue]()
	for i, c := range constraints {
		cPath := fldPath.Index(i)
		if c.SpreadByField != "" && c.SpreadByLabel != "" {
			allErrs = append(allErrs, field.Invalid(cPath.Child("spreadByLabel"), c.SpreadByLabel,
				"spreadByLabel should not co-exist with spreadByField"))
		}
		allErrs = append(allErrs, validateEnum(c.SpreadByField, false, cPath.Child("spreadByField"),
			v1alpha1.SpreadByFieldCluster, v1alpha1.SpreadByFieldRegion, v1alpha1.SpreadByFieldZone, v1alpha1.SpreadByFieldProvider)...)
		if c.MinGroups < 0 {
			allErrs = append(allErrs, field.Invalid(cPath.Child("minGroups"), c.MinGroups, "minGroups lower than 0 is not allowed"))
		}
		if c.MaxGroups < 0 {
			allErrs = append(allErrs, field.Invalid(cPath.Child("maxGroups"), c.MaxGroups, "maxGroups lower than 0 is not allowed"))
		}
		if c.MaxGroups > 0 && c.MaxGroups < c.MinGroups {
			allErrs = append(allErrs, field.Invalid(cPath.Child("maxGroups"), c.MaxGroups, "maxGroups lower than minGroups is not allowed"))
		}
		if c.SpreadByField != "" {
			if byField.Has(c.SpreadByField) {
				allErrs = append(allErrs, duplicate(cPath.Child("spreadByField"), c.SpreadByField,
					fmt.Sprintf("multiple %s spread constraints are not allowed", c.SpreadByField)))
			}
			byField.Insert(c.SpreadByField)
		}
	}
	// Grouping by region, zone or provider only chooses groups; a cluster constraint must say
	// how many clusters to take from them.
	if byField.Len() > 0 && !byField.Has(v1alpha1.SpreadByFieldCluster) {
		allErrs = append(allErrs, field.Invalid(fldPath, omitValue,
			"the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled"))
	}
	return allErrs
}

func validateReplicaScheduling(rs *v1alpha1.ReplicaSchedulingStrategy, fldPath *field.Path) field.ErrorList {
	if rs == nil {
		return nil
	}
	var allErrs field.ErrorList
	allErrs = append(allErrs, validateEnum(rs.ReplicaSchedulingType, false, fldPath.Child("replicaSchedulingType"),
		v1alpha1.ReplicaSchedulingTypeDuplicated, v1alpha1.ReplicaSchedulingTypeDivided)...)
	allErrs = append(allErrs, validateEnum(rs.ReplicaDivisionPreference, false, fldPath.Child("replicaDivisionPreference"),
		v1alpha1.ReplicaDivisionPreferenceAggregated, v1alpha1.ReplicaDivisionPreferenceWeighted)...)
	if wp := rs.WeightPreference; wp != nil {
		wpPath := fldPath.Child("weightPreference")
		for i := range wp.StaticWeightList {
			w := &wp.StaticWeightList[i]
			wPath := wpPath.Child("staticWeightList").Index(i)
			if w.Weight < 1 {
				allErrs = append(allErrs, field.Invalid(wPath.Child("weight"), w.Weight, "must be greater than or equal to 1"))
			}
			allErrs = append(allErrs, ValidateClusterAffinity(&w.TargetCluster, wPath.Child("targetCluster"))...)
		}
		allErrs = append(allErrs, validateEnum(wp.DynamicWeight, false, wpPath.Child("dynamicWeight"),
			v1alpha1.DynamicWeightByAvailableReplicas)...)
	}
	return allErrs
}

func validateWorkloadAffinity(wa *v1alpha1.WorkloadAffinity, fldPath *field.Path) field.ErrorList {
	if wa == nil {
		return nil
	}
	var allErrs field.ErrorList
	if wa.Affinity != nil {
		allErrs = append(allErrs, validateLabelKey(wa.Affinity.GroupByLabelKey, fldPath.Child("affinity", "groupByLabelKey"))...)
	}
	if wa.AntiAffinity != nil {
		allErrs = append(allErrs, validateLabelKey(wa.AntiAffinity.GroupByLabelKey, fldPath.Child("antiAffinity", "groupByLabelKey"))...)
	}
	if wa.Affinity != nil && wa.AntiAffinity != nil && wa.Affinity.GroupByLabelKey == wa.AntiAffinity.GroupByLabelKey {
		allErrs = append(allErrs, field.Invalid(fldPath.Child("antiAffinity", "groupByLabelKey"), wa.AntiAffinity.GroupByLabelKey,
			"affinity and antiAffinity must not use the same groupByLabelKey"))
	}
	return allErrs
}

// validateLabelKey checks a required label key.
func validateLabelKey(key string, fldPath *field.Path) field.ErrorList {
	if key == "" {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	var allErrs field.ErrorList
	for _, msg := range content.IsLabelKey(key) {
		allErrs = append(allErrs, field.Invalid(fldPath, key, msg))
	}
	return allErrs
}

func validateFailover(f *v1alpha1.FailoverBehavior, fldPath *field.Path) field.ErrorList {
	if f == nil {
		return nil
	}
	var allErrs field.ErrorList
	if app := f.Application; app != nil {
		appPath := fldPath.Child("application")
		if ts := app.DecisionConditions.TolerationSeconds; ts != nil && *ts < 0 {
			allErrs = append(allErrs, field.Invalid(appPath.Child("decisionConditions", "tolerationSeconds"), *ts,
				"must be greater than or equal to 0"))
		}
		allErrs = append(allErrs, validateEnum(app.PurgeMode, false, appPath.Child("purgeMode"),
			v1alpha1.PurgeModeDirectly, v1alpha1.PurgeModeGracefully, v1alpha1.Never)...)
		gracePath := appPath.Child("gracePeriodSeconds")
		switch {
		case app.PurgeMode != v1alpha1.PurgeModeGracefully && app.GracePeriodSeconds != nil:
			allErrs = append(allErrs, field.Invalid(gracePath, *app.GracePeriodSeconds, "only takes effect when purgeMode is gracefully"))
		case app.PurgeMode == v1alpha1.PurgeModeGracefully && app.GracePeriodSeconds == nil:
			allErrs = append(allErrs, field.Required(gracePath, "should not be empty when purgeMode is gracefully"))
		}
		if app.GracePeriodSeconds != nil && *app.GracePeriodSeconds <= 0 {
			allErrs = append(allErrs, field.Invalid(gracePath, *app.GracePeriodSeconds, "must be greater than 0"))
		}
		allErrs = append(allErrs, validateStatePreservation(app.StatePreservation, appPath.Child("statePreservation"))...)
	}
	if c := f.Cluster; c != nil {
		clusterPath := fldPath.Child("cluster")
		allErrs = append(allErrs, validateEnum(c.PurgeMode, false, clusterPath.Child("purgeMode"),
			v1alpha1.PurgeModeDirectly, v1alpha1.PurgeModeGracefully)...)
		allErrs = append(allErrs, validateStatePreservation(c.StatePreservation, clusterPath.Child("statePreservation"))...)
	}
	return allErrs
}

func validateStatePreservation(sp *v1alpha1.StatePreservation, fldPath *field.Path) field.ErrorList {
	if sp == nil {
		return nil
	}
	var allErrs field.ErrorList
	rulesPath := fldPath.Child("rules")
	if sp.Rules == nil {
		allErrs = append(allErrs, field.Required(rulesPath, ""))
	}
	for i, rule := range sp.Rules {
		rulePath := rulesPath.Index(i)
		if rule.AliasLabelName == "" {
			allErrs = append(allErrs, field.Required(rulePath.Child("aliasLabelName"), ""))
		} else {
			allErrs = append(allErrs, metav1validation.ValidateLabelName(rule.AliasLabelName, rulePath.Child("aliasLabelName"))...)
		}
		// Karmada parses the template only when a failover happens; parsing it here reports a
		// broken template when it is written rather than when it is needed.
		if rule.JSONPath == "" {
			allErrs = append(allErrs, field.Required(rulePath.Child("jsonPath"), ""))
		} else if err := jsonpath.New("jsonPath").Parse(rule.JSONPath); err != nil {
			allErrs = append(allErrs, field.Invalid(rulePath.Child("jsonPath"), rule.JSONPath, err.Error()))
		}
	}
	return allErrs
}

func validateSuspension(s *v1alpha1.Suspension, fldPath *field.Path) field.ErrorList {
	if s == nil {
		return nil
	}
	if s.Dispatching != nil && *s.Dispatching && s.DispatchingOnClusters != nil && len(s.DispatchingOnClusters.ClusterNames) > 0 {
		return field.ErrorList{field.Invalid(fldPath, omitValue,
			"suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames")}
	}
	return nil
}

func validateSchedulePriority(sp *v1alpha1.SchedulePriority, fldPath *field.Path) field.ErrorList {
	if sp == nil {
		return nil
	}
	allErrs := validateEnum(sp.PriorityClassSource, true, fldPath.Child("priorityClassSource"), v1alpha1.KubePriorityClass)
	namePath := fldPath.Child("priorityClassName")
	if sp.PriorityClassName == "" {
		return append(allErrs, field.Required(namePath, ""))
	}
	for _, msg := range apivalidation.NameIsDNSSubdomain(sp.PriorityClassName, false) {
		allErrs = append(allErrs, field.Invalid(namePath, sp.PriorityClassName, msg))
	}
	return allErrs
}
