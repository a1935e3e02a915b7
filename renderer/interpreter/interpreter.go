package interpreter

import (
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Operation names an interpreter operation. It is v1alpha1.InterpreterOperation, so the
// v1alpha1.InterpreterOperation… constants are its values.
type Operation = v1alpha1.InterpreterOperation

// ErrNoHook is returned by an operation that neither a customization nor a native rule
// implements for the object's kind; callers are expected to ask HookEnabled first, as
// Karmada's controllers do.
var ErrNoHook = errors.New("no interpreter hook")

// DefaultInstructionBudget is the number of Lua VM instructions one call may execute. Karmada
// stops a script after one second of wall time; a count is deterministic and independent of
// the machine. Fifty million instructions take well under a second in gopher-lua, while the
// scripts Karmada ships need a few thousand.
const DefaultInstructionBudget = 50_000_000

// Options are the switches of an Interpreter. DefaultOptions gives Karmada's defaults.
type Options struct {
	// InstructionBudget is how many Lua VM instructions one call of a customization may
	// execute before it is stopped with ErrBudgetExhausted, so that a runaway script cannot
	// hang the renderer. Zero or less means DefaultInstructionBudget.
	InstructionBudget int64

	// Now is the clock of os.time() and os.date() without an explicit time. The renderer
	// has no clock (DESIGN §1.4), so nil makes those calls fail; the hub may pass time.Now
	// for status aggregation, where Karmada's own scripts stamp condition times.
	Now func() time.Time

	// ResourceQuotaEstimate mirrors Karmada's feature gate of that name (off by default):
	// replica requirements then carry the pod template's priorityClassName and the object's
	// namespace. With the gate off Karmada leaves both empty (§1.4, §11 step 3).
	ResourceQuotaEstimate bool
}

// DefaultOptions returns Karmada's defaults: the default instruction budget, no clock, and
// the ResourceQuotaEstimate gate off.
func DefaultOptions() Options {
	return Options{InstructionBudget: DefaultInstructionBudget}
}

// Interpreter answers Karmada's interpreter operations for resource templates:
// customizations (Lua) first, then native defaults (§5.1). Third-party customizations are out
// of scope for now; see the package documentation.
type Interpreter struct {
	opts Options
	// custom holds the compiled customizations per target kind.
	custom map[schema.GroupVersionKind]*customization
}

// New compiles every Lua script of the customizations once, with DefaultOptions. A script
// that does not compile is an error naming the customization and the operation.
func New(rics []*v1alpha1.ResourceInterpreterCustomization) (*Interpreter, error) {
	return NewWithOptions(rics, DefaultOptions())
}

// NewWithOptions is New with explicit options.
func NewWithOptions(rics []*v1alpha1.ResourceInterpreterCustomization, opts Options) (*Interpreter, error) {
	if opts.InstructionBudget <= 0 {
		opts.InstructionBudget = DefaultInstructionBudget
	}
	custom, err := compileCustomizations(rics)
	if err != nil {
		return nil, err
	}
	return &Interpreter{opts: opts, custom: custom}, nil
}

// HookEnabled reports whether a customization or a native rule implements the operation for
// the kind. Karmada's controllers call an operation only when its hook is enabled: a binding
// gets replicas only for kinds with an InterpretReplica hook, a manifest is revised only with
// a ReviseReplica hook, and a kind without an InterpretHealth hook counts as healthy.
func (i *Interpreter) HookEnabled(gvk schema.GroupVersionKind, op Operation) bool {
	if c := i.custom[gvk]; c != nil && c.enabled(op) {
		return true
	}
	return nativeHookEnabled(gvk, op)
}

// GetReplicas returns the replicas a workload template asks for and what each replica needs
// (InterpretReplica). It is only meaningful when HookEnabled(gvk, InterpretReplica); other
// kinds get ErrNoHook. Requirements are nil when the pod template constrains nothing.
//
// The template is read as given. Karmada's templates have been through kube-apiserver
// defaulting, so a Deployment without spec.replicas has 1 replica there and 0 here: callers
// that want Karmada's numbers default built-in kinds before asking.
func (i *Interpreter) GetReplicas(obj *unstructured.Unstructured) (int32, *v1alpha1.ReplicaRequirements, error) {
	var (
		replicas     int32
		requirements *v1alpha1.ReplicaRequirements
		err          error
	)
	if s := i.script(obj, v1alpha1.InterpreterOperationInterpretReplica); s != nil {
		replicas, requirements, err = i.luaGetReplicas(s, obj)
	} else if handled, r, req, nerr := nativeGetReplicas(obj, i.opts.ResourceQuotaEstimate); handled {
		replicas, requirements, err = r, req, nerr
	} else {
		return 0, nil, noHook(obj, v1alpha1.InterpreterOperationInterpretReplica)
	}
	if err != nil {
		return 0, nil, objectError(obj, v1alpha1.InterpreterOperationInterpretReplica, err)
	}
	// Karmada's detector fills the namespace after the interpreter, and only with the gate
	// (pkg/detector: the namespace is redundant with the binding's).
	if i.opts.ResourceQuotaEstimate && requirements != nil && requirements.Namespace == "" {
		requirements.Namespace = obj.GetNamespace()
	}
	return replicas, requirements, nil
}

// ReviseReplica returns a copy of the template with a cluster's assigned replicas written
// into it (ReviseReplica): spec.replicas for Deployment, ReplicaSet and StatefulSet,
// spec.parallelism for Job, or what the customization's script does. The input is not
// modified. Kinds without the hook get ErrNoHook.
func (i *Interpreter) ReviseReplica(obj *unstructured.Unstructured, replicas int64) (*unstructured.Unstructured, error) {
	var (
		revised *unstructured.Unstructured
		err     error
	)
	if s := i.script(obj, v1alpha1.InterpreterOperationReviseReplica); s != nil {
		revised, err = i.luaReviseReplica(s, obj, replicas)
	} else if handled, r, nerr := nativeReviseReplica(obj, replicas); handled {
		revised, err = r, nerr
	} else {
		return nil, noHook(obj, v1alpha1.InterpreterOperationReviseReplica)
	}
	if err != nil {
		return nil, objectError(obj, v1alpha1.InterpreterOperationReviseReplica, err)
	}
	return revised, nil
}

// GetDependencies returns the objects the template depends on (InterpretDependency),
// validated as Karmada validates them, without duplicates and sorted by apiVersion, kind,
// namespace, name and label selector. All dependency scripts of the kind contribute, in the
// order of their customizations' names. Kinds without the hook get ErrNoHook.
func (i *Interpreter) GetDependencies(obj *unstructured.Unstructured) ([]DependentObjectReference, error) {
	var (
		deps []DependentObjectReference
		err  error
	)
	if c := i.custom[obj.GroupVersionKind()]; c != nil && len(c.dependencies) > 0 {
		deps, err = i.luaGetDependencies(c.dependencies, obj)
	} else if handled, d, nerr := nativeGetDependencies(obj); handled {
		deps, err = d, nerr
		if err == nil {
			err = verifyDependencies(deps)
		}
	} else {
		return nil, noHook(obj, v1alpha1.InterpreterOperationInterpretDependency)
	}
	if err != nil {
		return nil, objectError(obj, v1alpha1.InterpreterOperationInterpretDependency, err)
	}
	return normalizeDependencies(deps), nil
}

// InterpretHealth reports whether a member cluster's copy of an object is healthy
// (InterpretHealth). Kinds without the hook get ErrNoHook; Karmada counts them as healthy.
func (i *Interpreter) InterpretHealth(obj *unstructured.Unstructured) (bool, error) {
	var (
		healthy bool
		err     error
	)
	if s := i.script(obj, v1alpha1.InterpreterOperationInterpretHealth); s != nil {
		healthy, err = i.luaInterpretHealth(s, obj)
	} else if handled, h, nerr := nativeInterpretHealth(obj); handled {
		healthy, err = h, nerr
	} else {
		return false, noHook(obj, v1alpha1.InterpreterOperationInterpretHealth)
	}
	if err != nil {
		return false, objectError(obj, v1alpha1.InterpreterOperationInterpretHealth, err)
	}
	return healthy, nil
}

// ReflectStatus returns the part of a member's object status that is collected
// (InterpretStatus). Every kind has the hook: kinds without a customization or a native rule
// of their own reflect their whole .status. A nil result means there is nothing to collect.
func (i *Interpreter) ReflectStatus(obj *unstructured.Unstructured) (*runtime.RawExtension, error) {
	var (
		status *runtime.RawExtension
		err    error
	)
	if s := i.script(obj, v1alpha1.InterpreterOperationInterpretStatus); s != nil {
		status, err = i.luaReflectStatus(s, obj)
	} else {
		status, err = nativeReflectStatus(obj)
	}
	if err != nil {
		return nil, objectError(obj, v1alpha1.InterpreterOperationInterpretStatus, err)
	}
	return status, nil
}

// AggregateStatus returns a copy of the template with the member statuses folded into its
// status (AggregateStatus). Kinds without the hook get ErrNoHook. Options.Now stamps the
// conditions the native Job rule adds; without a clock their times are left out.
func (i *Interpreter) AggregateStatus(obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (*unstructured.Unstructured, error) {
	var (
		out *unstructured.Unstructured
		err error
	)
	if s := i.script(obj, v1alpha1.InterpreterOperationAggregateStatus); s != nil {
		out, err = i.luaAggregateStatus(s, obj, items)
	} else if handled, o, nerr := nativeAggregateStatus(obj, items, i.opts.Now); handled {
		out, err = o, nerr
	} else {
		return nil, noHook(obj, v1alpha1.InterpreterOperationAggregateStatus)
	}
	if err != nil {
		return nil, objectError(obj, v1alpha1.InterpreterOperationAggregateStatus, err)
	}
	return out, nil
}

// Retain returns the object to apply: a copy of desired, with the values member-cluster
// controllers own kept from observed (Retain). Kinds without the hook get ErrNoHook.
func (i *Interpreter) Retain(desired, observed *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	var (
		out *unstructured.Unstructured
		err error
	)
	if s := i.script(desired, v1alpha1.InterpreterOperationRetain); s != nil {
		out, err = i.luaRetain(s, desired, observed)
	} else if handled, o, nerr := nativeRetain(desired, observed); handled {
		out, err = o, nerr
	} else {
		return nil, noHook(desired, v1alpha1.InterpreterOperationRetain)
	}
	if err != nil {
		return nil, objectError(desired, v1alpha1.InterpreterOperationRetain, err)
	}
	return out, nil
}

// GetComponents returns the components of a multi-template workload (InterpretComponent,
// used with Karmada's MultiplePodTemplatesScheduling gate). Karmada has no native rule for
// it; only customizations implement it.
func (i *Interpreter) GetComponents(obj *unstructured.Unstructured) ([]v1alpha1.Component, error) {
	s := i.script(obj, v1alpha1.InterpreterOperationInterpretComponent)
	if s == nil {
		return nil, noHook(obj, v1alpha1.InterpreterOperationInterpretComponent)
	}
	components, err := i.luaGetComponents(s, obj)
	if err != nil {
		return nil, objectError(obj, v1alpha1.InterpreterOperationInterpretComponent, err)
	}
	return components, nil
}

// script returns the compiled customization script for the object's kind and the operation,
// or nil when no customization scripts it.
func (i *Interpreter) script(obj *unstructured.Unstructured, op Operation) *script {
	if c := i.custom[obj.GroupVersionKind()]; c != nil {
		return c.scripts[op]
	}
	return nil
}

// noHook is the ErrNoHook error for an object and operation.
func noHook(obj *unstructured.Unstructured, op Operation) error {
	return fmt.Errorf("%w: %s for %s", ErrNoHook, op, describe(obj))
}

// objectError names the object and operation an error is about.
func objectError(obj *unstructured.Unstructured, op Operation, err error) error {
	return fmt.Errorf("%s of %s: %w", op, describe(obj), err)
}

// describe names an object as "<apiVersion> <Kind> <namespace>/<name>".
func describe(obj *unstructured.Unstructured) string {
	name := obj.GetName()
	if ns := obj.GetNamespace(); ns != "" {
		name = ns + "/" + name
	}
	return fmt.Sprintf("%s %s %s", obj.GetAPIVersion(), obj.GetKind(), name)
}
