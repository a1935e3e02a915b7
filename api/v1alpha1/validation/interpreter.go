package validation

import (
	"fmt"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// ValidateResourceInterpreterCustomization checks one ResourceInterpreterCustomization: the
// target's apiVersion and kind are set (and the apiVersion parses), and every rule that is
// present has a Lua script.
//
// Karmada also loads each script into its Lua VM and rejects those that do not compile; the
// loader does that with the interpreter (renderer/interpreter.ValidateScripts), which owns
// the Lua VM.
// Conflicts between customizations are checked by
// ValidateResourceInterpreterCustomizationConflicts.
func ValidateResourceInterpreterCustomization(r *v1alpha1.ResourceInterpreterCustomization) field.ErrorList {
	allErrs := apivalidation.ValidateObjectMeta(&r.ObjectMeta, false, apivalidation.NameIsDNSSubdomain, field.NewPath("metadata"))

	targetPath := field.NewPath("spec", "target")
	if r.Spec.Target.APIVersion == "" {
		allErrs = append(allErrs, field.Required(targetPath.Child("apiVersion"), ""))
	} else if _, err := schema.ParseGroupVersion(r.Spec.Target.APIVersion); err != nil {
		allErrs = append(allErrs, field.Invalid(targetPath.Child("apiVersion"), r.Spec.Target.APIVersion, err.Error()))
	}
	if r.Spec.Target.Kind == "" {
		allErrs = append(allErrs, field.Required(targetPath.Child("kind"), ""))
	}

	customizationsPath := field.NewPath("spec", "customizations")
	for _, rule := range r.Spec.Customizations.Rules() {
		if rule.Set && rule.LuaScript == "" {
			allErrs = append(allErrs, field.Required(customizationsPath.Child(rule.Field, "luaScript"),
				fmt.Sprintf("a Lua script defining the %s operation is required", rule.Operation)))
		}
	}
	return allErrs
}

// ValidateResourceInterpreterCustomizationConflicts checks r against the other customizations
// of the source: two customizations of the same target kind may not both script the same
// operation, except InterpretDependency, whose results are merged. Karmada rejects the second
// one admitted; in Git both exist at once, so the conflict is reported on each of them. others
// may include r itself (it is skipped by name).
func ValidateResourceInterpreterCustomizationConflicts(r *v1alpha1.ResourceInterpreterCustomization, others []v1alpha1.ResourceInterpreterCustomization) field.ErrorList {
	var allErrs field.ErrorList
	customizationsPath := field.NewPath("spec", "customizations")
	rules := r.Spec.Customizations.Rules()
	for i := range others {
		other := &others[i]
		if other.Name == r.Name || other.Spec.Target != r.Spec.Target {
			continue
		}
		otherRules := other.Spec.Customizations.Rules()
		for j, rule := range rules {
			if rule.Operation == v1alpha1.InterpreterOperationInterpretDependency {
				continue
			}
			if rule.LuaScript != "" && otherRules[j].LuaScript != "" {
				allErrs = append(allErrs, field.Forbidden(customizationsPath.Child(rule.Field),
					fmt.Sprintf("conflicting with InterpreterOperation(%s) of existing ResourceInterpreterCustomization(%s)",
						rule.Operation, other.Name)))
			}
		}
	}
	return allErrs
}
