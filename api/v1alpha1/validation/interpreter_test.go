package validation

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

const healthScript = `function InterpretHealth(observedObj)
  return observedObj.status.readyReplicas == observedObj.spec.replicas
end`

func validRIC(name string) *v1alpha1.ResourceInterpreterCustomization {
	return &v1alpha1.ResourceInterpreterCustomization{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.ResourceInterpreterCustomizationSpec{
			Target: v1alpha1.CustomizationTarget{APIVersion: "apps.example.io/v1", Kind: "Workload"},
			Customizations: v1alpha1.CustomizationRules{
				HealthInterpretation: &v1alpha1.HealthInterpretation{LuaScript: healthScript},
			},
		},
	}
}

func TestValidateResourceInterpreterCustomization(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(r *v1alpha1.ResourceInterpreterCustomization)
		want   []fieldErrorWant
	}{
		{name: "valid", mutate: func(*v1alpha1.ResourceInterpreterCustomization) {}},
		{name: "core group target", mutate: func(r *v1alpha1.ResourceInterpreterCustomization) {
			r.Spec.Target = v1alpha1.CustomizationTarget{APIVersion: "v1", Kind: "Pod"}
		}},
		{name: "no customizations at all", mutate: func(r *v1alpha1.ResourceInterpreterCustomization) {
			r.Spec.Customizations = v1alpha1.CustomizationRules{}
		}},
		{name: "name missing", mutate: func(r *v1alpha1.ResourceInterpreterCustomization) { r.Name = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "metadata.name", "name or generateName is required"}}},
		{name: "namespace on a cluster-scoped kind", mutate: func(r *v1alpha1.ResourceInterpreterCustomization) { r.Namespace = "apps" },
			want: []fieldErrorWant{{field.ErrorTypeForbidden, "metadata.namespace", "not allowed on this type"}}},
		{name: "target apiVersion missing", mutate: func(r *v1alpha1.ResourceInterpreterCustomization) { r.Spec.Target.APIVersion = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.target.apiVersion", ""}}},
		{name: "target apiVersion malformed", mutate: func(r *v1alpha1.ResourceInterpreterCustomization) { r.Spec.Target.APIVersion = "apps/v1/beta" },
			want: []fieldErrorWant{{field.ErrorTypeInvalid, "spec.target.apiVersion", "unexpected GroupVersion string"}}},
		{name: "target kind missing", mutate: func(r *v1alpha1.ResourceInterpreterCustomization) { r.Spec.Target.Kind = "" },
			want: []fieldErrorWant{{field.ErrorTypeRequired, "spec.target.kind", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRIC("workload-health")
			tt.mutate(r)
			expectFieldErrors(t, ValidateResourceInterpreterCustomization(r), tt.want)
		})
	}
}

// TestValidateResourceInterpreterCustomizationEmptyScripts checks, for each of the eight rules,
// that a rule present without a script is reported at its own luaScript path.
func TestValidateResourceInterpreterCustomizationEmptyScripts(t *testing.T) {
	tests := []struct {
		field     string
		operation string
		set       func(c *v1alpha1.CustomizationRules)
	}{
		{"retention", "Retain", func(c *v1alpha1.CustomizationRules) { c.Retention = &v1alpha1.LocalValueRetention{} }},
		{"replicaResource", "InterpretReplica", func(c *v1alpha1.CustomizationRules) {
			c.ReplicaResource = &v1alpha1.ReplicaResourceRequirement{}
		}},
		{"componentResource", "InterpretComponent", func(c *v1alpha1.CustomizationRules) {
			c.ComponentResource = &v1alpha1.ComponentResourceRequirement{}
		}},
		{"replicaRevision", "ReviseReplica", func(c *v1alpha1.CustomizationRules) { c.ReplicaRevision = &v1alpha1.ReplicaRevision{} }},
		{"statusReflection", "InterpretStatus", func(c *v1alpha1.CustomizationRules) { c.StatusReflection = &v1alpha1.StatusReflection{} }},
		{"statusAggregation", "AggregateStatus", func(c *v1alpha1.CustomizationRules) { c.StatusAggregation = &v1alpha1.StatusAggregation{} }},
		{"healthInterpretation", "InterpretHealth", func(c *v1alpha1.CustomizationRules) {
			c.HealthInterpretation = &v1alpha1.HealthInterpretation{}
		}},
		{"dependencyInterpretation", "InterpretDependency", func(c *v1alpha1.CustomizationRules) {
			c.DependencyInterpretation = &v1alpha1.DependencyInterpretation{}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			r := validRIC("workload")
			r.Spec.Customizations = v1alpha1.CustomizationRules{}
			tt.set(&r.Spec.Customizations)
			expectFieldErrors(t, ValidateResourceInterpreterCustomization(r), []fieldErrorWant{
				{field.ErrorTypeRequired, "spec.customizations." + tt.field + ".luaScript", "defining the " + tt.operation + " operation"},
			})
		})
	}
}

func TestValidateResourceInterpreterCustomizationConflicts(t *testing.T) {
	dependencies := func(r *v1alpha1.ResourceInterpreterCustomization) *v1alpha1.ResourceInterpreterCustomization {
		r.Spec.Customizations.DependencyInterpretation = &v1alpha1.DependencyInterpretation{LuaScript: "function GetDependencies(desiredObj) return {} end"}
		return r
	}
	retainOnly := func(r *v1alpha1.ResourceInterpreterCustomization) *v1alpha1.ResourceInterpreterCustomization {
		r.Spec.Customizations = v1alpha1.CustomizationRules{Retention: &v1alpha1.LocalValueRetention{LuaScript: "function Retain(d, o) return d end"}}
		return r
	}
	otherKind := func(r *v1alpha1.ResourceInterpreterCustomization) *v1alpha1.ResourceInterpreterCustomization {
		r.Spec.Target.Kind = "OtherWorkload"
		return r
	}
	tests := []struct {
		name   string
		self   *v1alpha1.ResourceInterpreterCustomization
		others []v1alpha1.ResourceInterpreterCustomization
		want   []fieldErrorWant
	}{
		{name: "alone, itself included", self: validRIC("a"), others: []v1alpha1.ResourceInterpreterCustomization{*validRIC("a")}},
		{name: "same operation on the same target", self: validRIC("a"), others: []v1alpha1.ResourceInterpreterCustomization{*validRIC("a"), *validRIC("b")},
			want: []fieldErrorWant{{field.ErrorTypeForbidden, "spec.customizations.healthInterpretation",
				"conflicting with InterpreterOperation(InterpretHealth) of existing ResourceInterpreterCustomization(b)"}}},
		{name: "same operation on another target", self: validRIC("a"), others: []v1alpha1.ResourceInterpreterCustomization{*otherKind(validRIC("b"))}},
		{name: "different operations on the same target", self: validRIC("a"), others: []v1alpha1.ResourceInterpreterCustomization{*retainOnly(validRIC("b"))}},
		{name: "dependency interpretation may be shared", self: dependencies(retainOnly(validRIC("a"))),
			others: []v1alpha1.ResourceInterpreterCustomization{*dependencies(otherKind(validRIC("b"))), *dependencies(validRIC("c"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectFieldErrors(t, ValidateResourceInterpreterCustomizationConflicts(tt.self, tt.others), tt.want)
		})
	}
}
