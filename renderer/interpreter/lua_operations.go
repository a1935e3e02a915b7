package interpreter

import (
	"encoding/json"
	"fmt"
	"math"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// The operations as customization scripts implement them (§5.3): which function is called
// with what, and what its results must be. Result shapes and the references that decide
// empty tables follow Karmada's luavm.

// luaGetReplicas calls GetReplicas(desiredObj) → replicas, requirements (a
// ReplicaRequirements-shaped table, or nil).
func (i *Interpreter) luaGetReplicas(s *script, obj *unstructured.Unstructured) (replicas int32, requirements *v1alpha1.ReplicaRequirements, err error) {
	err = i.call(s, 2, []any{obj.Object}, func(_ *lua.LState, rets []lua.LValue) error {
		var err error
		if replicas, err = luaInt32(rets[0]); err != nil {
			return fmt.Errorf("replicas: %w", err)
		}
		switch rets[1].Type() {
		case lua.LTNil:
		case lua.LTTable:
			requirements = &v1alpha1.ReplicaRequirements{}
			if err := decodeResult(rets[1], requirements, true); err != nil {
				return fmt.Errorf("requirements: %w", err)
			}
		default:
			return fmt.Errorf("requirements: a %s, not a table or nil", rets[1].Type())
		}
		return nil
	})
	return replicas, requirements, err
}

// luaReviseReplica calls ReviseReplica(desiredObj, desiredReplica) → the revised object.
func (i *Interpreter) luaReviseReplica(s *script, obj *unstructured.Unstructured, replicas int64) (revised *unstructured.Unstructured, err error) {
	err = i.call(s, 1, []any{obj.Object, replicas}, func(_ *lua.LState, rets []lua.LValue) error {
		var err error
		revised, err = objectResult(rets[0], obj.Object)
		return err
	})
	return revised, err
}

// luaGetDependencies calls GetDependencies(desiredObj) → a list of dependencies, for every
// dependency script of the kind, and verifies each script's list.
func (i *Interpreter) luaGetDependencies(scripts []*script, obj *unstructured.Unstructured) ([]DependentObjectReference, error) {
	var all []DependentObjectReference
	for _, s := range scripts {
		err := i.call(s, 1, []any{obj.Object}, func(_ *lua.LState, rets []lua.LValue) error {
			if rets[0].Type() != lua.LTTable {
				return fmt.Errorf("a %s, not a table", rets[0].Type())
			}
			var deps []DependentObjectReference
			if err := decodeResult(rets[0], &deps, false); err != nil {
				return err
			}
			if err := verifyDependencies(deps); err != nil {
				return err
			}
			all = append(all, deps...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return all, nil
}

// luaInterpretHealth calls InterpretHealth(observedObj) → a boolean.
func (i *Interpreter) luaInterpretHealth(s *script, obj *unstructured.Unstructured) (healthy bool, err error) {
	err = i.call(s, 1, []any{obj.Object}, func(_ *lua.LState, rets []lua.LValue) error {
		b, ok := rets[0].(lua.LBool)
		if !ok {
			return fmt.Errorf("a %s, not a boolean", rets[0].Type())
		}
		healthy = bool(b)
		return nil
	})
	return healthy, err
}

// luaReflectStatus calls ReflectStatus(observedObj) → the status to collect (a table).
func (i *Interpreter) luaReflectStatus(s *script, obj *unstructured.Unstructured) (status *runtime.RawExtension, err error) {
	err = i.call(s, 1, []any{obj.Object}, func(_ *lua.LState, rets []lua.LValue) error {
		if rets[0].Type() != lua.LTTable {
			return fmt.Errorf("a %s, not a table", rets[0].Type())
		}
		g, err := tableResult(rets[0], true)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(g)
		if err != nil {
			return err
		}
		status = &runtime.RawExtension{Raw: raw}
		return nil
	})
	return status, err
}

// luaAggregateStatus calls AggregateStatus(desiredObj, statusItems) → the object with its
// status. statusItems are AggregatedStatusItem-shaped tables.
func (i *Interpreter) luaAggregateStatus(s *script, obj *unstructured.Unstructured, items []v1alpha1.AggregatedStatusItem) (out *unstructured.Unstructured, err error) {
	err = i.call(s, 1, []any{obj.Object, items}, func(_ *lua.LState, rets []lua.LValue) error {
		var err error
		// Karmada passes no references here: empty tables in the result are dropped.
		out, err = objectResult(rets[0])
		return err
	})
	return out, err
}

// luaRetain calls Retain(desiredObj, observedObj) → the object to apply.
func (i *Interpreter) luaRetain(s *script, desired, observed *unstructured.Unstructured) (out *unstructured.Unstructured, err error) {
	err = i.call(s, 1, []any{desired.Object, observed.Object}, func(_ *lua.LState, rets []lua.LValue) error {
		var err error
		out, err = objectResult(rets[0], desired.Object, observed.Object)
		return err
	})
	return out, err
}

// luaGetComponents calls GetComponents(desiredObj) → a list of Component-shaped tables, or
// nil for none.
func (i *Interpreter) luaGetComponents(s *script, obj *unstructured.Unstructured) (components []v1alpha1.Component, err error) {
	err = i.call(s, 1, []any{obj.Object}, func(_ *lua.LState, rets []lua.LValue) error {
		switch rets[0].Type() {
		case lua.LTNil:
			return nil
		case lua.LTTable:
			return decodeResult(rets[0], &components, false)
		}
		return fmt.Errorf("a %s, not a table or nil", rets[0].Type())
	})
	return components, err
}

// objectResult converts a script's object result, which must be a table.
func objectResult(v lua.LValue, refs ...any) (*unstructured.Unstructured, error) {
	if v.Type() != lua.LTTable {
		return nil, fmt.Errorf("a %s, not a table", v.Type())
	}
	return unstructuredResult(v, refs...)
}

// luaInt32 converts a script's number to an int32, truncating any fraction like Karmada.
// Numbers outside the int32 range are errors (Go's conversion would be undefined there).
func luaInt32(v lua.LValue) (int32, error) {
	n, ok := v.(lua.LNumber)
	if !ok {
		return 0, fmt.Errorf("a %s, not a number", v.Type())
	}
	f := math.Trunc(float64(n))
	if math.IsNaN(f) || f < math.MinInt32 || f > math.MaxInt32 {
		return 0, fmt.Errorf("%v is not an int32", float64(n))
	}
	return int32(f), nil
}
