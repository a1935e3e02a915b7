package interpreter

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/gitfleet/gitfleet/api/v1alpha1"
)

// Operations lists the operations Run accepts, in Karmada's order (the order of
// v1alpha1.CustomizationRules.Rules).
func Operations() []Operation {
	rules := (&v1alpha1.CustomizationRules{}).Rules()
	ops := make([]Operation, len(rules))
	for n, r := range rules {
		ops[n] = r.Operation
	}
	return ops
}

// ParseOperation returns the operation a name means, ignoring case as `karmadactl interpret
// --operation` does: "interpretReplica", "InterpretReplica" and "interpretreplica" are the
// same operation.
func ParseOperation(name string) (Operation, error) {
	for _, op := range Operations() {
		if strings.EqualFold(string(op), name) {
			return op, nil
		}
	}
	names := make([]string, 0, len(Operations()))
	for _, op := range Operations() {
		names = append(names, CommandLineName(op))
	}
	return "", fmt.Errorf("unknown operation %q: use one of %s", name, strings.Join(names, ", "))
}

// CommandLineName spells an operation as karmadactl's --operation examples do:
// "interpretReplica" for InterpretReplica.
func CommandLineName(op Operation) string {
	if op == "" {
		return ""
	}
	return strings.ToLower(string(op[:1])) + string(op[1:])
}

// Request is one interpreter operation on objects given as data: what `gitfleet interpret`
// runs, and what a test of a rule needs.
type Request struct {
	// Operation is the operation to run.
	Operation Operation
	// Desired is the resource template, the desiredObj of Karmada's scripts. Retain needs
	// it; the other operations take either Desired or Observed as their object.
	Desired *unstructured.Unstructured
	// Observed is a member cluster's copy of the object, the observedObj of Karmada's
	// scripts. Retain needs it; the other operations take either Desired or Observed.
	Observed *unstructured.Unstructured
	// StatusItems are the members' reflected statuses that AggregateStatus folds into the
	// template's status.
	StatusItems []v1alpha1.AggregatedStatusItem
	// DesiredReplica is the replica count ReviseReplica writes into the object.
	DesiredReplica int64
}

// ErrBadRequest is matched (errors.Is) by Run's error for a Request that lacks an object
// the operation needs or holds one too many: the caller's mistake, not the objects'.
var ErrBadRequest = errors.New("bad request")

// requestError is an ErrBadRequest that says what is wrong in its own words.
type requestError struct{ msg string }

func (e *requestError) Error() string        { return e.msg }
func (e *requestError) Is(target error) bool { return target == ErrBadRequest }

// Validate checks that the request holds the objects its operation reads, as karmadactl
// interpret does: Retain reads a desired and an observed object, every other operation
// exactly one of the two. Its errors match ErrBadRequest.
func (r Request) Validate() error {
	if !slices.Contains(Operations(), r.Operation) {
		_, err := ParseOperation(string(r.Operation))
		return &requestError{msg: err.Error()}
	}
	switch {
	case r.Operation == v1alpha1.InterpreterOperationRetain:
		if r.Desired == nil || r.Observed == nil {
			return &requestError{msg: fmt.Sprintf("%s needs both the desired and the observed object", r.Operation)}
		}
	case r.Desired == nil && r.Observed == nil:
		return &requestError{msg: fmt.Sprintf("%s needs an object: the desired or the observed one", r.Operation)}
	case r.Desired != nil && r.Observed != nil:
		return &requestError{msg: fmt.Sprintf("%s takes one object: the desired or the observed one, not both", r.Operation)}
	}
	return nil
}

// object returns the object an operation other than Retain works on.
func (r Request) object() *unstructured.Unstructured {
	if r.Desired != nil {
		return r.Desired
	}
	return r.Observed
}

// Result is what one operation returned. Only the fields of its operation are set, and
// only those are serialised, under the keys `gitfleet interpret -o json` prints:
//
//	InterpretReplica     replicas, requirements
//	InterpretComponent   components
//	ReviseReplica        object
//	Retain               object
//	InterpretStatus      status
//	AggregateStatus      object
//	InterpretHealth      healthy
//	InterpretDependency  dependencies
type Result struct {
	// Operation is the operation that ran.
	Operation Operation
	// Rule names the rule that answered: `customization "<name>"` (several names for
	// InterpretDependency, whose scripts all contribute) or "built-in".
	Rule string

	// Healthy is InterpretHealth's verdict.
	Healthy bool
	// Replicas and Requirements are InterpretReplica's answer; Requirements is nil when the
	// pod template constrains nothing.
	Replicas     int32
	Requirements *v1alpha1.ReplicaRequirements
	// Components are InterpretComponent's answer.
	Components []v1alpha1.Component
	// Object is the object ReviseReplica, Retain or AggregateStatus returned.
	Object *unstructured.Unstructured
	// Status is InterpretStatus's answer; nil when there is nothing to collect.
	Status *runtime.RawExtension
	// Dependencies are InterpretDependency's answer, sorted.
	Dependencies []DependentObjectReference
}

// Fields returns the result's values under their keys (see Result), for printing.
func (r *Result) Fields() map[string]any {
	switch r.Operation {
	case v1alpha1.InterpreterOperationInterpretReplica:
		return map[string]any{"replicas": r.Replicas, "requirements": r.Requirements}
	case v1alpha1.InterpreterOperationInterpretComponent:
		return map[string]any{"components": nonNil(r.Components)}
	case v1alpha1.InterpreterOperationReviseReplica, v1alpha1.InterpreterOperationRetain,
		v1alpha1.InterpreterOperationAggregateStatus:
		var obj map[string]any
		if r.Object != nil {
			obj = r.Object.Object
		}
		return map[string]any{"object": obj}
	case v1alpha1.InterpreterOperationInterpretStatus:
		var status json.RawMessage
		if r.Status != nil && len(r.Status.Raw) > 0 {
			status = json.RawMessage(r.Status.Raw)
		}
		return map[string]any{"status": status}
	case v1alpha1.InterpreterOperationInterpretHealth:
		return map[string]any{"healthy": r.Healthy}
	case v1alpha1.InterpreterOperationInterpretDependency:
		return map[string]any{"dependencies": nonNil(r.Dependencies)}
	}
	return map[string]any{}
}

// MarshalJSON encodes the result as one object keyed by result (see Result); keys are
// sorted, so the output is deterministic.
func (r *Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.Fields())
}

// nonNil turns a nil list into an empty one, so that "none" prints as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Run executes one operation as gitfleet's controllers would: a customization of the
// object's kind first, then the native rules (§5.1). A kind that neither implements is an
// error wrapping ErrNoHook — for InterpretHealth, gitfleet then counts the object as
// healthy, as Karmada does; for InterpretReplica and ReviseReplica it propagates the object
// unchanged. A request that does not fit its operation is an error wrapping ErrBadRequest.
func (i *Interpreter) Run(req Request) (*Result, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	obj := req.object() // Retain's desired object
	res := &Result{Operation: req.Operation, Rule: i.ruleFor(obj, req.Operation)}
	var err error
	switch req.Operation {
	case v1alpha1.InterpreterOperationInterpretReplica:
		res.Replicas, res.Requirements, err = i.GetReplicas(obj)
	case v1alpha1.InterpreterOperationInterpretComponent:
		res.Components, err = i.GetComponents(obj)
	case v1alpha1.InterpreterOperationReviseReplica:
		res.Object, err = i.ReviseReplica(obj, req.DesiredReplica)
	case v1alpha1.InterpreterOperationRetain:
		res.Object, err = i.Retain(req.Desired, req.Observed)
	case v1alpha1.InterpreterOperationInterpretStatus:
		res.Status, err = i.ReflectStatus(obj)
	case v1alpha1.InterpreterOperationAggregateStatus:
		res.Object, err = i.AggregateStatus(obj, req.StatusItems)
	case v1alpha1.InterpreterOperationInterpretHealth:
		res.Healthy, err = i.InterpretHealth(obj)
	case v1alpha1.InterpreterOperationInterpretDependency:
		res.Dependencies, err = i.GetDependencies(obj)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ruleFor names the rule that answers the operation for the object (see Result.Rule).
func (i *Interpreter) ruleFor(obj *unstructured.Unstructured, op Operation) string {
	if c := i.custom[obj.GroupVersionKind()]; c != nil && c.enabled(op) {
		var names []string
		if op == v1alpha1.InterpreterOperationInterpretDependency {
			for _, s := range c.dependencies {
				names = append(names, fmt.Sprintf("%q", s.customization))
			}
		} else {
			names = append(names, fmt.Sprintf("%q", c.scripts[op].customization))
		}
		return "customization " + strings.Join(names, ", ")
	}
	if nativeHookEnabled(obj.GroupVersionKind(), op) {
		return "built-in"
	}
	return ""
}

// RuleVerdict is the outcome of checking one rule of a customization.
type RuleVerdict string

const (
	// RulePass means the rule's script compiles and defines its function.
	RulePass RuleVerdict = "Pass"
	// RuleError means the rule is present but its script cannot work.
	RuleError RuleVerdict = "Error"
	// RuleUnset means the customization does not have the rule.
	RuleUnset RuleVerdict = "Unset"
)

// RuleCheck is the verdict on one rule of a customization.
type RuleCheck struct {
	// Field is the rule's field under spec.customizations, such as "replicaResource".
	Field string `json:"field"`
	// Operation is the operation the rule replaces.
	Operation Operation `json:"operation"`
	// Verdict says whether the rule passed.
	Verdict RuleVerdict `json:"verdict"`
	// Message says what is wrong when the verdict is RuleError.
	Message string `json:"message,omitempty"`
}

// CheckRules checks every rule of a customization, in Karmada's order, the way
// `karmadactl interpret --check` does and one step further: a present rule passes when its
// script is not empty, compiles, runs in the sandbox, and defines the global function its
// operation calls (GetReplicas for replicaResource, and so on). Running the chunk defines
// the functions; it calls none of them.
func CheckRules(ric *v1alpha1.ResourceInterpreterCustomization) []RuleCheck {
	rules := ric.Spec.Customizations.Rules()
	out := make([]RuleCheck, len(rules))
	for n, rule := range rules {
		out[n] = RuleCheck{Field: rule.Field, Operation: rule.Operation, Verdict: RulePass}
		if msg := checkRule(ric.Name, rule); msg != "" {
			out[n].Verdict, out[n].Message = RuleError, msg
		}
		if !rule.Set {
			out[n].Verdict = RuleUnset
		}
	}
	return out
}

// checkRule returns what is wrong with one present rule, or "".
func checkRule(ric string, rule v1alpha1.CustomizationRule) string {
	if !rule.Set {
		return ""
	}
	if strings.TrimSpace(rule.LuaScript) == "" {
		return "luaScript is empty: a present rule needs a script"
	}
	s, err := compileScript(ric, rule)
	if err != nil {
		return oneLine(fmt.Sprintf("Lua script error: %v", errors.Unwrap(err)))
	}
	opts := DefaultOptions()
	budget := newInstructionBudget(opts.InstructionBudget)
	L := newSandbox(budget, opts)
	defer L.Close()
	L.Push(L.NewFunctionFromProto(s.proto))
	if err := L.PCall(0, 0, nil); err != nil {
		return oneLine(fmt.Sprintf("running the script: %v", luaError(err, budget)))
	}
	switch fn := L.GetGlobal(s.function); fn.Type() {
	case lua.LTFunction:
		return ""
	case lua.LTNil:
		return fmt.Sprintf("the script defines no function %s", s.function)
	default:
		return fmt.Sprintf("%s is a %s, not a function", s.function, fn.Type())
	}
}

// oneLine collapses the runs of white space (newlines included) gopher-lua puts in its
// messages.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// scriptLine matches the location gopher-lua gives in its messages about a chunk named
// "<customization>/<field>": "name/field:3: ..." at run time, "name/field line:3(column:5)"
// when compiling.
var scriptLine = regexp.MustCompile(`([^\s"]+)/([A-Za-z]+)(?::(\d+):| line:(\d+)\()`)

// ScriptLocation finds, in an error of a customization's script, the customization, the
// rule's field and the line within the script that the error is about. ok is false when
// the error names none.
func ScriptLocation(err error) (customization, field string, line int, ok bool) {
	if err == nil {
		return "", "", 0, false
	}
	m := scriptLine.FindStringSubmatch(err.Error())
	if m == nil {
		return "", "", 0, false
	}
	n, _ := strconv.Atoi(m[3] + m[4])
	return m[1], m[2], n, true
}
