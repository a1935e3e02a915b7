package validation

import (
	"fmt"
	"regexp"
	"strings"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ValidateFleetConfig checks a FleetConfig with the rules Karmada applies to the flags the
// settings stand for: durations are positive, the eviction purge mode is Gracefully or
// Directly, the eviction rate is a non-negative number, and every skipped-namespace pattern
// compiles as an anchored regular expression. Unset fields are valid (they take defaults).
func ValidateFleetConfig(c *v1alpha1.FleetConfig) field.ErrorList {
	allErrs := apivalidation.ValidateObjectMeta(&c.ObjectMeta, false, apivalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	specPath := field.NewPath("spec")

	failover := &c.Spec.Failover
	failoverPath := specPath.Child("failover")
	switch failover.NoExecuteTaintEvictionPurgeMode {
	case "", v1alpha1.PurgeModeGracefully, v1alpha1.PurgeModeDirectly:
	default:
		allErrs = append(allErrs, field.NotSupported(failoverPath.Child("noExecuteTaintEvictionPurgeMode"),
			failover.NoExecuteTaintEvictionPurgeMode,
			[]v1alpha1.PurgeMode{v1alpha1.PurgeModeGracefully, v1alpha1.PurgeModeDirectly}))
	}
	allErrs = append(allErrs, validatePositiveDuration(failover.GracefulEvictionTimeout, failoverPath.Child("gracefulEvictionTimeout"))...)
	if strings.TrimSpace(failover.ResourceEvictionRate) != "" {
		ratePath := failoverPath.Child("resourceEvictionRate")
		if rate, err := failover.EvictionRate(); err != nil {
			allErrs = append(allErrs, field.Invalid(ratePath, failover.ResourceEvictionRate, "must be a decimal number of evictions per second"))
		} else if rate < 0 {
			allErrs = append(allErrs, field.Invalid(ratePath, failover.ResourceEvictionRate, "must be non-negative"))
		}
	}

	namespacesPath := specPath.Child("propagation", "skippedPropagatingNamespaces")
	for i, pattern := range c.Spec.Propagation.SkippedPropagatingNamespaces {
		// Karmada matches the patterns against whole namespace names.
		if _, err := regexp.Compile(fmt.Sprintf("^%s$", pattern)); err != nil {
			allErrs = append(allErrs, field.Invalid(namespacesPath.Index(i), pattern, "Invalid namespace regular expression: "+err.Error()))
		}
	}

	health := &c.Spec.Health
	healthPath := specPath.Child("health")
	allErrs = append(allErrs, validatePositiveDuration(health.ClusterMonitorPeriod, healthPath.Child("clusterMonitorPeriod"))...)
	allErrs = append(allErrs, validatePositiveDuration(health.ClusterMonitorGracePeriod, healthPath.Child("clusterMonitorGracePeriod"))...)
	allErrs = append(allErrs, validatePositiveDuration(health.ClusterStartupGracePeriod, healthPath.Child("clusterStartupGracePeriod"))...)
	allErrs = append(allErrs, validatePositiveDuration(health.ClusterSuccessThreshold, healthPath.Child("clusterSuccessThreshold"))...)
	allErrs = append(allErrs, validatePositiveDuration(health.ClusterFailureThreshold, healthPath.Child("clusterFailureThreshold"))...)

	allErrs = append(allErrs, validatePositiveDuration(c.Spec.Status.HeartbeatInterval, specPath.Child("status", "heartbeatInterval"))...)

	descheduler := &c.Spec.Descheduler
	deschedulerPath := specPath.Child("descheduler")
	allErrs = append(allErrs, validatePositiveDuration(descheduler.DeschedulingInterval, deschedulerPath.Child("deschedulingInterval"))...)
	allErrs = append(allErrs, validatePositiveDuration(descheduler.UnschedulableThreshold, deschedulerPath.Child("unschedulableThreshold"))...)
	return allErrs
}

// validatePositiveDuration accepts an unset duration and rejects one that is zero or negative.
func validatePositiveDuration(d *metav1.Duration, fldPath *field.Path) field.ErrorList {
	if d == nil || d.Duration > 0 {
		return nil
	}
	return field.ErrorList{field.Invalid(fldPath, d.Duration.String(), "must be greater than 0")}
}
