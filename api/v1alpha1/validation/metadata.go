package validation

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/go-openapi/jsonpointer"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// metadataPath and specPath are the roots of every error path.
var (
	metadataPath = field.NewPath("metadata")
	specPath     = field.NewPath("spec")
)

// omitValue hides the offending value of an error whose value is a whole struct or list;
// printing it would bury the message.
var omitValue = field.OmitValueType{}

// validateObjectMeta checks metadata as the API server does for custom resources: the name
// is a DNS subdomain, the namespace is set exactly for namespaced kinds, and labels and
// annotations are well formed. Labels and annotations are checked key by key so that errors
// name the key (`metadata.labels[app]`) and come out in a stable order.
func validateObjectMeta(meta *metav1.ObjectMeta, namespaced bool) field.ErrorList {
	rest := *meta
	rest.Labels, rest.Annotations = nil, nil
	allErrs := apivalidation.ValidateObjectMeta(&rest, namespaced, apivalidation.NameIsDNSSubdomain, metadataPath)
	allErrs = append(allErrs, validateLabels(meta.Labels, metadataPath.Child("labels"))...)
	allErrs = append(allErrs, validateAnnotations(meta.Annotations, metadataPath.Child("annotations"))...)
	return allErrs
}

// validateLabels checks label keys and values like metav1validation.ValidateLabels, in key
// order, reporting each problem at fldPath[key].
func validateLabels(labels map[string]string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		allErrs = append(allErrs, metav1validation.ValidateLabels(map[string]string{k: labels[k]}, fldPath.Key(k))...)
	}
	return allErrs
}

// validateAnnotations checks annotation keys and total size like
// apivalidation.ValidateAnnotations, in key order, reporting key problems at fldPath[key].
func validateAnnotations(annotations map[string]string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, k := range slices.Sorted(maps.Keys(annotations)) {
		// Annotation keys are qualified names in which case does not matter.
		for _, msg := range validation.IsQualifiedName(strings.ToLower(k)) {
			allErrs = append(allErrs, field.Invalid(fldPath.Key(k), k, msg))
		}
	}
	if err := apivalidation.ValidateAnnotationsSize(annotations); err != nil {
		allErrs = append(allErrs, field.TooLong(fldPath, "", apivalidation.TotalAnnotationSizeLimitB))
	}
	return allErrs
}

// validateLabelSelector checks a label selector like metav1validation.ValidateLabelSelector,
// with matchLabels checked in key order.
func validateLabelSelector(ls *metav1.LabelSelector, fldPath *field.Path) field.ErrorList {
	if ls == nil {
		return nil
	}
	allErrs := validateLabels(ls.MatchLabels, fldPath.Child("matchLabels"))
	for i, expr := range ls.MatchExpressions {
		allErrs = append(allErrs, metav1validation.ValidateLabelSelectorRequirement(expr,
			metav1validation.LabelSelectorValidationOptions{}, fldPath.Child("matchExpressions").Index(i))...)
	}
	return allErrs
}

// validatePermanentIDLabel requires the permanent-id label that defaulting sets, as Karmada's
// validating webhook requires the one its mutating webhook sets.
func validatePermanentIDLabel(labels map[string]string, key string) field.ErrorList {
	if labels[key] != "" {
		return nil
	}
	return field.ErrorList{field.Required(metadataPath.Child("labels").Key(key),
		fmt.Sprintf("label %s is required, it is set by defaulting", key))}
}

// validateEnum checks that value is one of allowed. An empty value is reported as missing when
// required and accepted otherwise (the field is then absent, or defaulted before validation).
func validateEnum[T ~string](value T, required bool, fldPath *field.Path, allowed ...T) field.ErrorList {
	if value == "" {
		if required {
			return field.ErrorList{field.Required(fldPath, "")}
		}
		return nil
	}
	if !slices.Contains(allowed, value) {
		return field.ErrorList{field.NotSupported(fldPath, value, allowed)}
	}
	return nil
}

// validateJSONPointer checks that value parses as an RFC 6901 JSON pointer: empty, or
// starting with "/".
func validateJSONPointer(value string, fldPath *field.Path) field.ErrorList {
	if _, err := jsonpointer.New(value); err != nil {
		msg := err.Error()
		if errors.Is(err, jsonpointer.ErrInvalidStart) {
			// The library joins its sentinel errors with newlines; keep the message on one line.
			msg = jsonpointer.ErrInvalidStart.Error()
		}
		return field.ErrorList{field.Invalid(fldPath, value, msg)}
	}
	return nil
}

// duplicate reports value as a repetition, explaining the rule in detail.
func duplicate(fldPath *field.Path, value any, detail string) *field.Error {
	err := field.Duplicate(fldPath, value)
	err.Detail = detail
	return err
}
