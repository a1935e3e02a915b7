package validation

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ValidateOverridePolicy checks a defaulted OverridePolicy: metadata and the spec rules of
// Karmada's CRD schema and validating webhook. Its resource selectors must stay in the
// policy's namespace.
func ValidateOverridePolicy(p *v1alpha1.OverridePolicy) field.ErrorList {
	allErrs := validateObjectMeta(&p.ObjectMeta, true)
	allErrs = append(allErrs, validateOverrideSpec(&p.Spec, p.Namespace)...)
	return allErrs
}

// ValidateClusterOverridePolicy checks a defaulted ClusterOverridePolicy: metadata and the
// spec rules of Karmada's CRD schema and validating webhook.
func ValidateClusterOverridePolicy(p *v1alpha1.ClusterOverridePolicy) field.ErrorList {
	allErrs := validateObjectMeta(&p.ObjectMeta, false)
	allErrs = append(allErrs, validateOverrideSpec(&p.Spec, "")...)
	return allErrs
}

// validateOverrideSpec checks spec; policyNamespace is empty for cluster-scoped policies.
func validateOverrideSpec(spec *v1alpha1.OverrideSpec, policyNamespace string) field.ErrorList {
	allErrs := validateResourceSelectors(spec.ResourceSelectors, policyNamespace, specPath.Child("resourceSelectors"))

	// The legacy single rule (targetCluster + overriders) and overrideRules are exclusive. As in
	// Karmada, a present-but-empty overrideRules list counts as set.
	if spec.TargetCluster != nil && spec.OverrideRules != nil {
		allErrs = append(allErrs, field.Forbidden(specPath.Child("targetCluster"), "overrideRules and targetCluster can't co-exist"))
	}
	if !isEmptyOverriders(&spec.Overriders) && spec.OverrideRules != nil {
		allErrs = append(allErrs, field.Forbidden(specPath.Child("overriders"), "overrideRules and overriders can't co-exist"))
	}
	allErrs = append(allErrs, ValidateClusterAffinity(spec.TargetCluster, specPath.Child("targetCluster"))...)
	allErrs = append(allErrs, validateOverriders(&spec.Overriders, specPath.Child("overriders"))...)

	for i := range spec.OverrideRules {
		rule := &spec.OverrideRules[i]
		rulePath := specPath.Child("overrideRules").Index(i)
		allErrs = append(allErrs, ValidateClusterAffinity(rule.TargetCluster, rulePath.Child("targetCluster"))...)
		allErrs = append(allErrs, validateOverriders(&rule.Overriders, rulePath.Child("overriders"))...)
	}
	return allErrs
}

// isEmptyOverriders reports whether o changes nothing.
func isEmptyOverriders(o *v1alpha1.Overriders) bool {
	return len(o.Plaintext) == 0 && len(o.ImageOverrider) == 0 && len(o.CommandOverrider) == 0 &&
		len(o.ArgsOverrider) == 0 && len(o.LabelsOverrider) == 0 && len(o.AnnotationsOverrider) == 0 &&
		len(o.FieldOverrider) == 0
}

var allOverriderOperators = []v1alpha1.OverriderOperator{
	v1alpha1.OverriderOpAdd, v1alpha1.OverriderOpRemove, v1alpha1.OverriderOpReplace,
}

func validateOverriders(o *v1alpha1.Overriders, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList

	for i, p := range o.Plaintext {
		itemPath := fldPath.Child("plaintext").Index(i)
		allErrs = append(allErrs, validateRequiredJSONPointer(p.Path, itemPath.Child("path"))...)
		allErrs = append(allErrs, validateEnum(p.Operator, true, itemPath.Child("operator"), allOverriderOperators...)...)
	}

	for i, img := range o.ImageOverrider {
		itemPath := fldPath.Child("imageOverrider").Index(i)
		if img.Predicate != nil {
			allErrs = append(allErrs, validateRequiredJSONPointer(img.Predicate.Path, itemPath.Child("predicate", "path"))...)
		}
		allErrs = append(allErrs, validateEnum(img.Component, true, itemPath.Child("component"),
			v1alpha1.Registry, v1alpha1.Repository, v1alpha1.Tag)...)
		allErrs = append(allErrs, validateEnum(img.Operator, true, itemPath.Child("operator"), allOverriderOperators...)...)
	}

	for _, list := range []struct {
		name  string
		items []v1alpha1.CommandArgsOverrider
	}{{"commandOverrider", o.CommandOverrider}, {"argsOverrider", o.ArgsOverrider}} {
		for i, ca := range list.items {
			itemPath := fldPath.Child(list.name).Index(i)
			if ca.ContainerName == "" {
				allErrs = append(allErrs, field.Required(itemPath.Child("containerName"), ""))
			}
			allErrs = append(allErrs, validateEnum(ca.Operator, true, itemPath.Child("operator"),
				v1alpha1.OverriderOpAdd, v1alpha1.OverriderOpRemove)...)
		}
	}

	for i, l := range o.LabelsOverrider {
		itemPath := fldPath.Child("labelsOverrider").Index(i)
		allErrs = append(allErrs, validateEnum(l.Operator, true, itemPath.Child("operator"), allOverriderOperators...)...)
		if l.Value == nil {
			allErrs = append(allErrs, field.Required(itemPath.Child("value"), ""))
		}
		allErrs = append(allErrs, validateLabels(l.Value, itemPath.Child("value"))...)
	}

	for i, a := range o.AnnotationsOverrider {
		itemPath := fldPath.Child("annotationsOverrider").Index(i)
		allErrs = append(allErrs, validateEnum(a.Operator, true, itemPath.Child("operator"), allOverriderOperators...)...)
		if a.Value == nil {
			allErrs = append(allErrs, field.Required(itemPath.Child("value"), ""))
		}
		allErrs = append(allErrs, validateAnnotations(a.Value, itemPath.Child("value"))...)
	}

	for i := range o.FieldOverrider {
		allErrs = append(allErrs, validateFieldOverrider(&o.FieldOverrider[i], fldPath.Child("fieldOverrider").Index(i))...)
	}
	return allErrs
}

func validateFieldOverrider(fo *v1alpha1.FieldOverrider, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	switch {
	case len(fo.JSON) > 0 && len(fo.YAML) > 0:
		allErrs = append(allErrs, field.Invalid(fldPath, omitValue, "FieldOverrider has both YAML and JSON set. Only one is allowed"))
	case len(fo.JSON) == 0 && len(fo.YAML) == 0:
		allErrs = append(allErrs, field.Required(fldPath, "FieldOverrider must have either JSON or YAML set"))
	}
	allErrs = append(allErrs, validateRequiredJSONPointer(fo.FieldPath, fldPath.Child("fieldPath"))...)
	for i, op := range fo.JSON {
		allErrs = append(allErrs, validatePatchOperation(op.SubPath, op.Operator, len(op.Value.Raw) > 0, fldPath.Child("json").Index(i))...)
	}
	for i, op := range fo.YAML {
		allErrs = append(allErrs, validatePatchOperation(op.SubPath, op.Operator, len(op.Value.Raw) > 0, fldPath.Child("yaml").Index(i))...)
	}
	return allErrs
}

// validatePatchOperation checks one JSON or YAML patch operation of a field overrider. An
// empty subPath is a valid pointer to the whole embedded document.
func validatePatchOperation(subPath string, op v1alpha1.OverriderOperator, hasValue bool, fldPath *field.Path) field.ErrorList {
	allErrs := validateJSONPointer(subPath, fldPath.Child("subPath"))
	allErrs = append(allErrs, validateEnum(op, true, fldPath.Child("operator"), allOverriderOperators...)...)
	switch {
	case (op == v1alpha1.OverriderOpAdd || op == v1alpha1.OverriderOpReplace) && !hasValue:
		allErrs = append(allErrs, field.Required(fldPath.Child("value"), "value is required for add or replace operation"))
	case op == v1alpha1.OverriderOpRemove && hasValue:
		allErrs = append(allErrs, field.Forbidden(fldPath.Child("value"), "value is not allowed for remove operation"))
	}
	return allErrs
}

// validateRequiredJSONPointer checks a JSON pointer that must name a field, so cannot be
// empty (the empty pointer would be the whole document).
func validateRequiredJSONPointer(value string, fldPath *field.Path) field.ErrorList {
	if value == "" {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	return validateJSONPointer(value, fldPath)
}
