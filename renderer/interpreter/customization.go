package interpreter

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// customization is the merged, compiled set of rules of every ResourceInterpreterCustomization
// targeting one kind.
type customization struct {
	// scripts holds one script per operation, except InterpretDependency.
	scripts map[Operation]*script
	// dependencies holds every InterpretDependency script, in customization-name order:
	// several customizations of one kind may each contribute dependencies (§5.3).
	dependencies []*script
}

// enabled reports whether the customization scripts the operation. As in Karmada, a rule
// with an empty script does not enable the hook.
func (c *customization) enabled(op Operation) bool {
	if op == v1alpha1.InterpreterOperationInterpretDependency {
		return len(c.dependencies) > 0
	}
	return c.scripts[op] != nil
}

// script is one compiled Lua rule. The compiled prototype is read-only and shared by the
// fresh Lua states of every call.
type script struct {
	// customization is the name of the ResourceInterpreterCustomization the rule is from.
	customization string
	// function is the global function the script must define, such as "GetReplicas".
	function string
	proto    *lua.FunctionProto
}

// functionName returns the function a script of the operation defines (§5.3).
func functionName(op Operation) string {
	switch op {
	case v1alpha1.InterpreterOperationRetain:
		return "Retain"
	case v1alpha1.InterpreterOperationInterpretReplica:
		return "GetReplicas"
	case v1alpha1.InterpreterOperationInterpretComponent:
		return "GetComponents"
	case v1alpha1.InterpreterOperationReviseReplica:
		return "ReviseReplica"
	case v1alpha1.InterpreterOperationInterpretStatus:
		return "ReflectStatus"
	case v1alpha1.InterpreterOperationAggregateStatus:
		return "AggregateStatus"
	case v1alpha1.InterpreterOperationInterpretHealth:
		return "InterpretHealth"
	case v1alpha1.InterpreterOperationInterpretDependency:
		return "GetDependencies"
	}
	return ""
}

// compileCustomizations merges the customizations per target kind the way Karmada's config
// manager does and compiles every script once. Customizations are taken in name order; for
// each operation but InterpretDependency the first non-empty script wins (the loader already
// rejects two customizations scripting the same operation, as Karmada's webhook does, so the
// order only makes the result well defined). Dependency scripts accumulate.
//
// Every script is compiled, including those a merge discards, because Karmada's webhook
// rejects any customization holding a script that does not compile.
func compileCustomizations(rics []*v1alpha1.ResourceInterpreterCustomization) (map[schema.GroupVersionKind]*customization, error) {
	sorted := slices.Clone(rics)
	slices.SortStableFunc(sorted, func(a, b *v1alpha1.ResourceInterpreterCustomization) int {
		return cmp.Compare(a.Name, b.Name)
	})
	out := map[schema.GroupVersionKind]*customization{}
	for _, ric := range sorted {
		if ric == nil {
			continue
		}
		gvk := schema.FromAPIVersionAndKind(ric.Spec.Target.APIVersion, ric.Spec.Target.Kind)
		c := out[gvk]
		if c == nil {
			c = &customization{scripts: map[Operation]*script{}}
			out[gvk] = c
		}
		for _, rule := range ric.Spec.Customizations.Rules() {
			if rule.LuaScript == "" {
				continue
			}
			s, err := compileScript(ric.Name, rule)
			if err != nil {
				return nil, err
			}
			switch {
			case rule.Operation == v1alpha1.InterpreterOperationInterpretDependency:
				c.dependencies = append(c.dependencies, s)
			case c.scripts[rule.Operation] == nil:
				c.scripts[rule.Operation] = s
			}
		}
	}
	return out, nil
}

// ValidateScripts compiles every script of one customization and reports those that do not
// compile at spec.customizations.<rule>.luaScript, the check Karmada's webhook makes on
// admission. The loader can report it against the customization's file; New makes the same
// check for all customizations at once.
func ValidateScripts(ric *v1alpha1.ResourceInterpreterCustomization) field.ErrorList {
	var errs field.ErrorList
	for _, rule := range ric.Spec.Customizations.Rules() {
		if rule.LuaScript == "" {
			continue
		}
		if _, err := compile(ric.Name, rule); err != nil {
			errs = append(errs, field.Invalid(field.NewPath("spec", "customizations", rule.Field, "luaScript"),
				"(Lua script)", fmt.Sprintf("InterpreterOperation(%s) Lua script error: %v", rule.Operation, err)))
		}
	}
	return errs
}

// compileScript compiles one rule into a script, with an error naming the customization and
// the operation.
func compileScript(ric string, rule v1alpha1.CustomizationRule) (*script, error) {
	proto, err := compile(ric, rule)
	if err != nil {
		return nil, fmt.Errorf("ResourceInterpreterCustomization %q: InterpreterOperation(%s) Lua script error: %w",
			ric, rule.Operation, err)
	}
	return &script{customization: ric, function: functionName(rule.Operation), proto: proto}, nil
}

// compile parses and compiles a rule's script. The chunk is named "<customization>/<field>"
// so that Lua errors point at the rule ("my-ric/replicaResource:3: ...").
func compile(ric string, rule v1alpha1.CustomizationRule) (*lua.FunctionProto, error) {
	chunk := ric + "/" + rule.Field
	stmts, err := parse.Parse(strings.NewReader(rule.LuaScript), chunk)
	if err != nil {
		return nil, err
	}
	return lua.Compile(stmts, chunk)
}
