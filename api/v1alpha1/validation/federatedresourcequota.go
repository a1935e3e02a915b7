package validation

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ValidateFederatedResourceQuota checks a FederatedResourceQuota as Karmada's validating
// webhook does: the name fits a label value, resource lists are well formed, every assigned
// resource is part of overall, and overall covers the sum of the static assignments.
func ValidateFederatedResourceQuota(q *v1alpha1.FederatedResourceQuota) field.ErrorList {
	allErrs := validateObjectMeta(&q.ObjectMeta, true)
	// Karmada puts the name into a label value of the Works it creates.
	if len(q.Name) > validation.DNS1123LabelMaxLength {
		allErrs = append(allErrs, field.Invalid(metadataPath.Child("name"), q.Name,
			fmt.Sprintf("must be no more than %d characters", validation.DNS1123LabelMaxLength)))
	}
	allErrs = append(allErrs, validateFederatedResourceQuotaSpec(&q.Spec, specPath)...)
	allErrs = append(allErrs, validateFederatedResourceQuotaStatus(&q.Status, field.NewPath("status"))...)
	return allErrs
}

func validateFederatedResourceQuotaSpec(spec *v1alpha1.FederatedResourceQuotaSpec, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	overallPath := fldPath.Child("overall")
	if spec.Overall == nil {
		allErrs = append(allErrs, field.Required(overallPath, ""))
	}
	allErrs = append(allErrs, validateQuotaResourceList(spec.Overall, overallPath)...)

	assignmentsPath := fldPath.Child("staticAssignments")
	clusters := sets.New[string]()
	for i, a := range spec.StaticAssignments {
		aPath := assignmentsPath.Index(i)
		allErrs = append(allErrs, validateClusterName(a.ClusterName, aPath.Child("clusterName"))...)
		// Two assignments for one cluster would fight over the same ResourceQuota.
		if clusters.Has(a.ClusterName) {
			allErrs = append(allErrs, duplicate(aPath.Child("clusterName"), a.ClusterName,
				"each cluster may have only one static assignment"))
		}
		clusters.Insert(a.ClusterName)
		if a.Hard == nil {
			allErrs = append(allErrs, field.Required(aPath.Child("hard"), ""))
		}
		allErrs = append(allErrs, validateQuotaResourceList(a.Hard, aPath.Child("hard"))...)
	}

	for _, name := range sortedResourceNames(spec.Overall) {
		overall := spec.Overall[name]
		var assigned resource.Quantity
		for _, a := range spec.StaticAssignments {
			if q, ok := a.Hard[name]; ok {
				assigned.Add(q)
			}
		}
		if overall.Cmp(assigned) < 0 {
			allErrs = append(allErrs, field.Invalid(overallPath.Key(string(name)), overall.String(), "overall is less than assignments"))
		}
	}
	for i, a := range spec.StaticAssignments {
		for _, name := range sortedResourceNames(a.Hard) {
			if _, ok := spec.Overall[name]; !ok {
				allErrs = append(allErrs, field.Invalid(assignmentsPath.Index(i).Child("hard").Key(string(name)), name,
					"assignment resourceName is not exist in overall"))
			}
		}
	}
	return allErrs
}

func validateFederatedResourceQuotaStatus(status *v1alpha1.FederatedResourceQuotaStatus, fldPath *field.Path) field.ErrorList {
	allErrs := validateQuotaResourceList(status.Overall, fldPath.Child("overall"))
	allErrs = append(allErrs, validateQuotaResourceList(status.OverallUsed, fldPath.Child("overallUsed"))...)
	for i, s := range status.AggregatedStatus {
		sPath := fldPath.Child("aggregatedStatus").Index(i)
		allErrs = append(allErrs, validateClusterName(s.ClusterName, sPath.Child("clusterName"))...)
		allErrs = append(allErrs, validateQuotaResourceList(s.Hard, sPath.Child("hard"))...)
		allErrs = append(allErrs, validateQuotaResourceList(s.Used, sPath.Child("used"))...)
	}
	return allErrs
}

// validateClusterName checks a member cluster name with ValidateClusterName, reporting a
// missing name as required.
func validateClusterName(name string, fldPath *field.Path) field.ErrorList {
	if name == "" {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	var allErrs field.ErrorList
	for _, msg := range ValidateClusterName(name) {
		allErrs = append(allErrs, field.Invalid(fldPath, name, msg))
	}
	return allErrs
}

// validateQuotaResourceList checks the names and quantities of a quota's resource list as
// Kubernetes does for a ResourceQuota, in sorted order so errors are deterministic.
func validateQuotaResourceList(list corev1.ResourceList, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, name := range sortedResourceNames(list) {
		resPath := fldPath.Key(string(name))
		allErrs = append(allErrs, validateQuotaResourceName(name, resPath)...)
		q := list[name]
		if q.Sign() < 0 {
			allErrs = append(allErrs, field.Invalid(resPath, q.String(), apivalidation.IsNegativeErrorMsg))
		}
		if isIntegerResourceName(name) && q.MilliValue()%1000 != 0 {
			allErrs = append(allErrs, field.Invalid(resPath, q.String(), "must be an integer"))
		}
	}
	return allErrs
}

func sortedResourceNames(list corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(list))
	for name := range list {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// The resource-name rules below are those of Kubernetes' core API validation
// (pkg/apis/core/helper and pkg/apis/core/validation), which is not importable as a library.

// standardQuotaResources are the unprefixed resource names a ResourceQuota may limit.
var standardQuotaResources = sets.New(
	corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage,
	corev1.ResourceRequestsCPU, corev1.ResourceRequestsMemory, corev1.ResourceRequestsStorage,
	corev1.ResourceRequestsEphemeralStorage, corev1.ResourceLimitsCPU, corev1.ResourceLimitsMemory,
	corev1.ResourceLimitsEphemeralStorage, corev1.ResourcePods, corev1.ResourceQuotas,
	corev1.ResourceServices, corev1.ResourceReplicationControllers, corev1.ResourceSecrets,
	corev1.ResourcePersistentVolumeClaims, corev1.ResourceConfigMaps,
	corev1.ResourceServicesNodePorts, corev1.ResourceServicesLoadBalancers,
)

// integerResources are counted in whole units.
var integerResources = sets.New(
	corev1.ResourcePods, corev1.ResourceQuotas, corev1.ResourceServices,
	corev1.ResourceReplicationControllers, corev1.ResourceSecrets, corev1.ResourceConfigMaps,
	corev1.ResourcePersistentVolumeClaims, corev1.ResourceServicesNodePorts,
	corev1.ResourceServicesLoadBalancers,
)

// validateQuotaResourceName checks that name is a qualified name and, when it has no prefix,
// a standard quota resource (hugepages included).
func validateQuotaResourceName(name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, msg := range validation.IsQualifiedName(string(name)) {
		allErrs = append(allErrs, field.Invalid(fldPath, name, msg))
	}
	if len(allErrs) > 0 || strings.Contains(string(name), "/") {
		return allErrs
	}
	if !standardQuotaResources.Has(name) && !isQuotaHugePageResourceName(name) {
		allErrs = append(allErrs, field.Invalid(fldPath, name, "must be a standard resource for quota"))
	}
	return allErrs
}

func isQuotaHugePageResourceName(name corev1.ResourceName) bool {
	return strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) ||
		strings.HasPrefix(string(name), corev1.ResourceRequestsHugePagesPrefix)
}

// isIntegerResourceName reports whether name is counted in whole units: object counts and
// extended resources.
func isIntegerResourceName(name corev1.ResourceName) bool {
	return integerResources.Has(name) || isExtendedResourceName(name)
}

// isExtendedResourceName reports whether name is an extended resource: prefixed by a domain
// outside kubernetes.io, not a "requests." quota name, and still qualified once prefixed with
// "requests.".
func isExtendedResourceName(name corev1.ResourceName) bool {
	s := string(name)
	if !strings.Contains(s, "/") || strings.Contains(s, corev1.ResourceDefaultNamespacePrefix) ||
		strings.HasPrefix(s, corev1.DefaultResourceRequestsPrefix) {
		return false
	}
	return len(validation.IsQualifiedName(corev1.DefaultResourceRequestsPrefix+s)) == 0
}
