package validation

import (
	"strings"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	kubevalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ValidateMultiClusterService checks a MultiClusterService as Karmada's validating webhook
// does on creation: the name is a DNS-1035 label (it must equal a Service's name), the
// namespace is set, types are CrossCluster or LoadBalancer and of one kind only, port names
// are unique DNS-1123 labels and port numbers valid, and provider and consumer clusters are
// valid cluster names. In addition, types must not be empty (Karmada's schema requires the
// field; an empty list would expose nothing).
func ValidateMultiClusterService(m *v1alpha1.MultiClusterService) field.ErrorList {
	allErrs := apivalidation.ValidateObjectMeta(&m.ObjectMeta, true, apivalidation.NameIsDNS1035Label, field.NewPath("metadata"))
	specPath := field.NewPath("spec")

	portNames := map[string]bool{}
	for i, port := range m.Spec.Ports {
		portPath := specPath.Child("ports").Index(i)
		if port.Name != "" {
			for _, msg := range kubevalidation.IsDNS1123Label(port.Name) {
				allErrs = append(allErrs, field.Invalid(portPath.Child("name"), port.Name, msg))
			}
			if portNames[port.Name] {
				allErrs = append(allErrs, field.Duplicate(portPath.Child("name"), port.Name))
			}
			portNames[port.Name] = true
		}
		for _, msg := range kubevalidation.IsValidPortNum(int(port.Port)) {
			allErrs = append(allErrs, field.Invalid(portPath.Child("port"), port.Port, msg))
		}
	}

	typesPath := specPath.Child("types")
	if len(m.Spec.Types) == 0 {
		allErrs = append(allErrs, field.Required(typesPath, "one of CrossCluster or LoadBalancer is required"))
	}
	types := map[v1alpha1.ExposureType]bool{}
	supported := []v1alpha1.ExposureType{v1alpha1.ExposureTypeCrossCluster, v1alpha1.ExposureTypeLoadBalancer}
	for i, t := range m.Spec.Types {
		types[t] = true
		if t != v1alpha1.ExposureTypeCrossCluster && t != v1alpha1.ExposureTypeLoadBalancer {
			allErrs = append(allErrs, field.NotSupported(typesPath.Index(i), t, supported))
		}
	}
	if len(types) > 1 {
		allErrs = append(allErrs, field.Invalid(typesPath, m.Spec.Types, "MultiClusterService types should not contain more than one type"))
	}

	allErrs = append(allErrs, validateClusterSelectors(m.Spec.ProviderClusters, specPath.Child("providerClusters"))...)
	allErrs = append(allErrs, validateClusterSelectors(m.Spec.ConsumerClusters, specPath.Child("consumerClusters"))...)
	return allErrs
}

func validateClusterSelectors(selectors []v1alpha1.ClusterSelector, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for i, s := range selectors {
		if msgs := ValidateClusterName(s.Name); len(msgs) > 0 {
			allErrs = append(allErrs, field.Invalid(fldPath.Index(i).Child("name"), s.Name, strings.Join(msgs, ",")))
		}
	}
	return allErrs
}
