package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ResourceKindResourceInterpreterCustomization is the kind of a Lua interpreter customization
// in ConfigGroupVersion.
const ResourceKindResourceInterpreterCustomization = "ResourceInterpreterCustomization"

// ResourceInterpreterCustomization teaches gitfleet how to read one resource kind — its
// replicas, status, health and dependencies — with Lua scripts
// (config.karmada.io/v1alpha1, cluster-scoped). It takes precedence over the built-in rules.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName=ric
type ResourceInterpreterCustomization struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the target kind and its rules.
	// +required
	Spec ResourceInterpreterCustomizationSpec `json:"spec"`
}

// ResourceInterpreterCustomizationList is a list of ResourceInterpreterCustomization.
//
// +kubebuilder:object:root=true
type ResourceInterpreterCustomizationList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the customizations of the list.
	Items []ResourceInterpreterCustomization `json:"items"`
}

// ResourceInterpreterCustomizationSpec names the kind being customized and the rules.
type ResourceInterpreterCustomizationSpec struct {
	// Target is the kind the rules apply to.
	// +required
	Target CustomizationTarget `json:"target"`

	// Customizations are the rules; each one that is set replaces the built-in rule for that
	// operation.
	// +required
	Customizations CustomizationRules `json:"customizations"`
}

// CustomizationTarget is the resource kind a customization applies to.
type CustomizationTarget struct {
	// APIVersion is the API version of the kind, such as "apps/v1".
	// +required
	APIVersion string `json:"apiVersion"`

	// Kind is the kind, such as "Deployment".
	// +required
	Kind string `json:"kind"`
}

// CustomizationRules are the interpreter operations a customization can replace. Each holds
// a Lua script that defines the function named in its documentation.
type CustomizationRules struct {
	// Retention keeps values that member-cluster controllers own (for example replicas set
	// by an HPA) when the rendered object is applied. Function: Retain(desiredObj,
	// observedObj) returning the object to apply.
	// +optional
	Retention *LocalValueRetention `json:"retention,omitempty"`

	// ReplicaResource reads the desired replicas and per-replica requirements. Function:
	// GetReplicas(desiredObj) returning replicas and a ReplicaRequirements-shaped table.
	// +optional
	ReplicaResource *ReplicaResourceRequirement `json:"replicaResource,omitempty"`

	// ComponentResource reads the components of a multi-template workload. Function:
	// GetComponents(desiredObj) returning a list of Component-shaped tables. Used only with
	// the MultiplePodTemplatesScheduling feature.
	// +optional
	ComponentResource *ComponentResourceRequirement `json:"componentResource,omitempty"`

	// ReplicaRevision writes a cluster's assigned replicas into the object. Function:
	// ReviseReplica(desiredObj, desiredReplica) returning the revised object.
	// +optional
	ReplicaRevision *ReplicaRevision `json:"replicaRevision,omitempty"`

	// StatusReflection picks the status to collect from a member's object. Function:
	// ReflectStatus(observedObj) returning the status.
	// +optional
	StatusReflection *StatusReflection `json:"statusReflection,omitempty"`

	// StatusAggregation folds the collected statuses into the template's status. Function:
	// AggregateStatus(desiredObj, statusItems) returning the object with its status.
	// +optional
	StatusAggregation *StatusAggregation `json:"statusAggregation,omitempty"`

	// HealthInterpretation judges a member's object healthy or not. Function:
	// InterpretHealth(observedObj) returning a boolean.
	// +optional
	HealthInterpretation *HealthInterpretation `json:"healthInterpretation,omitempty"`

	// DependencyInterpretation lists the objects the resource depends on. Function:
	// GetDependencies(desiredObj) returning a list of {apiVersion, kind, namespace, name,
	// labelSelector}. Several customizations of one kind may each contribute dependencies.
	// +optional
	DependencyInterpretation *DependencyInterpretation `json:"dependencyInterpretation,omitempty"`
}

// LocalValueRetention holds the Lua script of the Retention rule.
type LocalValueRetention struct {
	// LuaScript defines Retain(desiredObj, observedObj).
	// +required
	LuaScript string `json:"luaScript"`
}

// ReplicaResourceRequirement holds the Lua script of the ReplicaResource rule.
type ReplicaResourceRequirement struct {
	// LuaScript defines GetReplicas(desiredObj).
	// +required
	LuaScript string `json:"luaScript"`
}

// ComponentResourceRequirement holds the Lua script of the ComponentResource rule.
type ComponentResourceRequirement struct {
	// LuaScript defines GetComponents(desiredObj).
	// +required
	LuaScript string `json:"luaScript"`
}

// ReplicaRevision holds the Lua script of the ReplicaRevision rule.
type ReplicaRevision struct {
	// LuaScript defines ReviseReplica(desiredObj, desiredReplica).
	// +required
	LuaScript string `json:"luaScript"`
}

// StatusReflection holds the Lua script of the StatusReflection rule.
type StatusReflection struct {
	// LuaScript defines ReflectStatus(observedObj).
	// +required
	LuaScript string `json:"luaScript"`
}

// StatusAggregation holds the Lua script of the StatusAggregation rule.
type StatusAggregation struct {
	// LuaScript defines AggregateStatus(desiredObj, statusItems).
	// +required
	LuaScript string `json:"luaScript"`
}

// HealthInterpretation holds the Lua script of the HealthInterpretation rule.
type HealthInterpretation struct {
	// LuaScript defines InterpretHealth(observedObj).
	// +required
	LuaScript string `json:"luaScript"`
}

// DependencyInterpretation holds the Lua script of the DependencyInterpretation rule.
type DependencyInterpretation struct {
	// LuaScript defines GetDependencies(desiredObj).
	// +required
	LuaScript string `json:"luaScript"`
}

// InterpreterOperation names an operation of the resource interpreter.
type InterpreterOperation string

// The interpreter operations a ResourceInterpreterCustomization can replace.
const (
	// InterpreterOperationRetain is replaced by CustomizationRules.Retention.
	InterpreterOperationRetain InterpreterOperation = "Retain"
	// InterpreterOperationInterpretReplica is replaced by CustomizationRules.ReplicaResource.
	InterpreterOperationInterpretReplica InterpreterOperation = "InterpretReplica"
	// InterpreterOperationInterpretComponent is replaced by CustomizationRules.ComponentResource.
	InterpreterOperationInterpretComponent InterpreterOperation = "InterpretComponent"
	// InterpreterOperationReviseReplica is replaced by CustomizationRules.ReplicaRevision.
	InterpreterOperationReviseReplica InterpreterOperation = "ReviseReplica"
	// InterpreterOperationInterpretStatus is replaced by CustomizationRules.StatusReflection.
	InterpreterOperationInterpretStatus InterpreterOperation = "InterpretStatus"
	// InterpreterOperationAggregateStatus is replaced by CustomizationRules.StatusAggregation.
	InterpreterOperationAggregateStatus InterpreterOperation = "AggregateStatus"
	// InterpreterOperationInterpretHealth is replaced by CustomizationRules.HealthInterpretation.
	InterpreterOperationInterpretHealth InterpreterOperation = "InterpretHealth"
	// InterpreterOperationInterpretDependency is replaced by
	// CustomizationRules.DependencyInterpretation.
	InterpreterOperationInterpretDependency InterpreterOperation = "InterpretDependency"
)

// CustomizationRule is one rule of CustomizationRules, for code that treats the rules
// uniformly (validation, conflict checks, the interpreter's dispatch).
type CustomizationRule struct {
	// Field is the JSON name of the rule under spec.customizations, such as "retention".
	Field string
	// Operation is the interpreter operation the rule replaces.
	Operation InterpreterOperation
	// Set reports whether the rule is present.
	Set bool
	// LuaScript is the rule's script; empty when the rule is absent.
	LuaScript string
}

// Rules returns all eight rules, present or not, in a fixed order (Karmada's), so callers
// need no reflection and never depend on map order.
func (r *CustomizationRules) Rules() []CustomizationRule {
	rule := func(field string, op InterpreterOperation, script *string) CustomizationRule {
		if script == nil {
			return CustomizationRule{Field: field, Operation: op}
		}
		return CustomizationRule{Field: field, Operation: op, Set: true, LuaScript: *script}
	}
	var retention, replica, component, revision, reflection, aggregation, health, dependency *string
	if r.Retention != nil {
		retention = &r.Retention.LuaScript
	}
	if r.ReplicaResource != nil {
		replica = &r.ReplicaResource.LuaScript
	}
	if r.ComponentResource != nil {
		component = &r.ComponentResource.LuaScript
	}
	if r.ReplicaRevision != nil {
		revision = &r.ReplicaRevision.LuaScript
	}
	if r.StatusReflection != nil {
		reflection = &r.StatusReflection.LuaScript
	}
	if r.StatusAggregation != nil {
		aggregation = &r.StatusAggregation.LuaScript
	}
	if r.HealthInterpretation != nil {
		health = &r.HealthInterpretation.LuaScript
	}
	if r.DependencyInterpretation != nil {
		dependency = &r.DependencyInterpretation.LuaScript
	}
	return []CustomizationRule{
		rule("retention", InterpreterOperationRetain, retention),
		rule("replicaResource", InterpreterOperationInterpretReplica, replica),
		rule("componentResource", InterpreterOperationInterpretComponent, component),
		rule("replicaRevision", InterpreterOperationReviseReplica, revision),
		rule("statusReflection", InterpreterOperationInterpretStatus, reflection),
		rule("statusAggregation", InterpreterOperationAggregateStatus, aggregation),
		rule("healthInterpretation", InterpreterOperationInterpretHealth, health),
		rule("dependencyInterpretation", InterpreterOperationInterpretDependency, dependency),
	}
}
