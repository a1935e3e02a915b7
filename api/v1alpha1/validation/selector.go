package validation

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ValidateClusterAffinity checks a cluster filter: its label selector must be valid and its
// field selector may only use the keys provider, region and zone with the operators In and
// NotIn. A nil affinity is valid. Errors are reported below fldPath, which is the path of the
// affinity itself (for an inline affinity, the path of the struct that embeds it).
func ValidateClusterAffinity(affinity *v1alpha1.ClusterAffinity, fldPath *field.Path) field.ErrorList {
	if affinity == nil {
		return nil
	}
	var allErrs field.ErrorList
	if affinity.LabelSelector != nil {
		allErrs = append(allErrs, validateLabelSelector(affinity.LabelSelector, fldPath.Child("labelSelector"))...)
	}
	if affinity.FieldSelector != nil {
		exprsPath := fldPath.Child("fieldSelector", "matchExpressions")
		for i, expr := range affinity.FieldSelector.MatchExpressions {
			switch expr.Key {
			case string(v1alpha1.SpreadByFieldProvider), string(v1alpha1.SpreadByFieldRegion), string(v1alpha1.SpreadByFieldZone):
			default:
				allErrs = append(allErrs, field.Invalid(exprsPath.Index(i).Child("key"), expr.Key,
					fmt.Sprintf("unsupported key %q, must be provider, region, or zone", expr.Key)))
			}
			switch expr.Operator {
			case corev1.NodeSelectorOpIn, corev1.NodeSelectorOpNotIn:
			default:
				allErrs = append(allErrs, field.Invalid(exprsPath.Index(i).Child("operator"), expr.Operator,
					fmt.Sprintf("unsupported operator %q, must be In or NotIn", expr.Operator)))
			}
		}
	}
	return allErrs
}

// validateResourceSelectors checks the resource selectors of a policy. For a namespaced
// policy (policyNamespace non-empty) every selector must stay in the policy's namespace.
func validateResourceSelectors(selectors []v1alpha1.ResourceSelector, policyNamespace string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for i := range selectors {
		allErrs = append(allErrs, validateResourceSelector(&selectors[i], policyNamespace, fldPath.Index(i))...)
	}
	return allErrs
}

func validateResourceSelector(rs *v1alpha1.ResourceSelector, policyNamespace string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if rs.APIVersion == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("apiVersion"), ""))
	} else if _, err := schema.ParseGroupVersion(rs.APIVersion); err != nil {
		allErrs = append(allErrs, field.Invalid(fldPath.Child("apiVersion"), rs.APIVersion, err.Error()))
	}
	if rs.Kind == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("kind"), ""))
	}
	switch {
	case policyNamespace != "" && rs.Namespace != policyNamespace:
		allErrs = append(allErrs, field.Invalid(fldPath.Child("namespace"), rs.Namespace,
			"namespace of resource selector must be the same as the namespace of the policy"))
	case rs.Namespace != "":
		for _, msg := range apivalidation.ValidateNamespaceName(rs.Namespace, false) {
			allErrs = append(allErrs, field.Invalid(fldPath.Child("namespace"), rs.Namespace, msg))
		}
	}
	if rs.LabelSelector != nil {
		allErrs = append(allErrs, validateLabelSelector(rs.LabelSelector, fldPath.Child("labelSelector"))...)
	}
	return allErrs
}
