package validation

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ClusterTaintPolicyOptions tunes ValidateClusterTaintPolicyWithOptions.
type ClusterTaintPolicyOptions struct {
	// AllowNoExecute permits taints with the NoExecute effect. A NoExecute taint evicts every
	// workload that does not tolerate it, so Karmada forbids them unless an administrator
	// opts in (karmada-webhook --allow-no-execute-taint-policy, off by default).
	AllowNoExecute bool
}

// ValidateClusterTaintPolicy checks a ClusterTaintPolicy with Karmada's default options, under
// which NoExecute taints are forbidden.
func ValidateClusterTaintPolicy(p *v1alpha1.ClusterTaintPolicy) field.ErrorList {
	return ValidateClusterTaintPolicyWithOptions(p, ClusterTaintPolicyOptions{})
}

// ValidateClusterTaintPolicyWithOptions checks a ClusterTaintPolicy: metadata, the target
// cluster filter, the match conditions (operator In or NotIn, statuses True, False or
// Unknown), and the taints (at least one, valid as Cluster taints, NoExecute only if allowed).
func ValidateClusterTaintPolicyWithOptions(p *v1alpha1.ClusterTaintPolicy, opts ClusterTaintPolicyOptions) field.ErrorList {
	allErrs := validateObjectMeta(&p.ObjectMeta, false)
	allErrs = append(allErrs, ValidateClusterAffinity(p.Spec.TargetClusters, specPath.Child("targetClusters"))...)
	allErrs = append(allErrs, validateMatchConditions(p.Spec.AddOnConditions, specPath.Child("addOnConditions"))...)
	allErrs = append(allErrs, validateMatchConditions(p.Spec.RemoveOnConditions, specPath.Child("removeOnConditions"))...)
	allErrs = append(allErrs, validatePolicyTaints(p.Spec.Taints, opts, specPath.Child("taints"))...)
	return allErrs
}

func validateMatchConditions(conditions []v1alpha1.MatchCondition, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for i, c := range conditions {
		cPath := fldPath.Index(i)
		if c.ConditionType == "" {
			allErrs = append(allErrs, field.Required(cPath.Child("conditionType"), ""))
		}
		allErrs = append(allErrs, validateEnum(c.Operator, true, cPath.Child("operator"),
			v1alpha1.MatchConditionOpIn, v1alpha1.MatchConditionOpNotIn)...)
		valuesPath := cPath.Child("statusValues")
		if c.StatusValues == nil {
			allErrs = append(allErrs, field.Required(valuesPath, ""))
		}
		for j, v := range c.StatusValues {
			allErrs = append(allErrs, validateEnum(v, true, valuesPath.Index(j),
				metav1.ConditionTrue, metav1.ConditionFalse, metav1.ConditionUnknown)...)
		}
	}
	return allErrs
}

// validatePolicyTaints checks the taints as the Cluster API checks the taints they end up in
// (ValidateClusterTaints: qualified key, label value, effect NoSchedule or NoExecute, unique
// key and effect), plus Karmada's policy webhook rules: at least one taint, and NoExecute
// only when allowed.
func validatePolicyTaints(taints []v1alpha1.Taint, opts ClusterTaintPolicyOptions, fldPath *field.Path) field.ErrorList {
	if len(taints) == 0 {
		return field.ErrorList{field.Required(fldPath, "at least one taint is required")}
	}
	clusterTaints := make([]corev1.Taint, len(taints))
	for i, t := range taints {
		clusterTaints[i] = corev1.Taint{Key: t.Key, Value: t.Value, Effect: t.Effect}
	}
	allErrs := ValidateClusterTaints(clusterTaints, fldPath)
	if !opts.AllowNoExecute {
		for i, t := range taints {
			if t.Effect == corev1.TaintEffectNoExecute {
				allErrs = append(allErrs, field.Forbidden(fldPath.Index(i).Child("effect"),
					"Configuring taint with NoExecute effect is not allowed, this capability must be explicitly enabled by setting spec.failover.allowNoExecuteTaintPolicy: true in the FleetConfig"))
			}
		}
	}
	return allErrs
}
