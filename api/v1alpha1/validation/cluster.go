package validation

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	kubevalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ClusterNameMaxLength is the longest cluster name: the execution namespace
// "karmada-es-<name>" must still be a DNS label of at most 63 characters.
const ClusterNameMaxLength = 48

// clusterIDMaxLength is the schema limit of spec.id.
const clusterIDMaxLength = 128000

// ValidateClusterName checks a cluster name (of a Cluster, or wherever a policy names one): a
// non-empty DNS-1123 label of at most ClusterNameMaxLength characters. It returns the problems
// as messages, empty when the name is valid.
func ValidateClusterName(name string) []string {
	if name == "" {
		return []string{"must be not empty"}
	}
	if len(name) > ClusterNameMaxLength {
		return []string{fmt.Sprintf("must be no more than %d characters", ClusterNameMaxLength)}
	}
	return kubevalidation.IsDNS1123Label(name)
}

// ValidateCluster checks a Cluster as Karmada's cluster API does on creation. It accepts the
// object before or after v1alpha1.SetDefaultsCluster; resource models are checked as
// standardised (sorted, first minimum 0, last maximum MaxInt64), as Karmada standardises them
// before validating. Validating before defaulting gives a deprecated `zone` its own path
// (after defaulting it has moved to spec.zones[0]).
func ValidateCluster(c *v1alpha1.Cluster) field.ErrorList {
	nameFn := func(name string, _ bool) []string { return ValidateClusterName(name) }
	allErrs := apivalidation.ValidateObjectMeta(&c.ObjectMeta, false, nameFn, field.NewPath("metadata"))
	return append(allErrs, validateClusterSpec(&c.Spec, field.NewPath("spec"))...)
}

func validateClusterSpec(spec *v1alpha1.ClusterSpec, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList

	if len(spec.ID) > clusterIDMaxLength {
		allErrs = append(allErrs, field.TooLong(fldPath.Child("id"), spec.ID, clusterIDMaxLength))
	}

	// Like Karmada, an empty syncMode is reported both as missing and as unsupported.
	syncModes := []v1alpha1.ClusterSyncMode{v1alpha1.Pull, v1alpha1.Push}
	if spec.SyncMode == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("syncMode"), ""))
	}
	if spec.SyncMode != v1alpha1.Push && spec.SyncMode != v1alpha1.Pull {
		allErrs = append(allErrs, field.NotSupported(fldPath.Child("syncMode"), spec.SyncMode, syncModes))
	}

	if spec.APIEndpoint != "" {
		allErrs = append(allErrs, ValidateClusterAPIEndpoint(fldPath.Child("apiEndpoint"), spec.APIEndpoint, false)...)
	}
	allErrs = append(allErrs, validateSecretReference(spec.SecretRef, fldPath.Child("secretRef"))...)
	allErrs = append(allErrs, validateSecretReference(spec.ImpersonatorSecretRef, fldPath.Child("impersonatorSecretRef"))...)
	if spec.ProxyURL != "" {
		allErrs = append(allErrs, validateClusterProxyURL(fldPath.Child("proxyURL"), spec.ProxyURL)...)
	}
	allErrs = append(allErrs, validateClusterLocation(spec, fldPath)...)
	allErrs = append(allErrs, ValidateClusterTaints(spec.Taints, fldPath.Child("taints"))...)
	if err := validateResourceModels(spec.ResourceModels, fldPath.Child("resourceModels")); err != nil {
		allErrs = append(allErrs, err)
	}
	return allErrs
}

// ValidateClusterAPIEndpoint checks a member's API endpoint: a URL with a host and without
// user information, fragment or query; with forceHTTPS, its scheme must be https.
func ValidateClusterAPIEndpoint(fldPath *field.Path, apiEndpoint string, forceHTTPS bool) field.ErrorList {
	const form = "; desired format: hostname, hostname:port, IP or IP:port"
	u, err := url.Parse(apiEndpoint)
	if err != nil {
		return field.ErrorList{field.Invalid(fldPath, apiEndpoint, "apiEndpoint must be a valid URL: "+err.Error()+form)}
	}
	var allErrs field.ErrorList
	if forceHTTPS && u.Scheme != "https" {
		allErrs = append(allErrs, field.Invalid(fldPath, u.Scheme, "'https' is the only allowed URL scheme"+form))
	}
	if u.Host == "" {
		allErrs = append(allErrs, field.Invalid(fldPath, u.Host, "host must be provided"+form))
	}
	if u.User != nil {
		// The value is not echoed: it may hold a password.
		allErrs = append(allErrs, field.Invalid(fldPath, field.OmitValueType{}, "user information is not permitted in the URL"))
	}
	if u.Fragment != "" {
		allErrs = append(allErrs, field.Invalid(fldPath, u.Fragment, "fragments are not permitted in the URL"))
	}
	if u.RawQuery != "" {
		allErrs = append(allErrs, field.Invalid(fldPath, u.RawQuery, "query parameters are not permitted in the URL"))
	}
	return allErrs
}

func validateClusterProxyURL(fldPath *field.Path, proxyURL string) field.ErrorList {
	u, err := url.Parse(proxyURL)
	if err != nil {
		return field.ErrorList{field.Invalid(fldPath, proxyURL, "proxyURL must be a valid URL: "+err.Error())}
	}
	switch u.Scheme {
	case "http", "https", "socks5":
		return nil
	default:
		return field.ErrorList{field.Invalid(fldPath, proxyURL,
			fmt.Sprintf("unsupported scheme %q, must be http, https, or socks5", u.Scheme))}
	}
}

func validateSecretReference(ref *v1alpha1.LocalSecretReference, fldPath *field.Path) field.ErrorList {
	if ref == nil {
		return nil
	}
	var allErrs field.ErrorList
	if ref.Namespace == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("namespace"), ""))
	}
	if ref.Name == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("name"), ""))
	}
	return allErrs
}

// validateClusterLocation checks provider, region and zone(s): placement field selectors match
// them as label values.
func validateClusterLocation(spec *v1alpha1.ClusterSpec, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	labelValue := func(value string, p *field.Path) {
		if errs := kubevalidation.IsValidLabelValue(value); len(errs) != 0 {
			allErrs = append(allErrs, field.Invalid(p, value, strings.Join(errs, "; ")))
		}
	}
	labelValue(spec.Provider, fldPath.Child("provider"))
	labelValue(spec.Region, fldPath.Child("region"))

	if spec.Zone != "" && len(spec.Zones) != 0 {
		// As in Karmada, the zone values are not checked further when both are set.
		return append(allErrs, field.Forbidden(fldPath.Child("zone"), "Zone and Zones cannot co-exist"))
	}
	if spec.Zone != "" {
		labelValue(spec.Zone, fldPath.Child("zone"))
	}
	for i, zone := range spec.Zones {
		labelValue(zone, fldPath.Child("zones").Index(i))
	}
	return allErrs
}

// ValidateClusterTaints checks cluster taints the way Kubernetes checks node taints, except that
// a cluster taint's effect is NoSchedule or NoExecute only (PreferNoSchedule has no meaning for
// cluster placement and Karmada rejects it): the key is a qualified name, the value a label
// value, and no two taints share key and effect.
func ValidateClusterTaints(taints []corev1.Taint, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	type keyEffect struct {
		key    string
		effect corev1.TaintEffect
	}
	seen := map[keyEffect]bool{}
	effects := []corev1.TaintEffect{corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute}
	for i, taint := range taints {
		idxPath := fldPath.Index(i)
		allErrs = append(allErrs, metav1validation.ValidateLabelName(taint.Key, idxPath.Child("key"))...)
		if errs := kubevalidation.IsValidLabelValue(taint.Value); len(errs) != 0 {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("value"), taint.Value, strings.Join(errs, ";")))
		}
		switch taint.Effect {
		case corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute:
		case "":
			allErrs = append(allErrs, field.Required(idxPath.Child("effect"), ""))
		default:
			allErrs = append(allErrs, field.NotSupported(idxPath.Child("effect"), taint.Effect, effects))
		}

		k := keyEffect{taint.Key, taint.Effect}
		if seen[k] {
			dup := field.Duplicate(idxPath, taint)
			dup.Detail = "taints must be unique by key and effect pair"
			allErrs = append(allErrs, dup)
			continue
		}
		seen[k] = true
	}
	return allErrs
}

// validateResourceModels checks resource models as Karmada does after standardising them: the
// grades are unique, every grade has the same resources in the same order, each range has
// max > min, and consecutive grades are contiguous (a grade's min is the previous grade's
// max). Standardisation makes the first minimums 0 and the last maximums MaxInt64, so those
// two Karmada rules always hold here. Like Karmada, only the first problem is reported; its
// path points at the model as written (before sorting).
//
// Quantities are compared by value, so "1Gi" and "1024Mi" meet. (Karmada compares the Go
// structs, which can call equal amounts written differently non-contiguous.)
func validateResourceModels(models []v1alpha1.ResourceModel, fldPath *field.Path) *field.Error {
	if len(models) == 0 {
		return nil
	}
	// order[k] is the index, as written, of the k-th model by grade.
	order := make([]int, len(models))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return models[order[a]].Grade < models[order[b]].Grade })
	sorted := make([]v1alpha1.ResourceModel, len(models))
	for k, i := range order {
		models[i].DeepCopyInto(&sorted[k])
	}
	v1alpha1.StandardizeResourceModels(sorted)

	for k := range sorted {
		model, p := sorted[k], fldPath.Index(order[k])
		if k > 0 && model.Grade == sorted[k-1].Grade {
			return field.Invalid(p.Child("grade"), model.Grade, "The grade of each models should not be the same")
		}
		if k > 0 && len(model.Ranges) != len(sorted[k-1].Ranges) {
			return field.Invalid(p.Child("ranges"), field.OmitValueType{}, "The number of resource types should be the same")
		}
		for j, r := range model.Ranges {
			rp := p.Child("ranges").Index(j)
			if r.Max.Cmp(r.Min) <= 0 {
				return field.Invalid(rp.Child("max"), r.Max.String(), "The max value of each resource must be greater than the min value")
			}
			if k == 0 {
				continue
			}
			prev := sorted[k-1].Ranges[j]
			if prev.Name != r.Name {
				return field.Invalid(rp.Child("name"), r.Name, "The resource types of each models should be the same")
			}
			if prev.Max.Cmp(r.Min) != 0 {
				return field.Invalid(rp.Child("min"), r.Min.String(), "Model intervals for resources must be contiguous and non-overlapping")
			}
		}
	}
	return nil
}
