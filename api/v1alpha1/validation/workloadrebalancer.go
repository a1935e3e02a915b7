package validation

import (
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ValidateWorkloadRebalancer checks a WorkloadRebalancer against Karmada's schema (it has no
// validating webhook): at least one workload, each with apiVersion, kind and name.
func ValidateWorkloadRebalancer(w *v1alpha1.WorkloadRebalancer) field.ErrorList {
	allErrs := apivalidation.ValidateObjectMeta(&w.ObjectMeta, false, apivalidation.NameIsDNSSubdomain, field.NewPath("metadata"))

	workloadsPath := field.NewPath("spec", "workloads")
	if len(w.Spec.Workloads) == 0 {
		allErrs = append(allErrs, field.Required(workloadsPath, "at least one workload is required"))
	}
	for i, workload := range w.Spec.Workloads {
		p := workloadsPath.Index(i)
		if workload.APIVersion == "" {
			allErrs = append(allErrs, field.Required(p.Child("apiVersion"), ""))
		}
		if workload.Kind == "" {
			allErrs = append(allErrs, field.Required(p.Child("kind"), ""))
		}
		if workload.Name == "" {
			allErrs = append(allErrs, field.Required(p.Child("name"), ""))
		}
	}
	return allErrs
}
